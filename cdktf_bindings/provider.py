"""Typed constructs for the Terraform provider registry.terraform.io/pulumi-endpoints/endpoints.

Generated from ``terraform providers schema -json`` by ``python -m cdktf_bindings.generate``:
do not edit. tests/cdktf/test_cdktf_bindings.py fails when this file and the provider disagree.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Unpack

from constructs import Construct

from ._cdk import DataSource, Meta, Provider, Resource

SOURCE = "pulumi-endpoints/endpoints"
VERSION = "~> 0.1"


class EndpointsProvider(Provider):
    """Configuration of the endpoints provider: the stack creates it, never a reusable construct."""

    terraform_type = "endpoints"
    provider_source = SOURCE
    provider_version = VERSION

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        assume_role_arn: str | None = None,
        default_tags: Mapping[str, str] | None = None,
        endpoint_url: str | None = None,
        profile: str | None = None,
        region: str | None = None,
        alias: str | None = None,
    ) -> None:
        super().__init__(scope, id, {
            "assume_role_arn": assume_role_arn,
            "default_tags": default_tags,
            "endpoint_url": endpoint_url,
            "profile": profile,
            "region": region,
        }, alias=alias)


class AccessPoint(Resource):
    """An EFS access point rooted at the folder an endpoint mounts."""

    terraform_type = "endpoints_access_point"
    provider_name = "endpoints"
    provider_version = VERSION

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        file_system_id: str,
        name: str,
        path: str,
        gid: float | None = None,
        permissions: str | None = None,
        tags: Mapping[str, str] | None = None,
        uid: float | None = None,
        **meta: Unpack[Meta],
    ) -> None:
        super().__init__(scope, id, {
            "file_system_id": file_system_id,
            "gid": gid,
            "name": name,
            "path": path,
            "permissions": permissions,
            "tags": tags,
            "uid": uid,
        }, **meta)

    @property
    def access_point_id(self) -> str:
        """fsap-…"""
        return self.get_string_attribute("access_point_id")

    @property
    def arn(self) -> str:
        """Access point ARN."""
        return self.get_string_attribute("arn")

    @property
    def gid(self) -> float:
        """Owner gid (default 1000)."""
        return self.get_number_attribute("gid")

    @property
    def id(self) -> str:
        """The import id."""
        return self.get_string_attribute("id")

    @property
    def permissions(self) -> str:
        """Folder permissions (default 0755)."""
        return self.get_string_attribute("permissions")

    @property
    def status(self) -> str:
        """EFS life cycle state."""
        return self.get_string_attribute("status")

    @property
    def tags_all(self) -> dict[str, str]:
        """Tags including the provider's default_tags."""
        return self.get_string_map_attribute("tags_all")

    @property
    def uid(self) -> float:
        """Owner uid of the folder when created (default 1000)."""
        return self.get_number_attribute("uid")


class FileSystem(Resource):
    """The workspace's shared EFS file system. Protected from deletion unless deletion_protection
    is false.
    """

    terraform_type = "endpoints_file_system"
    provider_name = "endpoints"
    provider_version = VERSION

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        creation_token: str,
        name: str,
        deletion_protection: bool | None = None,
        encrypted: bool | None = None,
        performance_mode: str | None = None,
        provisioned_throughput_mibps: float | None = None,
        tags: Mapping[str, str] | None = None,
        throughput_mode: str | None = None,
        transition_to_ia: str | None = None,
        **meta: Unpack[Meta],
    ) -> None:
        super().__init__(scope, id, {
            "creation_token": creation_token,
            "deletion_protection": deletion_protection,
            "encrypted": encrypted,
            "name": name,
            "performance_mode": performance_mode,
            "provisioned_throughput_mibps": provisioned_throughput_mibps,
            "tags": tags,
            "throughput_mode": throughput_mode,
            "transition_to_ia": transition_to_ia,
        }, **meta)

    @property
    def arn(self) -> str:
        """File system ARN."""
        return self.get_string_attribute("arn")

    @property
    def deletion_protection(self) -> Any:
        """Refuse deletion (default true)."""
        return self.get_boolean_attribute("deletion_protection")

    @property
    def encrypted(self) -> Any:
        """Encrypted at rest (default true)."""
        return self.get_boolean_attribute("encrypted")

    @property
    def file_system_id(self) -> str:
        """fs-…"""
        return self.get_string_attribute("file_system_id")

    @property
    def id(self) -> str:
        """The import id."""
        return self.get_string_attribute("id")

    @property
    def performance_mode(self) -> str:
        """generalPurpose (default) or maxIO."""
        return self.get_string_attribute("performance_mode")

    @property
    def status(self) -> str:
        """EFS life cycle state."""
        return self.get_string_attribute("status")

    @property
    def tags_all(self) -> dict[str, str]:
        """Tags including the provider's default_tags."""
        return self.get_string_map_attribute("tags_all")

    @property
    def throughput_mode(self) -> str:
        """elastic (default), bursting or provisioned."""
        return self.get_string_attribute("throughput_mode")


