"""Data sources: ``endpoints_spec_file`` expands a whole spec file and ``endpoints_endpoint`` one
endpoint; ``endpoints_manifests`` fills in cloud ids; ``endpoints_workspace`` looks up the shared
objects of a workspace another configuration owns; ``endpoints_addons`` gives the cluster add-ons' Helm
releases and workspace objects.

Two steps, because the manifests need ids (EFS file system, access points) of
resources that are themselves configured from the expansion:
``data.endpoints_spec_file`` → resources → ``data.endpoints_manifests`` → ``kubernetes_manifest``.
The expansion's warnings are Terraform warnings too.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from tf import types as T
from tf.iface import Config, DataSource, ReadDataContext, State
from tf.schema import Attribute, Schema

from ..errors import EndpointsError, Problem, SpecError
from .objects import Object, object_type, plain

if TYPE_CHECKING:
    from .provider import EndpointsProvider


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=False, separators=(",", ":"))


def _report(ctx: ReadDataContext, error: EndpointsError, attribute: str) -> None:
    problems = error.problems if isinstance(error, SpecError) else [Problem("", str(error))]
    for problem in problems:
        where = f"{attribute}.{problem.path}" if problem.path else attribute
        ctx.diagnostics.add_error(f"Invalid {attribute}: {where}: {problem.message}", detail=str(problem),
                                  path=[attribute])


def _warn(ctx: ReadDataContext, findings: Any) -> None:
    """The expansion's warnings, as Terraform shows warnings (its errors stopped the expansion)."""
    for finding in findings:
        ctx.diagnostics.add_warning(f"{finding.path}: {finding.message}", detail=str(finding))


def _workspace(ctx: ReadDataContext, config: Config) -> Any:
    """The ``workspace`` attribute (JSON or YAML) as a WorkspaceSpec; None, with its errors, when invalid."""
    from ..spec.document import parse_text, validate_model
    from ..spec.workspace import WorkspaceSpec

    try:
        return validate_model(WorkspaceSpec, parse_text(config["workspace"]))
    except SpecError as error:
        _report(ctx, error, "workspace")
        return None


COSTS = ("hourly_cost_min", "hourly_cost_max", "monthly_cost_min", "monthly_cost_max")


def _costs(band: Any) -> dict[str, float]:
    return dict(zip(COSTS, (band.hourly_min, band.hourly_max, band.monthly_min, band.monthly_max)))


def _endpoint_type() -> Object:
    from ..blueprint.model import EndpointSummary

    return Object({**object_type(EndpointSummary).attributes, **{name: T.Number() for name in COSTS}})


