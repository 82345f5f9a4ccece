"""DedicatedEndpoint synthesized with cdktf.Testing, once per library (cdktf and cdktn)."""

from __future__ import annotations

import importlib.metadata
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from cdktf_testing import SECRETS, WORKSPACE, new_stack, synth
from k8s_validation import validate_manifests

from pulumi_endpoints.blueprint import expand
from pulumi_endpoints.blueprint.refs import resolve
from pulumi_endpoints.errors import SpecError
from pulumi_endpoints.spec import EndpointSpec, WorkspaceSpec, load_file, validate_model

SPEC = yaml.safe_load((Path(__file__).parents[2] / "examples" / "terraform" / "endpoint.yaml").read_text())
REFERENCE = re.compile(r"\$\{(endpoints_[a-z_]+)\.[^.}]+\.([a-z_]+)\}")
FAKE_IDS = {"file_system_id": "fs-0123456789abcdef0", "access_point_id": "fsap-0123456789abcdef0"}


def endpoint(bindings: ModuleType, tmp_path: Path, **options: Any) -> tuple[Any, Any]:
    stack = new_stack(bindings, tmp_path)
    options = {"workspace": WORKSPACE, "secret_values": SECRETS, **options}
    return stack, bindings.DedicatedEndpoint(stack, "llama", spec=SPEC, **options)


