"""Endpoint facts on one side of a change, from ``expand`` (never re-derived here)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..blueprint import Blueprint, expand
from ..spec import EndpointSpec, WorkspaceSpec
from ..spec.document import parse_spec_file, parse_text, validate_with_inputs
from .model import EndpointView

WAKE_ON_REQUEST = "HTTPScaledObject"  # KEDA HTTP add-on: holds the first request while a replica starts


def views(blueprint: Blueprint, specs: Iterable[EndpointSpec]) -> dict[str, EndpointView]:
    by_name = {spec.name: spec for spec in specs}
    result = {}
    for summary in blueprint.endpoints:
        spec = by_name[summary.name]
        tokens = () if spec.access.public else tuple(sorted({summary.token_secret or "", *spec.access.tokens} - {""}))
        wakes = any(m.get("kind") == WAKE_ON_REQUEST for m in blueprint.manifests_of(summary.name))
        writes = tuple(other for writer, other in blueprint.shared_writes if writer == summary.name)
        reads = tuple(sorted({item["remoteRef"]["key"] for m in blueprint.manifests_of(summary.name)
                              if m.get("kind") == "ExternalSecret" for item in m["spec"]["data"]}))
        result[summary.name] = EndpointView(summary=summary, public=spec.access.public, tokens=tokens,
                                            autoscaling=spec.autoscaling.mode, scale_from_zero=wakes,
                                            writes_into=writes, reads=reads)
    return result


def spec_views(spec: Any, workspace: Any, unknown: str | None = None) -> dict[str, EndpointView]:
    """Views of one endpoint given as the Terraform data source or the Pulumi component takes it:
    its spec and workspace as mappings or as JSON/YAML text. ``unknown``: how the plan spells a
    value known only after apply (Pulumi's sentinel); such a value stands where the spec accepts
    one (an image, an env value, a cluster reference), as in the program."""
    def deferred(value: Any) -> bool:
        return unknown is not None and value == unknown

    endpoint, unknowns = validate_with_inputs(EndpointSpec, _data(spec), deferred)
    settings, unknown_settings = validate_with_inputs(WorkspaceSpec, _data(workspace or {}), deferred, ("workspace",))
    return views(expand(endpoint, settings, inputs={*unknowns, *unknown_settings}), [endpoint])


def spec_file_views(content: str, workspace: str | None) -> dict[str, EndpointView]:
    """Views of every endpoint of a spec file, as the Terraform spec-file data source takes it."""
    document = parse_spec_file(content, workspace)
    return views(expand(document), document.endpoints)


def _data(value: Any) -> Any:
    return parse_text(value) if isinstance(value, str) else value
