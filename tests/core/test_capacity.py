"""GPU capacity: node groups, Karpenter and EKS Auto Mode NodePools, ordered capacity types, reservations.

The NodePools and the EC2NodeClass are validated against Karpenter's own CRD schemas (v1.14.1,
tests/data/crds) with unknown fields as errors.
"""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_endpoints import labels as L
from pulumi_endpoints.errors import SpecError

from k8s_validation import assert_valid
from .helpers import WORKSPACE, build, cloud, manifests, pod

RESERVATION = "cr-0123456789abcdef0"


def karpenter(**capacity: Any) -> dict[str, Any]:
    return {**WORKSPACE, "capacity": {"provisioner": "karpenter", **capacity}}


def test_karpenter_replaces_the_node_group_with_a_node_pool_per_capacity_type_in_order() -> None:
    blueprint = build(karpenter(capacity_types=["spot", "on_demand"]), resource_shape="gpu.2xa100-40gb",
                      autoscaling={"gpu_utilization": {"min_replicas": 1, "max_replicas": 6, "target_percent": 70}})
    assert cloud(blueprint, "node_pool") == []
    pools = manifests(blueprint, "NodePool")
    assert [(p["metadata"]["name"], p["spec"]["weight"]) for p in pools] == [
        ("prod-demo-spot", 100), ("prod-demo-on-demand", 90)]
    for pool in pools:
        assert_valid(pool)
        template = pool["spec"]["template"]
        requirements = {r["key"]: r["values"] for r in template["spec"]["requirements"]}
        assert requirements["node.kubernetes.io/instance-type"] == ["p4d.24xlarge"]
        # The pods still meet the nodes: the pool label they select and the GPU taint they tolerate.
        assert template["metadata"]["labels"][L.POOL_LABEL] == pod(blueprint)["nodeSelector"][L.POOL_LABEL]
        assert template["spec"]["taints"] == [{"key": "nvidia.com/gpu", "value": "true", "effect": "NoSchedule"}]
        # The spend cap: GPUs of max replicas plus a surging one, in whole instances (7 replicas x 2 GPUs).
        assert pool["spec"]["limits"] == {"nvidia.com/gpu": "16"}
        assert pool["spec"]["disruption"]["consolidationPolicy"] == "WhenEmpty"
    assert [p["spec"]["template"]["spec"]["requirements"][1]["values"] for p in pools] == [["spot"], ["on-demand"]]
    (node_class,) = blueprint.manifests_of(None)[-1:]
    assert node_class["kind"] == "EC2NodeClass" and assert_valid(node_class) is None
    assert node_class["spec"]["role"] == "nodes"
    assert node_class["spec"]["subnetSelectorTerms"] == [{"id": "subnet-0a"}, {"id": "subnet-0b"}]


def test_reserved_capacity_selects_the_workspace_reservations() -> None:
    blueprint = build(karpenter(reservations=[RESERVATION]), resource_shape="gpu.8xh100-sxm",
                      capacity_types=["reserved", "on_demand"], autoscaling={"replicas": 1})
    pools = manifests(blueprint, "NodePool")
    assert [p["spec"]["template"]["spec"]["requirements"][1]["values"] for p in pools] == [["reserved"],
                                                                                           ["on-demand"]]
    node_class = next(m for m in blueprint.manifests if m["kind"] == "EC2NodeClass")
    assert node_class["spec"]["capacityReservationSelectorTerms"] == [{"id": RESERVATION}]
    assert_valid(node_class)


def test_auto_mode_uses_its_node_class_and_renders_none() -> None:
    blueprint = build({**WORKSPACE, "capacity": {"provisioner": "auto_mode"}}, resource_shape="gpu.a10")
    (pool,) = manifests(blueprint, "NodePool")
    assert pool["spec"]["template"]["spec"]["nodeClassRef"] == {"group": "eks.amazonaws.com", "kind": "NodeClass",
                                                                "name": "default"}
    assert manifests(blueprint, "EC2NodeClass") == [] and cloud(blueprint, "node_pool") == []
    assert_valid(pool)


def test_a_node_group_takes_the_first_capacity_type() -> None:
    (pool,) = cloud(build({**WORKSPACE, "capacity": {"capacity_types": ["spot"]}}), "node_pool")
    assert pool.capacity_type == "SPOT"
    (pool,) = cloud(build(node_pool={"capacity_type": "spot"}), "node_pool")  # the older spelling
    assert pool.capacity_type == "SPOT"
    (pool,) = cloud(build(), "node_pool")
    assert pool.capacity_type == "ON_DEMAND" and manifests(build(), "NodePool") == []


@pytest.mark.parametrize(("workspace", "fields", "path", "message"), [
    (karpenter(), {"capacity_types": ["reserved"]}, "capacity_types", "workspace.capacity.reservations"),
    ({**WORKSPACE, "capacity": {"reservations": [RESERVATION]}}, {"capacity_types": ["reserved", "on_demand"]},
     "capacity_types", "provisioner karpenter"),
    ({**WORKSPACE, "capacity": {"provisioner": "auto_mode", "reservations": [RESERVATION]}},
     {"capacity_types": ["reserved"]}, "capacity_types", "provisioner karpenter"),
    (karpenter(), {"capacity_types": ["spot"], "node_pool": {"capacity_type": "spot"}}, "capacity_types",
     "node_pool.capacity_type"),
    ({**WORKSPACE, "cluster": {**WORKSPACE["cluster"], "security_group_ids": []}, "capacity": {
        "provisioner": "karpenter"}}, {}, "workspace.cluster.security_group_ids", "EC2NodeClass"),
])
def test_capacity_that_cannot_work_is_an_error(workspace: dict[str, Any], fields: dict[str, Any], path: str,
                                               message: str) -> None:
    with pytest.raises(SpecError) as raised:
        build(workspace, **fields)
    assert any(p.path == path and message in p.message for p in raised.value.problems), raised.value.problems


