"""``Workspace`` and ``DedicatedEndpoint`` for every Pulumi language, served by the Python SDK's
component provider host: ``python -m pulumi_endpoints.component.multilang`` (see ``pulumi-plugin/``).

The host infers the package schema (``endpoints``) from the annotations below. Inputs are values any
language can give: a spec as YAML or JSON text, the workspace references, secret values (marked
secret in the schema). The schema cannot reference a component of its own package, so an endpoint
names its workspace by the Workspace's ``workspaceName`` output: this provider process keeps the
workspaces it constructed by name, and the engine constructs the Workspace first because the
endpoint depends on that output. Kubernetes children use the ``kubernetes`` provider given to the
component (the ``providers`` resource option), else the ambient kubeconfig.
"""

# No `from __future__ import annotations`: the host's analyzer reads these annotations as types.
import json
import sys
from collections.abc import Mapping, Sequence
from importlib.metadata import version
from typing import Any, NotRequired, Optional, TypedDict

import pulumi
import yaml
from pulumi.provider.experimental.component import ComponentProvider

from ..errors import Problem, SpecError
from . import endpoint, workspace
from .addons import AddOns

NAME = "endpoints"
_WORKSPACES: dict[str, workspace.Workspace] = {}


class WorkspaceInputs(TypedDict):
    """What a Workspace takes."""

    spec: NotRequired[pulumi.Input[str]]
    """The workspace fields as YAML or JSON text (a spec file's workspace: section); empty: the defaults."""
    cluster_name: NotRequired[pulumi.Input[str]]
    """The EKS cluster (overrides cluster.name)."""
    node_role_arn: NotRequired[pulumi.Input[str]]
    """The IAM role of the GPU nodes (overrides cluster.node_role_arn)."""
    subnet_ids: NotRequired[Sequence[pulumi.Input[str]]]
    """The subnets of the nodes and of the file system's mount targets, one mount target each."""
    security_group_ids: NotRequired[Sequence[pulumi.Input[str]]]
    """The security groups of the mount targets (NFS from the nodes)."""
    secrets: NotRequired[Mapping[str, pulumi.Input[str]]]
    """The value of each workspace secret by name (workspace-token, hf-token): secret."""
    profile: NotRequired[str]
    """The AWS profile of the cloud children's calls."""
    endpoint_url: NotRequired[str]
    """Where every AWS call goes, e.g. an emulator."""
    assume_role_arn: NotRequired[str]
    """The IAM role every AWS call of the cloud children runs as."""
    default_tags: NotRequired[Mapping[str, str]]
    """Tags on every AWS object."""
    addons: NotRequired[Sequence[str]]
    """Cluster add-ons to install with the workspace (keda, keda-http, envoy-gateway…)."""
    addon_roles: NotRequired[Mapping[str, pulumi.Input[str]]]
    """The IAM role of each add-on that calls AWS (external-secrets, efs-csi, cluster-autoscaler, karpenter)."""


class Workspace(workspace.Workspace):
    """What the endpoints of one workspace share: the file system, its mount targets, the secrets."""

    workspace_name: pulumi.Output[str]
    """The workspace's name, for DedicatedEndpoint's workspace input."""
    namespace: pulumi.Output[str]
    """The Kubernetes namespace prefix."""
    domain: pulumi.Output[str]
    """The endpoints answer at https://<endpoint>.<domain>."""
    gateway: pulumi.Output[dict[str, str]]
    """The Gateway the endpoints' routes attach to: name and namespace."""
    token_secret_id: pulumi.Output[str]
    """The Secrets Manager name of the workspace token."""

    def __init__(self, name: str, args: WorkspaceInputs, opts: Optional[pulumi.ResourceOptions] = None) -> None:
        addons = AddOns(install=list(args.get("addons") or []), roles=dict(args.get("addon_roles") or {}))
        super().__init__(name, workspace.WorkspaceArgs(
            spec=_parsed(args.get("spec"), "spec") or None, cluster_name=args.get("cluster_name"),
            node_role_arn=args.get("node_role_arn"), subnet_ids=args.get("subnet_ids"),
            security_group_ids=args.get("security_group_ids"), secrets=dict(args.get("secrets") or {}),
            profile=args.get("profile"), endpoint_url=args.get("endpoint_url"),
            assume_role_arn=args.get("assume_role_arn"), default_tags=dict(args.get("default_tags") or {}),
            addons=addons if addons.install else None), opts)
        self.workspace_name = pulumi.Output.from_input(name)
        _WORKSPACES[name] = self


class DedicatedEndpointInputs(TypedDict):
    """What a DedicatedEndpoint takes."""

    spec: pulumi.Input[str]
    """The endpoint as YAML or JSON text: the fields of one endpoint of a spec file."""
    workspace: pulumi.Input[str]
    """The workspaceName output of the Workspace it belongs to."""


class DedicatedEndpoint(endpoint.DedicatedEndpoint):
    """A model or container served over HTTP on (GPU) replicas, with autoscaling, secrets and tokens."""

    url: pulumi.Output[str]
    """Where it answers."""
    namespace: pulumi.Output[str]
    """Its Kubernetes namespace."""
    node_pool_name: pulumi.Output[str]
    """Its node pool (EKS node group or NodePool)."""
    token_secret: pulumi.Output[Optional[str]]
    """The workspace secret holding its bearer token; empty when public."""
    token_secret_id: pulumi.Output[Optional[str]]
    """That secret's Secrets Manager name."""
    cost: pulumi.Output[endpoint.Cost]
    """Its cost band."""
    findings: pulumi.Output[list[str]]
    """Warnings of the cross-layer checks."""

    def __init__(self, name: str, args: DedicatedEndpointInputs,
                 opts: Optional[pulumi.ResourceOptions] = None) -> None:
        owner = _WORKSPACES.get(str(args.get("workspace")))
        if owner is None:
            raise SpecError([Problem("workspace", f"no Workspace named {args.get('workspace')!r} in this program: "
                                                  "give the workspaceName output of one")]).with_source(name)
        super().__init__(name, _parsed(args["spec"], "spec"), owner, opts)


class EndpointsProvider(ComponentProvider):
    """The component provider, with the secret inputs marked in its schema."""

    def __init__(self) -> None:
        super().__init__([Workspace, DedicatedEndpoint], NAME, version=version("pulumi-endpoints"))
        schema = json.loads(self.schema or "{}")
        schema["resources"][f"{NAME}:index:Workspace"]["inputProperties"]["secrets"]["additionalProperties"][
            "secret"] = True
        self.schema = json.dumps(schema)


def _parsed(text: Any, field: str) -> Any:
    if text is None or isinstance(text, Mapping):
        return text
    try:
        return yaml.safe_load(str(text))
    except yaml.YAMLError as error:
        raise SpecError([Problem(field, f"not YAML or JSON: {error}")]) from None


def main() -> None:
    from pulumi.provider import main as serve

    serve(EndpointsProvider(), sys.argv[1:])


if __name__ == "__main__":
    main()
