"""The Grafana dashboard rendered with each endpoint: it loads, has the panels users expect, and
every PromQL label matcher selects what the rendered manifests actually create."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from pulumi_endpoints import labels as L
from pulumi_endpoints.blueprint import expand
from pulumi_endpoints.blueprint.autoscaler import gpu_query, qpm_query
from pulumi_endpoints.blueprint.dashboard import dashboard, queries
from pulumi_endpoints.blueprint.plan import EndpointPlan
from pulumi_endpoints.spec import load_file, parse_document
from pulumi_endpoints.spec.shapes import CATALOG

EXAMPLES_DIR = Path(__file__).parents[2] / "examples" / "specs"
EXAMPLES = sorted(EXAMPLES_DIR.glob("*.yaml"))
ALL_PANELS = ["Requests per second", "Latency percentiles", "Error rate (5xx)", "Replicas",
              "GPU utilization", "GPU memory used", "GPU temperature"]
SELECTOR = re.compile(r"\{([^{}]*)\}")
MATCHER = re.compile(r'\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"\s*(?:,|$)')
GROUPING = re.compile(r"\bby \(([^)]*)\)")
# Labels that belong to the metric itself, not to an object we render.
METRIC_ATTRIBUTES = {"http_response_status_code"}  # OpenTelemetry HTTP semantic conventions


def _dashboards(manifests: tuple[dict[str, Any], ...]) -> list[dict[str, Any]]:
    return [m for m in manifests if m["kind"] == "ConfigMap" and m["metadata"]["labels"].get("grafana_dashboard")]


def _matchers(expr: str) -> list[tuple[str, str, str]]:
    found = []
    for selector in SELECTOR.findall(expr):
        parsed = MATCHER.findall(selector)
        assert ",".join(f'{k}{op}"{v}"' for k, op, v in parsed) == selector.replace(" ", ""), selector
        found += parsed
    return found


def _check_matchers(expr: str, endpoint: str, manifests: tuple[dict[str, Any], ...]) -> None:
    """Each matcher names a label the manifests set, with a value they render, for this endpoint."""
    ours = [m for m in manifests if m["metadata"]["labels"].get(L.ENDPOINT_LABEL) == endpoint]
    deployment = next(m for m in ours if m["kind"] == "Deployment")
    names = {kind: {m["metadata"]["name"] for m in ours if m["kind"] == kind} for kind in ("Service", "Deployment")}
    pod = f"{deployment['metadata']['name']}-5d8f7c9b6-x2kq4"  # <deployment>-<template hash>-<suffix>
    for label, op, value in _matchers(expr):
        if label == "namespace":
            assert (op, value) == ("=", deployment["metadata"]["namespace"]), expr
        elif label == "service":
            assert op == "=" and value in names["Service"], expr
        elif label == "deployment":
            assert op == "=" and value in names["Deployment"], expr
        elif label == "pod":
            assert op == "=~" and re.fullmatch(value, pod), expr
            assert not re.fullmatch(value, f"{endpoint}-other-5d8f7c9b6-x2kq4"), "matches another endpoint's pods"
        else:
            assert label in METRIC_ATTRIBUTES, f"{label} is set by nothing we render: {expr}"
    for grouping in GROUPING.findall(expr):
        assert {g.strip() for g in grouping.split(",")} <= {"le", "pod"}, expr


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_every_query_names_only_labels_the_manifests_set(example: Path) -> None:
    blueprint = expand(load_file(example))
    configs = _dashboards(blueprint.manifests)
    assert len(configs) == len(blueprint.endpoints)
    for config, endpoint in zip(configs, blueprint.endpoints):
        (text,) = config["data"].values()
        board = json.loads(text)
        exprs = [t["expr"] for panel in board["panels"] for t in panel["targets"]]
        assert exprs
        for expr in exprs:
            _check_matchers(expr, endpoint.name, blueprint.manifests)


def test_a_gpu_endpoint_gets_every_panel_and_a_cpu_endpoint_no_gpu_panels() -> None:
    by_name = {p.stem: _dashboards(expand(load_file(p)).manifests)[0] for p in EXAMPLES}
    gpu = json.loads(by_name["llama3-8b"]["data"]["llama3-8b.json"])
    cpu = json.loads(by_name["http-server"]["data"]["http-server.json"])
    assert [p["title"] for p in gpu["panels"]] == ALL_PANELS
    assert [p["title"] for p in cpu["panels"]] == ALL_PANELS[:4]
    latency = gpu["panels"][1]["targets"]
    assert [t["legendFormat"] for t in latency] == ["p50", "p90", "p99"]
    assert all("http_server_request_duration_seconds_bucket" in t["expr"] for t in latency)


def test_the_config_map_is_found_by_grafanas_sidecar_and_carries_the_endpoint_labels() -> None:
    config = _dashboards(expand(load_file(EXAMPLES_DIR / "llama3-8b.yaml")).manifests)[0]
    assert config["metadata"]["name"] == "llama3-8b-dashboard"
    assert config["metadata"]["namespace"] == "endpoints-llama3-8b"
    assert config["metadata"]["labels"]["grafana_dashboard"] == "1"
    assert config["metadata"]["labels"][L.ENDPOINT_LABEL] == "llama3-8b"
    board = json.loads(config["data"]["llama3-8b.json"])
    assert board["uid"] == "endpoints-prod-llama3-8b" and len(board["uid"]) <= 40
    assert len({p["id"] for p in board["panels"]}) == len(board["panels"])
    cells = [(p["gridPos"]["x"], p["gridPos"]["y"]) for p in board["panels"]]
    assert len(set(cells)) == len(cells), "panels overlap"
    assert {t["datasource"]["uid"] for p in board["panels"] for t in p["targets"]} == {"${datasource}"}


def _plan(**autoscaling: Any) -> EndpointPlan:
    document = parse_document({"name": "demo", "resource_shape": "gpu.a10", "autoscaling": autoscaling,
                               "source": {"container": {"image": "python:3.10"}}})
    return EndpointPlan(document.endpoints[0], document.workspace, "", CATALOG["gpu.a10"])


def test_dashboard_selects_the_same_series_as_the_autoscalers() -> None:
    qpm = _plan(qpm={"min_replicas": 1, "max_replicas": 2, "target_qpm": 60})
    (_, qps), = queries(qpm)["Requests per second"]
    assert SELECTOR.findall(qps) == SELECTOR.findall(qpm_query(qpm))
    gpu = _plan(gpu_utilization={"min_replicas": 1, "max_replicas": 2})
    (_, utilization), = queries(gpu)["GPU utilization"]
    assert SELECTOR.findall(utilization) == SELECTOR.findall(gpu_query(gpu))


def test_a_long_name_keeps_the_uid_within_grafanas_limit() -> None:
    plan = _plan(replicas=1)
    long = EndpointPlan(plan.spec.model_copy(update={"name": "a" * 63}), plan.workspace, "", plan.shape)
    assert len(dashboard(long)["uid"]) <= 40
