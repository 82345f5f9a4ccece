"""The workload objects: Deployment, Service, disruption budget, volumes and RBAC."""

from __future__ import annotations

from typing import Any

from .. import labels as L
from . import naming
from .cloud import GPU_TAINT
from ..spec.images import CACHE_PATH
from .containers import Server, env, mounts, probes, server
from .model import Manifest
from .plan import EndpointPlan
from .refs import ref

CACHE_VOLUME = "cache"
NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name"  # set by Kubernetes on every namespace (1.22+)
EFS_CSI_DRIVER = "efs.csi.aws.com"
# EFS is elastic; Kubernetes still wants a capacity on the volume and the claim.
EFS_NOMINAL_CAPACITY = "1Ti"


def metadata(plan: EndpointPlan, name: str, namespaced: bool = True) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": name}
    if namespaced:
        meta["namespace"] = plan.namespace
    meta["labels"] = plan.labels
    return meta


def _cpu(cores: float) -> str:
    return str(int(cores)) if float(cores).is_integer() else f"{int(cores * 1000)}m"


def _memory(gib: float) -> str:
    return f"{int(gib)}Gi" if float(gib).is_integer() else f"{int(gib * 1024)}Mi"


def _resources(plan: EndpointPlan) -> dict[str, Any]:
    shape = plan.shape
    amounts = {"cpu": _cpu(shape.cpu), "memory": _memory(shape.memory_gib)}
    limits = dict(amounts)
    if shape.is_gpu:
        limits[L.GPU_RESOURCE] = str(shape.gpu_count)
    return {"requests": amounts, "limits": limits}


def _container(plan: EndpointPlan, srv: Server) -> dict[str, Any]:
    container: dict[str, Any] = {"name": L.CONTAINER_NAME, "image": srv.image}
    if srv.command:
        container["command"] = srv.command
    if srv.args:
        container["args"] = srv.args
    container["ports"] = [{"name": "http", "containerPort": srv.port, "protocol": "TCP"}]
    container["env"] = env(plan)
    container["resources"] = _resources(plan)
    volume_mounts = [{"name": naming.volume(i), "mountPath": m.path, "readOnly": m.read_only}
                     for i, m in enumerate(mounts(plan))]
    if plan.shared_memory:
        volume_mounts.append({"name": "dshm", "mountPath": "/dev/shm"})
    if srv.facts and srv.facts.cache_env:
        volume_mounts.append({"name": CACHE_VOLUME, "mountPath": CACHE_PATH})
    if volume_mounts:
        container["volumeMounts"] = volume_mounts
    container.update(probes(plan, srv))
    added = sorted(srv.facts.capabilities) if srv.facts else []
    container["securityContext"] = {"allowPrivilegeEscalation": False,
                                    "capabilities": {"drop": ["ALL"], **({"add": added} if added else {})}}
    return container


def _volumes(plan: EndpointPlan, srv: Server) -> list[dict[str, Any]]:
    volumes: list[dict[str, Any]] = [
        {"name": naming.volume(i), "persistentVolumeClaim": {"claimName": naming.claim(plan.name, i)}}
        for i, _ in enumerate(mounts(plan))]
    if plan.shared_memory:
        volumes.append({"name": "dshm", "emptyDir": {"medium": "Memory", "sizeLimit": plan.shared_memory}})
    if srv.facts and srv.facts.cache_env:
        # Weights downloaded at start: on the node disk, bounded, not in the container's writable layer.
        volumes.append({"name": CACHE_VOLUME, "emptyDir": {"sizeLimit": f"{plan.cache_gib}Gi"}})
    return volumes


def _strategy(plan: EndpointPlan) -> dict[str, Any]:
    # Surge a new replica before stopping an old one when the pool has room for it.
    surge, unavailable = (1, 0) if plan.surge_fits else (0, 1)
    return {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": surge, "maxUnavailable": unavailable}}


def deployment(plan: EndpointPlan) -> Manifest:
    spec = plan.spec
    srv = server(plan)
    pod: dict[str, Any] = {
        "enableServiceLinks": False,
        # Its own account without a token: the server never talks to the Kubernetes API.
        "serviceAccountName": naming.service_account(plan.name),
        "automountServiceAccountToken": False,
        "containers": [_container(plan, srv)],
        "nodeSelector": {L.POOL_LABEL: plan.pool_name},
    }
    security: dict[str, Any] = {"seccompProfile": {"type": "RuntimeDefault"}}
    if srv.facts and srv.facts.run_as is not None:  # the image's user, and its volumes writable by it
        uid = srv.facts.run_as
        security.update(runAsUser=uid, runAsGroup=uid, fsGroup=uid)
    pod["securityContext"] = security
    if plan.shape.is_gpu:
        pod["tolerations"] = [{"key": GPU_TAINT.key, "operator": "Equal", "value": GPU_TAINT.value,
                               "effect": GPU_TAINT.kube_effect}]
    if spec.require_approval:
        pod["readinessGates"] = [{"conditionType": L.APPROVAL_CONDITION}]
    if spec.image_pull_secrets:
        pod["imagePullSecrets"] = [{"name": s} for s in spec.image_pull_secrets]
    volumes = _volumes(plan, srv)
    if volumes:
        pod["volumes"] = volumes
    template_meta: dict[str, Any] = {"labels": plan.labels}
    if plan.collect_logs:
        template_meta["annotations"] = {L.LOGS_ANNOTATION: "true"}
    body: dict[str, Any] = {}
    if spec.autoscaling.replicas is not None:
        body["replicas"] = spec.autoscaling.replicas  # otherwise the autoscaler owns the count
    body.update({
        "revisionHistoryLimit": 5,
        "selector": {"matchLabels": plan.selector},
        "strategy": _strategy(plan),
        "template": {"metadata": template_meta, "spec": pod},
    })
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": metadata(plan, plan.name),
            "spec": body}


