"""Cross-layer checks: errors stop the expansion, warnings travel with the blueprint."""

from __future__ import annotations

import dataclasses

import pytest

from pulumi_endpoints import SpecError
from pulumi_endpoints.blueprint import autoscaler, checks, cloud, gateway, workload
from pulumi_endpoints.blueprint.model import Manifest, NodePool
from pulumi_endpoints.blueprint.plan import EndpointPlan
from pulumi_endpoints.spec import CATALOG, EndpointSpec, WorkspaceSpec

from .helpers import CONTAINER, WORKSPACE, build


def warnings(blueprint) -> dict[str, str]:
    return {f.path: f.message for f in blueprint.warnings}


def plan_for(**fields) -> EndpointPlan:
    spec = EndpointSpec.model_validate({"name": "demo", "source": CONTAINER, **fields})
    return EndpointPlan(spec, WorkspaceSpec.model_validate(WORKSPACE), "", CATALOG[spec.resource_shape])


def test_large_model_on_a_small_gpu_warns_about_memory() -> None:
    found = warnings(build(source={"huggingface": {"model": "meta-llama/Meta-Llama-3-70B-Instruct"}},
                           resource_shape="gpu.a10"))
    assert "140 GB of fp16 weights may not fit in 24 GB" in found["resource_shape"]


def test_small_model_on_a_fitting_gpu_is_quiet() -> None:
    assert warnings(build(source={"huggingface": {"model": "meta-llama/Meta-Llama-3-8B-Instruct"}},
                          resource_shape="gpu.a10")) == {}


def test_llm_on_a_cpu_shape_warns() -> None:
    found = warnings(build(source={"huggingface": {"model": "org/tiny-1B"}}))
    assert "has no GPU" in found["resource_shape"]


def test_surge_without_room_warns_and_switches_strategy() -> None:
    blueprint = build(resource_shape="gpu.a10", autoscaling={"replicas": 2}, node_pool={"max_nodes": 2})
    assert "no room for a surge replica" in warnings(blueprint)["node_pool.max_nodes"]
    deployment = next(m for m in blueprint.manifests if m["kind"] == "Deployment")
    assert deployment["spec"]["strategy"]["rollingUpdate"] == {"maxSurge": 0, "maxUnavailable": 1}


def test_qpm_from_zero_warns() -> None:
    found = warnings(build(autoscaling={"qpm": {"min_replicas": 0, "max_replicas": 2, "target_qpm": 60}}))
    assert "503" in found["autoscaling.qpm.min_replicas"]


def test_multi_gpu_gets_shared_memory_by_default() -> None:
    """Tensor parallelism needs more /dev/shm than the runtime's 64 MiB: a default, not a warning."""
    blueprint = build(resource_shape="gpu.2xa100-80gb")
    [deployment] = [m for m in blueprint.manifests if m["kind"] == "Deployment"]
    volumes = deployment["spec"]["template"]["spec"]["volumes"]
    assert {"name": "dshm", "emptyDir": {"medium": "Memory", "sizeLimit": "16Gi"}} in volumes
    assert "shared_memory_size" not in warnings(blueprint)
    [single] = [m for m in build(resource_shape="gpu.a10").manifests if m["kind"] == "Deployment"]
    assert "volumes" not in single["spec"]["template"]["spec"]


def test_unpinned_image_warns() -> None:
    assert "not pinned" in warnings(build(source={"container": {"image": "python:latest"}}))["source"]
    assert "source" not in warnings(build(source={"container": {"image": "python@sha256:abc"}}))


def test_public_with_tokens_warns() -> None:
    assert "ignored" in warnings(build(access={"public": True, "tokens": ["t"]}))["access.tokens"]


def test_stopped_endpoint_warns() -> None:
    assert "stopped" in warnings(build(autoscaling={"replicas": 0}))["autoscaling.replicas"]


def test_missing_cluster_settings_warn_once() -> None:
    blueprint = build(workspace={"name": "dev"})
    assert list(warnings(blueprint)) == ["workspace.cluster"]


