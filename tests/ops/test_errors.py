"""Errors users hit with the day-2 commands: one line on stderr, exit 1, never a traceback.
The cluster is a fake API server on 127.0.0.1 (or nothing at all)."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from pulumi_endpoints import labels as L

from .cluster import add_pod, deploy, run
from .fake_api import FakeApi, write_kubeconfig


def _fails(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    code, out, err = run(capsys, *argv)
    assert code == 1
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("error: "), err
    return err.strip()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize("command", ["logs", "status", "approve"])
def test_no_kubeconfig_and_not_in_a_cluster(capsys: pytest.CaptureFixture[str], command: str) -> None:
    assert _fails(capsys, command, "demo") == (
        "error: no cluster access: no kubeconfig at ~/.kube/config and not running inside a cluster "
        "(pass --kubeconfig or set KUBECONFIG)")


def test_a_missing_kubeconfig_file_is_named(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    missing = tmp_path / "nope"
    error = _fails(capsys, "status", "demo", "--kubeconfig", str(missing))
    assert error.startswith("error: no cluster access: ") and str(missing) in error


@pytest.mark.parametrize("command", ["logs", "status", "approve"])
def test_an_unreachable_api_server(capsys: pytest.CaptureFixture[str], tmp_path: Path, command: str) -> None:
    url = f"http://127.0.0.1:{_closed_port()}"
    config = write_kubeconfig(tmp_path / "kubeconfig", {"gone": url}, current="gone")
    error = _fails(capsys, command, "demo", "--all" if command == "approve" else "-n", *(
        [] if command == "approve" else ["endpoints"]), "--kubeconfig", str(config))
    assert error.startswith(f"error: no cluster access: cannot reach the API server at {url} (")
    assert "refused" in error.lower()


def test_context_picks_the_cluster_and_an_unknown_context_is_one_line(
        api: FakeApi, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    deploy(api)
    config = write_kubeconfig(tmp_path / "kubeconfig", {"gone": f"http://127.0.0.1:{_closed_port()}",
                                                        "fake": api.url}, current="gone")
    code, out, _ = run(capsys, "status", "demo", "--kubeconfig", str(config), "--context", "fake")
    assert code == 0 and "state       Starting" in out
    error = _fails(capsys, "status", "demo", "--kubeconfig", str(config), "--context", "nope")
    assert error.startswith("error: no cluster access: kubeconfig: ") and "nope" in error


@pytest.mark.parametrize("command", ["logs", "status", "approve"])
def test_endpoint_not_found(api: FakeApi, kubeconfig: Path, capsys: pytest.CaptureFixture[str], command: str) -> None:
    assert _fails(capsys, command, "ghost", "--kubeconfig", str(kubeconfig)) == (
        "error: endpoint ghost not found in namespace endpoints-ghost or endpoints")


@pytest.mark.parametrize("command", ["logs", "approve"])
def test_no_pods_yet(api: FakeApi, kubeconfig: Path, capsys: pytest.CaptureFixture[str], command: str) -> None:
    deploy(api, require_approval=True)
    assert _fails(capsys, command, "demo", "--kubeconfig", str(kubeconfig)) == (
        "error: endpoint demo has no replicas yet in namespace endpoints-demo (see: endpoints status demo)")


def test_kubeconfig_from_the_environment_and_a_forbidden_call(
        api: FakeApi, kubeconfig: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KUBECONFIG", str(kubeconfig))
    deploy(api)
    api.failures["/api/v1/namespaces/endpoints-demo/pods"] = (
        403, 'pods is forbidden: User "bob" cannot list resource "pods" in API group "" in the namespace "endpoints"')
    assert _fails(capsys, "status", "demo") == (
        'error: not allowed: pods is forbidden: User "bob" cannot list resource "pods" in API group "" '
        'in the namespace "endpoints"')


def test_rejected_credentials(api: FakeApi, kubeconfig: Path, capsys: pytest.CaptureFixture[str]) -> None:
    api.failures["/apis/apps/v1/namespaces/endpoints-demo/deployments/demo"] = (401, "Unauthorized")
    assert _fails(capsys, "status", "demo", "--kubeconfig", str(kubeconfig)) == (
        "error: no cluster access: the API server rejected the credentials (401 Unauthorized)")


def test_approve_needs_a_replica_or_all(api: FakeApi, kubeconfig: Path, capsys: pytest.CaptureFixture[str]) -> None:
    deployment = deploy(api, require_approval=True, autoscaling={"replicas": 2})
    names = [add_pod(api, deployment, s, "approval") for s in ("aaaaa", "bbbbb")]
    assert _fails(capsys, "approve", "demo", "--kubeconfig", str(kubeconfig)) == (
        f"error: name the replica to approve or pass --all (waiting for approval: {', '.join(names)})")
    assert _fails(capsys, "approve", "demo", "zzzzz", "--kubeconfig", str(kubeconfig)) == (
        f"error: endpoint demo has no replica zzzzz (replicas: {', '.join(names)})")


def test_approve_an_endpoint_that_does_not_require_approval(
        api: FakeApi, kubeconfig: Path, capsys: pytest.CaptureFixture[str]) -> None:
    add_pod(api, deploy(api), "aaaaa", "ready")
    assert _fails(capsys, "approve", "demo", "--all", "--kubeconfig", str(kubeconfig)) == (
        f"error: endpoint demo does not require approval (its replicas have no {L.APPROVAL_CONDITION} "
        "readiness gate)")
    assert api.requests_to("PATCH") == []


def test_logs_when_no_replica_has_started(api: FakeApi, kubeconfig: Path, capsys: pytest.CaptureFixture[str]) -> None:
    add_pod(api, deploy(api), "aaaaa", "creating")
    code, out, err = run(capsys, "logs", "demo", "--kubeconfig", str(kubeconfig))
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        "demo-5d8f7c9b6-aaaaa: no log yet (ContainerCreating)",
        "error: no replica of demo has started yet, so there are no logs (see: endpoints status demo)"]
