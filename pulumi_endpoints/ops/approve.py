"""``endpoints approve``: set the readiness-gate condition of replicas that wait for approval."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from ..labels import APPROVAL_CONDITION
from .kube import Cluster, ClusterError
from .replicas import approved, pick, requires_approval


def approval_patch(now: datetime) -> dict[str, Any]:
    """The strategic merge patch of the pod status: conditions merge by their ``type``."""
    return {"status": {"conditions": [{
        "type": APPROVAL_CONDITION, "status": "True", "reason": "Approved",
        "message": "approved with endpoints approve",
        "lastTransitionTime": now.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }]}}


def approve(cluster: Cluster, endpoint: str, replica: str | None = None, every: bool = False) -> int:
    pods = cluster.existing_pods(endpoint)
    if not any(requires_approval(p) for p in pods):
        raise ClusterError(f"endpoint {endpoint} does not require approval "
                           f"(its replicas have no {APPROVAL_CONDITION} readiness gate)")
    waiting = [p for p in pods if requires_approval(p) and not approved(p)]
    if replica:
        pod = pick(pods, endpoint, replica)
        if pod not in waiting:
            why = "is already approved" if requires_approval(pod) else "does not need approval"
            print(f"replica {pod.metadata.name} {why}")
            return 0
        waiting = [pod]
    elif not every:
        names = ", ".join(p.metadata.name for p in waiting) or "none"
        raise ClusterError(f"name the replica to approve or pass --all (waiting for approval: {names})")
    if not waiting:
        print(f"no replica of {endpoint} is waiting for approval")
        return 0
    patch = approval_patch(datetime.now(timezone.utc))
    for pod in waiting:
        cluster.patch_pod_status(pod.metadata.name, patch)
        print(f"approved {pod.metadata.name}")
    return 0
