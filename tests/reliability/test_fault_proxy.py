"""The fault proxy itself: each fault reaches botocore in the shape AWS uses, and is counted."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pulumi_endpoints.aws.config import AwsConfig
from pulumi_endpoints.aws.errors import CloudError, translated

from .fault_proxy import FaultProxy

pytestmark = pytest.mark.e2e


@pytest.fixture
def reset_moto(moto_url: str) -> Iterator[str]:
    from pulumi_endpoints.aws.emulator import reset

    reset(moto_url)
    yield moto_url


def _calls(config: AwsConfig) -> dict[str, object]:
    return {
        "eks": lambda: config.client("eks").list_clusters(),
        "efs": lambda: config.client("efs").describe_file_systems(),
        "secretsmanager": lambda: config.client("secretsmanager").list_secrets(),
    }


@pytest.mark.parametrize("service", ["eks", "efs", "secretsmanager"])
def test_throttling_has_the_aws_error_shape(reset_moto: str, service: str) -> None:
    with FaultProxy(reset_moto, rate=1.0, seed=1, kinds=("throttle",)) as proxy:
        config = AwsConfig(region="us-east-1", endpoint_url=proxy.url, static_credentials=("testing", "testing"),
                           max_attempts=3)
        with pytest.raises(CloudError) as raised, translated(service):
            _calls(config)[service]()  # type: ignore[operator]
        assert raised.value.code == "ThrottlingException"
        assert "lower the parallelism" in raised.value.hint
        figures = proxy.figures
        assert (figures.calls, figures.requests, figures.retries, figures.faulted) == (1, 3, 2, 3)


@pytest.mark.parametrize("kind", ["500", "503", "reset", "lost", "slow"])
def test_transient_faults_are_retried_by_the_drivers_clients(reset_moto: str, kind: str) -> None:
    with FaultProxy(reset_moto, rate=0.5, seed=7, kinds=(kind,), slow_seconds=0.05) as proxy:
        config = AwsConfig(region="us-east-1", endpoint_url=proxy.url, static_credentials=("testing", "testing"))
        for _ in range(6):
            config.client("secretsmanager").list_secrets()
        figures = proxy.figures
        assert figures.calls == 6 and figures.faults[kind] > 0
        assert figures.retries == (0 if kind == "slow" else figures.faulted)


def test_same_seed_same_faults(reset_moto: str) -> None:
    runs = []
    for _ in range(2):
        with FaultProxy(reset_moto, rate=0.3, seed=42, kinds=("slow", "lost"), slow_seconds=0) as proxy:
            config = AwsConfig(region="us-east-1", endpoint_url=proxy.url, static_credentials=("testing", "testing"))
            for _ in range(10):
                config.client("eks").list_clusters()
            runs.append(proxy.figures.as_dict())
    assert runs[0] == runs[1] and runs[0]["faulted"]


def test_bad_settings_are_refused() -> None:
    with pytest.raises(ValueError, match="probability"):
        FaultProxy("http://127.0.0.1:1", rate=2)
    with pytest.raises(ValueError, match="unknown fault kinds"):
        FaultProxy("http://127.0.0.1:1", kinds=("meteor",))
