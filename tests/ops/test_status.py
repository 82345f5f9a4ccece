"""``endpoints status`` against a fake API server: the state, bounds, URL and per-replica reasons."""

from __future__ import annotations

from pathlib import Path

import pytest

from .cluster import add_pod, deploy, run
from .fake_api import FakeApi

QPM = {"qpm": {"min_replicas": 1, "max_replicas": 4, "target_qpm": 300}}
TO_ZERO = {"scale_to_zero": {"max_replicas": 2, "no_traffic_timeout": 600}}


def _status(capsys: pytest.CaptureFixture[str], kubeconfig: Path) -> dict[str, str]:
    code, out, err = run(capsys, "status", "demo", "--kubeconfig", str(kubeconfig))
    assert (code, err) == (0, "")
    head, _, _ = out.partition("\n\n")
    return {line[:12].strip(): line[12:] for line in head.splitlines()}


@pytest.mark.parametrize(("desired", "pods", "state", "ready"), [
    (2, ["ready", "ready"], "Ready", "2 ready / 2 desired"),
    (1, ["creating"], "Starting", "0 ready / 1 desired"),
    (1, [], "Starting", "0 ready / 1 desired"),
    (2, ["ready", "probing"], "Scaling", "1 ready / 2 desired"),
    (1, ["ready", "ready"], "Scaling", "2 ready / 1 desired"),
    (1, ["crashloop"], "Not Ready", "0 ready / 1 desired"),
    (0, [], "Stopped", "0 ready / 0 desired"),
    (0, ["ready"], "Scaling", "1 ready / 0 desired"),
], ids=["ready", "starting", "starting-no-pods", "scaling-up", "scaling-down", "not-ready-crashloop",
        "stopped", "scaling-to-zero"])
def test_status_state_from_the_fake_api_server(api: FakeApi, kubeconfig: Path, capsys: pytest.CaptureFixture[str],
                                               desired: int, pods: list[str], state: str, ready: str) -> None:
    deployment = deploy(api, desired=desired, autoscaling=QPM)
    for i, pod_state in enumerate(pods):
        add_pod(api, deployment, f"r{i}", pod_state)
    fields = _status(capsys, kubeconfig)
    assert fields["state"] == state
    assert fields["replicas"] == ready


def test_status_shows_bounds_url_and_why_each_replica_is_not_ready(
        api: FakeApi, kubeconfig: Path, capsys: pytest.CaptureFixture[str]) -> None:
    deployment = deploy(api, desired=3, autoscaling=QPM, resource_shape="gpu.a10", require_approval=True)
    ready = add_pod(api, deployment, "aaaaa", "ready")
    waiting = add_pod(api, deployment, "bbbbb", "approval")
    pending = add_pod(api, deployment, "ccccc", "unschedulable")
    code, out, err = run(capsys, "status", "demo", "--kubeconfig", str(kubeconfig))
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "endpoint    demo (namespace endpoints-demo)",
        "state       Not Ready",
        "replicas    1 ready / 3 desired",
        "autoscaler  1-4 replicas (KEDA ScaledObject, prometheus trigger)",
        "url         https://demo.prod.example.com",
        "",
        f"{'REPLICA':<{len(ready)}}  READY  REASON",
        f"{ready}  yes",
        f"{waiting}  no     waiting for approval (endpoints approve demo {waiting})",
        f"{pending}  no     waiting for a node: 0/3 nodes are available: 3 Insufficient nvidia.com/gpu.",
    ]


def test_status_of_a_scale_to_zero_endpoint_at_zero_is_stopped_with_its_http_autoscaler(
        api: FakeApi, kubeconfig: Path, capsys: pytest.CaptureFixture[str]) -> None:
    deploy(api, desired=0, autoscaling=TO_ZERO)
    fields = _status(capsys, kubeconfig)
    assert fields["state"] == "Stopped"
    assert fields["autoscaler"] == ("0-2 replicas (KEDA HTTPScaledObject, scales to zero after 600 s without "
                                    "traffic, starts on the first request)")


def test_status_of_fixed_replicas_reads_the_deployment(
        api: FakeApi, kubeconfig: Path, capsys: pytest.CaptureFixture[str]) -> None:
    deployment = deploy(api, autoscaling={"replicas": 1})
    add_pod(api, deployment, "aaaaa", "ready")
    fields = _status(capsys, kubeconfig)
    assert fields["state"] == "Ready"
    assert fields["autoscaler"] == "fixed at 1 replica"
    paths = [r.path for r in api.requests]
    assert "/apis/apps/v1/namespaces/endpoints-demo/deployments/demo" in paths
    assert "/apis/keda.sh/v1alpha1/namespaces/endpoints-demo/scaledobjects/demo" in paths
    assert all(r.headers["authorization"] == "Bearer fake-token" for r in api.requests)


def test_an_endpoint_of_a_shared_namespace_workspace_is_found_there(
        api: FakeApi, kubeconfig: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Workspaces that keep the 0.1 layout (isolation: shared) have every endpoint in ``endpoints``."""
    deployment = deploy(api, desired=1, isolation="shared", autoscaling=QPM)
    add_pod(api, deployment, "aaaaa", "ready")
    code, out, err = run(capsys, "status", "demo", "--kubeconfig", str(kubeconfig))
    assert (code, err) == (0, "")
    assert out.splitlines()[:2] == ["endpoint    demo (namespace endpoints)", "state       Ready"]
