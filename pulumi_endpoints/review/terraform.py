"""Read ``terraform show -json PLANFILE`` (and, optionally, ``terraform show -json`` of the state).

Managed resources come from ``resource_changes``; secrets are masked by
``before_sensitive``/``after_sensitive`` and by attribute name (``show -json``
holds sensitive values in plaintext). Endpoint facts come from the
``endpoints_spec_file`` and ``endpoints_endpoint`` data sources: the plan reads them again, so the
plan knows the endpoints after the change; the state written by the last apply knows them before.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ..aws.policy import POLICIES, field_name
from ..errors import SpecError
from ..terraform import PREFIX
from .facts import spec_file_views, spec_views
from .masking import Masker
from .model import Action, EndpointView, PlanInput, ResourceChange
from .resources import make_change
from .sources import ReviewError, load_json

ENDPOINT_DATA = f"{PREFIX}endpoint"
SPEC_FILE_DATA = f"{PREFIX}spec_file"
ACTIONS = {("create",): Action.CREATE, ("update",): Action.UPDATE, ("delete",): Action.DELETE,
           ("delete", "create"): Action.REPLACE, ("create", "delete"): Action.REPLACE}


def read(text: str, source: str, state: tuple[str, str] | None = None) -> PlanInput:
    """``state``: (text, source) of ``terraform show -json`` run before the plan, for the endpoints' facts before."""
    plan = load_json(text, source)
    if not isinstance(plan.get("resource_changes", []), list) or "planned_values" not in plan:
        raise ReviewError(f"{source}: not the output of `terraform show -json PLANFILE` (no planned_values)")
    masker = Masker()
    changes = [_change(item, masker) for item in plan.get("resource_changes") or []]
    after = _views(_data_sources(plan.get("prior_state") or {}), source)
    before = None
    if state is not None:
        before = _views(_data_sources(load_json(*state)), state[1]) or {}
    return PlanInput(source=source, resources=tuple(c for c in changes if c is not None),
                     before=before, after=after or None, secrets=frozenset(masker.secrets))


def _change(item: Mapping[str, Any], masker: Masker) -> ResourceChange | None:
    change = item["change"]
    action = ACTIONS.get(tuple(change["actions"]))
    if item.get("mode") != "managed" or action is None:
        return None
    kind = item["type"].removeprefix(PREFIX)
    kind = kind if item["type"].startswith(PREFIX) and kind in POLICIES else item["type"]
    before, after = _renamed(change.get("before")), _renamed(change.get("after"))
    unknown = change.get("after_unknown") or {}
    return make_change(kind, _name(item, after or before or {}), action, before, after, masker,
                       before_sensitive=_renamed(change.get("before_sensitive")),
                       after_sensitive=_renamed(change.get("after_sensitive")),
                       unknown=frozenset(field_name(k) for k, v in unknown.items() if v is True))


def _renamed(values: Any) -> Any:
    if not isinstance(values, dict):
        return values
    return {field_name(key): value for key, value in values.items()}


def _name(item: Mapping[str, Any], attributes: Mapping[str, Any]) -> str:
    for key in ("secret_id", "subnet_id", "name"):  # what AWS knows it by, before a Terraform-only name
        if isinstance(attributes.get(key), str) and attributes[key]:
            return str(attributes[key])
    return str(item.get("index", item["address"]))


def _data_sources(document: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    modules = [(document.get("values") or {}).get("root_module") or {}]
    while modules:
        module = modules.pop()
        modules += module.get("child_modules") or []
        for resource in module.get("resources") or []:
            if resource.get("mode") == "data" and resource.get("type") in (ENDPOINT_DATA, SPEC_FILE_DATA):
                yield resource


def _views(data_sources: Iterator[Mapping[str, Any]], source: str) -> dict[str, EndpointView]:
    result: dict[str, EndpointView] = {}
    for resource in data_sources:
        values = resource.get("values") or {}
        try:
            if resource["type"] == SPEC_FILE_DATA and isinstance(values.get("content"), str):
                result |= spec_file_views(values["content"], values.get("workspace"))
            elif isinstance(values.get("spec"), str):
                result |= spec_views(values["spec"], values.get("workspace"))
        except SpecError as error:
            raise ReviewError(f"{source}: data.{resource['type']} holds a spec that does not expand "
                              f"(at {', '.join(error.paths) or 'the top level'})") from None
    return result
