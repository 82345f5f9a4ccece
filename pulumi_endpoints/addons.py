"""What the cluster needs besides the endpoints' own objects: one table, read by ``endpoints doctor``,
the Pulumi Workspace's ``addons`` and the Terraform module ``terraform/modules/addons``.

Each add-on names its chart (pinned, with where the version was read), the namespace it goes in, the
custom resources of it the endpoints' manifests use, the controllers that must run (found by the
labels its chart gives them) and the values the endpoints rely on. :func:`needs` says which add-ons
a set of expanded specs needs, and why.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .blueprint.cloud import GPU_TAINT
from .blueprint.gateway import GATEWAY_API
from .blueprint.model import Blueprint, Manifest
from .blueprint.secrets import EXTERNAL_SECRETS_API
from .blueprint.workload import EFS_CSI_DRIVER
from .labels import ENDPOINT_LABEL, GPU_RESOURCE, WORKSPACE_LABEL
from .spec.workspace import INTERCEPTOR_POD_LABELS, WorkspaceSpec


@dataclass(frozen=True)
class Chart:
    repository: str  # a Helm repository URL, or oci://… (then the name is part of it)
    name: str
    version: str
    source: str  # where the version was read: owner/repo@commit:path


@dataclass(frozen=True)
class Workload:
    kind: str  # Deployment or DaemonSet
    labels: Mapping[str, str]  # labels its chart gives it, in whatever namespace it was installed


@dataclass(frozen=True)
class AddOn:
    key: str
    title: str
    purpose: str  # why endpoints need it
    chart: Chart | None  # None: not a Helm chart (a feature of EKS or of the CNI)
    namespace: Callable[[WorkspaceSpec], str]  # where it is installed: the workspace says where it expects some
    kinds: tuple[str, ...] = ()  # custom resources the manifests use, as group/version/Kind
    workloads: tuple[Workload, ...] = ()
    eks_addon: str | None = None  # the same thing as an EKS managed add-on, preferred where it exists
    values: Mapping[str, Any] = field(default_factory=dict)  # what the endpoints rely on
    install: str = ""  # how to get it when there is no chart
    min_version: tuple[str, str] | None = None  # (version, what older ones lack), of its first workload's image


def _fixed(namespace: str) -> Callable[[WorkspaceSpec], str]:
    return lambda _: namespace


def _deployment(**labels: str) -> Workload:
    return Workload("Deployment", labels)


def _daemonset(**labels: str) -> Workload:
    return Workload("DaemonSet", labels)


NAME = "app.kubernetes.io/name"
GPU_TOLERATION = {"key": GPU_TAINT.key, "operator": "Exists", "effect": "NoSchedule"}
# VPC CNI's node agent enforces NetworkPolicies only with this argument (EKS user guide,
# "Limit pod traffic with Kubernetes network policies": enableNetworkPolicy on the vpc-cni add-on).
NETWORK_POLICY_ARG = "--enable-network-policy=true"
ADDONS: dict[str, AddOn] = {addon.key: addon for addon in (
    AddOn("keda", "KEDA", "autoscaling on QPM, GPU utilization or queue depth (ScaledObject)",
          Chart("https://kedacore.github.io/charts", "keda", "2.20.2", "kedacore/charts@cbb9bb8:keda/Chart.yaml"),
          lambda w: w.keda.namespace, kinds=("keda.sh/v1alpha1/ScaledObject",),
          workloads=(_deployment(**{NAME: "keda-operator"}),)),
    AddOn("keda-http", "KEDA HTTP add-on", "scale to zero, and holding the first request while a replica starts",
          Chart("https://kedacore.github.io/charts", "keda-add-ons-http", "0.15.0",
                "kedacore/charts@c4b92e9:http-add-on/Chart.yaml"),
          lambda w: w.keda.namespace, kinds=("http.keda.sh/v1alpha1/HTTPScaledObject",),
          workloads=(_deployment(**INTERCEPTOR_POD_LABELS),),
          min_version=("0.11", "an older interceptor ignores each HTTPScaledObject's timeouts: the wait for a "
                               "cold start and for the response fall back to its global defaults")),
    AddOn("envoy-gateway", "Envoy Gateway", "the routes, token checks and timeouts in front of every endpoint",
          Chart("oci://docker.io/envoyproxy/gateway-helm", "gateway-helm", "v1.9.0",
                "envoyproxy/gateway@39763b1:release-notes/v1.9.0.yaml"),
          lambda w: w.gateway.proxy_namespace,  # Envoy Gateway runs the proxies in its own namespace
          kinds=(f"{GATEWAY_API}/v1/HTTPRoute", f"{GATEWAY_API}/v1beta1/ReferenceGrant",
                 "gateway.envoyproxy.io/v1alpha1/SecurityPolicy",
                 "gateway.envoyproxy.io/v1alpha1/BackendTrafficPolicy"),
          workloads=(_deployment(**{NAME: "gateway-helm"}),)),
    AddOn("external-secrets", "External Secrets Operator", "workspace secrets (tokens, HF_TOKEN) reach pods",
          Chart("https://charts.external-secrets.io", "external-secrets", "2.9.0",
                "external-secrets/external-secrets@cc5bfbc:deploy/charts/external-secrets/Chart.yaml"),
          _fixed("external-secrets"), kinds=(f"{EXTERNAL_SECRETS_API}/ExternalSecret",),
          workloads=(_deployment(**{NAME: "external-secrets"}),)),
    AddOn("prometheus", "Prometheus Operator", "scraping the servers' metrics (PodMonitor) for autoscaling and "
          "dashboards",
          Chart("https://prometheus-community.github.io/helm-charts", "kube-prometheus-stack", "88.5.3",
                "prometheus-community/helm-charts@ea930ba:charts/kube-prometheus-stack/Chart.yaml"),
          lambda w: w.monitoring.namespace, kinds=("monitoring.coreos.com/v1/PodMonitor",),
          workloads=(_deployment(**{NAME: "kube-prometheus-stack-prometheus-operator"}),
                     _deployment(**{NAME: "kube-state-metrics"})),
          # Its Prometheus selects only monitors labelled with the release unless told otherwise (values.yaml).
          values={"prometheus": {"prometheusSpec": {"podMonitorSelectorNilUsesHelmValues": False,
                                                    "serviceMonitorSelectorNilUsesHelmValues": False}}}),
    AddOn("efs-csi", "Amazon EFS CSI driver", "mounting the workspace file system (models, caches)",
          Chart("https://kubernetes-sigs.github.io/aws-efs-csi-driver", "aws-efs-csi-driver", "4.4.1",
                "kubernetes-sigs/aws-efs-csi-driver@3fcc6bd:charts/aws-efs-csi-driver/Chart.yaml"),
          _fixed("kube-system"), workloads=(_daemonset(app="efs-csi-node"),), eks_addon="aws-efs-csi-driver"),
    AddOn("nvidia-device-plugin", "NVIDIA device plugin", f"nodes offering {GPU_RESOURCE} to the replicas",
          Chart("https://nvidia.github.io/k8s-device-plugin", "nvidia-device-plugin", "0.19.3",
                "NVIDIA/k8s-device-plugin@570e776:deployments/helm/nvidia-device-plugin/Chart.yaml"),
          _fixed("nvidia-device-plugin"), workloads=(_daemonset(**{NAME: "nvidia-device-plugin"}),)),
    AddOn("dcgm-exporter", "NVIDIA DCGM exporter", "the GPU-utilization metric that gpu_utilization autoscaling "
          "queries", Chart("https://nvidia.github.io/dcgm-exporter/helm-charts", "dcgm-exporter", "4.8.2",
                "NVIDIA/dcgm-exporter@691c927:deployment/Chart.yaml"),
          lambda w: w.monitoring.namespace, workloads=(_daemonset(**{NAME: "dcgm-exporter"}),),
          # Its default tolerations are the control plane's only: the GPU nodes' taint keeps it off them.
          values={"serviceMonitor": {"enabled": True}, "tolerations": [GPU_TOLERATION]}),
    AddOn("cluster-autoscaler", "Cluster Autoscaler", "growing and shrinking the endpoints' node groups",
          Chart("https://kubernetes.github.io/autoscaler", "cluster-autoscaler", "9.59.0",
                "kubernetes/autoscaler@5a0b98e:cluster-autoscaler/charts/cluster-autoscaler/Chart.yaml"),
          _fixed("kube-system"), workloads=(_deployment(**{NAME: "aws-cluster-autoscaler"}),)),
    AddOn("karpenter", "Karpenter", "GPU nodes for the endpoints' NodePools (provisioner karpenter)",
          Chart("oci://public.ecr.aws/karpenter/karpenter", "karpenter", "1.14.0",
                "aws/karpenter-provider-aws@692ccdd:charts/karpenter/Chart.yaml"),
          _fixed("kube-system"), kinds=("karpenter.sh/v1/NodePool", "karpenter.k8s.aws/v1/EC2NodeClass"),
          workloads=(_deployment(**{NAME: "karpenter"}),)),
    AddOn("auto-mode", "EKS Auto Mode", "GPU nodes for the endpoints' NodePools (provisioner auto_mode)", None,
          _fixed(""), kinds=("karpenter.sh/v1/NodePool",), install="turn on EKS Auto Mode for the cluster (compute, "
          "storage and networking); it serves NodePools and brings the NVIDIA drivers and device plugin"),
    AddOn("network-policy", "NetworkPolicy enforcement", "the endpoints' NetworkPolicies (who may call a "
          "replica, the model cache's deny-all, the interceptor's guard) take effect", None, _fixed("kube-system"),
          eks_addon="vpc-cni", install='set {"enableNetworkPolicy": "true"} in the vpc-cni add-on\'s '
          "configuration (or run a CNI that enforces NetworkPolicies, such as Cilium or Calico)"),
)}


@dataclass(frozen=True)
class Need:
    addon: AddOn
    why: tuple[str, ...]  # "<endpoint or workspace> (<what in it needs the add-on>, …)"


def needs(blueprints: Iterable[Blueprint], workspace: WorkspaceSpec) -> list[Need]:
    """The add-ons these expansions need, in the table's order, each with what needs it."""
    reasons: dict[str, dict[str, list[str]]] = {}

    def need(key: str, who: str, what: str) -> None:
        whats = reasons.setdefault(key, {}).setdefault(who, [])
        if what not in whats:
            whats.append(what)

    for blueprint in blueprints:
        for manifest in blueprint.manifests:
            who = manifest.get("metadata", {}).get("labels", {}).get(ENDPOINT_LABEL) or "workspace"
            for key, what in _needs_of(manifest, workspace):
                need(key, who, what)
        for resource in blueprint.cloud:
            if resource.kind == "node_pool":
                need("cluster-autoscaler", resource.owner or "workspace", "node group")
    return [Need(ADDONS[key], tuple(f"{who} ({', '.join(whats)})" for who, whats in reasons[key].items()))
            for key in ADDONS if key in reasons]


