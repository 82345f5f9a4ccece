"""EFS access point driver against a moto server."""

from __future__ import annotations

import dataclasses
from typing import Any

import boto3
import pytest

from pulumi_endpoints.aws import access_point
from pulumi_endpoints.aws.config import AwsConfig
from pulumi_endpoints.aws.errors import CloudError
from pulumi_endpoints.aws.ownership import Claim
from pulumi_endpoints.blueprint.model import AccessPoint
from pulumi_endpoints.errors import SpecError
from pulumi_endpoints.labels import cloud_tags

MINE = Claim("terraform:tests:mine")  # the claim of this test's creates


@pytest.fixture
def fs_id(aws: AwsConfig) -> str:
    return str(aws.client("efs").create_file_system(CreationToken="ws-models")["FileSystemId"])


def chat_ap(fs_id: str, **changes: Any) -> AccessPoint:
    ap = AccessPoint(name="chat-models", file_system=fs_id, path="/models/chat", uid=1000, gid=1000,
                     permissions="0755", tags=cloud_tags("ws", "chat"), owner="chat")
    return dataclasses.replace(ap, **changes)


@pytest.mark.e2e
def test_create_read_update_delete(aws: AwsConfig, fs_id: str) -> None:
    efs = aws.client("efs")
    created = access_point.create(efs, chat_ap(fs_id), claim=MINE)
    assert created.spec == chat_ap(fs_id) and created.access_point_id.startswith("fsap-")
    assert access_point.diff(access_point.read(efs, chat_ap(fs_id)), chat_ap(fs_id)).empty

    retagged = chat_ap(fs_id, tags={**chat_ap(fs_id).tags, "team": "ml"})
    assert access_point.update(efs, created, retagged).spec.tags["team"] == "ml"

    access_point.delete(efs, retagged)
    assert access_point.read(efs, retagged) is None
    access_point.delete(efs, retagged)  # already gone: not an error


def test_diff_replace_and_in_place_attributes() -> None:
    current = access_point.AccessPointState(chat_ap(fs_id), "fs-1", "fsap-1", "arn", "available")
    assert access_point.diff(current, chat_ap(fs_id, path="/models/other", uid=0)).replaces == ("path", "uid")
    retagged = access_point.diff(current, chat_ap(fs_id, tags={"managed-by": "x", "workspace": "ws"}))
    assert retagged.changed == ("tags",) and not retagged.needs_replace


@pytest.mark.e2e
def test_repeated_create_adopts_by_client_token(aws: AwsConfig, fs_id: str) -> None:
    efs = aws.client("efs")
    first = access_point.create(efs, chat_ap(fs_id), claim=MINE)
    again = access_point.create(efs, chat_ap(fs_id), claim=MINE)
    assert again.access_point_id == first.access_point_id
    assert len(efs.describe_access_points(FileSystemId=fs_id)["AccessPoints"]) == 1
    with pytest.raises(CloudError) as err:
        access_point.create(efs, chat_ap(fs_id, path="/elsewhere"), claim=MINE)
    assert err.value.code == "AlreadyExists" and "different path" in str(err.value)


@pytest.mark.e2e
def test_drift_and_deletion_outside_show(aws: AwsConfig, fs_id: str) -> None:
    efs = aws.client("efs")
    state = access_point.create(efs, chat_ap(fs_id), claim=MINE)
    outside = boto3.client("efs")
    outside.untag_resource(ResourceId=state.access_point_id, TagKeys=["endpoint"])
    assert access_point.diff(access_point.read(efs, chat_ap(fs_id)), chat_ap(fs_id)).changed == ("tags",)
    outside.delete_access_point(AccessPointId=state.access_point_id)
    assert access_point.read(efs, chat_ap(fs_id)) is None


@pytest.mark.e2e
def test_read_lists_once_per_file_system(aws: AwsConfig, fs_id: str, counted: Any) -> None:
    efs = aws.client("efs")
    for name in ("a", "b", "c"):
        access_point.create(efs, chat_ap(fs_id, name=name, path=f"/models/{name}"), claim=MINE)
    calls = counted(efs)
    access_point.read(efs, chat_ap(fs_id, name="b", path="/models/b"))
    assert calls == {"DescribeAccessPoints": 1}


@pytest.mark.e2e
def test_import_by_id_then_read_finds_it(aws: AwsConfig, fs_id: str) -> None:
    efs = aws.client("efs")
    made = boto3.client("efs").create_access_point(
        ClientToken="by-hand", FileSystemId=fs_id, PosixUser={"Uid": 1000, "Gid": 1000},
        RootDirectory={"Path": "/models/chat",
                       "CreationInfo": {"OwnerUid": 1000, "OwnerGid": 1000, "Permissions": "0755"}},
        Tags=[{"Key": "Name", "Value": "chat-models"}, *({"Key": k, "Value": v} for k, v in chat_ap(fs_id).tags.items())],
    )
    imported = access_point.import_(efs, made["AccessPointId"])
    assert imported.spec == chat_ap(fs_id)
    assert access_point.read(efs, chat_ap(fs_id)).access_point_id == made["AccessPointId"]


def test_invalid_spec_is_refused() -> None:
    with pytest.raises(SpecError) as err:
        access_point.validate(chat_ap(fs_id, path="models", permissions="rwx"))
    assert set(err.value.paths) == {"access_point[chat-models].path", "access_point[chat-models].permissions"}
