"""Cloud resource specs: node pools, the shared file system, secrets."""

from __future__ import annotations

from ..cloud_defaults import ACCESS_POINT_GID, ACCESS_POINT_PERMISSIONS, ACCESS_POINT_UID, EKS_CAPACITY
from ..labels import GPU_RESOURCE, POOL_LABEL, SHAPE_LABEL, cloud_tags
from ..spec.workspace import WorkspaceSpec
from . import naming
from .model import AccessPoint, FileSystem, MountTarget, NodePool, SecretEntry, Taint
from .plan import EndpointPlan

GPU_AMI = "AL2023_x86_64_NVIDIA"
CPU_AMI = "AL2023_x86_64_STANDARD"
GPU_TAINT = Taint(key=GPU_RESOURCE, value="true", effect="NO_SCHEDULE")
AUTOSCALER_TEMPLATE = "k8s.io/cluster-autoscaler/node-template"
AUTOSCALER_GPU_TAG = f"{AUTOSCALER_TEMPLATE}/resources/{GPU_RESOURCE}"


def node_pool(plan: EndpointPlan) -> NodePool:
    shape, cluster = plan.shape, plan.workspace.cluster
    pool_labels = {POOL_LABEL: plan.pool_name, SHAPE_LABEL: plan.spec.resource_shape}
    taints = (GPU_TAINT,) if shape.is_gpu else ()
    return NodePool(
        name=plan.pool_name,
        cluster_name=cluster.name,
        node_role_arn=cluster.node_role_arn or "",
        subnet_ids=tuple(sorted(cluster.subnet_ids)),
        instance_types=(shape.instance_type,),
        ami_type=GPU_AMI if shape.is_gpu else CPU_AMI,
        capacity_type=EKS_CAPACITY.get(plan.capacity_types[0], EKS_CAPACITY["on_demand"]),  # reserved: an error
        disk_size=plan.spec.node_pool.disk_size_gb,
        min_size=plan.pool_min,
        max_size=plan.pool_max,
        desired_size=plan.pool_min,
        labels=pool_labels,
        taints=taints,
        tags=cloud_tags(plan.workspace.name, plan.name,
                          _autoscaler_tags(plan, pool_labels, taints)),
        owner=plan.name,
    )


def _autoscaler_tags(plan: EndpointPlan, pool_labels: dict[str, str],
                     taints: tuple[Taint, ...]) -> dict[str, str]:
    """Tags that let cluster-autoscaler scale the pool up from zero nodes."""
    tags = {
        "k8s.io/cluster-autoscaler/enabled": "true",
        f"k8s.io/cluster-autoscaler/{plan.workspace.cluster.name}": "owned",
    }
    for key, value in pool_labels.items():
        tags[f"{AUTOSCALER_TEMPLATE}/label/{key}"] = value
    for taint in taints:
        tags[f"{AUTOSCALER_TEMPLATE}/taint/{taint.key}"] = f"{taint.value}:{taint.kube_effect}"
    if plan.shape.is_gpu:
        tags[AUTOSCALER_GPU_TAG] = str(plan.shape.instance_gpus)
    return tags


def file_system(workspace: WorkspaceSpec) -> FileSystem:
    options = workspace.filesystem
    return FileSystem(
        name=options.name,
        creation_token=naming.creation_token(workspace.name, options.name),
        performance_mode=options.performance_mode,
        throughput_mode=options.throughput_mode,
        provisioned_throughput_mibps=options.provisioned_throughput_mibps,
        encrypted=options.encrypted,
        transition_to_ia=options.transition_to_ia,
        deletion_protection=options.deletion_protection,
        tags=cloud_tags(workspace.name, None),
    )


def mount_targets(workspace: WorkspaceSpec) -> list[MountTarget]:
    """One per subnet, named by the subnet's place in the list as written: a name never depends on a
    value, which may be known only at deployment (an appended subnet adds one; a reordered list moves
    the mount targets, so each is replaced)."""
    fs = workspace.filesystem.name
    groups = tuple(sorted(workspace.cluster.security_group_ids))
    return [MountTarget(name=naming.mount_target(fs, index), file_system=fs, subnet_id=subnet,
                        security_group_ids=groups)
            for index, subnet in enumerate(workspace.cluster.subnet_ids)]


def access_points(plan: EndpointPlan, mounts: list[tuple[int | str, str]]) -> list[AccessPoint]:
    """One per mount (its key, the folder), enforcing the file system user of ACCESS_POINT_UID."""
    return [AccessPoint(name=naming.access_point(plan.name, key),
                        file_system=plan.workspace.filesystem.name, path=path,
                        uid=ACCESS_POINT_UID, gid=ACCESS_POINT_GID,
                        permissions=ACCESS_POINT_PERMISSIONS,
                        tags=cloud_tags(plan.workspace.name, plan.name), owner=plan.name)
            for key, path in mounts]


def secret_entries(workspace: WorkspaceSpec, names: set[str]) -> list[SecretEntry]:
    return [SecretEntry(name=name, secret_id=workspace.secret_id(name),
                        description=f"Endpoints workspace {workspace.name}: {name}",
                        tags=cloud_tags(workspace.name, None))
            for name in sorted(names)]
