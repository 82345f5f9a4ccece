"""The components' resource graph, with ``pulumi.runtime.set_mocks`` standing in for the engine.

Nothing here talks to AWS or Kubernetes: mocks answer every registration with
its inputs as outputs (ids are ``<name>-id``). What is checked is what the
engine would receive — types, names, parents, inputs, secrets, providers.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pulumi
import pytest
from pulumi.runtime.sync_await import _sync_await
from pulumi.runtime import rpc
from pulumi.runtime.mocks import MockCallArgs, MockResourceArgs, Mocks
from pulumi_engine import DYNAMIC, Deployment, provider_of, run
from pulumi_example import CANARIES, EXAMPLE, run_example

from pulumi_endpoints import SpecError
from pulumi_endpoints.component import providers

SPECS = EXAMPLE.parents[1] / "examples" / "specs"
SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"
LLAMA = {"name": "llama3-8b", "source": {"huggingface": {"model": "meta-llama/Meta-Llama-3-8B-Instruct"}},
         "resource_shape": "gpu.a10", "secrets": {"HF_TOKEN": "hf-token"},
         "autoscaling": {"gpu_utilization": {"min_replicas": 1, "max_replicas": 4, "target_percent": 70}},
         "mounts": [{"from": "/models/llama3", "path": "/models"}]}


def value(output: pulumi.Output[Any]) -> Any:
    return _sync_await(output.future())


def test_example_graph_under_mocks() -> None:
    monitor, _ = run_example()
    graph = {(r.type, r.name, r.parent) for r in monitor.registered if not r.type.startswith("kubernetes:")}
    assert graph == {
        ("endpoints:index:Workspace", "ml", "endpoints-example-test"),
        ("endpoints:index:DedicatedEndpoint", "llama3-8b", "endpoints-example-test"),
        ("pulumi-python:dynamic/endpoints:FileSystem", "ml-file-system-shared", "ml"),
        ("pulumi-python:dynamic/endpoints:MountTarget", "ml-mount-target-shared-0", "ml"),
        ("pulumi-python:dynamic/endpoints:MountTarget", "ml-mount-target-shared-1", "ml"),
        ("pulumi-python:dynamic/endpoints:Secret", "ml-secret-hf-token", "ml"),
        ("pulumi-python:dynamic/endpoints:Secret", "ml-secret-workspace-token", "ml"),
        ("pulumi-python:dynamic/endpoints:NodePool", "llama3-8b-node-pool-prod-llama3-8b", "llama3-8b"),
        ("pulumi-python:dynamic/endpoints:AccessPoint", "llama3-8b-access-point-llama3-8b-mount-0", "llama3-8b"),
    }
    kubernetes = {r.name: r for r in monitor.registered if r.type.startswith("kubernetes:")}
    assert {r.parent for r in kubernetes.values()} == {"llama3-8b"}
    assert kubernetes["llama3-8b-deployment-llama3-8b"].type == "kubernetes:apps/v1:Deployment"  # typed class
    assert kubernetes["llama3-8b-service-llama3-8b"].type == "kubernetes:core/v1:Service"
    assert kubernetes["llama3-8b-scaledobject-llama3-8b"].type == "kubernetes:keda.sh/v1alpha1:ScaledObject"  # CRD
    assert kubernetes["llama3-8b-httproute-llama3-8b"].inputs["apiVersion"] == "gateway.networking.k8s.io/v1"
    namespace = "llama3-8b-namespace-endpoints-llama3-8b"
    assert kubernetes[namespace].type == "kubernetes:core/v1:Namespace"
    for registration in kubernetes.values():  # the cloud part first (and last on destroy)
        assert "llama3-8b-node-pool-prod-llama3-8b" in registration.dependencies
        assert "ml-secret-hf-token" in registration.dependencies
        assert registration.name == namespace or namespace in registration.dependencies  # its namespace first


def test_key_inputs_under_mocks() -> None:
    monitor, _ = run_example()
    by_name = monitor.by_name()
    pool = by_name["llama3-8b-node-pool-prod-llama3-8b"].plain
    assert pool["cluster_name"] == "gpu-prod"
    assert pool["instance_types"] == ["g5.2xlarge"]
    assert pool["ami_type"] == "AL2023_x86_64_NVIDIA"
    assert (pool["min_size"], pool["max_size"]) == (1.0, 5.0)  # numbers arrive as floats
    assert pool["subnet_ids"] == ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"]
    assert pool["aws"] == {"region": "us-east-1"}  # where to call; never credentials
    assert "transition_to_ia" not in by_name["ml-file-system-shared"].plain  # None inputs are dropped
    assert by_name["ml-file-system-shared"].plain["deletion_protection"] is False
    for name in ("ml-mount-target-shared-0", "llama3-8b-access-point-llama3-8b-mount-0"):
        assert by_name[name].plain["file_system_id"] == "ml-file-system-shared-id"
    component = by_name["llama3-8b"].plain
    assert component["spec"]["resource_shape"] == "gpu.a10" and component["workspace"]["name"] == "prod"
    volume = by_name["llama3-8b-persistentvolume-prod-endpoints-llama3-8b-llama3-8b-mount-0"].plain
    assert volume["spec"]["csi"]["volumeHandle"] == (
        "ml-file-system-shared-id::llama3-8b-access-point-llama3-8b-mount-0-id")  # {{ref:…}} filled


def test_outputs_under_mocks() -> None:
    _, program = run_example()
    endpoint, workspace = program["endpoint"], program["workspace"]
    assert value(endpoint.url) == "https://llama3-8b.prod.endpoints.internal"
    assert value(endpoint.namespace) == "endpoints-llama3-8b"
    assert value(endpoint.node_pool_name) == "prod-llama3-8b"
    assert value(endpoint.token_secret) == "workspace-token"  # a name in the workspace, as everywhere
    assert value(endpoint.token_secret_id) == value(workspace.token_secret_id) == "endpoints/prod/workspace-token"
    with pytest.deprecated_call():  # release 0.1's name for the Secrets Manager name
        assert value(workspace.token_secret) == "endpoints/prod/workspace-token"
    assert value(endpoint.cost) == {"hourly_min": 1.212, "hourly_max": 4.848, "monthly_min": 872.64,
                                    "monthly_max": 3490.56}  # g5.2xlarge, 1 to 4 replicas
    assert value(endpoint.findings) == []  # a configured cluster and pinned images: nothing to say


def _plaintext(node: Any, canary: str) -> list[str]:
    """Where ``canary`` appears outside a secret envelope, as JSON paths."""
    if isinstance(node, dict):
        if node.get(rpc_sig_key()) == SECRET_SIG:
            return []
        return [f".{k}{p}" for k, v in node.items() for p in _plaintext(v, canary)]
    if isinstance(node, list):
        return [f"[{i}]{p}" for i, v in enumerate(node) for p in _plaintext(v, canary)]
    return [""] if isinstance(node, str) and canary in node else []


def rpc_sig_key() -> str:
    from pulumi.runtime import rpc

    return rpc._special_sig_key


def test_secret_values_registered_as_secrets_under_mocks() -> None:
    monitor, _ = run_example()
    for canary in CANARIES.values():
        leaks = {r.name: _plaintext(r.raw, canary) for r in monitor.registered}
        assert not any(leaks.values()), leaks
        assert any(canary in json.dumps(r.raw) for r in monitor.registered)  # sent, as a secret
    secrets = [r for r in monitor.registered if r.type.endswith(":Secret")]
    assert secrets and all(r.additional_secret_outputs == ["value"] for r in secrets)


def test_providers_are_pickled_by_reference_under_mocks() -> None:
    """The engine runs ``__provider`` in another process: it must unpickle to the importable class."""
    monitor, _ = run_example()
    dynamic = [r for r in monitor.registered if r.type.startswith("pulumi-python:dynamic")]
    for registration in dynamic:
        provider = provider_of(registration)
        assert type(provider) is type(providers.PROVIDERS[provider.kind.name])  # type: ignore[attr-defined]
        assert len(registration.plain["__provider"]) < 400  # a reference, not the code or any client
    code = "import base64, dill, sys; print(type(dill.loads(base64.b64decode(sys.argv[1]))).__qualname__)"
    fresh = subprocess.run([sys.executable, "-c", code, dynamic[0].plain["__provider"]], capture_output=True,
                           text=True, check=True).stdout  # a new interpreter, as the engine's provider process
    assert fresh.strip().endswith("Provider")


def test_two_endpoints_share_the_workspace_children_under_mocks() -> None:
    from pulumi_endpoints import DedicatedEndpoint, Workspace
    from pulumi_endpoints.component import WorkspaceArgs

    def main() -> None:
        workspace = Workspace("ws", WorkspaceArgs(
            subnet_ids=["subnet-a", "subnet-b"], security_group_ids=["sg-a"],
            node_role_arn="arn:aws:iam::123456789012:role/nodes",
            secrets={"workspace-token": "t", "hf-token": "h"}))
        DedicatedEndpoint("one", LLAMA, workspace)
        DedicatedEndpoint("two", {**LLAMA, "name": "llama3-8b-copy"}, workspace)

    monitor = run(main, Deployment(with_providers=False))
    shared = [r.name for r in monitor.registered if r.parent == "ws"]
    assert sorted(shared) == sorted({"ws-file-system-shared", "ws-mount-target-shared-0",
                           "ws-mount-target-shared-1", "ws-secret-hf-token", "ws-secret-workspace-token"})  # once each
    assert sum(r.type.endswith(":NodePool") for r in monitor.registered) == 2


def test_findings_are_pulumi_warnings_under_mocks(caplog: pytest.LogCaptureFixture) -> None:
    """The warnings of `endpoints validate` reach the engine's log (the mocks write it to Python logging)."""
    from pulumi_endpoints import DedicatedEndpoint, Workspace
    from pulumi_endpoints.component import WorkspaceArgs

    unpinned = {"name": "web", "source": {"container": {"image": "python", "port": 8080,
                                                         "command": ["python3", "-m", "http.server", "8080"]}}}

    def main() -> None:
        workspace = Workspace("ws", WorkspaceArgs(subnet_ids=["subnet-a"], security_group_ids=["sg-a"],
                                                  node_role_arn="arn:aws:iam::123456789012:role/nodes",
                                                  secrets={"workspace-token": "t"}))
        DedicatedEndpoint("web", unpinned, workspace)

    with caplog.at_level("WARNING"):
        run(main, Deployment(with_providers=False))
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert "source: image python is not pinned to a version; every pull may serve something new" in warnings


