"""``endpoints approve`` against a fake API server: the exact patch of ``pods/status`` it sends."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from pulumi_endpoints import labels as L

from .cluster import add_pod, deploy, run
from .fake_api import FakeApi, Request

STATUS = "/api/v1/namespaces/endpoints-demo/pods/{}/status"


def _approval(request: Request) -> dict[str, object]:
    """The patch body, after checking it is a fresh timestamped strategic merge patch."""
    assert request.headers["content-type"] == "application/strategic-merge-patch+json"
    body = json.loads(request.body)
    stamp = body["status"]["conditions"][0].pop("lastTransitionTime")
    age = datetime.now(timezone.utc) - datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    assert timedelta(0) <= age < timedelta(minutes=1)
    return body


EXPECTED = {"status": {"conditions": [{"type": L.APPROVAL_CONDITION, "status": "True", "reason": "Approved",
                                       "message": "approved with endpoints approve"}]}}


def test_approve_one_replica_patches_its_status_condition(
        api: FakeApi, kubeconfig: Path, capsys: pytest.CaptureFixture[str]) -> None:
    deployment = deploy(api, require_approval=True, autoscaling={"replicas": 2})
    first = add_pod(api, deployment, "aaaaa", "approval")
    add_pod(api, deployment, "bbbbb", "approval")
    code, out, err = run(capsys, "approve", "demo", "aaaaa", "--kubeconfig", str(kubeconfig))
    assert (code, out, err) == (0, f"approved {first}\n", "")
    (patch,) = api.requests_to("PATCH")
    assert patch.path == STATUS.format(first)
    assert _approval(patch) == EXPECTED
    conditions = {c["type"]: c["status"] for c in api.pods[first]["status"]["conditions"]}
    assert conditions[L.APPROVAL_CONDITION] == "True"


def test_approve_all_patches_only_the_replicas_that_wait(
        api: FakeApi, kubeconfig: Path, capsys: pytest.CaptureFixture[str]) -> None:
    deployment = deploy(api, require_approval=True, autoscaling={"replicas": 3})
    add_pod(api, deployment, "aaaaa", "ready")  # approved already
    waiting = [add_pod(api, deployment, "bbbbb", "approval"), add_pod(api, deployment, "ccccc", "probing")]
    code, out, _ = run(capsys, "approve", "demo", "--all", "--kubeconfig", str(kubeconfig))
    assert (code, out) == (0, "".join(f"approved {name}\n" for name in waiting))
    patches = api.requests_to("PATCH")
    assert [p.path for p in patches] == [STATUS.format(name) for name in waiting]
    assert all(_approval(p) == EXPECTED for p in patches)
    code, out, _ = run(capsys, "approve", "demo", "--all", "--kubeconfig", str(kubeconfig))
    assert (code, out) == (0, "no replica of demo is waiting for approval\n")


def test_approving_an_approved_replica_changes_nothing(
        api: FakeApi, kubeconfig: Path, capsys: pytest.CaptureFixture[str]) -> None:
    deployment = deploy(api, require_approval=True)
    name = add_pod(api, deployment, "aaaaa", "ready")
    code, out, _ = run(capsys, "approve", "demo", name, "--kubeconfig", str(kubeconfig))
    assert (code, out) == (0, f"replica {name} is already approved\n")
    assert api.requests_to("PATCH") == []
