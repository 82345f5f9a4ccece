"""Access: the HTTPRoute on the workspace Gateway, and its policies.

The gateway implementation is Envoy Gateway (``SecurityPolicy`` for tokens and
IP allowlists, ``BackendTrafficPolicy`` for the stream idle timeout and header-hash
routing). Everything specific to it stays in this module so another implementation
can be added.

Timeouts: Envoy's route timeout defaults to 15 s and Envoy Gateway sets one only when
the HTTPRoute rule has ``timeouts.request``, so every route carries one (see
:class:`~pulumi_endpoints.spec.endpoint.Timeouts`).
"""

from __future__ import annotations

import re
from typing import Any

from ..labels import MANAGED_BY, MANAGED_BY_LABEL
from ..spec.workspace import WorkspaceSpec
from . import naming
from .model import Manifest
from .plan import EndpointPlan
from .startup import scale_from_zero_wait
from .workload import SERVICE_PORT, metadata

GATEWAY_API = "gateway.networking.k8s.io"
ENVOY_GATEWAY = "gateway.envoyproxy.io/v1alpha1"


def routes_through_interceptor(plan: EndpointPlan) -> bool:
    """Scale-to-zero endpoints are reached through the KEDA HTTP interceptor, which holds
    requests while the first replica starts (scale from zero)."""
    return plan.spec.autoscaling.scale_to_zero is not None


def route_timeout(plan: EndpointPlan) -> int:
    """Seconds the gateway gives a request (0: no limit); through the interceptor, its wait for the
    first replica comes first, so the route covers the cold start too."""
    request = plan.spec.timeouts.request
    if request and routes_through_interceptor(plan):
        return request + scale_from_zero_wait(plan)
    return request


_UNITS = (("h", 3600), ("m", 60), ("s", 1))
_DURATION = re.compile(r"([0-9]+)(h|ms|m|s)")


def duration(seconds: int) -> str:
    """A Gateway API duration (GEP-2257), also a Go duration: 1h30m, 10m, 0s."""
    parts = []
    for unit, size in _UNITS:
        count, seconds = divmod(seconds, size)
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts) or "0s"


def seconds(text: str) -> float:
    """The seconds of a duration as :func:`duration` writes it (ms too)."""
    sizes = {"h": 3600, "m": 60, "s": 1, "ms": 0.001}
    return sum(int(count) * sizes[unit] for count, unit in _DURATION.findall(text))


def _backend(plan: EndpointPlan) -> dict[str, Any]:
    if routes_through_interceptor(plan):
        keda = plan.workspace.keda
        return {"group": "", "kind": "Service", "name": keda.interceptor_service,
                "namespace": keda.namespace, "port": keda.interceptor_port}
    return {"group": "", "kind": "Service", "name": plan.name, "port": SERVICE_PORT}


def http_route(plan: EndpointPlan) -> Manifest:
    gateway = plan.workspace.gateway
    return {
        "apiVersion": f"{GATEWAY_API}/v1", "kind": "HTTPRoute", "metadata": metadata(plan, plan.name),
        "spec": {
            "parentRefs": [{"group": GATEWAY_API, "kind": "Gateway", "name": gateway.name,
                            "namespace": gateway.namespace}],
            "hostnames": [plan.host],
            "rules": [{"matches": [{"path": {"type": "PathPrefix", "value": "/"}}],
                       "backendRefs": [_backend(plan)],
                       "timeouts": {"request": duration(route_timeout(plan))}}],
        },
    }


def _target(plan: EndpointPlan) -> list[dict[str, str]]:
    return [{"group": GATEWAY_API, "kind": "HTTPRoute", "name": plan.name}]


def security_policy(plan: EndpointPlan) -> list[Manifest]:
    """Bearer tokens (unless public) and the IP allowlist, checked at the gateway."""
    access = plan.spec.access
    spec: dict[str, Any] = {"targetRefs": _target(plan)}
    if not access.public:
        spec["apiKeyAuth"] = {
            "credentialRefs": [{"group": "", "kind": "Secret", "name": naming.token_secret(plan.name)}],
            # Envoy's api_key_auth filter drops a leading "Bearer " from a header's value, so
            # "Authorization: Bearer <token>" matches the bare token stored in the Secret.
            "extractFrom": [{"headers": ["Authorization"]}],
        }
    if access.ip_allowlist:
        spec["authorization"] = {"defaultAction": "Deny", "rules": [
            {"name": "ip-allowlist", "action": "Allow", "principal": {"clientCIDRs": access.ip_allowlist}}]}
    if len(spec) == 1:
        return []
    return [{"apiVersion": ENVOY_GATEWAY, "kind": "SecurityPolicy",
             "metadata": metadata(plan, naming.access(plan.name)), "spec": spec}]


def traffic_policy(plan: EndpointPlan) -> list[Manifest]:
    """The stream idle timeout, and header-based replica routing: requests with the same header
    value reach the same replica."""
    routing = plan.spec.routing
    spec: dict[str, Any] = {"targetRefs": _target(plan),
                            "timeout": {"http": {"streamIdleTimeout": duration(plan.spec.timeouts.idle)}}}
    if routing.header_based:
        spec["loadBalancer"] = {"type": "ConsistentHash",
                                "consistentHash": {"type": "Header", "header": {"name": routing.header}}}
    return [{"apiVersion": ENVOY_GATEWAY, "kind": "BackendTrafficPolicy",
             "metadata": metadata(plan, naming.routing_policy(plan.name)), "spec": spec}]


def interceptor_grant(workspace: WorkspaceSpec, namespace: str, labels: dict[str, str]) -> Manifest:
    """Lets the HTTPRoutes of ``namespace`` send traffic to the KEDA interceptor's namespace."""
    keda = workspace.keda
    return {
        "apiVersion": f"{GATEWAY_API}/v1beta1", "kind": "ReferenceGrant",
        "metadata": {"name": naming.interceptor_grant(workspace.name, namespace), "namespace": keda.namespace,
                     "labels": labels},
        "spec": {"from": [{"group": GATEWAY_API, "kind": "HTTPRoute", "namespace": namespace}],
                 "to": [{"group": "", "kind": "Service", "name": keda.interceptor_service}]},
    }


def workspace_interceptor_grant(workspace: WorkspaceSpec, plans: list[EndpointPlan]) -> list[Manifest]:
    """One grant for the shared namespace, owned by the workspace (isolation: shared)."""
    if workspace.isolation != "shared" or not any(routes_through_interceptor(plan) for plan in plans):
        return []
    return [interceptor_grant(workspace, workspace.namespace, {MANAGED_BY_LABEL: MANAGED_BY})]


def endpoint_interceptor_grant(plan: EndpointPlan) -> list[Manifest]:
    """The endpoint's own grant, owned by the endpoint (isolation: namespace)."""
    if plan.workspace.isolation == "shared" or not routes_through_interceptor(plan):
        return []
    return [interceptor_grant(plan.workspace, plan.namespace, plan.labels)]
