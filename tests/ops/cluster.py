"""The day-2 commands' test cluster: what ``expand`` renders, put into the fake API server, and pods
in the states users meet; ``run`` calls ``endpoints`` in this process."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from pulumi_endpoints import labels as L
from pulumi_endpoints.blueprint import expand
from pulumi_endpoints.cli import main
from pulumi_endpoints.spec import parse_document

from .fake_api import FakeApi

NAMESPACE = "endpoints-demo"  # the endpoint's own namespace: <workspace namespace>-<endpoint>
WORKSPACE = {"name": "prod", "gateway": {"domain": "prod.example.com"}}
CONTAINER = {"container": {"image": "python:3.10", "command": ["python3", "-m", "http.server", "8080"]}}
TEMPLATE_HASH = "5d8f7c9b6"
STARTED = "2025-01-01T00:00:00Z"


def deploy(api: FakeApi, desired: int | None = None, isolation: str = "namespace", **fields: Any) -> dict[str, Any]:
    """Render endpoint ``demo`` and store its Deployment, autoscaler and HTTPRoute on the server."""
    workspace = {**WORKSPACE, "isolation": isolation}
    document = parse_document({"workspace": workspace, "name": "demo", "source": CONTAINER, **fields})
    deployment: dict[str, Any] = {}
    for manifest in expand(document).manifests:
        if manifest["kind"] in ("Deployment", "ScaledObject", "HTTPScaledObject", "HTTPRoute"):
            manifest = copy.deepcopy(manifest)
            if manifest["kind"] == "Deployment":
                deployment = manifest
                if desired is not None:  # what the autoscaler last set
                    manifest["spec"]["replicas"] = desired
            api.add(manifest)
    return deployment


def add_pod(api: FakeApi, deployment: dict[str, Any], suffix: str, state: str) -> str:
    """A pod of ``deployment`` in ``state``: ready, approval (waiting for it), creating, probing,
    crashloop or unschedulable."""
    template = deployment["spec"]["template"]
    name = f"{deployment['metadata']['name']}-{TEMPLATE_HASH}-{suffix}"
    gated = bool(template["spec"].get("readinessGates"))
    api.pods[name] = {
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "namespace": deployment["metadata"]["namespace"], "labels": template["metadata"]["labels"],
                     "creationTimestamp": f"2025-01-01T00:00:{len(api.pods):02d}Z"},
        "spec": copy.deepcopy(template["spec"]),
        "status": _status(state, gated),
    }
    return name


def _status(state: str, gated: bool) -> dict[str, Any]:
    if state == "unschedulable":
        return {"phase": "Pending", "conditions": [
            {"type": "PodScheduled", "status": "False", "reason": "Unschedulable",
             "message": "0/3 nodes are available: 3 Insufficient nvidia.com/gpu."}]}
    running = state in ("ready", "approval", "probing")
    waiting = {"creating": {"reason": "ContainerCreating"},
               "crashloop": {"reason": "CrashLoopBackOff",
                             "message": "back-off 5m0s restarting failed container=main"}}.get(state)
    containers_ready = state in ("ready", "approval")
    container = {"name": "main", "image": "python:3.10", "imageID": "", "restartCount": 0,
                 "ready": containers_ready,
                 "state": {"running": {"startedAt": STARTED}} if running else {"waiting": waiting}}
    if state == "crashloop":
        container["lastState"] = {"terminated": {"exitCode": 1, "reason": "Error"}}
    ready = containers_ready and (state == "ready")
    conditions = [{"type": "PodScheduled", "status": "True"},
                  {"type": "ContainersReady", "status": str(containers_ready)},
                  {"type": "Ready", "status": str(ready)}]
    if gated and state == "ready":
        conditions.append({"type": L.APPROVAL_CONDITION, "status": "True"})
    return {"phase": "Running" if running else "Pending", "conditions": conditions,
            "containerStatuses": [container]}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """``endpoints ARGV`` in this process: exit code, stdout, stderr."""
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err
