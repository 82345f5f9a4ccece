"""``endpoints doctor``: does the cluster have what the endpoints need?

It reads what the given specs' manifests need (everything in the add-on table when no spec is
given) and asks the Kubernetes API, read-only: each custom resource's CRD served at the version the
manifests use, the controllers running, the workspace's Gateway programmed and its secret store
ready, the EFS CSI driver registered, NetworkPolicies enforced. Each ✘ says what to install (the
pinned chart and the values the endpoints rely on, or the EKS managed add-on) and why.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..addons import ADDONS, NETWORK_POLICY_ARG, AddOn, Need, Workload, custom_kinds, needs, releases
from ..blueprint.gateway import GATEWAY_API
from ..blueprint.model import Blueprint
from ..blueprint.secrets import EXTERNAL_SECRETS_API
from ..blueprint.workload import EFS_CSI_DRIVER
from ..labels import GPU_RESOURCE
from ..spec.workspace import WorkspaceSpec
from .kube import Cluster

OK, FAILED = "✔", "✘"
# Other CNIs that enforce NetworkPolicies, by the labels of their node DaemonSet.
POLICY_CNIS = ({"k8s-app": "cilium"}, {"k8s-app": "calico-node"})


@dataclass(frozen=True)
class Check:
    addon: AddOn
    what: str
    ok: bool
    problem: str = ""


@dataclass(frozen=True)
class Report:
    checks: tuple[Check, ...]
    needs: tuple[Need, ...]

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks)


def examine(cluster: Cluster, expanded: Sequence[tuple[Blueprint, WorkspaceSpec]],
            default: WorkspaceSpec | None = None) -> Report:
    """Every check the expansions call for (each with its workspace: its Gateway, its secret store);
    with none, every add-on's, for the ``default`` workspace."""
    if expanded:
        wanted = _merged([need for blueprint, workspace in expanded for need in needs([blueprint], workspace)])
        kinds = {kind: addon for blueprint, workspace in expanded
                 for kind, addon in custom_kinds([blueprint], workspace).items()}
        workspaces = list({id(w): w for _, w in expanded}.values())
    else:
        workspace = default or WorkspaceSpec()
        wanted = [Need(addon, ()) for addon in ADDONS.values() if not _excluded(addon, workspace)]
        kinds = {kind: need.addon for need in wanted for kind in need.addon.kinds}
        workspaces = [workspace]
    checks = [_crd(cluster, kind, addon) for kind, addon in sorted(kinds.items())]
    for need in wanted:
        checks += _workloads(cluster, need.addon)
        checks += list({c.what: c for w in workspaces for c in _special(cluster, need.addon, w)}.values())
    order = {key: index for index, key in enumerate(ADDONS)}
    checks.sort(key=lambda check: order[check.addon.key])
    return Report(tuple(checks), tuple(wanted))


def _merged(found: Sequence[Need]) -> list[Need]:
    """One need per add-on, in the table's order, with every reason."""
    reasons: dict[str, list[str]] = {}
    for need in found:
        reasons.setdefault(need.addon.key, []).extend(r for r in need.why if r not in reasons[need.addon.key])
    return [Need(ADDONS[key], tuple(reasons[key])) for key in ADDONS if key in reasons]


def _excluded(addon: AddOn, workspace: WorkspaceSpec) -> bool:
    """With no spec, the node provisioners other than the workspace's are not needed."""
    provisioner = workspace.capacity.provisioner
    others = {"node_group": {"karpenter", "auto-mode"}, "karpenter": {"cluster-autoscaler", "auto-mode"},
              "auto_mode": {"cluster-autoscaler", "karpenter", "nvidia-device-plugin"}}[provisioner]
    return addon.key in others


def _plural(kind: str) -> str:
    lower = kind.lower()
    return f"{lower[:-1]}ies" if lower.endswith("y") else f"{lower}s"


