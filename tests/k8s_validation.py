"""Strict validation of rendered Kubernetes manifests for the tests.

Built-in kinds (``v1``, ``apps/v1``, ``policy/v1``, ``rbac.authorization.k8s.io/v1``, ...) are
checked against the *strict* OpenAPI schemas that ship with the ``kubernetes-validate`` package
(``kubernetes-json-schema/v<K8S>-local-strict``: every object has ``additionalProperties: false``)
for one Kubernetes version, :data:`KUBERNETES_VERSION`.

Custom resources are checked against the official CRD schemas vendored in ``tests/data/crds``
(see its README for attribution). Those schemas do not forbid unknown fields and a real API server
prunes them silently, so every object schema that neither sets ``additionalProperties`` nor
``x-kubernetes-preserve-unknown-fields: true`` is closed here: a misspelled field is an error.
``metadata`` of a custom resource is checked against the strict Kubernetes ``ObjectMeta`` schema.
CEL rules (``x-kubernetes-validations``) are not evaluated.

A kind with no schema is an error, never a silent pass.
"""

from __future__ import annotations

import base64
import binascii
import copy
import functools
import ipaddress
import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
from jsonschema import Draft4Validator, Draft202012Validator, FormatChecker
from kubernetes_validate.utils import all_versions
from packaging.version import Version
from referencing import Registry, Resource

__all__ = [
    "CRD_SCHEMA_DIR",
    "KUBERNETES_VERSION",
    "assert_valid",
    "available_custom_resources",
    "validate_manifest",
    "validate_manifests",
]

#: Kubernetes version whose built-in schemas are used (must be shipped by kubernetes-validate).
KUBERNETES_VERSION = "1.34"

#: Vendored CRD schemas: ``<group>/<Kind>.<version>.schema.json``.
CRD_SCHEMA_DIR = Path(__file__).parent / "data" / "crds"

_DEFS_ID = "https://kubernetes.io/api/_definitions.json"
_OBJECT_META_REF = _DEFS_ID + "#/$defs/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"

_DNS1123_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
_DNS1123_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
_DNS1035_LABEL = re.compile(r"^[a-z]([-a-z0-9]*[a-z0-9])?$")
_QUALIFIED_NAME = re.compile(r"^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")
_LABEL_VALUE = re.compile(r"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_RFC3339 = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$"
)

# Kinds whose names follow other rules than DNS-1123 subdomain (k8s.io/kubernetes validation).
_DNS1035_NAMED = {("", "Service")}
_DNS1123_LABEL_NAMED = {("", "Namespace")}
_PATH_SEGMENT_NAMED_GROUP = "rbac.authorization.k8s.io"


# --------------------------------------------------------------------------- formats

_format_checker = FormatChecker(formats=())


@_format_checker.checks("int32")
def _is_int32(value: object) -> bool:
    return not isinstance(value, int) or isinstance(value, bool) or -(2**31) <= value < 2**31


@_format_checker.checks("int64")
def _is_int64(value: object) -> bool:
    return not isinstance(value, int) or isinstance(value, bool) or -(2**63) <= value < 2**63


