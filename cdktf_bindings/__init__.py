"""CDKTF constructs for dedicated endpoints, on cdktf 0.21 or cdktn 0.24.

``DedicatedEndpoint`` expands an endpoint spec at synth time into the endpoints provider's
resources and ``kubernetes_manifest`` resources; the typed resource and data source constructs
are generated from the provider's schema (:mod:`cdktf_bindings.provider`).
"""

from ._cdk import cdk
from .endpoint import DedicatedEndpoint, Workspace
from .kubernetes import KubernetesManifest, KubernetesProvider
from .provider import (AccessPoint, DataEndpointsEndpoint, DataEndpointsManifests, EndpointsProvider, FileSystem,
                       MountTarget, NodePool, Secret)

__all__ = ["AccessPoint", "DataEndpointsEndpoint", "DataEndpointsManifests", "DedicatedEndpoint", "EndpointsProvider",
           "FileSystem", "KubernetesManifest", "KubernetesProvider", "MountTarget", "NodePool", "Secret", "Workspace",
           "cdk"]
