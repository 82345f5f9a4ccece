"""Label, annotation and tag keys that every layer agrees on (one place)."""

PREFIX = "endpoints.pulumi-endpoints.dev"

ENDPOINT_LABEL = f"{PREFIX}/endpoint"
WORKSPACE_LABEL = f"{PREFIX}/workspace"
SHAPE_LABEL = f"{PREFIX}/shape"
POOL_LABEL = f"{PREFIX}/node-pool"
VISIBILITY_LABEL = f"{PREFIX}/visibility"
APPROVAL_CONDITION = f"{PREFIX}/approved"
LOGS_ANNOTATION = f"{PREFIX}/collect-logs"
MANAGED_BY = "pulumi-endpoints"
MANAGED_BY_LABEL = "app.kubernetes.io/managed-by"  # its value is MANAGED_BY

GPU_RESOURCE = "nvidia.com/gpu"
CONTAINER_NAME = "main"  # the serving container of every endpoint pod

# Cloud tags (AWS): on every resource the drivers create.
TAG_MANAGED_BY = "managed-by"
TAG_WORKSPACE = "workspace"
TAG_ENDPOINT = "endpoint"
TAG_DELETION_PROTECTION = f"{PREFIX}/deletion-protection"  # on a file system: "true" refuses its deletion
TAG_OWNER = f"{PREFIX}/owner"  # the one resource that manages the object (see aws.ownership)


def cloud_tags(workspace: str, endpoint: str | None, extra: dict[str, str] | None = None) -> dict[str, str]:
    tags = dict(extra or {})
    tags[TAG_MANAGED_BY] = MANAGED_BY
    tags[TAG_WORKSPACE] = workspace
    if endpoint:
        tags[TAG_ENDPOINT] = endpoint
    return dict(sorted(tags.items()))
