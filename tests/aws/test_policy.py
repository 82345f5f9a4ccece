"""The policy table: complete for every resource kind, and one diff for all."""

from __future__ import annotations

import dataclasses

import pytest

from pulumi_endpoints.aws import access_point, file_system, mount_target, node_pool, secret
from pulumi_endpoints.aws.policy import POLICIES, Policy, diff, fields_with
from pulumi_endpoints.blueprint.model import AccessPoint, FileSystem, MountTarget, NodePool, SecretEntry

MODELS = {"node_pool": NodePool, "file_system": FileSystem, "mount_target": MountTarget,
          "access_point": AccessPoint, "secret": SecretEntry}
STATES = {"node_pool": node_pool.NodePoolState, "file_system": file_system.FileSystemState,
          "mount_target": mount_target.MountTargetState, "access_point": access_point.AccessPointState,
          "secret": secret.SecretState}


@pytest.mark.parametrize("kind", sorted(MODELS))
def test_every_attribute_has_a_policy(kind: str) -> None:
    model_fields = {f.name for f in dataclasses.fields(MODELS[kind])} - {"kind", "owner"}
    outputs = {f.name for f in dataclasses.fields(STATES[kind])} - {"spec"}
    declared, computed = set(POLICIES[kind]), set(fields_with(kind, Policy.COMPUTED))
    assert model_fields <= declared
    assert computed <= outputs | model_fields  # the state carries every computed attribute
    assert declared - computed - model_fields <= {"value"}  # a secret's value comes beside its entry


def test_design_examples_hold() -> None:
    assert set(fields_with("node_pool", Policy.REPLACE)) >= {
        "instance_types", "ami_type", "capacity_type", "disk_size", "subnet_ids"}
    assert set(fields_with("node_pool", Policy.IN_PLACE)) >= {"min_size", "max_size", "labels", "taints", "tags"}
    assert set(fields_with("file_system", Policy.REPLACE)) >= {"performance_mode", "encrypted"}
    assert set(fields_with("file_system", Policy.IN_PLACE)) >= {"throughput_mode", "transition_to_ia"}
    assert POLICIES["secret"]["value"].policy is Policy.IN_PLACE and POLICIES["secret"]["value"].sensitive


def test_diff_ignores_computed_and_order_of_unordered_fields() -> None:
    current = {"subnet_id": "subnet-a", "security_group_ids": ["sg-1", "sg-2"], "name": "m", "file_system": "fs",
               "mount_target_id": "fsmt-1", "ip_address": "10.0.0.1", "status": "available"}
    desired = {**current, "security_group_ids": ("sg-2", "sg-1"), "mount_target_id": None, "status": "creating"}
    assert diff("mount_target", current, desired).empty
    moved = diff("mount_target", current, {**desired, "subnet_id": "subnet-b", "security_group_ids": ("sg-3",)})
    assert moved.changed == ("subnet_id", "security_group_ids") and moved.replaces == ("subnet_id",)


def test_diff_refuses_an_object_missing_an_attribute() -> None:
    with pytest.raises(KeyError):
        diff("secret", {"name": "a"}, {"name": "a"})
