"""Data sources: ``endpoints_endpoint`` expands a spec; ``endpoints_manifests`` fills in cloud ids.

Two steps, because the manifests need ids (EFS file system, access points) of
resources that are themselves configured from the expansion:
``data.endpoints_endpoint`` → resources → ``data.endpoints_manifests`` → ``kubernetes_manifest``.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from tf import types as T
from tf.iface import Config, DataSource, ReadDataContext, State
from tf.schema import Attribute, Schema

from ..errors import EndpointsError, Problem, SpecError

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
            Attribute("node_pool", T.String(), description="The node pool spec (JSON; taints as "
                      "key=value:Effect, as endpoints_node_pool takes them).", **out),
            Attribute("file_system", T.String(), description="The file system spec (JSON), null when unused.",
                      **out),
            Attribute("mount_targets", T.List(T.String()), description="Mount target specs (JSON).", **out),
            Attribute("access_points", T.List(T.String()), description="Access point specs (JSON).", **out),
            Attribute("secrets", T.List(T.String()), description="Secret specs (JSON, no values).", **out),
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
        from ..blueprint.model import NodePool, to_plain
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
        for resource in blueprint.cloud:
            plain = to_plain(resource)
            if isinstance(resource, NodePool):  # as endpoints_node_pool takes them: key=value:Effect
                plain["taints"] = [taint.text for taint in resource.taints]
            kinds.setdefault(resource.kind, []).append(_json(plain))
        needed = sorted({ref_key(r) for m in blueprint.manifests for r in references(m)})
        return {
            **config, "name": summary.name, "url": summary.url, "namespace": summary.namespace,
            "token_secret": summary.token_secret, "node_pool": kinds["node_pool"][0],
            "file_system": next(iter(kinds.get("file_system", [])), None),
            "mount_targets": kinds.get("mount_target", []), "access_points": kinds.get("access_point", []),
            "secrets": kinds.get("secret", []), "manifests": [_json(m) for m in blueprint.manifests],
            "references": needed, "hourly_cost_min": band.hourly_min, "hourly_cost_max": band.hourly_max,
            "monthly_cost_min": band.monthly_min, "monthly_cost_max": band.monthly_max,
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
