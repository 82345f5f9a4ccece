"""Invalid specs are rejected with the path of the field at fault and a clear message."""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_endpoints import SpecError
from pulumi_endpoints.blueprint import expand
from pulumi_endpoints.spec import parse_document

from .helpers import CONTAINER

HF = {"huggingface": {"model": "meta-llama/Meta-Llama-3-8B-Instruct"}}


def one(**fields: Any) -> dict[str, Any]:
    return {"endpoints": [{"name": "demo", "source": CONTAINER, **fields}]}


def ws(**fields: Any) -> dict[str, Any]:
    return {"workspace": fields, "endpoints": [{"name": "demo", "source": CONTAINER}]}


E = "endpoints[0]"
CASES: list[tuple[str, Any, str, str]] = [
    # names
    ("name uppercase", {"endpoints": [{"name": "Demo", "source": CONTAINER}]}, f"{E}.name", "pattern"),
    ("name starts with digit", {"endpoints": [{"name": "1demo", "source": CONTAINER}]}, f"{E}.name", "pattern"),
    ("name with underscore", {"endpoints": [{"name": "my_model", "source": CONTAINER}]}, f"{E}.name", "pattern"),
    ("name too long", {"endpoints": [{"name": "a" * 64, "source": CONTAINER}]}, f"{E}.name", "at most 63"),
    ("name ends with dash", {"endpoints": [{"name": "demo-", "source": CONTAINER}]}, f"{E}.name", "pattern"),
    ("name unicode", {"endpoints": [{"name": "démo", "source": CONTAINER}]}, f"{E}.name", "pattern"),
    ("name missing", {"endpoints": [{"source": CONTAINER}]}, f"{E}.name", "required"),
    ("name not a string", {"endpoints": [{"name": 12, "source": CONTAINER}]}, f"{E}.name", "string"),
    # source
    ("source missing", {"endpoints": [{"name": "demo"}]}, f"{E}.source", "required"),
    ("no source kind", one(source={}), f"{E}.source", "exactly one"),
    ("two source kinds", one(source={**CONTAINER, **HF}), f"{E}.source", "got huggingface, container"),
    ("unknown source kind", one(source={"docker": {"image": "x"}}), f"{E}.source.docker", "unknown field"),
    ("container without image", one(source={"container": {}}), f"{E}.source.container.image", "required"),
    ("image with spaces", one(source={"container": {"image": "python 3"}}), f"{E}.source.container.image", "pattern"),
    ("port zero", one(source={"container": {"image": "x:1", "port": 0}}), f"{E}.source.container.port", "greater"),
    ("port too high", one(source={"container": {"image": "x:1", "port": 70000}}), f"{E}.source.container.port", "less"),
    ("command not a list", one(source={"container": {"image": "x:1", "command": "python3 -m x"}}),
     f"{E}.source.container.command", "list"),
    ("unknown engine", one(source={"huggingface": {"model": "a/b", "engine": "tgi"}}),
     f"{E}.source.huggingface.engine", "vllm"),
    ("bad hf model id", one(source={"huggingface": {"model": "a b"}}), f"{E}.source.huggingface.model", "pattern"),
    ("relative fs model path", one(source={"filesystem": {"path": "models/x"}}), f"{E}.source.filesystem.path",
     "absolute"),
    ("fs path with ..", one(source={"filesystem": {"path": "/models/../etc"}}), f"{E}.source.filesystem.path", ".."),
    ("unknown template", one(source={"template": {"name": "comfyui"}}), f"{E}.source.template.name", "llm-engine"),
    ("llm-engine without model", one(source={"template": {"name": "llm-engine"}}), f"{E}.source.template",
     "options.model"),
    ("template option object", one(source={"template": {"name": "llm-engine", "options": {"model": "a/b", "x": {}}}}),
     f"{E}.source.template.options", "string, number or boolean"),
    ("photon without image", one(source={"photon": {"name": "gpt2"}}), f"{E}.source.photon.image", "required"),
    ("nim without key", one(source={"nim": {"image": "nvcr.io/nim/x:1"}}), f"{E}.source.nim.ngc_api_key_secret",
     "required"),
    # shape
    ("unknown shape", one(resource_shape="gpu.b200"), f"{E}.resource_shape", "unknown shape"),
    ("empty shape", one(resource_shape=""), f"{E}.resource_shape", "at least 1"),
    # autoscaling
    ("two autoscaling modes", one(autoscaling={"replicas": 2, "scale_to_zero": {}}), f"{E}.autoscaling",
     "exactly one"),
    ("no autoscaling mode", one(autoscaling={}), f"{E}.autoscaling", "exactly one"),
    ("negative replicas", one(autoscaling={"replicas": -1}), f"{E}.autoscaling.replicas", "greater"),
    ("huge replicas", one(autoscaling={"replicas": 10**9}), f"{E}.autoscaling.replicas", "less"),
    ("replicas as string", one(autoscaling={"replicas": "two"}), f"{E}.autoscaling.replicas", "integer"),
    ("qpm max below min", one(autoscaling={"qpm": {"min_replicas": 3, "max_replicas": 2, "target_qpm": 60}}),
     f"{E}.autoscaling.qpm.max_replicas", "at least min_replicas"),
    ("qpm zero target", one(autoscaling={"qpm": {"max_replicas": 2, "target_qpm": 0}}),
     f"{E}.autoscaling.qpm.target_qpm", "greater"),
    ("qpm without max", one(autoscaling={"qpm": {"target_qpm": 60}}), f"{E}.autoscaling.qpm.max_replicas", "required"),
    ("qpm bad method", one(autoscaling={"qpm": {"max_replicas": 2, "target_qpm": 6, "methods": ["FETCH"]}}),
     f"{E}.autoscaling.qpm.methods[0]", "POST"),
    ("qpm relative path", one(autoscaling={"qpm": {"max_replicas": 2, "target_qpm": 6, "paths": ["v1/chat"]}}),
     f"{E}.autoscaling.qpm.paths[0]", "pattern"),
    ("gpu target over 100", one(autoscaling={"gpu_utilization": {"max_replicas": 2, "target_percent": 150}}),
     f"{E}.autoscaling.gpu_utilization.target_percent", "less"),
    ("gpu max below min", one(autoscaling={"gpu_utilization": {"min_replicas": 4, "max_replicas": 2}}),
     f"{E}.autoscaling.gpu_utilization.max_replicas", "at least min_replicas"),
    ("gpu min zero", one(resource_shape="gpu.a10", autoscaling={"gpu_utilization": {"min_replicas": 0,
                                                                                     "max_replicas": 2}}),
     f"{E}.autoscaling.gpu_utilization.min_replicas", "never scale back up"),
    ("timeout too short", one(autoscaling={"scale_to_zero": {"no_traffic_timeout": 5}}),
     f"{E}.autoscaling.scale_to_zero.no_traffic_timeout", "greater"),
    ("scale to zero max 0", one(autoscaling={"scale_to_zero": {"max_replicas": 0}}),
     f"{E}.autoscaling.scale_to_zero.max_replicas", "greater"),
    ("unknown autoscaling field", one(autoscaling={"replica": 2}), f"{E}.autoscaling.replica", "unknown field"),
    # env and secrets
    ("reserved env", one(env={"LEPTON_DEPLOYMENT_NAME": "x"}), f"{E}.env.LEPTON_DEPLOYMENT_NAME", "reserved"),
    ("reserved env lowercase", one(env={"lepton_workspace_token": "x"}), f"{E}.env.lepton_workspace_token",
     "reserved"),
    ("reserved secret env", one(secrets={"LEPTON_WORKSPACE_TOKEN": "t"}), f"{E}.secrets.LEPTON_WORKSPACE_TOKEN",
     "reserved"),
    ("env name with dash", one(env={"LOG-LEVEL": "info"}), f"{E}.env.LOG-LEVEL", "pattern"),
    ("env value number", one(env={"WORKERS": 4}), f"{E}.env.WORKERS", "string"),
    ("env value bool", one(env={"DEBUG": True}), f"{E}.env.DEBUG", "string"),
    ("env in both", one(env={"HF_TOKEN": "x"}, secrets={"HF_TOKEN": "hf"}), f"{E}.secrets", "both in env"),
    ("secret name with slash", one(secrets={"HF_TOKEN": "a/b"}), f"{E}.secrets.HF_TOKEN", "pattern"),
    # mounts
    ("mount at /etc", one(mounts=[{"from": "/a", "path": "/etc"}]), f"{E}.mounts[0].path", "system folder"),
    ("mount under /usr", one(mounts=[{"from": "/a", "path": "/usr/local/models"}]), f"{E}.mounts[0].path",
     "system folder"),
    ("mount at root", one(mounts=[{"from": "/a", "path": "/"}]), f"{E}.mounts[0].path", "system folder"),
    ("mount at /dev/shm", one(mounts=[{"from": "/a", "path": "/dev/shm"}]), f"{E}.mounts[0].path", "system folder"),
    ("mount normalised into /etc", one(mounts=[{"from": "/a", "path": "/etc/./x"}]), f"{E}.mounts[0].path",
     "system folder"),
    ("mount relative", one(mounts=[{"from": "/a", "path": "models"}]), f"{E}.mounts[0].path", "absolute"),
    ("mount without from", one(mounts=[{"path": "/models"}]), f"{E}.mounts[0].from", "required"),
    ("mount twice", one(mounts=[{"from": "/a", "path": "/m"}, {"from": "/b", "path": "/m"}]), f"{E}.mounts",
     "more than once"),
    # other fields
    ("bad shm quantity", one(shared_memory_size="16GB"), f"{E}.shared_memory_size", "quantity"),
    ("shm larger than shape", one(shared_memory_size="64Gi"), f"{E}.shared_memory_size", "exceeds"),
    ("negative initial delay", one(health={"initial_delay_seconds": -5}), f"{E}.health.initial_delay_seconds",
     "greater"),
    ("bad visibility", one(visibility="team"), f"{E}.visibility", "private"),
    ("bad cidr", one(access={"ip_allowlist": ["10.0.0.300/8"]}), f"{E}.access.ip_allowlist[0]", "CIDR"),
    ("public not bool", one(access={"public": "yes"}), f"{E}.access.public", "boolean"),
    ("bad label key", one(labels={"bad key": "x"}), f"{E}.labels", "label key"),
    ("reserved label", one(labels={"endpoints.pulumi-endpoints.dev/endpoint": "x"}), f"{E}.labels", "reserved"),
    ("label value too long", one(labels={"team": "x" * 64}), f"{E}.labels", "label value"),
    ("pull secret uppercase", one(image_pull_secrets=["RegCred"]), f"{E}.image_pull_secrets[0]", "pattern"),
    ("pool over capacity", one(resource_shape="gpu.a10", autoscaling={"replicas": 4}, node_pool={"max_nodes": 2}),
     f"{E}.node_pool.max_nodes", "capped at 2"),
    ("spot typo", one(node_pool={"capacity_type": "spots"}), f"{E}.node_pool.capacity_type", "spot"),
    ("unknown endpoint field", one(replica=2), f"{E}.replica", "unknown field"),
    ("duplicate endpoints", {"endpoints": [{"name": "a", "source": CONTAINER}, {"name": "a", "source": CONTAINER}]},
     "endpoints[1].name", "already defined"),
    ("empty endpoints", {"endpoints": []}, "endpoints", "non-empty"),
    ("endpoints not a list", {"endpoints": {"name": "a"}}, "endpoints", "non-empty"),
    ("stray top-level key", {"endpoint": [], "endpoints": [{"name": "a", "source": CONTAINER}]}, "endpoint",
     "unknown field"),
    # workspace
    ("workspace unknown field", ws(clusters={}), "workspace.clusters", "unknown field"),
    ("cluster version as float", ws(cluster={"version": 1.31}), "workspace.cluster.version", "string"),
    ("bad subnet id", ws(cluster={"subnet_ids": ["vpc-1"]}), "workspace.cluster.subnet_ids", "not a subnet"),
    ("repeated subnet", ws(cluster={"subnet_ids": ["subnet-1", "subnet-1"]}), "workspace.cluster.subnet_ids",
     "repeat"),
    ("bad role arn", ws(cluster={"node_role_arn": "nodes"}), "workspace.cluster.node_role_arn", "pattern"),
    ("bad region", ws(region="mars"), "workspace.region", "pattern"),
    ("bad fs mode", ws(filesystem={"performance_mode": "turbo"}), "workspace.filesystem.performance_mode",
     "generalPurpose"),
    ("provisioned without figure", ws(filesystem={"throughput_mode": "provisioned"}),
     "workspace.filesystem.provisioned_throughput_mibps", "required"),
    ("bad domain", ws(gateway={"domain": "Example..com"}), "workspace.gateway.domain", "pattern"),
    ("bad shape override", ws(shapes={"gpu.x": {"cpu": 0, "memory_gib": 1, "instance_type": "x",
                                                "instance_hourly_usd": 1}}), "workspace.shapes.gpu.x.cpu", "greater"),
    # hostile numbers: each was a traceback, invalid JSON (Infinity) or a 301-digit CPU request
    ("shape cpu infinite", ws(shapes={"x": {"cpu": float("inf"), "memory_gib": 1, "instance_type": "x",
                                            "instance_hourly_usd": 1}}), "workspace.shapes.x.cpu", "less than"),
    ("shape memory not a number", ws(shapes={"x": {"cpu": 1, "memory_gib": float("nan"), "instance_type": "x",
                                                   "instance_hourly_usd": 1}}), "workspace.shapes.x.memory_gib",
     ""),
    ("shape price infinite", ws(shapes={"x": {"cpu": 1, "memory_gib": 1, "instance_type": "x",
                                              "instance_hourly_usd": float("inf")}}),
     "workspace.shapes.x.instance_hourly_usd", "less than"),
    ("shape cpu 1e300", ws(shapes={"x": {"cpu": 1e300, "memory_gib": 1, "instance_type": "x",
                                         "instance_hourly_usd": 1}}), "workspace.shapes.x.cpu", "less than"),
    # text that lands in PromQL, YAML or JSON: a quote made the QPM query invalid, a lone surrogate a traceback
    ("qpm path with a quote", one(autoscaling={"qpm": {"max_replicas": 2, "target_qpm": 5, "paths": ['/v1"x']}}),
     f"{E}.autoscaling.qpm.paths[0]", "pattern"),
    ("lone surrogate in env", one(env={"X": "\ud800"}), f"{E}.env.X", "surrogate"),
    ("lone surrogate in command", one(source={"container": {"image": "python:3.10", "command": ["a\udfff"]}}),
     f"{E}.source.container.command[0]", "surrogate"),
]


