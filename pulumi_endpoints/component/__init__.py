"""The Pulumi face: ``DedicatedEndpoint`` and ``Workspace`` components.

Cloud children are dynamic resources over the AWS drivers (:mod:`.providers`),
Kubernetes children ``pulumi_kubernetes`` resources built from the blueprint's
manifests. Importing this package imports pulumi; ``import pulumi_endpoints``
does not.
"""

from .addons import AddOns
from .endpoint import Cost, DedicatedEndpoint, DedicatedEndpointArgs
from .workspace import Workspace, WorkspaceArgs

__all__ = ["AddOns", "Cost", "DedicatedEndpoint", "DedicatedEndpointArgs", "Workspace", "WorkspaceArgs"]
