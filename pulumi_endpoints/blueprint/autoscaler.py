"""Autoscaler objects: KEDA HTTP add-on for scale-to-zero, KEDA ScaledObject for QPM and GPU."""

from __future__ import annotations

from ..labels import MANAGED_BY, MANAGED_BY_LABEL, WORKSPACE_LABEL
from ..spec.endpoint import MAX_TIMEOUT, SCALE_TO_ZERO_CONCURRENCY
from ..spec.workspace import WorkspaceSpec
from . import naming
from .containers import server
from .gateway import duration, routes_through_interceptor
from .model import Manifest
from .plan import EndpointPlan
from .startup import scale_from_zero_wait
from .workload import NAMESPACE_NAME_LABEL, SERVICE_PORT, metadata

POLLING_INTERVAL = 15
COOLDOWN_PERIOD = 300


def autoscaler(plan: EndpointPlan) -> list[Manifest]:
    scaling = plan.spec.autoscaling
    if scaling.scale_to_zero is not None:
        return [{
            "apiVersion": "http.keda.sh/v1alpha1", "kind": "HTTPScaledObject",
            "metadata": metadata(plan, plan.name),
            "spec": {
                "hosts": [plan.host],
                "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": plan.name,
                                   "service": plan.name, "port": SERVICE_PORT},
                "replicas": {"min": plan.min_replicas, "max": plan.max_replicas},
                "scaledownPeriod": scaling.scale_to_zero.no_traffic_timeout,
                "scalingMetric": {"concurrency": {"targetValue": SCALE_TO_ZERO_CONCURRENCY}},
                "timeouts": interceptor_timeouts(plan),
            },
        }]
    if scaling.qpm is not None:
        return [_scaled_object(plan, query=qpm_query(plan), threshold=scaling.qpm.target_qpm,
                               metric_type="AverageValue")]
    if scaling.gpu_utilization is not None:
        return [_scaled_object(plan, query=gpu_query(plan), threshold=scaling.gpu_utilization.target_percent,
                               metric_type="Value")]
    if scaling.queue is not None:
        return [_scaled_object(plan, query=queue_query(plan), threshold=scaling.queue.target_waiting,
                               metric_type="AverageValue")]
    return []


def interceptor_timeouts(plan: EndpointPlan) -> dict[str, str]:
    """The interceptor holds a request for the first replica as long as a replica may take to start,
    then waits for its response headers as long as the route gives the response. The add-on (from
    v0.11) ignores a zero duration here for its global default, so "no limit" is the longest one."""
    request = plan.spec.timeouts.request or MAX_TIMEOUT
    return {"conditionWait": duration(scale_from_zero_wait(plan)), "responseHeader": duration(request)}


def qpm_query(plan: EndpointPlan) -> str:
    """Requests per minute to the endpoint, optionally only some methods and paths."""
    qpm = plan.spec.autoscaling.qpm
    assert qpm is not None
    selectors = [plan.service_matchers]
    if qpm.methods:
        selectors.append(f'http_request_method=~"{"|".join(qpm.methods)}"')
    if qpm.paths:
        selectors.append(f'http_route=~"{"|".join(_regex_escape(p) for p in qpm.paths)}"')
    metric = plan.workspace.monitoring.request_metric
    return f"sum(rate({metric}{{{','.join(selectors)}}}[1m])) * 60"


def gpu_query(plan: EndpointPlan) -> str:
    metric = plan.workspace.monitoring.gpu_metric
    return f"avg({metric}{{{plan.pod_matchers}}})"


def queue_query(plan: EndpointPlan) -> str | None:
    """Requests waiting in the engine's queue, summed over the replicas (the PodMonitor scrapes the
    engine's /metrics; KEDA divides by the replica count: AverageValue); None without such a metric."""
    facts = server(plan).facts
    if facts is None or facts.queue_metric is None:
        return None
    return f"sum({facts.queue_metric}{{{plan.pod_matchers}}})"


def _regex_escape(path: str) -> str:
    return "".join("\\\\" + c if c in ".+*?()[]{}|^$\\" else c for c in path)


def _scaled_object(plan: EndpointPlan, *, query: str | None, threshold: float, metric_type: str) -> Manifest:
    return {
        "apiVersion": "keda.sh/v1alpha1", "kind": "ScaledObject", "metadata": metadata(plan, plan.name),
        "spec": {
            "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": plan.name},
            "minReplicaCount": plan.min_replicas, "maxReplicaCount": plan.max_replicas,
            "pollingInterval": POLLING_INTERVAL, "cooldownPeriod": COOLDOWN_PERIOD,
            "triggers": [{"type": "prometheus", "metricType": metric_type, "metadata": {
                "serverAddress": plan.workspace.monitoring.prometheus_url,
                "query": query or "", "threshold": f"{threshold:g}"}}],  # no query: refused by the checks
        },
    }


def interceptor_policy(workspace: WorkspaceSpec, plans: list[EndpointPlan]) -> list[Manifest]:
    """The workspace's NetworkPolicy on the KEDA interceptor's pods (``keda.restrict_interceptor``).

    The interceptor routes by Host header to any HTTPScaledObject, so without it any pod could reach
    a private scale-to-zero endpoint around the gateway's token check. Ports by name, as both the Helm
    chart and the add-on's kustomize manifests name them (kedacore/charts@1444d00
    http-add-on/templates/interceptor/deployment.yaml; kedacore/http-add-on config/interceptor/
    deployment.yaml): proxy and proxy-tls from the gateway's proxies only; admin (the scaler reads the
    queue there) and metrics from anywhere, as before. NetworkPolicies add up: another workspace's
    policy on the same interceptor admits its own gateway too.
    """
    keda = workspace.keda
    if not keda.restrict_interceptor or not any(routes_through_interceptor(plan) for plan in plans):
        return []
    gateway = {"namespaceSelector": {"matchLabels": {NAMESPACE_NAME_LABEL: workspace.gateway.proxy_namespace}}}
    return [{
        "apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
        "metadata": {"name": naming.interceptor_policy(workspace.name), "namespace": keda.namespace,
                     "labels": {MANAGED_BY_LABEL: MANAGED_BY, WORKSPACE_LABEL: workspace.name}},
        "spec": {"podSelector": {"matchLabels": dict(keda.interceptor_pod_labels)}, "policyTypes": ["Ingress"],
                 "ingress": [{"from": [gateway], "ports": [{"protocol": "TCP", "port": "proxy"},
                                                           {"protocol": "TCP", "port": "proxy-tls"}]},
                             {"ports": [{"protocol": "TCP", "port": "admin"},
                                        {"protocol": "TCP", "port": "metrics"}]}]},
    }]
