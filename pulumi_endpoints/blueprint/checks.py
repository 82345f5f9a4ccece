"""Cross-layer checks: what no single layer (EKS, Kubernetes, KEDA) would catch on its own.

Errors stop the expansion; warnings travel with the blueprint.
"""

from __future__ import annotations

import re

from ..labels import GPU_RESOURCE, POOL_LABEL
from ..spec.fields import quantity_bytes
from ..spec.inputs import is_input_ref
from ..spec.shapes import SMALLER_SAME_GPU
from ..spec.workspace import WorkspaceSpec
from .cloud import AUTOSCALER_GPU_TAG
from .containers import mounts, server
from .gateway import seconds
from .model import Finding, Manifest, MountTarget, NodePool
from .plan import EndpointPlan
from .startup import cold_start, liveness_window


def check_endpoint(plan: EndpointPlan, pool: NodePool | None, node_pools: list[Manifest], deployment: Manifest,
                   route: Manifest, scalers: list[Manifest]) -> list[Finding]:
    """``pool``: the endpoint's node group; ``node_pools``: its Karpenter or Auto Mode NodePools instead."""
    findings: list[Finding] = []
    findings += _instance_type(plan)
    findings += _gpu_fit(plan)
    findings += _capacity(plan)
    findings += _tolerations(plan, _node_supplies(pool, node_pools), deployment)
    findings += _scale_from_zero(plan, pool, route)
    findings += _timeouts(plan, route, scalers)
    findings += _pool_bounds(plan, pool) if pool is not None else _gpu_limits(plan, node_pools)
    findings += _model_size(plan)
    findings += _cold_start(plan)
    findings += _resources(plan)
    findings += _image(plan)
    findings += _cache_revision(plan)
    findings += _access(plan)
    findings += _security(plan)
    findings += _mount_paths(plan, deployment)
    findings += _idle_gpus(plan)
    return findings


def _instance_type(plan: EndpointPlan) -> list[Finding]:
    """A shape of ``workspace.shapes`` names an instance type EC2 offers: else EKS refuses the node
    group at apply, and Karpenter's NodePool simply never launches a node (its pods pend forever).
    The list is the EC2 API's InstanceType enum in the installed botocore (the catalog's are in it)."""
    instance = plan.shape.instance_type
    if plan.spec.resource_shape not in plan.workspace.shapes:
        return []
    from ..aws.config import api_enum

    if instance in api_enum("ec2", "InstanceType"):
        return []
    return [_error(plan, "resource_shape", f"shape {plan.spec.resource_shape!r} (workspace.shapes) runs on "
                                           f"{instance!r}, which is not an EC2 instance type: no node could "
                                           "start for it")]


def _error(plan: EndpointPlan, field: str, message: str) -> Finding:
    return Finding("error", plan.at(field), message)


def _warning(plan: EndpointPlan, field: str, message: str) -> Finding:
    return Finding("warning", plan.at(field), message)


def _gpu_fit(plan: EndpointPlan) -> list[Finding]:
    shape, cap = plan.shape, plan.spec.node_pool.max_nodes
    if cap is None:
        return []
    needed = plan.nodes_for(plan.max_replicas)
    if needed > cap:
        unit = f"{shape.gpu_count} GPU(s)" if shape.is_gpu else "one node"
        return [_error(plan, "node_pool.max_nodes",
                       f"{plan.max_replicas} replicas of {plan.spec.resource_shape} ({unit} each, "
                       f"{shape.replicas_per_node} per {shape.instance_type}) need {needed} nodes; "
                       f"the pool is capped at {cap}")]
    if not plan.surge_fits:
        return [_warning(plan, "node_pool.max_nodes",
                         "no room for a surge replica: rolling updates stop an old replica before "
                         "starting a new one")]
    return []


Supply = tuple[str | None, frozenset[tuple[str, str | None, str]]]  # (pool label, taints as key, value, effect)


