"""EKS managed node group driver against a moto server (and a Stubber where moto lacks an API)."""

from __future__ import annotations

import dataclasses
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from pulumi_endpoints.aws import node_pool
from pulumi_endpoints.aws.config import AwsConfig
from pulumi_endpoints.aws.errors import CloudError
from pulumi_endpoints.aws.ownership import Claim
from pulumi_endpoints.blueprint.model import NodePool, Taint
from pulumi_endpoints.errors import SpecError
from pulumi_endpoints.labels import cloud_tags

MINE = Claim("terraform:tests:mine")  # the claim of this test's creates

GPU_TAINT = Taint("nvidia.com/gpu", "true", "NO_SCHEDULE")


def gpu_pool(ws: dict[str, Any], **changes: Any) -> NodePool:
    pool = NodePool(
        name="chat-gpu", cluster_name=ws["cluster_name"], node_role_arn=ws["node_role_arn"],
        subnet_ids=tuple(ws["subnet_ids"]), instance_types=("g5.xlarge",), ami_type="AL2023_x86_64_NVIDIA",
        capacity_type="ON_DEMAND", disk_size=100, min_size=0, max_size=2, desired_size=1,
        labels={"endpoint": "chat"}, taints=(GPU_TAINT,), tags=cloud_tags("ws", "chat"), owner="chat",
    )
    return dataclasses.replace(pool, **changes)


@pytest.mark.e2e
def test_create_read_update_delete(aws: AwsConfig, workspace: dict[str, Any]) -> None:
    eks = aws.client("eks")
    pool = gpu_pool(workspace)

    created = node_pool.create(eks, pool, claim=MINE)
    assert created.status == "ACTIVE" and created.arn.startswith("arn:aws:eks:")
    assert created.spec == dataclasses.replace(pool, subnet_ids=tuple(sorted(pool.subnet_ids)))
    assert node_pool.diff(node_pool.read(eks, pool), pool).empty

    bigger = gpu_pool(workspace, max_size=4, labels={"endpoint": "chat", "tier": "gold"},
                      taints=(GPU_TAINT, Taint("dedicated", "chat", "NO_EXECUTE")))
    updated = node_pool.update(eks, created, bigger)
    assert (updated.spec.max_size, updated.spec.labels, set(updated.spec.taints)) == (
        4, {"endpoint": "chat", "tier": "gold"}, set(bigger.taints))
    assert node_pool.diff(node_pool.read(eks, pool), bigger).empty

    node_pool.delete(eks, pool)
    assert node_pool.read(eks, pool) is None
    node_pool.delete(eks, pool)  # already gone: not an error


@pytest.mark.e2e
def test_cpu_and_gpu_ami_types_are_accepted(aws: AwsConfig, workspace: dict[str, Any]) -> None:
    eks = aws.client("eks")
    for name, ami in (("cpu", "AL2023_x86_64_STANDARD"), ("gpu", "AL2023_x86_64_NVIDIA")):
        assert node_pool.create(eks, gpu_pool(workspace, name=name, ami_type=ami), claim=MINE).spec.ami_type == ami


def test_diff_replace_and_in_place_attributes() -> None:
    ws = {"cluster_name": "c", "node_role_arn": "arn:aws:iam::1:role/n", "subnet_ids": ["subnet-a", "subnet-b"]}
    current = node_pool.NodePoolState(gpu_pool(ws), arn="arn", status="ACTIVE")
    assert node_pool.diff(current, gpu_pool(ws, instance_types=("g5.2xlarge",))).replaces == ("instance_types",)
    assert node_pool.diff(current, gpu_pool(ws, ami_type="AL2023_x86_64_STANDARD")).replaces == ("ami_type",)
    scaled = node_pool.diff(current, gpu_pool(ws, min_size=1, max_size=8, tags={**current.spec.tags, "x": "y"}))
    assert scaled.changed == ("min_size", "max_size", "tags") and not scaled.needs_replace
    # the cluster autoscaler owns desired_size, and AWS may list subnets in another order
    assert node_pool.diff(current, gpu_pool(ws, desired_size=0, subnet_ids=("subnet-b", "subnet-a"))).empty


@pytest.mark.e2e
def test_repeated_create_adopts_the_existing_node_group(aws: AwsConfig, workspace: dict[str, Any]) -> None:
    eks = aws.client("eks")
    first = node_pool.create(eks, gpu_pool(workspace), claim=MINE)
    again = node_pool.create(eks, gpu_pool(workspace, max_size=3), claim=MINE)
    assert again.arn == first.arn and again.spec.max_size == 3
    assert eks.list_nodegroups(clusterName=workspace["cluster_name"])["nodegroups"] == ["chat-gpu"]


@pytest.mark.e2e
def test_existing_node_group_with_other_replace_attributes_is_refused(
    aws: AwsConfig, workspace: dict[str, Any]
) -> None:
    eks = aws.client("eks")
    node_pool.create(eks, gpu_pool(workspace), claim=MINE)
    with pytest.raises(CloudError) as err:
        node_pool.create(eks, gpu_pool(workspace, instance_types=("p4d.24xlarge",), disk_size=200), claim=MINE)
    assert err.value.code == "AlreadyExists"
    assert "'chat-gpu'" in str(err.value) and "instance_types, disk_size" in str(err.value)


