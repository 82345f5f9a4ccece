"""Defaults equal Lepton's: one replica, scale to zero after an hour idle, cpu.small, probes."""

from pulumi_endpoints.spec import EndpointSpec, WorkspaceSpec
from pulumi_endpoints.spec.shapes import CATALOG

from .helpers import build, cloud, container, manifest, manifests, pod


def test_spec_defaults_are_leptons() -> None:
    spec = EndpointSpec.model_validate({"name": "mygpt2", "source": {"photon": {"name": "gpt2", "image": "gpt2:1"}}})
    assert spec.resource_shape == "cpu.small"
    assert spec.autoscaling.mode == "scale_to_zero"
    assert spec.autoscaling.scale_to_zero is not None
    assert spec.autoscaling.scale_to_zero.no_traffic_timeout == 3600
    assert spec.autoscaling.scale_to_zero.max_replicas == 1
    assert spec.env == {} and spec.secrets == {}
    assert spec.access.public is False and spec.visibility == "private"
    assert spec.metrics.pull is True and spec.require_approval is False


def test_cpu_small_is_one_core_and_four_gigabytes() -> None:
    shape = CATALOG["cpu.small"]
    assert (shape.cpu, shape.memory_gib, shape.gpu_count) == (1, 4, 0)


def test_default_endpoint_starts_one_replica_and_idles_to_zero_after_an_hour() -> None:
    blueprint = build()
    deployment = manifest(blueprint, "Deployment")
    assert "replicas" not in deployment["spec"], "the autoscaler owns the count; Kubernetes starts 1"
    scaler = manifest(blueprint, "HTTPScaledObject")
    assert scaler["spec"]["replicas"] == {"min": 0, "max": 1}
    assert scaler["spec"]["scaledownPeriod"] == 3600
    assert manifests(blueprint, "ScaledObject") == []
    assert container(blueprint)["resources"]["requests"] == {"cpu": "1", "memory": "4Gi"}


def test_default_probes_are_leptons() -> None:
    probes = container(build())
    readiness, liveness = probes["readinessProbe"], probes["livenessProbe"]
    timing = lambda p: (p["initialDelaySeconds"], p["periodSeconds"], p["successThreshold"], p["failureThreshold"])  # noqa: E731
    assert timing(readiness) == (5, 5, 1, 10)
    assert timing(liveness) == (600, 5, 1, 12)


def test_default_endpoint_is_protected_by_the_workspace_token() -> None:
    blueprint = build()
    policy = manifest(blueprint, "SecurityPolicy")
    assert policy["spec"]["apiKeyAuth"]["credentialRefs"][0]["name"] == "demo-tokens"
    tokens = manifest(blueprint, "ExternalSecret", "demo-tokens")
    assert [d["remoteRef"]["key"] for d in tokens["spec"]["data"]] == ["endpoints/prod/workspace-token"]


def test_default_workspace() -> None:
    workspace = WorkspaceSpec()
    assert workspace.filesystem.deletion_protection is True
    assert workspace.filesystem.throughput_mode == "elastic"
    assert workspace.domain == "default.endpoints.internal"


def test_no_file_system_without_mounts() -> None:
    blueprint = build()
    assert cloud(blueprint, "file_system") == [] and cloud(blueprint, "mount_target") == []
    assert "volumes" not in pod(blueprint)
