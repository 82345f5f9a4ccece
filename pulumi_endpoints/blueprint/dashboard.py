"""A Grafana dashboard per endpoint, in a ConfigMap that Grafana's dashboard sidecar loads.

The queries select the endpoint by the labels its objects carry: the request metric by
``namespace`` and ``service`` (the Service named after the endpoint, as the QPM autoscaler does),
kube-state-metrics by ``namespace`` and ``deployment``, the NVIDIA DCGM exporter by ``namespace``
and ``pod`` (the Deployment's pods, ``<endpoint>-<hash>-<suffix>``).
"""

from __future__ import annotations

import json
from typing import Any

from ..labels import MANAGED_BY
from . import naming
from .model import Manifest
from .plan import EndpointPlan
from .workload import metadata

SIDECAR_LABEL = "grafana_dashboard"
RATE_WINDOW = "5m"
LATENCY_QUANTILES = (0.5, 0.9, 0.99)
GPU_MEMORY_METRIC = "DCGM_FI_DEV_FB_USED"  # MiB
GPU_TEMPERATURE_METRIC = "DCGM_FI_DEV_GPU_TEMP"  # degrees Celsius
PANEL_WIDTH, PANEL_HEIGHT = 12, 8
UNITS = {"Requests per second": "reqps", "Latency percentiles": "s", "Error rate (5xx)": "percentunit",
         "Replicas": "short", "GPU utilization": "percent", "GPU memory used": "mbytes",
         "GPU temperature": "celsius"}


def _request_selector(plan: EndpointPlan, *extra: str) -> str:
    return ",".join([plan.service_matchers, *extra])


def _deployment_selector(plan: EndpointPlan) -> str:
    return f'namespace="{plan.namespace}",deployment="{plan.name}"'


def _target(expr: str, legend: str, ref: str) -> dict[str, Any]:
    return {"datasource": {"type": "prometheus", "uid": "${datasource}"}, "expr": expr,
            "legendFormat": legend, "refId": ref}


def queries(plan: EndpointPlan) -> dict[str, list[tuple[str, str]]]:
    """Panel title -> (legend, PromQL) for each series; GPU panels only for GPU shapes."""
    counter = plan.workspace.monitoring.request_metric
    buckets = f"{counter.removesuffix('_count')}_bucket"
    requests = _request_selector(plan)
    errors = _request_selector(plan, 'http_response_status_code=~"5.."')
    window = RATE_WINDOW
    panels = {
        "Requests per second": [("requests/s", f"sum(rate({counter}{{{requests}}}[{window}]))")],
        "Latency percentiles": [
            (f"p{q * 100:g}", f"histogram_quantile({q:g}, sum by (le) (rate({buckets}{{{requests}}}[{window}])))")
            for q in LATENCY_QUANTILES],
        "Error rate (5xx)": [("5xx share", f"sum(rate({counter}{{{errors}}}[{window}])) "
                                           f"/ sum(rate({counter}{{{requests}}}[{window}]))")],
        "Replicas": [("desired", f"kube_deployment_spec_replicas{{{_deployment_selector(plan)}}}"),
                     ("ready", f"kube_deployment_status_replicas_ready{{{_deployment_selector(plan)}}}")],
    }
    if plan.shape.is_gpu:
        pods = plan.pod_matchers
        panels |= {
            "GPU utilization": [("{{pod}}", f"avg by (pod) ({plan.workspace.monitoring.gpu_metric}{{{pods}}})")],
            "GPU memory used": [("{{pod}}", f"sum by (pod) ({GPU_MEMORY_METRIC}{{{pods}}})")],
            "GPU temperature": [("{{pod}}", f"max by (pod) ({GPU_TEMPERATURE_METRIC}{{{pods}}})")],
        }
    return panels


def _panel(index: int, title: str, series: list[tuple[str, str]]) -> dict[str, Any]:
    refs = "ABCDEFGH"
    return {
        "id": index + 1, "type": "timeseries", "title": title,
        "datasource": {"type": "prometheus", "uid": "${datasource}"},
        "gridPos": {"h": PANEL_HEIGHT, "w": PANEL_WIDTH, "x": (index % 2) * PANEL_WIDTH,
                    "y": (index // 2) * PANEL_HEIGHT},
        "fieldConfig": {"defaults": {"unit": UNITS[title]}, "overrides": []},
        "targets": [_target(expr, legend, refs[i]) for i, (legend, expr) in enumerate(series)],
    }


def dashboard(plan: EndpointPlan) -> dict[str, Any]:
    """The Grafana dashboard model (JSON) of one endpoint."""
    return {
        "uid": naming.dashboard_uid(plan.workspace.name, plan.name),
        "title": f"Endpoint {plan.name} ({plan.workspace.name})",
        "tags": [MANAGED_BY, plan.workspace.name],
        "timezone": "browser", "schemaVersion": 39, "refresh": "30s",
        "time": {"from": "now-6h", "to": "now"},
        "templating": {"list": [{"name": "datasource", "label": "Data source", "type": "datasource",
                                 "query": "prometheus"}]},
        "panels": [_panel(i, title, series) for i, (title, series) in enumerate(queries(plan).items())],
    }


def config_map(plan: EndpointPlan) -> Manifest:
    meta = metadata(plan, naming.dashboard(plan.name))
    meta["labels"] = {**meta["labels"], SIDECAR_LABEL: "1"}
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta,
            # Compact: the indenting encoder is pure Python and tripled the time of expand().
            "data": {f"{plan.name}.json": json.dumps(dashboard(plan), separators=(",", ":"))}}
