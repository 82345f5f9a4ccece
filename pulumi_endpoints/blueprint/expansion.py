"""``expand(spec, workspace) -> Blueprint``: pure and deterministic, no I/O."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from ..collector import collector_paused
from ..errors import Problem, SpecError
from ..spec.document import Document, endpoint_path, field_path, format_loc
from ..spec.endpoint import EndpointSpec
from ..spec.inputs import NEEDS_PLAIN_VALUE, input_ref, input_slot
from ..spec.workspace import WorkspaceSpec
from . import autoscaler, capacity, cloud, dashboard, gateway, monitoring, refs, secrets, workload
from .checks import check_endpoint, check_workspace, shared_writes
from .containers import mounts
from .model import Blueprint, CloudResource, EndpointSummary, Finding, Manifest
from .plan import EndpointPlan
from .startup import cold_start


@collector_paused()
def expand(spec: EndpointSpec | Sequence[EndpointSpec] | Document,
           workspace: WorkspaceSpec | None = None, *, inputs: Collection[str] = ()) -> Blueprint:
    """Expand endpoints into cloud resources, Kubernetes manifests and findings.

    ``spec`` is one endpoint, a list of endpoints (findings then say
    ``endpoints[i].field``) or a loaded :class:`Document`, which carries its
    own workspace (giving ``workspace`` too is a TypeError). ``inputs``: the slots of the
    placeholders a face put in place of values known only at deployment (:mod:`..spec.inputs`);
    any other placeholder text is refused. Raises :class:`SpecError` when a check finds an error.
    """
    if isinstance(spec, Document):
        if workspace is not None:
            raise TypeError("expand() takes no workspace with a Document: the document carries its own")
        workspace = spec.workspace
        paths = [spec.path_of(i) for i in range(len(spec.endpoints))]
        specs: Sequence[EndpointSpec] = spec.endpoints
    elif isinstance(spec, EndpointSpec):
        specs, paths = [spec], [endpoint_path(None)]
    else:
        specs = list(spec)
        paths = [endpoint_path(i) for i in range(len(specs))]
    workspace = workspace or WorkspaceSpec()
    plans = _plans(specs, paths, workspace, frozenset(inputs))

    resources: list[CloudResource] = []
    manifests: list[Manifest] = []
    uses_file_system = any(mounts(plan) for plan in plans)
    mount_targets = cloud.mount_targets(workspace) if uses_file_system else []
    findings: list[Finding] = check_workspace(workspace, mount_targets)
    if uses_file_system:
        resources.append(cloud.file_system(workspace))
        resources += mount_targets
    secret_names = {name for plan in plans for name in secrets.referenced_secrets(plan)}
    resources += cloud.secret_entries(workspace, secret_names)
    manifests += gateway.workspace_interceptor_grant(workspace, plans)
    manifests += autoscaler.interceptor_policy(workspace, plans)

    manifests += capacity.node_class(workspace, plans)
    for plan in plans:
        pool = cloud.node_pool(plan) if workspace.capacity.provisioner == "node_group" else None
        node_pools = capacity.node_pools(plan) if pool is None else []
        if pool is not None:
            resources.append(pool)
        resources += cloud.access_points(plan, [(m.key, m.from_) for m in mounts(plan)])
        deployment = workload.deployment(plan)
        route = gateway.http_route(plan)
        manifests += workload.namespace(plan)
        manifests += node_pools
        manifests += secrets.external_secrets(plan)
        manifests += workload.volumes(plan)
        manifests += workload.model_cache_job(plan)
        manifests += [workload.service_account(plan), deployment, workload.service(plan), workload.network_policy(plan)]
        manifests += workload.disruption_budget(plan)
        manifests += [route]
        manifests += gateway.endpoint_interceptor_grant(plan)
        manifests += gateway.security_policy(plan)
        manifests += gateway.traffic_policy(plan)
        scalers = autoscaler.autoscaler(plan)
        manifests += scalers
        manifests += monitoring.pod_monitor(plan)
        manifests += [dashboard.config_map(plan)]
        manifests += workload.rbac(plan)
        findings += check_endpoint(plan, pool, node_pools, deployment, route, scalers)

    shared, writes = shared_writes(plans)
    findings += shared
    errors = [f for f in findings if f.level == "error"]
    if errors:
        raise SpecError([Problem(f.path, f.message) for f in errors])
    return Blueprint(workspace=workspace.name, cloud=tuple(resources), manifests=tuple(manifests),
                     endpoints=tuple(_summary(plan) for plan in plans), findings=tuple(findings),
                     shared_writes=tuple(writes))


def _plans(specs: Sequence[EndpointSpec], paths: list[str], workspace: WorkspaceSpec,
           inputs: frozenset[str]) -> list[EndpointPlan]:
    catalog = workspace.catalog
    problems = _placeholders(specs, paths, workspace, inputs)
    if problems:  # what the spec says there is unknown: nothing else can be checked
        raise SpecError(problems)
    plans = []
    names: dict[str, str] = {}
    for spec, path in zip(specs, paths):
        shape = catalog.get(spec.resource_shape)
        if spec.name in names:
            problems.append(Problem(field_path(path, "name"),
                                    f"endpoint {spec.name!r} is already defined at {names[spec.name]}"))
        names.setdefault(spec.name, path or "the top level")
        if shape is None:
            problems.append(Problem(field_path(path, "resource_shape"),
                                    f"unknown shape {spec.resource_shape!r}; known shapes: "
                                    f"{', '.join(sorted(catalog))}"))
            continue
        plans.append(EndpointPlan(spec, workspace, path, shape))
    if problems:
        raise SpecError(problems)
    return plans


def _placeholders(specs: Sequence[EndpointSpec], paths: list[str], workspace: WorkspaceSpec,
                  inputs: frozenset[str]) -> list[Problem]:
    """User text that looks like a placeholder would be filled by a face: refused where it stands; so
    is a deployment-time value (a face's input placeholder) in a field that needs a plain one."""
    def problem(where: str, loc: tuple[str | int, ...], text: str) -> Problem:
        from_face = input_slot(loc) in inputs and text == input_ref(loc)
        return Problem(where, NEEDS_PLAIN_VALUE if from_face else _RESERVED)

    found = [problem(field_path(path, format_loc(loc)), loc, text) for spec, path in zip(specs, paths)
             for loc, text in refs.planted(spec, inputs)]
    found += [problem(format_loc(loc), loc, text) for loc, text in refs.planted(workspace, inputs, ("workspace",))]
    return found


_RESERVED = f"text with {refs.PLACEHOLDER_START} is reserved for the cloud ids the project fills in"


def _summary(plan: EndpointPlan) -> EndpointSummary:
    return EndpointSummary(
        name=plan.name, url=plan.url, namespace=plan.namespace, shape=plan.spec.resource_shape,
        node_pool=plan.pool_name,
        token_secret=None if plan.spec.access.public else plan.workspace.token_secret,
        min_replicas=plan.min_replicas, max_replicas=plan.max_replicas,
        hourly_price_per_replica=plan.shape.hourly_usd_per_replica,
        hourly_price_per_node=plan.shape.instance_hourly_usd, replicas_per_node=plan.shape.replicas_per_node,
        provisioner=plan.workspace.capacity.provisioner, capacity_types=tuple(plan.capacity_types),
        spot_price_ratio=plan.workspace.capacity.spot_price_ratio, cached_model_gib=plan.cached_model_gib,
        cold_start=cold_start(plan))
