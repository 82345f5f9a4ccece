"""Deletion protection fails the plan, before Terraform deletes anything that sits on the file system.

examples/terraform against moto, through the real binaries. Terraform >= 1.3 asks the provider to
plan a destroy (the provider announces ServerCapabilities.plan_destroy): a destroy of the
protected file system fails at plan. Terraform 1.0.3 never asks: there the driver still refuses
at apply, after the mount targets and access points are gone. A change that replaces the file
system fails at plan on both.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pulumi_endpoints.aws.config import AwsConfig

from .harness import EXAMPLE, terraform_version, address_of, binaries, copy_example, make_terraform, resource_block
from .test_e2e import live_resources

pytestmark = pytest.mark.e2e

SECRETS = {"hf-token": "hf-value", "workspace-token": "ws-value"}
FILE_SYSTEM = address_of("file_system", "shared")
UNPROTECTED = ("-var", "file_system_protected=false")
SPEC_SETTING = "workspace.filesystem.deletion_protection: false"


def _flat(text: str) -> str:
    """Terraform wraps a diagnostic's detail at the terminal width: compare words, not lines."""
    return " ".join(text.split())


def _refused(result: Any, verb: str, name: str, token: str) -> str:
    assert result.returncode == 1, f"{result.stdout}\n{result.stderr}"
    error = _flat(result.stderr)
    assert f'Cannot {verb} file system "{name}": it is protected from deletion' in error, error
    assert f'creation token "{token}"' in error and "deletion_protection = true" in error, error
    assert "Set deletion_protection = false and apply that first" in error and SPEC_SETTING in error, error
    assert f"with {FILE_SYSTEM}" in error, error  # Terraform names the resource
    return error


@binaries
def test_a_protected_file_system_fails_the_plan_before_anything_is_deleted(
        binary: str, tmp_path: Path, mirror: Path, moto_url: str,
        emulator: tuple[AwsConfig, dict[str, Any]]) -> None:
    aws, seeded = emulator
    copy_example(tmp_path, seeded, moto_url, secret_values=SECRETS)
    tf = make_terraform(binary, tmp_path, mirror, moto_url)
    tf.run("init", "-input=false")
    tf.apply()  # file_system_protected defaults to true
    [fs] = aws.client("efs").describe_file_systems()["FileSystems"]
    name, token = fs["Name"], fs["CreationToken"]
    before = live_resources(aws, seeded)
    assert all(before.values()), before  # a node group, the file system, its mount targets, access point, secrets

    # A change that replaces the file system fails at plan, on every version, naming the setting.
    unencrypted = tmp_path / "unencrypted.yaml"
    unencrypted.write_text((EXAMPLE / "endpoint.yaml").read_text() + "workspace:\n  filesystem: {encrypted: false}\n")
    replace = ("-var", f"endpoint_spec={unencrypted.name}")
    error = _refused(tf.run("plan", "-input=false", *replace, ok=False), "replace", name, token)
    assert "encrypted can only change by replacement" in error
    _refused(tf.run("apply", "-auto-approve", "-input=false", *replace, ok=False), "replace", name, token)
    assert live_resources(aws, seeded) == before

    version = terraform_version(binary)
    assert version, binary
    if version >= (1, 3):
        # Terraform asks the provider to plan the destroy: refused there, nothing deleted.
        _refused(tf.run("plan", "-destroy", "-input=false", ok=False), "destroy", name, token)
        _refused(tf.run("destroy", "-auto-approve", "-input=false", ok=False), "destroy", name, token)
        assert live_resources(aws, seeded) == before
    else:
        # Terraform 1.0.3 plans destroys itself: the driver refuses at apply, once what depends on
        # the file system is gone (the documented fallback). The file system and its data remain.
        result = tf.run("destroy", "-auto-approve", "-input=false", ok=False)
        assert result.returncode == 1
        assert f"Cannot delete file_system {name}" in result.stderr and "protected from deletion" in result.stderr
        assert "Cannot destroy file system" not in result.stderr  # never asked at plan
        after = live_resources(aws, seeded)
        assert after["file_systems"] == before["file_systems"]
        assert after["mount_targets"] == [] and after["access_points"] == []

    # Unprotected (applied first), the same replacement plans, and a destroy leaves nothing.
    tf.apply(*UNPROTECTED)
    code, out = tf.plan(*UNPROTECTED, *replace)
    assert code == 2 and "must be replaced" in resource_block(out, FILE_SYSTEM), out
    tf.run("destroy", "-auto-approve", "-input=false", *UNPROTECTED)
    assert live_resources(aws, seeded) == {"node_groups": [], "file_systems": [], "mount_targets": [],
                                           "access_points": [], "secrets": []}


def test_the_servicer_announces_and_answers_destroy_plans() -> None:
    """In process: the capability Terraform >= 1.3 reads, and a destroy plan's answer (null state, the
    prior private data, the resource's diagnostics on deletion_protection)."""
    from tf.gen import tfplugin_pb2 as pb
    from tf.utils import to_dynamic_value

    from pulumi_endpoints.terraform.provider import EndpointsProvider
    from pulumi_endpoints.terraform.servicer import EndpointsServicer

    servicer = EndpointsServicer(EndpointsProvider())
    assert servicer.GetProviderSchema(pb.GetProviderSchema.Request(), None).server_capabilities.plan_destroy
    kind = "endpoints_file_system"
    prior = {name: None for name in servicer._get_res_attrs(kind)}
    prior.update(id="fs-1", name="shared", creation_token="endpoints-w-shared", file_system_id="fs-1")
    null = pb.DynamicValue(msgpack=b"\xc0")

    def destroy(kind: str, state: dict[str, Any]) -> Any:
        return servicer.PlanResourceChange(pb.PlanResourceChange.Request(
            type_name=kind, prior_state=to_dynamic_value(state), proposed_new_state=null, config=null,
            prior_private=b"p"), None)

    refused = destroy(kind, {**prior, "deletion_protection": True})
    assert refused.planned_state.msgpack == b"\xc0" and refused.planned_private == b"p"
    [error] = refused.diagnostics
    assert error.summary == 'Cannot destroy file system "shared": it is protected from deletion'
    assert [step.attribute_name for step in error.attribute.steps] == ["deletion_protection"]
    allowed = destroy(kind, {**prior, "deletion_protection": False})
    assert allowed.planned_state.msgpack == b"\xc0" and not allowed.diagnostics
    target = destroy("endpoints_mount_target", {"id": "fsmt-1", "file_system_id": "fs-1", "subnet_id": "subnet-1"})
    assert target.planned_state.msgpack == b"\xc0" and not target.diagnostics
