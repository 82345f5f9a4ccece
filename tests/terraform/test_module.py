"""terraform/modules/endpoints with the real Terraform (the newest at hand) against the emulator.

A whole spec file in one configuration, an endpoint removed from it, a second configuration that
declares the same workspace (refused, the first owner's objects untouched), an endpoint-only
configuration beside the workspace owner, and secrets that come back after a destroy.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from pulumi_endpoints.aws.config import AwsConfig

from .harness import MODULE, Terraform, make_terraform, newest_terraform

pytestmark = pytest.mark.e2e

WORKSPACE = "team"
MOUNTING = {"source": {"huggingface": {"model": "Qwen/Qwen2-7B"}}, "resource_shape": "gpu.a10"}
SERVING = {"source": {"container": {"image": "python:3.10", "command": ["python3", "-m", "http.server", "8080"],
                                    "port": 8080}}, "secrets": {"HF_TOKEN": "hf-token"}}
FOUR = [{"name": "llama", **MOUNTING, "mounts": [{"from": "/models/llama", "path": "/models"}]},
        {"name": "qwen", **MOUNTING, "mounts": [{"from": "/models/qwen", "path": "/models"}]},
        {"name": "chat-a", **SERVING}, {"name": "chat-b", **SERVING}]
VALUES = {"hf-token": "hf-owner-canary-51c2", "workspace-token": "ws-owner-canary-0e7a"}


def configuration(workdir: Path, seeded: dict[str, Any], endpoints: list[dict[str, Any]], *,
                  manage_workspace: bool = True, values: dict[str, str] | None = None,
                  recovery_days: int | None = None) -> None:
    """A root module that deploys ``endpoints`` (written as a spec file) through the module."""
    workdir.mkdir(exist_ok=True)
    (workdir / "endpoints.yaml").write_text(json.dumps({"endpoints": endpoints}, indent=1))  # JSON is YAML
    cluster = {"name": seeded["cluster_name"], "node_role_arn": seeded["node_role_arn"],
               "subnet_ids": seeded["subnet_ids"], "security_group_ids": [seeded["security_group_id"]]}
    workspace = {"name": WORKSPACE, "cluster": cluster, "filesystem": {"deletion_protection": False}}
    secrets = ("  secret_values = var.secret_values\n"
               f"  secret_recovery_window_days = {recovery_days or 'null'}\n") if manage_workspace else ""
    (workdir / "main.tf").write_text(f"""
terraform {{
  required_providers {{
    endpoints = {{ source = "pulumi-endpoints/endpoints" }}
  }}
}}
provider "endpoints" {{}}
variable "secret_values" {{
  type      = map(string)
  sensitive = true
  default   = {{}}
}}
module "endpoints" {{
  source           = "{MODULE}"
  spec             = file("endpoints.yaml")
  workspace        = jsondecode({json.dumps(json.dumps(workspace))})
  manage_workspace = {str(manage_workspace).lower()}
{secrets}}}
output "manifests" {{ value = module.endpoints.manifests }}
output "endpoints" {{ value = module.endpoints.endpoints }}
""")
    (workdir / "terraform.tfvars.json").write_text(json.dumps({"secret_values": values or VALUES}))


def inventory(aws: AwsConfig, seeded: dict[str, Any]) -> dict[str, Any]:
    """What a user would look at in AWS: each object's identity and what configures it."""
    eks, efs, sm = aws.client("eks"), aws.client("efs"), aws.client("secretsmanager")
    groups = {}
    for name in eks.list_nodegroups(clusterName=seeded["cluster_name"])["nodegroups"]:
        group = eks.describe_nodegroup(clusterName=seeded["cluster_name"], nodegroupName=name)["nodegroup"]
        groups[name] = (group["nodegroupArn"], group["scalingConfig"], group["tags"])
    file_systems = {f["FileSystemId"]: f["Tags"] for f in efs.describe_file_systems()["FileSystems"]}
    targets = sorted(m["MountTargetId"] for fs in file_systems
                     for m in efs.describe_mount_targets(FileSystemId=fs)["MountTargets"])
    points = {a["AccessPointId"]: (a["RootDirectory"]["Path"], a["Tags"])
              for a in efs.describe_access_points()["AccessPoints"]}
    secrets = {}
    for listed in sm.list_secrets()["SecretList"]:
        described = sm.describe_secret(SecretId=listed["ARN"])
        secrets[listed["Name"]] = (described["ARN"], described["Tags"], described["VersionIdsToStages"],
                                   sm.get_secret_value(SecretId=listed["ARN"])["SecretString"])
    return {"node_groups": groups, "file_systems": file_systems, "mount_targets": targets,
            "access_points": points, "secrets": secrets}


