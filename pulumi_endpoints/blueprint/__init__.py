"""The expansion of endpoint specs into cloud resources and Kubernetes manifests."""

from .expand import expand
from .model import (AccessPoint, Blueprint, CloudResource, EndpointSummary, FileSystem, Finding, Manifest,
                    MountTarget, NodePool, SecretEntry, Taint)

__all__ = ["AccessPoint", "Blueprint", "CloudResource", "EndpointSummary", "FileSystem", "Finding",
           "Manifest", "MountTarget", "NodePool", "SecretEntry", "Taint", "expand"]
