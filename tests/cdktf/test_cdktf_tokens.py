"""Workspace references given as CDKTF tokens (variables, other constructs' attributes): they reach
every resource and manifest as Terraform references, and no stand-in shows in the synthesized JSON."""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType

import pytest
import yaml
from cdktf_testing import SECRETS, new_stack, synth

from pulumi_endpoints.errors import SpecError

SPEC = yaml.safe_load((Path(__file__).parents[2] / "examples" / "terraform" / "endpoint.yaml").read_text())


def test_tokens_in_the_cluster_references(bindings: ModuleType, tmp_path: Path) -> None:
    stack = new_stack(bindings, tmp_path)

    def variable(name: str) -> str:
        return bindings.cdk.TerraformVariable(stack, name, type="string").string_value  # type: ignore[no-any-return]

    cluster = {"name": variable("cluster"), "node_role_arn": variable("role"),
               "subnet_ids": [variable("subnet_a"), variable("subnet_b")], "security_group_ids": [variable("nfs")]}
    bindings.DedicatedEndpoint(stack, "llama", spec=SPEC, workspace={"name": "synth", "cluster": cluster},
                               secret_values=SECRETS)
    synthesized = synth(bindings, stack)
    text = json.dumps(synthesized)
    assert "cdktf-token" not in text
    pool = next(iter(synthesized["resource"]["endpoints_node_pool"].values()))
    assert (pool["cluster_name"], pool["node_role_arn"]) == ("${var.cluster}", "${var.role}")
    assert sorted(pool["subnet_ids"]) == ["${var.subnet_a}", "${var.subnet_b}"]
    assert pool["tags"]["k8s.io/cluster-autoscaler/${var.cluster}"] == "owned"  # in a tag key too
    targets = synthesized["resource"]["endpoints_mount_target"].values()
    assert sorted(t["subnet_id"] for t in targets) == ["${var.subnet_a}", "${var.subnet_b}"]
    assert {tuple(t["security_group_ids"]) for t in targets} == {("${var.nfs}",)}


def test_a_list_token_for_the_subnets_is_refused_with_its_path(bindings: ModuleType, tmp_path: Path) -> None:
    stack = new_stack(bindings, tmp_path)
    subnets = bindings.cdk.TerraformVariable(stack, "subnets", type="list(string)").list_value
    with pytest.raises(SpecError) as refused:
        bindings.DedicatedEndpoint(stack, "llama", spec=SPEC, workspace={"name": "synth", "cluster": {
            "name": "gpu", "subnet_ids": subnets}}, secret_values=SECRETS)
    assert refused.value.paths == ["workspace.cluster.subnet_ids"]


def test_two_endpoints_share_a_tokenized_workspace_once(bindings: ModuleType, tmp_path: Path) -> None:
    """A platform team's stack: one Workspace with token references, two endpoints on it."""
    stack = new_stack(bindings, tmp_path)
    cluster = {"name": bindings.cdk.TerraformVariable(stack, "cluster", type="string").string_value,
               "subnet_ids": [bindings.cdk.TerraformVariable(stack, f"subnet_{i}", type="string").string_value
                              for i in range(2)]}
    workspace = bindings.Workspace(stack, "workspace", workspace={"name": "synth", "cluster": cluster},
                                   secret_values=SECRETS)
    for name in ("llama", "other"):
        bindings.DedicatedEndpoint(stack, name, spec={**SPEC, "name": name}, workspace=workspace)
    synthesized = synth(bindings, stack)
    resources = synthesized["resource"]
    assert "cdktf-token" not in json.dumps(synthesized)
    assert len(resources["endpoints_file_system"]) == 1 and len(resources["endpoints_mount_target"]) == 2
    pools = resources["endpoints_node_pool"].values()
    assert sorted(p["name"] for p in pools) == ["synth-llama", "synth-other"]
    assert {p["cluster_name"] for p in pools} == {"${var.cluster}"}


def test_tokens_in_the_endpoint_spec_reach_the_deployment(bindings: ModuleType, tmp_path: Path) -> None:
    """An image and an env value known only at apply time (another construct's attribute, a variable):
    Terraform references in the Deployment; a token where the expansion needs a plain value is refused."""
    stack = new_stack(bindings, tmp_path)
    image = bindings.cdk.TerraformVariable(stack, "image", type="string").string_value
    upstream = bindings.cdk.TerraformVariable(stack, "upstream", type="string").string_value
    spec = {"name": "web", "resource_shape": "cpu.small", "access": {"public": True}, "env": {"UPSTREAM": upstream},
            "source": {"container": {"image": image, "port": 8080}}}
    bindings.DedicatedEndpoint(stack, "web", spec=spec, workspace={"name": "synth"})
    synthesized = synth(bindings, stack)
    assert "{{ref:" not in json.dumps(synthesized)
    deployment = next(m["manifest"] for m in synthesized["resource"]["kubernetes_manifest"].values()
                      if m["manifest"]["kind"] == "Deployment")
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    assert container["image"] == "${var.image}"
    assert {"name": "UPSTREAM", "value": "${var.upstream}"} in container["env"]

    shape = bindings.cdk.TerraformVariable(stack, "shape", type="string").string_value
    with pytest.raises(SpecError) as refused:
        bindings.DedicatedEndpoint(stack, "other", spec={**spec, "name": "other", "resource_shape": shape},
                                   workspace={"name": "synth"})
    assert refused.value.paths == ["resource_shape"] and "needs a plain value" in str(refused.value)


def test_mount_targets_move_from_the_previous_releases_addresses(bindings: ModuleType, tmp_path: Path) -> None:
    """Release 0.1 (84884bd) addressed a mount target by its subnet id, or by its place when the subnet
    was a token. The "from" addresses below are what that release's code synthesized for this very
    stack; every one moves to the new address, so Terraform replaces none."""
    stack = new_stack(bindings, tmp_path)

    def variable(name: str) -> str:
        return bindings.cdk.TerraformVariable(stack, name, type="string").string_value  # type: ignore[no-any-return]

    cluster = {"name": "gpu", "subnet_ids": [variable("a"), "subnet-0lit", variable("c")],
               "security_group_ids": ["sg-1"]}
    bindings.DedicatedEndpoint(stack, "llama", spec=SPEC, workspace={"name": "synth", "cluster": cluster},
                               secret_values=SECRETS)
    synthesized = synth(bindings, stack)
    moved = {move["from"].split(".", 1)[1]: move["to"].split(".", 1)[1] for move in synthesized["moved"]}
    assert set(moved) == {"llama_workspace_mount-target-subnet-0_691B821E",
                          "llama_workspace_mount-target-subnet-0lit_924DA586",
                          "llama_workspace_mount-target-subnet-2_1FE94BDD"}
    assert set(moved.values()) == set(synthesized["resource"]["endpoints_mount_target"])