def _node_supplies(pool: NodePool | None, node_pools: list[Manifest]) -> list[Supply]:
    """What each source of the endpoint's nodes labels and taints them with."""
    if pool is not None:
        return [(pool.labels.get(POOL_LABEL), frozenset((t.key, t.value, t.kube_effect) for t in pool.taints))]
    supplies: list[Supply] = []
    for node_pool in node_pools:
        template = node_pool["spec"]["template"]
        taints = template["spec"].get("taints", [])
        supplies.append((template["metadata"]["labels"].get(POOL_LABEL),
                         frozenset((t["key"], t.get("value"), t["effect"]) for t in taints)))
    return supplies


def _tolerations(plan: EndpointPlan, supplies: list[Supply], deployment: Manifest) -> list[Finding]:
    pod = deployment["spec"]["template"]["spec"]
    tolerated = {(t["key"], t.get("value"), t["effect"]) for t in pod.get("tolerations", [])}
    findings = []
    for label, taints in supplies:
        findings += [_error(plan, "resource_shape",
                            f"node pool taint {key}={value}:{effect} has no toleration on the pods")
                     for key, value, effect in sorted(taints - tolerated, key=str)]
        if pod.get("nodeSelector", {}).get(POOL_LABEL) != label:
            findings.append(_error(plan, "node_pool", "pods do not select the endpoint's node pool"))
    return findings


def _reaches_interceptor(plan: EndpointPlan, route: Manifest) -> bool:
    keda = plan.workspace.keda
    wanted = {"name": keda.interceptor_service, "namespace": keda.namespace, "port": keda.interceptor_port}
    backends = [backend for rule in route["spec"]["rules"] for backend in rule["backendRefs"]]
    return bool(backends) and all({key: backend.get(key) for key in wanted} == wanted for backend in backends)


def _scale_from_zero(plan: EndpointPlan, pool: NodePool | None, route: Manifest) -> list[Finding]:
    findings = []
    scaling = plan.spec.autoscaling
    if scaling.scale_to_zero is not None and not _reaches_interceptor(plan, route):
        findings.append(_error(plan, "autoscaling.scale_to_zero",
                               "no scale-from-zero path: traffic does not pass the KEDA interceptor"))
    if scaling.gpu_utilization is not None and scaling.gpu_utilization.min_replicas == 0:
        findings.append(_error(plan, "autoscaling.gpu_utilization.min_replicas",
                               "0 can never scale back up: with no replica there is no GPU metric; "
                               "use scale_to_zero for idle endpoints"))
    if scaling.queue is not None:
        facts = server(plan).facts
        if facts is None or facts.queue_metric is None:
            findings.append(_error(plan, "autoscaling.queue", "this source's server exposes no queue-depth metric: "
                                   "queue autoscaling needs a vLLM or SGLang engine (huggingface, filesystem or "
                                   "llm-engine sources)"))
        elif not plan.spec.metrics.pull:
            findings.append(_error(plan, "autoscaling.queue", "reads the engine's metrics: metrics.pull must be "
                                   "true (the PodMonitor scrapes them)"))
    if scaling.qpm is not None and scaling.qpm.min_replicas == 0:
        findings.append(_warning(plan, "autoscaling.qpm.min_replicas",
                                 "at 0 replicas requests fail (503) until a replica is ready; "
                                 "scale_to_zero holds them instead"))
    if pool is not None and pool.min_size == 0 and plan.shape.is_gpu:
        if AUTOSCALER_GPU_TAG not in pool.tags:
            findings.append(_error(plan, "resource_shape",
                                   "the node pool can reach 0 nodes but has no node-template tags, "
                                   "so cluster-autoscaler cannot scale it up again"))
    if plan.min_replicas == 0 and plan.max_replicas == 0:
        findings.append(_warning(plan, "autoscaling.replicas", "0 replicas: the endpoint is stopped"))
    return findings


