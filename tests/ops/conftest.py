"""Fixtures for the day-2 commands: a fake API server on 127.0.0.1 and a kubeconfig that points at it
(what goes into it: :mod:`.cluster`)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .fake_api import FakeApi, serve, write_kubeconfig


@pytest.fixture(autouse=True)
def _no_real_cluster(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test can read the machine's kubeconfig or believe it runs inside a cluster."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    for name in ("KUBECONFIG", "KUBERNETES_SERVICE_HOST", "KUBERNETES_SERVICE_PORT"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def api() -> Iterator[FakeApi]:
    state = FakeApi()
    server = serve(state)
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def kubeconfig(api: FakeApi, tmp_path: Path) -> Path:
    return write_kubeconfig(tmp_path / "kubeconfig", {"fake": api.url}, current="fake")
