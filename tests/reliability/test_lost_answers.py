"""Every AWS call's first answer is lost after AWS did the work (or fails before it): botocore retries,
and each driver's create/update/delete still ends in the right state, with nothing duplicated."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import pytest

from pulumi_endpoints.aws import access_point, file_system, mount_target, node_pool, secret
from pulumi_endpoints.aws.config import AwsConfig
from pulumi_endpoints.aws.emulator import CREDENTIALS, seed
from pulumi_endpoints.aws.ownership import Claim
from pulumi_endpoints.blueprint.model import AccessPoint, FileSystem, MountTarget, NodePool, SecretEntry, SecretValue, Taint
from pulumi_endpoints.labels import cloud_tags

from .fault_proxy import FaultProxy

MINE = Claim("terraform:tests:mine")  # the claim of this test's creates

pytestmark = pytest.mark.e2e
REGION = "us-east-1"


@pytest.fixture(params=["lost", "reset", "500"])  # throttling never reaches AWS: test_fault_proxy
def faulty(request: pytest.FixtureRequest, moto_url: str) -> Iterator[tuple[AwsConfig, AwsConfig, dict[str, Any]]]:
    """(config through the proxy, config straight to moto, seeded workspace); every call's first try faulted."""
    from pulumi_endpoints.aws.emulator import reset

    reset(moto_url)
    direct = AwsConfig(region=REGION, endpoint_url=moto_url, static_credentials=CREDENTIALS)
    seeded = seed(direct, "ws")
    with FaultProxy(moto_url, rate=1.0, seed=3, kinds=(request.param,), max_faults_per_call=1) as proxy:
        LOST[proxy.url] = request.param == "lost"
        yield AwsConfig(region=REGION, endpoint_url=proxy.url, static_credentials=CREDENTIALS), direct, seeded
        assert proxy.figures.retries == proxy.figures.calls  # every call needed its retry


def lost(aws: AwsConfig) -> bool:
    return bool(LOST.get(aws.endpoint_url))


LOST: dict[str | None, bool] = {}


def test_node_pool(faulty: tuple[AwsConfig, AwsConfig, dict[str, Any]]) -> None:
    aws, direct, ws = faulty
    pool = NodePool(name="ws-chat", cluster_name=ws["cluster_name"], node_role_arn=ws["node_role_arn"],
                    subnet_ids=tuple(sorted(ws["subnet_ids"])), instance_types=("g5.xlarge",),
                    ami_type="AL2023_x86_64_NVIDIA", capacity_type="ON_DEMAND", disk_size=100, min_size=0,
                    max_size=2, desired_size=0, labels={"a": "1"}, taints=(Taint("nvidia.com/gpu", "true",
                                                                                 "NO_SCHEDULE"),), tags=cloud_tags("ws", None))
    eks = aws.client("eks")
    created = node_pool.create(eks, pool, claim=MINE)
    assert node_pool.diff(created, pool).empty
    bigger = dataclasses.replace(pool, max_size=4, labels={"a": "2"})
    assert node_pool.diff(node_pool.update(eks, created, bigger), bigger).empty
    assert direct.client("eks").list_nodegroups(clusterName=ws["cluster_name"])["nodegroups"] == ["ws-chat"]
    node_pool.delete(eks, bigger)
    node_pool.delete(eks, bigger)
    assert direct.client("eks").list_nodegroups(clusterName=ws["cluster_name"])["nodegroups"] == []


def test_secret(faulty: tuple[AwsConfig, AwsConfig, dict[str, Any]]) -> None:
    aws, direct, _ = faulty
    entry = SecretEntry(name="hf", secret_id="endpoints/ws/hf", description="d", tags=cloud_tags("ws", None))
    sm = aws.client("secretsmanager")
    created = secret.create(sm, dataclasses.replace(entry, value=SecretValue("one")), claim=MINE)
    assert secret.diff(created, entry).empty
    updated = secret.update(sm, created, dataclasses.replace(entry, description="e", value=SecretValue("two")))
    assert secret.diff(updated, dataclasses.replace(entry, description="e")).empty
    assert direct.client("secretsmanager").get_secret_value(SecretId=entry.secret_id)["SecretString"] == "two"
    secret.delete(sm, dataclasses.replace(entry, force_delete=True))
    secret.delete(sm, dataclasses.replace(entry, force_delete=True))
    listed = direct.client("secretsmanager").list_secrets(IncludePlannedDeletion=True)["SecretList"]
    assert listed == []


def test_file_system_mount_target_access_point(faulty: tuple[AwsConfig, AwsConfig, dict[str, Any]]) -> None:
    aws, direct, ws = faulty
    efs = aws.client("efs")
    fs = FileSystem(name="ws-models", creation_token="ws-models-0001", performance_mode="generalPurpose",
                    throughput_mode="elastic", provisioned_throughput_mibps=None, encrypted=True,
                    transition_to_ia=None, deletion_protection=False, tags=cloud_tags("ws", None))
    fs_id = file_system.create(efs, fs, claim=MINE).file_system_id
    target = MountTarget(name="ws-models-0", file_system=fs_id, subnet_id=ws["subnet_ids"][0],
                         security_group_ids=(ws["security_group_id"],))
    mount_target.create(efs, target, claim=MINE)
    ap = AccessPoint(name="chat", file_system=fs_id, path="/models/chat", uid=1000, gid=1000,
                     permissions="0755", tags=cloud_tags("ws", None))
    access_point.create(efs, ap, claim=MINE)
    held = direct.client("efs")
    assert len(held.describe_file_systems()["FileSystems"]) == 1
    assert len(held.describe_mount_targets(FileSystemId=fs_id)["MountTargets"]) == 1
    points = held.describe_access_points()["AccessPoints"]
    # Real EFS is idempotent on ClientToken: a retried CreateAccessPoint returns the first one. moto 5
    # ignores the token, so a lost answer leaves a second access point there, with the same token.
    assert len({p["ClientToken"] for p in points}) == 1 and len(points) in ((1, 2) if lost(aws) else (1,))
    for extra in points[1:]:
        held.delete_access_point(AccessPointId=extra["AccessPointId"])  # the emulator's duplicate, not AWS's
    for _ in range(2):  # deleting twice: the second finds nothing, and that is fine
        access_point.delete(efs, ap)
        mount_target.delete(efs, target)
        file_system.delete(efs, fs)
    assert held.describe_file_systems()["FileSystems"] == [] and held.describe_access_points()["AccessPoints"] == []