def test_output_references_fill_the_expansion_under_mocks() -> None:
    """Cluster, role, subnets and security groups given as Outputs of other resources."""
    from pulumi_endpoints import DedicatedEndpoint, Workspace
    from pulumi_endpoints.component import WorkspaceArgs

    def main() -> None:
        subnets = [pulumi.CustomResource("aws:ec2/subnet:Subnet", f"subnet-{zone}", {}) for zone in "ab"]
        group = pulumi.CustomResource("aws:ec2/securityGroup:SecurityGroup", "sg-nfs", {})
        cluster = pulumi.CustomResource("aws:eks/cluster:Cluster", "gpu", {})
        role = pulumi.Output.concat("arn:aws:iam::123456789012:role/", cluster.id)
        workspace = Workspace("ws", WorkspaceArgs(
            cluster_name=cluster.id, node_role_arn=role, subnet_ids=[s.id for s in subnets],
            security_group_ids=[group.id], secrets={"workspace-token": "t", "hf-token": "h"}))
        DedicatedEndpoint("llama", LLAMA, workspace)

    monitor = run(main, Deployment(with_providers=False))
    pool = monitor.by_name()["llama-node-pool-default-llama3-8b"].plain
    assert pool["cluster_name"] == "gpu-id"
    assert pool["node_role_arn"] == "arn:aws:iam::123456789012:role/gpu-id"
    assert sorted(pool["subnet_ids"]) == ["subnet-a-id", "subnet-b-id"]
    assert pool["tags"]["k8s.io/cluster-autoscaler/gpu-id"] == "owned"  # in a tag key too
    targets = [r.plain for r in monitor.registered if r.type.endswith(":MountTarget")]
    assert sorted(t["subnet_id"] for t in targets) == ["subnet-a-id", "subnet-b-id"]
    assert {tuple(t["security_group_ids"]) for t in targets} == {("sg-nfs-id",)}
    assert not any("pulumi-input" in json.dumps(r.plain) for r in monitor.registered)


