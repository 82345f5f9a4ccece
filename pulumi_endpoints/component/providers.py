"""Dynamic providers over the AWS drivers: one class per cloud resource, one shared lifecycle.

The engine pickles a provider (dill, by reference) into each resource's state, so
these classes hold no state and live in an importable module. Everything a call
needs arrives in its properties: the resource spec (the blueprint's fields), the
AWS settings (``aws``: region, profile, endpoint_url, default_tags; never
credentials) and, for secrets, the value. Clients are made inside each call.
Which change updates in place and which replaces comes from the drivers' policy
table (:mod:`pulumi_endpoints.aws.policy`).
"""

from __future__ import annotations

import dataclasses
import importlib
import typing
from collections.abc import Mapping
from types import ModuleType
from typing import Any, ClassVar

from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    CreateResult,
    DiffResult,
    ReadResult,
    ResourceProvider,
    UpdateResult,
)
from pulumi.runtime import rpc

from ..aws import policy
from ..aws.config import AwsConfig
from ..aws.ownership import Claim
from ..blueprint.model import AccessPoint, CloudResource, FileSystem, MountTarget, NodePool, SecretEntry, Taint
from ..errors import SpecError

Props = dict[str, Any]
AWS = "aws"  # the property holding the AWS settings
VALUE = "value"  # a secret's value (a Pulumi secret)
OWNER = "owner_tag"  # who the resource is (pulumi:<project>/<stack>/<kind>/<name>): the owner tag its object carries


def aws_config(props: Mapping[str, Any]) -> AwsConfig:
    settings = props.get(AWS) or {}
    return AwsConfig(region=settings.get("region"), profile=settings.get("profile"),
                     endpoint_url=settings.get("endpoint_url"), default_tags=dict(settings.get("default_tags") or {}))


def to_model(model: type[Any], props: Mapping[str, Any]) -> Any:
    """The blueprint dataclass from properties (numbers arrive as floats, None values as absent)."""
    hints = typing.get_type_hints(model)
    values = {}
    for field in dataclasses.fields(model):
        if field.name == "kind":
            continue
        value = props.get(policy.face_name(field.name))
        values[field.name] = _typed(hints[field.name], value)
    return model(**values)


def _typed(hint: Any, value: Any) -> Any:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if hint is int:
        return int(value or 0)
    if hint is bool:
        return bool(value)
    if origin is tuple:
        items = value or ()
        return tuple(Taint(**item) if args[0] is Taint else item for item in items)
    if origin is dict:
        return dict(value or {})
    if float in args and value is not None:
        return float(value)
    return value


def to_props(spec: CloudResource) -> Props:
    """Properties of a blueprint dataclass: lists for tuples, plain dicts for taints, no ``kind``."""
    props = {}
    for field in dataclasses.fields(spec):
        if field.name != "kind":
            props[policy.face_name(field.name)] = _plain(getattr(spec, field.name))
    return props


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _unknown(value: Any) -> bool:
    if isinstance(value, Mapping):
        return any(_unknown(v) for v in value.values())
    if isinstance(value, list):
        return any(_unknown(v) for v in value)
    return value is rpc.UNKNOWN or value == rpc.UNKNOWN


