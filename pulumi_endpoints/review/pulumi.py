"""Read ``pulumi preview --json``: the ``steps`` of Pulumi's preview digest.

Each step has ``op`` (same, create, update, replace, delete, create-replacement,
delete-replaced, read, refresh …), ``urn``, ``oldState``/``newState`` (each with
``type``, ``inputs``, ``outputs``, ``parent``) and, from providers that give them, ``diffReasons``,
``replaceReasons`` and ``detailedDiff`` (components and dynamic resources give none: the review
compares inputs itself). Unchanged resources appear only with ``--show-sames``; without it the
totals are unknown. Pulumi writes secrets as ``[secret]``; plaintext secret
objects and sensitive attribute names are masked anyway. A value known only after apply is
Pulumi's unknown sentinel (``UNKNOWN_VALUE``, ``rpcTokenUnknownValue`` in pulumi/sdk/go's rpc.go).

The project's resources are recognised by their type token (:mod:`pulumi_endpoints.pulumi_types`):
the component's dynamic resources are ``pulumi-python:dynamic/endpoints:NodePool`` and so on;
the components (``endpoints:index:*``) are not resources, and ``DedicatedEndpoint`` carries the
endpoint's ``spec`` and ``workspace`` inputs, from which the endpoint's facts before and after come.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import SpecError
from ..pulumi_types import COMPONENT_PREFIX, DEDICATED_ENDPOINT, DYNAMIC_NAMES, dynamic_type
from .facts import spec_views
from .masking import Masker
from .model import Action, EndpointView, PlanInput, ResourceChange
from .resources import make_change
from .sources import ReviewError, load_json

UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"  # how Pulumi writes a value known only after apply
OPS = {"create": Action.CREATE, "update": Action.UPDATE, "delete": Action.DELETE, "replace": Action.REPLACE,
       "create-replacement": Action.REPLACE, "delete-replaced": Action.REPLACE}
KINDS = {dynamic_type(kind): kind for kind in DYNAMIC_NAMES}
NOT_RESOURCES = ("pulumi:pulumi:Stack", "pulumi:providers:", COMPONENT_PREFIX)
HIDDEN_SAMES = ("the preview leaves out unchanged endpoints: run pulumi preview --json --show-sames for the "
                "totals and every endpoint's cost")


def read(text: str, source: str) -> PlanInput:
    digest = load_json(text, source)
    steps = digest.get("steps")
    if not isinstance(steps, list):
        raise ReviewError(f"{source}: not the output of `pulumi preview --json` (no steps)")
    masker = Masker()
    merged: dict[str, dict[str, Any]] = {}  # one entry per URN: a replacement comes as up to three steps
    before: dict[str, EndpointView] = {}
    after: dict[str, EndpointView] = {}
    components = 0
    for step in steps:
        urn, op = str(step["urn"]), str(step["op"])
        old, new = step.get("oldState"), step.get("newState")
        if _type(urn) == DEDICATED_ENDPOINT:
            components += 1
            before |= _views(old if op != "create" else None, source)
            after |= _views(new if op not in ("delete", "delete-replaced") else None, source)
        elif op in OPS and not _type(urn).startswith(NOT_RESOURCES):
            entry = merged.setdefault(urn, {"ops": set(), "old": None, "new": None})
            entry["ops"].add(op)
            entry["old"] = entry["old"] or old
            entry["new"] = entry["new"] or (new if op != "delete-replaced" else None)
    changes = [_change(urn, entry, masker) for urn, entry in sorted(merged.items())]
    known = components > 0
    return PlanInput(source=source, resources=tuple(changes), before=before if known else None,
                     after=after if known else None, secrets=frozenset(masker.secrets),
                     hidden=HIDDEN_SAMES if known and _sames_hidden(digest) else None)


def _sames_hidden(digest: Mapping[str, Any]) -> bool:
    """Without --show-sames the digest leaves out unchanged resources (but the root stack), while its
    change summary still counts them (pulumi pkg/backend/display/json.go, ShowPreviewDigest)."""
    counted = int((digest.get("changeSummary") or {}).get("same", 0))
    shown = sum(1 for step in digest["steps"] if step.get("op") == "same")
    return counted > shown


def _change(urn: str, entry: Mapping[str, Any], masker: Masker) -> ResourceChange:
    ops: set[str] = entry["ops"]
    action = Action.REPLACE if ops & {"replace", "create-replacement", "delete-replaced"} else OPS[min(ops)]
    old, new = entry["old"], entry["new"]
    before = _inputs(old) if action is not Action.CREATE else None
    after = _inputs(new) if action is not Action.DELETE else None
    kind = _kind(_type(urn))
    unknown = frozenset(name for name, value in (after or {}).items() if value == UNKNOWN_VALUE)
    return make_change(kind, _name(urn), action, before, after, masker, unknown=unknown,
                       owner=_parent_endpoint(new or old))


def _inputs(state: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """What the program asked for. Outputs are left out: pulumi-kubernetes keeps the live object there
    (``status``, server-set metadata, ``__inputs``, ``__fieldManager``, ``__initialApiVersion``)."""
    if not isinstance(state, Mapping):
        return None
    return dict(state.get("inputs") or {})


def _views(state: Mapping[str, Any] | None, source: str) -> dict[str, EndpointView]:
    inputs = (state or {}).get("inputs") or {}
    if "spec" not in inputs:
        return {}
    try:
        return spec_views(inputs["spec"], inputs.get("workspace"), unknown=UNKNOWN_VALUE)
    except SpecError as error:
        raise ReviewError(f"{source}: a {DEDICATED_ENDPOINT} holds a spec that does not expand "
                          f"(at {', '.join(error.paths) or 'the top level'})") from None


def _type(urn: str) -> str:
    """The resource's own type: the last part of the URN's qualified type."""
    parts = urn.split("::", 3)
    return parts[2].rsplit("$", 1)[-1] if len(parts) == 4 else ""


def _name(urn: str) -> str:
    return urn.split("::", 3)[-1]


def _kind(type_: str) -> str:
    """A policy-table kind for the component's cloud children, the kind for Kubernetes objects."""
    if type_ in KINDS:
        return KINDS[type_]
    package, _, resource = type_.rpartition(":")
    return resource if package.startswith("kubernetes:") else type_


def _parent_endpoint(state: Mapping[str, Any] | None) -> str | None:
    parent = str((state or {}).get("parent") or "")
    return _name(parent) if _type(parent) == DEDICATED_ENDPOINT else None
