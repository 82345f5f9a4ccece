"""``endpoints logs`` against a fake API server: replica prefixes, one replica, --since, and
--follow streaming lines as the server sends them."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from pulumi_endpoints import labels as L
from pulumi_endpoints.ops.kube import Cluster, connect
from pulumi_endpoints.ops.logs import show

from .cluster import NAMESPACE, add_pod, deploy, run
from .fake_api import FakeApi


def test_logs_prefix_each_line_with_its_replica(api: FakeApi, kubeconfig: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    deployment = deploy(api, autoscaling={"replicas": 2})
    first, second = add_pod(api, deployment, "aaaaa", "ready"), add_pod(api, deployment, "bbbbb", "ready")
    api.logs = {first: ["loading model", "ready on :8080"], second: ["GET / 200"]}
    code, out, err = run(capsys, "logs", "demo", "--kubeconfig", str(kubeconfig))
    assert (code, err) == (0, "")
    assert out.splitlines() == [f"[{first}] loading model", f"[{first}] ready on :8080", f"[{second}] GET / 200"]
    (listing,) = [r for r in api.requests if r.path == f"/api/v1/namespaces/{NAMESPACE}/pods"]
    assert listing.query == {"labelSelector": f"{L.ENDPOINT_LABEL}=demo"}
    reads = [r for r in api.requests if r.path.endswith("/log")]
    assert [r.query for r in reads] == [{"container": "main"}] * 2


def test_logs_of_one_replica_since_a_duration(api: FakeApi, kubeconfig: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    deployment = deploy(api, autoscaling={"replicas": 2})
    add_pod(api, deployment, "aaaaa", "ready")
    second = add_pod(api, deployment, "bbbbb", "ready")
    api.logs = {second: ["recent line"]}
    code, out, _ = run(capsys, "logs", "demo", "--replica", "bbbbb", "--since", "1h30m", "--kubeconfig", str(kubeconfig))
    assert (code, out) == (0, f"[{second}] recent line\n")
    (read,) = [r for r in api.requests if r.path.endswith("/log")]
    assert read.path == f"/api/v1/namespaces/{NAMESPACE}/pods/{second}/log"
    assert read.query == {"container": "main", "sinceSeconds": "5400"}


def test_logs_skip_replicas_that_have_not_started_with_a_note(api: FakeApi, kubeconfig: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    deployment = deploy(api, autoscaling={"replicas": 2})
    ready = add_pod(api, deployment, "aaaaa", "ready")
    waiting = add_pod(api, deployment, "bbbbb", "unschedulable")
    api.logs = {ready: ["hello"]}
    code, out, err = run(capsys, "logs", "demo", "--kubeconfig", str(kubeconfig))
    assert (code, out, err) == (0, f"[{ready}] hello\n", f"{waiting}: no log yet (Pending)\n")


class _Lines:
    """Stands in for stdout: records lines and opens the server's gate once a line arrives."""

    def __init__(self, api: FakeApi, gates: dict[str, threading.Event]) -> None:
        self.api, self.gates, self.lines = api, gates, []

    def write(self, text: str) -> None:
        for line in filter(None, text.split("\n")):
            self.lines.append(line)
            self.api.events.append(f"printed {line}")
            for key, gate in self.gates.items():
                if line.endswith(f"{key} first"):
                    gate.set()

    def flush(self) -> None:
        pass


def test_logs_follow_streams_each_replica_as_lines_arrive(api: FakeApi, kubeconfig: Path) -> None:
    """The server holds the rest of each log until the first line has been printed: only a
    client that streams (not one that waits for the whole body) gets past the gate in time."""
    deployment = deploy(api, autoscaling={"replicas": 2})
    pods = [add_pod(api, deployment, "aaaaa", "ready"), add_pod(api, deployment, "bbbbb", "ready")]
    gates = {pod: threading.Event() for pod in pods}
    api.logs = {pod: [f"{pod} first", gates[pod], f"{pod} second"] for pod in pods}
    out = _Lines(api, gates)
    assert show(Cluster(connect(str(kubeconfig)), NAMESPACE), "demo", follow=True, out=out) == 0  # type: ignore[arg-type]
    assert sorted(out.lines) == sorted(f"[{pod}] {pod} {which}" for pod in pods for which in ("first", "second"))
    for pod in pods:
        events = [e for e in api.events if pod in e]
        assert events == [f"{pod}: sent {pod} first", f"printed [{pod}] {pod} first", f"{pod}: waited",
                          f"{pod}: sent {pod} second", f"printed [{pod}] {pod} second"]
    assert all(r.query["follow"] == "True" for r in api.requests if r.path.endswith("/log"))


def test_logs_follow_one_replica_from_the_cli(api: FakeApi, kubeconfig: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    deployment = deploy(api)
    pod = add_pod(api, deployment, "aaaaa", "ready")
    api.logs = {pod: ["a", "", "ünïcode"]}
    code, out, _ = run(capsys, "logs", "demo", "-f", "--kubeconfig", str(kubeconfig))
    assert (code, out) == (0, f"[{pod}] a\n[{pod}] \n[{pod}] ünïcode\n")


@pytest.mark.parametrize("since", ["10", "m", "1.5h", "-1m"])
def test_logs_reject_a_bad_duration(capsys: pytest.CaptureFixture[str], since: str) -> None:
    with pytest.raises(SystemExit) as exit_:
        run(capsys, "logs", "demo", f"--since={since}")
    assert exit_.value.code == 1
    assert "is not a duration such as 30s, 10m, 1h30m or 2d" in capsys.readouterr().err