class MountTarget(Resource):
    """An EFS mount target: the file system reachable from one subnet."""

    terraform_type = "endpoints_mount_target"
    provider_name = "endpoints"
    provider_version = VERSION

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        file_system_id: str,
        subnet_id: str,
        name: str | None = None,
        security_group_ids: Sequence[str] | None = None,
        **meta: Unpack[Meta],
    ) -> None:
        super().__init__(scope, id, {
            "file_system_id": file_system_id,
            "name": name,
            "security_group_ids": security_group_ids,
            "subnet_id": subnet_id,
        }, **meta)

    @property
    def id(self) -> str:
        """The import id."""
        return self.get_string_attribute("id")

    @property
    def ip_address(self) -> str:
        """Its IP address in the subnet."""
        return self.get_string_attribute("ip_address")

    @property
    def mount_target_id(self) -> str:
        """fsmt-…"""
        return self.get_string_attribute("mount_target_id")

    @property
    def status(self) -> str:
        """EFS life cycle state."""
        return self.get_string_attribute("status")


class NodePool(Resource):
    """An EKS managed node group serving an endpoint (GPU AMI, taints, scale-from-zero tags)."""

    terraform_type = "endpoints_node_pool"
    provider_name = "endpoints"
    provider_version = VERSION

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        ami_type: str,
        cluster_name: str,
        instance_types: Sequence[str],
        max_size: float,
        min_size: float,
        name: str,
        node_role_arn: str,
        subnet_ids: Sequence[str],
        capacity_type: str | None = None,
        disk_size: float | None = None,
        labels: Mapping[str, str] | None = None,
        tags: Mapping[str, str] | None = None,
        taints: Sequence[str] | None = None,
        **meta: Unpack[Meta],
    ) -> None:
        super().__init__(scope, id, {
            "ami_type": ami_type,
            "capacity_type": capacity_type,
            "cluster_name": cluster_name,
            "disk_size": disk_size,
            "instance_types": instance_types,
            "labels": labels,
            "max_size": max_size,
            "min_size": min_size,
            "name": name,
            "node_role_arn": node_role_arn,
            "subnet_ids": subnet_ids,
            "tags": tags,
            "taints": taints,
        }, **meta)

    @property
    def arn(self) -> str:
        """Node group ARN."""
        return self.get_string_attribute("arn")

    @property
    def capacity_type(self) -> str:
        """ON_DEMAND (default) or SPOT."""
        return self.get_string_attribute("capacity_type")

    @property
    def desired_size(self) -> float:
        """Nodes now; set to min_size at create, then owned by the cluster autoscaler."""
        return self.get_number_attribute("desired_size")

    @property
    def disk_size(self) -> float:
        """Root volume size in GiB (default 100)."""
        return self.get_number_attribute("disk_size")

    @property
    def id(self) -> str:
        """The import id."""
        return self.get_string_attribute("id")

    @property
    def status(self) -> str:
        """EKS status, e.g. ACTIVE."""
        return self.get_string_attribute("status")

    @property
    def tags_all(self) -> dict[str, str]:
        """Tags including the provider's default_tags."""
        return self.get_string_map_attribute("tags_all")


class Secret(Resource):
    """A Secrets Manager secret read by endpoints through External Secrets. The value is
    sensitive: it never shows in plans, but Terraform keeps it in state (use an encrypted
    backend).
    """

    terraform_type = "endpoints_secret"
    provider_name = "endpoints"
    provider_version = VERSION

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        secret_id: str,
        value: str,
        description: str | None = None,
        force_delete: bool | None = None,
        name: str | None = None,
        recovery_window_days: float | None = None,
        tags: Mapping[str, str] | None = None,
        **meta: Unpack[Meta],
    ) -> None:
        super().__init__(scope, id, {
            "description": description,
            "force_delete": force_delete,
            "name": name,
            "recovery_window_days": recovery_window_days,
            "secret_id": secret_id,
            "tags": tags,
            "value": value,
        }, **meta)

    @property
    def arn(self) -> str:
        """Secret ARN."""
        return self.get_string_attribute("arn")

    @property
    def id(self) -> str:
        """The import id."""
        return self.get_string_attribute("id")

    @property
    def tags_all(self) -> dict[str, str]:
        """Tags including the provider's default_tags."""
        return self.get_string_map_attribute("tags_all")

    @property
    def version_id(self) -> str:
        """Current version id."""
        return self.get_string_attribute("version_id")