SERVICE_PORT = 80


def service_account(plan: EndpointPlan) -> Manifest:
    return {"apiVersion": "v1", "kind": "ServiceAccount",
            "metadata": metadata(plan, naming.service_account(plan.name)), "automountServiceAccountToken": False}


def network_policy(plan: EndpointPlan) -> Manifest:
    """The pods admit only the gateway's proxies, the KEDA interceptor (scale from zero) and Prometheus:
    the token checked at the gateway cannot be bypassed from another pod of the cluster."""
    callers = [plan.workspace.gateway.proxy_namespace, plan.workspace.keda.namespace]
    if plan.spec.metrics.pull:
        callers.append(plan.workspace.monitoring.namespace)
    return {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
            "metadata": metadata(plan, naming.network_policy(plan.name)),
            "spec": {"podSelector": {"matchLabels": plan.selector}, "policyTypes": ["Ingress"],
                     "ingress": [{"from": [{"namespaceSelector": {"matchLabels": {NAMESPACE_NAME_LABEL: namespace}}}
                                           for namespace in sorted(set(callers))],
                                  "ports": [{"protocol": "TCP", "port": "http"}]}]}}


def service(plan: EndpointPlan) -> Manifest:
    return {"apiVersion": "v1", "kind": "Service", "metadata": metadata(plan, plan.name),
            "spec": {"type": "ClusterIP", "selector": plan.selector,
                     "ports": [{"name": "http", "port": SERVICE_PORT, "targetPort": "http",
                                "protocol": "TCP"}]}}


def disruption_budget(plan: EndpointPlan) -> list[Manifest]:
    if plan.max_replicas < 2:
        return []
    return [{"apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
             "metadata": metadata(plan, plan.name),
             "spec": {"maxUnavailable": 1, "selector": {"matchLabels": plan.selector}}}]


def volumes(plan: EndpointPlan) -> list[Manifest]:
    """A static EFS volume and its claim for each mount, through the mount's access point."""
    fs = plan.workspace.filesystem.name
    result: list[Manifest] = []
    for index, mount in enumerate(mounts(plan)):
        pv_name = naming.persistent_volume(plan.workspace.name, plan.namespace, plan.name, index)
        access_point = naming.access_point(plan.name, index)
        mode = "ReadOnlyMany" if mount.read_only else "ReadWriteMany"
        handle = f"{ref('file_system', fs)}::{ref('access_point', access_point)}"
        result.append({
            "apiVersion": "v1", "kind": "PersistentVolume",
            "metadata": metadata(plan, pv_name, namespaced=False),
            "spec": {"capacity": {"storage": EFS_NOMINAL_CAPACITY}, "accessModes": [mode],
                     "persistentVolumeReclaimPolicy": "Retain", "storageClassName": "",
                     "volumeMode": "Filesystem",
                     "claimRef": {"namespace": plan.namespace, "name": naming.claim(plan.name, index)},
                     "csi": {"driver": EFS_CSI_DRIVER, "volumeHandle": handle,
                             "readOnly": mount.read_only}},
        })
        result.append({
            "apiVersion": "v1", "kind": "PersistentVolumeClaim",
            "metadata": metadata(plan, naming.claim(plan.name, index)),
            "spec": {"accessModes": [mode], "storageClassName": "", "volumeName": pv_name,
                     "resources": {"requests": {"storage": EFS_NOMINAL_CAPACITY}}},
        })
    return result


def rbac(plan: EndpointPlan) -> list[Manifest]:
    """Who may see and operate the endpoint: owner and admins, plus members when public."""
    name = naming.access(plan.name)
    rules = [
        {"apiGroups": ["apps"], "resources": ["deployments"], "resourceNames": [plan.name],
         "verbs": ["get", "watch", "patch"]},
        {"apiGroups": [""], "resources": ["services"], "resourceNames": [plan.name],
         "verbs": ["get", "watch"]},
        {"apiGroups": [""], "resources": ["pods", "pods/log", "events"], "verbs": ["get", "list", "watch"]},
        {"apiGroups": [""], "resources": ["pods/status"], "verbs": ["patch"]},
    ]
    rbac_groups = plan.workspace.rbac
    subjects = [{"kind": "Group", "apiGroup": "rbac.authorization.k8s.io", "name": rbac_groups.admin_group}]
    if plan.spec.visibility == "public":
        subjects.append({"kind": "Group", "apiGroup": "rbac.authorization.k8s.io",
                         "name": rbac_groups.member_group})
    if plan.spec.owner:
        subjects.append({"kind": "User", "apiGroup": "rbac.authorization.k8s.io", "name": plan.spec.owner})
    return [
        {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
         "metadata": metadata(plan, name), "rules": rules},
        {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
         "metadata": metadata(plan, name),
         "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": name},
         "subjects": subjects},
    ]

