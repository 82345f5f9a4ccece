"""Metrics pulling: a PodMonitor for the Prometheus Operator."""

from __future__ import annotations

from ..spec.endpoint import SCRAPE_INTERVAL_SECONDS
from .containers import server
from .model import Manifest
from .plan import EndpointPlan
from .workload import metadata


def pod_monitor(plan: EndpointPlan) -> list[Manifest]:
    """Prometheus scrapes the replicas, unless turned off or the image serves no metrics (the web UI)."""
    facts = server(plan).facts
    if not plan.spec.metrics.pull or (facts is not None and facts.metrics is None):
        return []
    return [{"apiVersion": "monitoring.coreos.com/v1", "kind": "PodMonitor",
             "metadata": metadata(plan, plan.name),
             "spec": {"selector": {"matchLabels": plan.selector},
                      "podMetricsEndpoints": [{"port": "http", "path": plan.spec.metrics.path,
                                               "interval": f"{SCRAPE_INTERVAL_SECONDS}s"}]}}]
