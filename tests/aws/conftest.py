"""The driver tests' AWS: the shared moto server (tests/conftest.py), reset between tests, and call counting."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest

from pulumi_endpoints.aws.config import AwsConfig
from pulumi_endpoints.aws.emulator import DEFAULT_REGION as REGION
from pulumi_endpoints.aws.emulator import seed


@pytest.fixture(autouse=True)
def _offline(no_real_aws: None) -> None:
    """No test here can reach a real AWS account."""


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
