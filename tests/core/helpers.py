"""Small helpers for building specs and finding objects in a blueprint."""

from __future__ import annotations

from typing import Any

from pulumi_endpoints.blueprint import Blueprint, expand
from pulumi_endpoints.spec import parse_document

WORKSPACE = {
    "name": "prod",
    "cluster": {"name": "gpu-prod", "node_role_arn": "arn:aws:iam::123456789012:role/nodes",
                "subnet_ids": ["subnet-0b", "subnet-0a"], "security_group_ids": ["sg-01"]},
    "gateway": {"domain": "prod.example.com"},
}
CONTAINER = {"container": {"image": "python:3.10", "command": ["python3", "-m", "http.server", "8080"]}}


def endpoint(**fields: Any) -> dict[str, Any]:
    return {"name": "demo", "source": CONTAINER, **fields}


def build(workspace: dict[str, Any] | None = None, **fields: Any) -> Blueprint:
    return expand(parse_document({"workspace": workspace or WORKSPACE, **endpoint(**fields)}))


def manifest(blueprint: Blueprint, kind: str, name: str | None = None) -> dict[str, Any]:
    found = manifests(blueprint, kind, name)
    assert len(found) == 1, f"expected one {kind} {name or ''}, found {len(found)}"
    return found[0]


def manifests(blueprint: Blueprint, kind: str, name: str | None = None) -> list[dict[str, Any]]:
    return [m for m in blueprint.manifests
            if m["kind"] == kind and (name is None or m["metadata"]["name"] == name)]


def cloud(blueprint: Blueprint, kind: str) -> list[Any]:
    return [r for r in blueprint.cloud if r.kind == kind]


def container(blueprint: Blueprint) -> dict[str, Any]:
    return pod(blueprint)["containers"][0]


def pod(blueprint: Blueprint) -> dict[str, Any]:
    return manifest(blueprint, "Deployment")["spec"]["template"]["spec"]


def env(blueprint: Blueprint) -> dict[str, Any]:
    return {e["name"]: e.get("value", e.get("valueFrom")) for e in container(blueprint)["env"]}
