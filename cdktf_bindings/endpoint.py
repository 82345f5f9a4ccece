"""``DedicatedEndpoint``: one endpoint spec, expanded at synth time into provider resources and
``kubernetes_manifest`` resources; ``Workspace``: what the endpoints of one workspace share.

Everything comes from ``expand()``: this face only maps the blueprint onto constructs and fills
the manifests' ``{{ref:…}}`` placeholders with Terraform references to the cloud ids.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from constructs import Construct

from pulumi_endpoints.aws.schema import KINDS, face_values
from pulumi_endpoints.blueprint import expand
from pulumi_endpoints.blueprint import model as bp
from pulumi_endpoints.blueprint.refs import references as placeholders
from pulumi_endpoints.blueprint.refs import resolve
from pulumi_endpoints.blueprint.workload import SERVER_SET_FIELDS
from pulumi_endpoints.errors import Problem, SpecError
from pulumi_endpoints.spec import EndpointSpec, WorkspaceSpec
from pulumi_endpoints.spec.document import M, format_loc, validate_with_inputs
from pulumi_endpoints.spec.inputs import ATTRIBUTES, INPUT, PLACEHOLDER_START, is_input_ref

from ._cdk import Meta, Resource, cdk
from .kubernetes import KubernetesManifest
from .provider import AccessPoint, FileSystem, MountTarget, NodePool, Secret

Ref = tuple[str, str, str]  # (kind, name, attribute) of a {{ref:…}} placeholder
References = dict[Ref, str]


def literal(value: Any, references: References | None = None) -> Any:
    """``value`` for Terraform JSON: template sequences escaped, so ``${x}`` reaches the object as
    written, and ``{{ref:…}}`` placeholders replaced by ``references`` (a missing one: KeyError)."""
    if isinstance(value, str):
        escaped = value.replace("${", "$${").replace("%{", "%%{")
        return resolve(escaped, references or {}) if PLACEHOLDER_START in escaped else escaped
    if isinstance(value, Mapping):
        return {literal(k, references): literal(v, references) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [literal(v, references) for v in value]
    return value


def is_token(value: Any) -> bool:
    """A string token (``${TfToken[…]}``): the library is asked only about text that could be one,
    since each question is a round trip to its JS runtime."""
    return isinstance(value, str) and "{" in value and bool(cdk.Token.is_unresolved(value))


def _validated(model: type[M], data: Mapping[str, Any], prefix: tuple[str, ...] = ()) -> tuple[M, References]:
    """The model of data that may hold tokens, and the Terraform references of their placeholders."""
    for loc, value in _lists(data, prefix):  # a list token: a list of one encoded string, #{TfToken[…]}
        if any("{" in str(item) for item in value) and cdk.Token.is_unresolved(value):
            raise SpecError([Problem(format_loc(loc), "a list token has no length at synth time (each subnet "
                                     "gets a mount target): give a list of strings or string tokens")])
    spec, tokens = validate_with_inputs(model, dict(data), is_token, prefix)
    return spec, {(INPUT, slot, attribute): _derived(token, attribute)
                  for slot, token in tokens.items() for attribute in ATTRIBUTES}


def _lists(data: Any, loc: tuple[str | int, ...]) -> list[tuple[tuple[str | int, ...], Any]]:
    if isinstance(data, Mapping):
        return [found for key, value in data.items() for found in _lists(value, loc + (key,))]
    return [(loc, data)] if isinstance(data, (list, tuple)) else []


def _derived(token: str, attribute: str) -> str:
    """What a token's input placeholder stands for, as a Terraform expression."""
    if attribute == "role_name":  # the last part of the role's ARN
        return str(cdk.Fn.regex("[^/]+$", token))
    return token


def arguments(resource: bp.CloudResource, references: References, **faces_own: Any) -> dict[str, Any]:
    """A provider resource construct's arguments for a blueprint resource: its inputs by their Terraform
    names (:mod:`pulumi_endpoints.aws.schema`), as literals, and what the construct supplies itself."""
    inputs = {a.face_name for a in KINDS[resource.kind].fields if not a.computed}
    return {**{name: literal(value, references) for name, value in face_values(resource).items() if name in inputs},
            **faces_own}