def _crd(cluster: Cluster, kind: str, addon: AddOn) -> Check:
    group, version, name = kind.rsplit("/", 2)
    crd_name = f"{_plural(name)}.{group}"
    what = f"CRD {crd_name} serves {version}"
    crd = cluster.get(f"/apis/apiextensions.k8s.io/v1/customresourcedefinitions/{crd_name}")
    if crd is None:
        return Check(addon, what, False, "not installed")
    served = [v["name"] for v in crd.get("spec", {}).get("versions", []) if v.get("served")]
    if version not in served:
        return Check(addon, what, False, f"serves {', '.join(served) or 'no version'}")
    return Check(addon, what, True)


def _workloads(cluster: Cluster, addon: AddOn) -> list[Check]:
    """Each controller running, with a ready pod; the first at the version the endpoints need."""
    checks = []
    for index, workload in enumerate(addon.workloads):
        selector = _selector(workload.labels)
        plural = "deployments" if workload.kind == "Deployment" else "daemonsets"
        what = f"{workload.kind} {selector} running"
        found = (cluster.get(f"/apis/apps/v1/{plural}", labelSelector=selector) or {}).get("items", [])
        if not found and addon.key == "nvidia-device-plugin" and _gpu_nodes(cluster):
            checks.append(Check(addon, f"nodes offer {GPU_RESOURCE}", True))  # Bottlerocket: the OS runs it
        elif not found:
            checks.append(Check(addon, what, False, "none in any namespace"))
        else:
            ready = sum(_ready(item) for item in found)
            where = ", ".join(sorted({item["metadata"]["namespace"] for item in found}))
            checks.append(Check(addon, what, ready > 0, "" if ready else f"found in {where}, no pod ready"))
            if index == 0 and addon.min_version is not None:
                checks.append(_version(addon, workload, found))
    return checks


def _version(addon: AddOn, workload: Workload, found: list[dict[str, Any]]) -> Check:
    """The controller's image at the version the endpoints need (a tag that is no version, such as
    latest, passes)."""
    from packaging.version import InvalidVersion, Version

    assert addon.min_version is not None
    least, lacking = addon.min_version
    what = f"{workload.kind} {_selector(workload.labels)} at {least} or later"
    for item in found:
        for container in item["spec"]["template"]["spec"].get("containers", []):
            image = container.get("image", "")
            try:
                if Version(image.split("@")[0].rpartition(":")[2].lstrip("v")) < Version(least):
                    return Check(addon, what, False, f"runs {image}: {lacking}")
            except InvalidVersion:
                continue
    return Check(addon, what, True)


def _selector(labels: Mapping[str, str]) -> str:
    return ",".join(f"{key}={value}" for key, value in labels.items())


def _gpu_nodes(cluster: Cluster) -> bool:
    nodes = (cluster.get("/api/v1/nodes") or {}).get("items", [])
    return any(int((node.get("status") or {}).get("allocatable", {}).get(GPU_RESOURCE, 0)) > 0 for node in nodes)


def _ready(item: dict[str, Any]) -> int:
    status = item.get("status") or {}
    return int(status.get("readyReplicas") or status.get("numberReady") or 0)


def _special(cluster: Cluster, addon: AddOn, workspace: WorkspaceSpec) -> list[Check]:
    if addon.key == "envoy-gateway":
        gateway = workspace.gateway
        path = f"/apis/{GATEWAY_API}/v1/namespaces/{gateway.namespace}/gateways/{gateway.name}"
        return [_condition(cluster, addon, f"Gateway {gateway.namespace}/{gateway.name} Programmed", path,
                           "Programmed")]
    if addon.key == "external-secrets":
        store = workspace.secret_store
        if store.kind == "ClusterSecretStore":
            path = f"/apis/{EXTERNAL_SECRETS_API}/clustersecretstores/{store.name}"
            label = f"ClusterSecretStore {store.name} Ready"
        else:
            path = f"/apis/{EXTERNAL_SECRETS_API}/namespaces/{workspace.namespace}/secretstores/{store.name}"
            label = f"SecretStore {workspace.namespace}/{store.name} Ready"
        return [_condition(cluster, addon, label, path, "Ready")]
    if addon.key == "efs-csi":
        found = cluster.get(f"/apis/storage.k8s.io/v1/csidrivers/{EFS_CSI_DRIVER}")
        return [Check(addon, f"CSIDriver {EFS_CSI_DRIVER} registered", found is not None,
                      "" if found else "not registered")]
    if addon.key == "network-policy":
        return [_network_policy(cluster, addon)]
    return []


