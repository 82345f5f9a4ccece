"""Terraform resources over the AWS drivers: one class per cloud resource, one shared lifecycle.

Each class maps Terraform state to the driver's domain model and back
(``to_model`` / ``to_state``); :class:`DriverResource` turns the drivers'
validate/create/read/update/delete/import into Terraform's, and their errors into
diagnostics. Lifecycle facts (replace, sensitive, computed) come from
:mod:`pulumi_endpoints.aws.policy` through :func:`.attributes.attribute`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, ClassVar

from tf import types as T
from tf.iface import (Config, CreateContext, DeleteContext, ImportContext, PlanContext, ReadContext, Resource,
                      State, UpdateContext)
from tf.schema import Attribute, Schema
from tf.types import Unknown
from tf.utils import Diagnostics

from .. import cloud_defaults as D
from ..aws.ownership import Claim, OwnedElsewhere
from ..aws.policy import IDENTITY, ON_FILE_SYSTEM, Policy, face_attribute, face_name, fields_with
from ..blueprint.model import AccessPoint, FileSystem, MountTarget, NodePool, SecretEntry, Taint
from ..errors import EndpointsError, Problem, SpecError
from ..labels import TAG_ENDPOINT
from . import claims
from .attributes import attribute

if TYPE_CHECKING:
    from .provider import EndpointsProvider

SCHEMA_VERSION = 1
CAPACITY = D.EKS_CAPACITY[D.NODE_CAPACITY]


def report(diags: Diagnostics, error: EndpointsError, summary: str) -> None:
    """An error as Terraform diagnostics, with attribute paths for input problems."""
    if isinstance(error, SpecError):
        for problem in error.problems:
            attr = face_attribute(problem.path)
            diags.add_error(f"{summary}: {problem.message}", detail=str(problem), path=[attr] if attr else None)
    elif isinstance(error, OwnedElsewhere):
        diags.add_error(f"{error.resource}: {error.message}", detail=(
            f"To manage it in this configuration, remove it from its owner, then run: terraform import "
            f"<this resource's address> {error.import_id}\nTo use it without managing it, read it with the "
            "endpoints_workspace data source (the workspace owner's configuration keeps it)."))
    else:
        diags.add_error(summary, detail=str(error))


def tags_attributes(kind: str) -> list[Attribute]:
    return [
        attribute(kind, "tags", T.Map(T.String()), "Tags on the AWS resource (managed-by, workspace and "
                  "endpoint included by the endpoint data source).", optional=True),
        Attribute("tags_all", T.Map(T.String()), description="Tags including the provider's default_tags.",
                  computed=True),
    ]


class DriverResource(Resource):
    """The lifecycle every resource shares; subclasses say how state maps to the driver's model."""

    stem: ClassVar[str]  # one name across layers: driver module, policy table, endpoints_<stem>
    service: ClassVar[str]
    description: ClassVar[str]
    volatile: ClassVar[tuple[str, ...]] = ()  # computed attributes an update may change

    def __init__(self, provider: EndpointsProvider) -> None:
        self.provider = provider

    @classmethod
    def get_name(cls) -> str:
        return cls.stem

    @classmethod
    def get_schema(cls) -> Schema:
        return Schema(version=SCHEMA_VERSION, description=cls.description,
                      attributes=[Attribute("id", T.String(), description="The import id.", computed=True),
                                  *cls.attributes()])

    @classmethod
    def attributes(cls) -> list[Attribute]:
        raise NotImplementedError

    # -- mapping, per resource --------------------------------------------------------------

    def to_model(self, state: State) -> Any:
        raise NotImplementedError

    def to_state(self, remote: Any, prior: State | None) -> State:
        raise NotImplementedError

    def parent(self, state: State) -> tuple[Any, ...]:
        """Extra arguments the driver's read/create/delete take: the file system id of what sits on one."""
        return (state[face_name("file_system")],) if self.stem in ON_FILE_SYSTEM else ()

    # -- shared lifecycle ---------------------------------------------------------------------

    @property
    def driver(self) -> Any:
        return importlib.import_module(f"pulumi_endpoints.aws.{self.stem}")

    def client(self) -> Any:
        return self.provider.config.shared_client(self.service)

    def desired(self, state: State) -> Any:
        return self.provider.config.with_default_tags(self.to_model(state))

    def validate(self, diags: Diagnostics, type_name: str, config: Config) -> None:
        """The schema's checks, then the driver's: what AWS would refuse at apply fails the plan.

        Terraform validates again, configured, right before it plans each resource; the tf
        library calls ``plan`` for updates only, so creates are checked here. The driver's checks
        wait for that configuration (its default_tags count) and for every input to be known."""
        super().validate(diags, type_name, config)
        if diags.has_errors() or not self.provider.configured or _unknown(config):
            return
        try:
            self._validate(self.desired(config), config)
        except EndpointsError as error:
            report(diags, error, f"Invalid {type_name}")

    def _validate(self, model: Any, config: Config) -> None:
        self.driver.validate(model)

    def create(self, ctx: CreateContext, planned: State) -> State | None:
        """Create under a claim kept in the data folder until the create answered (see :mod:`.claims`)."""
        model = self.desired(planned)
        client = self.client()
        identity = self.identity(model)
        claim = claims.claim(identity)
        try:
            state = self.to_state(self._create(client, model, planned, claim), planned)
        except EndpointsError as error:
            report(ctx.diagnostics, error, f"Cannot create {self.stem} {model.name}")
            state = None if isinstance(error, OwnedElsewhere) else self._what_exists(client, model, planned, claim)
            if state is not None or isinstance(error, OwnedElsewhere):
                claims.settle(identity)
            return state
        claims.settle(identity)
        return state

    def identity(self, model: Any) -> str:
        """What AWS knows the object by, in this region and account endpoint (the journal's key)."""
        config = self.provider.config
        where = [config.region or "", config.resolved_endpoint_url or ""]
        return ":".join([self.stem, *where, *(str(getattr(model, name)) for name in IDENTITY[self.stem])])

    def _create(self, client: Any, model: Any, planned: State, claim: Claim) -> Any:
        return self.driver.create(client, model, *self.parent(planned), claim=claim)

    def _what_exists(self, client: Any, model: Any, planned: State, claim: Claim) -> State | None:
        """After a failed create: state pointing at what this create made, or nothing (never an orphan,
        never another owner's object)."""
        try:
            remote = self.driver.read(client, model, *self.parent(planned))
        except EndpointsError:
            return None
        if remote is None or getattr(remote, "claimed_by", claim.owner) != claim.owner:
            return None
        return self.to_state(remote, planned)

    def read(self, ctx: ReadContext, current: State) -> State | None:
        try:
            remote = self.driver.read(self.client(), self.desired(current), *self.parent(current))
        except EndpointsError as error:
            report(ctx.diagnostics, error, f"Cannot read {self.stem} {current.get('name')}")
            return current
        return None if remote is None else self.to_state(remote, current)

    def plan(self, ctx: PlanContext, current: State | None, planned: State) -> State:
        if current is None:
            return planned
        replaced = ctx.changed_fields & {face_name(f) for f in fields_with(self.stem, Policy.REPLACE)}
        if replaced:  # Terraform will delete ``current``: refuse now what the delete would refuse then
            self.refuse_destroy(ctx.diagnostics, current, tuple(sorted(replaced)))
        if "tags_all" in planned:  # a change of the provider's default_tags is a change too
            tags = planned.get("tags")
            planned["tags_all"] = Unknown if tags is Unknown else {**self.provider.config.default_tags,
                                                                  **(tags or {})}
        if ctx.changed_fields or planned.get("tags_all") != current.get("tags_all"):
            for name in self.volatile:
                planned[name] = Unknown
        return planned

    def plan_destroy(self, ctx: PlanContext, current: State) -> None:
        """Terraform >= 1.3 plans a destroy too (see :mod:`.servicer`); the plan fails on its errors."""
        self.refuse_destroy(ctx.diagnostics, current)

    def refuse_destroy(self, diags: Diagnostics, current: State, replaced: tuple[str, ...] = ()) -> None:
        """Errors if deleting ``current`` will be refused: destroyed, or replaced for the ``replaced``
        attributes. At plan time, before Terraform deletes what depends on it. None by default."""

    def update(self, ctx: UpdateContext, current: State, planned: State) -> State | None:
        client = self.client()
        desired = self.desired(planned)
        try:
            remote = self.driver.read(client, self.desired(current), *self.parent(current))
            if remote is None:
                ctx.diagnostics.add_error(f"{self.stem} {current.get('name')} no longer exists",
                                          "It was deleted outside Terraform; run terraform apply again to "
                                          "create it.")
                return None
            return self.to_state(self._update(client, remote, desired, planned, current), planned)
        except EndpointsError as error:
            report(ctx.diagnostics, error, f"Cannot update {self.stem} {desired.name}")
            return current

    def _update(self, client: Any, remote: Any, desired: Any, planned: State, current: State) -> Any:
        return self.driver.update(client, remote, desired)

    def delete(self, ctx: DeleteContext, current: State) -> None:
        try:
            self._delete(self.client(), self.to_model(current), current)
        except EndpointsError as error:
            report(ctx.diagnostics, error, f"Cannot delete {self.stem} {current.get('name')}")

    def _delete(self, client: Any, model: Any, current: State) -> None:
        self.driver.delete(client, model, *self.parent(current))

    def import_(self, ctx: ImportContext, id: str) -> State | None:
        try:
            return self.to_state(self.driver.import_(self.client(), id), None)
        except EndpointsError as error:
            report(ctx.diagnostics, error, f"Cannot import {self.stem} {id!r}")
            return None

    def with_tags(self, state: State, remote_tags: dict[str, str], prior: State | None) -> State:
        """``tags`` keeps what the configuration manages; ``tags_all`` is everything AWS has."""
        defaults = self.provider.config.default_tags
        configured = (prior or {}).get("tags") or {}
        own = {k: v for k, v in remote_tags.items() if k not in defaults or k in configured}
        state["tags"] = own or _empty(prior, "tags")
        state["tags_all"] = dict(remote_tags)
        return state