@pytest.mark.parametrize(("data", "path", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_invalid_spec_is_rejected_with_its_field_path(data: Any, path: str, message: str) -> None:
    with pytest.raises(SpecError) as caught:
        expand(parse_document(data))
    problems = {p.path: p.message for p in caught.value.problems}
    assert path in problems, f"expected a problem at {path}, got {problems}"
    assert message.lower() in problems[path].lower()


def test_there_are_at_least_fifty_cases() -> None:
    assert len(CASES) >= 50


def test_single_endpoint_documents_use_top_level_paths() -> None:
    with pytest.raises(SpecError) as caught:
        expand(parse_document({"name": "demo", "source": CONTAINER, "autoscaling": {"replicas": -1}}))
    assert caught.value.paths == ["autoscaling.replicas"]


def test_all_problems_are_reported_at_once() -> None:
    with pytest.raises(SpecError) as caught:
        parse_document({"workspace": {"region": "x"},
                        "endpoints": [{"name": "A", "source": CONTAINER}, {"name": "b", "source": {}}]})
    assert caught.value.paths == ["workspace.region", "endpoints[0].name", "endpoints[1].source"]


def test_a_document_brings_its_own_workspace() -> None:
    from pulumi_endpoints.spec import WorkspaceSpec

    with pytest.raises(TypeError, match="carries its own"):
        expand(parse_document({"name": "demo", "source": CONTAINER}), WorkspaceSpec())