class DriverProvider(ResourceProvider):
    """create/read/update/delete/diff of one cloud resource kind through its driver."""

    stem: ClassVar[str]  # one name across layers: driver module, policy table, component child
    service: ClassVar[str]
    model: ClassVar[type[Any]]

    @property
    def driver(self) -> ModuleType:
        return importlib.import_module(f"pulumi_endpoints.aws.{self.stem}")

    # -- mapping, per resource ----------------------------------------------------------

    def desired(self, props: Mapping[str, Any]) -> Any:
        """The spec to apply: the properties' model with the default tags merged in."""
        return aws_config(props).with_default_tags(to_model(self.model, props))

    def id_of(self, remote: Any) -> str:
        raise NotImplementedError

    def outputs(self, remote: Any, props: Mapping[str, Any]) -> Props:
        """What AWS has, as properties: the spec read back (tags with the defaults) and computed outputs."""
        computed = {name: getattr(remote, name) for name in policy.fields_with(self.stem, policy.Policy.COMPUTED)
                    if hasattr(remote, name)}
        return {**to_props(remote.spec), AWS: props.get(AWS), OWNER: props.get(OWNER), **computed}

    def parent(self, props: Mapping[str, Any]) -> tuple[Any, ...]:
        """Extra arguments the driver's calls take: the file system id of what sits on one."""
        return (props[policy.face_name("file_system")],) if self.stem in policy.ON_FILE_SYSTEM else ()

    def comparable(self, props: Mapping[str, Any], spec: Any) -> dict[str, Any]:
        """The policy fields to diff, by field name."""
        return {f.name: getattr(spec, f.name) for f in dataclasses.fields(spec)}

    # -- lifecycle ----------------------------------------------------------------------

    def check(self, _olds: Props, news: Props) -> CheckResult:
        """The driver's validation, at preview time already (skipped while inputs are unknown)."""
        if _unknown(news):
            return CheckResult(news, [])
        try:
            self.validate(news)
        except SpecError as error:
            return CheckResult(news, [CheckFailure(policy.face_attribute(p.path), p.message) for p in error.problems])
        return CheckResult(news, [])

    def validate(self, props: Props) -> None:
        self.driver.validate(self.desired(props))

    def diff(self, _id: str, olds: Props, news: Props) -> DiffResult:
        """Changed fields per the policy table; unknown inputs (preview) count as changed."""
        unknown = [name for name in policy.table(self.stem) if _unknown(news.get(policy.face_name(name)))]
        known_news = {**news, **{policy.face_name(name): olds.get(policy.face_name(name)) for name in unknown}}
        current, desired = to_model(self.model, olds), self.desired(known_news)
        found = policy.diff(self.stem, self.comparable(olds, current), self.comparable(known_news, desired))
        changed = [*found.changed, *unknown]
        replaces = [name for name in changed if policy.table(self.stem)[name].policy is policy.Policy.REPLACE]
        keeps_identity = not any(name in replaces for name in policy.IDENTITY[self.stem])
        return DiffResult(changes=bool(changed), replaces=[policy.face_name(name) for name in replaces],
                          delete_before_replace=bool(replaces) and keeps_identity)

    def create(self, props: Props) -> CreateResult:
        """Create the object; one already there is adopted only when it carries this resource's owner
        tag (an earlier create of this same resource), else refused (see :mod:`..aws.ownership`)."""
        config = aws_config(props)
        remote = self._create(config.shared_client(self.service), self.desired(props), props, Claim(props[OWNER]))
        return CreateResult(self.id_of(remote), self.outputs(remote, props))

    def _create(self, client: Any, desired: Any, props: Props, claim: Claim) -> Any:
        return self.driver.create(client, desired, *self.parent(props), claim=claim)

    def read(self, id_: str, props: Props) -> ReadResult:
        """Refresh: what AWS has now (drift shows in the next diff); no id when it is gone."""
        config = aws_config(props)
        remote = self.driver.read(config.shared_client(self.service), self.desired(props), *self.parent(props))
        if remote is None:
            return ReadResult(None, {})
        return ReadResult(self.id_of(remote), self.outputs(remote, props))

    def update(self, _id: str, olds: Props, news: Props) -> UpdateResult:
        config = aws_config(news)
        client = config.shared_client(self.service)
        remote = self.driver.read(client, self.desired(olds), *self.parent(olds))
        if remote is None:
            raise RuntimeError(f"{self.stem} {olds.get('name')!r} no longer exists: run pulumi refresh, then "
                               "pulumi up to create it again")
        return UpdateResult(self.outputs(self._update(client, remote, self.desired(news), news, olds), news))

    def _update(self, client: Any, remote: Any, desired: Any, props: Props, olds: Props) -> Any:
        return self.driver.update(client, remote, desired)

    def delete(self, _id: str, props: Props) -> None:
        self.driver.delete(aws_config(props).shared_client(self.service), to_model(self.model, props),
                           *self.parent(props))


class NodePoolProvider(DriverProvider):
    stem = "node_pool"
    service = "eks"
    model = NodePool

    def id_of(self, remote: Any) -> str:
        return f"{remote.spec.cluster_name}:{remote.spec.name}"


class FileSystemProvider(DriverProvider):
    stem = "file_system"
    service = "efs"
    model = FileSystem

    def id_of(self, remote: Any) -> str:
        return str(remote.file_system_id)


class MountTargetProvider(DriverProvider):
    stem = "mount_target"
    service = "efs"
    model = MountTarget

    def id_of(self, remote: Any) -> str:
        return str(remote.mount_target_id)


class AccessPointProvider(DriverProvider):
    stem = "access_point"
    service = "efs"
    model = AccessPoint

    def id_of(self, remote: Any) -> str:
        return str(remote.access_point_id)


class SecretProvider(DriverProvider):
    """The value stays a Pulumi secret; drift in it shows through version ids (never read back)."""

    stem = "secret"
    service = "secretsmanager"
    model = SecretEntry

    def value(self, props: Mapping[str, Any]) -> Any:
        from ..aws.secret import SecretValue

        return SecretValue(props[VALUE])

    def id_of(self, remote: Any) -> str:
        return str(remote.spec.secret_id)

    def validate(self, props: Props) -> None:
        self.driver.validate(self.desired(props), self.value(props))

    def comparable(self, props: Mapping[str, Any], spec: Any) -> dict[str, Any]:
        return {**super().comparable(props, spec), VALUE: props.get(VALUE)}

    def outputs(self, remote: Any, props: Mapping[str, Any]) -> Props:
        """The value is kept while AWS holds it; a value changed outside Pulumi is dropped, so the
        next diff writes the configured one again."""
        written = props.get("version_id")  # in the outputs of the last write; absent in new inputs
        return {**super().outputs(remote, props), VALUE: self.driver.held_value(remote, props.get(VALUE), written)}

    def _create(self, client: Any, desired: Any, props: Props, claim: Claim) -> Any:
        return self.driver.create(client, desired, self.value(props), claim=claim)

    def _update(self, client: Any, remote: Any, desired: Any, props: Props, olds: Props) -> Any:
        """A new version when the configured value changed, or AWS's is not the one written last (drift)."""
        write = props[VALUE] != olds.get(VALUE) or remote.version_id != olds.get("version_id")
        return self.driver.update(client, remote, desired, self.value(props), write_value=write)


PROVIDERS: dict[str, DriverProvider] = {
    provider.stem: provider
    for provider in (NodePoolProvider(), FileSystemProvider(), MountTargetProvider(), AccessPointProvider(),
                     SecretProvider())
}