def _set(value: Any) -> tuple[str, ...]:
    return tuple(sorted(value or ()))


def _unknown(value: Any) -> bool:
    if isinstance(value, dict):
        return any(_unknown(v) for v in value.values())
    if isinstance(value, (list, tuple, set)):
        return any(_unknown(v) for v in value)
    return value is Unknown


class NodePoolResource(DriverResource):
    stem = "node_pool"
    service = "eks"
    description = "An EKS managed node group serving an endpoint (GPU AMI, taints, scale-from-zero tags)."
    volatile = ("desired_size",)  # clamped into the new [min_size, max_size]

    @classmethod
    def attributes(cls) -> list[Attribute]:
        k = cls.stem
        return [
            attribute(k, "name", T.String(), "Node group name.", required=True),
            attribute(k, "cluster_name", T.String(), "EKS cluster.", required=True),
            attribute(k, "node_role_arn", T.String(), "IAM role of the nodes.", required=True),
            attribute(k, "subnet_ids", T.Set(T.String()), "Subnets of the nodes.", required=True),
            attribute(k, "instance_types", T.Set(T.String()), "EC2 instance types.", required=True),
            attribute(k, "ami_type", T.String(), "EKS AMI type, e.g. AL2023_x86_64_NVIDIA.", required=True),
            attribute(k, "capacity_type", T.String(), f"{CAPACITY} (default) or SPOT.", optional=True,
                      computed=True),
            attribute(k, "disk_size", T.Number(), f"Root volume size in GiB (default {D.NODE_DISK_SIZE_GB}).",
                      optional=True,
                      computed=True),
            attribute(k, "min_size", T.Number(), "Fewest nodes.", required=True),
            attribute(k, "max_size", T.Number(), "Most nodes.", required=True),
            attribute(k, "desired_size", T.Number(), "Nodes now; set to min_size at create, then owned "
                      "by the cluster autoscaler."),
            attribute(k, "labels", T.Map(T.String()), "Kubernetes labels on the nodes.", optional=True),
            attribute(k, "taints", T.Set(T.String()), "Taints as key=value:Effect, e.g. "
                      "nvidia.com/gpu=true:NoSchedule.", optional=True),
            *tags_attributes(k),
            attribute(k, "arn", T.String(), "Node group ARN."),
            attribute(k, "status", T.String(), "EKS status, e.g. ACTIVE."),
        ]

    def to_model(self, state: State) -> NodePool:
        desired = state.get("desired_size")
        return NodePool(
            name=state["name"], cluster_name=state["cluster_name"], node_role_arn=state["node_role_arn"],
            subnet_ids=_set(state["subnet_ids"]), instance_types=_set(state["instance_types"]),
            ami_type=state["ami_type"], capacity_type=_known(state.get("capacity_type"), CAPACITY),
            disk_size=int(_known(state.get("disk_size"), D.NODE_DISK_SIZE_GB)),
            min_size=int(state["min_size"]), max_size=int(state["max_size"]),
            desired_size=int(desired) if isinstance(desired, (int, float)) else int(state["min_size"]),
            labels=dict(state.get("labels") or {}), taints=tuple(_taint(t) for t in _set(state.get("taints"))),
            tags=dict(state.get("tags") or {}), owner=(state.get("tags") or {}).get(TAG_ENDPOINT))

    def to_state(self, remote: Any, prior: State | None) -> State:
        pool: NodePool = remote.spec
        state = {
            "id": f"{pool.cluster_name}:{pool.name}", "name": pool.name, "cluster_name": pool.cluster_name,
            "node_role_arn": pool.node_role_arn, "subnet_ids": list(pool.subnet_ids),
            "instance_types": list(pool.instance_types), "ami_type": pool.ami_type,
            "capacity_type": pool.capacity_type, "disk_size": pool.disk_size, "min_size": pool.min_size,
            "max_size": pool.max_size, "desired_size": pool.desired_size,
            "labels": dict(pool.labels) or _empty(prior, "labels"),
            "taints": [t.text for t in pool.taints] or _empty(prior, "taints"),
            "arn": remote.arn, "status": remote.status,
        }
        return self.with_tags(state, pool.tags, prior)


