"""One owner per object: a create never takes over what another resource (or a person) made.

Every driver against the moto server: the first owner's object is created, a second owner's
create of the same identity fails naming the first and the import id, and the object is left as
it was. A secret destroyed within its recovery window belongs to no one: it comes back, for the
emulator's answer (an idempotent repeat) and for AWS's (InvalidRequestException, with a Stubber).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from pulumi_endpoints.aws import access_point, file_system, mount_target, node_pool, secret
from pulumi_endpoints.aws.config import AwsConfig
from pulumi_endpoints.aws.ownership import OWNER_TAG, Claim, OwnedElsewhere, owner_label
from pulumi_endpoints.blueprint.model import AccessPoint, FileSystem, MountTarget, NodePool, SecretEntry, SecretValue
from pulumi_endpoints.labels import cloud_tags

FIRST = Claim("terraform:team-a:0123456789abcdef")
SECOND = Claim("pulumi:infra/prod/ml-secret-hf-token")
VALUE = SecretValue("first-owner-value-4b1d")
OTHER_VALUE = SecretValue("second-owner-value-77aa")


def pool(ws: dict[str, Any], **changes: Any) -> NodePool:
    made = NodePool(name="prod-chat", cluster_name=ws["cluster_name"], node_role_arn=ws["node_role_arn"],
                    subnet_ids=tuple(ws["subnet_ids"]), instance_types=("g5.xlarge",),
                    ami_type="AL2023_x86_64_NVIDIA", capacity_type="ON_DEMAND", disk_size=100, min_size=0,
                    max_size=2, desired_size=0, labels={}, taints=(), tags=cloud_tags("prod", "chat"), owner="chat")
    return dataclasses.replace(made, **changes)


def shared_fs(**changes: Any) -> FileSystem:
    made = FileSystem(name="shared", creation_token="prod-shared", performance_mode="generalPurpose",
                      throughput_mode="elastic", provisioned_throughput_mibps=None, encrypted=True,
                      transition_to_ia=None, deletion_protection=False, tags=cloud_tags("prod", None))
    return dataclasses.replace(made, **changes)


def entry() -> SecretEntry:
    return SecretEntry(name="hf-token", secret_id="endpoints/prod/hf-token", description="hf",
                       tags=cloud_tags("prod", None))


def point(fs_id: str, **changes: Any) -> AccessPoint:
    made = AccessPoint(name="chat-0", file_system=fs_id, path="/models/chat", uid=1000, gid=1000,
                       permissions="0755", tags=cloud_tags("prod", "chat"), owner="chat")
    return dataclasses.replace(made, **changes)


@pytest.mark.e2e
@pytest.mark.parametrize("kind", ["node_pool", "file_system", "access_point", "secret"])
def test_second_owner_is_refused_and_changes_nothing(kind: str, aws: AwsConfig, workspace: dict[str, Any]) -> None:
    create, look = _driver(kind, aws, workspace)
    first = create(FIRST, VALUE)
    before = look()
    with pytest.raises(OwnedElsewhere) as refused:
        create(SECOND, OTHER_VALUE)
    assert FIRST.owner in str(refused.value) and refused.value.found_owner == FIRST.owner
    assert refused.value.import_id in str(refused.value)
    assert look() == before, "the first owner's object changed"
    again = create(FIRST, VALUE)  # a secret gets its value again as a new version
    assert _without_version(again) == _without_version(first), "the same claim (an interrupted create) adopts"


@pytest.mark.e2e
@pytest.mark.parametrize("kind", ["node_pool", "file_system", "access_point", "secret"])
def test_object_made_by_hand_is_refused(kind: str, aws: AwsConfig, workspace: dict[str, Any]) -> None:
    create, look = _driver(kind, aws, workspace)
    _make_by_hand(kind, create, workspace)
    with pytest.raises(OwnedElsewhere, match="no owner tag"):
        create(FIRST, VALUE)


@pytest.mark.e2e
def test_mount_target_is_adopted_only_by_an_interrupted_create(aws: AwsConfig, workspace: dict[str, Any]) -> None:
    efs = aws.client("efs")
    fs_id = file_system.create(efs, shared_fs(), claim=FIRST).file_system_id
    target = MountTarget(name="shared-0", file_system=fs_id, subnet_id=workspace["subnet_ids"][0],
                         security_group_ids=(workspace["security_group_id"],))
    made = mount_target.create(efs, target, claim=FIRST)
    with pytest.raises(OwnedElsewhere) as refused:
        mount_target.create(efs, target, claim=SECOND)
    assert f"the owner of {fs_id} ({FIRST.owner})" in str(refused.value)
    assert refused.value.import_id == made.mount_target_id
    resumed = mount_target.create(efs, target, claim=Claim(SECOND.owner, resuming=True))
    assert resumed.mount_target_id == made.mount_target_id
    assert len(efs.describe_mount_targets(FileSystemId=fs_id)["MountTargets"]) == 1


@pytest.mark.e2e
def test_secret_destroyed_in_its_recovery_window_comes_back_to_its_new_owner(aws: AwsConfig) -> None:
    sm = aws.client("secretsmanager")
    first = secret.create(sm, dataclasses.replace(entry(), value=VALUE), claim=FIRST)
    secret.delete(sm, dataclasses.replace(entry(), recovery_window_days=7))
    assert secret.read(sm, entry()) is None
    for value in (VALUE, OTHER_VALUE):  # the same value (the emulator repeats idempotently) and a new one
        again = secret.create(sm, dataclasses.replace(entry(), value=value), claim=SECOND)
        assert again.arn == first.arn and again.claimed_by == SECOND.owner
        assert sm.get_secret_value(SecretId=entry().secret_id)["SecretString"] == value.reveal()
        secret.delete(sm, dataclasses.replace(entry(), recovery_window_days=7))


def test_secret_scheduled_for_deletion_is_restored_on_aws_answer(offline: AwsConfig) -> None:
    """What Secrets Manager answers a CreateSecret whose name is scheduled for deletion (an
    InvalidRequestException; moto answers an idempotent repeat instead)."""
    sm = offline.client("secretsmanager")
    arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:endpoints/prod/hf-token-AbCdEf"
    current = "4b1f0c1e-0000-4000-8000-000000000001"
    described = {"ARN": arn, "Name": entry().secret_id, "Description": "hf",
                 "Tags": [{"Key": k, "Value": v} for k, v in entry().tags.items()],
                 "VersionIdsToStages": {current: ["AWSCURRENT"]}}
    with Stubber(sm) as stub:
        stub.add_client_error("create_secret", "InvalidRequestException",
                              "You can't create this secret because a secret with this name is already "
                              "scheduled for deletion.")
        stub.add_response("describe_secret", {**described, "DeletedDate": datetime(2026, 11, 30, tzinfo=timezone.utc)},
                          {"SecretId": entry().secret_id})
        stub.add_response("restore_secret", {"ARN": arn, "Name": entry().secret_id}, {"SecretId": arn})
        stub.add_response("tag_resource", {}, {"SecretId": arn, "Tags": [{"Key": OWNER_TAG, "Value": SECOND.owner}]})
        claimed = {**described, "Tags": [*described["Tags"], {"Key": OWNER_TAG, "Value": SECOND.owner}]}
        stub.add_response("describe_secret", claimed, {"SecretId": entry().secret_id})
        stub.add_response("put_secret_value", {"ARN": arn, "VersionId": "9d2e7a3b-0000-4000-8000-000000000002"},
                          {"SecretId": arn, "SecretString": VALUE.reveal()})
        stub.add_response("describe_secret", {**claimed, "VersionIdsToStages": {
            "9d2e7a3b-0000-4000-8000-000000000002": ["AWSCURRENT"]}}, {"SecretId": entry().secret_id})
        state = secret.create(sm, dataclasses.replace(entry(), value=VALUE), claim=SECOND)
        stub.assert_no_pending_responses()
    assert state.arn == arn and state.claimed_by == SECOND.owner


def test_owner_labels_hold_only_what_every_service_accepts() -> None:
    assert owner_label("terraform", "my infra (prod)", "ab12") == "terraform:my-infra-prod-:ab12"
    assert owner_label("pulumi", "proj/dev/ml-secret-hf-token") == "pulumi:proj/dev/ml-secret-hf-token"
    assert len(owner_label("terraform", "x" * 400)) == 256


# -- per driver: create under a claim, and what a user would look at ---------------------------


def _driver(kind: str, aws: AwsConfig, ws: dict[str, Any]) -> tuple[Callable[..., Any], Callable[[], Any]]:
    if kind == "node_pool":
        eks = aws.client("eks")
        return (lambda claim, _v: node_pool.create(eks, pool(ws, max_size=2 if claim is FIRST else 9), claim=claim),
                lambda: _stable(eks.describe_nodegroup(clusterName=ws["cluster_name"], nodegroupName="prod-chat")
                                ["nodegroup"], "tags", "scalingConfig", "labels", "instanceTypes"))
    efs = aws.client("efs")
    if kind == "file_system":
        return (lambda claim, _v: file_system.create(efs, shared_fs(
                    transition_to_ia=None if claim is FIRST else "AFTER_7_DAYS"), claim=claim),
                lambda: [(_stable(f, "FileSystemId", "Tags", "ThroughputMode"),
                          efs.describe_lifecycle_configuration(FileSystemId=f["FileSystemId"])["LifecyclePolicies"])
                         for f in efs.describe_file_systems()["FileSystems"]])
    if kind == "access_point":
        fs_id = efs.create_file_system(CreationToken="prod-shared")["FileSystemId"]
        return (lambda claim, _v: access_point.create(efs, point(fs_id, tags={
                    **cloud_tags("prod", "chat"), "team": "a" if claim is FIRST else "b"}), claim=claim),
                lambda: [_stable(a, "AccessPointId", "Tags", "RootDirectory")
                         for a in efs.describe_access_points(FileSystemId=fs_id)["AccessPoints"]])
    sm = aws.client("secretsmanager")
    return (lambda claim, value: secret.create(sm, dataclasses.replace(entry(), value=value), claim=claim),
            lambda: (_stable(sm.describe_secret(SecretId=entry().secret_id), "Tags", "Description", "VersionIdsToStages"),
                     sm.get_secret_value(SecretId=entry().secret_id)["SecretString"]))


def _without_version(state: Any) -> Any:
    return dataclasses.replace(state, version_id=None) if hasattr(state, "version_id") else state


def _stable(described: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {key: described.get(key) for key in keys}


def _make_by_hand(kind: str, create: Callable[..., Any], ws: dict[str, Any]) -> None:
    """The object without an owner tag, as made by hand or by the previous release."""
    if kind == "node_pool":  # moto cannot untag node groups: made directly
        boto3.client("eks").create_nodegroup(clusterName=ws["cluster_name"], nodegroupName="prod-chat",
                                             nodeRole=ws["node_role_arn"], subnets=ws["subnet_ids"],
                                             tags=cloud_tags("prod", "chat"))
        return
    create(FIRST, VALUE)
    if kind == "secret":
        boto3.client("secretsmanager").untag_resource(SecretId=entry().secret_id, TagKeys=[OWNER_TAG])
        return
    efs = boto3.client("efs")
    ids = ([f["FileSystemId"] for f in efs.describe_file_systems()["FileSystems"]] if kind == "file_system"
           else [a["AccessPointId"] for a in efs.describe_access_points()["AccessPoints"]])
    for resource_id in ids:
        efs.untag_resource(ResourceId=resource_id, TagKeys=[OWNER_TAG])
