"""Pulumi type tokens of the component's resources: the component registers them, ``endpoints
review`` recognises them in a preview. Nothing here imports pulumi: the review must not (which
:mod:`pulumi_endpoints.component` does).
"""

from .aws.schema import KINDS

PACKAGE = "endpoints"
COMPONENT_PREFIX = f"{PACKAGE}:index:"
DEDICATED_ENDPOINT = f"{COMPONENT_PREFIX}DedicatedEndpoint"
WORKSPACE = f"{COMPONENT_PREFIX}Workspace"

# Cloud children are pulumi.dynamic.Resource subclasses declared with module=DYNAMIC_MODULE and a
# name from DYNAMIC_NAMES; Pulumi types them pulumi-python:dynamic/<module>:<name>.
DYNAMIC_MODULE = PACKAGE
DYNAMIC_NAMES = {kind.name: kind.pulumi_name for kind in KINDS.values()}


def dynamic_type(kind: str) -> str:
    """E.g. ``pulumi-python:dynamic/endpoints:NodePool`` for ``node_pool``."""
    return f"pulumi-python:dynamic/{DYNAMIC_MODULE}:{DYNAMIC_NAMES[kind]}"
