"""The driver tests' AWS: the shared moto server (tests/conftest.py), reset between tests, and call counting."""

from __future__ import annotations

import urllib.request
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest

from pulumi_endpoints.aws.config import AwsConfig
from pulumi_endpoints.aws.emulator import seed

REGION = "us-east-1"
FAKE_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                    "AWS_DEFAULT_REGION": REGION}


@pytest.fixture(autouse=True)
def _no_real_aws(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Fake credentials and no profile, so no test can reach a real account."""
    for key, value in FAKE_CREDENTIALS.items():
        monkeypatch.setenv(key, value)
    for key in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL"):
        monkeypatch.delenv(key, raising=False)
    missing = str(tmp_path_factory.getbasetemp() / "no-aws-config")
    monkeypatch.setenv("AWS_CONFIG_FILE", missing)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", missing)


@pytest.fixture
def aws(moto_url: str, monkeypatch: pytest.MonkeyPatch) -> AwsConfig:
    """Config pointing at a freshly reset moto server (through AWS_ENDPOINT_URL, as a user would)."""
    request = urllib.request.Request(f"{moto_url}/moto-api/reset", method="POST")
    urllib.request.urlopen(request, timeout=10).close()
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_url)
    return AwsConfig(region=REGION)


@pytest.fixture
def workspace(aws: AwsConfig) -> dict[str, Any]:
    """The seeded prerequisites: VPC, subnets, security group, roles, EKS cluster."""
    return seed(aws, "ws")


@pytest.fixture
def offline() -> AwsConfig:
    """For Stubber tests: an endpoint nothing listens on (the Stubber answers instead)."""
    return AwsConfig(region=REGION, endpoint_url="http://127.0.0.1:9")


def count_calls(client: Any) -> Counter[str]:
    """A live count of the API calls the client makes (once per call, retries not counted)."""
    calls: Counter[str] = Counter()

    def record(model: Any, **_: Any) -> None:
        calls[model.name] += 1

    client.meta.events.register("before-call.*.*", record)
    return calls


@pytest.fixture
def counted() -> Callable[[Any], Counter[str]]:
    return count_calls
