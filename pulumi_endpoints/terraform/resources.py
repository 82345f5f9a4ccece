"""Terraform resources over the AWS drivers: one class per cloud resource kind, one shared lifecycle.

The schema of each resource is generated from the kind's declaration in
:mod:`pulumi_endpoints.aws.schema`; :class:`DriverResource` wraps the shared
:class:`~pulumi_endpoints.aws.lifecycle.Lifecycle` in Terraform's calls, adds Terraform's
state conventions (``id``, ``tags_all``, an empty value read back as configured) and turns
errors into diagnostics.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from tf import types as T
from tf.iface import (Config, CreateContext, DeleteContext, ImportContext, PlanContext, ReadContext, Resource,
                      State, UpdateContext)
from tf.schema import Attribute, Schema
from tf.types import Unknown
from tf.utils import Diagnostics

from ..aws.config import AwsConfig
from ..aws.lifecycle import LIFECYCLES, Lifecycle
from ..aws.ownership import Claim, OwnedElsewhere
from ..aws.policy import face_attribute
from ..aws.schema import ACCESS_POINT, FILE_SYSTEM, MOUNT_TARGET, NODE_POOL, SECRET, Kind, Policy
from ..errors import EndpointsError, SpecError
from . import claims

if TYPE_CHECKING:
    from .provider import EndpointsProvider

SCHEMA_VERSION = 1


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


_TYPES = {"string": T.String(), "number": T.Number(), "bool": T.Bool(), "set": T.Set(T.String()),
          "map": T.Map(T.String())}


def schema_attributes(kind: Kind) -> list[Attribute]:
    """The Terraform attributes of a kind: ``id``, each declared attribute, ``tags_all`` after ``tags``."""
    attributes = [Attribute("id", T.String(), description="The import id.", computed=True)]
    for declared in kind.attributes:
        attributes.append(Attribute(
            declared.face_name, _TYPES[declared.type], description=declared.description,
            required=declared.required, optional=not declared.required and not declared.computed,
            computed=declared.computed or declared.default is not None, sensitive=declared.sensitive,
            requires_replace=declared.policy is Policy.REPLACE))
        if declared.name == "tags":
            attributes.append(Attribute("tags_all", T.Map(T.String()), computed=True,
                                        description="Tags including the provider's default_tags."))
    return attributes


class DriverResource(Resource):
    """The lifecycle every resource shares, over :data:`~pulumi_endpoints.aws.lifecycle.LIFECYCLES`."""

    kind: ClassVar[Kind]

    def __init__(self, provider: EndpointsProvider) -> None:
        self.provider = provider

    @classmethod
    def get_name(cls) -> str:
        return cls.kind.name

    @classmethod
    def get_schema(cls) -> Schema:
        return Schema(version=SCHEMA_VERSION, description=cls.kind.description,
                      attributes=schema_attributes(cls.kind))

    @property
    def lifecycle(self) -> Lifecycle:
        return LIFECYCLES[self.kind.name]

    @property
    def config(self) -> AwsConfig:
        return self.provider.config

    # -- mapping ------------------------------------------------------------------------------

    def to_model(self, state: State) -> Any:
        return self.lifecycle.model(_known(state))

    def to_state(self, remote: Any, prior: State | None) -> State:
        """The state of what AWS has: ``tags`` keeps what the configuration manages, ``tags_all`` is
        everything AWS has; an empty value reads back as the configuration wrote it (null, "" or
        empty), so no diff appears."""
        prior = prior or {}
        values = self.lifecycle.values(remote, _known(prior))
        state: State = {"id": self.lifecycle.id_of(remote), **values}
        for attribute in self.kind.attributes:
            value = values[attribute.face_name]
            if not attribute.computed and isinstance(value, (str, list, dict)) and not value:
                state[attribute.face_name] = _empty(prior, attribute.face_name)
        if self.kind.has_tags:
            remote_tags = values["tags"]
            defaults = self.config.default_tags
            configured = prior.get("tags") or {}
            own = {k: v for k, v in remote_tags.items() if k not in defaults or k in configured}
            state["tags"] = own or _empty(prior, "tags")
            state["tags_all"] = dict(remote_tags)
        return state

    # -- lifecycle ----------------------------------------------------------------------------

    def validate(self, diags: Diagnostics, type_name: str, config: Config) -> None:
        """The schema's checks, then the driver's: what AWS would refuse at apply fails the plan.

        Terraform validates again, configured, right before it plans each resource; the tf
        library calls ``plan`` for updates only, so creates are checked here. The driver's checks
        wait for that configuration (its default_tags count) and for every input to be known."""
        super().validate(diags, type_name, config)
        if diags.has_errors() or not self.provider.configured or _unknown(config):
            return
        try:
            self.lifecycle.validate(config, self.config)
        except EndpointsError as error:
            report(diags, error, f"Invalid {type_name}")

    def create(self, ctx: CreateContext, planned: State) -> State | None:
        """Create under a claim kept in the data folder until the create answered (see :mod:`.claims`)."""
        values = _known(planned)
        model = self.lifecycle.desired(values, self.config)
        identity = self.identity(model)
        claim = claims.claim(identity)
        try:
            state = self.to_state(self.lifecycle.create(self.config, values, claim), planned)
        except EndpointsError as error:
            report(ctx.diagnostics, error, f"Cannot create {self.kind.name} {model.name}")
            state = None if isinstance(error, OwnedElsewhere) else self._what_exists(planned, claim)
            if state is not None or isinstance(error, OwnedElsewhere):
                claims.settle(identity)
            return state
        claims.settle(identity)
        return state

    def identity(self, model: Any) -> str:
        """What AWS knows the object by, in this region and account endpoint (the journal's key)."""
        where = [self.config.region or "", self.config.resolved_endpoint_url or ""]
        return ":".join([self.kind.name, *where, *(str(getattr(model, name)) for name in self.kind.identity)])

    def _what_exists(self, planned: State, claim: Claim) -> State | None:
        """After a failed create: state pointing at what this create made, or nothing (never an orphan,
        never another owner's object)."""
        try:
            remote = self.lifecycle.read(self.config, _known(planned))
        except EndpointsError:
            return None
        if remote is None or getattr(remote, "claimed_by", claim.owner) != claim.owner:
            return None
        return self.to_state(remote, planned)

    def read(self, ctx: ReadContext, current: State) -> State | None:
        try:
            remote = self.lifecycle.read(self.config, _known(current))
        except EndpointsError as error:
            report(ctx.diagnostics, error, f"Cannot read {self.kind.name} {current.get('name')}")
            return current
        return None if remote is None else self.to_state(remote, current)

    def plan(self, ctx: PlanContext, current: State | None, planned: State) -> State:
        if current is None:
            return planned
        replaced = ctx.changed_fields & {a.face_name for a in self.kind.attributes if a.policy is Policy.REPLACE}
        if replaced:  # Terraform will delete ``current``: refuse now what the delete would refuse then
            self.refuse_destroy(ctx.diagnostics, current, tuple(sorted(replaced)))
        if "tags_all" in planned:  # a change of the provider's default_tags is a change too
            tags = planned.get("tags")
            planned["tags_all"] = Unknown if tags is Unknown else {**self.config.default_tags, **(tags or {})}
        if ctx.changed_fields or planned.get("tags_all") != current.get("tags_all"):
            for attribute in self.kind.attributes:
                if attribute.volatile:
                    planned[attribute.face_name] = Unknown
        return planned

    def plan_destroy(self, ctx: PlanContext, current: State) -> None:
        """Terraform >= 1.3 plans a destroy too (see :mod:`.servicer`); the plan fails on its errors."""
        self.refuse_destroy(ctx.diagnostics, current)

    def refuse_destroy(self, diags: Diagnostics, current: State, replaced: tuple[str, ...] = ()) -> None:
        """Errors if deleting ``current`` will be refused: destroyed, or replaced for the ``replaced``
        attributes. At plan time, before Terraform deletes what depends on it. None by default."""

    def update(self, ctx: UpdateContext, current: State, planned: State) -> State | None:
        try:
            remote = self.lifecycle.update(self.config, _known(current), _known(planned))
        except EndpointsError as error:
            report(ctx.diagnostics, error, f"Cannot update {self.kind.name} {planned.get('name')}")
            return current
        if remote is None:
            ctx.diagnostics.add_error(f"{self.kind.name} {current.get('name')} no longer exists",
                                      "It was deleted outside Terraform; run terraform apply again to create it.")
            return None
        return self.to_state(remote, planned)

    def delete(self, ctx: DeleteContext, current: State) -> None:
        try:
            self.lifecycle.delete(self.config, _known(current))
        except EndpointsError as error:
            report(ctx.diagnostics, error, f"Cannot delete {self.kind.name} {current.get('name')}")

    def import_(self, ctx: ImportContext, id: str) -> State | None:
        try:
            return self.to_state(self.lifecycle.import_(self.config, id), None)
        except EndpointsError as error:
            report(ctx.diagnostics, error, f"Cannot import {self.kind.name} {id!r}")
            return None


def _known(state: State) -> dict[str, Any]:
    """The state with a value not known yet as None (what leaving it out means)."""
    return {name: None if value is Unknown else value for name, value in state.items()}


def _unknown(value: Any) -> bool:
    if isinstance(value, dict):
        return any(_unknown(v) for v in value.values())
    if isinstance(value, (list, tuple, set)):
        return any(_unknown(v) for v in value)
    return value is Unknown


def _empty(prior: State, name: str) -> Any:
    """An empty value reads back as the configuration wrote it (null, "" or empty), so no diff appears."""
    configured = prior.get(name)
    return configured if not configured and configured is not Unknown else None


class NodePoolResource(DriverResource):
    kind = NODE_POOL


class FileSystemResource(DriverResource):
    kind = FILE_SYSTEM

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
    kind = MOUNT_TARGET


class AccessPointResource(DriverResource):
    kind = ACCESS_POINT


class SecretResource(DriverResource):
    kind = SECRET


RESOURCES: list[type[DriverResource]] = [NodePoolResource, FileSystemResource, MountTargetResource,
                                         AccessPointResource, SecretResource]
