"""What the components take: specs as plain values, workspace references as ``pulumi.Input``.

``expand`` is pure and needs plain values, so a reference that is still an
Output (a cluster name from an ``aws.eks.Cluster``, subnet ids from a VPC) enters
the expansion as a stand-in string that passes the spec's checks; :func:`fill`
puts the real values in, as Outputs, together with the blueprint's
``{{ref:…}}`` placeholders (cloud ids known only once the cloud part exists).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, TypeAlias

import pulumi

from ..blueprint.refs import ref as placeholder, references, resolve
from ..errors import Problem, SpecError
from ..spec import EndpointSpec, WorkspaceSpec, load_file, validate_model

SpecInput: TypeAlias = "EndpointSpec | Mapping[str, Any] | str | Path"
WorkspaceSpecInput: TypeAlias = "WorkspaceSpec | Mapping[str, Any] | str | Path | None"
Ref = tuple[str, str, str]


def endpoint_spec(spec: SpecInput, workspace: WorkspaceSpec) -> EndpointSpec:
    """An endpoint from a model, a dict of the YAML fields, or a YAML/JSON file holding one endpoint.

    A file's ``workspace:`` section, if any, must be the Workspace's own (the
    Workspace component is where a workspace is configured).
    """
    if isinstance(spec, EndpointSpec):
        return spec
    if isinstance(spec, Mapping):
        return validate_model(EndpointSpec, dict(spec))
    document = load_file(spec)
    problems = []
    if len(document.endpoints) != 1:
        problems.append(Problem("endpoints", "a DedicatedEndpoint takes a file holding one endpoint"))
    if document.workspace not in (WorkspaceSpec(), workspace):
        problems.append(Problem("workspace", "differs from the Workspace component's spec: configure the "
                                             "workspace there, and leave it out of the endpoint's file"))
    if problems:
        raise SpecError(problems, source=str(spec))
    return document.endpoints[0]


def workspace_spec(spec: WorkspaceSpecInput) -> WorkspaceSpec:
    """A workspace from a model, a dict of the YAML fields, or the ``workspace:`` section of a file."""
    if spec is None:
        return WorkspaceSpec()
    if isinstance(spec, WorkspaceSpec):
        return spec
    if isinstance(spec, Mapping):
        return validate_model(WorkspaceSpec, dict(spec), ("workspace",))
    return load_file(spec).workspace


class StandIns:
    """Plain stand-ins for Output references, and the Outputs that replace them."""

    def __init__(self) -> None:
        self.values: dict[str, pulumi.Output[str]] = {}

    def of(self, value: pulumi.Input[str], template: str) -> str:
        """``value`` if it is a plain string, else a unique stand-in made from ``template``."""
        if isinstance(value, str):
            return value
        stand_in = template.format(f"pulumi-input-{len(self.values):03d}-")
        self.values[stand_in] = pulumi.Output.from_input(value)
        return stand_in

    def all_of(self, values: Sequence[pulumi.Input[str]], template: str) -> list[str]:
        return [self.of(value, template) for value in values]


def fill(obj: Any, stand_ins: Mapping[str, pulumi.Output[str]],
         refs: Mapping[Ref, pulumi.Input[str]]) -> pulumi.Input[Any]:
    """``obj`` with stand-ins and ``{{ref:…}}`` placeholders replaced: plain where it holds none,
    and an Output (secret when a value is) only for each string that holds one, so the rest of a
    manifest stays known in a preview. A dict with a placeholder in a key becomes one Output."""
    if isinstance(obj, list):
        return [fill(item, stand_ins, refs) for item in obj]
    if isinstance(obj, dict) and not any(_placeholders(key, stand_ins) != ([], []) for key in obj):
        return {key: fill(value, stand_ins, refs) for key, value in obj.items()}
    used, needed = _placeholders(obj, stand_ins)
    missing = [ref for ref in needed if ref not in refs]
    if missing:
        raise SpecError([Problem("", f"no value for {placeholder(*ref)}") for ref in missing])
    if not used and not needed:
        return obj

    def filled(values: list[str]) -> Any:
        own = dict(zip(used, values[: len(used)]))
        return resolve(_replace(obj, own), dict(zip(needed, values[len(used):])))

    return pulumi.Output.all(*(stand_ins[key] for key in used), *(refs[ref] for ref in needed)).apply(filled)


def _placeholders(obj: Any, stand_ins: Mapping[str, pulumi.Output[str]]) -> tuple[list[str], list[Ref]]:
    """The stand-ins and the ``{{ref:…}}`` references ``obj`` holds."""
    text = obj if isinstance(obj, str) else json.dumps(obj)
    return [key for key in stand_ins if key in text], sorted(references(obj))


def _replace(obj: Any, values: Mapping[str, str]) -> Any:
    if isinstance(obj, dict):
        return {_replace(k, values): _replace(v, values) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_replace(v, values) for v in obj]
    if isinstance(obj, str):
        for stand_in, value in values.items():
            obj = obj.replace(stand_in, value)
        return obj
    return obj
