"""The workload objects: Deployment, Service, disruption budget, volumes and RBAC."""

from __future__ import annotations

from typing import Any

from ..cloud_defaults import ACCESS_POINT_UID
from ..labels import APPROVAL_CONDITION, CONTAINER_NAME, GPU_RESOURCE, LOGS_ANNOTATION, POOL_LABEL, WORKSPACE_LABEL
from . import naming
from .cloud import GPU_TAINT
from ..spec.images import CACHE_PATH
from .containers import (HF_TOKEN_ENV, MODEL_CACHE_KEY, MODEL_CACHE_PATH, TMP_PATH, Server, cached_model_path, env,
                         mounts, probes, secret_env, server)
from .model import Manifest
from .plan import EndpointPlan
from .refs import ref

CACHE_VOLUME = "cache"
TMP_VOLUME, TMP_SIZE = "tmp", "10Gi"  # at TMP_PATH, with a read-only root file system
NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name"  # set by Kubernetes on every namespace (1.22+)
POD_SECURITY_ENFORCE = "pod-security.kubernetes.io/enforce"  # Pod Security Admission, GA in 1.25
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
        limits[GPU_RESOURCE] = str(shape.gpu_count)
    return {"requests": amounts, "limits": limits}


def _container(plan: EndpointPlan, srv: Server) -> dict[str, Any]:
    container: dict[str, Any] = {"name": CONTAINER_NAME, "image": srv.image}
    if srv.command:
        container["command"] = list(srv.command)  # the plan's Server is shared: the manifest gets its own
    if srv.args:
        container["args"] = list(srv.args)
    container["ports"] = [{"name": "http", "containerPort": srv.port, "protocol": "TCP"}]
    container["env"] = env(plan)
    container["resources"] = _resources(plan)
    volume_mounts = [{"name": naming.volume(m.key), "mountPath": m.path, "readOnly": m.read_only_in_server}
                     for m in mounts(plan)]
    if plan.shared_memory:
        volume_mounts.append({"name": "dshm", "mountPath": "/dev/shm"})
    if srv.facts and srv.facts.cache_env:
        volume_mounts.append({"name": CACHE_VOLUME, "mountPath": CACHE_PATH})
    if plan.spec.security.read_only_root_filesystem:
        volume_mounts.append({"name": TMP_VOLUME, "mountPath": TMP_PATH})
    if volume_mounts:
        container["volumeMounts"] = volume_mounts
    container.update(probes(plan, srv))
    added = sorted(srv.facts.capabilities) if srv.facts else []
    security: dict[str, Any] = {"allowPrivilegeEscalation": False,
                                "capabilities": {"drop": ["ALL"], **({"add": added} if added else {})}}
    if plan.spec.security.read_only_root_filesystem:
        security["readOnlyRootFilesystem"] = True
    container["securityContext"] = security
    return container


