"""Who may see and change which endpoint, evaluated on the rendered Roles and RoleBindings.

Lepton's model is the target: seeing an endpoint (its Deployment, pods, logs, events) follows its
visibility (owner and admins; every member too when public); changing it (approving replicas,
editing the Deployment) is for its owner and admins; nobody reads another endpoint's secrets.

There is no API server here, so :func:`allowed` evaluates RBAC as Kubernetes does (kubernetes/
kubernetes ``pkg/apis/rbac/v1/evaluation_helpers.go``: ``VerbMatches``, ``APIGroupMatches``,
``ResourceMatches`` with ``resource/subresource`` and ``*/subresource``, ``ResourceNameMatches``;
``plugin/pkg/auth/authorizer/rbac/rbac.go``: a RoleBinding grants its Role only in its own
namespace). No ClusterRole is rendered, so none is evaluated.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from pulumi_endpoints.blueprint import expand
from pulumi_endpoints.spec import parse_document

from .helpers import WORKSPACE

CONTAINER = {"container": {"image": "python:3.12", "command": ["python3", "-m", "http.server", "8080"]}}
ADMINS, MEMBERS = "endpoints:admins", "endpoints:members"


@dataclass(frozen=True)
class User:
    name: str
    groups: tuple[str, ...]


ALICE = User("alice", (MEMBERS,))  # owns endpoint a
BOB = User("bob", (MEMBERS,))  # owns endpoint b
CAROL = User("carol", (MEMBERS,))  # a member who owns nothing
ADMIN = User("dana", (ADMINS, MEMBERS))


def _matches(values: list[str], wanted: str) -> bool:
    return "*" in values or wanted in values


def _resource_matches(resources: list[str], resource: str, subresource: str) -> bool:
    combined = f"{resource}/{subresource}" if subresource else resource
    return any(r == "*" or r == combined or (subresource and r == f"*/{subresource}") for r in resources)


def _rule_allows(rule: dict[str, Any], verb: str, group: str, resource: str, subresource: str, name: str) -> bool:
    names = rule.get("resourceNames", [])
    return (_matches(rule["verbs"], verb) and _matches(rule["apiGroups"], group)
            and _resource_matches(rule["resources"], resource, subresource)
            and (not names or name in names))


def _binds(binding: dict[str, Any], user: User) -> bool:
    return any((s["kind"] == "User" and s["name"] == user.name) or (s["kind"] == "Group" and s["name"] in user.groups)
               for s in binding["subjects"])


def allowed(manifests: list[dict[str, Any]], user: User, verb: str, namespace: str, resource: str,
            name: str = "", *, group: str = "", subresource: str = "") -> bool:
    roles = {(m["metadata"]["namespace"], m["metadata"]["name"]): m for m in manifests if m["kind"] == "Role"}
    for binding in (m for m in manifests if m["kind"] == "RoleBinding"):
        if binding["metadata"]["namespace"] != namespace or not _binds(binding, user):
            continue
        role = roles.get((namespace, binding["roleRef"]["name"]))
        if role and any(_rule_allows(r, verb, group, resource, subresource, name) for r in role["rules"]):
            return True
    return False


def _workspace(visibility_of_b: str, isolation: str = "namespace") -> tuple[list[dict[str, Any]], dict[str, str]]:
    document = parse_document({"workspace": {**WORKSPACE, "isolation": isolation}, "endpoints": [
        {"name": "a", "source": CONTAINER, "owner": "alice", "env": {"A": "1"}, "secrets": {"KEY": "a-key"}},
        {"name": "b", "source": CONTAINER, "owner": "bob", "visibility": visibility_of_b,
         "secrets": {"KEY": "b-key"}},
    ]})
    blueprint = expand(document)
    return list(blueprint.manifests), {e.name: e.namespace for e in blueprint.endpoints}


def _sees(manifests: list[dict[str, Any]], user: User, namespace: str, endpoint: str) -> dict[str, bool]:
    return {
        "list pods": allowed(manifests, user, "list", namespace, "pods"),
        "read logs": allowed(manifests, user, "get", namespace, "pods", f"{endpoint}-6c9f-x1", subresource="log"),
        "list events": allowed(manifests, user, "list", namespace, "events"),
        "get deployment": allowed(manifests, user, "get", namespace, "deployments", endpoint, group="apps"),
    }


def _changes(manifests: list[dict[str, Any]], user: User, namespace: str, endpoint: str) -> dict[str, bool]:
    return {
        "approve replica": allowed(manifests, user, "patch", namespace, "pods", f"{endpoint}-6c9f-x1",
                                   subresource="status"),
        "patch deployment": allowed(manifests, user, "patch", namespace, "deployments", endpoint, group="apps"),
    }


def _all(value: bool, facts: dict[str, bool]) -> dict[str, bool]:
    return dict.fromkeys(facts, value)


@pytest.mark.parametrize("visibility", ["private", "public"])
def test_the_owner_of_a_sees_a_public_b_only_and_never_changes_it(visibility: str) -> None:
    manifests, namespaces = _workspace(visibility)
    sees = _sees(manifests, ALICE, namespaces["b"], "b")
    assert sees == _all(visibility == "public", sees)
    changes = _changes(manifests, ALICE, namespaces["b"], "b")
    assert changes == _all(False, changes)


@pytest.mark.parametrize("visibility", ["private", "public"])
def test_a_member_sees_a_public_endpoint_and_changes_none(visibility: str) -> None:
    manifests, namespaces = _workspace(visibility)
    assert _sees(manifests, CAROL, namespaces["b"], "b") == _all(visibility == "public", _sees(
        manifests, CAROL, namespaces["b"], "b"))
    for endpoint in ("a", "b"):
        changes = _changes(manifests, CAROL, namespaces[endpoint], endpoint)
        assert changes == _all(False, changes)


@pytest.mark.parametrize("visibility", ["private", "public"])
def test_owners_and_admins_see_and_change_their_endpoint(visibility: str) -> None:
    manifests, namespaces = _workspace(visibility)
    for user in (BOB, ADMIN):
        facts = {**_sees(manifests, user, namespaces["b"], "b"), **_changes(manifests, user, namespaces["b"], "b")}
        assert facts == _all(True, facts), user


def test_no_role_reads_secrets_and_no_endpoint_can_mount_another_ones() -> None:
    manifests, namespaces = _workspace("public")
    for user in (ALICE, BOB, CAROL, ADMIN):
        for endpoint, namespace in namespaces.items():
            for verb in ("get", "list", "watch"):
                assert not allowed(manifests, user, verb, namespace, "secrets", f"{endpoint}-env"), (user, endpoint)
            assert not allowed(manifests, user, "create", namespace, "pods"), (user, endpoint)
            assert not allowed(manifests, user, "create", namespace, "pods", subresource="exec")
    # A pod can only reference Secrets of its own namespace, and each endpoint's holds its own only.
    for synced in (m for m in manifests if m["kind"] == "ExternalSecret"):
        endpoint = synced["metadata"]["labels"]["endpoints.pulumi-endpoints.dev/endpoint"]
        assert synced["metadata"]["namespace"] == namespaces[endpoint]
        assert synced["spec"]["target"]["name"].startswith(f"{endpoint}-")


def test_each_endpoint_has_its_own_namespace_at_pod_security_baseline() -> None:
    manifests, namespaces = _workspace("private")
    assert namespaces == {"a": "endpoints-a", "b": "endpoints-b"}
    created = {m["metadata"]["name"]: m["metadata"]["labels"] for m in manifests if m["kind"] == "Namespace"}
    assert set(created) == set(namespaces.values())
    assert all(labels["pod-security.kubernetes.io/enforce"] == "baseline"
               and labels["endpoints.pulumi-endpoints.dev/workspace"] == "prod" for labels in created.values())
    placed = {m["metadata"].get("namespace") for m in manifests  # not the workspace's policy in keda
              if m["kind"] not in ("Namespace", "PersistentVolume", "ReferenceGrant")
              and m["metadata"].get("namespace") != "keda"}
    assert placed == {"endpoints-a", "endpoints-b"}


def test_a_shared_namespace_keeps_the_documented_gap() -> None:
    """isolation: shared (the 0.1 layout) cannot scope pod reads to one endpoint: the README says so."""
    manifests, namespaces = _workspace("private", isolation="shared")
    assert namespaces == {"a": "endpoints", "b": "endpoints"}
    assert _sees(manifests, ALICE, "endpoints", "b")["read logs"]
    assert not _changes(manifests, ALICE, "endpoints", "b")["patch deployment"]
    assert not any(m["kind"] == "Namespace" for m in manifests)