class SpecFileData(DataSource):
    """A whole spec file: the workspace's shared objects once, each endpoint's own objects and manifests."""

    def __init__(self, provider: EndpointsProvider) -> None:
        self.provider = provider

    @classmethod
    def get_name(cls) -> str:
        return "spec_file"

    @classmethod
    def get_schema(cls) -> Schema:
        from ..blueprint.model import AccessPoint, FileSystem, MountTarget, NodePool, SecretEntry

        out = {"computed": True}
        return Schema(version=1, description="Expands a spec file (one endpoint or endpoints: [...], with its "
                      "workspace: section) into the cloud objects to create, keyed for for_each, and each "
                      "endpoint's Kubernetes manifests. Shared objects (file system, mount targets, secrets) are "
                      "listed once, while any endpoint uses them.", attributes=[
            Attribute("content", T.String(), description="The file's text: file(\"endpoints.yaml\") (YAML or "
                      "JSON).", required=True),
            Attribute("workspace", T.String(), description="Workspace fields (JSON or YAML) merged over the "
                      "file's workspace: section, mapping by mapping, e.g. jsonencode({name = \"prod\", "
                      "cluster = {name = ..., subnet_ids = [...]}}).", optional=True),
            Attribute("include_manifests", T.Bool(), description="false leaves manifests and workspace_manifests "
                      "empty, for a configuration that creates only the cloud part: its state is a quarter the "
                      "size (default true).", optional=True),
            Attribute("workspace_name", T.String(), description="The workspace's name.", **out),
            Attribute("workspace_spec", T.String(), description="The workspace, every field resolved (JSON): "
                      "what endpoints_workspace takes to look it up.", **out),
            Attribute("namespace", T.String(), description="The workspace's namespace setting: the prefix of each "
                      "endpoint's own namespace (endpoints[name].namespace), or the one namespace of every endpoint "
                      "with isolation: shared.", **out),
            Attribute("file_systems", T.Map(object_type(FileSystem)), description="The shared file system by "
                      "name (empty when no endpoint mounts a folder).", **out),
            Attribute("mount_targets", T.Map(object_type(MountTarget)), description="Mount targets by subnet "
                      "id; file_system names their file system.", **out),
            Attribute("secrets", T.Map(object_type(SecretEntry)), description="Workspace secrets any endpoint "
                      "reads, by name (no values).", **out),
            Attribute("node_pools", T.Map(object_type(NodePool)), description="Node pools by endpoint name "
                      "(taints as key=value:Effect).", **out),
            Attribute("access_points", T.Map(object_type(AccessPoint)), description="Access points by name; "
                      "owner is the endpoint, file_system the file system's name.", **out),
            Attribute("endpoints", T.Map(_endpoint_type()), description="Each endpoint: url, namespace, "
                      "node pool, token secret, replicas and cost band (USD per hour and per 30-day month).",
                      **out),
            Attribute("cost", Object({name: T.Number() for name in COSTS}), description="The cost band of "
                      "every endpoint together, USD per hour and per 30-day month.", **out),
            Attribute("manifests", T.Map(T.List(T.String())), description="Each endpoint's Kubernetes "
                      "manifests (JSON) with {{ref:…}} placeholders: fill them with endpoints_manifests.", **out),
            Attribute("workspace_manifests", T.List(T.String()), description="Kubernetes manifests the "
                      "workspace shares (JSON).", **out),
            Attribute("findings", T.List(T.String()), description="Warnings of the cross-layer checks (also "
                      "shown as Terraform warnings).", **out),
        ])

    def read(self, ctx: ReadDataContext, config: Config) -> State | None:
        from ..blueprint import expand
        from ..blueprint.cost import cost_band, total
        from ..spec.document import WorkspaceOverridesError, parse_spec_file

        try:
            document = parse_spec_file(config["content"], config.get("workspace"))
            blueprint = expand(document)
        except SpecError as error:
            _report(ctx, error, "workspace" if isinstance(error, WorkspaceOverridesError) else "content")
            return None
        _warn(ctx, blueprint.warnings)
        manifests = config.get("include_manifests") is not False
        of_kind = {kind: [r for r in blueprint.cloud if r.kind == kind] for kind in
                   ("file_system", "mount_target", "secret", "node_pool", "access_point")}
        endpoints = {summary.name: {**plain(summary), **_costs(cost_band(summary))} for summary in blueprint.endpoints}
        return {
            **config, "workspace_name": blueprint.workspace, "namespace": document.workspace.namespace,
            "workspace_spec": _json(document.workspace.model_dump(mode="json")),
            "file_systems": {r.name: plain(r) for r in of_kind["file_system"]},
            "mount_targets": {r.subnet_id: plain(r) for r in of_kind["mount_target"]},  # type: ignore[union-attr]
            "secrets": {r.name: plain(r) for r in of_kind["secret"]},
            "node_pools": {r.owner: plain(r) for r in of_kind["node_pool"]},
            "access_points": {r.name: plain(r) for r in of_kind["access_point"]},
            "endpoints": endpoints, "cost": _costs(total(blueprint.endpoints)),
            "manifests": {e.name: [_json(m) for m in blueprint.manifests_of(e.name)] if manifests else []
                          for e in blueprint.endpoints},
            "workspace_manifests": [_json(m) for m in blueprint.manifests_of(None)] if manifests else [],
            "findings": [f"{f.path}: {f.message}" for f in blueprint.findings],
        }


