"""Dynamic providers over the AWS drivers: one class per cloud resource, one shared lifecycle.

The engine pickles a provider (dill, by reference) into each resource's state, so
these classes hold no state and live in an importable module. Everything a call
needs arrives in its properties: the resource spec (the blueprint's fields), the
AWS settings (``aws``: region, profile, endpoint_url, default_tags; never
credentials) and, for secrets, the value. The lifecycle, and which change updates in
place and which replaces, are the shared ones of :mod:`pulumi_endpoints.aws.lifecycle`.
"""

from __future__ import annotations

from collections.abc import Mapping
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

from ..aws.config import AwsConfig
from ..aws.lifecycle import LIFECYCLES, Lifecycle
from ..aws.ownership import Claim
from ..aws.policy import face_attribute
from ..aws.schema import ACCESS_POINT, FILE_SYSTEM, MOUNT_TARGET, NODE_POOL, SECRET, Kind, face_values
from ..blueprint.model import CloudResource
from ..errors import SpecError

Props = dict[str, Any]
AWS = "aws"  # the property holding the AWS settings
VALUE = "value"  # a secret's value (a Pulumi secret)
OWNER = "owner_tag"  # who the resource is (pulumi:<project>/<stack>/<kind>/<name>): the owner tag its object carries


PLACE = ("region", "endpoint_url")  # the AWS settings that say where an object is


def _settings(props: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in (props.get(AWS) or {}).items() if value}


def aws_config(props: Mapping[str, Any]) -> AwsConfig:
    settings = props.get(AWS) or {}
    return AwsConfig(region=settings.get("region"), profile=settings.get("profile"),
                     endpoint_url=settings.get("endpoint_url"), assume_role_arn=settings.get("assume_role_arn"),
                     default_tags=dict(settings.get("default_tags") or {}))


def to_props(spec: CloudResource) -> Props:
    """Properties of a blueprint resource: its fields by face name (lists for tuples, taints as dicts)
    and its owner; a secret's value is added by the caller, as a Pulumi secret."""
    return {**face_values(spec, text_taints=False), "owner": spec.owner}


def _unknown(value: Any) -> bool:
    if isinstance(value, Mapping):
        return any(_unknown(v) for v in value.values())
    if isinstance(value, list):
        return any(_unknown(v) for v in value)
    return value is rpc.UNKNOWN or value == rpc.UNKNOWN


class DriverProvider(ResourceProvider):
    """create/read/update/delete/diff of one cloud resource kind, over the shared lifecycle."""

    kind: ClassVar[Kind]

    @property
    def lifecycle(self) -> Lifecycle:
        return LIFECYCLES[self.kind.name]

    def outputs(self, remote: Any, props: Mapping[str, Any]) -> Props:
        """What AWS has, as properties: the spec read back (tags with the defaults) and computed outputs.
        A secret's value is kept while AWS holds it; a value changed outside Pulumi is dropped, so the
        next diff writes the configured one again."""
        values = self.lifecycle.values(remote, props, text_taints=False)
        pulumi_values = {a.face_name: values[a.face_name] for a in self.kind.attributes if not a.terraform_only}
        return {**pulumi_values, "owner": remote.spec.owner, AWS: props.get(AWS), OWNER: props.get(OWNER)}

    # -- lifecycle ----------------------------------------------------------------------

    def check(self, _olds: Props, news: Props) -> CheckResult:
        """The driver's validation, at preview time already (skipped while inputs are unknown)."""
        if _unknown(news):
            return CheckResult(news, [])
        try:
            self.lifecycle.validate(news, aws_config(news))
        except SpecError as error:
            return CheckResult(news, [CheckFailure(face_attribute(p.path), p.message) for p in error.problems])
        return CheckResult(news, [])

    def diff(self, _id: str, olds: Props, news: Props) -> DiffResult:
        """Changed fields per the policy table; unknown inputs (preview) count as changed. A new region
        or endpoint URL is another place: the object there replaces this one (created first, as
        nothing collides across places); a new profile, role or default tags only change how it is reached."""
        unknown = [name for name, value in news.items() if _unknown(value)]
        found = self.lifecycle.diff(olds, news, aws_config(news), unknown)
        replaces = [self.kind[name].face_name for name in found.replaces]
        keeps_identity = not any(name in found.replaces for name in self.kind.identity)
        aws_changed = _settings(olds) != _settings(news)
        moved = any(_settings(olds).get(key) != _settings(news).get(key) for key in PLACE)
        return DiffResult(changes=not found.empty or aws_changed, replaces=[*replaces, *([AWS] if moved else [])],
                          delete_before_replace=found.needs_replace and keeps_identity and not moved)

    def create(self, props: Props) -> CreateResult:
        """Create the object; one already there is adopted only when it carries this resource's owner
        tag (an earlier create of this same resource), else refused (see :mod:`..aws.ownership`)."""
        remote = self.lifecycle.create(aws_config(props), props, Claim(props[OWNER]))
        return CreateResult(self.lifecycle.id_of(remote), self.outputs(remote, props))

    def read(self, id_: str, props: Props) -> ReadResult:
        """Refresh: what AWS has now (drift shows in the next diff); no id when it is gone."""
        remote = self.lifecycle.read(aws_config(props), props)
        if remote is None:
            return ReadResult(None, {})
        return ReadResult(self.lifecycle.id_of(remote), self.outputs(remote, props))

    def update(self, _id: str, olds: Props, news: Props) -> UpdateResult:
        remote = self.lifecycle.update(aws_config(news), olds, news)
        if remote is None:
            raise RuntimeError(f"{self.kind.name} {olds.get('name')!r} no longer exists: run pulumi refresh, then "
                               "pulumi up to create it again")
        return UpdateResult(self.outputs(remote, news))

    def delete(self, _id: str, props: Props) -> None:
        self.lifecycle.delete(aws_config(props), props)


# One class per kind: the engine keeps each resource's provider by its class's name.
class NodePoolProvider(DriverProvider):
    kind = NODE_POOL


class FileSystemProvider(DriverProvider):
    kind = FILE_SYSTEM


class MountTargetProvider(DriverProvider):
    kind = MOUNT_TARGET


class AccessPointProvider(DriverProvider):
    kind = ACCESS_POINT


class SecretProvider(DriverProvider):
    """The value stays a Pulumi secret; drift in it shows through version ids (never read back)."""

    kind = SECRET


PROVIDERS: dict[str, DriverProvider] = {
    provider.kind.name: provider
    for provider in (NodePoolProvider(), FileSystemProvider(), MountTargetProvider(), AccessPointProvider(),
                     SecretProvider())
}
