"""The Pulumi face's tests: programs under ``pulumi.runtime.set_mocks`` (see engine.py) and the
dynamic providers against the shared moto server (tests/conftest.py), reset between tests."""

from __future__ import annotations

import urllib.request
from typing import Any

import pytest

from pulumi_endpoints.aws.config import AwsConfig
from pulumi_endpoints.aws.emulator import CREDENTIALS, seed

REGION = "us-east-1"


@pytest.fixture(autouse=True)
def _no_real_aws(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Emulator credentials and no profile, so no test can reach a real account."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", CREDENTIALS[0])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", CREDENTIALS[1])
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    for key in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL"):
        monkeypatch.delenv(key, raising=False)
    missing = str(tmp_path_factory.getbasetemp() / "no-aws-config")
    monkeypatch.setenv("AWS_CONFIG_FILE", missing)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", missing)


@pytest.fixture
def aws(moto_url: str, monkeypatch: pytest.MonkeyPatch) -> AwsConfig:
    """The moto server, reset; reached through AWS_ENDPOINT_URL as a user's stack would (nothing in state)."""
    urllib.request.urlopen(urllib.request.Request(f"{moto_url}/moto-api/reset", method="POST"), timeout=10).close()
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_url)
    return AwsConfig(region=REGION)


@pytest.fixture
def seeded(aws: AwsConfig) -> dict[str, Any]:
    """VPC, subnets, security group, node role and EKS cluster of workspace 'prod'."""
    return seed(aws, "prod")
