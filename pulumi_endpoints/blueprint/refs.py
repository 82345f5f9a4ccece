"""References from manifests to cloud ids that exist only after the cloud part is applied.

``expand`` is pure, so a manifest that needs an EFS id holds a placeholder such
as ``{{ref:file_system/shared/id}}``; faces fill them with :func:`resolve`. Only the
project writes placeholders: user text that holds one is refused (:func:`planted`), or a
spec could have a face copy any secret's value into a plain manifest. A face's placeholders of
deployment-time values (``{{ref:input/…}}``, :mod:`pulumi_endpoints.spec.inputs`) travel the same way.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any

from pydantic import BaseModel

from ..spec.document import texts
from ..spec.inputs import PLACEHOLDER_START, accepts_input, input_ref, input_slot
_REF = re.compile(re.escape(PLACEHOLDER_START) + r"([a-z_]+)/([^/{}]+)/([a-z_]+)\}\}")
Ref = tuple[str, str, str]  # (kind, name, attribute)


def ref(kind: str, name: str, attribute: str = "id") -> str:
    return f"{PLACEHOLDER_START}{ref_key((kind, name, attribute))}}}}}"


def ref_key(parts: tuple[str, ...]) -> str:
    """``kind/name/attribute``: a reference as the placeholder and the Terraform data sources spell it."""
    return "/".join(parts)


def parse_ref_key(key: str) -> tuple[str, ...]:
    """The parts of a ``kind/name/attribute`` key, as given (a malformed key simply matches no reference)."""
    return tuple(key.split("/"))


def references(obj: Any) -> set[Ref]:
    """Every (kind, name, attribute) a manifest refers to (in mapping keys too)."""
    if isinstance(obj, dict):
        return set().union(*(references(k) | references(v) for k, v in obj.items())) if obj else set()
    if isinstance(obj, list):
        return set().union(*(references(v) for v in obj)) if obj else set()
    if isinstance(obj, str):
        return {m.groups() for m in _REF.finditer(obj)}  # type: ignore[misc]
    return set()


def resolve(obj: Any, values: dict[Ref, str]) -> Any:
    """A copy of ``obj`` with placeholders replaced; a missing value raises KeyError."""
    if isinstance(obj, dict):
        return {resolve(k, values): resolve(v, values) for k, v in obj.items()}
    if isinstance(obj, list):
        return [resolve(v, values) for v in obj]
    if isinstance(obj, str):
        return _REF.sub(lambda m: values[m.groups()], obj)  # type: ignore[index]
    return obj


def planted(model: BaseModel, inputs: Collection[str] = (),
            prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str | int, ...], str]]:
    """Where a spec (its fields by alias, under ``prefix``) holds text that looks like a placeholder,
    other than the placeholders a face put in place of its ``inputs`` (their slots), each at its own
    field, where a field accepts one: a placeholder typed by a user is refused. Its JSON is searched first:
    none of the placeholder's characters is ever escaped there, and most specs hold none, so the
    slow walk over every field runs only for those that do."""
    if PLACEHOLDER_START not in model.model_dump_json(by_alias=True).lower():
        return []
    return [(prefix + where, text) for where, text in texts(model.model_dump(by_alias=True))
            if PLACEHOLDER_START in text.lower() and not _face_input(text, prefix + where, inputs)]


def _face_input(text: str, where: tuple[str | int, ...], inputs: Collection[str]) -> bool:
    return input_slot(where) in inputs and text == input_ref(where) and accepts_input(where)
