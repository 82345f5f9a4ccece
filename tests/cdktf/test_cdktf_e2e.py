"""A synthesized cloud-only stack through the real Terraform binary, against the moto server."""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from terraform.harness import REGION, make_terraform, newest_terraform, terraform_version
from terraform.test_e2e import live_resources

from pulumi_endpoints.aws.config import AwsConfig

# CDKTF needs Terraform >= 1.2; the stacks hold moved blocks (Terraform >= 1.1).
pytestmark = [pytest.mark.e2e, pytest.mark.skipif(
    (terraform_version(newest_terraform()) or (0,)) < (1, 2), reason="no terraform >= 1.2 on PATH, which CDKTF needs")]

SPEC = yaml.safe_load((Path(__file__).parents[2] / "examples" / "terraform" / "endpoint.yaml").read_text())
CANARY_HF = "hf-canary-cdk-7c1d2e3f4a5b"
CANARY_TOKEN = "ws-canary-cdk-9e8d7c6b5a4f"


def synth_cloud_stack(bindings: ModuleType, outdir: Path, moto_url: str, seeded: dict[str, Any]) -> Path:
    """The example's shape: providers owned by the stack, secrets from sensitive variables."""
    cdk = bindings.cdk
    app = cdk.App(outdir=str(outdir))
    stack = cdk.TerraformStack(app, "endpoint")
    cdk.LocalBackend(stack, path="terraform.tfstate")
    bindings.EndpointsProvider(stack, "endpoints", region=REGION, endpoint_url=moto_url,
                               default_tags={"team": "ml-platform"})
    values = {name: cdk.TerraformVariable(stack, name.replace("-", "_"), type="string", sensitive=True).string_value
              for name in ("hf-token", "workspace-token")}
    workspace = {"name": "e2e", "cluster": {"name": seeded["cluster_name"], "node_role_arn": seeded["node_role_arn"],
                                            "subnet_ids": seeded["subnet_ids"],
                                            "security_group_ids": [seeded["security_group_id"]]},
                 "filesystem": {"deletion_protection": False}}
    endpoint = bindings.DedicatedEndpoint(stack, "llama3", spec=SPEC, workspace=workspace, secret_values=values,
                                          kubernetes=False)
    cdk.TerraformOutput(stack, "node_pool_arn", value=endpoint.node_pool.arn)
    app.synth()
    return outdir / "stacks" / "endpoint"


def test_cloud_stack_applies_plans_clean_and_destroys(bindings: ModuleType, tmp_path: Path, mirror: Path,
                                                      moto_url: str,
                                                      emulator: tuple[AwsConfig, dict[str, Any]]) -> None:
    aws, seeded = emulator
    tf = make_terraform(newest_terraform(), synth_cloud_stack(bindings, tmp_path / "out", moto_url, seeded), mirror,
                        moto_url)
    tf.env.update({"TF_VAR_hf_token": CANARY_HF, "TF_VAR_workspace_token": CANARY_TOKEN})

    tf.run("init", "-input=false")
    tf.apply()
    live = live_resources(aws, seeded)
    assert live["node_groups"] == ["e2e-llama3-8b"]
    assert len(live["file_systems"]) == 1 and len(live["access_points"]) == 1
    assert len(live["mount_targets"]) == len(seeded["subnet_ids"])
    assert sorted(live["secrets"]) == ["endpoints/e2e/hf-token", "endpoints/e2e/workspace-token"]
    secret = aws.client("secretsmanager").get_secret_value(SecretId="endpoints/e2e/hf-token")
    assert secret["SecretString"] == CANARY_HF

    code, out = tf.plan()
    assert code == 0 and "No changes" in out, out

    sm = aws.client("secretsmanager")
    arn = sm.describe_secret(SecretId="endpoints/e2e/hf-token")["ARN"]
    tf.run("destroy", "-auto-approve", "-input=false")
    assert live_resources(aws, seeded) == {"node_groups": [], "file_systems": [], "mount_targets": [],
                                           "access_points": [], "secrets": []}
    assert "DeletedDate" in sm.describe_secret(SecretId=arn)  # waiting out its recovery window

    # apply again: the secrets come back from their recovery window, with the values given now
    tf.env["TF_VAR_hf_token"] = CANARY_HF + "-rotated"
    tf.apply()
    assert sm.describe_secret(SecretId="endpoints/e2e/hf-token")["ARN"] == arn
    assert sm.get_secret_value(SecretId=arn, VersionStage="AWSCURRENT")["SecretString"] == CANARY_HF + "-rotated"
    assert tf.plan()[0] == 0
    tf.run("destroy", "-auto-approve", "-input=false")
    everything = tf.all_output()
    assert CANARY_HF not in everything and CANARY_TOKEN not in everything


