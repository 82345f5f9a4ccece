"""Every cloud resource kind, declared once: its model, its AWS service, and each attribute's facts.

An attribute's type, default, update-or-replace policy, sensitivity, lifecycle, description
and face name live in one literal here, as terraform-plugin-framework keeps them in one
schema. The policy table (:mod:`.policy`), the Terraform schema, the Pulumi dynamic
resources' outputs, the review's labels and, through the Terraform schema, the CDKTF
bindings and ``docs/terraform.md`` are all derived from :data:`KINDS`; tests/aws/test_schema.py
fails when a model and its declaration disagree. No imports beyond the blueprint's
dataclasses: the review and the Terraform provider's start-up read it.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal

from ..cloud_defaults import (ACCESS_POINT_GID, ACCESS_POINT_PERMISSIONS, ACCESS_POINT_UID, EKS_CAPACITY,
                              FILE_SYSTEM_DELETION_PROTECTION, FILE_SYSTEM_ENCRYPTED, FILE_SYSTEM_PERFORMANCE_MODE,
                              FILE_SYSTEM_THROUGHPUT_MODE, NODE_CAPACITY, NODE_DISK_SIZE_GB, SECRET_RECOVERY_DAYS,
                              SECRET_RECOVERY_DAYS_MAX, SECRET_RECOVERY_DAYS_MIN)
from ..blueprint.model import AccessPoint, CloudResource, FileSystem, MountTarget, NodePool, SecretEntry, Taint


class Policy(StrEnum):
    IN_PLACE = "in_place"
    REPLACE = "replace"
    COMPUTED = "computed"  # an output of the cloud (ids, ARNs, status): never compared


IN_PLACE, REPLACE, COMPUTED = Policy.IN_PLACE, Policy.REPLACE, Policy.COMPUTED

Type = Literal["string", "number", "bool", "set", "map"]  # sets and maps hold strings


@dataclass(frozen=True)
class Attribute:
    """One attribute of a cloud resource, in the model and in every face."""

    name: str  # the model's field, or the remote state's for a computed one
    type: Type
    description: str  # Terraform's description (docs, CDKTF docstrings)
    policy: Policy = IN_PLACE
    required: bool = False  # a configuration must set it
    default: Any = None  # what leaving it out means: the faces fill it in (Terraform: optional + computed)
    default_from: str | None = None  # ... or the value of this other attribute
    face: str | None = None  # the faces' name where it differs: a parent by its id
    sensitive: bool = False  # Terraform ``sensitive``, a Pulumi secret, masked in reviews
    volatile: bool = False  # computed, and an update may change it (unknown in a plan that changes anything)
    logical: bool = False  # held by the faces only, not by AWS: read back as configured
    from_faces: bool = False  # set by a face, never by ``expand`` (a secret's value, deletion settings)
    terraform_only: bool = False  # a setting only the Terraform resource has (Pulumi has no property for it)
    label: str | None = None  # how reviews name it, where the name with spaces does not read well

    @property
    def face_name(self) -> str:
        return self.face or self.name

    @property
    def unordered(self) -> bool:
        """A collection whose order carries no meaning: compared as a set."""
        return self.type == "set"

    @property
    def computed(self) -> bool:
        return self.policy is COMPUTED

    @property
    def review_label(self) -> str:
        return self.label or self.name.replace("_", " ")


@dataclass(frozen=True)
class Kind:
    """A cloud resource kind: ``name`` is one word across layers (driver module, ``endpoints_<name>``)."""

    name: str
    model: type[Any]
    service: str  # the boto3 client its driver calls
    description: str
    pulumi_name: str  # the dynamic resource's type name
    identity: tuple[str, ...]  # the fields AWS knows it by (a replacement keeping them must delete first)
    attributes: tuple[Attribute, ...]

    def __getitem__(self, name: str) -> Attribute:
        return self.by_name[name]

    @functools.cached_property
    def by_name(self) -> Mapping[str, Attribute]:
        return {a.name: a for a in self.attributes}

    @functools.cached_property
    def fields(self) -> tuple[Attribute, ...]:
        """The attributes of the model (the rest are computed outputs of the remote state)."""
        names = {f.name for f in dataclasses.fields(self.model)}
        return tuple(a for a in self.attributes if a.name in names)

    @functools.cached_property
    def blueprint_fields(self) -> tuple[Attribute, ...]:
        """The fields ``expand`` sets: not those only a face sets (a secret's value, deletion settings)."""
        return tuple(a for a in self.fields if not a.from_faces)

    @property
    def has_tags(self) -> bool:
        return any(a.name == "tags" for a in self.attributes)


def _tags() -> Attribute:
    return Attribute("tags", "map", "Tags on the AWS resource (managed-by, workspace and endpoint included by "
                     "the endpoint data source).")


def _hcl(value: bool) -> str:
    return "true" if value else "false"


_CAPACITY = EKS_CAPACITY[NODE_CAPACITY]

NODE_POOL = Kind(
    "node_pool", NodePool, "eks",
    "An EKS managed node group serving an endpoint (GPU AMI, taints, scale-from-zero tags).",
    "NodePool", ("cluster_name", "name"), (
        Attribute("name", "string", "Node group name.", REPLACE, required=True),
        Attribute("cluster_name", "string", "EKS cluster.", REPLACE, required=True),
        Attribute("node_role_arn", "string", "IAM role of the nodes.", REPLACE, required=True, label="node role"),
        Attribute("subnet_ids", "set", "Subnets of the nodes.", REPLACE, required=True, label="subnets"),
        Attribute("instance_types", "set", "EC2 instance types.", REPLACE, required=True),
        Attribute("ami_type", "string", "EKS AMI type, e.g. AL2023_x86_64_NVIDIA.", REPLACE, required=True,
                  label="AMI type"),
        Attribute("capacity_type", "string", f"{_CAPACITY} (default) or SPOT.", REPLACE, default=_CAPACITY),
        Attribute("disk_size", "number", f"Root volume size in GiB (default {NODE_DISK_SIZE_GB}).", REPLACE,
                  default=NODE_DISK_SIZE_GB, label="disk size (GiB)"),
        Attribute("min_size", "number", "Fewest nodes.", required=True, label="min nodes"),
        Attribute("max_size", "number", "Most nodes.", required=True, label="max nodes"),
        # Set at create, then owned by the cluster autoscaler (scale to/from zero): comparing it would
        # undo every scaling decision. Updates clamp it into the new [min, max].
        Attribute("desired_size", "number", "Nodes now; set to min_size at create, then owned by the cluster "
                  "autoscaler.", COMPUTED, default_from="min_size", volatile=True),
        Attribute("labels", "map", "Kubernetes labels on the nodes."),
        Attribute("taints", "set", "Taints as key=value:Effect, e.g. nvidia.com/gpu=true:NoSchedule."),
        _tags(),
        Attribute("arn", "string", "Node group ARN.", COMPUTED),
        Attribute("status", "string", "EKS status, e.g. ACTIVE.", COMPUTED),
    ))

FILE_SYSTEM = Kind(
    "file_system", FileSystem, "efs",
    "The workspace's shared EFS file system. Protected from deletion unless deletion_protection is false.",
    "FileSystem", ("creation_token",), (
        Attribute("name", "string", "Name (the Name tag).", required=True),  # identity is the creation token
        Attribute("creation_token", "string", "Idempotency token: the file system's identity.", REPLACE,
                  required=True),
        Attribute("performance_mode", "string", f"{FILE_SYSTEM_PERFORMANCE_MODE} (default) or maxIO.", REPLACE,
                  default=FILE_SYSTEM_PERFORMANCE_MODE),
        Attribute("throughput_mode", "string", f"{FILE_SYSTEM_THROUGHPUT_MODE} (default), bursting or "
                  "provisioned.", default=FILE_SYSTEM_THROUGHPUT_MODE),
        Attribute("provisioned_throughput_mibps", "number", "With throughput_mode provisioned.",
                  label="provisioned throughput (MiB/s)"),
        Attribute("encrypted", "bool", f"Encrypted at rest (default {_hcl(FILE_SYSTEM_ENCRYPTED)}).", REPLACE,
                  default=FILE_SYSTEM_ENCRYPTED),
        Attribute("transition_to_ia", "string", "Lifecycle policy, e.g. AFTER_30_DAYS.",
                  label="move to infrequent access"),
        Attribute("deletion_protection", "bool", "Refuse deletion (default "
                  f"{_hcl(FILE_SYSTEM_DELETION_PROTECTION)}).", default=FILE_SYSTEM_DELETION_PROTECTION),
        _tags(),
        Attribute("file_system_id", "string", "fs-…", COMPUTED),
        Attribute("arn", "string", "File system ARN.", COMPUTED),
        Attribute("status", "string", "EFS life cycle state.", COMPUTED),
    ))

# What sits on a file system names it by ``file_system``: the file system's name in a blueprint,
# its id (fs-…) once a face has resolved it, which is what drivers receive.
_ON_FILE_SYSTEM = Attribute("file_system", "string", "The file system (fs-…).", REPLACE, required=True,
                            face="file_system_id")

MOUNT_TARGET = Kind(
    "mount_target", MountTarget, "efs", "An EFS mount target: the file system reachable from one subnet.",
    "MountTarget", ("file_system", "subnet_id"), (
        Attribute("name", "string", "Logical name, only in Terraform (mount targets carry no name in AWS); "
                  "default the subnet id.", default_from="subnet_id", logical=True),
        _ON_FILE_SYSTEM,
        Attribute("subnet_id", "string", "Subnet of the mount target.", REPLACE, required=True, label="subnet"),
        Attribute("security_group_ids", "set", "Security groups allowing NFS.", label="security groups"),
        Attribute("mount_target_id", "string", "fsmt-…", COMPUTED),
        Attribute("ip_address", "string", "Its IP address in the subnet.", COMPUTED),
        Attribute("status", "string", "EFS life cycle state.", COMPUTED),
    ))

ACCESS_POINT = Kind(
    "access_point", AccessPoint, "efs", "An EFS access point rooted at the folder an endpoint mounts.",
    "AccessPoint", ("file_system", "name"), (
        Attribute("name", "string", "Name: the access point's identity (its client token).", REPLACE,
                  required=True),
        _ON_FILE_SYSTEM,
        Attribute("path", "string", "Root folder on the file system.", REPLACE, required=True),
        Attribute("uid", "number", f"Owner uid of the folder when created (default {ACCESS_POINT_UID}).", REPLACE,
                  default=ACCESS_POINT_UID),
        Attribute("gid", "number", f"Owner gid (default {ACCESS_POINT_GID}).", REPLACE, default=ACCESS_POINT_GID),
        Attribute("permissions", "string", f"Folder permissions (default {ACCESS_POINT_PERMISSIONS}).", REPLACE,
                  default=ACCESS_POINT_PERMISSIONS),
        _tags(),
        Attribute("access_point_id", "string", "fsap-…", COMPUTED),
        Attribute("arn", "string", "Access point ARN.", COMPUTED),
        Attribute("status", "string", "EFS life cycle state.", COMPUTED),
    ))

SECRET = Kind(
    "secret", SecretEntry, "secretsmanager",
    "A Secrets Manager secret read by endpoints through External Secrets. The value is sensitive: it never "
    "shows in plans, but Terraform keeps it in state (use an encrypted backend).",
    "Secret", ("secret_id",), (
        Attribute("name", "string", "Logical name, only in Terraform (e.g. hf-token); default the secret_id.",
                  default_from="secret_id", logical=True),
        Attribute("secret_id", "string", "Name in Secrets Manager, e.g. endpoints/prod/hf-token.", REPLACE,
                  required=True),
        Attribute("description", "string", "Description."),
        # Never read back: a change writes a new version; drift shows through version_id.
        Attribute("value", "string", "The secret value (sensitive). A change writes a new version.",
                  required=True, sensitive=True, from_faces=True),
        _tags(),
        Attribute("recovery_window_days", "number", "Days a deleted secret can be restored "
                  f"({SECRET_RECOVERY_DAYS_MIN}-{SECRET_RECOVERY_DAYS_MAX}, default {SECRET_RECOVERY_DAYS}).",
                  logical=True, from_faces=True, terraform_only=True),
        Attribute("force_delete", "bool", "Delete at once without recovery.", logical=True, from_faces=True,
                  terraform_only=True),
        Attribute("arn", "string", "Secret ARN.", COMPUTED),
        Attribute("version_id", "string", "Current version id.", COMPUTED, volatile=True),
    ))

KINDS: dict[str, Kind] = {kind.name: kind for kind in (NODE_POOL, FILE_SYSTEM, MOUNT_TARGET, ACCESS_POINT, SECRET)}


def face_values(resource: CloudResource, *, text_taints: bool = True) -> dict[str, Any]:
    """A blueprint resource's fields by their faces' names, as plain values (lists for tuples, taints as
    ``key=value:Effect`` text or ``{key, value, effect}``): what ``expand`` sets, not what only a face does."""
    return {a.face_name: _plain(getattr(resource, a.name), text_taints) for a in KINDS[resource.kind].blueprint_fields}


def _plain(value: Any, text_taints: bool) -> Any:
    if isinstance(value, Taint):
        return value.text if text_taints else dataclasses.asdict(value)
    if isinstance(value, (tuple, list)):
        return [_plain(v, text_taints) for v in value]
    if isinstance(value, Mapping):
        return dict(value)
    return value


def to_plain(resource: CloudResource) -> dict[str, Any]:
    """A dict of a blueprint's cloud resource, kind first: what ``expand`` sets (no value a face adds).
    Tuples stay tuples, which JSON and YAML write as lists."""
    fields = dataclasses.asdict(resource)
    kept = {a.name for a in KINDS[resource.kind].blueprint_fields} | {"owner"}
    return {"kind": fields.pop("kind"), **{k: v for k, v in fields.items() if k in kept}}
