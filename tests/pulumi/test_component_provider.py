"""The component provider for other Pulumi languages, started as its own process and driven over gRPC
as the engine drives it: GetSchema, then Construct of a Workspace and a DedicatedEndpoint against a
resource monitor of this test's own (answering every registration with its inputs). There is no
Pulumi CLI here: what a TypeScript, Go or YAML program would do is played by these requests."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from concurrent import futures
from typing import Any

import grpc
import pytest
import yaml
from google.protobuf import empty_pb2
from pulumi.runtime import rpc
from pulumi.runtime.proto import engine_pb2_grpc, provider_pb2, provider_pb2_grpc, resource_pb2, resource_pb2_grpc
from pulumi.runtime.sync_await import _sync_await
from pulumi_engine import Deployment, run

from pulumi_endpoints.component import DedicatedEndpoint, Workspace, WorkspaceArgs

PROJECT, STACK = "infra", "dev"
WORKSPACE = {"spec": "name: prod\ngateway: {domain: prod.example.com}\n", "clusterName": "gpu-prod",
             "nodeRoleArn": "arn:aws:iam::123456789012:role/nodes", "subnetIds": ["subnet-0a", "subnet-0b"],
             "securityGroupIds": ["sg-01"], "secrets": {"workspace-token": "tok-canary", "hf-token": "hf-canary"}}
ENDPOINT = ("name: llama3-8b\nresource_shape: gpu.a10\nsource: {huggingface: {model: meta-llama/Meta-Llama-3-8B"
            "-Instruct}}\nsecrets: {HF_TOKEN: hf-token}\nmounts: [{from: /models/llama3, path: /models}]\n")


@dataclasses.dataclass
class Registered:
    type: str
    name: str
    parent: str
    inputs: dict[str, Any]


class Monitor(resource_pb2_grpc.ResourceMonitorServicer):
    """The engine's resource monitor, as far as a Construct needs it."""

    def __init__(self) -> None:
        self.registered: list[Registered] = []
        self.lock = threading.Lock()

    def GetDeploymentInfo(self, request: Any, context: Any) -> Any:  # noqa: N802 - gRPC's naming
        return resource_pb2.DeploymentInfo(supportedFeatures=[
            resource_pb2.RESOURCE_MONITOR_FEATURE_SECRETS, resource_pb2.RESOURCE_MONITOR_FEATURE_RESOURCE_REFERENCES,
            resource_pb2.RESOURCE_MONITOR_FEATURE_ALIAS_SPECS, resource_pb2.RESOURCE_MONITOR_FEATURE_DELETED_WITH])

    def SupportsFeature(self, request: Any, context: Any) -> Any:  # noqa: N802
        return resource_pb2.SupportsFeatureResponse(hasSupport=request.id in ("secrets", "resourceReferences"))

    def RegisterResource(self, request: Any, context: Any) -> Any:  # noqa: N802
        parent_type = request.parent.split("::")[2].rsplit("$", 1)[-1] + "$" if request.parent else ""
        urn = f"urn:pulumi:{STACK}::{PROJECT}::{parent_type}{request.type}::{request.name}"
        with self.lock:
            self.registered.append(Registered(request.type, request.name, request.parent.rsplit("::", 1)[-1],
                                              json.loads(json.dumps(dict(request.object.items()), default=str))))
        return resource_pb2.RegisterResourceResponse(urn=urn, id=f"{request.name}-id" if request.custom else "",
                                                     object=request.object)

    def RegisterResourceOutputs(self, request: Any, context: Any) -> Any:  # noqa: N802
        return empty_pb2.Empty()

    def RegisterPackage(self, request: Any, context: Any) -> Any:  # noqa: N802
        return resource_pb2.RegisterPackageResponse(ref="test-package")


class Engine(engine_pb2_grpc.EngineServicer):
    def Log(self, request: Any, context: Any) -> Any:  # noqa: N802
        return empty_pb2.Empty()