def test_cluster_references_as_variables_apply_and_plan_clean(bindings: ModuleType, tmp_path: Path, mirror: Path,
                                                             moto_url: str,
                                                             emulator: tuple[AwsConfig, dict[str, Any]]) -> None:
    """The cluster, role, subnets and security group as Terraform variables (tokens at synth time)."""
    aws, seeded = emulator
    cdk = bindings.cdk
    app = cdk.App(outdir=str(tmp_path / "out"))
    stack = cdk.TerraformStack(app, "tokens")
    cdk.LocalBackend(stack, path="terraform.tfstate")
    bindings.EndpointsProvider(stack, "endpoints", region=REGION, endpoint_url=moto_url)

    def variable(name: str, sensitive: bool = False) -> str:
        token: str = cdk.TerraformVariable(stack, name, type="string", sensitive=sensitive).string_value
        return token

    subnets = [variable(f"subnet_{index}") for index in range(len(seeded["subnet_ids"]))]
    workspace = {"name": "tokens", "filesystem": {"deletion_protection": False}, "cluster": {
        "name": variable("cluster"), "node_role_arn": variable("role"), "subnet_ids": subnets,
        "security_group_ids": [variable("nfs")]}}
    bindings.DedicatedEndpoint(stack, "llama3", spec=SPEC, workspace=workspace, kubernetes=False, secret_values={
        "hf-token": variable("hf_token", sensitive=True), "workspace-token": variable("ws_token", sensitive=True)})
    app.synth()

    tf = make_terraform(newest_terraform(), tmp_path / "out" / "stacks" / "tokens", mirror, moto_url)
    tf.env.update({"TF_VAR_cluster": seeded["cluster_name"], "TF_VAR_role": seeded["node_role_arn"],
                   "TF_VAR_nfs": seeded["security_group_id"], "TF_VAR_hf_token": CANARY_HF,
                   "TF_VAR_ws_token": CANARY_TOKEN,
                   **{f"TF_VAR_subnet_{i}": subnet for i, subnet in enumerate(seeded["subnet_ids"])}})
    tf.run("init", "-input=false")
    tf.apply()
    live = live_resources(aws, seeded)
    assert live["node_groups"] == ["tokens-llama3-8b"]
    assert len(live["mount_targets"]) == len(seeded["subnet_ids"])
    assert tf.plan()[0] == 0
    tf.run("destroy", "-auto-approve", "-input=false")


def test_mount_targets_of_the_previous_release_move_to_their_new_addresses(
        bindings: ModuleType, tmp_path: Path, mirror: Path, moto_url: str,
        emulator: tuple[AwsConfig, dict[str, Any]]) -> None:
    """Release 0.1 addressed a mount target by its subnet id (``mount-target-subnet-…``) and named it
    ``shared-subnet-…``. Its state, applied here from this release's stack with the old addresses and
    names put back, plans as moves: nothing is created or destroyed."""
    aws, seeded = emulator
    stack_dir = synth_cloud_stack(bindings, tmp_path / "out", moto_url, seeded)
    current = json.loads((stack_dir / "cdk.tf.json").read_text())
    moves = {move["to"].split(".", 1)[1]: move["from"].split(".", 1)[1] for move in current["moved"]}
    assert len(moves) == len(seeded["subnet_ids"])
    previous = json.loads(json.dumps(current))
    del previous["moved"]
    targets = previous["resource"]["endpoints_mount_target"]
    for new, old in moves.items():
        target = targets.pop(new)
        targets[old] = {**target, "name": f"shared-{target['subnet_id']}"}
    (stack_dir / "cdk.tf.json").write_text(json.dumps(previous))
    tf = make_terraform(newest_terraform(), stack_dir, mirror, moto_url)
    tf.env.update({"TF_VAR_hf_token": CANARY_HF, "TF_VAR_workspace_token": CANARY_TOKEN})
    tf.run("init", "-input=false")
    tf.apply()
    created = live_resources(aws, seeded)["mount_targets"]

    (stack_dir / "cdk.tf.json").write_text(json.dumps(current))
    code, out = tf.plan()
    assert "0 to add" in out and "0 to destroy" in out, out
    assert out.count("# (moved from") == len(moves), out
    tf.apply()
    assert live_resources(aws, seeded)["mount_targets"] == created
    assert tf.plan()[0] == 0
    tf.run("destroy", "-auto-approve", "-input=false")
