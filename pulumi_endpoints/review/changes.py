"""Group resource changes by endpoint and say what each endpoint's change is."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..aws.policy import POLICIES
from ..blueprint.cost import CostBand, cost_band, total
from .model import Action, EndpointView, FieldChange, Group, PlanInput, ResourceChange, Review, Status, Views
from .resources import show
from .risks import endpoint_risks, resource_risks

WORKSPACE = "workspace (shared)"
ROTATED = "a new value, which replicas read when they restart (External Secrets syncs it within 1 h)"
NOTHING = CostBand(0.0, 0.0)
ENDPOINT_FIELDS: tuple[tuple[str, Callable[[EndpointView], object]], ...] = (
    ("shape", lambda v: v.summary.shape),
    ("min replicas", lambda v: v.summary.min_replicas),
    ("max replicas", lambda v: v.summary.max_replicas),
    ("autoscaling", lambda v: v.autoscaling),
    ("access", lambda v: "public" if v.public else "private"),
    ("tokens", lambda v: list(v.tokens)),
    ("URL", lambda v: v.summary.url),
)


def review(plan: PlanInput) -> Review:
    before, after = plan.before or {}, plan.after or {}
    names = sorted({*before, *after, *(r.owner for r in plan.resources if r.owner)})
    owned: dict[str | None, list[ResourceChange]] = {}
    for change in plan.resources:
        owned.setdefault(change.owner or _by_name(change.name, names), []).append(change)
    shared = _sorted(owned.get(None, []))
    rotated = _rotated(shared, after)
    groups = [group for name in names
              if (group := _endpoint(name, _sorted(owned.get(name, [])), before.get(name), after.get(name), plan,
                                     rotated.get(name, [])))]
    gone = {g.name for g in groups if g.status == "deleted"}
    if shared:
        readers: dict[str, tuple[list[str], list[str]]] = {}
        for index, side in enumerate((before, {n: v for n, v in after.items() if n not in gone})):
            for name, view in sorted(side.items()):
                for secret_id in view.reads:
                    readers.setdefault(secret_id, ([], []))[index].append(name)
        groups.append(Group(WORKSPACE, "changed", (), shared, tuple(resource_risks(WORKSPACE, shared, readers)),
                            endpoint=False))
    new = {g.name for g in groups if g.status == "added"}
    if plan.hidden:
        return Review(source=plan.source, groups=tuple(groups), cost_before=None, cost_after=None,
                      secrets=plan.secrets, unknown_cost=plan.hidden)
    return Review(source=plan.source, groups=tuple(groups), cost_before=_total(plan.before, new),
                  cost_after=_total(plan.after, gone), secrets=plan.secrets)


def endpoint_fields(before: EndpointView, after: EndpointView) -> tuple[FieldChange, ...]:
    return tuple(FieldChange(label, show(get(before)), show(get(after)))
                 for label, get in ENDPOINT_FIELDS if get(before) != get(after))


def _rotated(shared: Sequence[ResourceChange], after: Views) -> dict[str, list[str]]:
    """The endpoints that read a secret whose value changes: endpoint -> secret names."""
    rotated: dict[str, list[str]] = {}
    for change in shared:
        if change.kind == "secret" and change.action is Action.UPDATE and "value" in change.changed:
            secret_id = (change.after or change.before or {}).get("secret_id") or change.name
            for name, view in after.items():
                if secret_id in view.reads:
                    rotated.setdefault(name, []).append(change.name)
    return rotated


def _endpoint(name: str, resources: tuple[ResourceChange, ...], before: EndpointView | None,
              after: EndpointView | None, plan: PlanInput, rotated: Sequence[str] = ()) -> Group | None:
    pool = next((r.action for r in resources if r.kind == "node_pool"), None)
    fields = endpoint_fields(before, after) if before and after else ()
    fields += tuple(FieldChange(f"secret {secret}", "its value", ROTATED) for secret in rotated)
    status: Status
    if pool is Action.DELETE or (after is None and before is not None and plan.after is not None):
        status = "deleted"
    elif pool is Action.CREATE or (before is None and after is not None and plan.before is not None):
        status = "added"
    elif pool is Action.REPLACE:
        status = "replaced"
    elif fields or resources:
        status = "changed"
    else:
        return None
    risks = resource_risks(name, resources) + endpoint_risks(name, before, after, plan.before is not None)
    return Group(name, status, fields, resources, tuple(risks),
                 cost_before=NOTHING if status == "added" else _band(before, plan.before, plan.hidden),
                 cost_after=NOTHING if status == "deleted" else _band(after, plan.after, plan.hidden),
                 cold_start=after.summary.cold_start if after is not None and status != "deleted" else None)


def _band(view: EndpointView | None, side: Views | None, hidden: str | None) -> CostBand | None:
    if view is not None:
        return cost_band(view.summary)
    return NOTHING if side is not None and not hidden else None


def _total(side: Views | None, absent: set[str]) -> CostBand | None:
    """The cost of every endpoint the side knows, but those the plan shows absent on that side."""
    return None if side is None else total(v.summary for name, v in side.items() if name not in absent)


def _by_name(resource: str, endpoints: Sequence[str]) -> str | None:
    """An endpoint whose name the resource's name starts or ends with (the longest such name)."""
    matches = [n for n in endpoints if resource == n or resource.startswith(f"{n}-") or resource.endswith(f"-{n}")]
    return max(matches, key=len, default=None)


def _sorted(resources: list[ResourceChange]) -> tuple[ResourceChange, ...]:
    order = {kind: index for index, kind in enumerate(POLICIES)}
    return tuple(sorted(resources, key=lambda r: (order.get(r.kind, len(order)), r.kind, r.name)))