def _volumes(plan: EndpointPlan, srv: Server) -> list[dict[str, Any]]:
    volumes: list[dict[str, Any]] = [
        {"name": naming.volume(m.key), "persistentVolumeClaim": {"claimName": naming.claim(plan.name, m.key)}}
        for m in mounts(plan)]
    if plan.shared_memory:
        volumes.append({"name": "dshm", "emptyDir": {"medium": "Memory", "sizeLimit": plan.shared_memory}})
    if srv.facts and srv.facts.cache_env:
        # Weights downloaded at start: on the node disk, bounded, not in the container's writable layer.
        volumes.append({"name": CACHE_VOLUME, "emptyDir": {"sizeLimit": f"{plan.cache_gib}Gi"}})
    if plan.spec.security.read_only_root_filesystem:
        volumes.append({"name": TMP_VOLUME, "emptyDir": {"sizeLimit": TMP_SIZE}})
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
        **({"initContainers": [_wait_for_cache(plan, srv)]} if plan.cached_model else {}),
        "containers": [_container(plan, srv)],
        "nodeSelector": {POOL_LABEL: plan.pool_name},
    }
    security: dict[str, Any] = {"seccompProfile": {"type": "RuntimeDefault"}}
    uid = plan.spec.security.run_as_user
    if uid is not None:
        security.update(runAsNonRoot=True, runAsUser=uid, runAsGroup=uid, fsGroup=uid)
    elif srv.facts and srv.facts.run_as is not None:  # the image's user, and its volumes writable by it
        uid = srv.facts.run_as
        security.update(runAsUser=uid, runAsGroup=uid, fsGroup=uid)
    pod["securityContext"] = security
    if plan.shape.is_gpu:
        pod["tolerations"] = [{"key": GPU_TAINT.key, "operator": "Equal", "value": GPU_TAINT.value,
                               "effect": GPU_TAINT.kube_effect}]
    if spec.require_approval:
        pod["readinessGates"] = [{"conditionType": APPROVAL_CONDITION}]
    if spec.image_pull_secrets:
        pod["imagePullSecrets"] = [{"name": s} for s in spec.image_pull_secrets]
    volumes = _volumes(plan, srv)
    if volumes:
        pod["volumes"] = volumes
    template_meta: dict[str, Any] = {"labels": plan.labels}
    if plan.collect_logs:
        template_meta["annotations"] = {LOGS_ANNOTATION: "true"}
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
CACHE_MARKER = ".complete"  # written by the cache's Job once the revision is whole
JOB_RESOURCES = {"requests": {"cpu": "1", "memory": "2Gi"}, "limits": {"cpu": "2", "memory": "4Gi"}}
WAIT_RESOURCES = {"requests": {"cpu": "10m", "memory": "32Mi"}, "limits": {"cpu": "100m", "memory": "64Mi"}}
RESTRICTED = {"allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]}}
# pulumi-kubernetes waits for a Job to complete by default: a download can outlast any timeout, and the
# replicas wait for it themselves (their init container).
SKIP_AWAIT = {"pulumi.com/skipAwait": "true"}
# What the API server writes into a Job it creates (batch.kubernetes.io/job-name and controller-uid labels
# on its pod template, the selector on them): hashicorp/kubernetes' kubernetes_manifest must take these
# as computed, beside its defaults, or it reports an inconsistent result after apply.
SERVER_SET_FIELDS = {"Job": ("metadata.annotations", "metadata.labels", "spec.selector",
                             "spec.template.metadata.labels")}


def _cache_volume_mount(read_only: bool) -> dict[str, Any]:
    return {"name": naming.volume(MODEL_CACHE_KEY), "mountPath": MODEL_CACHE_PATH, "readOnly": read_only}


def _wait_for_cache(plan: EndpointPlan, srv: Server) -> dict[str, Any]:
    """Holds a replica until the cache's Job has written the revision, so nothing downloads twice."""
    script = (f'until [ -f "$MODEL_DIR/{CACHE_MARKER}" ]; do echo "waiting for Job $JOB to fill $MODEL_DIR"; '
              "sleep 10; done")
    return {"name": "wait-for-model-cache", "image": srv.image, "command": ["sh", "-c", script],
            "env": [{"name": "MODEL_DIR", "value": cached_model_path(plan)},
                    {"name": "JOB", "value": _job_name(plan)}],
            "resources": WAIT_RESOURCES, "volumeMounts": [_cache_volume_mount(read_only=True)],
            "securityContext": RESTRICTED}


def _job_name(plan: EndpointPlan) -> str:
    """The model cache's Job: its name holds the digest of the model and revision it downloads."""
    hf = plan.cached_model
    assert hf is not None
    return naming.model_cache_job(plan.name, f"{hf.model}@{hf.revision}")


def model_cache_job(plan: EndpointPlan) -> list[Manifest]:
    """The Job that downloads the revision into the workspace's model cache (``cache: true``): with the
    engine's own image (its huggingface_hub), on the cluster's general nodes (no GPU), as the file
    system's user, behind a NetworkPolicy that admits no caller. A second run finds the marker and
    exits; a new revision is a new Job (its name holds the revision's digest) and a new folder. The
    model and revision reach the script as env, never as shell text."""
    hf = plan.cached_model
    if hf is None:
        return []
    srv = server(plan)
    download = ("from huggingface_hub import snapshot_download; import os; "
                "snapshot_download(repo_id=os.environ['MODEL'], revision=os.environ['REVISION'], "
                "local_dir=os.environ['MODEL_DIR'])")
    script = (f'if [ -f "$MODEL_DIR/{CACHE_MARKER}" ]; then echo "$MODEL_DIR is complete"; exit 0; fi; '
              f'python3 -c "{download}" && touch "$MODEL_DIR/{CACHE_MARKER}"')
    env_vars: list[dict[str, Any]] = [
        {"name": "MODEL", "value": hf.model}, {"name": "REVISION", "value": hf.revision},
        {"name": "MODEL_DIR", "value": cached_model_path(plan)},
        {"name": "HF_HOME", "value": f"{TMP_PATH}/huggingface"}, {"name": "HF_HUB_DISABLE_TELEMETRY", "value": "1"}]
    if HF_TOKEN_ENV in secret_env(plan):  # a gated model: the endpoint's own token
        env_vars.append({"name": HF_TOKEN_ENV, "valueFrom": {"secretKeyRef": {
            "name": naming.env_secret(plan.name), "key": HF_TOKEN_ENV}}})
    uid = plan.spec.security.run_as_user or ACCESS_POINT_UID  # files land as the access point's user anyway
    labels = {**plan.labels, "app.kubernetes.io/name": naming.model_cache(plan.name),  # not the Service's pods
              "app.kubernetes.io/component": "model-cache"}
    pod = {
        "restartPolicy": "OnFailure",
        "serviceAccountName": naming.service_account(plan.name),
        "automountServiceAccountToken": False,
        "enableServiceLinks": False,
        "securityContext": {"runAsNonRoot": True, "runAsUser": uid, "runAsGroup": uid,
                            "seccompProfile": {"type": "RuntimeDefault"}},
        "containers": [{"name": "download", "image": srv.image, "command": ["sh", "-c", script], "env": env_vars,
                        "resources": JOB_RESOURCES, "securityContext": RESTRICTED,
                        "volumeMounts": [_cache_volume_mount(read_only=False),
                                         {"name": TMP_VOLUME, "mountPath": TMP_PATH}]}],
        "volumes": [{"name": naming.volume(MODEL_CACHE_KEY),
                     "persistentVolumeClaim": {"claimName": naming.claim(plan.name, MODEL_CACHE_KEY)}},
                    {"name": TMP_VOLUME, "emptyDir": {"sizeLimit": TMP_SIZE}}],
    }
    if plan.spec.image_pull_secrets:
        pod["imagePullSecrets"] = [{"name": s} for s in plan.spec.image_pull_secrets]
    meta = metadata(plan, _job_name(plan))
    meta["labels"] = labels
    meta["annotations"] = dict(SKIP_AWAIT)
    job_pods = {key: labels[key] for key in plan.selector}
    no_callers = {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",  # it serves nothing
                  "metadata": metadata(plan, naming.model_cache(plan.name)),
                  "spec": {"podSelector": {"matchLabels": job_pods}, "policyTypes": ["Ingress"]}}
    return [{"apiVersion": "batch/v1", "kind": "Job", "metadata": meta,
             "spec": {"backoffLimit": 6, "template": {"metadata": {"labels": labels}, "spec": pod}}}, no_callers]



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
    for mount in mounts(plan):
        index = mount.key
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


def namespace(plan: EndpointPlan) -> list[Manifest]:
    """The endpoint's own namespace (isolation: namespace), at Pod Security level baseline.

    Labelled with the workspace so a Gateway listener can admit the routes of every endpoint of
    the workspace (``allowedRoutes.namespaces.from: Selector``).
    """
    if plan.workspace.isolation == "shared":
        return []
    labels = {**plan.labels, WORKSPACE_LABEL: plan.workspace.name, POD_SECURITY_ENFORCE: "baseline"}
    return [{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": plan.namespace, "labels": labels}}]


def _group(name: str) -> dict[str, str]:
    return {"kind": "Group", "apiGroup": "rbac.authorization.k8s.io", "name": name}


def _role(plan: EndpointPlan, name: str, rules: list[dict[str, Any]],
          subjects: list[dict[str, str]]) -> list[Manifest]:
    return [
        {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
         "metadata": metadata(plan, name), "rules": rules},
        {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
         "metadata": metadata(plan, name),
         "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": name},
         "subjects": subjects},
    ]


def rbac(plan: EndpointPlan) -> list[Manifest]:
    """Seeing the endpoint follows its visibility (owner and admins, plus members when public);
    changing it (approving replicas, editing the Deployment) is for its owner and admins.

    The pod rules cannot name pods (their names are generated): they are endpoint-scoped only
    because the endpoint has its own namespace (isolation: namespace).
    """
    groups = plan.workspace.rbac
    operators = [_group(groups.admin_group)]
    if plan.spec.owner:
        operators.append({"kind": "User", "apiGroup": "rbac.authorization.k8s.io", "name": plan.spec.owner})
    viewers = [*operators, _group(groups.member_group)] if plan.spec.visibility == "public" else list(operators)
    see = [
        {"apiGroups": ["apps"], "resources": ["deployments"], "resourceNames": [plan.name],
         "verbs": ["get", "watch"]},
        {"apiGroups": [""], "resources": ["services"], "resourceNames": [plan.name],
         "verbs": ["get", "watch"]},
        {"apiGroups": ["gateway.networking.k8s.io"], "resources": ["httproutes"], "resourceNames": [plan.name],
         "verbs": ["get"]},
        {"apiGroups": ["keda.sh", "http.keda.sh"], "resources": ["scaledobjects", "httpscaledobjects"],
         "resourceNames": [plan.name], "verbs": ["get"]},
        {"apiGroups": [""], "resources": ["pods", "pods/log", "events"], "verbs": ["get", "list", "watch"]},
    ]
    if plan.cached_model is not None:  # how far the model cache's download is
        see.append({"apiGroups": ["batch"], "resources": ["jobs"], "resourceNames": [_job_name(plan)],
                    "verbs": ["get", "watch"]})
    change = [
        {"apiGroups": ["apps"], "resources": ["deployments"], "resourceNames": [plan.name], "verbs": ["patch"]},
        {"apiGroups": [""], "resources": ["pods/status"], "verbs": ["patch"]},
    ]
    return _role(plan, naming.access(plan.name), see, viewers) + _role(plan, naming.operator(plan.name),
                                                                         change, operators)
