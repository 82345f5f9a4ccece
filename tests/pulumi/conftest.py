"""The Pulumi face's tests: programs under ``pulumi.runtime.set_mocks`` (see engine.py) and the
dynamic providers against the shared moto server (tests/conftest.py), reset between tests."""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_endpoints.aws.config import AwsConfig
from pulumi_endpoints.aws.emulator import seed


@pytest.fixture(autouse=True)
def _offline(no_real_aws: None) -> None:
    """No test here can reach a real AWS account."""


@pytest.fixture
def seeded(aws: AwsConfig) -> dict[str, Any]:
    """VPC, subnets, security group, node role and EKS cluster of workspace 'prod'."""
    return seed(aws, "prod")