@pytest.mark.e2e
def test_drift_made_outside_shows_in_diff(aws: AwsConfig, workspace: dict[str, Any]) -> None:
    eks = aws.client("eks")
    pool = gpu_pool(workspace)
    node_pool.create(eks, pool, claim=MINE)
    boto3.client("eks").update_nodegroup_config(
        clusterName=pool.cluster_name, nodegroupName=pool.name,
        scalingConfig={"maxSize": 9}, labels={"removeLabels": ["endpoint"]},
    )
    drift = node_pool.diff(node_pool.read(eks, pool), pool)
    assert drift.changed == ("max_size", "labels") and not drift.needs_replace


@pytest.mark.e2e
def test_read_costs_one_describe(aws: AwsConfig, workspace: dict[str, Any], counted: Any) -> None:
    eks = aws.client("eks")
    pool = gpu_pool(workspace)
    node_pool.create(eks, pool, claim=MINE)
    calls = counted(eks)
    node_pool.read(eks, pool)
    assert calls == {"DescribeNodegroup": 1}
    calls.clear()
    node_pool.create(eks, gpu_pool(workspace, name="other"), claim=MINE)
    assert calls == {"CreateNodegroup": 1, "DescribeNodegroup": 1}


@pytest.mark.e2e
def test_missing_cluster_is_a_clear_error(aws: AwsConfig, workspace: dict[str, Any]) -> None:
    with pytest.raises(CloudError) as err:
        node_pool.create(aws.client("eks"), gpu_pool(workspace, cluster_name="nope"), claim=MINE)
    assert err.value.code == "ResourceNotFoundException"
    assert "node pool 'chat-gpu' (cluster 'nope')" in str(err.value) and "prerequisites" in err.value.hint


def test_invalid_spec_is_refused_before_any_call() -> None:
    ws = {"cluster_name": "c", "node_role_arn": "r", "subnet_ids": []}
    with pytest.raises(SpecError) as err:
        node_pool.validate(gpu_pool(ws, ami_type="AL2023_GPU", min_size=3, tags={}))
    assert set(err.value.paths) == {
        "node_pool[chat-gpu].node_role_arn", "node_pool[chat-gpu].subnet_ids", "node_pool[chat-gpu].ami_type",
        "node_pool[chat-gpu].max_size", "node_pool[chat-gpu].tags",
    }


def test_tag_update_stubbed_moto_lacks_node_group_tags(offline: AwsConfig) -> None:
    ws = {"cluster_name": "c", "node_role_arn": "arn:aws:iam::123456789012:role/n", "subnet_ids": ["subnet-a"]}
    old = gpu_pool(ws, tags={**cloud_tags("ws", "chat"), "team": "a", "cost": "x"})
    new = gpu_pool(ws, tags={**cloud_tags("ws", "chat"), "team": "b"})
    current = node_pool.NodePoolState(old, arn="arn:aws:eks:us-east-1:123456789012:nodegroup/c/chat-gpu/1", status="ACTIVE")
    eks = offline.client("eks")
    with Stubber(eks) as stub:
        stub.add_response("tag_resource", {}, {"resourceArn": current.arn, "tags": {"team": "b"}})
        stub.add_response("untag_resource", {}, {"resourceArn": current.arn, "tagKeys": ["cost"]})
        stub.add_response("describe_nodegroup", {"nodegroup": _wire(new, current.arn, "ACTIVE")},
                          {"clusterName": "c", "nodegroupName": "chat-gpu"})
        assert node_pool.update(eks, current, new).spec.tags == new.tags
        stub.assert_no_pending_responses()


def test_update_waits_until_active_stubbed_moto_is_active_at_once(
    offline: AwsConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    pauses: list[float] = []
    monkeypatch.setattr("time.sleep", pauses.append)
    ws = {"cluster_name": "c", "node_role_arn": "arn:aws:iam::123456789012:role/n", "subnet_ids": ["subnet-a"]}
    old, new = gpu_pool(ws), gpu_pool(ws, min_size=1, max_size=5)
    current = node_pool.NodePoolState(old, arn="arn:aws:eks:us-east-1:123456789012:nodegroup/c/chat-gpu/1", status="ACTIVE")
    eks = offline.client("eks")
    names = {"clusterName": "c", "nodegroupName": "chat-gpu"}
    with Stubber(eks) as stub:
        stub.add_response("update_nodegroup_config", {"update": {"id": "u1", "status": "InProgress"}},
                          {**names, "scalingConfig": {"minSize": 1, "maxSize": 5, "desiredSize": 1}})
        stub.add_response("describe_nodegroup", {"nodegroup": _wire(new, current.arn, "UPDATING")}, names)
        stub.add_response("describe_nodegroup", {"nodegroup": _wire(new, current.arn, "ACTIVE")}, names)
        state = node_pool.update(eks, current, new)
        stub.assert_no_pending_responses()
    assert state.status == "ACTIVE" and state.spec.min_size == 1
    assert len(pauses) == 1 and 1.0 <= pauses[0] <= 2.0


def _wire(pool: NodePool, arn: str, status: str) -> dict[str, Any]:
    return {
        "nodegroupName": pool.name, "nodegroupArn": arn, "clusterName": pool.cluster_name, "status": status,
        "nodeRole": pool.node_role_arn, "subnets": list(pool.subnet_ids), "instanceTypes": list(pool.instance_types),
        "amiType": pool.ami_type, "capacityType": pool.capacity_type, "diskSize": pool.disk_size,
        "scalingConfig": {"minSize": pool.min_size, "maxSize": pool.max_size, "desiredSize": pool.desired_size},
        "labels": pool.labels, "taints": [{"key": t.key, "value": t.value, "effect": t.effect} for t in pool.taints],
        "tags": pool.tags,
    }
