"""Metrics pulling: a PodMonitor for the Prometheus Operator."""

from __future__ import annotations

from ..spec.endpoint import SCRAPE_INTERVAL_SECONDS
from .model import Manifest
from .plan import EndpointPlan
from .workload import metadata


def pod_monitor(plan: EndpointPlan) -> list[Manifest]:
    if not plan.spec.metrics.pull:
        return []
    return [{"apiVersion": "monitoring.coreos.com/v1", "kind": "PodMonitor",
             "metadata": metadata(plan, plan.name),
             "spec": {"selector": {"matchLabels": plan.selector},
                      "podMetricsEndpoints": [{"port": "http", "path": plan.spec.metrics.path,
                                               "interval": f"{SCRAPE_INTERVAL_SECONDS}s"}]}}]
