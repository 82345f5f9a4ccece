"""Stable names for everything ``expand`` creates (one place for name rules)."""

from __future__ import annotations

import hashlib

# Grafana limits dashboard uids to 40 characters.
DASHBOARD_UID_LIMIT = 40


def bounded(name: str, limit: int) -> str:
    """``name`` cut to ``limit`` characters, with a stable hash suffix when cut."""
    if len(name) <= limit:
        return name
    digest = hashlib.sha256(name.encode()).hexdigest()[:8]
    return f"{name[: limit - 9].rstrip('-')}-{digest}"


def node_pool(workspace: str, endpoint: str) -> str:
    return bounded(f"{workspace}-{endpoint}", 63)


def mount_target(file_system: str, index: int) -> str:
    return f"{file_system}-{index}"


def previous_mount_target(file_system: str, subnet_id: str) -> str:
    """The name of release 0.1 (by subnet id): the faces alias or move what it created."""
    return f"{file_system}-{subnet_id}"


def access_point(endpoint: str, index: int | str) -> str:
    return f"{endpoint}-mount-{index}"


def persistent_volume(workspace: str, namespace: str, endpoint: str, index: int | str) -> str:
    return bounded(f"{workspace}-{namespace}-{endpoint}-mount-{index}", 253)


def claim(endpoint: str, index: int | str) -> str:
    return f"{endpoint}-mount-{index}"


def volume(index: int | str) -> str:
    """The pod volume of mount ``index`` (a position, or a name such as model-cache)."""
    return f"mount-{index}"


def env_secret(endpoint: str) -> str:
    return f"{endpoint}-env"


def token_secret(endpoint: str) -> str:
    return f"{endpoint}-tokens"


def creation_token(workspace: str, file_system: str) -> str:
    return bounded(f"endpoints-{workspace}-{file_system}", 64)


def endpoint_namespace(prefix: str, endpoint: str) -> str:
    return bounded(f"{prefix}-{endpoint}", 63)


def access(endpoint: str) -> str:
    """Who may call the endpoint (SecurityPolicy) and who may see it (Role, RoleBinding)."""
    return f"{endpoint}-access"


def operator(endpoint: str) -> str:
    """Who may change the endpoint: approve replicas, scale or edit its Deployment."""
    return f"{endpoint}-operate"


def routing_policy(endpoint: str) -> str:
    return f"{endpoint}-routing"


def interceptor_grant(workspace: str, namespace: str) -> str:
    return f"endpoints-{workspace}-{namespace}"


def capacity_pool(node_pool: str, capacity_type: str) -> str:
    """A Karpenter NodePool: the endpoint's node pool name and its capacity type (on-demand, spot, reserved).
    Karpenter labels each node ``karpenter.sh/nodepool: <name>`` (kubernetes-sigs/karpenter
    pkg/apis/v1/labels.go, NodePoolLabelKey), and a label value holds at most 63 characters."""
    return bounded(f"{node_pool}-{capacity_type.replace('_', '-')}", 63)


def node_class(workspace: str) -> str:
    return bounded(f"endpoints-{workspace}", 63)


def interceptor_policy(workspace: str) -> str:
    return f"endpoints-{workspace}-interceptor"


def dashboard(endpoint: str) -> str:
    return f"{endpoint}-dashboard"


def dashboard_uid(workspace: str, endpoint: str) -> str:
    return bounded(f"endpoints-{workspace}-{endpoint}", DASHBOARD_UID_LIMIT)


def service_account(endpoint: str) -> str:
    return endpoint


def network_policy(endpoint: str) -> str:
    return f"{endpoint}-ingress"


def model_cache(endpoint: str) -> str:
    """The model cache's NetworkPolicy and its Job's pods' name label."""
    return f"{endpoint}-model-cache"


def model_cache_job(endpoint: str, revision: str) -> str:
    """A Job name (at most 63 characters: it labels its pods) holding the revision's digest."""
    digest = hashlib.sha256(revision.encode()).hexdigest()[:8]
    return f"{bounded(endpoint, 63 - len('-model-cache-') - 8)}-model-cache-{digest}"
