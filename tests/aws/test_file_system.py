"""EFS file system driver against a moto server (and a Stubber where moto lacks UpdateFileSystem)."""

from __future__ import annotations

import dataclasses
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from pulumi_endpoints.aws import file_system
from pulumi_endpoints.aws.config import AwsConfig
from pulumi_endpoints.aws.errors import CloudError
from pulumi_endpoints.aws.ownership import Claim
from pulumi_endpoints.blueprint.model import FileSystem
from pulumi_endpoints.errors import SpecError
from pulumi_endpoints.labels import cloud_tags

MINE = Claim("terraform:tests:mine")  # the claim of this test's creates


def shared_fs(**changes: Any) -> FileSystem:
    fs = FileSystem(
        name="ws-models", creation_token="ws-models-0001", performance_mode="generalPurpose",
        throughput_mode="elastic", provisioned_throughput_mibps=None, encrypted=True,
        transition_to_ia="AFTER_30_DAYS", deletion_protection=False, tags=cloud_tags("ws", None),
    )
    return dataclasses.replace(fs, **changes)


@pytest.mark.e2e
def test_create_read_update_delete(aws: AwsConfig) -> None:
    efs = aws.client("efs")
    fs = shared_fs()
    created = file_system.create(efs, fs, claim=MINE)
    assert created.spec == fs and created.status == "available" and created.file_system_id.startswith("fs-")
    assert file_system.diff(file_system.read(efs, fs), fs).empty

    renamed = shared_fs(name="ws-weights", transition_to_ia=None, tags={**fs.tags, "team": "ml"})
    updated = file_system.update(efs, created, renamed)
    assert updated.spec == renamed and updated.file_system_id == created.file_system_id
    assert file_system.diff(file_system.read(efs, fs), renamed).empty

    file_system.delete(efs, renamed)
    assert file_system.read(efs, fs) is None
    file_system.delete(efs, renamed)  # already gone: not an error


def test_diff_replace_and_in_place_attributes() -> None:
    current = file_system.FileSystemState(shared_fs(), file_system_id="fs-1", arn="arn", status="available")
    assert file_system.diff(current, shared_fs(performance_mode="maxIO")).replaces == ("performance_mode",)
    assert file_system.diff(current, shared_fs(encrypted=False)).replaces == ("encrypted",)
    in_place = file_system.diff(current, shared_fs(throughput_mode="bursting", transition_to_ia="AFTER_7_DAYS"))
    assert in_place.changed == ("throughput_mode", "transition_to_ia") and not in_place.needs_replace


@pytest.mark.e2e
def test_repeated_create_adopts_by_creation_token(aws: AwsConfig) -> None:
    efs = aws.client("efs")
    first = file_system.create(efs, shared_fs(), claim=MINE)
    again = file_system.create(efs, shared_fs(tags={**shared_fs().tags, "team": "ml"}), claim=MINE)
    assert again.file_system_id == first.file_system_id and again.spec.tags["team"] == "ml"
    assert len(efs.describe_file_systems()["FileSystems"]) == 1
    with pytest.raises(CloudError) as err:
        file_system.create(efs, shared_fs(encrypted=False), claim=MINE)
    assert err.value.code == "AlreadyExists" and "different encrypted" in str(err.value)


@pytest.mark.e2e
def test_drift_made_outside_shows_in_diff(aws: AwsConfig) -> None:
    efs = aws.client("efs")
    fs = shared_fs()
    fs_id = file_system.create(efs, fs, claim=MINE).file_system_id
    outside = boto3.client("efs")
    outside.put_lifecycle_configuration(FileSystemId=fs_id, LifecyclePolicies=[])
    outside.tag_resource(ResourceId=fs_id, Tags=[{"Key": "Name", "Value": "renamed-by-hand"}])
    assert file_system.diff(file_system.read(efs, fs), fs).changed == ("name", "transition_to_ia")


