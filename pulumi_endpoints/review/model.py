"""The review's model: what a plan source says, and what the review makes of it.

Every source (Terraform plan JSON, Pulumi preview JSON, two spec sets) is read
into a :class:`PlanInput`: resource changes with policy-table attribute names and
secrets already masked, plus the endpoints' facts before and after where the
source carries them. :func:`pulumi_endpoints.review.changes.review` turns that
into a :class:`Review` grouped by endpoint.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal

from ..blueprint.cost import CostBand
from ..blueprint.model import ColdStart, EndpointSummary


class Action(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    REPLACE = "replace"
    DELETE = "delete"


@dataclass(frozen=True)
class ResourceChange:
    """One resource that changes. ``kind`` is a policy-table kind (``node_pool`` …) or,
    for anything else, its type (a Kubernetes kind, a Terraform type)."""

    kind: str
    name: str
    action: Action
    before: Mapping[str, Any] | None
    after: Mapping[str, Any] | None
    owner: str | None = None  # the endpoint; None for what the workspace shares
    unknown: frozenset[str] = frozenset()  # attributes known only after apply
    changed: tuple[str, ...] = ()  # policy-table attributes that change, in table order
    replaces: tuple[str, ...] = ()  # the subset of ``changed`` that forces replacement


@dataclass(frozen=True)
class EndpointView:
    """An endpoint's facts on one side of the change (from ``expand``)."""

    summary: EndpointSummary
    public: bool
    tokens: tuple[str, ...]  # secrets holding accepted bearer tokens
    autoscaling: str  # the spec's autoscaling mode
    scale_from_zero: bool  # something wakes it on the first request (KEDA HTTP add-on)
    writes_into: tuple[str, ...] = ()  # other endpoints whose mounted folders it can change
    reads: tuple[str, ...] = ()  # ids of the Secrets Manager entries its pods get (through External Secrets)


Views = Mapping[str, EndpointView]


@dataclass(frozen=True)
class PlanInput:
    source: str
    resources: tuple[ResourceChange, ...]
    before: Views | None  # None: this source does not tell
    after: Views | None
    secrets: frozenset[str] = frozenset()  # masked values, scrubbed from any output as well
    hidden: str | None = None  # why the views cover only some endpoints (their totals are then unknown)


RiskKind = Literal["replace", "delete", "public", "token", "scale-to-zero", "shared-write", "spot"]
RISK_KINDS: tuple[RiskKind, ...] = ("replace", "delete", "public", "token", "scale-to-zero", "shared-write", "spot")
Status = Literal["added", "replaced", "changed", "deleted"]


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class Risk:
    kind: RiskKind
    subject: str  # the endpoint or the workspace
    message: str


@dataclass(frozen=True)
class Group:
    """The changes of one endpoint, or of what the workspace shares (``endpoint=False``)."""

    name: str
    status: Status
    fields: tuple[FieldChange, ...]
    resources: tuple[ResourceChange, ...]
    risks: tuple[Risk, ...]
    cost_before: CostBand | None = None
    cost_after: CostBand | None = None
    endpoint: bool = True
    cold_start: ColdStart | None = None  # a new replica's start-up, estimated, for added and changed endpoints


@dataclass(frozen=True)
class Review:
    source: str
    groups: tuple[Group, ...]
    cost_before: CostBand | None
    cost_after: CostBand | None
    secrets: frozenset[str] = field(default=frozenset(), repr=False)
    unknown_cost: str = "the input does not carry the endpoints' specs"  # why a cost is unknown

    @property
    def risks(self) -> tuple[Risk, ...]:
        return tuple(risk for group in self.groups for risk in group.risks)

    @property
    def has_changes(self) -> bool:
        return bool(self.groups)

    def count(self, status: Status) -> int:
        return sum(1 for group in self.groups if group.endpoint and group.status == status)
