"""Loading specs from YAML, JSON and Python data, with field paths in every error.

A document holds an optional ``workspace`` and either ``endpoints: [...]`` or
one endpoint's keys at the top level.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from ..collector import collector_paused
from ..errors import Problem, SpecError
from .endpoint import EndpointSpec
from .inputs import NEEDS_PLAIN_VALUE, input_ref, input_slot
from .workspace import WorkspaceSpec

MAX_FILE_BYTES = 1024 * 1024
MAX_ENDPOINTS = 1000
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Document:
    workspace: WorkspaceSpec
    endpoints: tuple[EndpointSpec, ...]
    single: bool = False

    def path_of(self, index: int) -> str:
        """Where endpoint ``index`` sits in the document, as a path prefix."""
        return endpoint_path(None if self.single else index)


def endpoint_loc(index: int | None) -> tuple[int | str, ...]:
    """Where an endpoint sits in a document: ``endpoints[index]``, or the top level when ``index`` is None."""
    return () if index is None else ("endpoints", index)


def endpoint_path(index: int | None) -> str:
    return format_loc(endpoint_loc(index))


def field_path(prefix: str, field: str) -> str:
    """The path of ``field`` under ``prefix``; the top level when ``prefix`` is empty."""
    return f"{prefix}.{field}" if prefix else field


def format_loc(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        if part == "[key]":
            continue
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path = field_path(path, part)
    return path


def _problem(error: ErrorDetails, prefix: tuple[int | str, ...]) -> Problem:
    message = error["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")
    if error["type"] == "extra_forbidden":
        message = "unknown field"
    elif error["type"] == "missing":
        message = "required field is missing"
    return Problem(format_loc(prefix + tuple(error["loc"])), message)


def problems_of(error: ValidationError, prefix: tuple[int | str, ...] = ()) -> list[Problem]:
    return [_problem(e, prefix) for e in error.errors(include_url=False)]


def texts(data: Any, loc: tuple[int | str, ...] = ()) -> Iterator[tuple[tuple[int | str, ...], str]]:
    """Every string in plain data (mapping keys included), with where it stands."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from texts(key, loc + (key,))
            yield from texts(value, loc + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from texts(value, loc + (index,))
    elif isinstance(data, str):
        yield loc, data


def _unencodable(data: Any, loc: tuple[int | str, ...] = ()) -> list[Problem]:
    """Text with a lone surrogate (JSON allows "\\ud800"): no YAML, JSON or HCL output can hold it."""
    try:  # the common case, in C: a lone surrogate is the one thing UTF-8 cannot encode
        json.dumps(data, ensure_ascii=False, skipkeys=True, default=str).encode()
        return []
    except ValueError:  # UnicodeEncodeError, or an int of more than 4,300 digits: the walk reads text only
        pass
    return [Problem(format_loc(where), "text with a lone surrogate (an unpaired \\ud800-\\udfff escape)")
            for where, text in texts(data, loc) if _SURROGATE.search(text)]


_SURROGATE = re.compile("[\ud800-\udfff]")


def validate_model(model: type[M], data: Any, prefix: tuple[int | str, ...] = ()) -> M:
    """``model.model_validate`` that raises :class:`SpecError` with field paths."""
    problems = _unencodable(data, prefix)
    if problems:
        raise SpecError(problems)
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise SpecError(problems_of(error, prefix)) from None


def validate_with_inputs(model: type[M], data: Any, deferred: Callable[[Any], bool],
                         prefix: tuple[int | str, ...] = ()) -> tuple[M, dict[str, Any]]:
    """:func:`validate_model` for data that may hold values known only at deployment (``deferred``
    tells them: a Pulumi Output, a CDKTF token). Each travels as its placeholder
    (:mod:`.inputs`); returned are the model and those values by their placeholders' slots.
    A field whose checks a placeholder cannot pass says that it needs a plain value."""
    values: dict[str, Any] = {}
    where: set[str] = set()

    def take(item: Any, loc: tuple[int | str, ...]) -> Any:
        if isinstance(item, Mapping):
            return {key: take(value, loc + (key,)) for key, value in item.items()}
        if isinstance(item, (list, tuple)):
            return [take(value, loc + (index,)) for index, value in enumerate(item)]
        if not deferred(item):
            return item
        values[input_slot(loc)] = item
        where.add(format_loc(loc))
        return input_ref(loc)

    taken = take(data, prefix)
    try:
        return validate_model(model, taken, prefix), values
    except SpecError as error:
        problems = [p for p in error.problems if p.path not in where]
        problems += [Problem(path, NEEDS_PLAIN_VALUE) for path in sorted(where & set(error.paths))]
        raise SpecError(problems, source=error.source) from None


@collector_paused()
def parse_document(data: Any) -> Document:
    if not isinstance(data, dict):
        raise SpecError([Problem("", f"expected a mapping of fields, got {type(data).__name__}")])
    problems: list[Problem] = _unencodable(data)
    if problems:
        raise SpecError(problems)
    workspace = WorkspaceSpec()
    try:
        workspace = WorkspaceSpec.model_validate(data.get("workspace") or {})
    except ValidationError as error:
        problems += problems_of(error, ("workspace",))

    single = "endpoints" not in data
    if single:
        raw_endpoints: Any = [{k: v for k, v in data.items() if k != "workspace"}]
    else:
        raw_endpoints = data["endpoints"]
        extra = sorted(set(data) - {"workspace", "endpoints"})
        problems += [Problem(key, "unknown field (endpoint fields go under endpoints[])") for key in extra]
        if not isinstance(raw_endpoints, list) or not raw_endpoints:
            problems.append(Problem("endpoints", "expected a non-empty list of endpoints"))
            raw_endpoints = []
        elif len(raw_endpoints) > MAX_ENDPOINTS:
            problems.append(Problem("endpoints", f"at most {MAX_ENDPOINTS} endpoints per document"))
            raw_endpoints = []

    endpoints: list[EndpointSpec] = []
    for index, raw in enumerate(raw_endpoints):
        try:
            endpoints.append(EndpointSpec.model_validate(raw))
        except ValidationError as error:
            problems += problems_of(error, endpoint_loc(None if single else index))
    if problems:
        raise SpecError(problems)

    return Document(workspace, tuple(endpoints), single)


def parse_spec_file(content: str, workspace: str | None = None) -> Document:
    """A spec file's text (YAML or JSON), with ``workspace`` (JSON or YAML text) merged over its
    ``workspace:`` section mapping by mapping: what the Terraform face takes. A problem with
    ``workspace`` itself raises :class:`WorkspaceOverridesError`."""
    overrides = None
    if workspace:
        try:
            overrides = parse_text(workspace)
        except SpecError as error:
            raise WorkspaceOverridesError(error.problems) from None
        if not isinstance(overrides, dict):
            raise WorkspaceOverridesError([Problem("", f"expected a mapping of fields, got "
                                                       f"{type(overrides).__name__}")])
    data = parse_text(content)
    if overrides and isinstance(data, dict):
        data = {**data, "workspace": _merged(data.get("workspace") or {}, overrides)}
    return parse_document(data)


class WorkspaceOverridesError(SpecError):
    """The workspace fields given beside a spec file are not a mapping of fields."""


def _merged(base: Any, overrides: Any) -> Any:
    """``overrides`` over ``base``, mapping by mapping (lists and values replace)."""
    if isinstance(base, dict) and isinstance(overrides, dict):
        return {**base, **{key: _merged(base.get(key), value) for key, value in overrides.items()}}
    return overrides


class _StrictLoader(yaml.SafeLoader):
    """Safe YAML without aliases (no 'billion laughs') and without duplicate keys."""

    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.MarkedYAMLError(None, None, "anchors and aliases are not supported",
                                       event.start_mark)
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):  # type: ignore[no-untyped-def]
        keys = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, (list, dict)) or key in keys:
                raise yaml.constructor.ConstructorError(None, None, f"duplicate or invalid key {key!r}",
                                                        key_node.start_mark)
            keys.add(key)
        return super().construct_mapping(node, deep)


