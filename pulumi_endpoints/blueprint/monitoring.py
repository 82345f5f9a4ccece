"""Metrics pulling: a PodMonitor for the Prometheus Operator."""

from __future__ import annotations

from .model import Manifest
from .plan import EndpointPlan
from .workload import metadata

SCRAPE_INTERVAL = "30s"


def pod_monitor(plan: EndpointPlan) -> list[Manifest]:
    if not plan.spec.metrics.pull:
        return []
    return [{"apiVersion": "monitoring.coreos.com/v1", "kind": "PodMonitor",
             "metadata": metadata(plan, plan.name),
             "spec": {"selector": {"matchLabels": plan.selector},
                      "podMetricsEndpoints": [{"port": "http", "path": plan.spec.metrics.path,
                                               "interval": SCRAPE_INTERVAL}]}}]
