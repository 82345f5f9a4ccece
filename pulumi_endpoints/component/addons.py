"""The cluster add-ons a Workspace installs when asked (``WorkspaceArgs.addons``): one Helm release
per add-on, pinned and with the values the endpoints rely on (``pulumi_endpoints.addons``), and the
objects they serve the workspace with (its Gateway, its secret store), after their charts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pulumi
from pulumi_kubernetes.helm.v3 import Release, ReleaseArgs, RepositoryOptsArgs

from .. import addons
from ..errors import Problem, SpecError
from ..spec.workspace import WorkspaceSpec
from .inputs import fill
from .kubernetes import child_name, kubernetes_child


@dataclass
class AddOns:
    """Add-ons to install on the cluster with the workspace.

    Attributes:
        install: their keys, e.g. ``["keda", "keda-http", "envoy-gateway", "external-secrets"]``; see
            the README's add-on table (``endpoints doctor`` lists what a cluster lacks). EKS Auto Mode
            and NetworkPolicy enforcement are cluster settings, not charts.
        roles: the IAM role of each add-on that calls AWS (``external-secrets``, ``efs-csi``,
            ``cluster-autoscaler``, ``karpenter``), set on its service account (IRSA); may be Outputs.
    """

    install: Sequence[str]
    roles: Mapping[str, pulumi.Input[str]] = field(default_factory=dict)


def register(parent: pulumi.Resource, prefix: str, spec: WorkspaceSpec, wanted: AddOns, refs: Mapping[Any, Any],
             provider: pulumi.ProviderResource | None) -> list[pulumi.Resource]:
    """The add-ons' releases and workspace objects, children of ``parent``."""
    try:
        found = addons.releases(spec, wanted.install, wanted.roles)
    except ValueError as error:
        raise SpecError([Problem("addons", str(error))]) from None
    children: list[pulumi.Resource] = []
    released: dict[str, Release] = {}
    for release in found:
        oci = release.repository.startswith("oci://")
        args = ReleaseArgs(
            name=release.name,  # as doctor's helm command and the Terraform module name it: one install per cluster
            chart=f"{release.repository}/{release.chart}" if oci else release.chart, version=release.version,
            namespace=release.namespace, create_namespace=True, values=fill(release.values, refs),
            repository_opts=None if oci else RepositoryOptsArgs(repo=release.repository))
        released[release.name] = Release(f"{prefix}-addon-{release.name}", args,
                                         opts=pulumi.ResourceOptions(parent=parent, provider=provider))
        children.append(released[release.name])
    for key, manifest in addons.workspace_objects(spec, wanted.install):
        options = pulumi.ResourceOptions(parent=parent, provider=provider, depends_on=[released[key]])
        children.append(kubernetes_child(child_name(prefix, manifest), manifest, refs=refs, opts=options))
    return children
