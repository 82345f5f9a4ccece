"""The policy table: complete for every resource kind, and one diff for all."""

from __future__ import annotations

import dataclasses

import pytest

from pulumi_endpoints.aws import access_point, file_system, mount_target, node_pool, secret
from pulumi_endpoints.aws.errors import CloudError
from pulumi_endpoints.aws.policy import POLICIES, Diff, Policy, diff, face_attribute, face_name, field_name
from pulumi_endpoints.blueprint.model import AccessPoint, FileSystem, MountTarget, NodePool, SecretEntry

MODELS = {"node_pool": NodePool, "file_system": FileSystem, "mount_target": MountTarget,
          "access_point": AccessPoint, "secret": SecretEntry}
STATES = {"node_pool": node_pool.NodePoolState, "file_system": file_system.FileSystemState,
          "mount_target": mount_target.MountTargetState, "access_point": access_point.AccessPointState,
          "secret": secret.SecretState}


def fields_with(kind: str, policy: Policy) -> set[str]:
    return {name for name, attr in POLICIES[kind].items() if attr.policy is policy}


@pytest.mark.parametrize("kind", sorted(MODELS))
def test_every_attribute_has_a_policy(kind: str) -> None:
    model_fields = {f.name for f in dataclasses.fields(MODELS[kind])} - {"kind", "owner"}
    outputs = {f.name for f in dataclasses.fields(STATES[kind])} - {"spec"}
    declared, computed = set(POLICIES[kind]), set(fields_with(kind, Policy.COMPUTED))
    assert model_fields <= declared
    assert computed <= outputs | model_fields  # the state carries every computed attribute
    assert declared - computed == model_fields - computed  # every declared input is a field of the model


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


@pytest.mark.parametrize(("path", "attribute"), [
    ("node_pool[prod-chat].max_size", "max_size"),
    ("node_pool[prod-chat].tags['aws:my.tag']", "tags"),
    ("node_pool[prod-chat].taints[0]", "taints"),
    ("secret[hf.token].value", "value"),
    ("mount_target[shared-subnet-1].file_system", "file_system_id"),
    ("taints", "taints"),
    ("node_pool[prod-chat]", ""),
    ("", ""),
])
def test_a_problem_path_names_the_faces_attribute(path: str, attribute: str) -> None:
    assert face_attribute(path) == attribute


def test_field_name_is_the_inverse_of_face_name() -> None:
    assert (face_name("file_system"), field_name("file_system_id")) == ("file_system_id", "file_system")
    assert face_name("subnet_id") == field_name("subnet_id") == "subnet_id"


def test_an_unknown_attribute_counts_as_changed_and_may_force_replacement() -> None:
    target = {"name": "m", "file_system": "fs", "subnet_id": "subnet-a", "security_group_ids": ["sg-1"]}
    late = diff("mount_target", target, target, unknown={"subnet_id", "mount_target_id"})
    assert (late.changed, late.replaces) == (("subnet_id",), ("subnet_id",))  # a computed one never counts


def test_an_update_that_needs_a_replacement_is_a_cloud_error() -> None:
    target = {"name": "m", "file_system": "fs", "subnet_id": "subnet-a", "security_group_ids": []}
    changes = diff("mount_target", target, {**target, "subnet_id": "subnet-b"})
    with pytest.raises(CloudError) as err:
        changes.require_in_place("mount target 'm'")
    assert err.value.code == "ReplacementRequired" and "subnet_id can only change by replacement" in str(err.value)
    Diff(changed=("security_group_ids",)).require_in_place("mount target 'm'")  # in place: fine