def _hcl(value: bool) -> str:
    return "true" if value else "false"


def _known(value: Any, default: Any) -> Any:
    return default if value is None or value is Unknown else value


def _empty(prior: State | None, name: str) -> Any:
    """An empty value reads back as the configuration wrote it (null, "" or empty), so no diff appears."""
    configured = (prior or {}).get(name)
    return configured if not configured and configured is not Unknown else None


def _taint(text: str) -> Taint:
    try:
        return Taint.from_text(text)
    except ValueError as error:
        raise SpecError([Problem("taints", str(error))]) from None


class FileSystemResource(DriverResource):
    stem = "file_system"
    service = "efs"
    description = ("The workspace's shared EFS file system. Protected from deletion unless "
                   "deletion_protection is false.")

    @classmethod
    def attributes(cls) -> list[Attribute]:
        k = cls.stem
        return [
            attribute(k, "name", T.String(), "Name (the Name tag).", required=True),
            attribute(k, "creation_token", T.String(), "Idempotency token: the file system's identity.",
                      required=True),
            attribute(k, "performance_mode", T.String(), f"{D.FILE_SYSTEM_PERFORMANCE_MODE} (default) or maxIO.",
                      optional=True,
                      computed=True),
            attribute(k, "throughput_mode", T.String(),
                      f"{D.FILE_SYSTEM_THROUGHPUT_MODE} (default), bursting or provisioned.",
                      optional=True, computed=True),
            attribute(k, "provisioned_throughput_mibps", T.Number(), "With throughput_mode provisioned.",
                      optional=True),
            attribute(k, "encrypted", T.Bool(), f"Encrypted at rest (default {_hcl(D.FILE_SYSTEM_ENCRYPTED)}).",
                      optional=True,
                      computed=True),
            attribute(k, "transition_to_ia", T.String(), "Lifecycle policy, e.g. AFTER_30_DAYS.", optional=True),
            attribute(k, "deletion_protection", T.Bool(),
                      f"Refuse deletion (default {_hcl(D.FILE_SYSTEM_DELETION_PROTECTION)}).", optional=True,
                      computed=True),
            *tags_attributes(k),
            attribute(k, "file_system_id", T.String(), "fs-…"),
            attribute(k, "arn", T.String(), "File system ARN."),
            attribute(k, "status", T.String(), "EFS life cycle state."),
        ]

    def to_model(self, state: State) -> FileSystem:
        return FileSystem(
            name=state["name"], creation_token=state["creation_token"],
            performance_mode=_known(state.get("performance_mode"), D.FILE_SYSTEM_PERFORMANCE_MODE),
            throughput_mode=_known(state.get("throughput_mode"), D.FILE_SYSTEM_THROUGHPUT_MODE),
            provisioned_throughput_mibps=state.get("provisioned_throughput_mibps"),
            encrypted=bool(_known(state.get("encrypted"), D.FILE_SYSTEM_ENCRYPTED)),
            transition_to_ia=state.get("transition_to_ia"),
            deletion_protection=bool(_known(state.get("deletion_protection"), D.FILE_SYSTEM_DELETION_PROTECTION)),
            tags=dict(state.get("tags") or {}), owner=None)

    def to_state(self, remote: Any, prior: State | None) -> State:
        fs: FileSystem = remote.spec
        state = {
            "id": remote.file_system_id, "name": fs.name, "creation_token": fs.creation_token,
            "performance_mode": fs.performance_mode, "throughput_mode": fs.throughput_mode,
            "provisioned_throughput_mibps": fs.provisioned_throughput_mibps, "encrypted": fs.encrypted,
            "transition_to_ia": fs.transition_to_ia, "deletion_protection": fs.deletion_protection,
            "file_system_id": remote.file_system_id, "arn": remote.arn, "status": remote.status,
        }
        return self.with_tags(state, fs.tags, prior)

    def refuse_destroy(self, diags: Diagnostics, current: State, replaced: tuple[str, ...] = ()) -> None:
        """The driver's delete refuses a protected file system (state says so: a refresh reads
        AWS's protection tag into it); without this, the apply would first delete the mount
        targets and access points on it, then stop."""
        fs = self.to_model(current)
        if not fs.deletion_protection:
            return
        verb, why = (("replace", f"This plan replaces it ({', '.join(replaced)} can only change by replacement)")
                     if replaced else ("destroy", "This plan destroys it"))
        diags.add_error(
            f'Cannot {verb} file system "{fs.name}": it is protected from deletion',
            detail=(f'{why}, but endpoints_file_system "{fs.name}" (creation token "{fs.creation_token}") has '
                    "deletion_protection = true: deleting it would lose its data. Set deletion_protection = "
                    "false and apply that first (in a configuration driven by an endpoint spec: "
                    "workspace.filesystem.deletion_protection: false in the spec), then run this again. "
                    "Nothing was changed."),
            path=["deletion_protection"])


