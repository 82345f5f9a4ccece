"""EFS mount target driver against a moto server."""

from __future__ import annotations

from typing import Any

import boto3
import pytest

from pulumi_endpoints.aws import mount_target
from pulumi_endpoints.aws.config import AwsConfig
from pulumi_endpoints.aws.errors import CloudError
from pulumi_endpoints.aws.ownership import Claim
from pulumi_endpoints.blueprint.model import MountTarget
from pulumi_endpoints.errors import SpecError

MINE = Claim("terraform:tests:mine")  # the claim of this test's creates

pytestmark = pytest.mark.e2e


@pytest.fixture
def fs_id(aws: AwsConfig) -> str:
    return str(aws.client("efs").create_file_system(CreationToken="ws-models")["FileSystemId"])


def target(ws: dict[str, Any], fs_id: str, index: int = 0, groups: tuple[str, ...] | None = None) -> MountTarget:
    return MountTarget(name=f"ws-models-{index}", file_system=fs_id, subnet_id=ws["subnet_ids"][index],
                       security_group_ids=groups or (ws["security_group_id"],))


def test_one_per_subnet_create_read_update_delete(aws: AwsConfig, workspace: dict[str, Any], fs_id: str) -> None:
    efs = aws.client("efs")
    targets = [target(workspace, fs_id, i) for i in range(3)]
    states = [mount_target.create(efs, t, claim=MINE) for t in targets]
    assert [s.spec for s in states] == targets
    assert all(s.status == "available" and s.ip_address.startswith("10.0.") for s in states)
    assert efs.describe_file_systems(FileSystemId=fs_id)["FileSystems"][0]["NumberOfMountTargets"] == 3

    extra = boto3.client("ec2").create_security_group(GroupName="extra", Description="x",
                                                        VpcId=workspace["vpc_id"])["GroupId"]
    wider = target(workspace, fs_id, 0, (workspace["security_group_id"], extra))
    updated = mount_target.update(efs, states[0], wider)
    assert set(updated.spec.security_group_ids) == {workspace["security_group_id"], extra}
    assert updated.mount_target_id == states[0].mount_target_id

    for t in targets:
        mount_target.delete(efs, t)
    assert mount_target.read(efs, targets[0]) is None
    mount_target.delete(efs, targets[0])  # already gone: not an error


def test_diff_says_replace_for_subnet_and_in_place_for_security_groups(
    aws: AwsConfig, workspace: dict[str, Any], fs_id: str
) -> None:
    state = mount_target.create(aws.client("efs"), target(workspace, fs_id), claim=MINE)
    moved = target(workspace, fs_id, 1)
    assert mount_target.diff(state, moved).replaces == ("subnet_id",)
    regrouped = mount_target.diff(state, target(workspace, fs_id, 0, ("sg-123",)))
    assert regrouped.changed == ("security_group_ids",) and not regrouped.needs_replace


def test_interrupted_create_adopts_the_mount_target_in_the_subnet(
    aws: AwsConfig, workspace: dict[str, Any], fs_id: str
) -> None:
    efs = aws.client("efs")
    first = mount_target.create(efs, target(workspace, fs_id), claim=MINE)
    again = mount_target.create(efs, target(workspace, fs_id), claim=Claim(MINE.owner, resuming=True))
    assert again.mount_target_id == first.mount_target_id
    assert len(efs.describe_mount_targets(FileSystemId=fs_id)["MountTargets"]) == 1


def test_drift_made_outside_shows_in_diff(aws: AwsConfig, workspace: dict[str, Any], fs_id: str) -> None:
    efs = aws.client("efs")
    desired = target(workspace, fs_id)
    state = mount_target.create(efs, desired, claim=MINE)
    other = boto3.client("ec2").create_security_group(GroupName="other", Description="x",
                                                        VpcId=workspace["vpc_id"])["GroupId"]
    boto3.client("efs").modify_mount_target_security_groups(MountTargetId=state.mount_target_id,
                                                            SecurityGroups=[other])
    assert mount_target.diff(mount_target.read(efs, desired), desired).changed == ("security_group_ids",)
    boto3.client("efs").delete_mount_target(MountTargetId=state.mount_target_id)
    assert mount_target.read(efs, desired) is None


def test_read_lists_once_per_file_system(
    aws: AwsConfig, workspace: dict[str, Any], fs_id: str, counted: Any
) -> None:
    efs = aws.client("efs")
    mount_target.create(efs, target(workspace, fs_id), claim=MINE)
    calls = counted(efs)
    mount_target.read(efs, target(workspace, fs_id))
    assert calls == {"DescribeMountTargets": 1, "DescribeMountTargetSecurityGroups": 1}


def test_unknown_subnet_and_bad_input_are_clear_errors(
    aws: AwsConfig, workspace: dict[str, Any], fs_id: str
) -> None:
    efs = aws.client("efs")
    lost = MountTarget(name="lost", file_system="ws-models", subnet_id="subnet-00000000",
                       security_group_ids=(workspace["security_group_id"],))
    with pytest.raises(CloudError) as err:
        mount_target.create(efs, lost, claim=MINE)
    assert err.value.code == "SubnetNotFound" and "mount target 'lost'" in str(err.value)
    with pytest.raises(SpecError) as bad:
        mount_target.create(efs, target(workspace, fs_id, 0, ("default",)), claim=MINE)
    assert bad.value.paths == ["mount_target[ws-models-0].security_group_ids"]


def test_import_by_id(aws: AwsConfig, workspace: dict[str, Any], fs_id: str) -> None:
    efs = aws.client("efs")
    state = mount_target.create(efs, target(workspace, fs_id), claim=MINE)
    imported = mount_target.import_(efs, state.mount_target_id)
    assert imported.spec.subnet_id == workspace["subnet_ids"][0]
    assert imported.spec.security_group_ids == (workspace["security_group_id"],)