def _timeouts(plan: EndpointPlan, route: Manifest, scalers: list[Manifest]) -> list[Finding]:
    """The gateway, the interceptor and the replica's start-up agree on how long a request may wait."""
    findings = []
    scale_to_zero = plan.spec.autoscaling.scale_to_zero is not None
    if plan.spec.timeouts.scale_from_zero is not None and not scale_to_zero:
        findings.append(_error(plan, "timeouts.scale_from_zero",
                               "only with autoscaling.scale_to_zero: no other mode holds requests at zero replicas"))
    if plan.spec.routing.header_based and scale_to_zero:
        findings.append(_error(plan, "routing.header_based",
                               "not with scale_to_zero: the KEDA interceptor forwards through the Service, so "
                               "requests with the same header would not reach the same replica; use qpm, "
                               "gpu_utilization or replicas autoscaling"))
    interceptor = next((m["spec"] for m in scalers if m["kind"] == "HTTPScaledObject"), None)
    if interceptor is None:
        return findings
    wait = seconds(interceptor.get("timeouts", {}).get("conditionWait", "0s"))
    if wait < plan.start_up_grace:
        findings.append(_error(plan, "timeouts.scale_from_zero",
                               f"the interceptor holds a request {wait:g} s for the first replica, less than its "
                               f"start-up grace of {plan.start_up_grace} s: the first request after idle would "
                               "fail while the replica starts"))
    limits = [seconds(rule.get("timeouts", {}).get("request", "0s")) for rule in route["spec"]["rules"]]
    if any(0 < limit <= wait for limit in limits):
        findings.append(_error(plan, "timeouts.request",
                               f"the gateway gives a request {min(limits):g} s, no more than the interceptor's "
                               f"{wait:g} s wait for the first replica: a cold start would end in a 504"))
    return findings


def _pool_bounds(plan: EndpointPlan, pool: NodePool) -> list[Finding]:
    per_node = plan.shape.replicas_per_node
    if pool.min_size * per_node < plan.min_replicas or (
            pool.max_size * per_node < plan.max_replicas and plan.spec.node_pool.max_nodes is None):
        return [_error(plan, "autoscaling", f"node pool bounds {pool.min_size}..{pool.max_size} do not "
                                            f"cover replicas {plan.min_replicas}..{plan.max_replicas}")]
    return []


def _model_size(plan: EndpointPlan) -> list[Finding]:
    billions = plan.model_billions
    if billions is None:
        return []
    findings = []
    weights_gb = billions * 2
    if not plan.shape.is_gpu:
        findings.append(_warning(plan, "resource_shape",
                                 f"{plan.spec.resource_shape} has no GPU; the vLLM engine needs one"))
    else:
        gpu_gb = plan.shape.gpu_count * plan.shape.gpu_memory_gib
        if weights_gb * 1.2 > gpu_gb:
            findings.append(_warning(plan, "resource_shape",
                                     f"about {weights_gb:g} GB of fp16 weights may not fit in {gpu_gb} GB "
                                     f"of GPU memory"))
    return findings


def _cold_start(plan: EndpointPlan) -> list[Finding]:
    """The start-up budget against the liveness probe's window and a wait the user set for scale from
    zero (a wait left to its default grows to the budget)."""
    estimate, findings = cold_start(plan), []
    window = liveness_window(plan)
    if estimate.from_container_start > window:
        findings.append(_warning(plan, "health.initial_delay_seconds", (
            f"a replica is expected to need about {estimate.from_container_start} s from container start "
            f"({estimate.breakdown('weights', 'engine')}), more than the {window} s the liveness probe allows: "
            "the kubelet would restart it while it loads")))
    wait = plan.spec.timeouts.scale_from_zero
    if wait is not None and plan.spec.autoscaling.scale_to_zero is not None and wait < estimate.total:
        findings.append(_warning(plan, "timeouts.scale_from_zero", (
            f"the interceptor holds the first request {wait} s, less than the {estimate.total} s a replica is "
            f"expected to need from zero ({estimate.breakdown()}): it would "
            "fail while the replica starts; leave it null to wait as long as the estimate")))
    return findings


def _resources(plan: EndpointPlan) -> list[Finding]:
    findings = []
    size = plan.shared_memory
    if size and quantity_bytes(size) > plan.shape.memory_gib * 2**30:
        findings.append(_error(plan, "shared_memory_size",
                               f"{size} exceeds the {plan.shape.memory_gib:g} GiB of memory of "
                               f"{plan.spec.resource_shape}"))
    return findings


def _cache_revision(plan: EndpointPlan) -> list[Finding]:
    hf = plan.cached_model
    if hf is None or _COMMIT.fullmatch(hf.revision):
        return []
    return [_warning(plan, "source.huggingface.revision",
                     f"{hf.revision!r} is a branch or tag: the cache keeps what it pointed at when the Job ran; "
                     "pin the commit to know what is served")]