class MountTargetResource(DriverResource):
    stem = "mount_target"
    service = "efs"
    description = "An EFS mount target: the file system reachable from one subnet."

    @classmethod
    def attributes(cls) -> list[Attribute]:
        k = cls.stem
        return [
            attribute(k, "name", T.String(), "Logical name, only in Terraform (mount targets carry no name "
                      "in AWS); default the subnet id.", optional=True),
            attribute(k, "file_system_id", T.String(), "The file system (fs-…).", required=True),
            attribute(k, "subnet_id", T.String(), "Subnet of the mount target.", required=True),
            attribute(k, "security_group_ids", T.Set(T.String()), "Security groups allowing NFS.",
                      optional=True),
            attribute(k, "mount_target_id", T.String(), "fsmt-…"),
            attribute(k, "ip_address", T.String(), "Its IP address in the subnet."),
            attribute(k, "status", T.String(), "EFS life cycle state."),
        ]

    def to_model(self, state: State) -> MountTarget:
        return MountTarget(name=state.get("name") or state["subnet_id"], file_system=state["file_system_id"],
                           subnet_id=state["subnet_id"],
                           security_group_ids=_set(state.get("security_group_ids")))

    def to_state(self, remote: Any, prior: State | None) -> State:
        target: MountTarget = remote.spec
        return {
            "id": remote.mount_target_id, "name": (prior or {}).get("name"),
            "file_system_id": remote.file_system_id, "subnet_id": target.subnet_id,
            "security_group_ids": list(target.security_group_ids) or _empty(prior, "security_group_ids"),
            "mount_target_id": remote.mount_target_id, "ip_address": remote.ip_address, "status": remote.status,
        }


