"""Fixtures shared by the test folders: a real moto server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pulumi_endpoints.aws.config import AwsConfig
from pulumi_endpoints.aws.emulator import CREDENTIALS, DEFAULT_REGION, in_process, reset, seed
from pulumi_endpoints.terraform.install import install


@pytest.fixture(scope="session")
def moto_url() -> Iterator[str]:
    """moto as a real HTTP server on a free 127.0.0.1 port, for the whole session."""
    with in_process() as url:
        yield url


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
    reset(moto_url)
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_url)
    return AwsConfig(region=DEFAULT_REGION)


@pytest.fixture
def emulator(moto_url: str) -> tuple[AwsConfig, dict[str, Any]]:
    """The moto server, reset, with a workspace's prerequisites (VPC, subnets, roles, EKS cluster) seeded."""
    reset(moto_url)
    config = AwsConfig(region=DEFAULT_REGION, endpoint_url=moto_url, static_credentials=CREDENTIALS)
    return config, seed(config, "e2e")


@pytest.fixture(scope="session")
def mirror(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Terraform CLI configuration that installs this provider from an offline mirror."""
    return install(tmp_path_factory.mktemp("mirror"))