class DataEndpointsAddons(DataSource):
    """The Helm releases of the chosen cluster add-ons (pinned, with the values the endpoints
    rely on) and the workspace's Gateway and secret store.
    """

    terraform_type = "endpoints_addons"
    provider_name = "endpoints"
    provider_version = VERSION

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        install: Sequence[str],
        workspace: str,
        roles: Mapping[str, str] | None = None,
        **meta: Unpack[Meta],
    ) -> None:
        super().__init__(scope, id, {
            "install": install,
            "roles": roles,
            "workspace": workspace,
        }, **meta)

    @property
    def manifests(self) -> dict[str, str]:
        """The workspace objects (JSON), keyed <add-on>/<Kind>/<name>: apply them after that add-
        on's release.
        """
        return self.get_string_map_attribute("manifests")

    @property
    def releases(self) -> Any:
        """By add-on: repository (oci://… for an OCI chart), chart, version, namespace and values
        (YAML/JSON text for helm_release values).
        """
        return self.interpolation_for_attribute("releases")


class DataEndpointsEndpoint(DataSource):
    """Expands an endpoint spec (the YAML field names, as JSON or YAML text) into cloud resource
    specs, Kubernetes manifests, a cost band and findings.
    """

    terraform_type = "endpoints_endpoint"
    provider_name = "endpoints"
    provider_version = VERSION

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        spec: str,
        workspace: str | None = None,
        **meta: Unpack[Meta],
    ) -> None:
        super().__init__(scope, id, {
            "spec": spec,
            "workspace": workspace,
        }, **meta)

    @property
    def access_points(self) -> list[str]:
        """Access point specs (JSON with the fields of endpoints_spec_file's access_points
        objects, and kind).
        """
        return self.get_list_attribute("access_points")

    @property
    def file_system(self) -> str:
        """The file system spec (JSON with the fields of endpoints_spec_file's file_systems
        objects, and kind), null when unused.
        """
        return self.get_string_attribute("file_system")

    @property
    def findings(self) -> list[str]:
        """Warnings of the cross-layer checks."""
        return self.get_list_attribute("findings")

    @property
    def hourly_cost_max(self) -> float:
        """USD per hour at max replicas."""
        return self.get_number_attribute("hourly_cost_max")

    @property
    def hourly_cost_min(self) -> float:
        """USD per hour at min replicas."""
        return self.get_number_attribute("hourly_cost_min")

    @property
    def manifests(self) -> list[str]:
        """Kubernetes manifests (JSON), with {{ref:…}} placeholders for cloud ids: fill them with
        endpoints_manifests.
        """
        return self.get_list_attribute("manifests")

    @property
    def monthly_cost_max(self) -> float:
        """USD per 30-day month at max replicas."""
        return self.get_number_attribute("monthly_cost_max")

    @property
    def monthly_cost_min(self) -> float:
        """USD per 30-day month at min replicas."""
        return self.get_number_attribute("monthly_cost_min")

    @property
    def mount_targets(self) -> list[str]:
        """Mount target specs (JSON with the fields of endpoints_spec_file's mount_targets
        objects, and kind).
        """
        return self.get_list_attribute("mount_targets")

    @property
    def name(self) -> str:
        """Endpoint name."""
        return self.get_string_attribute("name")

    @property
    def namespace(self) -> str:
        """Kubernetes namespace."""
        return self.get_string_attribute("namespace")

    @property
    def node_pool(self) -> str:
        """The node pool spec (JSON with the fields of endpoints_spec_file's node_pools objects,
        and kind; taints as key=value:Effect); null when Karpenter or EKS Auto Mode NodePools
        (in manifests) provide the nodes.
        """
        return self.get_string_attribute("node_pool")

    @property
    def references(self) -> list[str]:
        """The placeholders the manifests hold, e.g. file_system/shared/id."""
        return self.get_list_attribute("references")

    @property
    def secrets(self) -> list[str]:
        """Secret specs (JSON with the fields of endpoints_spec_file's secrets objects, and kind;
        no values).
        """
        return self.get_list_attribute("secrets")

    @property
    def token_secret(self) -> str:
        """Workspace secret holding the bearer token (null when public)."""
        return self.get_string_attribute("token_secret")

    @property
    def url(self) -> str:
        """Where the endpoint answers."""
        return self.get_string_attribute("url")


class DataEndpointsManifests(DataSource):
    """Fills the {{ref:…}} placeholders of manifests with cloud ids."""

    terraform_type = "endpoints_manifests"
    provider_name = "endpoints"
    provider_version = VERSION

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        manifests: Sequence[str],
        references: Mapping[str, str] | None = None,
        **meta: Unpack[Meta],
    ) -> None:
        super().__init__(scope, id, {
            "manifests": manifests,
            "references": references,
        }, **meta)

    @property
    def resolved(self) -> list[str]:
        """The manifests with every placeholder filled (JSON)."""
        return self.get_list_attribute("resolved")