class WorkspaceData(DataSource):
    """The shared objects of a workspace, looked up by name (read-only): for a configuration that
    deploys endpoints into a workspace another configuration owns."""

    def __init__(self, provider: EndpointsProvider) -> None:
        self.provider = provider

    @classmethod
    def get_name(cls) -> str:
        return "workspace"

    @classmethod
    def get_schema(cls) -> Schema:
        out = {"computed": True}
        return Schema(version=1, description="Looks up a workspace's file system, mount targets and secrets "
                      "by the workspace's fields (read-only; nothing is created or changed).", attributes=[
            Attribute("workspace", T.String(), description="The workspace (JSON or YAML), at least its name: "
                      "jsonencode({name = \"prod\"}); filesystem.name and secret_prefix when not the defaults.",
                      required=True),
            Attribute("require", T.List(T.String()), description="What the endpoints here need, as "
                      "endpoints_spec_file lists it (file_system/<name>, secret/<name>): missing, the read "
                      "fails naming it.", optional=True),
            Attribute("name", T.String(), description="The workspace's name.", **out),
            Attribute("file_system_id", T.String(), description="The shared file system (fs-…), null when "
                      "there is none.", **out),
            Attribute("file_system_owner", T.String(), description="Who manages the file system (its owner "
                      "tag), null when unknown.", **out),
            Attribute("mount_target_ids", T.Map(T.String()), description="The file system's mount targets by "
                      "subnet id.", **out),
            Attribute("secret_arns", T.Map(T.String()), description="The workspace's secrets by name "
                      "(e.g. workspace-token), their ARNs; no values.", **out),
            Attribute("references", T.Map(T.String()), description="The placeholders these objects fill "
                      "(file_system/<name>/id), for endpoints_manifests.", **out),
        ])

    def read(self, ctx: ReadDataContext, config: Config) -> State | None:
        from ..aws import file_system, mount_target, secret
        from ..blueprint import naming
        from ..blueprint.refs import ref_key

        workspace = _workspace(ctx, config)
        if workspace is None:
            return None
        aws = self.provider.config
        prefix = workspace.secret_id("")
        try:
            efs = aws.shared_client("efs")
            found = file_system.find(efs, naming.creation_token(workspace.name, workspace.filesystem.name))
            secrets = secret.under(aws.shared_client("secretsmanager"), prefix)
            targets = mount_target.of_file_system(efs, found.file_system_id) if found else {}
        except EndpointsError as error:
            ctx.diagnostics.add_error(f"Cannot look up workspace {workspace.name}", detail=str(error))
            return None
        fs_id = found.file_system_id if found else None
        present = {*(f"secret/{name.removeprefix(prefix)}" for name in secrets),
                   *([f"file_system/{workspace.filesystem.name}"] if found else [])}
        missing = sorted(set(config.get("require") or ()) - present)
        if missing:
            ctx.diagnostics.add_error(f"Workspace {workspace.name} has no {', '.join(missing)} yet",
                                      detail="Apply the configuration that owns the workspace (manage_workspace "
                                             "= true) with endpoints that use them first.", path=["require"])
            return None
        reference = ref_key(("file_system", workspace.filesystem.name, "id"))
        return {**config, "name": workspace.name, "file_system_id": fs_id,
                "file_system_owner": found.claimed_by if found else None, "mount_target_ids": targets,
                "secret_arns": {name.removeprefix(prefix): arn for name, arn in secrets.items()},
                "references": {reference: fs_id} if fs_id else {}}