def _reference(construct: Resource, ref: Ref) -> str:
    """The Terraform reference a placeholder stands for: its ``id`` is the cloud id, which the
    provider's resources call ``<kind>_id`` (``file_system_id``)."""
    kind, _, attribute = ref
    return construct.get_string_attribute(f"{kind}_id" if attribute == "id" else attribute)


def _manifest_id(manifest: bp.Manifest) -> str:
    metadata = manifest["metadata"]
    return "-".join(p for p in (manifest["kind"], metadata.get("namespace"), metadata["name"]) if p)


class Workspace(Construct):
    """The workspace's shared EFS file system with its mount targets, its Secrets Manager secrets
    and its workspace-level manifests. Each is created once, by the first endpoint that needs it:
    pass one ``Workspace`` to every ``DedicatedEndpoint`` of the workspace in a stack.

    ``secret_values`` maps secret names (``hf-token``) to values; pass tokens of sensitive
    ``TerraformVariable``s, since a plain string lands in the synthesized JSON.
    """

    def __init__(self, scope: Construct, id: str, *, workspace: WorkspaceSpec | Mapping[str, Any] | None = None,
                 secret_values: Mapping[str, str] | None = None) -> None:
        super().__init__(scope, id)
        self.spec, self.references = ((workspace, {}) if isinstance(workspace, WorkspaceSpec) else
                                      _validated(WorkspaceSpec, workspace or {}, ("workspace",)))
        self.secret_values = dict(secret_values or {})
        self.file_system: FileSystem | None = None
        self.mount_targets: dict[str, MountTarget] = {}  # by name (shared-0: the place of the subnet)
        self.secrets: dict[str, Secret] = {}  # by secret name
        self.manifests: dict[str, KubernetesManifest] = {}

    def adopt(self, resource: bp.CloudResource) -> Resource:
        """The construct of a shared cloud resource of an expansion, created unless an earlier
        endpoint did."""
        if isinstance(resource, bp.FileSystem):
            if self.file_system is None:
                self.file_system = self._file_system(resource)
            return self.file_system
        if isinstance(resource, bp.MountTarget):
            if resource.name not in self.mount_targets:
                self.mount_targets[resource.name] = self._mount_target(resource)
            return self.mount_targets[resource.name]
        if isinstance(resource, bp.SecretEntry):
            if resource.name not in self.secrets:
                self.secrets[resource.name] = self._secret(resource)
            return self.secrets[resource.name]
        raise TypeError(f"no shared construct for a {resource.kind}")

    def _file_system(self, resource: bp.FileSystem) -> FileSystem:
        return FileSystem(self, "file-system", **arguments(resource, self.references))

    def _mount_target(self, resource: bp.MountTarget) -> MountTarget:
        target = MountTarget(self, f"mount-target-{resource.name}",
                             **arguments(resource, self.references, file_system_id=self.file_system_id))
        # Earlier releases named it by its subnet id, or by its place for a token: moved, not replaced.
        subnet = resource.subnet_id
        if is_input_ref(subnet):
            subnet = f"subnet-{self.spec.cluster.subnet_ids.index(subnet)}"
        target.move_from_id(f"{MountTarget.terraform_type}.{self._logical_id(f'mount-target-{subnet}')}")
        return target

    def _logical_id(self, child_id: str) -> str:
        """The logical id a child of this construct named ``child_id`` has (or had) in the stack."""
        probe = Construct(self, child_id)
        try:
            return str(cdk.TerraformStack.of(self).get_logical_id(probe.node))
        finally:
            self.node.try_remove_child(child_id)

    def _secret(self, resource: bp.SecretEntry) -> Secret:
        if resource.name not in self.secret_values:
            raise SpecError([Problem(f"secret_values.{resource.name}",
                                     f"no value for secret {resource.name!r} ({resource.secret_id})")])
        return Secret(self, f"secret-{resource.name}",
                      **arguments(resource, self.references, value=self.secret_values[resource.name]))

    def add_manifest(self, manifest: bp.Manifest, references: References) -> None:
        """A workspace-level manifest, once."""
        key = _manifest_id(manifest)
        if key not in self.manifests:
            self.manifests[key] = KubernetesManifest(self, key, manifest=literal(manifest, {**self.references,
                                                                                           **references}))

    @property
    def file_system_id(self) -> str:
        if self.file_system is None:
            raise RuntimeError("the expansion refers to the file system before creating it")
        return self.file_system.file_system_id


