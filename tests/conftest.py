"""Fixtures shared by the test folders: a real moto server on 127.0.0.1."""

from __future__ import annotations

import logging
import socket
import urllib.request
from collections.abc import Iterator

import pytest

from pulumi_endpoints.aws.config import AwsConfig
from pulumi_endpoints.aws.emulator import CREDENTIALS, DEFAULT_REGION


@pytest.fixture(scope="session")
def moto_url() -> Iterator[str]:
    """moto as a real HTTP server on a free 127.0.0.1 port, for the whole session."""
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request otherwise
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def no_real_aws(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """The emulator's credentials and no profile or config file, so no test can reach a real account.
    Folders that talk to AWS use it for every test (an autouse fixture in their conftest)."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", CREDENTIALS[0])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", CREDENTIALS[1])
    monkeypatch.setenv("AWS_DEFAULT_REGION", DEFAULT_REGION)
    for key in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL"):
        monkeypatch.delenv(key, raising=False)
    missing = str(tmp_path_factory.getbasetemp() / "no-aws-config")
    monkeypatch.setenv("AWS_CONFIG_FILE", missing)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", missing)


@pytest.fixture
def aws(moto_url: str, monkeypatch: pytest.MonkeyPatch, no_real_aws: None) -> AwsConfig:
    """The moto server, reset; reached through AWS_ENDPOINT_URL as a user would (nothing in state or config)."""
    urllib.request.urlopen(urllib.request.Request(f"{moto_url}/moto-api/reset", method="POST"), timeout=10).close()
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_url)
    return AwsConfig(region=DEFAULT_REGION)
