"""Stable names for everything ``expand`` creates (one place for name rules)."""

from __future__ import annotations

import hashlib


def bounded(name: str, limit: int) -> str:
    """``name`` cut to ``limit`` characters, with a stable hash suffix when cut."""
    if len(name) <= limit:
        return name
    digest = hashlib.sha256(name.encode()).hexdigest()[:8]
    return f"{name[: limit - 9].rstrip('-')}-{digest}"


def node_pool(workspace: str, endpoint: str) -> str:
    return bounded(f"{workspace}-{endpoint}", 63)


def mount_target(file_system: str, subnet_id: str) -> str:
    return f"{file_system}-{subnet_id}"


def access_point(endpoint: str, index: int) -> str:
    return f"{endpoint}-mount-{index}"


def persistent_volume(workspace: str, namespace: str, endpoint: str, index: int) -> str:
    return bounded(f"{workspace}-{namespace}-{endpoint}-mount-{index}", 253)


def claim(endpoint: str, index: int) -> str:
    return f"{endpoint}-mount-{index}"


def env_secret(endpoint: str) -> str:
    return f"{endpoint}-env"


def token_secret(endpoint: str) -> str:
    return f"{endpoint}-tokens"


def creation_token(workspace: str, file_system: str) -> str:
    return bounded(f"endpoints-{workspace}-{file_system}", 64)
