"""Every dynamic provider's check/create/read/diff/update/delete, called directly against the moto server.

The properties are what the engine would send (``wire``: numbers as floats,
None dropped); the blueprint resources come from ``expand`` of one endpoint in
the seeded workspace. No Pulumi engine runs here.
"""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_endpoints.aws.config import AwsConfig
from pulumi_endpoints.aws.emulator import DEFAULT_REGION as REGION
from pulumi_endpoints.aws.errors import CloudError
from pulumi_endpoints.blueprint import Blueprint, expand
from pulumi_endpoints.component.providers import PROVIDERS, to_props
from pulumi_endpoints.spec import EndpointSpec, WorkspaceSpec

pytestmark = pytest.mark.e2e
CANARY = "canary-secret-6c1e0f"
ENDPOINT = {"name": "llama3-8b", "source": {"huggingface": {"model": "meta-llama/Meta-Llama-3-8B-Instruct"}},
            "resource_shape": "gpu.a10", "secrets": {"HF_TOKEN": "hf-token"},
            "autoscaling": {"gpu_utilization": {"min_replicas": 1, "max_replicas": 4, "target_percent": 70}},
            "mounts": [{"from": "/models/llama3", "path": "/models"}]}


def wire(value: Any) -> Any:
    """As the engine delivers properties to a dynamic provider."""
    if isinstance(value, dict):
        return {k: wire(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [wire(v) for v in value]
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


@pytest.fixture
def blueprint(seeded: dict[str, Any]) -> Blueprint:
    workspace = WorkspaceSpec.model_validate({
        "name": "prod", "filesystem": {"deletion_protection": False},
        "cluster": {"name": seeded["cluster_name"], "node_role_arn": seeded["node_role_arn"],
                    "subnet_ids": seeded["subnet_ids"], "security_group_ids": [seeded["security_group_id"]]}})
    return expand(EndpointSpec.model_validate(ENDPOINT), workspace)


def props(blueprint: Blueprint, kind: str, index: int = 0, **extra: Any) -> dict[str, Any]:
    spec = [r for r in blueprint.cloud if r.kind == kind][index]
    return wire({**to_props(spec), "aws": {"region": REGION}, "owner_tag": f"pulumi:tests/e2e/{kind}/{spec.name}",
                 **extra})


def test_node_pool_provider_against_moto(blueprint: Blueprint) -> None:
    provider = PROVIDERS["node_pool"]
    news = props(blueprint, "node_pool")
    assert provider.check({}, news).failures == []
    created = provider.create(news)
    assert created.id == "prod-eks:prod-llama3-8b"
    assert created.outs["status"] == "ACTIVE" and created.outs["max_size"] == 5
    read = provider.read(created.id, created.outs)
    assert read.id == created.id
    assert provider.diff(created.id, wire(read.outs), news).changes is False  # no perpetual diff

    bigger = {**news, "max_size": 9.0}
    in_place = provider.diff(created.id, created.outs, bigger)
    assert (in_place.changes, in_place.replaces) == (True, [])
    updated = provider.update(created.id, created.outs, bigger)
    assert updated.outs["max_size"] == 9
    assert provider.diff(created.id, wire(updated.outs), bigger).changes is False

    replace = provider.diff(created.id, updated.outs, {**bigger, "instance_types": ["g5.4xlarge"]})
    assert replace.replaces == ["instance_types"]
    assert replace.delete_before_replace is True  # the same node group name: the old one goes first

    provider.delete(created.id, updated.outs)
    assert provider.read(created.id, updated.outs).id is None  # refresh drops it from the state


def test_file_system_provider_against_moto(blueprint: Blueprint, aws: AwsConfig) -> None:
    provider = PROVIDERS["file_system"]
    news = props(blueprint, "file_system")
    created = provider.create(news)
    assert created.id.startswith("fs-") and created.outs["file_system_id"] == created.id
    assert provider.diff(created.id, wire(provider.read(created.id, created.outs).outs), news).changes is False

    lifecycle = {**news, "transition_to_ia": "AFTER_30_DAYS"}
    assert provider.diff(created.id, created.outs, lifecycle).replaces == []
    updated = provider.update(created.id, created.outs, lifecycle)
    assert updated.outs["transition_to_ia"] == "AFTER_30_DAYS"

    aws.client("efs").put_lifecycle_configuration(FileSystemId=created.id, LifecyclePolicies=[])  # drift
    drifted = provider.read(created.id, updated.outs)
    assert provider.diff(created.id, wire(drifted.outs), lifecycle).changes is True

    replace = provider.diff(created.id, updated.outs, {**lifecycle, "performance_mode": "maxIO"})
    assert replace.replaces == ["performance_mode"] and replace.delete_before_replace is True

    protected = {**updated.outs, "deletion_protection": True}
    with pytest.raises(CloudError, match="protected from deletion"):
        provider.delete(created.id, protected)
    provider.delete(created.id, updated.outs)
    assert provider.read(created.id, updated.outs).id is None


def test_mount_target_and_access_point_providers_against_moto(blueprint: Blueprint, seeded: dict[str, Any],
                                                             aws: AwsConfig) -> None:
    fs_id = PROVIDERS["file_system"].create(props(blueprint, "file_system")).id
    mount_targets, access_points = PROVIDERS["mount_target"], PROVIDERS["access_point"]

    target = props(blueprint, "mount_target", file_system_id=fs_id)
    created = mount_targets.create(target)
    assert created.id.startswith("fsmt-") and created.outs["ip_address"]
    assert mount_targets.diff(created.id, wire(mount_targets.read(created.id, created.outs).outs), target).changes is False
    group = aws.client("ec2").create_security_group(GroupName="extra", Description="x",
                                                    VpcId=seeded["vpc_id"])["GroupId"]
    more_groups = {**target, "security_group_ids": [seeded["security_group_id"], group]}
    assert mount_targets.diff(created.id, created.outs, more_groups).replaces == []
    updated = mount_targets.update(created.id, created.outs, more_groups)
    assert sorted(updated.outs["security_group_ids"]) == sorted(more_groups["security_group_ids"])
    moved = mount_targets.diff(created.id, updated.outs, {**more_groups, "file_system_id": "fs-0123456789"})
    assert moved.replaces == ["file_system_id"] and moved.delete_before_replace is False

    point = props(blueprint, "access_point", file_system_id=fs_id)
    made = access_points.create(point)
    assert made.id.startswith("fsap-") and made.outs["path"] == "/models/llama3"
    assert access_points.diff(made.id, wire(access_points.read(made.id, made.outs).outs), point).changes is False
    tagged = {**point, "tags": {**point["tags"], "team": "ml"}}
    assert access_points.diff(made.id, made.outs, tagged).replaces == []
    retagged = access_points.update(made.id, made.outs, tagged)
    assert retagged.outs["tags"]["team"] == "ml"
    elsewhere = access_points.diff(made.id, retagged.outs, {**tagged, "path": "/models/other"})
    assert elsewhere.replaces == ["path"] and elsewhere.delete_before_replace is True

    access_points.delete(made.id, retagged.outs)
    mount_targets.delete(created.id, updated.outs)
    assert access_points.read(made.id, retagged.outs).id is None
    assert mount_targets.read(created.id, updated.outs).id is None


def test_secret_provider_against_moto(blueprint: Blueprint, aws: AwsConfig) -> None:
    provider = PROVIDERS["secret"]
    news = props(blueprint, "secret", value=CANARY)  # hf-token
    created = provider.create(news)
    assert created.id == "endpoints/prod/hf-token" and created.outs["value"] == CANARY
    read = provider.read(created.id, created.outs)
    assert read.outs["value"] == CANARY  # kept: AWS holds this value (version ids match)
    assert provider.diff(created.id, wire(read.outs), news).changes is False

    aws.client("secretsmanager").put_secret_value(SecretId=created.id, SecretString="changed outside")
    drifted = provider.read(created.id, created.outs)
    assert "value" not in wire(drifted.outs)  # dropped, so the next diff writes the configured value
    rewrite = provider.diff(created.id, wire(drifted.outs), news)
    assert (rewrite.changes, rewrite.replaces) == (True, [])
    updated = provider.update(created.id, wire(drifted.outs), news)
    assert updated.outs["value"] == CANARY
    # AWSCURRENT named explicitly: without it moto answers with the last string written, not AWSCURRENT's
    value = aws.client("secretsmanager").get_secret_value(SecretId=created.id, VersionStage="AWSCURRENT")
    assert value["SecretString"] == CANARY

    renamed = provider.diff(created.id, updated.outs, {**news, "secret_id": "endpoints/prod/other"})
    assert renamed.replaces == ["secret_id"] and renamed.delete_before_replace is False

    provider.delete(created.id, updated.outs)
    assert provider.read(created.id, updated.outs).id is None


def test_secret_comes_back_after_pulumi_destroy(blueprint: Blueprint, aws: AwsConfig) -> None:
    """up → destroy (the secret waits out its recovery window) → up again: the same secret, restored,
    with the value of the new run."""
    provider = PROVIDERS["secret"]
    created = provider.create(props(blueprint, "secret", value=CANARY))
    provider.delete(created.id, created.outs)
    again = provider.create(props(blueprint, "secret", value="rotated-" + CANARY))
    described = aws.client("secretsmanager").describe_secret(SecretId=again.id)
    assert described["ARN"] == created.outs["arn"] and "DeletedDate" not in described
    value = aws.client("secretsmanager").get_secret_value(SecretId=again.id, VersionStage="AWSCURRENT")
    assert value["SecretString"] == "rotated-" + CANARY


def test_check_reports_the_drivers_validation(blueprint: Blueprint) -> None:
    failures = PROVIDERS["node_pool"].check({}, {**props(blueprint, "node_pool"), "ami_type": "WINDOWS_98"}).failures
    assert [(f.property, f.reason) for f in failures] == [("ami_type", "unknown AMI type 'WINDOWS_98'")]
    failures = PROVIDERS["secret"].check({}, props(blueprint, "secret", value="")).failures
    assert [f.property for f in failures] == ["value"]
    pool = props(blueprint, "node_pool")
    failures = PROVIDERS["node_pool"].check({}, {**pool, "tags": {**pool["tags"], "aws:my.tag": "x"}}).failures
    assert [f.property for f in failures] == ["tags"]


def test_default_tags_update_in_place_without_a_lasting_diff(blueprint: Blueprint) -> None:
    provider = PROVIDERS["access_point"]
    fs_id = PROVIDERS["file_system"].create(props(blueprint, "file_system")).id
    point = props(blueprint, "access_point", file_system_id=fs_id)
    made = provider.create(point)
    tagged = {**point, "aws": {"region": REGION, "default_tags": {"cost-center": "42"}}}
    change = provider.diff(made.id, made.outs, tagged)
    assert (change.changes, change.replaces) == (True, [])
    updated = provider.update(made.id, made.outs, tagged)
    assert updated.outs["tags"]["cost-center"] == "42"
    assert provider.diff(made.id, wire(provider.read(made.id, updated.outs).outs), tagged).changes is False


def test_a_new_region_replaces_and_a_new_profile_updates(blueprint: Blueprint) -> None:
    """AWS settings are inputs too: a preview shows that a resource moves (another region or endpoint)
    or is reached another way (a profile, a role to assume), instead of no change at all."""
    provider = PROVIDERS["secret"]
    made = provider.create(props(blueprint, "secret", value=CANARY))
    elsewhere = {**made.outs, "aws": {"region": "eu-west-1"}}
    change = provider.diff(made.id, made.outs, elsewhere)
    assert (change.changes, change.replaces, change.delete_before_replace) == (True, ["aws"], False)
    emulated = {**made.outs, "aws": {"region": REGION, "endpoint_url": "http://127.0.0.1:1"}}
    assert provider.diff(made.id, made.outs, emulated).replaces == ["aws"]
    for reached in ({"profile": "deploy"}, {"assume_role_arn": "arn:aws:iam::123456789012:role/deployer"}):
        change = provider.diff(made.id, made.outs, {**made.outs, "aws": {"region": REGION, **reached}})
        assert (change.changes, change.replaces) == (True, []), reached
    assert provider.diff(made.id, made.outs, made.outs).changes is False
