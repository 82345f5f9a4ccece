"""What a replica (pod) of an endpoint is doing, read from its pod status."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..labels import APPROVAL_CONDITION
from .kube import ClusterError

if TYPE_CHECKING:
    from kubernetes.client import V1Pod, V1PodCondition

# Container waiting reasons that do not resolve without a change (image, config, crash).
FAILURES = frozenset({"CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull", "InvalidImageName",
                      "CreateContainerConfigError", "CreateContainerError", "RunContainerError"})
WAITING_FOR_APPROVAL = "waiting for approval"


@dataclass(frozen=True)
class Replica:
    name: str
    ready: bool
    reason: str  # empty when ready
    blocked: bool = False  # cannot become ready without someone acting (a failure, an approval)


def requires_approval(pod: V1Pod) -> bool:
    gates = pod.spec.readiness_gates or []
    return any(gate.condition_type == APPROVAL_CONDITION for gate in gates)


def approved(pod: V1Pod) -> bool:
    return _is_true(pod, APPROVAL_CONDITION)


def _condition(pod: V1Pod, kind: str) -> V1PodCondition | None:
    conditions = (pod.status.conditions if pod.status else None) or []
    return next((c for c in conditions if c.type == kind), None)


def _is_true(pod: V1Pod, kind: str) -> bool:
    condition = _condition(pod, kind)
    return condition is not None and condition.status == "True"


def replica(pod: V1Pod) -> Replica:
    """The pod's readiness and, when it is not ready, why."""
    name = pod.metadata.name
    if pod.metadata.deletion_timestamp:
        return Replica(name, False, "terminating")
    if _is_true(pod, "Ready"):
        return Replica(name, True, "")
    status = pod.status
    if status is None:
        return Replica(name, False, "pending")
    scheduled = _condition(pod, "PodScheduled")
    if scheduled is not None and scheduled.status == "False":
        detail = f": {scheduled.message}" if scheduled.message else ""
        return Replica(name, False, f"waiting for a node{detail}")
    if status.phase in ("Failed", "Succeeded"):
        return Replica(name, False, f"exited ({status.reason or status.phase})", blocked=True)
    for container in status.container_statuses or []:
        waiting = container.state.waiting if container.state else None
        if waiting and waiting.reason in FAILURES:
            detail = f": {waiting.message}" if waiting.message else ""
            return Replica(name, False, f"{waiting.reason}{detail}", blocked=True)
        if waiting:
            return Replica(name, False, f"starting ({waiting.reason or 'waiting'})")
        if not container.ready:
            return Replica(name, False, "starting (readiness probe not passing yet)")
    if status.container_statuses and requires_approval(pod) and not approved(pod):
        return Replica(name, False, WAITING_FOR_APPROVAL, blocked=True)
    return Replica(name, False, "starting")


def pick(pods: list[V1Pod], endpoint: str, wanted: str) -> V1Pod:
    """The pod called ``wanted``, or the only one whose name ends with ``-wanted``."""
    exact = [p for p in pods if p.metadata.name == wanted]
    matches = exact or [p for p in pods if p.metadata.name.endswith(f"-{wanted}")]
    if len(matches) == 1:
        return matches[0]
    names = ", ".join(p.metadata.name for p in pods)
    if not matches:
        raise ClusterError(f"endpoint {endpoint} has no replica {wanted} (replicas: {names})")
    raise ClusterError(f"replica {wanted} is ambiguous; name one of: {names}")