def custom_kinds(blueprints: Iterable[Blueprint], workspace: WorkspaceSpec) -> dict[str, AddOn]:
    """group/version/Kind of each custom resource the manifests hold -> the add-on serving it."""
    found = {}
    for blueprint in blueprints:
        for manifest in blueprint.manifests:
            kind = f"{manifest['apiVersion']}/{manifest['kind']}"
            addon = _serving(kind, workspace)
            if addon is not None:
                found[kind] = addon
    return found


def _serving(kind: str, workspace: WorkspaceSpec) -> AddOn | None:
    if workspace.capacity.provisioner == "auto_mode" and kind in ADDONS["auto-mode"].kinds:
        return ADDONS["auto-mode"]
    return next((a for a in ADDONS.values() if kind in a.kinds and a.key != "auto-mode"), None)


def _needs_of(manifest: Manifest, workspace: WorkspaceSpec) -> list[tuple[str, str]]:
    kind = manifest["kind"]
    found = []
    addon = _serving(f"{manifest['apiVersion']}/{kind}", workspace)
    if addon is not None:
        found.append((addon.key, kind))
    if kind == "PersistentVolume" and manifest["spec"].get("csi", {}).get("driver") == EFS_CSI_DRIVER:
        found.append(("efs-csi", "a volume on the file system"))
    if kind == "HTTPScaledObject":
        found.append(("keda", "HTTPScaledObject (scaled through KEDA)"))
    if kind == "NetworkPolicy":
        found.append(("network-policy", "NetworkPolicy"))
    if kind == "ScaledObject":
        queries = [t.get("metadata", {}).get("query", "") for t in manifest["spec"].get("triggers", [])]
        if any(workspace.monitoring.gpu_metric in query for query in queries):
            found.append(("dcgm-exporter", "gpu_utilization autoscaling"))
    if kind in ("Deployment", "Job") and workspace.capacity.provisioner != "auto_mode":
        containers = manifest["spec"]["template"]["spec"].get("containers", [])
        if any(GPU_RESOURCE in c.get("resources", {}).get("limits", {}) for c in containers):
            found.append(("nvidia-device-plugin", f"{GPU_RESOURCE} requests"))
    return found