def test_mount_targets_without_security_groups_warn() -> None:
    workspace = {**WORKSPACE, "cluster": {**WORKSPACE["cluster"], "security_group_ids": []}}
    mount = [{"from": "/models", "path": "/opt/models"}]
    found = warnings(build(workspace, mounts=mount))
    assert "at least one security group" in found["workspace.cluster.security_group_ids"]
    assert warnings(build(workspace)) == {}
    assert warnings(build(mounts=mount)) == {}


def errors(plan: EndpointPlan, pool: NodePool | None = None, deployment: Manifest | None = None,
           route: Manifest | None = None, scalers: list[Manifest] | None = None) -> list[str]:
    """Error messages of check_endpoint, given the objects the expansion builds unless told otherwise."""
    found = checks.check_endpoint(plan, pool or cloud.node_pool(plan), [], deployment or workload.deployment(plan),
                                  route or gateway.http_route(plan),
                                  autoscaler.autoscaler(plan) if scalers is None else scalers)
    return [f"{f.path}: {f.message}" for f in found if f.level == "error"]


def test_the_interceptor_waits_at_least_the_start_up_grace() -> None:
    plan = plan_for(autoscaling={"scale_to_zero": {}}, health={"initial_delay_seconds": 900},
                    timeouts={"scale_from_zero": 300})
    assert errors(plan) == [
        "timeouts.scale_from_zero: the interceptor holds a request 300 s for the first replica, less than its "
        "start-up grace of 900 s: the first request after idle would fail while the replica starts"]
    assert errors(plan_for(autoscaling={"scale_to_zero": {}}, health={"initial_delay_seconds": 900})) == []


def test_the_route_outlasts_the_interceptor_wait() -> None:
    plan = plan_for(autoscaling={"scale_to_zero": {}})
    route = gateway.http_route(plan)
    assert errors(plan, route=route) == []
    route["spec"]["rules"][0]["timeouts"]["request"] = "10m"  # no room left after the 600 s wait
    assert errors(plan, route=route) == [
        "timeouts.request: the gateway gives a request 600 s, no more than the interceptor's 600 s wait for the "
        "first replica: a cold start would end in a 504"]


def test_header_routing_and_scale_from_zero_settings_need_the_right_autoscaling() -> None:
    assert errors(plan_for(routing={"header_based": True})) == [
        "routing.header_based: not with scale_to_zero: the KEDA interceptor forwards through the Service, so "
        "requests with the same header would not reach the same replica; use qpm, gpu_utilization or replicas "
        "autoscaling"]
    assert errors(plan_for(routing={"header_based": True}, autoscaling={"replicas": 2})) == []
    assert errors(plan_for(timeouts={"scale_from_zero": 900}, autoscaling={"replicas": 1})) == [
        "timeouts.scale_from_zero: only with autoscaling.scale_to_zero: no other mode holds requests at zero "
        "replicas"]


def test_a_taint_without_toleration_is_an_error() -> None:
    plan = plan_for(resource_shape="gpu.a10")
    deployment = workload.deployment(plan)
    assert errors(plan, deployment=deployment) == []
    deployment["spec"]["template"]["spec"].pop("tolerations")
    assert errors(plan, deployment=deployment) == [
        "resource_shape: node pool taint nvidia.com/gpu=true:NoSchedule has no toleration on the pods"]


def test_scale_to_zero_needs_the_route_to_reach_the_keda_interceptor() -> None:
    plan = plan_for(autoscaling={"scale_to_zero": {}})
    route = gateway.http_route(plan)
    assert errors(plan, route=route) == []
    route["spec"]["rules"][0]["backendRefs"] = [{"group": "", "kind": "Service", "name": "demo", "port": 80}]
    assert errors(plan, route=route) == [
        "autoscaling.scale_to_zero: no scale-from-zero path: traffic does not pass the KEDA interceptor"]