class AccessPointResource(DriverResource):
    stem = "access_point"
    service = "efs"
    description = "An EFS access point rooted at the folder an endpoint mounts."

    @classmethod
    def attributes(cls) -> list[Attribute]:
        k = cls.stem
        return [
            attribute(k, "name", T.String(), "Name: the access point's identity (its client token).",
                      required=True),
            attribute(k, "file_system_id", T.String(), "The file system (fs-…).", required=True),
            attribute(k, "path", T.String(), "Root folder on the file system.", required=True),
            attribute(k, "uid", T.Number(), f"Owner uid of the folder when created (default {D.ACCESS_POINT_UID}).",
                      optional=True, computed=True),
            attribute(k, "gid", T.Number(), f"Owner gid (default {D.ACCESS_POINT_GID}).", optional=True, computed=True),
            attribute(k, "permissions", T.String(), f"Folder permissions (default {D.ACCESS_POINT_PERMISSIONS}).",
                      optional=True,
                      computed=True),
            *tags_attributes(k),
            attribute(k, "access_point_id", T.String(), "fsap-…"),
            attribute(k, "arn", T.String(), "Access point ARN."),
            attribute(k, "status", T.String(), "EFS life cycle state."),
        ]

    def to_model(self, state: State) -> AccessPoint:
        tags = dict(state.get("tags") or {})
        return AccessPoint(name=state["name"], file_system=state["file_system_id"], path=state["path"],
                           uid=int(_known(state.get("uid"), D.ACCESS_POINT_UID)),
                           gid=int(_known(state.get("gid"), D.ACCESS_POINT_GID)),
                           permissions=_known(state.get("permissions"), D.ACCESS_POINT_PERMISSIONS), tags=tags,
                           owner=tags.get(TAG_ENDPOINT))

    def to_state(self, remote: Any, prior: State | None) -> State:
        point: AccessPoint = remote.spec
        state = {
            "id": remote.access_point_id, "name": point.name, "file_system_id": remote.file_system_id,
            "path": point.path, "uid": point.uid, "gid": point.gid, "permissions": point.permissions,
            "access_point_id": remote.access_point_id, "arn": remote.arn, "status": remote.status,
        }
        return self.with_tags(state, point.tags, prior)


