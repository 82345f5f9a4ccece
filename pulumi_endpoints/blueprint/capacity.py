"""GPU capacity through Karpenter or EKS Auto Mode: NodePools (and Karpenter's EC2NodeClass).

One NodePool per endpoint and capacity type, not per shape family: each endpoint keeps nodes of its
own (its pods select them by the pool label, as with a node group), so its cost is what its nodes
bill and one endpoint's scale-down never moves another's replicas. The capacity types are tried in
the order given: each type's NodePool has a lower ``weight`` than the one before, and Karpenter
tries NodePools from the highest weight (karpenter.sh/v1 ``spec.weight``). Reserved capacity comes
from the workspace's capacity reservations (EC2NodeClass ``capacityReservationSelectorTerms``).

Nodes are only removed when empty (``consolidationPolicy: WhenEmpty``), so a replica that is still
loading its weights is never moved to a cheaper node; ``limits`` on ``nvidia.com/gpu`` cap each
NodePool at the GPUs of max replicas plus one surging replica, the spend cap.
"""

from __future__ import annotations

from typing import Any

from ..labels import GPU_RESOURCE, MANAGED_BY, MANAGED_BY_LABEL, POOL_LABEL, SHAPE_LABEL, WORKSPACE_LABEL, cloud_tags
from ..spec.inputs import role_name
from ..spec.workspace import WorkspaceSpec
from . import naming
from .cloud import GPU_TAINT
from .model import Manifest
from .plan import EndpointPlan

KARPENTER = "karpenter.sh/v1"
KARPENTER_AWS = "karpenter.k8s.aws/v1"
AUTO_MODE_NODE_CLASS = {"group": "eks.amazonaws.com", "kind": "NodeClass", "name": "default"}
CAPACITY_LABEL = "karpenter.sh/capacity-type"
CAPACITY_VALUES = {"reserved": "reserved", "spot": "spot", "on_demand": "on-demand"}
INSTANCE_TYPE_LABEL = "node.kubernetes.io/instance-type"
TOP_WEIGHT = 100  # Karpenter accepts 1-100; each later capacity type gets 10 less


def node_pools(plan: EndpointPlan) -> list[Manifest]:
    """The endpoint's NodePools, in its order of capacity types (provisioner karpenter or auto_mode)."""
    return [_node_pool(plan, kind, TOP_WEIGHT - 10 * rank) for rank, kind in enumerate(plan.capacity_types)]


def _node_pool(plan: EndpointPlan, kind: str, weight: int) -> Manifest:
    shape = plan.shape
    template: dict[str, Any] = {
        "nodeClassRef": _node_class_ref(plan.workspace),
        "requirements": [
            {"key": INSTANCE_TYPE_LABEL, "operator": "In", "values": [shape.instance_type]},
            {"key": CAPACITY_LABEL, "operator": "In", "values": [CAPACITY_VALUES[kind]]},
        ],
    }
    if shape.is_gpu:
        template["taints"] = [{"key": GPU_TAINT.key, "value": GPU_TAINT.value, "effect": GPU_TAINT.kube_effect}]
    spec: dict[str, Any] = {
        "weight": weight,
        "template": {"metadata": {"labels": {POOL_LABEL: plan.pool_name, SHAPE_LABEL: plan.spec.resource_shape}},
                     "spec": template},
        "disruption": {"consolidationPolicy": "WhenEmpty", "consolidateAfter": f"{plan.start_up_grace}s",
                       "budgets": [{"nodes": "1"}]},
    }
    if shape.is_gpu:
        spec["limits"] = {GPU_RESOURCE: str(plan.pool_max * shape.instance_gpus)}
    return {"apiVersion": KARPENTER, "kind": "NodePool",
            "metadata": {"name": naming.capacity_pool(plan.pool_name, kind), "labels": plan.labels},
            "spec": spec}


def _node_class_ref(workspace: WorkspaceSpec) -> dict[str, str]:
    if workspace.capacity.provisioner == "auto_mode":
        return dict(AUTO_MODE_NODE_CLASS)
    return {"group": "karpenter.k8s.aws", "kind": "EC2NodeClass", "name": naming.node_class(workspace.name)}


def node_class(workspace: WorkspaceSpec, plans: list[EndpointPlan]) -> list[Manifest]:
    """The workspace's EC2NodeClass (provisioner karpenter): its node role, subnets, security groups,
    capacity reservations and the AL2023 AMIs (Karpenter picks the NVIDIA variant for GPU instances)."""
    if workspace.capacity.provisioner != "karpenter" or not plans:
        return []
    cluster, capacity = workspace.cluster, workspace.capacity
    spec: dict[str, Any] = {
        "role": role_name(cluster.node_role_arn or ""),
        "amiSelectorTerms": [{"alias": "al2023@latest"}],
        "subnetSelectorTerms": [{"id": subnet} for subnet in sorted(cluster.subnet_ids)],
        "securityGroupSelectorTerms": [{"id": group} for group in sorted(cluster.security_group_ids)],
        "tags": cloud_tags(workspace.name, None),
    }
    if capacity.reservations:
        spec["capacityReservationSelectorTerms"] = [{"id": cr} for cr in capacity.reservations]
    return [{"apiVersion": KARPENTER_AWS, "kind": "EC2NodeClass",
             "metadata": {"name": naming.node_class(workspace.name),
                          "labels": {MANAGED_BY_LABEL: MANAGED_BY, WORKSPACE_LABEL: workspace.name}},
             "spec": spec}]