class FirstPreview(Mocks):
    """The preview before the first ``pulumi up``: cloud ids are not known yet."""

    def new_resource(self, args: MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        return ("" if args.typ.startswith(DYNAMIC) else f"{args.name}-id"), dict(args.inputs)

    def call(self, args: MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        return {}, None


def test_first_preview_shows_manifests_with_only_the_cloud_ids_unknown_under_mocks() -> None:
    from pulumi_endpoints import DedicatedEndpoint, Workspace
    from pulumi_endpoints.component import WorkspaceArgs

    def main() -> None:
        workspace = Workspace("ws", WorkspaceArgs(subnet_ids=["subnet-a"], security_group_ids=["sg-a"],
                                                  secrets={"workspace-token": "t", "hf-token": "h"}))
        DedicatedEndpoint("llama", LLAMA, workspace)

    monitor = run(main, FirstPreview(), preview=True)
    kubernetes = {r.name: r.raw for r in monitor.registered if r.type.startswith("kubernetes:")}
    volume = kubernetes["llama-persistentvolume-default-endpoints-llama3-8b-llama3-8b-mount-0"]
    assert volume["spec"]["csi"]["volumeHandle"] == rpc.UNKNOWN  # the EFS ids, known after the cloud part
    assert volume["spec"]["csi"]["driver"] == "efs.csi.aws.com"
    assert volume["spec"]["capacity"] and volume["metadata"]["name"]
    unknown = {name for name, raw in kubernetes.items() if rpc.UNKNOWN in json.dumps(raw)}
    assert unknown == {"llama-persistentvolume-default-endpoints-llama3-8b-llama3-8b-mount-0"}  # everything else reviewable as is


def test_explicit_kubernetes_provider_under_mocks() -> None:
    monitor, _ = run_example(kubeconfig="apiVersion: v1\nkind: Config\n")
    kubernetes = [r for r in monitor.registered if r.type.startswith("kubernetes:")]
    assert kubernetes and all("pulumi:providers:kubernetes::cluster" in r.provider for r in kubernetes)
    assert not any(r.provider for r in monitor.registered if r.type.startswith("pulumi-python:dynamic"))


def _expect_spec_error(program: Any) -> SpecError:
    with pytest.raises(SpecError) as caught:
        run(program, Deployment(with_providers=False))
    return caught.value


def test_invalid_spec_fails_with_the_field_path_under_mocks() -> None:
    from pulumi_endpoints import DedicatedEndpoint, Workspace

    bad = {**LLAMA, "autoscaling": {"qpm": {"min_replicas": 3, "max_replicas": 1, "target_qpm": 60}}}
    error = _expect_spec_error(lambda: DedicatedEndpoint("bad", bad, Workspace("ws")))
    assert error.paths == ["autoscaling.qpm.max_replicas"]


def test_missing_secret_value_fails_with_its_name_under_mocks() -> None:
    from pulumi_endpoints import DedicatedEndpoint, Workspace
    from pulumi_endpoints.component import WorkspaceArgs

    def main() -> None:
        workspace = Workspace("ws", WorkspaceArgs(subnet_ids=["subnet-a"], security_group_ids=["sg-a"],
                                                  secrets={"workspace-token": "t"}))
        DedicatedEndpoint("llama", LLAMA, workspace)

    error = _expect_spec_error(main)
    assert error.paths == ["secrets.hf-token"] and str(error).startswith("llama: secrets.hf-token: ")


class Recording(Deployment):
    """Records each custom resource the program registers."""

    def __init__(self) -> None:
        super().__init__(with_providers=False)
        self.custom: list[str] = []

    def new_resource(self, args: Any) -> Any:
        if args.custom:
            self.custom.append(args.name)
        return super().new_resource(args)


@pytest.mark.parametrize("problem", ["missing secret value", "invalid spec"])
def test_a_program_that_cannot_deploy_registers_no_custom_resource(problem: str) -> None:
    """The endpoint fails before anything is registered (the file system and mount targets it mounts
    included), and the error says which endpoint it is."""
    from pulumi_endpoints import DedicatedEndpoint, Workspace
    from pulumi_endpoints.component import WorkspaceArgs

    bad = {**LLAMA, "name": "second", "mounts": [{"from": "/models/second", "path": "/models"}]}
    secrets = {"workspace-token": "t", "hf-token": "h"}
    if problem == "missing secret value":
        bad["secrets"] = {**bad.get("secrets", {}), "EXTRA": "extra-token"}
    else:
        bad["autoscaling"] = {"qpm": {"min_replicas": 3, "max_replicas": 1, "target_qpm": 60}}

    def main() -> None:
        DedicatedEndpoint("second", bad, Workspace("ws", WorkspaceArgs(subnet_ids=["subnet-a"],
                                                                       security_group_ids=["sg-a"], secrets=secrets)))

    recording = Recording()
    with pytest.raises(SpecError) as caught:
        run(main, recording)
    assert str(caught.value).startswith("second: ") and recording.custom == []


def test_spec_files_under_mocks() -> None:
    """A spec file holds one endpoint; its workspace section must be the Workspace's own."""
    from pulumi_endpoints import DedicatedEndpoint, Workspace
    from pulumi_endpoints.component import WorkspaceArgs

    path = SPECS / "llama3-8b.yaml"
    tokens = {"workspace-token": "t", "hf-token": "h", "extra-token": "e"}
    error = _expect_spec_error(lambda: DedicatedEndpoint("llama", path, Workspace("ws", WorkspaceArgs(secrets=tokens))))
    assert error.paths == ["workspace"] and error.source == f"llama ({path})"

    monitor = run(lambda: DedicatedEndpoint("llama", path, Workspace("ws", WorkspaceArgs(spec=path, secrets=tokens))),
                  Deployment(with_providers=False))
    assert "llama-node-pool-prod-llama3-8b" in monitor.by_name()


def test_import_pulumi_endpoints_stays_light() -> None:
    code = ("import sys, pulumi_endpoints; assert 'pulumi' not in sys.modules; "
            "assert 'pulumi_endpoints.component' not in sys.modules; print(pulumi_endpoints.__all__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "DedicatedEndpoint" in out and "Workspace" in out



def test_help_explains_the_components_own_arguments() -> None:
    """help() shows our docstrings, not Pulumi's ComponentResource one."""
    import inspect

    from pulumi_endpoints import DedicatedEndpoint, Workspace

    assert "Declare endpoint ``name`` of ``workspace``" in inspect.getdoc(DedicatedEndpoint.__init__)
    assert "Declare workspace ``name``" in inspect.getdoc(Workspace.__init__)


def test_children_are_handles_for_depends_on_and_exports_under_mocks() -> None:
    from pulumi_endpoints import DedicatedEndpoint, Workspace
    from pulumi_endpoints.component import WorkspaceArgs

    handles: dict[str, Any] = {}

    def main() -> None:
        workspace = Workspace("ws", WorkspaceArgs(subnet_ids=["subnet-a", "subnet-b"], security_group_ids=["sg-a"],
                                                  secrets={"workspace-token": "t", "hf-token": "h"}))
        assert workspace.file_system is None and workspace.secrets == {}  # nothing needed them yet
        endpoint = DedicatedEndpoint("llama", LLAMA, workspace)
        after = pulumi.CustomResource("test:index:Probe", "after-deployment", {},
                                      pulumi.ResourceOptions(depends_on=[endpoint.objects["Deployment", "llama3-8b"]]))
        handles.update(endpoint=endpoint, workspace=workspace, after=after)

    monitor = run(main, Deployment(with_providers=False))
    endpoint, workspace = handles["endpoint"], handles["workspace"]
    assert endpoint.node_pool is not None and set(endpoint.access_points) == {"llama3-8b-mount-0"}
    assert workspace.file_system is not None and len(workspace.mount_targets) == 2
    assert set(workspace.secrets) == {"hf-token", "workspace-token"}
    assert monitor.by_name()["after-deployment"].dependencies == ["llama-deployment-llama3-8b"]


def test_workspace_args_document_every_field() -> None:
    import dataclasses
    import inspect

    from pulumi_endpoints.component import WorkspaceArgs

    doc = inspect.getdoc(WorkspaceArgs) or ""
    undocumented = [f.name for f in dataclasses.fields(WorkspaceArgs) if f"    {f.name}: " not in doc]
    assert undocumented == []