# Where a chart takes the IAM role of its service account (IRSA), for the add-ons that call AWS.
ROLE_PATHS: dict[str, tuple[str, ...]] = {
    "external-secrets": ("serviceAccount", "annotations"),
    "efs-csi": ("controller", "serviceAccount", "annotations"),
    "cluster-autoscaler": ("rbac", "serviceAccount", "annotations"),
    "karpenter": ("serviceAccount", "annotations"),
}
IRSA_ANNOTATION = "eks.amazonaws.com/role-arn"
ENVOY_GATEWAY_CONTROLLER = "gateway.envoyproxy.io/gatewayclass-controller"


@dataclass(frozen=True)
class Release:
    """A Helm release of an add-on, as Pulumi's ``helm.v3.Release`` and Terraform's ``helm_release`` take it."""

    name: str
    repository: str
    chart: str
    version: str
    namespace: str
    values: dict[str, Any]


def releases(workspace: WorkspaceSpec, chosen: Iterable[str], roles: Mapping[str, Any] | None = None) -> list[Release]:
    """The Helm releases of the chosen add-ons, in the table's order. Raises ValueError naming an unknown
    add-on, one that is no chart, or a role for an add-on that takes none."""
    chosen = list(chosen)
    roles = dict(roles or {})
    for key in chosen:
        if key not in ADDONS:
            raise ValueError(f"unknown add-on {key!r}; known: {', '.join(ADDONS)}")
        if ADDONS[key].chart is None:
            raise ValueError(f"add-on {key!r} is not a Helm chart: {ADDONS[key].install}")
    for key in roles:
        if key not in ROLE_PATHS:
            raise ValueError(f"add-on {key!r} takes no IAM role; those that do: {', '.join(ROLE_PATHS)}")
    found = []
    for key in (k for k in ADDONS if k in chosen):
        addon, chart = ADDONS[key], ADDONS[key].chart
        assert chart is not None
        repository, name = (chart.repository.rsplit("/", 1)[0], chart.name) if chart.repository.startswith(
            "oci://") else (chart.repository, chart.name)
        found.append(Release(key, repository, name, chart.version, addon.namespace(workspace),
                             values(addon, workspace, roles.get(key))))
    return found


