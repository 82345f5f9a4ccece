"""The drivers' checks run when Terraform plans, not only when it applies: in process, then through the binary."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tf.types import Unknown
from tf.utils import Diagnostics

from pulumi_endpoints.errors import Problem, SpecError
from pulumi_endpoints.terraform.provider import EndpointsProvider
from pulumi_endpoints.terraform.resources import NodePoolResource, SecretResource, report

from .harness import binaries, make_terraform

TAGS = {"managed-by": "pulumi-endpoints", "workspace": "w"}
POOL = {"id": None, "name": "w-chat", "cluster_name": "c", "node_role_arn": "arn:aws:iam::123456789012:role/n",
        "subnet_ids": ["subnet-1"], "instance_types": ["g5.2xlarge"], "ami_type": "AL2023_x86_64_NVIDIA",
        "capacity_type": None, "disk_size": None, "min_size": 0, "max_size": 2, "desired_size": None,
        "labels": None, "taints": None, "tags": TAGS, "tags_all": None, "arn": None, "status": None}
SECRET = {"id": None, "name": None, "secret_id": "endpoints/w/hf-token", "description": None, "value": "v",
          "tags": TAGS, "tags_all": None, "recovery_window_days": None, "force_delete": None, "arn": None,
          "version_id": None}


def configured(**settings: Any) -> EndpointsProvider:
    provider = EndpointsProvider()
    provider.configure_provider(Diagnostics(), {"region": "us-east-1", **settings})
    return provider


def errors(resource: Any, config: dict[str, Any]) -> list[tuple[str, list[str] | None]]:
    diags = Diagnostics()
    resource.validate(diags, f"endpoints_{resource.kind.name}", config)
    return [(d.summary, d.path) for d in diags.diagnostics]


def test_a_bad_value_is_reported_on_its_attribute() -> None:
    assert errors(NodePoolResource(configured()), POOL) == []
    bad = {**POOL, "ami_type": "WINDOWS_98", "tags": {**TAGS, "aws:my.tag": "x"}}
    assert errors(NodePoolResource(configured()), bad) == [
        ("Invalid endpoints_node_pool: key must be 1-128 characters, not starting with 'aws:'", ["tags"]),
        ("Invalid endpoints_node_pool: unknown AMI type 'WINDOWS_98'", ["ami_type"])]


def test_the_checks_wait_for_the_provider_configuration_and_known_inputs() -> None:
    untagged = {**POOL, "tags": None}
    assert errors(NodePoolResource(EndpointsProvider()), {**POOL, "ami_type": "WINDOWS_98"}) == []  # `validate`
    assert [path for _, path in errors(NodePoolResource(configured()), untagged)] == [["tags"], ["tags"]]
    assert errors(NodePoolResource(configured(default_tags=TAGS)), untagged) == []  # default_tags count
    assert errors(NodePoolResource(configured()), {**POOL, "ami_type": "WINDOWS_98", "subnet_ids": Unknown}) == []


def test_a_secrets_value_and_recovery_window_are_checked() -> None:
    assert errors(SecretResource(configured()), SECRET) == []
    assert errors(SecretResource(configured()), {**SECRET, "value": "", "recovery_window_days": 3}) == [
        ("Invalid endpoints_secret: 1-65536 bytes", ["value"]),
        ("Invalid endpoints_secret: between 7 and 30 days", ["recovery_window_days"])]


def test_a_problem_is_reported_on_the_terraform_attribute() -> None:
    diags = Diagnostics()
    report(diags, SpecError([Problem("mount_target[m].file_system", "no such file system"),
                             Problem("node_pool[p].tags['aws:my.tag']", "reserved key")]), "Cannot create")
    assert [d.path for d in diags.diagnostics] == [["file_system_id"], ["tags"]]


BAD_POOL = """
resource "endpoints_node_pool" "bad" {
  name           = "w-chat"
  cluster_name   = "c"
  node_role_arn  = "arn:aws:iam::123456789012:role/n"
  subnet_ids     = ["subnet-1"]
  instance_types = ["g5.2xlarge"]
  ami_type       = "WINDOWS_98"
  min_size       = 0
  max_size       = 2
  tags           = { managed-by = "pulumi-endpoints", workspace = "w" }
}
"""


@pytest.mark.e2e
@binaries
def test_terraform_plan_fails_on_a_bad_value_with_its_attribute(binary: str, tmp_path: Path, mirror: Path,
                                                                  moto_url: str) -> None:
    (tmp_path / "main.tf").write_text('terraform {\n  required_providers {\n'
                                      '    endpoints = { source = "pulumi-endpoints/endpoints" }\n  }\n}\n' + BAD_POOL)
    tf = make_terraform(binary, tmp_path, mirror, moto_url)
    tf.run("init", "-input=false")
    result = tf.run("plan", "-input=false", ok=False)
    assert result.returncode == 1
    assert "Invalid endpoints_node_pool: unknown AMI type 'WINDOWS_98'" in result.stderr
    assert 'ami_type       = "WINDOWS_98"' in result.stderr  # Terraform points at the attribute