@pytest.mark.e2e
def test_deletion_protection_refuses_delete_until_turned_off(aws: AwsConfig) -> None:
    efs = aws.client("efs")
    protected = shared_fs(deletion_protection=True)
    state = file_system.create(efs, protected, claim=MINE)
    with pytest.raises(CloudError) as err:
        file_system.delete(efs, dataclasses.replace(protected, deletion_protection=False))  # AWS says protected
    assert err.value.code == "DeletionProtected" and "'ws-models'" in str(err.value)
    assert "deletion_protection to false" in err.value.hint
    assert file_system.read(efs, protected) is not None

    unprotected = file_system.update(efs, state, shared_fs())
    assert unprotected.spec.deletion_protection is False
    file_system.delete(efs, shared_fs())
    assert file_system.read(efs, protected) is None


@pytest.mark.e2e
def test_file_system_in_use_is_a_clear_error(aws: AwsConfig, workspace: dict[str, Any]) -> None:
    efs = aws.client("efs")
    fs_id = file_system.create(efs, shared_fs(), claim=MINE).file_system_id
    efs.create_mount_target(FileSystemId=fs_id, SubnetId=workspace["subnet_ids"][0])
    with pytest.raises(CloudError) as err:
        file_system.delete(efs, shared_fs())
    assert err.value.code == "FileSystemInUse" and "mount targets before the file system" in err.value.hint


@pytest.mark.e2e
def test_read_costs_one_describe_plus_lifecycle(aws: AwsConfig, counted: Any) -> None:
    efs = aws.client("efs")
    fs = shared_fs()
    file_system.create(efs, fs, claim=MINE)
    calls = counted(efs)
    file_system.read(efs, fs)
    assert calls == {"DescribeFileSystems": 1, "DescribeLifecycleConfiguration": 1}


@pytest.mark.e2e
def test_import_by_id(aws: AwsConfig) -> None:
    efs = aws.client("efs")
    fs = shared_fs(tags=cloud_tags("ws", "chat"), owner="chat")
    fs_id = file_system.create(efs, fs, claim=MINE).file_system_id
    imported = file_system.import_(efs, fs_id)
    assert imported.spec == fs
    with pytest.raises(CloudError) as err:
        file_system.import_(efs, "fs-0000000000")
    assert err.value.not_found


def test_invalid_spec_is_refused() -> None:
    with pytest.raises(SpecError) as err:
        file_system.validate(shared_fs(throughput_mode="provisioned", transition_to_ia="AFTER_2_DAYS"))
    assert set(err.value.paths) == {
        "file_system[ws-models].provisioned_throughput_mibps", "file_system[ws-models].transition_to_ia",
    }


def test_throughput_update_stubbed_moto_lacks_update_file_system(offline: AwsConfig) -> None:
    old, new = shared_fs(), shared_fs(throughput_mode="provisioned", provisioned_throughput_mibps=256.0)
    current = file_system.FileSystemState(old, file_system_id="fs-1", arn="arn:fs-1", status="available")
    efs = offline.client("efs")
    described = {
        "OwnerId": "123456789012", "CreationToken": old.creation_token, "FileSystemId": "fs-1",
        "FileSystemArn": "arn:fs-1", "CreationTime": "2026-01-01T00:00:00Z", "LifeCycleState": "available",
        "NumberOfMountTargets": 0, "SizeInBytes": {"Value": 0}, "PerformanceMode": "generalPurpose",
        "Encrypted": True, "ThroughputMode": "provisioned", "ProvisionedThroughputInMibps": 256.0,
        "Tags": [{"Key": k, "Value": v} for k, v in {**old.tags, "Name": old.name}.items()],
    }
    with Stubber(efs) as stub:
        stub.add_response("update_file_system", {**described, "LifeCycleState": "updating"},
                          {"FileSystemId": "fs-1", "ThroughputMode": "provisioned", "ProvisionedThroughputInMibps": 256.0})
        stub.add_response("describe_file_systems", {"FileSystems": [described]}, {"CreationToken": old.creation_token})
        stub.add_response("describe_lifecycle_configuration",
                          {"LifecyclePolicies": [{"TransitionToIA": "AFTER_30_DAYS"}]}, {"FileSystemId": "fs-1"})
        updated = file_system.update(efs, current, new)
        stub.assert_no_pending_responses()
    assert updated.spec == new
