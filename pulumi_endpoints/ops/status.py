"""``endpoints status``: state, replicas, autoscaler bounds, URL and why replicas are not ready."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..blueprint.gateway import GATEWAY_API
from .kube import Cluster, CustomKind
from .replicas import WAITING_FOR_APPROVAL, Replica, replica

# The objects blueprint.autoscaler and blueprint.gateway write. Here, not in .kube, so that
# building the CLI does not import the blueprint. The KEDA apiVersions are literals there.
SCALED_OBJECT = CustomKind("keda.sh", "v1alpha1", "scaledobjects")
HTTP_SCALED_OBJECT = CustomKind("http.keda.sh", "v1alpha1", "httpscaledobjects")
HTTP_ROUTE = CustomKind(GATEWAY_API, "v1", "httproutes")

# KEDA's defaults when a ScaledObject leaves the bounds out.
KEDA_MIN_DEFAULT, KEDA_MAX_DEFAULT = 0, 100


@dataclass(frozen=True)
class EndpointStatus:
    name: str
    namespace: str
    state: str  # Starting, Ready, Not Ready, Scaling, Stopped
    ready: int
    desired: int
    autoscaler: str
    url: str | None
    replicas: list[Replica]


def state_of(desired: int, replicas: list[Replica]) -> str:
    ready = sum(r.ready for r in replicas)
    if desired == 0:
        return "Scaling" if replicas else "Stopped"
    if ready >= desired and len(replicas) == desired:
        return "Ready"
    if ready < desired and any(r.blocked for r in replicas):
        return "Not Ready"
    return "Starting" if ready == 0 else "Scaling"


def read(cluster: Cluster, endpoint: str) -> EndpointStatus:
    deployment = cluster.deployment(endpoint)
    desired = 1 if deployment.spec.replicas is None else int(deployment.spec.replicas)
    replicas = [replica(pod) for pod in cluster.pods(endpoint)]
    return EndpointStatus(
        name=endpoint, namespace=cluster.namespace, state=state_of(desired, replicas),
        ready=sum(r.ready for r in replicas), desired=desired,
        autoscaler=_autoscaler(cluster, endpoint, desired), url=_url(cluster, endpoint), replicas=replicas)


def _autoscaler(cluster: Cluster, endpoint: str, desired: int) -> str:
    scaled = cluster.custom_object(SCALED_OBJECT, endpoint)
    if scaled is not None:
        spec: dict[str, Any] = scaled.get("spec", {})
        low, high = spec.get("minReplicaCount", KEDA_MIN_DEFAULT), spec.get("maxReplicaCount", KEDA_MAX_DEFAULT)
        triggers = ", ".join(sorted({t.get("type", "?") for t in spec.get("triggers", [])}))
        return f"{low}-{high} replicas (KEDA ScaledObject, {triggers or 'no'} trigger)"
    http = cluster.custom_object(HTTP_SCALED_OBJECT, endpoint)
    if http is not None:
        spec = http.get("spec", {})
        bounds = spec.get("replicas", {})
        idle = spec.get("scaledownPeriod")
        after = f" after {idle} s without traffic" if idle is not None else ""
        return (f"{bounds.get('min', 0)}-{bounds.get('max', '?')} replicas "
                f"(KEDA HTTPScaledObject, scales to zero{after}, starts on the first request)")
    return f"fixed at {desired} replica{'s' if desired != 1 else ''}"


def _url(cluster: Cluster, endpoint: str) -> str | None:
    route = cluster.custom_object(HTTP_ROUTE, endpoint)
    hostnames = (route or {}).get("spec", {}).get("hostnames") or []
    return f"https://{hostnames[0]}" if hostnames else None


def render(status: EndpointStatus) -> str:
    lines = [
        f"endpoint    {status.name} (namespace {status.namespace})",
        f"state       {status.state}",
        f"replicas    {status.ready} ready / {status.desired} desired",
        f"autoscaler  {status.autoscaler}",
        f"url         {status.url or 'none (no HTTPRoute)'}",
    ]
    if not status.replicas:
        return "\n".join([*lines, "", "no replicas"])
    width = max(len("REPLICA"), *(len(r.name) for r in status.replicas))
    lines += ["", f"{'REPLICA'.ljust(width)}  READY  REASON"]
    for r in status.replicas:
        reason = r.reason
        if reason == WAITING_FOR_APPROVAL:
            reason += f" (endpoints approve {status.name} {r.name})"
        lines.append(f"{r.name.ljust(width)}  {'yes' if r.ready else 'no':<5}  {reason}".rstrip())
    return "\n".join(lines)