class DataEndpointsSpecFile(DataSource):
    """Expands a spec file (one endpoint or endpoints: [...], with its workspace: section) into
    the cloud objects to create, keyed for for_each, and each endpoint's Kubernetes manifests.
    Shared objects (file system, mount targets, secrets) are listed once, while any endpoint
    uses them.
    """

    terraform_type = "endpoints_spec_file"
    provider_name = "endpoints"
    provider_version = VERSION

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        content: str,
        include_manifests: bool | None = None,
        workspace: str | None = None,
        **meta: Unpack[Meta],
    ) -> None:
        super().__init__(scope, id, {
            "content": content,
            "include_manifests": include_manifests,
            "workspace": workspace,
        }, **meta)

    @property
    def access_points(self) -> Any:
        """Access points by name; owner is the endpoint, file_system the file system's name."""
        return self.interpolation_for_attribute("access_points")

    @property
    def cost(self) -> Any:
        """The cost band of every endpoint together, USD per hour and per 30-day month."""
        return self.interpolation_for_attribute("cost")

    @property
    def endpoints(self) -> Any:
        """Each endpoint: url, namespace, node pool, token secret, replicas and cost band (USD
        per hour and per 30-day month).
        """
        return self.interpolation_for_attribute("endpoints")

    @property
    def file_systems(self) -> Any:
        """The shared file system by name (empty when no endpoint mounts a folder)."""
        return self.interpolation_for_attribute("file_systems")

    @property
    def findings(self) -> list[str]:
        """Warnings of the cross-layer checks (also shown as Terraform warnings)."""
        return self.get_list_attribute("findings")

    @property
    def manifests(self) -> Any:
        """Each endpoint's Kubernetes manifests (JSON) with {{ref:…}} placeholders: fill them
        with endpoints_manifests.
        """
        return self.interpolation_for_attribute("manifests")

    @property
    def mount_targets(self) -> Any:
        """Mount targets by subnet id; file_system names their file system."""
        return self.interpolation_for_attribute("mount_targets")

    @property
    def namespace(self) -> str:
        """The workspace's namespace setting: the prefix of each endpoint's own namespace
        (endpoints[name].namespace), or the one namespace of every endpoint with isolation:
        shared.
        """
        return self.get_string_attribute("namespace")

    @property
    def node_pools(self) -> Any:
        """Node pools by endpoint name (taints as key=value:Effect)."""
        return self.interpolation_for_attribute("node_pools")

    @property
    def secrets(self) -> Any:
        """Workspace secrets any endpoint reads, by name (no values)."""
        return self.interpolation_for_attribute("secrets")

    @property
    def workspace_manifests(self) -> list[str]:
        """Kubernetes manifests the workspace shares (JSON)."""
        return self.get_list_attribute("workspace_manifests")

    @property
    def workspace_name(self) -> str:
        """The workspace's name."""
        return self.get_string_attribute("workspace_name")

    @property
    def workspace_spec(self) -> str:
        """The workspace, every field resolved (JSON): what endpoints_workspace takes to look it
        up.
        """
        return self.get_string_attribute("workspace_spec")


class DataEndpointsWorkspace(DataSource):
    """Looks up a workspace's file system, mount targets and secrets by the workspace's fields
    (read-only; nothing is created or changed).
    """

    terraform_type = "endpoints_workspace"
    provider_name = "endpoints"
    provider_version = VERSION

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        workspace: str,
        require: Sequence[str] | None = None,
        **meta: Unpack[Meta],
    ) -> None:
        super().__init__(scope, id, {
            "require": require,
            "workspace": workspace,
        }, **meta)

    @property
    def file_system_id(self) -> str:
        """The shared file system (fs-…), null when there is none."""
        return self.get_string_attribute("file_system_id")

    @property
    def file_system_owner(self) -> str:
        """Who manages the file system (its owner tag), null when unknown."""
        return self.get_string_attribute("file_system_owner")

    @property
    def mount_target_ids(self) -> dict[str, str]:
        """The file system's mount targets by subnet id."""
        return self.get_string_map_attribute("mount_target_ids")

    @property
    def name(self) -> str:
        """The workspace's name."""
        return self.get_string_attribute("name")

    @property
    def references(self) -> dict[str, str]:
        """The placeholders these objects fill (file_system/<name>/id), for endpoints_manifests."""
        return self.get_string_map_attribute("references")

    @property
    def secret_arns(self) -> dict[str, str]:
        """The workspace's secrets by name (e.g. workspace-token), their ARNs; no values."""
        return self.get_string_map_attribute("secret_arns")
