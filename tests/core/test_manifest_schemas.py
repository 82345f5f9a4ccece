"""Rendered objects validate: core kinds with kubernetes-validate (strict), custom resources
against the official CRD schemas (strict: unknown fields are errors)."""

from __future__ import annotations

from pathlib import Path

import pytest
from k8s_validation import KUBERNETES_VERSION, validate_manifests

from pulumi_endpoints.blueprint import expand
from pulumi_endpoints.spec import load_file

from .helpers import build

EXAMPLES = sorted((Path(__file__).parents[2] / "examples" / "specs").glob("*.yaml"))
# ReferenceGrant (gateway.networking.k8s.io/v1beta1) has no official schema in the vendored set;
# its shape is asserted field by field in test_mapping.py.
NO_SCHEMA = {"ReferenceGrant"}

FEATURE_SPECS = {
    "everything-on": dict(
        source={"huggingface": {"model": "meta-llama/Meta-Llama-3-8B-Instruct"}}, resource_shape="gpu.a10",
        autoscaling={"qpm": {"min_replicas": 1, "max_replicas": 4, "target_qpm": 300, "methods": ["POST"],
                             "paths": ["/v1/chat/completions"]}},
        env={"LOG_LEVEL": "debug"}, secrets={"HF_TOKEN": "hf-token"}, include_workspace_token=True,
        access={"tokens": ["ci"], "ip_allowlist": ["10.0.0.0/8"]},
        mounts=[{"from": "/models", "path": "/models", "read_only": True}, {"from": "/tmp-share", "path": "/scratch"}],
        shared_memory_size="8Gi", health={"initial_delay_seconds": 1200, "path": "/health"}, require_approval=True,
        visibility="public", owner="alice", routing={"header_based": True}, image_pull_secrets=["regcred"],
        labels={"team": "ml"}),
    "scale-to-zero": dict(autoscaling={"scale_to_zero": {"max_replicas": 2}}),
    "queue": dict(source={"huggingface": {"model": "Qwen/Qwen2.5-7B-Instruct", "engine": "sglang"}},
                  resource_shape="gpu.a10", autoscaling={"queue": {"max_replicas": 4, "target_waiting": 8}},
                  security={"run_as_user": 1000, "read_only_root_filesystem": True}),
    "karpenter": dict(workspace={"name": "prod", "cluster": {"node_role_arn": "arn:aws:iam::123456789012:role/n",
                                                              "subnet_ids": ["subnet-1"], "security_group_ids": ["sg-1"]},
                                 "capacity": {"provisioner": "karpenter", "capacity_types": ["spot", "on_demand"]}},
                      resource_shape="gpu.a10"),
    "gpu-utilization": dict(resource_shape="gpu.8xh100-sxm", shared_memory_size="64Gi",
                            autoscaling={"gpu_utilization": {"min_replicas": 1, "max_replicas": 2}}),
    "fixed-public": dict(autoscaling={"replicas": 3}, access={"public": True}, metrics={"pull": False}),
    "stopped": dict(autoscaling={"replicas": 0}),
}


def _check(manifests) -> None:
    errors = validate_manifests([m for m in manifests if m["kind"] not in NO_SCHEMA])
    assert errors == [], "\n".join(errors)


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_examples_validate(example: Path) -> None:
    _check(expand(load_file(example)).manifests)


@pytest.mark.parametrize("name", FEATURE_SPECS)
def test_feature_combinations_validate(name: str) -> None:
    _check(build(**FEATURE_SPECS[name]).manifests)


def test_every_kind_we_render_is_validated() -> None:
    kinds = {m["kind"] for spec in FEATURE_SPECS.values() for m in build(**spec).manifests}
    assert kinds - NO_SCHEMA == {
        "Namespace", "ServiceAccount", "Deployment", "Service", "NetworkPolicy", "PodDisruptionBudget", "PersistentVolume", "PersistentVolumeClaim", "Role",
        "RoleBinding", "HTTPRoute", "SecurityPolicy", "BackendTrafficPolicy", "ScaledObject",
        "HTTPScaledObject", "ExternalSecret", "PodMonitor", "ConfigMap", "NodePool", "EC2NodeClass"}
    assert KUBERNETES_VERSION.startswith("1.3")


def test_a_misspelled_field_would_be_caught() -> None:
    deployment = next(m for m in build().manifests if m["kind"] == "Deployment")
    broken = {**deployment, "spec": {**deployment["spec"], "replica": 2}}
    assert validate_manifests([broken])
