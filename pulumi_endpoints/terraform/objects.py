"""Terraform object types for the blueprint's cloud resources, derived from their dataclass fields.

``tf`` has no object type; :class:`Object` is the wire format's ``["object", {...}]`` (a msgpack
map with every attribute present). :func:`object_type` reads a blueprint dataclass's field hints,
so a field added to the model appears in the data sources without a second declaration.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from collections.abc import Mapping
from typing import Any

from tf import types as T
from tf.types import TfType, Unknown

from ..aws.schema import KINDS
from ..blueprint.model import NodePool


class Object(TfType):
    """An object with fixed attributes; maps to a Python dict."""

    def __init__(self, attributes: Mapping[str, TfType]) -> None:
        self.attributes = dict(attributes)

    def encode(self, value: Any) -> Any:
        if value is None or value is Unknown:
            return value
        return {name: kind.encode(value.get(name)) for name, kind in self.attributes.items()}

    def decode(self, value: Any) -> Any:
        if value is None or value is Unknown:
            return value
        return {name: kind.decode(value.get(name)) for name, kind in self.attributes.items()}

    def tf_type(self) -> bytes:
        fields = {name: json.loads(kind.tf_type()) for name, kind in self.attributes.items()}
        return json.dumps(["object", fields], separators=(",", ":")).encode()


def _of_hint(hint: Any) -> TfType:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        return _of_hint(next(a for a in args if a is not type(None)))
    if dataclasses.is_dataclass(hint):
        return object_type(hint)
    if hint is bool:
        return T.Bool()
    if hint in (int, float):
        return T.Number()
    if origin is tuple or origin is dict:
        element = T.String()  # tuples of ids or taints (as key=value:Effect text), string maps
        return T.List(element) if origin is tuple else T.Map(element)
    return T.String()  # str and Literal[str, ...]


def _fields(model: type[Any]) -> list[str]:
    """What ``expand`` sets: ``kind`` left out (the attribute name says it), as are the values only a
    face sets (a secret's value, its deletion settings: see :mod:`pulumi_endpoints.aws.schema`)."""
    kind = next((k for k in KINDS.values() if k.model is model), None)
    kept = {a.name for a in kind.blueprint_fields} | {"owner"} if kind else None
    return [f.name for f in dataclasses.fields(model) if f.name != "kind" and (kept is None or f.name in kept)]


def object_type(model: type[Any]) -> Object:
    """The object type of a blueprint dataclass."""
    hints = typing.get_type_hints(model)
    return Object({name: _of_hint(hints[name]) for name in _fields(model)})


def plain(resource: Any) -> dict[str, Any]:
    """A blueprint resource as its object type's value: taints as ``key=value:Effect`` text."""
    value = {name: getattr(resource, name) for name in _fields(type(resource))}
    if isinstance(resource, NodePool):
        value["taints"] = [taint.text for taint in resource.taints]
    return {key: list(item) if isinstance(item, tuple) else plain(item) if dataclasses.is_dataclass(item) else item
            for key, item in value.items()}
