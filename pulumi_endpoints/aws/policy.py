"""Which change to which attribute updates in place, which replaces, which is computed.

The tables come from the declarations in :mod:`.schema`; the drivers' ``diff``, Terraform's
``requires_replace``, Pulumi's ``DiffResult`` and the review all compare through :func:`diff`.
Computed attributes are outputs of the cloud (ids, ARNs, status): never compared.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from .errors import CloudError
from .schema import KINDS, Attribute, Policy


PolicyTable = Mapping[str, Attribute]

# kind → attribute name → its declaration; every field of the model has one, except ``kind`` and
# ``owner`` (``owner`` reaches AWS as the ``endpoint`` tag, so ``tags`` covers it).
POLICIES: dict[str, PolicyTable] = {kind.name: {a.name: a for a in kind.attributes} for kind in KINDS.values()}

# Fields the faces (Terraform attributes, Pulumi properties) name differently: a parent by its id.
FACE_NAMES: dict[str, str] = {a.name: a.face for kind in KINDS.values() for a in kind.attributes if a.face}
_FIELD_NAMES = {face: field for field, face in FACE_NAMES.items()}

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


def diff(kind_or_policy: str | PolicyTable, current: Any, desired: Any, *,
         unknown: Collection[str] = (), skip: Collection[str] = ()) -> Diff:
    """Compare the desired (non-computed) attributes of two objects or mappings, in declaration order.

    An attribute named in ``unknown`` (its new value is known only after apply) counts as changed:
    the one rule for unknown values, shared by Pulumi's diff and the review. ``skip`` names
    attributes the caller compares itself (a secret's value, which only the faces hold)."""
    attributes = table(kind_or_policy)
    changed = [
        name
        for name, attr in attributes.items()
        if attr.policy is not Policy.COMPUTED and name not in skip
        and (name in unknown or _normal(attr, _get(current, name)) != _normal(attr, _get(desired, name)))
    ]
    replaces = [name for name in changed if attributes[name].policy is Policy.REPLACE]
    return Diff(tuple(changed), tuple(replaces))


def _get(obj: Any, name: str) -> Any:
    return obj[name] if isinstance(obj, Mapping) else getattr(obj, name)


def _normal(attr: Attr, value: Any) -> Any:
    if attr.unordered and value is not None:
        return frozenset(value)
    if isinstance(value, Mapping):
        return dict(value)
    return value
