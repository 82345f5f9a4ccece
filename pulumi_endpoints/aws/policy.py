"""Which change to which attribute updates in place, which replaces, which is computed.

One table per cloud resource kind, declared once; the drivers' ``diff``, Terraform's
``requires_replace`` and Pulumi's ``DiffResult.replaces`` are all fed from it.
Every field of the blueprint's resource dataclasses has an entry, except ``kind``
and ``owner`` (``owner`` reaches AWS as the ``endpoint`` tag, so ``tags`` covers it).
Computed attributes are outputs of the cloud (ids, ARNs, status): never compared.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from .errors import CloudError


class Policy(StrEnum):
    IN_PLACE = "in_place"
    REPLACE = "replace"
    COMPUTED = "computed"


@dataclass(frozen=True)
class Attr:
    policy: Policy
    unordered: bool = False  # a collection whose order carries no meaning: compared as a set
    sensitive: bool = False  # Terraform ``sensitive`` / Pulumi secret


IN_PLACE = Attr(Policy.IN_PLACE)
REPLACE = Attr(Policy.REPLACE)
COMPUTED = Attr(Policy.COMPUTED)
REPLACE_SET = Attr(Policy.REPLACE, unordered=True)
IN_PLACE_SET = Attr(Policy.IN_PLACE, unordered=True)

PolicyTable = Mapping[str, Attr]

POLICIES: dict[str, PolicyTable] = {
    "node_pool": {
        "name": REPLACE,
        "cluster_name": REPLACE,
        "node_role_arn": REPLACE,
        "subnet_ids": REPLACE_SET,
        "instance_types": REPLACE_SET,
        "ami_type": REPLACE,
        "capacity_type": REPLACE,
        "disk_size": REPLACE,
        "min_size": IN_PLACE,
        "max_size": IN_PLACE,
        # Set at create, then owned by the cluster autoscaler (scale to/from zero):
        # comparing it would undo every scaling decision. Updates clamp it into [min, max].
        "desired_size": COMPUTED,
        "labels": IN_PLACE,
        "taints": IN_PLACE_SET,
        "tags": IN_PLACE,
        "arn": COMPUTED,
        "status": COMPUTED,
    },
    "file_system": {
        "name": IN_PLACE,  # the Name tag; identity is the creation token
        "creation_token": REPLACE,
        "performance_mode": REPLACE,
        "encrypted": REPLACE,
        "throughput_mode": IN_PLACE,
        "provisioned_throughput_mibps": IN_PLACE,
        "transition_to_ia": IN_PLACE,
        "deletion_protection": IN_PLACE,
        "tags": IN_PLACE,
        "file_system_id": COMPUTED,
        "arn": COMPUTED,
        "status": COMPUTED,
    },
    "mount_target": {
        "name": IN_PLACE,  # logical only: mount targets carry no name or tags in AWS
        "file_system": REPLACE,
        "subnet_id": REPLACE,
        "security_group_ids": IN_PLACE_SET,
        "mount_target_id": COMPUTED,
        "ip_address": COMPUTED,
        "status": COMPUTED,
    },
    "access_point": {
        "name": REPLACE,  # identity: the ClientToken derives from it
        "file_system": REPLACE,
        "path": REPLACE,
        "uid": REPLACE,
        "gid": REPLACE,
        "permissions": REPLACE,
        "tags": IN_PLACE,
        "access_point_id": COMPUTED,
        "arn": COMPUTED,
        "status": COMPUTED,
    },
    "secret": {
        "name": IN_PLACE,  # logical only: ``secret_id`` is the name in Secrets Manager
        "secret_id": REPLACE,
        "description": IN_PLACE,
        "tags": IN_PLACE,
        "value": Attr(Policy.IN_PLACE, sensitive=True),  # a new version
        "arn": COMPUTED,
        "version_id": COMPUTED,
    },
}


# The fields AWS knows each resource by. A replacement that keeps them would collide with the
# old resource, so it must delete first. (Pulumi creates the replacement first unless told to delete
# first; Terraform deletes first unless create_before_destroy is set.)
IDENTITY: dict[str, tuple[str, ...]] = {
    "node_pool": ("cluster_name", "name"),
    "file_system": ("creation_token",),
    "mount_target": ("file_system", "subnet_id"),
    "access_point": ("file_system", "name"),
    "secret": ("secret_id",),
}

# Fields the faces (Terraform attributes, Pulumi properties) name differently: a parent by its id.
FACE_NAMES: dict[str, str] = {"file_system": "file_system_id"}
_FIELD_NAMES = {face: field for field, face in FACE_NAMES.items()}

# The kinds that sit on a file system: their driver calls take the file system's id too.
ON_FILE_SYSTEM = frozenset(kind for kind, attrs in POLICIES.items() if "file_system" in attrs)

# A driver's problem path: ``<kind>[<name>].<field>…``, or a bare ``<field>…``.
_PROBLEM_FIELD = re.compile(r"(?:\w+\[[^\]]*\](?:\.|$))?(\w*)")


def face_name(field: str) -> str:
    return FACE_NAMES.get(field, field)


def field_name(face: str) -> str:
    """The field a face's attribute or property stands for: the inverse of :func:`face_name`."""
    return _FIELD_NAMES.get(face, face)


def face_attribute(path: str) -> str:
    """The face's attribute a driver's problem is about, "" for none.

    ``node_pool[p].tags['aws:my.tag']`` → ``tags``; ``mount_target[m].file_system`` → ``file_system_id``.
    """
    match = _PROBLEM_FIELD.match(path)
    field = match.group(1) if match else ""
    return face_name(field) if field else ""


@dataclass(frozen=True)
class Diff:
    changed: tuple[str, ...] = ()
    replaces: tuple[str, ...] = ()  # the subset of ``changed`` that forces replacement

    @property
    def empty(self) -> bool:
        return not self.changed

    @property
    def needs_replace(self) -> bool:
        return bool(self.replaces)

    def require_in_place(self, resource: str) -> None:
        """Raise CloudError if a change can only be made by replacing ``resource`` (an update cannot)."""
        if self.needs_replace:
            raise CloudError(resource, "ReplacementRequired",
                             f"{', '.join(self.replaces)} can only change by replacement",
                             hint="plan again: the engine replaces the resource for this change")


def table(kind_or_policy: str | PolicyTable) -> PolicyTable:
    return POLICIES[kind_or_policy] if isinstance(kind_or_policy, str) else kind_or_policy


def fields_with(kind_or_policy: str | PolicyTable, policy: Policy) -> tuple[str, ...]:
    """E.g. ``fields_with("node_pool", Policy.REPLACE)`` for Terraform's ``requires_replace``."""
    return tuple(name for name, attr in table(kind_or_policy).items() if attr.policy is policy)


def diff(kind_or_policy: str | PolicyTable, current: Any, desired: Any) -> Diff:
    """Compare the desired (non-computed) attributes of two objects or mappings."""
    changed = [
        name
        for name, attr in table(kind_or_policy).items()
        if attr.policy is not Policy.COMPUTED
        and _normal(attr, _get(current, name)) != _normal(attr, _get(desired, name))
    ]
    replaces = [name for name in changed if table(kind_or_policy)[name].policy is Policy.REPLACE]
    return Diff(tuple(changed), tuple(replaces))


def _get(obj: Any, name: str) -> Any:
    return obj[name] if isinstance(obj, Mapping) else getattr(obj, name)


def _normal(attr: Attr, value: Any) -> Any:
    if attr.unordered and value is not None:
        return frozenset(value)
    if isinstance(value, Mapping):
        return dict(value)
    return value