def test_spot_for_an_endpoint_that_cannot_lose_a_replica_is_a_warning() -> None:
    findings = build(karpenter(capacity_types=["spot", "on_demand"]), require_approval=True,
                     autoscaling={"replicas": 2}).warnings
    assert [f.path for f in findings if "spot" in f.message] == ["workspace.capacity.capacity_types"]
    own = build(karpenter(), capacity_types=["spot"], require_approval=True).warnings
    assert [f.path for f in own if "spot" in f.message] == ["capacity_types"]
    assert not [f for f in build(karpenter()).warnings if "spot" in f.message]


def test_capacity_types_are_distinct() -> None:
    with pytest.raises(SpecError, match="each capacity type at most once"):
        build(karpenter(capacity_types=["spot", "spot"]))


@pytest.mark.parametrize(("types", "ratio", "band"), [
    (["spot", "on_demand"], 0.4, (0.4848, 4.848)),  # min on spot; max as if spot ran out
    (["spot"], 0.4, (0.4848, 1.9392)),
    (["spot"], None, (1.212, 4.848)),  # no ratio given: spot priced as on-demand
    (["reserved", "on_demand"], 0.4, (1.212, 4.848)),  # reservations bill at the on-demand rate
])
def test_the_cost_band_knows_the_capacity_type(types: list[str], ratio: float | None,
                                               band: tuple[float, float]) -> None:
    from pulumi_endpoints.blueprint.cost import cost_band

    capacity = {"provisioner": "karpenter", "capacity_types": types, "reservations": [RESERVATION],
                "spot_price_ratio": ratio}
    summary = build({**WORKSPACE, "capacity": capacity}, resource_shape="gpu.a10",
                    autoscaling={"gpu_utilization": {"min_replicas": 1, "max_replicas": 4}}).endpoints[0]
    cost = cost_band(summary)
    assert (cost.hourly_min, cost.hourly_max) == pytest.approx(band)


def test_a_long_endpoint_name_keeps_node_pool_names_to_a_label_value() -> None:
    """Karpenter labels each node karpenter.sh/nodepool=<NodePool name>: at most 63 characters."""
    name = "a" + "b" * 62  # the longest endpoint name
    blueprint = build(karpenter(capacity_types=["spot", "on_demand"]), name=name, resource_shape="gpu.a10")
    names = [p["metadata"]["name"] for p in manifests(blueprint, "NodePool")]
    assert len(set(names)) == 2 and all(len(n) <= 63 for n in names), names
    assert all(len(m["metadata"].get("namespace", "")) <= 63 for m in blueprint.manifests)
    for pool in manifests(blueprint, "NodePool"):
        assert_valid(pool)


def test_every_endpoint_of_a_karpenter_workspace_gets_its_node_pools_and_the_workspace_one_node_class() -> None:
    """Several endpoints in one spec file, as the Terraform module reads it: the EC2NodeClass is the
    workspace's (applied once, by the configuration that manages the workspace), each endpoint's
    NodePools are its own, and no node group is planned."""
    import json

    from tf.iface import ReadDataContext
    from tf.utils import Diagnostics

    from pulumi_endpoints.terraform.data_sources import SpecFileData
    from pulumi_endpoints.terraform.provider import EndpointsProvider

    container = {"container": {"image": "python:3.12"}}
    content = json.dumps({"workspace": karpenter(capacity_types=["spot", "on_demand"]), "endpoints": [
        {"name": "a", "source": container, "resource_shape": "gpu.a10"},
        {"name": "b", "source": container, "resource_shape": "gpu.2xa100-40gb", "capacity_types": ["on_demand"]}]})
    diags = Diagnostics()
    state = SpecFileData(EndpointsProvider()).read(ReadDataContext(diags, "endpoints_spec_file"),
                                                   {"content": content, "workspace": None})
    assert not diags.has_errors(), diags
    assert state["node_pools"] == {}
    # the EC2NodeClass, and the interceptor's policy (both endpoints scale to zero by default)
    assert sorted(json.loads(m)["kind"] for m in state["workspace_manifests"]) == ["EC2NodeClass", "NetworkPolicy"]
    pools = {name: [json.loads(m)["metadata"]["name"] for m in listed if json.loads(m)["kind"] == "NodePool"]
             for name, listed in state["manifests"].items()}
    assert pools == {"a": ["prod-a-spot", "prod-a-on-demand"], "b": ["prod-b-on-demand"]}


@pytest.mark.parametrize("provisioner", ["node_group", "karpenter", "auto_mode"])
def test_a_workspace_shape_on_an_instance_type_ec2_does_not_offer_is_an_error(provisioner: str) -> None:
    """EKS would refuse the node group at apply; Karpenter would never launch a node (pods pend)."""
    shape = {"cpu": 4, "memory_gib": 16, "gpu_model": "L4", "gpu_count": 1, "gpu_memory_gib": 24,
             "instance_gpus": 1, "instance_hourly_usd": 0.8}
    workspace = {**WORKSPACE, "capacity": {"provisioner": provisioner}}
    with pytest.raises(SpecError) as refused:
        build({**workspace, "shapes": {"gpu.l4": {**shape, "instance_type": "g6.2xlarg"}}}, resource_shape="gpu.l4")
    assert refused.value.paths == ["resource_shape"] and "g6.2xlarg" in str(refused.value)
    good = build({**workspace, "shapes": {"gpu.l4": {**shape, "instance_type": "g6.2xlarge"}}}, resource_shape="gpu.l4")
    assert good.endpoints[0].shape == "gpu.l4"
