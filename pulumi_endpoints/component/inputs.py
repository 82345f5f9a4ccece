"""What the components take: specs and workspace references whose values may be ``pulumi.Input``.

``expand`` is pure and needs plain values, so a value that is still an Output (a cluster name
from an ``aws.eks.Cluster``, an image the program builds) enters it as its placeholder
``{{ref:input/<field path>/value}}`` (:mod:`pulumi_endpoints.spec.inputs`); :func:`fill` puts the
values in, as Outputs, together with the blueprint's ``{{ref:…}}`` placeholders of cloud ids.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeAlias

import pulumi

from ..blueprint.refs import ref as placeholder, references, resolve
from ..errors import Problem, SpecError
from ..spec import EndpointSpec, WorkspaceSpec, load_file
from ..spec.document import validate_with_inputs
from ..spec.inputs import ATTRIBUTES, INPUT

SpecInput: TypeAlias = "EndpointSpec | Mapping[str, Any] | str | Path"
WorkspaceSpecInput: TypeAlias = "WorkspaceSpec | Mapping[str, Any] | str | Path | None"
Ref = tuple[str, str, str]


def endpoint_spec(spec: SpecInput, workspace: WorkspaceSpec) -> tuple[EndpointSpec, dict[str, pulumi.Input[Any]]]:
    """An endpoint from a model, a dict of the YAML fields (values may be Inputs), or a YAML/JSON
    file holding one endpoint; and the Inputs it holds, by slot.

    A file's ``workspace:`` section, if any, must be the Workspace's own (the
    Workspace component is where a workspace is configured).
    """
    if isinstance(spec, EndpointSpec):
        return spec, {}
    if isinstance(spec, Mapping):
        return validate_with_inputs(EndpointSpec, dict(spec), deferred)
    document = load_file(spec)
    problems = []
    if len(document.endpoints) != 1:
        problems.append(Problem("endpoints", "a DedicatedEndpoint takes a file holding one endpoint"))
    if document.workspace not in (WorkspaceSpec(), workspace):
        problems.append(Problem("workspace", "differs from the Workspace component's spec: configure the "
                                             "workspace there, and leave it out of the endpoint's file"))
    if problems:
        raise SpecError(problems, source=str(spec))
    return document.endpoints[0], {}


def workspace_spec(spec: WorkspaceSpecInput, cluster: Mapping[str, Any] | None = None
                   ) -> tuple[WorkspaceSpec, dict[str, pulumi.Input[Any]]]:
    """A workspace from a model, a dict of the YAML fields (values may be Inputs), or the
    ``workspace:`` section of a file, with ``cluster`` fields over its own; and the Inputs it holds."""
    if isinstance(spec, (str, Path)):
        spec = load_file(spec).workspace
    if not cluster and not isinstance(spec, Mapping):
        return spec or WorkspaceSpec(), {}
    given = spec.model_dump(by_alias=True, exclude_defaults=True) if isinstance(spec, WorkspaceSpec) else spec
    data = dict(given or {})
    if cluster:
        data["cluster"] = {**(data.get("cluster") or {}), **cluster}
    return validate_with_inputs(WorkspaceSpec, data, deferred, ("workspace",))


def deferred(value: Any) -> bool:
    """A value known only at deployment: an Output, or an awaitable (also a ``pulumi.Input``)."""
    return isinstance(value, pulumi.Output) or inspect.isawaitable(value)


def input_refs(values: Mapping[str, pulumi.Input[Any]]) -> dict[Ref, pulumi.Output[str]]:
    """The Outputs of the input placeholders of ``values`` (slot → Input), for :func:`fill`."""
    refs: dict[Ref, pulumi.Output[str]] = {}
    for slot, value in values.items():
        output = pulumi.Output.from_input(value)
        refs[(INPUT, slot, "value")] = output
        refs.update({(INPUT, slot, name): output.apply(make) for name, make in ATTRIBUTES.items() if name != "value"})
    return refs


def fill(obj: Any, refs: Mapping[Ref, pulumi.Input[str]]) -> pulumi.Input[Any]:
    """``obj`` with its ``{{ref:…}}`` placeholders replaced: plain where it holds none, and an Output
    (secret when a value is) only for each string that holds one, so the rest of a manifest stays
    known in a preview. A dict with a placeholder in a key becomes one Output."""
    if isinstance(obj, list):
        return [fill(item, refs) for item in obj]
    if isinstance(obj, dict) and not any(references(key) for key in obj):
        return {key: fill(value, refs) for key, value in obj.items()}
    needed = sorted(references(obj))
    if not needed:
        return obj
    missing = [ref for ref in needed if ref not in refs]
    if missing:
        raise SpecError([Problem("", f"no value for {placeholder(*ref)}") for ref in missing])
    values = pulumi.Output.all(*(refs[ref] for ref in needed))
    return values.apply(lambda known: resolve(obj, dict(zip(needed, known))))