def _condition(cluster: Cluster, addon: AddOn, what: str, path: str, condition: str) -> Check:
    found = cluster.get(path)
    if found is None:
        return Check(addon, what, False, "not found")
    conditions = {c.get("type"): c for c in (found.get("status") or {}).get("conditions", [])}
    state = conditions.get(condition)
    if state is None or state.get("status") != "True":
        reason = (state or {}).get("message") or (state or {}).get("reason") or "no status yet"
        return Check(addon, what, False, f"{condition} is not True: {reason}")
    return Check(addon, what, True)


def _network_policy(cluster: Cluster, addon: AddOn) -> Check:
    what = "NetworkPolicies enforced"
    aws_node = cluster.get("/apis/apps/v1/namespaces/kube-system/daemonsets/aws-node")
    if aws_node is not None:
        containers = aws_node["spec"]["template"]["spec"].get("containers", [])
        if any(NETWORK_POLICY_ARG in (c.get("args") or []) for c in containers):
            return Check(addon, what, True)
    for labels in POLICY_CNIS:
        if (cluster.get("/apis/apps/v1/daemonsets", labelSelector=_selector(labels)) or {}).get("items"):
            return Check(addon, what, True)
    return Check(addon, what, False, f"aws-node runs without {NETWORK_POLICY_ARG} and no Cilium or Calico found"
                 if aws_node is not None else "no CNI known to enforce them (aws-node, Cilium, Calico)")


def fix(addon: AddOn, workspace: WorkspaceSpec) -> str:
    """How to get the add-on: the EKS managed add-on where AWS offers one, else its release as the
    Pulumi and Terraform add-ons install it, as a helm command."""
    if addon.chart is None:
        return addon.install
    (release,) = releases(workspace, [addon.key])
    oci = release.repository.startswith("oci://")
    source = f"{release.repository}/{release.chart}" if oci else f"{release.chart} --repo {release.repository}"
    sets = "".join(f" --set {key}={value}" for key, value in _flat(release.values))
    helm = (f"helm upgrade --install {release.name} {source} --version {release.version} "
            f"--namespace {release.namespace} --create-namespace{sets}")
    return f"EKS add-on {addon.eks_addon}, or {helm}" if addon.eks_addon else helm


def _flat(value: Any, path: str = "") -> Iterable[tuple[str, str]]:
    """Values as Helm's --set paths: a.b=1, list[0].key=x (dots in a key escaped)."""
    if isinstance(value, dict):
        for key, item in value.items():
            escaped = key.replace(".", "\\.")
            yield from _flat(item, f"{path}.{escaped}" if path else escaped)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _flat(item, f"{path}[{index}]")
    else:
        yield path, str(value).lower() if isinstance(value, bool) else str(value)


def render(report: Report, workspace: WorkspaceSpec) -> str:
    lines = []
    why = {need.addon.key: need.why for need in report.needs}
    for check in report.checks:
        lines.append(f"{OK if check.ok else FAILED} {check.addon.title}: {check.what}"
                     + ("" if check.ok else f": {check.problem}"))
    failed = {check.addon.key: check.addon for check in report.checks if not check.ok}
    for addon in failed.values():
        lines += ["", f"{addon.title}: {addon.purpose}", f"  install: {fix(addon, workspace)}"]
        if why.get(addon.key):
            lines.append(f"  needed by: {'; '.join(why[addon.key])}")
    total = len(report.checks)
    lines += ["", f"{total - len([c for c in report.checks if not c.ok])} of {total} checks passed"]
    return "\n".join(lines)