class EndpointData(DataSource):
    def __init__(self, provider: EndpointsProvider) -> None:
        self.provider = provider

    @classmethod
    def get_name(cls) -> str:
        return "endpoint"

    @classmethod
    def get_schema(cls) -> Schema:
        out = {"computed": True}
        return Schema(version=1, description="Expands an endpoint spec (the YAML field names, as JSON or YAML "
                      "text) into cloud resource specs, Kubernetes manifests, a cost band and findings.",
                      attributes=[
            Attribute("spec", T.String(), description="The endpoint: jsonencode({...}) or file(\"x.yaml\").",
                      required=True),
            Attribute("workspace", T.String(), description="The workspace, as JSON or YAML text.", optional=True),
            Attribute("name", T.String(), description="Endpoint name.", **out),
            Attribute("url", T.String(), description="Where the endpoint answers.", **out),
            Attribute("namespace", T.String(), description="Kubernetes namespace.", **out),
            Attribute("token_secret", T.String(), description="Workspace secret holding the bearer token "
                      "(null when public).", **out),
            Attribute("node_pool", T.String(), description="The node pool spec (JSON with the fields "
                      "of endpoints_spec_file's node_pools objects, and kind; taints as key=value:Effect); null "
                      "when Karpenter or EKS Auto Mode NodePools (in manifests) provide the nodes.", **out),
            Attribute("file_system", T.String(), description="The file system spec (JSON with the fields "
                      "of endpoints_spec_file's file_systems objects, and kind), null when unused.",
                      **out),
            Attribute("mount_targets", T.List(T.String()), description="Mount target specs (JSON with the fields "
                      "of endpoints_spec_file's mount_targets objects, and kind).", **out),
            Attribute("access_points", T.List(T.String()), description="Access point specs (JSON with the "
                      "fields of endpoints_spec_file's access_points objects, and kind).", **out),
            Attribute("secrets", T.List(T.String()), description="Secret specs (JSON with the fields of "
                      "endpoints_spec_file's secrets objects, and kind; no values).", **out),
            Attribute("manifests", T.List(T.String()), description="Kubernetes manifests (JSON), with "
                      "{{ref:…}} placeholders for cloud ids: fill them with endpoints_manifests.", **out),
            Attribute("references", T.List(T.String()), description="The placeholders the manifests hold, "
                      "e.g. file_system/shared/id.", **out),
            Attribute("hourly_cost_min", T.Number(), description="USD per hour at min replicas.", **out),
            Attribute("hourly_cost_max", T.Number(), description="USD per hour at max replicas.", **out),
            Attribute("monthly_cost_min", T.Number(), description="USD per 30-day month at min replicas.", **out),
            Attribute("monthly_cost_max", T.Number(), description="USD per 30-day month at max replicas.", **out),
            Attribute("findings", T.List(T.String()), description="Warnings of the cross-layer checks.", **out),
        ])

    def read(self, ctx: ReadDataContext, config: Config) -> State | None:
        from ..blueprint import expand
        from ..blueprint.cost import cost_band
        from ..blueprint.refs import ref_key, references
        from ..spec.document import parse_text, validate_model
        from ..spec.endpoint import EndpointSpec
        from ..spec.workspace import WorkspaceSpec

        try:
            workspace = validate_model(WorkspaceSpec, parse_text(config.get("workspace") or "{}"))
        except SpecError as error:
            _report(ctx, error, "workspace")
            return None
        try:
            spec = validate_model(EndpointSpec, parse_text(config["spec"]))
            blueprint = expand(spec, workspace)
        except SpecError as error:
            _report(ctx, error, "spec")
            return None
        summary = blueprint.endpoints[0]
        band = cost_band(summary)
        kinds: dict[str, list[str]] = {}
        for resource in blueprint.cloud:  # the fields of endpoints_spec_file's objects, and kind
            kinds.setdefault(resource.kind, []).append(_json({"kind": resource.kind, **plain(resource)}))
        needed = sorted({ref_key(r) for m in blueprint.manifests for r in references(m)})
        _warn(ctx, blueprint.warnings)
        return {
            **config, "name": summary.name, "url": summary.url, "namespace": summary.namespace,
            "token_secret": summary.token_secret, "node_pool": next(iter(kinds.get("node_pool", [])), None),
            "file_system": next(iter(kinds.get("file_system", [])), None),
            "mount_targets": kinds.get("mount_target", []), "access_points": kinds.get("access_point", []),
            "secrets": kinds.get("secret", []), "manifests": [_json(m) for m in blueprint.manifests],
            "references": needed, **_costs(band),
            "findings": [f"{f.path}: {f.message}" for f in blueprint.findings],
        }