_COMMIT = re.compile(r"[0-9a-f]{40}")


def _image(plan: EndpointPlan) -> list[Finding]:
    image = server(plan).image
    last = image.rsplit("/", 1)[-1]
    if "@" in last or is_input_ref(image):  # pinned by digest, or known only at deployment
        return []
    if ":" not in last or last.endswith(":latest") or "latest" in last.split(":", 1)[1]:
        return [_warning(plan, "source", f"image {image} is not pinned to a version; every pull may "
                                         "serve something new")]
    return []


def _access(plan: EndpointPlan) -> list[Finding]:
    access = plan.spec.access
    if access.public and access.tokens:
        return [_warning(plan, "access.tokens", "ignored: the endpoint is public")]
    return []


def _overlap(a: str, b: str) -> bool:
    """Whether one folder of the file system contains the other (or they are the same)."""
    a, b = a.rstrip("/") + "/", b.rstrip("/") + "/"
    return a.startswith(b) or b.startswith(a)


def shared_writes(plans: list[EndpointPlan]) -> tuple[list[Finding], list[tuple[str, str]]]:
    """Read-write mounts over a folder another endpoint mounts: a warning (Lepton allows it, e.g. the
    file system's root), and the (writer, other) pairs a review flags; root mounts refused when the
    workspace forbids them."""
    findings, pairs = [], []
    for plan in plans:
        for index, mount in enumerate(plan.spec.mounts):
            where = f"mounts[{index}].from"
            if mount.from_ == "/" and plan.workspace.filesystem.forbid_root_mounts:
                findings.append(_error(plan, where, "the workspace forbids mounting the file system's root "
                                                    "(workspace.filesystem.forbid_root_mounts)"))
            if mount.read_only:
                continue
            others = sorted({other.name for other in plans if other is not plan
                             for theirs in mounts(other) if _overlap(mount.from_, theirs.from_)})
            if others:
                findings.append(_warning(plan, where, f"read-write over folders that {', '.join(others)} "
                                                      "also mount: this endpoint can change the files they serve"))
                pairs += [(plan.name, other) for other in others]
    return findings, pairs


def check_workspace(workspace: WorkspaceSpec, mount_targets: list[MountTarget]) -> list[Finding]:
    findings = []
    cluster = workspace.cluster
    missing = [name for name, value in (("subnet_ids", cluster.subnet_ids),
                                        ("node_role_arn", cluster.node_role_arn)) if not value]
    if missing:
        findings.append(Finding("warning", "workspace.cluster",
                                f"{' and '.join(missing)} not set: node pools and file system mount targets need "
                                "them before the cloud part can be applied"))
    if any(not target.security_group_ids for target in mount_targets):
        findings.append(Finding("warning", "workspace.cluster.security_group_ids",
                                "empty: the file system's mount targets need at least one security group before "
                                "the cloud part can be applied"))
    if workspace.capacity.provisioner == "karpenter" and not workspace.cluster.security_group_ids:
        findings.append(Finding("error", "workspace.cluster.security_group_ids",
                                "empty: Karpenter's EC2NodeClass needs the security groups of its nodes"))
    if workspace.isolation == "namespace" and workspace.secret_store.kind == "SecretStore":
        findings.append(Finding("error", "workspace.secret_store.kind",
                                "a SecretStore serves one namespace and each endpoint has its own "
                                "(workspace.isolation: namespace): use a ClusterSecretStore, or isolation: shared"))
    return findings


def _security(plan: EndpointPlan) -> list[Finding]:
    """An image whose init needs root (it gets capabilities back) cannot start non-root or read-only."""
    facts, chosen = server(plan).facts, plan.spec.security
    if not (facts and facts.capabilities):
        return []
    asked = [name for name, on in (("run_as_user", chosen.run_as_user is not None),
                                   ("read_only_root_filesystem", chosen.read_only_root_filesystem)) if on]
    return [_error(plan, f"security.{name}", f"{facts.image.split(':')[0]} starts as root and writes its "
                   "root file system (its init creates its user): it cannot run this way") for name in asked]


