"""Pulumi type tokens of the component's resources: the component registers them, ``endpoints
review`` recognises them in a preview. No imports: the review must not import pulumi (which
:mod:`pulumi_endpoints.component` does).
"""

PACKAGE = "endpoints"
COMPONENT_PREFIX = f"{PACKAGE}:index:"
DEDICATED_ENDPOINT = f"{COMPONENT_PREFIX}DedicatedEndpoint"
WORKSPACE = f"{COMPONENT_PREFIX}Workspace"

# Cloud children are pulumi.dynamic.Resource subclasses declared with module=DYNAMIC_MODULE and a
# name from DYNAMIC_NAMES; Pulumi types them pulumi-python:dynamic/<module>:<name>.
DYNAMIC_MODULE = PACKAGE
DYNAMIC_NAMES = {"node_pool": "NodePool", "file_system": "FileSystem", "mount_target": "MountTarget",
                 "access_point": "AccessPoint", "secret": "Secret"}


def dynamic_type(kind: str) -> str:
    """E.g. ``pulumi-python:dynamic/endpoints:NodePool`` for ``node_pool``."""
    return f"pulumi-python:dynamic/{DYNAMIC_MODULE}:{DYNAMIC_NAMES[kind]}"
