"""A workspace upgraded with ``isolation: shared`` keeps its endpoints where release 0.1 put them.

``data/previous-release/*.manifests.yaml`` are the manifests the previous release (commit d5f7ce6)
rendered for three examples. With ``isolation: shared`` every one of those objects is rendered again
in the same namespace under the same name — so Terraform and Pulumi update in place, nothing is
replaced — and only the RBAC changed (changing an endpoint is now for its owner and admins only).
New: the endpoint's second Role and binding, and for scale-to-zero endpoints the workspace's
NetworkPolicy on the KEDA interceptor.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from pulumi_endpoints.blueprint import expand
from pulumi_endpoints.spec import parse_document

ROOT = Path(__file__).parents[2]
PREVIOUS = Path(__file__).parent / "data" / "previous-release"
RBAC = {"Role", "RoleBinding"}


def _key(manifest: dict[str, Any]) -> tuple[str, str, str]:
    meta = manifest["metadata"]
    return manifest["kind"], meta.get("namespace", ""), meta["name"]


def _render(example: str, isolation: str) -> dict[tuple[str, str, str], dict[str, Any]]:
    spec = yaml.safe_load((ROOT / "examples" / "specs" / f"{example}.yaml").read_text())
    spec.setdefault("workspace", {})["isolation"] = isolation
    return {_key(m): m for m in expand(parse_document(spec)).manifests}


@pytest.mark.parametrize("example", ["llama3-8b", "stable-diffusion-farm", "sglang-qwen"])
def test_shared_isolation_renders_the_previous_release_objects_unchanged(example: str) -> None:
    previous = {_key(m): m for m in yaml.safe_load_all((PREVIOUS / f"{example}.manifests.yaml").read_text())}
    now = _render(example, "shared")
    assert set(previous) <= set(now)
    added = {key for key in now if key not in previous}
    assert {kind for kind, _, _ in added} <= RBAC | {"NetworkPolicy"}
    assert {(ns, name) for kind, ns, name in added if kind == "NetworkPolicy"} <= {("keda", "endpoints-default-interceptor")}
    changed = [key for key in previous if previous[key] != now[key]]
    assert {kind for kind, _, _ in changed} <= {"Role"}


def test_the_default_moves_every_namespaced_object_into_the_endpoints_namespace() -> None:
    previous = {_key(m) for m in yaml.safe_load_all((PREVIOUS / "llama3-8b.manifests.yaml").read_text())}
    now = _render("llama3-8b", "namespace")
    moved = {(kind, name) for kind, ns, name in previous if ns == "endpoints"}
    assert moved and moved <= {(kind, name) for kind, ns, name in now if ns == "endpoints-llama3-8b"}