def _no_binary(loader: yaml.SafeLoader, node: yaml.Node) -> None:
    raise yaml.constructor.ConstructorError(None, None, "binary values (!!binary) are not supported", node.start_mark)


_StrictLoader.add_constructor("tag:yaml.org,2002:binary", _no_binary)


def parse_text(text: str, *, json_format: bool = False) -> Any:
    """YAML or JSON text. Text that looks like JSON (Terraform's ``jsonencode``) is read as JSON
    first: PyYAML's pure-Python parser takes about a hundred times as long, and other YAML falls back."""
    if not text.strip():
        raise SpecError([Problem("", "the file is empty")])
    as_json = json_format or text.lstrip().startswith(("{", "["))
    try:
        if as_json:
            try:
                return json.loads(text, object_pairs_hook=_unique_keys)
            except json.JSONDecodeError:
                if json_format:
                    raise
                as_json = False
        return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except RecursionError:
        raise SpecError([Problem("", "nested too deeply")]) from None
    except (yaml.YAMLError, ValueError) as error:
        # ValueError: JSON's decode errors, a duplicate key, and what the parsers' own constructors
        # raise: a number of more than 4,300 digits (Python's limit), a date such as 2020-13-45.
        raise SpecError([Problem("", f"not valid {'JSON' if as_json else 'YAML'}: {_reason(error)}"
                                     f"{_where(error)}")]) from None


def _reason(error: Exception) -> str:
    return str(error).strip().splitlines()[0].split("; use sys.set_int_max_str_digits")[0]


class _DuplicateKey(ValueError):
    pass


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object, refusing a key given twice (as the YAML loader does; JSON keeps the last)."""
    seen: set[str] = set()
    for key, _ in pairs:
        if key in seen:
            raise _DuplicateKey(f"duplicate key {key!r}")
        seen.add(key)
    return dict(pairs)


def _where(error: Exception) -> str:
    mark = getattr(error, "problem_mark", None)
    if mark is not None:
        return f" (line {mark.line + 1}, column {mark.column + 1})"
    if isinstance(error, json.JSONDecodeError):
        return f" (line {error.lineno}, column {error.colno})"
    return ""


def load_file(path: str | Path) -> Document:
    """Load a YAML or JSON spec file; errors name the file and the field path."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise SpecError([Problem("", f"larger than {MAX_FILE_BYTES // 1024} KiB")], source=str(path))
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SpecError([Problem("", "no such file")], source=str(path)) from None
    except (IsADirectoryError, PermissionError, UnicodeDecodeError) as error:
        raise SpecError([Problem("", f"cannot read: {error.__class__.__name__}")], source=str(path)) from None
    try:
        return parse_document(parse_text(text, json_format=path.suffix == ".json"))
    except SpecError as error:
        raise error.with_source(str(path)) from None