class SecretResource(DriverResource):
    stem = "secret"
    service = "secretsmanager"
    description = ("A Secrets Manager secret read by endpoints through External Secrets. The value is "
                   "sensitive: it never shows in plans, but Terraform keeps it in state (use an encrypted "
                   "backend).")
    volatile = ("version_id",)

    @classmethod
    def attributes(cls) -> list[Attribute]:
        k = cls.stem
        return [
            attribute(k, "name", T.String(), "Logical name, only in Terraform (e.g. hf-token); default the "
                      "secret_id.", optional=True),
            attribute(k, "secret_id", T.String(), "Name in Secrets Manager, e.g. endpoints/prod/hf-token.",
                      required=True),
            attribute(k, "description", T.String(), "Description.", optional=True),
            attribute(k, "value", T.String(), "The secret value (sensitive). A change writes a new version.",
                      required=True),
            *tags_attributes(k),
            Attribute("recovery_window_days", T.Number(), description="Days a deleted secret can be restored "
                      f"({D.SECRET_RECOVERY_DAYS_MIN}-{D.SECRET_RECOVERY_DAYS_MAX}, "
                      f"default {D.SECRET_RECOVERY_DAYS}).", optional=True),
            Attribute("force_delete", T.Bool(), description="Delete at once without recovery.", optional=True),
            attribute(k, "arn", T.String(), "Secret ARN."),
            attribute(k, "version_id", T.String(), "Current version id."),
        ]

    def to_model(self, state: State) -> SecretEntry:
        tags = dict(state.get("tags") or {})
        return SecretEntry(name=state.get("name") or state["secret_id"], secret_id=state["secret_id"],
                           description=state.get("description") or "", tags=tags, owner=tags.get(TAG_ENDPOINT))

    def value(self, state: State) -> Any:
        from ..aws.secret import SecretValue

        return SecretValue(state["value"])

    def recovery_days(self, state: State) -> int:
        days = state.get("recovery_window_days")
        return int(days) if days else D.SECRET_RECOVERY_DAYS

    def _validate(self, model: Any, config: Config) -> None:
        self.driver.validate(model, self.value(config), recovery_days=self.recovery_days(config))

    def _create(self, client: Any, model: Any, planned: State, claim: Claim) -> Any:
        return self.driver.create(client, model, self.value(planned), claim=claim)

    def _update(self, client: Any, remote: Any, desired: Any, planned: State, current: State) -> Any:
        """A new version when the configured value changed, or AWS's is not the one written last (drift)."""
        write = planned["value"] != current.get("value") or remote.version_id != current.get("version_id")
        return self.driver.update(client, remote, desired, self.value(planned), write_value=write)

    def _delete(self, client: Any, model: Any, current: State) -> None:
        self.driver.delete(client, model, force=bool(current.get("force_delete")),
                           recovery_days=self.recovery_days(current))

    def to_state(self, remote: Any, prior: State | None) -> State:
        entry: SecretEntry = remote.spec
        prior = prior or {}
        state = {
            "id": entry.secret_id, "name": prior.get("name"), "secret_id": entry.secret_id,
            "description": entry.description or _empty(prior, "description"),
            "value": self.driver.held_value(remote, prior.get("value"), _known(prior.get("version_id"), None)),
            "recovery_window_days": prior.get("recovery_window_days"), "force_delete": prior.get("force_delete"),
            "arn": remote.arn, "version_id": remote.version_id,
        }
        return self.with_tags(state, entry.tags, prior or None)


RESOURCES: list[type[DriverResource]] = [NodePoolResource, FileSystemResource, MountTargetResource,
                                         AccessPointResource, SecretResource]
