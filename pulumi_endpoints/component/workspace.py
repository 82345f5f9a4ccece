"""``Workspace``: what the endpoints of one workspace share.

The shared file system with its mount targets, the workspace secrets (the
token among them) and workspace-level Kubernetes objects are children of this
component. Which of them exist is decided by ``expand``: each one is created
when the first endpoint whose expansion lists it is declared, so a workspace
without mounts gets no file system, and a secret nobody reads is not created.
"""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

import pulumi
from pulumi.dynamic import Resource

from ..blueprint import naming
from ..blueprint.model import Blueprint, CloudResource, Manifest, MountTarget
from ..errors import Problem, SpecError
from ..pulumi_types import WORKSPACE
from ..spec.inputs import is_input_ref
from .addons import AddOns
from .addons import register as register_addons
from .cloud import cloud_child, cloud_child_name
from .inputs import WorkspaceSpecInput, input_refs, workspace_spec
from .kubernetes import child_name, kubernetes_child


@dataclass
class WorkspaceArgs:
    """The workspace spec and its references.

    References given here override the spec and may be Outputs of other resources. Lists are
    lists of Inputs: there is one mount target per subnet, so their number must be known when the
    program runs.

    Attributes:
        spec: the workspace fields (a dict of the YAML fields, a
            :class:`~pulumi_endpoints.WorkspaceSpec`, or a spec file whose ``workspace:`` section
            is used); None for the defaults.
        cluster_name: the EKS cluster (overrides ``cluster.name``).
        node_role_arn: the IAM role of the GPU nodes (overrides ``cluster.node_role_arn``).
        subnet_ids: the subnets of the nodes and of the file system's mount targets.
        security_group_ids: the security groups of the mount targets (NFS from the nodes).
        secrets: the value of each workspace secret, by its name (``hf-token``); an endpoint that
            reads one without a value here fails before anything is registered.
        kubernetes_provider: the provider of the Kubernetes children; None for the ambient kubeconfig.
        profile: the AWS profile of the cloud children's calls. Credentials come from the standard
            chain and are never stored; a profile with ``role_arn`` and ``source_profile`` assumes a
            role in another account. A new profile updates the children in place.
        endpoint_url: where every AWS call goes, e.g. an emulator (``AWS_ENDPOINT_URL`` works too).
        assume_role_arn: the IAM role every AWS call of the cloud children runs as (another account's,
            typically), assumed with the chain's credentials and never stored. Like a new profile, a
            new role updates the children in place: moving objects to another account is not a
            setting change.
        default_tags: tags on every AWS object, under each object's own.
        addons: cluster add-ons to install with the workspace (Helm releases, pinned, with the values
            the endpoints rely on, and the workspace's Gateway and secret store); None installs none.
    """

    spec: WorkspaceSpecInput = None
    cluster_name: pulumi.Input[str] | None = None
    node_role_arn: pulumi.Input[str] | None = None
    subnet_ids: Sequence[pulumi.Input[str]] | None = None
    security_group_ids: Sequence[pulumi.Input[str]] | None = None
    secrets: Mapping[str, pulumi.Input[str]] = field(default_factory=dict)
    kubernetes_provider: pulumi.ProviderResource | None = None
    profile: str | None = None
    endpoint_url: str | None = None
    assume_role_arn: str | None = None
    default_tags: Mapping[str, str] = field(default_factory=dict)
    addons: AddOns | None = None


