"""The HCL we ship is as ``terraform fmt`` writes it, and iterates over maps of keys: Terraform
evaluates a resource's ``for_each`` again for every instance it plans (``NodeAbstractResourceInstance.plan``
calls ``evaluateForEachExpression``; hashicorp/terraform#26355), so a ``for_each`` over the data
source's maps of objects, or a for-expression over them, makes a plan's time grow with the square of
the endpoints (about 40 % of Terraform's CPU at 100 endpoints, README "A spec file in one
configuration")."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from .harness import newest_terraform

ROOT = Path(__file__).parents[2]
SCALING = [ROOT / "terraform/modules/endpoints/main.tf", ROOT / "terraform/modules/endpoints-kubernetes/main.tf",
           ROOT / "examples/terraform-many/main.tf"]
FOR_EACH = re.compile(r"^\s*for_each\s*=\s*(.+)$", re.M)


@pytest.mark.parametrize("path", SCALING, ids=lambda p: str(p.relative_to(ROOT)))
def test_for_each_takes_a_map_of_keys_made_once(path: Path) -> None:
    text = path.read_text()
    expressions = FOR_EACH.findall(text)
    assert expressions, f"{path} has no for_each"
    for expression in expressions:
        name = re.fullmatch(r"local\.(\w+_keys)", expression.strip())
        assert name, f"for_each = {expression.strip()}: iterate over a local map of keys (key => key)"
        assert re.search(rf"^\s*{name[1]}\s*=\s*{{\s*for ", text, re.M), f"local.{name[1]} is not a map made once"
    assert "each.value" not in text, "look each object up by each.key in the local that holds them"


@pytest.mark.parametrize("folder", ["terraform", "examples", "tests/examples", "tests/terraform/data"])
def test_the_shipped_hcl_is_formatted(folder: str) -> None:
    result = subprocess.run([newest_terraform(), "fmt", "-check", "-recursive", folder], cwd=ROOT, text=True,
                            capture_output=True, env={**os.environ, "TF_CLI_CONFIG_FILE": os.devnull})
    assert result.returncode == 0, f"not as terraform fmt writes them: {result.stdout}{result.stderr}"


def test_the_kubernetes_module_sorts_its_keys_as_intended(tmp_path: Path) -> None:
    """hashicorp/kubernetes cannot be installed offline: the module's variable and locals run alone
    under real Terraform, with keys as the endpoints module's kubernetes_manifests output gives them."""
    text = (ROOT / "terraform/modules/endpoints-kubernetes/main.tf").read_text()
    variable_and_locals = re.search(r'^variable "manifests" .*?^locals \{.*?^\}\n', text, re.S | re.M)
    assert variable_and_locals
    (tmp_path / "main.tf").write_text(variable_and_locals[0] + 'output "namespaces" { value = local.namespace_keys }\n'
                                      'output "objects" { value = local.object_keys }\n')
    manifests = {"demo/Namespace/endpoints-demo": "{}", "demo/Deployment/demo": "{}", "demo/Job/demo-cache": "{}",
                 "workspace/Namespace/endpoints": "{}"}
    (tmp_path / "terraform.tfvars.json").write_text(json.dumps({"manifests": manifests}))
    env = {**os.environ, "TF_CLI_CONFIG_FILE": os.devnull, "CHECKPOINT_DISABLE": "1"}
    for command in (["init"], ["apply", "-auto-approve"]):
        subprocess.run([newest_terraform(), *command, "-no-color", "-input=false"], cwd=tmp_path, env=env,
                       check=True, capture_output=True)
    outputs = json.loads(subprocess.run([newest_terraform(), "output", "-json"], cwd=tmp_path, env=env, check=True,
                                        capture_output=True, text=True).stdout)
    namespaces = ["demo/Namespace/endpoints-demo", "workspace/Namespace/endpoints"]
    assert outputs["namespaces"]["value"] == {key: key for key in namespaces}
    assert outputs["objects"]["value"] == {key: key for key in manifests if key not in namespaces}