@pytest.fixture
def monitor() -> Iterator[tuple[Monitor, str, str]]:
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))
    state = Monitor()
    resource_pb2_grpc.add_ResourceMonitorServicer_to_server(state, server)
    engine_pb2_grpc.add_EngineServicer_to_server(Engine(), server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    yield state, f"127.0.0.1:{port}", f"127.0.0.1:{port}"
    server.stop(None)


@pytest.fixture
def provider(monitor: tuple[Monitor, str, str]) -> Iterator[provider_pb2_grpc.ResourceProviderStub]:
    _, _, engine = monitor
    process = subprocess.Popen([sys.executable, "-m", "pulumi_endpoints.component.multilang", engine],
                               stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        port = process.stdout.readline().strip()
        channel = grpc.insecure_channel(f"127.0.0.1:{port}")
        yield provider_pb2_grpc.ResourceProviderStub(channel)
        channel.close()
    finally:
        process.terminate()
        process.wait(timeout=30)


def construct(stub: Any, monitor_address: str, type_: str, name: str, inputs: dict[str, Any]) -> Any:
    struct = _sync_await(rpc.serialize_properties(inputs, {}))
    request = provider_pb2.ConstructRequest(project=PROJECT, stack=STACK, monitorEndpoint=monitor_address,
                                            type=type_, name=name, inputs=struct, dryRun=True, parallel=4)
    return stub.Construct(request, timeout=120)


def test_the_schema_types_what_the_python_arguments_take(provider: Any) -> None:
    schema = json.loads(provider.GetSchema(provider_pb2.GetSchemaRequest(version=0)).schema)
    workspace = schema["resources"]["endpoints:index:Workspace"]
    endpoint = schema["resources"]["endpoints:index:DedicatedEndpoint"]
    camel = {f.name: "".join(p.title() if i else p for i, p in enumerate(f.name.split("_")))
             for f in dataclasses.fields(WorkspaceArgs)}
    # the Kubernetes provider is the components' providers option; the add-ons are keys and roles
    expected = {camel[name] for name in camel if name not in ("kubernetes_provider", "addons")} | {
        "addons", "addonRoles"}
    assert set(workspace["inputProperties"]) == expected
    assert workspace["inputProperties"]["secrets"]["additionalProperties"]["secret"] is True
    assert workspace["inputProperties"]["subnetIds"]["plain"] is True  # one mount target each: a known count
    assert set(endpoint["inputProperties"]) == {"spec", "workspace"} and set(endpoint["requiredInputs"]) == {
        "spec", "workspace"}
    assert set(endpoint["properties"]) == {"url", "namespace", "nodePoolName", "tokenSecret", "tokenSecretId",
                                           "cost", "findings"}
    assert set(schema["types"]["endpoints:index:Cost"]["properties"]) == {
        "hourlyMin", "hourlyMax", "monthlyMin", "monthlyMax"}
    assert set(workspace["properties"]) == {"workspaceName", "namespace", "domain", "gateway", "tokenSecretId"}


def python_program() -> set[tuple[str, str, str]]:
    """The same workspace and endpoint through the Python components, under set_mocks."""
    def main() -> None:
        workspace = Workspace("ml", WorkspaceArgs(
            spec={"name": "prod", "gateway": {"domain": "prod.example.com"}}, cluster_name=WORKSPACE["clusterName"],
            node_role_arn=WORKSPACE["nodeRoleArn"], subnet_ids=WORKSPACE["subnetIds"],
            security_group_ids=WORKSPACE["securityGroupIds"], secrets=WORKSPACE["secrets"]))
        DedicatedEndpoint("llama3-8b", yaml.safe_load(ENDPOINT), workspace)

    # The suite's project and stack: the SDK keeps the first stack root a process registered.
    registered = run(main, Deployment(with_providers=False)).registered
    names = {r.name for r in registered}  # a parent outside them is the stack
    return {(r.type, r.name, r.parent if r.parent in names else "") for r in registered}


def test_construct_registers_the_children_the_python_components_do(provider: Any,
                                                                    monitor: tuple[Monitor, str, str]) -> None:
    state, address, _ = monitor
    workspace = construct(provider, address, "endpoints:index:Workspace", "ml", WORKSPACE)
    outputs = rpc.deserialize_properties(workspace.state)
    assert outputs["workspaceName"] == "ml" and outputs["domain"] == "prod.example.com"
    endpoint = construct(provider, address, "endpoints:index:DedicatedEndpoint", "llama3-8b",
                         {"spec": ENDPOINT, "workspace": outputs["workspaceName"]})
    result = rpc.deserialize_properties(endpoint.state)
    assert result["url"] == "https://llama3-8b.prod.example.com"
    assert set(result["cost"]) == {"hourlyMin", "hourlyMax", "monthlyMin", "monthlyMax"}
    constructed = {(r.type, r.name, r.parent) for r in state.registered}
    assert len(constructed) > 20 and constructed == python_program()
    assert ("pulumi-python:dynamic/endpoints:Secret", "ml-secret-hf-token", "ml") in constructed


def test_an_endpoint_naming_no_constructed_workspace_fails_with_the_field(provider: Any,
                                                                           monitor: tuple[Monitor, str, str]) -> None:
    _, address, _ = monitor
    with pytest.raises(grpc.RpcError) as caught:
        construct(provider, address, "endpoints:index:DedicatedEndpoint", "llama3-8b",
                  {"spec": ENDPOINT, "workspace": "nowhere"})
    assert "workspace: no Workspace named 'nowhere'" in caught.value.details()


def test_the_yaml_example_uses_only_what_the_schema_offers() -> None:
    import re
    from pathlib import Path

    from pulumi_endpoints import parse_document
    from pulumi_endpoints.component.multilang import EndpointsProvider

    root = Path(__file__).parents[2]
    program = yaml.safe_load((root / "examples" / "pulumi-yaml" / "Pulumi.yaml").read_text())
    schema = json.loads(EndpointsProvider().schema)
    plugin = (root / "examples" / "pulumi-yaml" / program["packages"]["endpoints"]).resolve()
    assert (plugin / "PulumiPlugin.yaml").is_file() and "multilang import main" in (plugin / "__main__.py").read_text()
    for name, resource in program["resources"].items():
        package, kind = resource["type"].split(":")
        declared = schema["resources"][f"{package}:index:{kind}"]
        assert set(resource["properties"]) <= set(declared["inputProperties"]), name
        assert set(declared.get("requiredInputs", [])) <= set(resource["properties"]), name
    text = (root / "examples" / "pulumi-yaml" / "Pulumi.yaml").read_text()
    for reference in re.findall(r"\$\{([\w-]+)\.(\w+)\}", text):
        resource, output = reference
        kind = program["resources"][resource]["type"].split(":")[1]
        assert output in schema["resources"][f"endpoints:index:{kind}"]["properties"], reference
    spec = (root / "examples" / "pulumi-yaml" / program["resources"]["llama3-8b"]["properties"]["spec"]["fn::readFile"])
    workspace = yaml.safe_load(program["resources"]["ml"]["properties"]["spec"])
    assert parse_document({"workspace": workspace, **yaml.safe_load(spec.read_text())}).endpoints
