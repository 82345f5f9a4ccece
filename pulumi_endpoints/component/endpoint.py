"""``DedicatedEndpoint``: one endpoint's cloud and Kubernetes children, from ``expand``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypedDict

import pulumi

from ..blueprint import expand
from ..blueprint.cost import cost_band
from ..blueprint.refs import references
from ..errors import SpecError
from ..pulumi_types import DEDICATED_ENDPOINT
from ..spec.inputs import INPUT
from .cloud import cloud_child, cloud_child_name
from .inputs import Ref, SpecInput, endpoint_spec, fill, input_refs
from .kubernetes import child_name, kubernetes_child
from .workspace import Workspace


# The functional form keeps real types in the annotations (this module defers the others): the
# component provider host for other languages reads them into the package schema.
Cost = TypedDict("Cost", {"hourly_min": float, "hourly_max": float, "monthly_min": float, "monthly_max": float})
Cost.__doc__ = "The endpoint's cost band in USD, from min to max replicas (AWS bills whole instances; a 30-day month)."


@dataclass
class DedicatedEndpointArgs:
    """What a :class:`DedicatedEndpoint` takes (also accepted as the constructor's own arguments).

    Attributes:
        spec: the endpoint: an :class:`~pulumi_endpoints.EndpointSpec`, a dict of its YAML fields
            (the fields of ``docs/spec.md`` that accept them may be Outputs: images, env values), or
            the path of a YAML/JSON file holding one endpoint.
        workspace: the :class:`Workspace` it belongs to.
    """

    spec: SpecInput
    workspace: Workspace


class DedicatedEndpoint(pulumi.ComponentResource):
    """A model or container served over HTTP on (GPU) replicas, with autoscaling, secrets and tokens.

    ``spec`` is an :class:`~pulumi_endpoints.EndpointSpec`, a dict of its YAML
    fields, or the path of a YAML/JSON file holding one endpoint. An invalid spec
    raises :class:`~pulumi_endpoints.SpecError` with the field path when the
    program runs. Children are named ``<name>-<kind>-<blueprint name>``.
    """

    url: pulumi.Output[str]
    namespace: pulumi.Output[str]
    node_pool_name: pulumi.Output[str]
    token_secret: pulumi.Output[str | None]
    token_secret_id: pulumi.Output[str | None]
    cost: pulumi.Output[Cost]
    findings: pulumi.Output[list[str]]

    def __init__(self, name: str, spec: SpecInput | DedicatedEndpointArgs, workspace: Workspace | None = None,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        """Declare endpoint ``name`` of ``workspace``: ``DedicatedEndpoint(name, spec, workspace)`` or
        ``DedicatedEndpoint(name, DedicatedEndpointArgs(spec=…, workspace=…))``.

        ``spec``: an :class:`~pulumi_endpoints.EndpointSpec`, a dict of its YAML fields (images and
        env values may be Outputs), or the path of a YAML/JSON file holding one endpoint. A spec that
        does not expand, or reads a workspace
        secret whose value the workspace lacks, raises :class:`~pulumi_endpoints.SpecError` (naming
        this endpoint, with the field path) before anything is registered.
        Outputs: ``url``, ``namespace``, ``node_pool_name``, ``token_secret`` (the workspace secret
        holding its bearer token, e.g. ``workspace-token``; None when public) and ``token_secret_id``
        (that secret's Secrets Manager name), ``cost`` and ``findings``.
        Children, for ``depends_on`` and exports: ``node_pool`` (None when Karpenter or Auto Mode
        provide the nodes), ``access_points`` by name, and ``objects``, the Kubernetes objects by
        (kind, name), e.g. ``objects["Deployment", "llama3-8b"]``. The workspace's children are the
        Workspace's (``file_system``, ``mount_targets``, ``secrets``).
        """
        if isinstance(spec, DedicatedEndpointArgs):
            if workspace is not None:
                raise TypeError("give the workspace in DedicatedEndpointArgs or as an argument, not both")
            spec, workspace = spec.spec, spec.workspace
        if workspace is None:
            raise TypeError("DedicatedEndpoint needs its Workspace")
        try:  # every check before the first registration: a program that cannot deploy registers nothing
            endpoint, inputs = endpoint_spec(spec, workspace._base_spec)
            blueprint = expand(endpoint, workspace._spec, inputs=workspace._input_slots | set(inputs))
            workspace.check_secret_values(blueprint)
        except SpecError as error:  # say which endpoint, in a program that declares several
            raise error.with_source(f"{name} ({error.source})" if error.source else name) from None
        # The spec and workspace as the component's inputs: a preview then says what changed in
        # endpoint terms (endpoints review reads them).
        own_refs = {**workspace._refs, **input_refs(inputs)}
        super().__init__(DEDICATED_ENDPOINT, name, {
            "spec": fill(endpoint.model_dump(mode="json", by_alias=True, exclude_defaults=True), own_refs),
            "workspace": fill(workspace._base_spec.model_dump(mode="json", exclude_defaults=True), own_refs)}, opts)
        for finding in blueprint.warnings:  # what `endpoints validate` warns about, in the engine's output
            pulumi.log.warn(f"{finding.path}: {finding.message}", resource=self)
        summary = blueprint.endpoints[0]

        cloud: dict[tuple[str, str], Any] = {
            (r.kind, r.name): workspace.shared(r) for r in blueprint.cloud_of(None)}
        for resource in blueprint.cloud_of(summary.name):
            cloud[(resource.kind, resource.name)] = cloud_child(
                cloud_child_name(name, resource), resource, aws=workspace._aws, refs=own_refs,
                opts=pulumi.ResourceOptions(parent=self), file_system_id=workspace.file_system_id)

        for manifest in blueprint.manifests_of(None):
            workspace.shared_manifest(manifest)
        refs: dict[Ref, pulumi.Input[str]] = {**own_refs, **{
            ref: _output(cloud[ref[:2]], ref[2]) for m in blueprint.manifests for ref in references(m)
            if ref[0] != INPUT}}
        namespaces: list[pulumi.Resource] = []  # created first: the endpoint's objects live in them
        self.objects: dict[tuple[str, str], pulumi.Resource] = {}
        for manifest in sorted(blueprint.manifests_of(summary.name), key=lambda m: m["kind"] != "Namespace"):
            options = workspace.kubernetes_options(self, [*cloud.values(), *namespaces])
            child = kubernetes_child(child_name(name, manifest), manifest, refs=refs,
                                     opts=options)
            self.objects[(manifest["kind"], manifest["metadata"]["name"])] = child
            if manifest["kind"] == "Namespace":
                namespaces.append(child)
        own = {(r.kind, r.name): cloud[(r.kind, r.name)] for r in blueprint.cloud_of(summary.name)}
        self.node_pool: pulumi.CustomResource | None = own.get(("node_pool", summary.node_pool))
        self.access_points: dict[str, pulumi.CustomResource] = {
            key[1]: child for key, child in own.items() if key[0] == "access_point"}

        band = cost_band(summary)
        self.url = pulumi.Output.from_input(summary.url)
        self.namespace = pulumi.Output.from_input(summary.namespace)
        if self.node_pool is not None:  # none with Karpenter or Auto Mode NodePools
            self.node_pool_name = self.node_pool.name  # type: ignore[attr-defined]
        else:
            self.node_pool_name = pulumi.Output.from_input(summary.node_pool)
        self.token_secret = pulumi.Output.from_input(summary.token_secret)
        self.token_secret_id = pulumi.Output.from_input(
            workspace._spec.secret_id(summary.token_secret) if summary.token_secret else None)
        self.cost = pulumi.Output.from_input(Cost(hourly_min=band.hourly_min, hourly_max=band.hourly_max,
                                                  monthly_min=band.monthly_min, monthly_max=band.monthly_max))
        self.findings = pulumi.Output.from_input([str(f) for f in blueprint.findings])
        self.register_outputs({"url": self.url, "namespace": self.namespace, "node_pool_name": self.node_pool_name,
                               "token_secret": self.token_secret, "token_secret_id": self.token_secret_id,
                               "cost": self.cost, "findings": self.findings})


def _output(child: Any, attribute: str) -> pulumi.Output[str]:
    return child.id if attribute == "id" else getattr(child, attribute)  # type: ignore[no-any-return]
