"""``data.endpoints_addons`` with the real Terraform (the newest at hand), as terraform/modules/addons
reads it. The module's helm_release and kubernetes_manifest resources need the hashicorp/helm and
hashicorp/kubernetes providers, which cannot be installed offline here: they are not run."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from pulumi_endpoints.addons import ADDONS

from .harness import make_terraform, newest_terraform

pytestmark = pytest.mark.e2e
MODULE = Path(__file__).parents[2] / "terraform" / "modules" / "addons" / "main.tf"
WORKSPACE = {"name": "team", "region": "eu-west-1", "cluster": {"name": "gpu-team"},
             "gateway": {"domain": "team.example.com"}}


def root(workdir: Path, install: list[str], roles: dict[str, str]) -> None:
    workdir.mkdir(exist_ok=True)
    (workdir / "main.tf").write_text(f"""
terraform {{
  required_providers {{
    endpoints = {{ source = "pulumi-endpoints/endpoints" }}
  }}
}}
provider "endpoints" {{}}
data "endpoints_addons" "this" {{
  workspace = {json.dumps(json.dumps(WORKSPACE))}
  install   = {json.dumps(install)}
  roles     = jsondecode({json.dumps(json.dumps(roles))})
}}
output "releases" {{ value = data.endpoints_addons.this.releases }}
output "manifests" {{ value = data.endpoints_addons.this.manifests }}
""")


def test_the_module_reads_what_the_data_source_gives(tmp_path: Path, mirror: Path, moto_url: str) -> None:
    install = ["keda", "keda-http", "envoy-gateway", "external-secrets", "cluster-autoscaler"]
    root(tmp_path, install, {"external-secrets": "arn:aws:iam::123456789012:role/eso"})
    tf = make_terraform(newest_terraform(), tmp_path, mirror, moto_url)
    tf.run("init", "-input=false")
    tf.apply()
    outputs = json.loads(tf.run("output", "-json").stdout)
    releases = outputs["releases"]["value"]
    assert set(releases) == set(install)
    assert releases["keda"] == {"repository": "https://kedacore.github.io/charts", "chart": "keda",
                                "version": ADDONS["keda"].chart.version, "namespace": "keda", "values": "{}"}
    assert releases["envoy-gateway"]["repository"] == "oci://docker.io/envoyproxy"
    assert json.loads(releases["cluster-autoscaler"]["values"]) == {
        "autoDiscovery": {"clusterName": "gpu-team"}, "awsRegion": "eu-west-1"}
    assert json.loads(releases["external-secrets"]["values"])["serviceAccount"]["annotations"] == {
        "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/eso"}
    manifests = outputs["manifests"]["value"]
    assert set(manifests) == {"envoy-gateway/Namespace/gateway", "envoy-gateway/GatewayClass/endpoints",
                              "envoy-gateway/Gateway/endpoints",
                              "external-secrets/ClusterSecretStore/aws-secrets-manager"}
    # the module uses exactly these attributes of a release
    used = set(re.findall(r"each\.value\.(\w+)", MODULE.read_text()))
    assert used == {"repository", "chart", "version", "namespace", "values"}


def test_an_unknown_add_on_fails_the_plan_naming_it(tmp_path: Path, mirror: Path, moto_url: str) -> None:
    root(tmp_path, ["keda", "nginx"], {})
    tf = make_terraform(newest_terraform(), tmp_path, mirror, moto_url)
    tf.run("init", "-input=false")
    result = tf.run("plan", "-input=false", ok=False)
    assert result.returncode == 1
    assert "Invalid install: unknown add-on 'nginx'" in result.stderr