def test_a_gpu_pool_that_can_reach_zero_needs_node_template_tags() -> None:
    plan = plan_for(resource_shape="gpu.a10")
    pool = cloud.node_pool(plan)
    assert pool.min_size == 0
    untagged = dataclasses.replace(pool, tags={k: v for k, v in pool.tags.items() if "node-template" not in k})
    assert any("cluster-autoscaler cannot scale it up" in m for m in errors(plan, pool=untagged))


def test_pool_bounds_must_cover_replica_bounds() -> None:
    plan = plan_for(autoscaling={"replicas": 3})
    pool = dataclasses.replace(cloud.node_pool(plan), min_size=1)
    assert errors(plan, pool=pool) == ["autoscaling: node pool bounds 1..4 do not cover replicas 3..3"]


def test_errors_raise_with_paths_for_each_endpoint() -> None:
    with pytest.raises(SpecError) as caught:
        from pulumi_endpoints.blueprint import expand
        from pulumi_endpoints.spec import parse_document

        expand(parse_document({"endpoints": [
            {"name": "ok", "source": CONTAINER},
            {"name": "bad", "source": CONTAINER, "resource_shape": "gpu.a10",
             "autoscaling": {"replicas": 4}, "node_pool": {"max_nodes": 1}}]}))
    assert caught.value.paths == ["endpoints[1].node_pool.max_nodes"]


def test_a_read_write_mount_over_another_endpoints_folder_warns_and_root_mounts_can_be_forbidden() -> None:
    from pulumi_endpoints.blueprint import expand
    from pulumi_endpoints.spec import parse_document

    reader = {"name": "reader", "source": CONTAINER, "mounts": [{"from": "/models/llama", "path": "/models",
                                                                   "read_only": True}]}
    writer = {"name": "writer", "source": CONTAINER, "mounts": [{"from": "/", "path": "/leptonfs"}]}
    blueprint = expand(parse_document({"endpoints": [reader, writer]}))
    assert {f.path: f.message for f in blueprint.warnings}["endpoints[1].mounts[0].from"] == (
        "read-write over folders that reader also mount: this endpoint can change the files they serve")
    assert blueprint.shared_writes == (("writer", "reader"),)
    assert expand(parse_document({"endpoints": [reader, {**writer, "mounts": [
        {"from": "/scratch", "path": "/leptonfs"}]}]})).shared_writes == ()  # apart: nothing to say
    with pytest.raises(SpecError) as refused:
        expand(parse_document({"endpoints": [writer], "workspace": {"filesystem": {"forbid_root_mounts": True}}}))
    assert refused.value.paths == ["endpoints[0].mounts[0].from"]


def test_a_node_pool_limited_below_max_replicas_is_an_error() -> None:
    """Karpenter's limits are the spend cap: one that cannot hold max replicas' GPUs strands replicas."""
    from pulumi_endpoints.blueprint import capacity

    spec = EndpointSpec.model_validate({"name": "demo", "source": CONTAINER, "resource_shape": "gpu.a10",
                                        "autoscaling": {"replicas": 3}})
    workspace = WorkspaceSpec.model_validate({**WORKSPACE, "capacity": {"provisioner": "karpenter"}})
    plan = EndpointPlan(spec, workspace, "", CATALOG[spec.resource_shape])
    (pool,) = capacity.node_pools(plan)
    assert not _node_pool_errors(plan, [pool])
    pool["spec"]["limits"] = {"nvidia.com/gpu": "2"}
    assert _node_pool_errors(plan, [pool]) == [
        "autoscaling: NodePool prod-demo-on-demand is limited to fewer GPUs than 3 replicas need"]


def _node_pool_errors(plan: EndpointPlan, node_pools: list[Manifest]) -> list[str]:
    found = checks.check_endpoint(plan, None, node_pools, workload.deployment(plan), gateway.http_route(plan),
                                  autoscaler.autoscaler(plan))
    return [f"{f.path}: {f.message}" for f in found if f.level == "error"]