def terraform(workdir: Path, mirror: Path, moto_url: str) -> Terraform:
    tf = make_terraform(newest_terraform(), workdir, mirror, moto_url)
    tf.run("init", "-input=false")
    return tf


def to_destroy(plan_output: str) -> list[str]:
    return sorted(re.findall(r"# (\S+) will be destroyed", plan_output))


def test_whole_spec_file_then_one_endpoint_removed(tmp_path: Path, mirror: Path, moto_url: str,
                                                   emulator: tuple[AwsConfig, dict[str, Any]]) -> None:
    aws, seeded = emulator
    configuration(tmp_path, seeded, FOUR)
    tf = terraform(tmp_path, mirror, moto_url)
    tf.apply()
    assert tf.plan()[0] == 0
    live = inventory(aws, seeded)
    assert sorted(live["node_groups"]) == [f"{WORKSPACE}-{n}" for n in ("chat-a", "chat-b", "llama", "qwen")]
    assert len(live["file_systems"]) == 1 and len(live["mount_targets"]) == len(seeded["subnet_ids"])
    assert sorted(path for path, _ in live["access_points"].values()) == ["/models/llama", "/models/qwen"]
    assert {name: value for name, (*_, value) in live["secrets"].items()} == {
        f"endpoints/{WORKSPACE}/{name}": value for name, value in VALUES.items()}

    configuration(tmp_path, seeded, FOUR[1:])  # llama leaves the file
    code, out = tf.plan()
    assert code == 2 and "Plan: 0 to add, 0 to change, 2 to destroy" in out, out
    assert to_destroy(out) == ['module.endpoints.endpoints_access_point.endpoint["llama-mount-0"]',
                               'module.endpoints.endpoints_node_pool.endpoint["llama"]']
    tf.apply()
    assert tf.plan()[0] == 0
    after = inventory(aws, seeded)
    llama_point = next(id_ for id_, (path, _) in live["access_points"].items() if path == "/models/llama")
    assert after == {**live, "node_groups": {k: v for k, v in live["node_groups"].items() if k != f"{WORKSPACE}-llama"},
                     "access_points": {k: v for k, v in live["access_points"].items() if k != llama_point}}

    # destroy, then apply the same file again: every object comes back (the secrets from their recovery
    # window, the rest anew under new claims) and the next plan is clean
    tf.run("destroy", "-auto-approve", "-input=false")
    gone = inventory(aws, seeded)
    assert (gone["node_groups"], gone["file_systems"], gone["access_points"], gone["secrets"]) == ({}, {}, {}, {})
    tf.apply()
    again = inventory(aws, seeded)
    assert sorted(again["node_groups"]) == sorted(after["node_groups"]) and len(again["file_systems"]) == 1
    assert {name: secret[0] for name, secret in again["secrets"].items()} == {
        name: secret[0] for name, secret in after["secrets"].items()}  # the same secrets, restored
    assert tf.plan()[0] == 0
    assert not any(value in tf.all_output() for value in VALUES.values())


def test_second_configuration_cannot_take_the_workspace(tmp_path: Path, mirror: Path, moto_url: str,
                                                        emulator: tuple[AwsConfig, dict[str, Any]]) -> None:
    aws, seeded = emulator
    first = terraform_at(tmp_path / "first", seeded, mirror, moto_url, FOUR)
    first.apply()
    before = inventory(aws, seeded)

    # the same workspace, its own endpoint and one of the first's (the same node pool)
    second = terraform_at(tmp_path / "second", seeded, mirror, moto_url,
                          [FOUR[0], {"name": "other", **MOUNTING, "mounts": [{"from": "/o", "path": "/models"}]}],
                          values={"hf-token": "second-hf", "workspace-token": "second-ws"})
    result = second.run("apply", "-auto-approve", "-input=false", ok=False)
    assert result.returncode == 1
    refused = re.findall(r"Error: (.*)", result.stderr)
    owned = [line for line in refused if re.search(r"already exists, owned by terraform:first:[0-9a-f]{16}; "
                                                   r"nothing of it was changed$", line)]
    assert sorted(line.split(":")[0].split(" '")[0] for line in owned) == [
        "file system", "node pool", "secret"], refused
    assert "terraform import <this resource's address> endpoints/team/workspace-token" in result.stderr
    assert any("workspace-token" in line for line in owned)

    after = inventory(aws, seeded)
    assert {k: v for k, v in after["node_groups"].items() if k != f"{WORKSPACE}-other"} == before["node_groups"]
    assert {k: v for k, v in after.items() if k != "node_groups"} == {k: v for k, v in before.items()
                                                                      if k != "node_groups"}
    assert first.plan()[0] == 0
    second.run("destroy", "-auto-approve", "-input=false")  # only what the second one made
    assert inventory(aws, seeded) == before
    assert first.plan()[0] == 0