class DedicatedEndpoint(Construct):
    """One endpoint: ``expand(spec, workspace)`` at synth time, as provider resources (node pool,
    access points, and through the workspace the file system, mount targets and secrets) plus a
    ``kubernetes_manifest`` per manifest, cloud ids filled in by Terraform references.

    ``workspace`` is a shared :class:`Workspace`, or its spec (then this endpoint gets a private
    ``Workspace`` child, with ``secret_values``). ``kubernetes=False`` leaves the manifests out,
    for stacks that manage only the cloud side. Providers belong to the stack.
    """

    def __init__(self, scope: Construct, id: str, *, spec: EndpointSpec | Mapping[str, Any],
                 workspace: Workspace | WorkspaceSpec | Mapping[str, Any] | None = None,
                 secret_values: Mapping[str, str] | None = None, kubernetes: bool = True) -> None:
        super().__init__(scope, id)
        if isinstance(workspace, Workspace):
            if secret_values is not None:
                raise TypeError("pass secret_values to the shared Workspace")
            self.workspace = workspace
        else:
            self.workspace = Workspace(self, "workspace", workspace=workspace, secret_values=secret_values)
        endpoint, own = (spec, {}) if isinstance(spec, EndpointSpec) else _validated(EndpointSpec, spec)
        self.references: References = {**self.workspace.references, **own}
        self.blueprint = expand(endpoint, self.workspace.spec, inputs={slot for _, slot, _ in self.references})
        self.summary = self.blueprint.endpoints[0]
        self.access_points: dict[str, AccessPoint] = {}
        self.cloud: dict[tuple[str, str], Resource] = {}  # every cloud construct by (kind, name), as refs name it
        self.node_pool: NodePool | None = None  # None when Karpenter or Auto Mode NodePools provide the nodes
        for resource in self.blueprint.cloud:
            if resource.owner is None:
                construct = self.workspace.adopt(resource)
            elif isinstance(resource, bp.NodePool):
                construct = self.node_pool = self._node_pool(resource)
            elif isinstance(resource, bp.AccessPoint):
                construct = self.access_points[resource.name] = AccessPoint(
                    self, f"access-point-{resource.name}",
                    **arguments(resource, self.references, file_system_id=self.workspace.file_system_id))
            else:
                raise TypeError(f"no construct for an endpoint's {resource.kind}")
            self.cloud[(resource.kind, resource.name)] = construct
        self.manifests: dict[str, KubernetesManifest] = {}
        if kubernetes:
            self._add_manifests()

    @property
    def url(self) -> str:
        return self.summary.url

    def _node_pool(self, pool: bp.NodePool) -> NodePool:
        return NodePool(self, "node-pool", **arguments(pool, self.references))

    def _add_manifests(self) -> None:
        references: References = {**self.references, **{
            ref: _reference(self.cloud[ref[:2]], ref) for manifest in self.blueprint.manifests
            for ref in placeholders(manifest) if ref[0] != INPUT}}
        namespaces: list[KubernetesManifest] = []  # created first: the endpoint's objects live in them
        for manifest in sorted(self.blueprint.manifests, key=lambda m: m["kind"] != "Namespace"):
            if bp.manifest_owner(manifest) is None:
                self.workspace.add_manifest(manifest, references)
                continue
            key = _manifest_id(manifest)
            after: Meta = {"depends_on": list(namespaces)} if namespaces else {}
            construct = KubernetesManifest(self, key, manifest=literal(manifest, references),
                                           computed_fields=list(SERVER_SET_FIELDS.get(manifest["kind"], [])) or None,
                                           **after)
            self.manifests[key] = construct
            if manifest["kind"] == "Namespace":
                namespaces.append(construct)
