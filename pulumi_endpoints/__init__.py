"""Declarative GPU inference endpoints for Pulumi, Terraform and CDKTF.

The public API is re-exported here and loaded on first use, so that
``import pulumi_endpoints`` stays cheap (the Terraform provider starts often).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .errors import EndpointsError, Problem, SpecError

_LAZY = {
    "EndpointSpec": ".spec",
    "WorkspaceSpec": ".spec",
    "Document": ".spec",
    "Shape": ".spec",
    "CATALOG": ".spec",
    "load_file": ".spec",
    "parse_document": ".spec",
    "Blueprint": ".blueprint",
    "expand": ".blueprint",
    "DedicatedEndpoint": ".component",
    "Workspace": ".component",
    "Client": ".client",
    "OpenAIClient": ".client",
    "ClientError": ".client",
}

# Spelled out, not built from _LAZY: type checkers read __all__ literally (mypy --strict, pyright).
__all__ = ["CATALOG", "Blueprint", "Client", "ClientError", "DedicatedEndpoint", "Document", "EndpointSpec",
           "EndpointsError", "OpenAIClient", "Problem", "Shape", "SpecError", "Workspace", "WorkspaceSpec", "expand",
           "load_file", "parse_document"]

if TYPE_CHECKING:
    from .blueprint import Blueprint, expand
    from .client import Client, ClientError, OpenAIClient
    from .component import DedicatedEndpoint, Workspace
    from .spec import CATALOG, Document, EndpointSpec, Shape, WorkspaceSpec, load_file, parse_document


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
