"""The expansion of endpoint specs into cloud resources and Kubernetes manifests.

The resource model is light and imported eagerly; ``expand`` (which needs the
pydantic spec) loads on first use, so the Terraform provider starts fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .model import (AccessPoint, Blueprint, CloudResource, EndpointSummary, FileSystem, Finding, Manifest,
                    MountTarget, NodePool, SecretEntry, Taint)

if TYPE_CHECKING:
    from .expansion import expand

__all__ = ["AccessPoint", "Blueprint", "CloudResource", "EndpointSummary", "FileSystem", "Finding",
           "Manifest", "MountTarget", "NodePool", "SecretEntry", "Taint", "expand"]


def __getattr__(name: str) -> Any:
    if name == "expand":
        from .expansion import expand

        return expand
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