def resources(synthesized: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return list(synthesized["resource"].get(kind, {}).values())


def as_applied(manifest: dict[str, Any]) -> dict[str, Any]:
    """What Terraform hands the cluster: escapes undone, references replaced by fake cloud ids."""
    text = REFERENCE.sub(lambda m: FAKE_IDS[m.group(2)], json.dumps(manifest))
    return json.loads(text.replace("$${", "${").replace("%%{", "%{"))  # type: ignore[no-any-return]


def test_cloud_resources_come_from_the_expansion(bindings: ModuleType, tmp_path: Path) -> None:
    stack, _ = endpoint(bindings, tmp_path)
    out = bindings.cdk.Testing.synth(stack)
    testing = bindings.cdk.Testing
    assert testing.to_have_resource_with_properties(out, "endpoints_node_pool", {
        "name": "synth-llama3-8b", "cluster_name": "gpu", "instance_types": ["g5.2xlarge"],
        "ami_type": "AL2023_x86_64_NVIDIA", "min_size": 1, "max_size": 5,
        "taints": ["nvidia.com/gpu=true:NoSchedule"]})
    assert testing.to_have_resource_with_properties(out, "endpoints_file_system", {
        "name": "shared", "creation_token": "endpoints-synth-shared", "deletion_protection": True})
    assert testing.to_have_resource_with_properties(out, "endpoints_access_point", {
        "name": "llama3-8b-mount-0", "path": "/models/llama3"})
    assert testing.to_have_resource_with_properties(out, "endpoints_secret", {
        "secret_id": "endpoints/synth/hf-token", "value": "hf-test"})
    synthesized = json.loads(out)
    assert sorted(m["subnet_id"] for m in resources(synthesized, "endpoints_mount_target")) == ["subnet-a", "subnet-b"]
    for child in resources(synthesized, "endpoints_mount_target") + resources(synthesized, "endpoints_access_point"):
        assert re.fullmatch(r"\$\{endpoints_file_system\.[^.]+\.file_system_id\}", child["file_system_id"])


def test_manifests_get_the_cloud_ids_as_terraform_references(bindings: ModuleType, tmp_path: Path) -> None:
    stack, construct = endpoint(bindings, tmp_path)
    synthesized = synth(bindings, stack)
    [volume] = [m["manifest"] for m in resources(synthesized, "kubernetes_manifest")
                if m["manifest"]["kind"] == "PersistentVolume"]
    handle = volume["spec"]["csi"]["volumeHandle"]
    assert re.fullmatch(r"\$\{endpoints_file_system\.\S+\.file_system_id\}::"
                        r"\$\{endpoints_access_point\.\S+\.access_point_id\}", handle), handle
    assert "{{ref:" not in json.dumps(synthesized)
    # apart from escapes and references, every manifest is the expansion's, byte for byte
    ids = {("file_system", "shared", "id"): FAKE_IDS["file_system_id"],
           ("access_point", "llama3-8b-mount-0", "id"): FAKE_IDS["access_point_id"]}
    applied = [as_applied(m["manifest"]) for m in resources(synthesized, "kubernetes_manifest")]
    expected = expand(validate_model(EndpointSpec, SPEC), validate_model(WorkspaceSpec, WORKSPACE)).manifests

    def canonical(manifest: dict[str, Any]) -> str:
        return json.dumps(manifest, sort_keys=True)

    assert sorted(applied, key=canonical) == sorted((resolve(m, ids) for m in expected), key=canonical)


def test_synthesized_manifests_validate_against_the_official_schemas(bindings: ModuleType, tmp_path: Path) -> None:
    stack, _ = endpoint(bindings, tmp_path)
    manifests = [as_applied(m["manifest"]) for m in resources(synth(bindings, stack), "kubernetes_manifest")]
    assert {m["kind"] for m in manifests} >= {"Deployment", "Service", "HTTPRoute", "ScaledObject", "PersistentVolume"}
    assert validate_manifests(manifests) == []


def test_template_sequences_are_escaped(bindings: ModuleType, tmp_path: Path) -> None:
    """Grafana's ${datasource} would be a Terraform interpolation without its escape."""
    stack, _ = endpoint(bindings, tmp_path)
    text = json.dumps(synth(bindings, stack)["resource"]["kubernetes_manifest"])
    assert "$${datasource}" in text
    assert re.search(r"(?<!\$)\$\{(?!endpoints_)", text) is None


def test_kubernetes_false_manages_only_the_cloud_side(bindings: ModuleType, tmp_path: Path) -> None:
    stack, construct = endpoint(bindings, tmp_path, kubernetes=False)
    synthesized = synth(bindings, stack)
    assert "kubernetes_manifest" not in synthesized["resource"] and construct.manifests == {}
    assert len(resources(synthesized, "endpoints_node_pool")) == 1


def test_no_provider_inside_the_construct_and_typed_handles(bindings: ModuleType, tmp_path: Path) -> None:
    stack, construct = endpoint(bindings, tmp_path)
    synthesized = synth(bindings, stack)
    assert "provider" not in synthesized
    assert isinstance(construct.node_pool, bindings.NodePool)
    assert isinstance(construct.workspace.file_system, bindings.FileSystem)
    assert set(construct.workspace.secrets) == {"hf-token", "workspace-token"}
    assert set(construct.cloud) == {(r.kind, r.name) for r in construct.blueprint.cloud}
    assert isinstance(construct.manifests["Deployment-endpoints-llama3-8b-llama3-8b"], bindings.KubernetesManifest)
    # Everything of the endpoint waits for its namespace.
    manifests = synthesized["resource"]["kubernetes_manifest"]
    (namespace,) = [key for key, r in manifests.items() if r["manifest"]["kind"] == "Namespace"]
    assert len(manifests) > 10 and all(r["depends_on"] == [f"kubernetes_manifest.{namespace}"]
                                       for key, r in manifests.items() if key != namespace)
    assert construct.url == "https://llama3-8b.synth.endpoints.internal"


def test_stack_owns_the_providers(bindings: ModuleType, tmp_path: Path) -> None:
    stack = new_stack(bindings, tmp_path)
    bindings.EndpointsProvider(stack, "endpoints", region="us-east-1", default_tags={"team": "ml"}, alias="east")
    bindings.KubernetesProvider(stack, "kubernetes", config_path="~/.kube/config")
    synthesized = synth(bindings, stack)
    assert synthesized["provider"]["endpoints"] == [{"alias": "east", "default_tags": {"team": "ml"},
                                                     "region": "us-east-1"}]
    assert synthesized["terraform"]["required_providers"] == {
        "endpoints": {"source": "pulumi-endpoints/endpoints", "version": "~> 0.1"},
        "kubernetes": {"source": "hashicorp/kubernetes", "version": ">= 2.25"}}


def test_resources_given_an_aliased_provider_refer_to_it(bindings: ModuleType, tmp_path: Path) -> None:
    stack = new_stack(bindings, tmp_path)
    west = bindings.EndpointsProvider(stack, "west", region="us-west-2", alias="west")
    bindings.Secret(stack, "token", secret_id="endpoints/west/hf-token", value="x", provider=west)
    synthesized = synth(bindings, stack)
    assert synthesized["provider"]["endpoints"] == [{"alias": "west", "region": "us-west-2"}]
    assert [s["provider"] for s in resources(synthesized, "endpoints_secret")] == ["endpoints.west"]


def test_endpoints_of_one_workspace_share_its_resources(bindings: ModuleType, tmp_path: Path) -> None:
    stack = new_stack(bindings, tmp_path)
    workspace = bindings.Workspace(stack, "workspace", workspace=WORKSPACE, secret_values=SECRETS)
    for name in ("llama3-8b", "llama3-70b"):
        bindings.DedicatedEndpoint(stack, name, spec={**SPEC, "name": name}, workspace=workspace)
    synthesized = synth(bindings, stack)
    assert len(resources(synthesized, "endpoints_node_pool")) == 2
    assert len(resources(synthesized, "endpoints_access_point")) == 2
    assert len(resources(synthesized, "endpoints_file_system")) == 1
    assert len(resources(synthesized, "endpoints_mount_target")) == 2
    assert sorted(s["secret_id"] for s in resources(synthesized, "endpoints_secret")) == [
        "endpoints/synth/hf-token", "endpoints/synth/workspace-token"]


def test_input_errors_name_the_field(bindings: ModuleType, tmp_path: Path) -> None:
    with pytest.raises(SpecError) as missing:
        endpoint(bindings, tmp_path, secret_values={"workspace-token": "x"})
    assert missing.value.paths == ["secret_values.hf-token"]
    bad = {**SPEC, "autoscaling": {"qpm": {"min_replicas": 3, "max_replicas": 2, "target_qpm": 5}}}
    with pytest.raises(SpecError) as invalid:
        bindings.DedicatedEndpoint(new_stack(bindings, tmp_path, "bad"), "bad", spec=bad, workspace=WORKSPACE,
                                   secret_values=SECRETS)
    assert invalid.value.paths == ["autoscaling.qpm.max_replicas"]
    with pytest.raises(SpecError) as workspace:
        bindings.Workspace(new_stack(bindings, tmp_path, "ws"), "ws", workspace={"region": "mars"})
    assert workspace.value.paths == ["workspace.region"]


@pytest.mark.e2e
def test_the_example_synthesizes(bindings: ModuleType, tmp_path: Path) -> None:
    example = Path(__file__).parents[2] / "examples" / "cdktf" / "main.py"
    env = {**os.environ, "ENDPOINTS_CDK": bindings.cdk.__name__}
    subprocess.run([sys.executable, str(example), "--outdir", str(tmp_path)], env=env, check=True,
                   capture_output=True, timeout=120)
    synthesized = json.loads((tmp_path / "stacks" / "llama3-8b" / "cdk.tf.json").read_text())
    assert synthesized["//"]["metadata"]["version"] == importlib.metadata.version(bindings.cdk.__name__)
    assert set(synthesized["provider"]) == {"endpoints", "kubernetes"}
    document = load_file(Path(__file__).parents[2] / "examples" / "specs" / "llama3-8b.yaml")  # the app's default
    assert len(synthesized["resource"]["kubernetes_manifest"]) == len(expand(document).manifests)
    assert all(v["sensitive"] for v in synthesized["variable"].values())


def test_a_jobs_server_set_fields_are_computed_in_every_terraform_face(bindings: ModuleType, tmp_path: Path) -> None:
    """The API server labels a Job's pod template: kubernetes_manifest must take those fields as computed,
    in the construct and in the HCL module alike (one list, pulumi_endpoints.blueprint.workload)."""

    from pulumi_endpoints.blueprint.workload import SERVER_SET_FIELDS

    stack = new_stack(bindings, tmp_path)
    spec = yaml.safe_load((Path(__file__).parents[2] / "examples" / "specs" / "qwen-cached.yaml").read_text())
    bindings.DedicatedEndpoint(stack, "qwen", spec=spec, workspace={"name": "synth"},
                               secret_values={"hf-token": "h", "workspace-token": "t"})
    manifests = synth(bindings, stack)["resource"]["kubernetes_manifest"].values()
    job = next(m for m in manifests if m["manifest"]["kind"] == "Job")
    assert job["computed_fields"] == list(SERVER_SET_FIELDS["Job"])
    assert all("computed_fields" not in m for m in manifests if m["manifest"]["kind"] != "Job")
    module = (Path(__file__).parents[2] / "terraform" / "modules" / "endpoints-kubernetes" / "main.tf").read_text()
    assert ", ".join(f'"{field}"' for field in SERVER_SET_FIELDS["Job"]) in module