def values(addon: AddOn, workspace: WorkspaceSpec, role_arn: Any = None) -> dict[str, Any]:
    """The values the endpoints rely on: the table's, those the workspace decides, the IAM role."""
    result = copy.deepcopy(dict(addon.values))
    cluster = workspace.cluster.name
    if addon.key == "cluster-autoscaler":
        result.update({"autoDiscovery": {"clusterName": cluster}, "awsRegion": workspace.region})
    if addon.key == "karpenter":
        result["settings"] = {"clusterName": cluster}
    if role_arn:
        node = result
        for key in ROLE_PATHS[addon.key]:
            node = node.setdefault(key, {})
        node[IRSA_ANNOTATION] = role_arn
    return result


def workspace_objects(workspace: WorkspaceSpec, chosen: Iterable[str]) -> list[tuple[str, Manifest]]:
    """The objects the chosen add-ons serve the workspace with, each after the add-on that defines its
    kind: its Gateway (Envoy Gateway; plain HTTP: add an HTTPS listener with your certificate) and
    its secret store reading Secrets Manager in its region (External Secrets)."""
    chosen = set(chosen)
    objects: list[tuple[str, Manifest]] = []
    if "envoy-gateway" in chosen:
        gateway = workspace.gateway
        objects += [("envoy-gateway", manifest) for manifest in (
            {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": gateway.namespace}},
            {"apiVersion": f"{GATEWAY_API}/v1", "kind": "GatewayClass", "metadata": {"name": gateway.name},
             "spec": {"controllerName": ENVOY_GATEWAY_CONTROLLER}},
            {"apiVersion": f"{GATEWAY_API}/v1", "kind": "Gateway",
             "metadata": {"name": gateway.name, "namespace": gateway.namespace},
             "spec": {"gatewayClassName": gateway.name, "listeners": [
                 {"name": "http", "protocol": "HTTP", "port": 80, "hostname": f"*.{workspace.domain}",
                  "allowedRoutes": {"namespaces": {"from": "Selector", "selector": {
                      "matchLabels": _route_namespaces(workspace)}}}}]}},
        )]
    if "external-secrets" in chosen:
        store = workspace.secret_store
        metadata = {"name": store.name} if store.kind == "ClusterSecretStore" else {
            "name": store.name, "namespace": workspace.namespace}
        objects.append(("external-secrets", {
            "apiVersion": EXTERNAL_SECRETS_API, "kind": store.kind, "metadata": metadata,
            "spec": {"provider": {"aws": {"service": "SecretsManager", "region": workspace.region}}}}))
    return objects


def _route_namespaces(workspace: WorkspaceSpec) -> dict[str, str]:
    """The labels of the namespaces whose routes the workspace's Gateway admits: every endpoint's own
    (labelled with the workspace), or the one shared namespace (by the name label Kubernetes sets)."""
    if workspace.isolation == "shared":
        return {"kubernetes.io/metadata.name": workspace.namespace}
    return {WORKSPACE_LABEL: workspace.name}