def _mount_paths(plan: EndpointPlan, deployment: Manifest) -> list[Finding]:
    """A mount at a path where the endpoint mounts a volume of its own: the API server refuses both."""
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    own = {m["mountPath"] for m in container.get("volumeMounts", []) if not m["name"].startswith("mount-")}
    return [_error(plan, f"mounts[{i}].path", f"{m.path} is where the endpoint mounts its own volume "
                   "(the model cache, /tmp of a read-only root file system): choose another path")
            for i, m in enumerate(plan.spec.mounts) if m.path in own]


def _idle_gpus(plan: EndpointPlan) -> list[Finding]:
    """The endpoint's own node pool pays for whole instances: say so when most of their GPUs stay idle."""
    shape = plan.shape
    nodes = shape.nodes_for(plan.max_replicas)
    if not shape.is_gpu or shape.replicas_per_node == 1 or nodes == 0:
        return []
    used, total = plan.max_replicas * shape.gpu_count, nodes * shape.instance_gpus
    if used * 2 > total:
        return []
    smaller = [(name, gpus) for name, gpus in SMALLER_SAME_GPU.get(shape.instance_type, ()) if gpus >= shape.gpu_count]
    hint = (f"; EC2 also offers {smaller[0][0]} with {smaller[0][1]} of the same GPU: a shape of workspace.shapes "
            "on it bills far less (endpoints shapes --refresh-prices gives its price)") if smaller else ""
    return [_warning(plan, "resource_shape",
                     f"billed by the instance: {nodes} {shape.instance_type} at ${shape.instance_hourly_usd:,.2f}/h "
                     f"each, of whose {total} GPUs at most {plan.max_replicas} replica(s) use {used} "
                     f"({100 - 100 * used // total}% idle){hint}")]


def _gpu_limits(plan: EndpointPlan, node_pools: list[Manifest]) -> list[Finding]:
    """Each NodePool's GPU limit (the spend cap) holds the GPUs of max replicas."""
    needed = plan.max_replicas * plan.shape.gpu_count
    short = [p["metadata"]["name"] for p in node_pools
             if needed and int(p["spec"].get("limits", {}).get(GPU_RESOURCE, "0")) < needed]
    return [_error(plan, "autoscaling", f"NodePool {name} is limited to fewer GPUs than {plan.max_replicas} "
                   "replicas need") for name in short]


def _capacity(plan: EndpointPlan) -> list[Finding]:
    """Capacity types the provisioner can supply, and spot only where losing a replica is acceptable."""
    kinds, capacity = plan.capacity_types, plan.workspace.capacity
    if plan.spec.capacity_types is not None:
        path = plan.at("capacity_types")
    elif "capacity_type" in plan.spec.node_pool.model_fields_set:
        path = plan.at("node_pool.capacity_type")
    else:
        path = "workspace.capacity.capacity_types"
    findings = []
    if plan.spec.capacity_types is not None and "capacity_type" in plan.spec.node_pool.model_fields_set:
        findings.append(_error(plan, "capacity_types", "set either capacity_types or node_pool.capacity_type "
                               "(its older spelling), not both"))
    if "reserved" in kinds and capacity.provisioner != "karpenter":
        findings.append(Finding("error", path, "reserved capacity needs workspace.capacity.provisioner karpenter "
                                "(its EC2NodeClass selects the reservations)"))
    elif "reserved" in kinds and not capacity.reservations:
        findings.append(Finding("error", path, "reserved without reservations: list the capacity reservation ids "
                                "in workspace.capacity.reservations"))
    if capacity.provisioner == "node_group" and len(kinds) > 1:
        findings.append(Finding("warning", path, f"a node group has one capacity type: {kinds[0]} (provisioner "
                                "karpenter or auto_mode falls back in order)"))
    fixed = plan.spec.autoscaling.replicas is not None
    if "spot" in kinds and (plan.spec.require_approval or fixed):
        why = "each replacement replica waits for approval" if plan.spec.require_approval else \
            "a fixed replica count has no room for a replacement"
        findings.append(Finding("warning", path, f"spot nodes can be reclaimed with two minutes' notice and {why}"))
    return findings