def test_endpoint_only_configuration_beside_the_owner(tmp_path: Path, mirror: Path, moto_url: str,
                                                      emulator: tuple[AwsConfig, dict[str, Any]]) -> None:
    aws, seeded = emulator
    extra = [{"name": "extra", **MOUNTING, "mounts": [{"from": "/models/extra", "path": "/models"}]},
             {"name": "extra-chat", **SERVING}]
    guest = terraform_at(tmp_path / "guest", seeded, mirror, moto_url, extra, manage_workspace=False)
    early = guest.run("plan", "-input=false", ok=False)  # before the owner made the workspace
    assert early.returncode == 1
    assert ("Workspace team has no file_system/shared, secret/hf-token, secret/workspace-token yet"
            in early.stderr), early.stderr

    owner = terraform_at(tmp_path / "owner", seeded, mirror, moto_url, FOUR)
    owner.apply()
    before = inventory(aws, seeded)
    [fs_id] = before["file_systems"]
    guest.apply()
    assert guest.plan()[0] == 0
    manifests = json.loads(guest.run("output", "-json", "manifests").stdout)
    [volume] = [m for m in map(json.loads, manifests["extra"]) if m["kind"] == "PersistentVolume"]
    assert volume["spec"]["csi"]["volumeHandle"].startswith(f"{fs_id}::fsap-")
    during = inventory(aws, seeded)
    assert during["secrets"] == before["secrets"] and during["file_systems"] == before["file_systems"]
    assert set(during["node_groups"]) == set(before["node_groups"]) | {f"{WORKSPACE}-extra",
                                                                      f"{WORKSPACE}-extra-chat"}

    guest.run("destroy", "-auto-approve", "-input=false")
    assert inventory(aws, seeded) == before
    assert owner.plan()[0] == 0


def test_secrets_come_back_after_a_destroy(tmp_path: Path, mirror: Path, moto_url: str,
                                           emulator: tuple[AwsConfig, dict[str, Any]]) -> None:
    aws, seeded = emulator
    sm = aws.client("secretsmanager")
    tf = terraform_at(tmp_path, seeded, mirror, moto_url, [FOUR[2]], recovery_days=7)
    tf.apply()
    arn = sm.describe_secret(SecretId=f"endpoints/{WORKSPACE}/hf-token")["ARN"]
    tf.run("destroy", "-auto-approve", "-input=false")
    assert "DeletedDate" in sm.describe_secret(SecretId=arn)  # in its recovery window

    for values in (VALUES, {**VALUES, "hf-token": "hf-rotated-canary-9d"}):  # the same value, then a new one
        configuration(tmp_path, seeded, [FOUR[2]], values=values, recovery_days=7)
        tf.apply()
        described = sm.describe_secret(SecretId=f"endpoints/{WORKSPACE}/hf-token")
        assert described["ARN"] == arn and "DeletedDate" not in described
        assert sm.get_secret_value(SecretId=arn)["SecretString"] == values["hf-token"]
        assert tf.plan()[0] == 0
        tf.run("destroy", "-auto-approve", "-input=false")


def terraform_at(workdir: Path, seeded: dict[str, Any], mirror: Path, moto_url: str,
                 endpoints: list[dict[str, Any]], **options: Any) -> Terraform:
    configuration(workdir, seeded, endpoints, **options)
    return terraform(workdir, mirror, moto_url)


def test_findings_are_plan_warnings(tmp_path: Path, mirror: Path, moto_url: str,
                                    emulator: tuple[AwsConfig, dict[str, Any]]) -> None:
    _, seeded = emulator
    unpinned = {**SERVING, "source": {"container": {**SERVING["source"]["container"], "image": "python"}}}
    tf = terraform_at(tmp_path, seeded, mirror, moto_url, [{"name": "web", **unpinned}])
    code, out = tf.plan()
    assert code == 2
    assert ("Warning: endpoints[0].source: image python is not pinned to a version; every pull may serve "
            "something new") in out