class Workspace(pulumi.ComponentResource):
    """A workspace: cluster, shared file system, secrets and gateway references for endpoints."""

    namespace: pulumi.Output[str]
    domain: pulumi.Output[str]
    gateway: pulumi.Output[dict[str, str]]
    token_secret_id: pulumi.Output[str]

    def __init__(self, name: str, args: WorkspaceArgs | None = None,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        """Declare workspace ``name``.

        ``args``: its spec (YAML fields, a :class:`~pulumi_endpoints.WorkspaceSpec` or a file's
        ``workspace:`` section), references that may be Outputs (cluster name, node role, subnets,
        security groups), the values of its secrets, an explicit Kubernetes provider, and the AWS
        profile, role, endpoint URL and default tags. The shared children (file system, mount targets,
        secrets) are created once the first endpoint needs them, under this component.
        """
        super().__init__(WORKSPACE, name, None, opts)
        args = args or WorkspaceArgs()
        # Package-internal (DedicatedEndpoint reads them): the name its children start with, the spec as
        # given and with its references (Inputs as placeholders), their values, the AWS settings of the
        # cloud children.
        self._prefix = name
        self._base_spec, base_inputs = workspace_spec(args.spec)
        self._spec, inputs = workspace_spec(args.spec, _cluster_references(args))
        self._refs = input_refs({**base_inputs, **inputs})
        self._previous_subnets = _previous_subnet_names(args)
        self._aws = {key: value for key, value in {
            "region": self._spec.region, "profile": args.profile, "endpoint_url": args.endpoint_url,
            "assume_role_arn": args.assume_role_arn,
            "default_tags": dict(args.default_tags),
        }.items() if value}
        self._kubernetes_provider = args.kubernetes_provider
        self._secret_values = dict(args.secrets)
        self._children: dict[tuple[str, str], pulumi.Resource] = {}

        spec = self._spec
        self.namespace = pulumi.Output.from_input(spec.namespace)
        self.domain = pulumi.Output.from_input(spec.domain)
        self.gateway = pulumi.Output.from_input({"name": spec.gateway.name, "namespace": spec.gateway.namespace})
        self.token_secret_id = pulumi.Output.from_input(spec.secret_id(spec.token_secret))
        self.addons = register_addons(self, name, spec, args.addons, self._refs,
                                      self._kubernetes_provider) if args.addons else []
        self.register_outputs({"namespace": self.namespace, "domain": self.domain, "gateway": self.gateway,
                               "token_secret": self.token_secret_id, "token_secret_id": self.token_secret_id})

    @property
    def token_secret(self) -> pulumi.Output[str]:
        """Deprecated: the Secrets Manager name of the token secret, now ``token_secret_id``.
        (``DedicatedEndpoint.token_secret`` is the secret's name in the workspace, ``workspace-token``.)"""
        warnings.warn("Workspace.token_secret is the Secrets Manager name: read Workspace.token_secret_id",
                      DeprecationWarning, stacklevel=2)
        return self.token_secret_id

    @property
    def _input_slots(self) -> frozenset[str]:
        """The slots of the placeholders this workspace put in place of its Inputs."""
        return frozenset(slot for _, slot, _ in self._refs)

    # -- shared children, created on first use ----------------------------------------------

    def shared(self, spec: CloudResource) -> Resource:
        """The child for a workspace-level cloud resource of an endpoint's expansion."""
        key = (spec.kind, spec.name)
        if key not in self._children:
            self._children[key] = self._cloud_child(spec)
        return self._children[key]  # type: ignore[return-value]

    def file_system_id(self, name: str) -> pulumi.Output[str]:
        return self._children[("file_system", name)].id  # type: ignore[attr-defined,no-any-return]

    @property
    def file_system(self) -> pulumi.CustomResource | None:
        """The shared file system, once an endpoint that mounts a folder has been declared (else None)."""
        return next((cast(pulumi.CustomResource, child) for (kind, _), child in self._children.items()
                     if kind == "file_system"), None)

    @property
    def mount_targets(self) -> list[pulumi.CustomResource]:
        """The file system's mount targets, one per subnet, once the file system exists."""
        return [cast(pulumi.CustomResource, child) for (kind, _), child in self._children.items()
                if kind == "mount_target"]

    @property
    def secrets(self) -> dict[str, pulumi.CustomResource]:
        """The workspace secrets that the endpoints declared so far read, by name."""
        return {name: cast(pulumi.CustomResource, child) for (kind, name), child in self._children.items()
                if kind == "secret"}

    def check_secret_values(self, blueprint: Blueprint) -> None:
        """SpecError if the endpoint reads a workspace secret whose value this workspace was not given."""
        missing = sorted(r.name for r in blueprint.cloud_of(None)
                         if r.kind == "secret" and r.name not in self._secret_values)
        if missing:
            raise SpecError([Problem(f"secrets.{name}", f"the endpoint reads workspace secret {name!r}: give its "
                                     "value in WorkspaceArgs.secrets") for name in missing])

    def _cloud_child(self, spec: CloudResource) -> Resource:
        value = self._secret_values[spec.name] if spec.kind == "secret" else None
        options = pulumi.ResourceOptions(parent=self, aliases=self._previous_names(spec))
        return cloud_child(cloud_child_name(self._prefix, spec), spec, aws=self._aws, refs=self._refs,
                           opts=options, file_system_id=self.file_system_id, value=value)

    def _previous_names(self, spec: CloudResource) -> list[pulumi.Alias]:
        """Earlier releases named a mount target by its subnet (a stand-in text for an Output): the
        child keeps what they created."""
        if not isinstance(spec, MountTarget):
            return []
        place = self._spec.cluster.subnet_ids.index(spec.subnet_id)
        subnet = self._previous_subnets.get(place, spec.subnet_id)
        if is_input_ref(subnet):
            return []
        previous = dataclasses.replace(spec, name=naming.previous_mount_target(spec.file_system, subnet))
        return [pulumi.Alias(name=cloud_child_name(self._prefix, previous))]

    def shared_manifest(self, manifest: Manifest) -> pulumi.Resource:
        """The child for a workspace-level Kubernetes object (e.g. the gateway's ReferenceGrant)."""
        key = ("manifest", f"{manifest['kind']}/{manifest['metadata']['name']}")
        if key not in self._children:
            self._children[key] = kubernetes_child(
                child_name(self._prefix, manifest), manifest, refs=self._refs,
                opts=self.kubernetes_options(self))
        return self._children[key]

    def kubernetes_options(self, parent: pulumi.Resource,
                           depends_on: list[pulumi.Resource] | None = None) -> pulumi.ResourceOptions:
        """Options for Kubernetes children: the explicit provider when given, else the parent's."""
        return pulumi.ResourceOptions(parent=parent, provider=self._kubernetes_provider, depends_on=depends_on)


def _cluster_references(args: WorkspaceArgs) -> dict[str, Any]:
    """The cluster fields WorkspaceArgs gives, over the spec's."""
    given = {"name": args.cluster_name, "node_role_arn": args.node_role_arn, "subnet_ids": args.subnet_ids,
             "security_group_ids": args.security_group_ids}
    return {key: list(value) if key.endswith("_ids") else value
            for key, value in given.items() if value is not None}


def _previous_subnet_names(args: WorkspaceArgs) -> dict[int, str]:
    """By place, the text earlier releases put in a mount target's name for each subnet of
    ``WorkspaceArgs.subnet_ids``: its id, or for an Output the stand-in ``subnet-pulumi-input-NNN-``,
    numbered across the Outputs of cluster_name, node_role_arn and subnet_ids in that order."""
    counted = sum(not isinstance(value, str) for value in (args.cluster_name, args.node_role_arn)
                  if value is not None)
    names = {}
    for place, subnet in enumerate(args.subnet_ids or ()):
        if isinstance(subnet, str):
            names[place] = subnet
        else:
            names[place] = f"subnet-pulumi-input-{counted:03d}-"
            counted += 1
    return names