@_format_checker.checks("ipv4")
def _is_ipv4(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        ipaddress.IPv4Address(value)
    except ValueError:
        return False
    return True


@_format_checker.checks("ipv6")
def _is_ipv6(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        ipaddress.IPv6Address(value)
    except ValueError:
        return False
    return True


@_format_checker.checks("byte")
def _is_base64(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return False
    return True


@_format_checker.checks("date-time")
def _is_date_time(value: object) -> bool:
    return not isinstance(value, str) or bool(_RFC3339.match(value))


# --------------------------------------------------------------------------- paths


def _json_path(parts: Iterable[str | int]) -> str:
    out = "$"
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _IDENT.match(part):
            out += f".{part}"
        else:
            out += "[" + json.dumps(part) + "]"
    return out


def _error_messages(error: jsonschema.ValidationError, prefix: tuple[str | int, ...] = ()) -> list[str]:
    """One message per problem; unknown fields are named by their own path."""
    parts = prefix + tuple(error.absolute_path)
    if error.validator == "additionalProperties" and error.validator_value is False:
        schema = error.schema if isinstance(error.schema, Mapping) else {}
        declared = schema.get("properties", {})
        patterns = [re.compile(p) for p in schema.get("patternProperties", {})]
        extras = [
            key
            for key in error.instance
            if key not in declared and not any(p.search(key) for p in patterns)
        ]
        if extras:
            return [
                f"{_json_path(parts + (key,))}: unknown field {key!r}"
                + (f" (allowed: {', '.join(sorted(declared))})" if declared else " (no fields allowed here)")
                for key in extras
            ]
    return [f"{_json_path(parts)}: {error.message}"]


def _collect(validator: jsonschema.protocols.Validator, instance: Any,
             prefix: tuple[str | int, ...] = ()) -> list[str]:
    errors = sorted(validator.iter_errors(instance), key=lambda e: [str(p) for p in e.absolute_path])
    return [msg for err in errors for msg in _error_messages(err, prefix)]


# --------------------------------------------------------------------------- built-in kinds


def _split_api_version(api_version: str) -> tuple[str, str]:
    group, _, version = api_version.rpartition("/")
    return group, version


@functools.cache
def _core_schema_dir() -> str:
    """The strict schema directory kubernetes-validate would pick for KUBERNETES_VERSION."""
    wanted = Version(KUBERNETES_VERSION)
    candidates = [
        v for v in all_versions()
        if Version(v).release[:2] <= wanted.release[:2]
    ]
    if not candidates or Version(candidates[-1]).release[:2] != wanted.release[:2]:
        raise RuntimeError(
            f"kubernetes-validate {kubernetes_validate.__version__} ships no schemas for "
            f"Kubernetes {KUBERNETES_VERSION} (has {', '.join(all_versions())})"
        )
    return f"kubernetes-json-schema/v{candidates[-1]}-local-strict"


def _load_package_json(relative: str) -> Any:
    import importlib.resources

    ref = importlib.resources.files("kubernetes_validate").joinpath(f"{_core_schema_dir()}/{relative}")
    try:
        return json.loads(ref.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None


@functools.cache
def _core_registry() -> Registry:
    definitions = _load_package_json("_definitions.json")
    if definitions is None:
        raise RuntimeError(f"kubernetes-validate has no {_core_schema_dir()}/_definitions.json")
    return Resource.from_contents(definitions) @ Registry()


@functools.cache
def _core_validator(api_version: str, kind: str) -> Draft202012Validator | None:
    group, version = _split_api_version(api_version)
    # Same file naming as kubernetes_validate.validate(): group's first label + version.
    short = re.sub(r"^([^./]*)(?:\.[^/]*)?/", r"\1-", api_version)
    schema = _load_package_json(f"{kind.lower()}-{short}.json")
    if schema is None:
        return None
    # The file name drops most of the group: make sure it really is this group/version/kind.
    gvks = schema.get("x-kubernetes-group-version-kind", [])
    if not any(g.get("group", "") == group and g.get("version") == version and g.get("kind") == kind
               for g in gvks):
        return None
    registry = Resource.from_contents(schema) @ _core_registry()
    return Draft202012Validator(schema, registry=registry, format_checker=_format_checker)


@functools.cache
def _object_meta_validator() -> Draft202012Validator:
    return Draft202012Validator({"$ref": _OBJECT_META_REF}, registry=_core_registry(),
                                format_checker=_format_checker)


# --------------------------------------------------------------------------- custom resources


def _crd_schema_path(api_version: str, kind: str) -> Path | None:
    group, version = _split_api_version(api_version)
    if not group or "/" in group or not re.fullmatch(r"[A-Za-z0-9.-]+", group + version + kind):
        return None
    path = CRD_SCHEMA_DIR / group / f"{kind}.{version}.schema.json"
    return path if path.is_file() else None


def available_custom_resources() -> list[tuple[str, str]]:
    """(apiVersion, kind) pairs that have a vendored CRD schema."""
    out = []
    for path in sorted(CRD_SCHEMA_DIR.glob("*/*.schema.json")):
        kind, version = path.name[: -len(".schema.json")].split(".", 1)
        out.append((f"{path.parent.name}/{version}", kind))
    return out


def _strict_structural(node: Any) -> Any:
    """Copy of a structural schema with closed objects, int-or-string and nullable handled.

    Only structural positions (properties, items, additionalProperties) are walked; value
    validations inside anyOf/allOf/oneOf/not are left alone (closing those would change their
    meaning, e.g. under ``not``).
    """
    if not isinstance(node, dict):
        return node
    out = dict(node)
    if out.get("x-kubernetes-int-or-string"):
        out.pop("type", None)
        if "anyOf" not in out:
            out["anyOf"] = [{"type": "integer"}, {"type": "string"}]
    if "properties" in out:
        out["properties"] = {k: _strict_structural(v) for k, v in out["properties"].items()}
    if isinstance(out.get("items"), dict):
        out["items"] = _strict_structural(out["items"])
    if isinstance(out.get("additionalProperties"), dict):
        out["additionalProperties"] = _strict_structural(out["additionalProperties"])
    is_object = out.get("type") == "object" or "properties" in out
    if (
        is_object
        and "additionalProperties" not in out
        and not out.get("x-kubernetes-preserve-unknown-fields")
    ):
        if out.get("x-kubernetes-embedded-resource"):
            # An embedded object always has apiVersion, kind and metadata.
            props = dict(out.get("properties", {}))
            props.setdefault("apiVersion", {"type": "string"})
            props.setdefault("kind", {"type": "string"})
            props.setdefault("metadata", {"type": "object"})
            out["properties"] = props
        # Also closes property-less `type: object` nodes: the API server prunes everything there.
        out["additionalProperties"] = False
    if out.get("nullable") is True:
        if isinstance(out.get("type"), str):
            out["type"] = [out["type"], "null"]
        elif "anyOf" in out:
            out["anyOf"] = [*out["anyOf"], {"type": "null"}]
    return out


@functools.cache
def _crd_validator(path: Path, api_version: str, kind: str) -> Draft4Validator:
    raw = json.loads(path.read_text(encoding="utf-8"))
    schema = _strict_structural(copy.deepcopy(raw))
    props = dict(schema.get("properties", {}))
    props["apiVersion"] = {"type": "string", "enum": [api_version]}
    props["kind"] = {"type": "string", "enum": [kind]}
    # metadata is only `type: object` in a CRD; it is checked against ObjectMeta separately.
    props["metadata"] = {"type": "object"}
    schema["properties"] = props
    schema["additionalProperties"] = False
    Draft4Validator.check_schema(schema)
    return Draft4Validator(schema, format_checker=_format_checker)


# --------------------------------------------------------------------------- metadata


def _check_qualified_key(key: str, path: tuple[str | int, ...], what: str) -> list[str]:
    prefix, sep, name = key.rpartition("/")
    errs = []
    if sep and (not prefix or len(prefix) > 253 or not _DNS1123_SUBDOMAIN.match(prefix)):
        errs.append(f"{_json_path(path)}: {what} key {key!r} has an invalid prefix (must be a DNS-1123 subdomain)")
    if not name or len(name) > 63 or not _QUALIFIED_NAME.match(name):
        errs.append(f"{_json_path(path)}: {what} key {key!r} is not a valid qualified name")
    return errs


def _check_metadata(obj: Mapping[str, Any], group: str, kind: str) -> list[str]:
    meta = obj.get("metadata")
    if not isinstance(meta, Mapping):
        return ["$.metadata: missing or not an object"]
    errs: list[str] = []
    name = meta.get("name")
    if not isinstance(name, str) or not name:
        errs.append("$.metadata.name: missing (a non-empty string is required)")
    elif group == _PATH_SEGMENT_NAMED_GROUP:
        if name in (".", "..") or "/" in name or "%" in name:
            errs.append(f"$.metadata.name: {name!r} is not a valid path segment name")
    elif (group, kind) in _DNS1035_NAMED:
        if len(name) > 63 or not _DNS1035_LABEL.match(name):
            errs.append(f"$.metadata.name: {name!r} is not a DNS-1035 label (≤ 63 chars, [a-z0-9-], starts with a letter)")
    elif (group, kind) in _DNS1123_LABEL_NAMED:
        if len(name) > 63 or not _DNS1123_LABEL.match(name):
            errs.append(f"$.metadata.name: {name!r} is not a DNS-1123 label (≤ 63 chars, [a-z0-9-])")
    elif len(name) > 253 or not _DNS1123_SUBDOMAIN.match(name):
        errs.append(f"$.metadata.name: {name!r} is not a DNS-1123 subdomain (≤ 253 chars, [a-z0-9.-])")
    namespace = meta.get("namespace")
    if namespace is not None and (
        not isinstance(namespace, str) or len(namespace) > 63 or not _DNS1123_LABEL.match(namespace)
    ):
        errs.append(f"$.metadata.namespace: {namespace!r} is not a DNS-1123 label")
    for field in ("labels", "annotations"):
        mapping = meta.get(field)
        if mapping is None:
            continue
        if not isinstance(mapping, Mapping):
            continue  # the ObjectMeta schema reports the type
        for key, value in mapping.items():
            path = ("metadata", field, key) if isinstance(key, str) else ("metadata", field)
            if not isinstance(key, str):
                errs.append(f"{_json_path(path)}: key {key!r} is not a string")
                continue
            errs.extend(_check_qualified_key(key, path, field[:-1]))
            # Value types (string, or null which the API server reads as "") are checked by the
            # ObjectMeta schema; here only the label value syntax.
            if field == "labels" and isinstance(value, str) and (len(value) > 63 or not _LABEL_VALUE.match(value)):
                errs.append(f"{_json_path(path)}: label value {value!r} is invalid (≤ 63 chars, [A-Za-z0-9-_.], alphanumeric at both ends)")
    return errs


# --------------------------------------------------------------------------- public API


def validate_manifest(obj: Mapping[str, Any]) -> list[str]:
    """Validate one manifest; return error messages (each starts with a JSON path), [] if valid."""
    if not isinstance(obj, Mapping):
        return [f"$: manifest must be an object, got {type(obj).__name__}"]
    api_version, kind = obj.get("apiVersion"), obj.get("kind")
    errs = []
    if not isinstance(api_version, str) or not api_version:
        errs.append("$.apiVersion: missing or not a string")
    if not isinstance(kind, str) or not kind:
        errs.append("$.kind: missing or not a string")
    if errs:
        return errs
    group, _ = _split_api_version(api_version)

    crd_path = _crd_schema_path(api_version, kind)
    if crd_path is not None:
        errs.extend(_collect(_crd_validator(crd_path, api_version, kind), obj))
        if isinstance(obj.get("metadata"), Mapping):
            errs.extend(_collect(_object_meta_validator(), obj["metadata"], ("metadata",)))
    else:
        core = _core_validator(api_version, kind)
        if core is None:
            return [
                f"$: no schema for {api_version} {kind} (not a built-in kind of Kubernetes "
                f"{KUBERNETES_VERSION} in kubernetes-validate {kubernetes_validate.__version__}, "
                f"and no CRD schema in {CRD_SCHEMA_DIR})"
            ]
        errs.extend(_collect(core, obj))
    errs.extend(_check_metadata(obj, group, kind))
    return errs


def validate_manifests(objs: Iterable[Mapping[str, Any]]) -> list[str]:
    """Validate several manifests; each message is prefixed with ``Kind/name``."""
    out = []
    for i, obj in enumerate(objs):
        meta = obj.get("metadata") if isinstance(obj, Mapping) else None
        name = meta.get("name") if isinstance(meta, Mapping) else None
        label = f"{obj.get('kind', '?') if isinstance(obj, Mapping) else '?'}/{name or f'#{i}'}"
        out.extend(f"{label}: {msg}" for msg in validate_manifest(obj))
    return out


def assert_valid(obj: Mapping[str, Any] | Iterable[Mapping[str, Any]]) -> None:
    """Raise AssertionError listing every problem of one manifest (or a list of manifests)."""
    errors = validate_manifest(obj) if isinstance(obj, Mapping) else validate_manifests(obj)
    if errors:
        raise AssertionError("invalid Kubernetes manifest:\n  " + "\n  ".join(errors))
