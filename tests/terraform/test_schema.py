"""The provider's schema and data sources, called directly (no Terraform binary)."""

from __future__ import annotations

import json

import pytest
from tf.iface import ReadDataContext
from tf.types import Unknown
from tf.utils import Diagnostics

from pulumi_endpoints.aws.policy import POLICIES, Policy, face_name
from pulumi_endpoints.terraform.data_sources import EndpointData, ManifestsData, SpecFileData
from pulumi_endpoints.terraform.provider import EndpointsProvider
from pulumi_endpoints.terraform.resources import RESOURCES

SPEC = {"name": "demo", "source": {"container": {"image": "python:3.10"}}, "resource_shape": "gpu.a10",
        "autoscaling": {"replicas": 2}, "mounts": [{"from": "/models", "path": "/models"}]}


@pytest.mark.parametrize("resource", RESOURCES, ids=[r.kind.name for r in RESOURCES])
def test_lifecycle_flags_come_from_the_policy_table(resource) -> None:
    attributes = {a.name: a for a in resource.get_schema().attributes}
    policy = POLICIES[resource.kind.name]
    for policy_name, rule in policy.items():
        name = face_name(policy_name)
        assert name in attributes, f"{resource.kind.name}.{name} is in the policy table but not in the schema"
        attribute = attributes[name]
        assert bool(attribute.requires_replace) == (rule.policy is Policy.REPLACE), name
        assert bool(attribute.sensitive) == rule.sensitive, name
        if rule.policy is Policy.COMPUTED:
            assert attribute.computed and not attribute.required and not attribute.optional, name


def test_secret_value_is_sensitive_and_only_secret_values_are() -> None:
    sensitive = {(r.kind.name, a.name) for r in RESOURCES for a in r.get_schema().attributes if a.sensitive}
    assert sensitive == {("secret", "value")}


def read(source, **config):
    diags = Diagnostics()
    state = source(EndpointsProvider()).read(ReadDataContext(diags, "x"), config)
    return state, diags


def test_endpoint_data_source_expands_a_spec() -> None:
    state, diags = read(EndpointData, spec=json.dumps(SPEC), workspace='{"name": "prod"}')
    assert not diags.has_errors()
    assert state["url"] == "https://demo.prod.endpoints.internal"
    assert json.loads(state["node_pool"])["instance_types"] == ["g5.2xlarge"]
    kinds = [json.loads(m)["kind"] for m in state["manifests"]]
    assert "Deployment" in kinds and "HTTPRoute" in kinds
    assert state["references"] == ["access_point/demo-mount-0/id", "file_system/shared/id"]
    assert (state["hourly_cost_min"], state["hourly_cost_max"]) == (2.424, 2.424)
    assert state["monthly_cost_max"] == round(2.424 * 720, 2)


def test_a_spec_file_without_manifests_keeps_every_cloud_object() -> None:
    """include_manifests = false: what a cloud-only configuration reads (examples/terraform-many)."""
    content = json.dumps({"workspace": {"name": "prod"}, "endpoints": [SPEC, {**SPEC, "name": "other"}]})
    full, diags = read(SpecFileData, content=content, workspace=None)
    assert not diags.has_errors() and len(full["manifests"]["demo"]) > 10
    lean, diags = read(SpecFileData, content=content, workspace=None, include_manifests=False)
    assert not diags.has_errors()
    assert lean["manifests"] == {"demo": [], "other": []} and lean["workspace_manifests"] == []
    assert {key: lean[key] for key in ("node_pools", "access_points", "file_systems", "secrets", "endpoints")} == {
        key: full[key] for key in ("node_pools", "access_points", "file_systems", "secrets", "endpoints")}
    assert lean["endpoints"]["demo"]["namespace"] == "endpoints-demo" and lean["namespace"] == "endpoints"


def test_yaml_spec_text_is_accepted() -> None:
    state, diags = read(EndpointData, spec="name: demo\nsource: {container: {image: 'python:3.10'}}\n")
    assert not diags.has_errors() and state["name"] == "demo"


def test_invalid_spec_fails_with_the_attribute_and_field_path() -> None:
    bad = {**SPEC, "autoscaling": {"qpm": {"min_replicas": 3, "max_replicas": 2, "target_qpm": 5}}}
    state, diags = read(EndpointData, spec=json.dumps(bad))
    assert state is None and diags.has_errors()
    [diag] = diags.diagnostics
    assert diag.path == ["spec"]
    assert diag.summary == "Invalid spec: spec.autoscaling.qpm.max_replicas: must be at least min_replicas (3)"


def test_invalid_workspace_is_reported_on_workspace() -> None:
    state, diags = read(EndpointData, spec=json.dumps(SPEC), workspace='{"region": "mars"}')
    assert state is None and [d.path for d in diags.diagnostics] == [["workspace"]]
    assert "workspace.region" in diags.diagnostics[0].summary


def test_manifests_data_source_fills_references_or_names_the_missing_ones() -> None:
    expanded, _ = read(EndpointData, spec=json.dumps(SPEC))
    state, diags = read(ManifestsData, manifests=expanded["manifests"], references={"file_system/shared/id": "fs-1"})
    assert state is None and "access_point/demo-mount-0/id" in diags.diagnostics[0].detail
    refs = {"file_system/shared/id": "fs-1", "access_point/demo-mount-0/id": "fsap-2"}
    state, diags = read(ManifestsData, manifests=expanded["manifests"], references=refs)
    volume = next(json.loads(m) for m in state["resolved"] if json.loads(m)["kind"] == "PersistentVolume")
    assert volume["spec"]["csi"]["volumeHandle"] == "fs-1::fsap-2"


def test_provider_start_up_imports_neither_pydantic_nor_boto3() -> None:
    import subprocess
    import sys

    code = ("import sys, pulumi_endpoints.terraform.__main__; "
            "print(sorted(m for m in ('pydantic', 'boto3', 'botocore', 'yaml') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_a_new_default_tag_plans_an_update() -> None:
    from tf.iface import PlanContext

    from pulumi_endpoints.aws.config import AwsConfig
    from pulumi_endpoints.terraform.resources import SecretResource

    provider = EndpointsProvider()
    provider.config = AwsConfig(default_tags={"team": "ml", "cost-center": "42"})
    prior = {"name": None, "secret_id": "s", "tags": {"workspace": "w"}, "tags_all": {"workspace": "w", "team": "ml"},
             "version_id": "v1"}
    planned = SecretResource(provider).plan(PlanContext(Diagnostics(), "endpoints_secret", set()), prior, dict(prior))
    assert planned["tags_all"] == {"team": "ml", "cost-center": "42", "workspace": "w"}
    assert planned["version_id"] is Unknown  # unknown until applied

    unchanged = {**prior, "tags_all": {"team": "ml", "cost-center": "42", "workspace": "w"}}
    planned = SecretResource(provider).plan(PlanContext(Diagnostics(), "endpoints_secret", set()), unchanged,
                                            dict(unchanged))
    assert planned == unchanged
