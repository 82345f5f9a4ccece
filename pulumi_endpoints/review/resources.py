"""One resource's change: what changed, what forces replacement, in reviewers' words.

For the project's cloud resources the policy table decides which attributes count
(computed ones never do) and which force replacement; anything else (Kubernetes
objects, other providers' resources) is compared leaf by leaf.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from ..labels import ENDPOINT_LABEL, TAG_ENDPOINT
from ..aws.policy import POLICIES, diff
from .masking import Masker
from .model import Action, FieldChange, ResourceChange

UNKNOWN = "(known after apply)"
IGNORED_LEAVES = frozenset({"metadata.labels", "metadata.annotations", "spec.template.metadata.labels",
                            "spec.template.metadata.annotations"})
MAX_VALUE = 80  # characters of a value shown (a dashboard's JSON is long)
MAX_LEAVES = 10  # changed leaves listed for a resource outside the policy table


def kind_label(kind: str) -> str:
    """The project's kinds in words (``node pool``); another resource type as it is."""
    return kind.replace("_", " ") if kind in POLICIES else kind


def changed_attributes(kind: str, before: Mapping[str, Any] | None, after: Mapping[str, Any] | None,
                       unknown: frozenset[str] = frozenset()) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(changed, forcing replacement) attribute names (leaf paths outside the policy table),
    compared on the raw (unmasked) values."""
    if before is None or after is None:
        return (), ()
    if kind not in POLICIES:
        return tuple(path for path, _, _ in _leaves(before, after, "")), ()
    table = POLICIES[kind]
    result = diff(kind, _normal(table, before), _normal(table, after), unknown=unknown)
    return result.changed, result.replaces


def make_change(kind: str, name: str, action: Action, before: Mapping[str, Any] | None,
                after: Mapping[str, Any] | None, masker: Masker, *, before_sensitive: Any = None,
                after_sensitive: Any = None, unknown: frozenset[str] = frozenset(),
                owner: str | None = None) -> ResourceChange:
    """A change compared on the raw values, then masked: a secret's new value shows as changed, never as itself."""
    changed, replaces = changed_attributes(kind, before, after, unknown)
    return ResourceChange(kind=kind, name=name, action=action,
                          before=None if before is None else masker.mask(before, before_sensitive),
                          after=None if after is None else masker.mask(after, after_sensitive),
                          owner=owner or owner_of(after) or owner_of(before), unknown=unknown,
                          changed=changed, replaces=replaces)


def field_changes(change: ResourceChange) -> tuple[FieldChange, ...]:
    """Old → new for each changed attribute of an updated or replaced resource."""
    if change.before is None or change.after is None:
        return ()
    if change.kind not in POLICIES:
        return _leaf_changes(change.before, change.after)
    return tuple(FieldChange(POLICIES[change.kind][name].review_label,
                             *_values(change.before.get(name), change.after.get(name),
                                      name in change.unknown))
                 for name in change.changed)


def owner_of(attributes: Mapping[str, Any] | None) -> str | None:
    """The endpoint a resource belongs to: its ``endpoint`` tag or its manifest's endpoint label."""
    if not attributes:
        return None
    for tags in (attributes.get("tags"), attributes.get("tags_all")):
        if isinstance(tags, Mapping) and isinstance(tags.get(TAG_ENDPOINT), str):
            return str(tags[TAG_ENDPOINT])
    for manifest in (attributes, attributes.get("manifest"), attributes.get("object")):
        metadata = manifest.get("metadata") if isinstance(manifest, Mapping) else None
        found = metadata.get("labels", {}).get(ENDPOINT_LABEL) if isinstance(metadata, Mapping) else None
        if isinstance(found, str):
            return found
    return None


def show(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list | tuple):
        return ", ".join(show(item) for item in value) or "(none)"
    if isinstance(value, Mapping):
        return ", ".join(f"{key}={show(item)}" for key, item in sorted(value.items())) or "(none)"
    text = str(value)
    return text if len(text) <= MAX_VALUE else f"{text[:MAX_VALUE - 1]}…"


def _values(before: Any, after: Any, unknown: bool) -> tuple[str, str]:
    if unknown:
        return show(before), UNKNOWN
    if isinstance(before, Mapping) and isinstance(after, Mapping):  # tags, labels: the keys that differ
        keys = sorted(k for k in {*before, *after} if before.get(k) != after.get(k))
        return (show({k: before[k] for k in keys if k in before}), show({k: after[k] for k in keys if k in after}))
    return show(before), show(after)


def _normal(table: Mapping[str, Any], attributes: Mapping[str, Any]) -> dict[str, Any]:
    return {name: _hashable(attributes.get(name)) for name in table}


def _hashable(value: Any) -> Any:
    if isinstance(value, list | tuple):  # items of an unordered attribute go into a set: make them hashable
        return tuple(json.dumps(item, sort_keys=True) if isinstance(item, dict | list) else _hashable(item)
                     for item in value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _leaf_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[FieldChange, ...]:
    """Changed leaves, but labels and annotations: they follow other changes (e.g. the shape label)."""
    changes = [FieldChange(path, show(old), show(new)) for path, old, new in _leaves(before, after, "")]
    if len(changes) > MAX_LEAVES:
        more = len(changes) - MAX_LEAVES
        changes = changes[:MAX_LEAVES] + [FieldChange(f"… and {more} more", "", "")]
    return tuple(changes)


def _leaves(before: Any, after: Any, path: str) -> Iterator[tuple[str, Any, Any]]:
    if path in IGNORED_LEAVES:
        return
    if isinstance(before, Mapping) and isinstance(after, Mapping):
        for key in sorted({*before, *after}, key=str):
            yield from _leaves(before.get(key), after.get(key), f"{path}.{key}" if path else str(key))
    elif isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        for index, (old, new) in enumerate(zip(before, after)):
            yield from _leaves(old, new, f"{path}[{index}]")
    elif before != after:
        yield path, before, after


def action_of(created: bool, deleted: bool, changed: bool) -> Action | None:
    if created and deleted:
        return Action.REPLACE
    if created:
        return Action.CREATE
    if deleted:
        return Action.DELETE
    return Action.UPDATE if changed else None