class ManifestsData(DataSource):
    def __init__(self, provider: EndpointsProvider) -> None:
        self.provider = provider

    @classmethod
    def get_name(cls) -> str:
        return "manifests"

    @classmethod
    def get_schema(cls) -> Schema:
        return Schema(version=1, description="Fills the {{ref:…}} placeholders of manifests with cloud ids.",
                      attributes=[
            Attribute("manifests", T.List(T.String()), description="Manifests from endpoints_endpoint.",
                      required=True),
            Attribute("references", T.Map(T.String()), description="Placeholder (e.g. file_system/shared/id) "
                      "to value.", optional=True),
            Attribute("resolved", T.List(T.String()), description="The manifests with every placeholder "
                      "filled (JSON).", computed=True),
        ])

    def read(self, ctx: ReadDataContext, config: Config) -> State | None:
        from ..blueprint.refs import parse_ref_key, ref_key, references, resolve

        values = {parse_ref_key(key): value for key, value in (config.get("references") or {}).items()}
        manifests = [json.loads(m) for m in config["manifests"]]
        missing = sorted({ref_key(r) for m in manifests for r in references(m)} - {ref_key(k) for k in values})
        if missing:
            ctx.diagnostics.add_error("Missing references", detail="Give a value for: " + ", ".join(missing),
                                      path=["references"])
            return None
        return {**config, "resolved": [_json(resolve(m, values)) for m in manifests]}


class AddOnsData(DataSource):
    """The cluster add-ons of a workspace: their pinned Helm releases with the values the endpoints rely
    on, and the workspace objects they serve (terraform/modules/addons applies both)."""

    def __init__(self, provider: EndpointsProvider) -> None:
        self.provider = provider

    @classmethod
    def get_name(cls) -> str:
        return "addons"

    @classmethod
    def get_schema(cls) -> Schema:
        out = {"computed": True}
        release = Object({"repository": T.String(), "chart": T.String(), "version": T.String(),
                          "namespace": T.String(), "values": T.String()})
        return Schema(version=1, description="The Helm releases of the chosen cluster add-ons (pinned, with the "
                      "values the endpoints rely on) and the workspace's Gateway and secret store.", attributes=[
            Attribute("workspace", T.String(), description="The workspace (JSON or YAML): its gateway, secret "
                      "store, region and cluster name decide the values and objects.", required=True),
            Attribute("install", T.List(T.String()), description="The add-ons to install, e.g. keda, "
                      "keda-http, envoy-gateway, external-secrets (see endpoints doctor).", required=True),
            Attribute("roles", T.Map(T.String()), description="The IAM role ARN of each add-on that calls AWS "
                      "(external-secrets, efs-csi, cluster-autoscaler, karpenter), for its service account.",
                      optional=True),
            Attribute("releases", T.Map(release), description="By add-on: repository (oci://… for an OCI "
                      "chart), chart, version, namespace and values (YAML/JSON text for helm_release values).",
                      **out),
            Attribute("manifests", T.Map(T.String()), description="The workspace objects (JSON), keyed "
                      "<add-on>/<Kind>/<name>: apply them after that add-on's release.", **out),
        ])

    def read(self, ctx: ReadDataContext, config: Config) -> State | None:
        from .. import addons

        workspace = _workspace(ctx, config)
        if workspace is None:
            return None
        try:
            found = addons.releases(workspace, config["install"], config.get("roles") or {})
        except ValueError as error:
            ctx.diagnostics.add_error(f"Invalid install: {error}", detail=str(error), path=["install"])
            return None
        return {**config,
                "releases": {r.name: {"repository": r.repository, "chart": r.chart, "version": r.version,
                                      "namespace": r.namespace, "values": _json(r.values)} for r in found},
                "manifests": {f"{key}/{m['kind']}/{m['metadata']['name']}": _json(m)
                              for key, m in addons.workspace_objects(workspace, config["install"])}}
