"""docs/ is generated from the code (pydantic models, the provider's tf schemas) and kept current."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from pulumi_endpoints import docs
from pulumi_endpoints.spec import EndpointSpec, WorkspaceSpec
from pulumi_endpoints.terraform.provider import EndpointsProvider

DOCS = Path(__file__).parents[2] / "docs"


def test_docs_folder_is_up_to_date() -> None:
    assert docs.stale(DOCS) == [], "docs/ is out of date: run python -m pulumi_endpoints.docs"


def test_spec_reference_lists_every_field_with_type_default_and_description() -> None:
    text = docs.spec_reference()
    for model in (EndpointSpec, WorkspaceSpec):
        for name, info in model.model_fields.items():
            assert f"| `{info.alias or name}` |" in text, name
    assert "| `resource_shape` | string | `\"cpu.small\"` | min length 1, max length 64 |" in text
    assert "| `autoscaling` | [Autoscaling](#autoscaling) | `{\"scale_to_zero\": {}}` |" in text
    assert "| `from` | string | **required** |" in text  # aliases, as written in YAML
    assert "| `no_traffic_timeout` | integer | `3600` | ≥ 60, ≤ 604800 | Seconds without traffic" in text
    assert "## Nim" in text and "## Template" in text  # nested models are reached


def test_terraform_reference_lists_every_attribute_with_its_lifecycle() -> None:
    text = docs.terraform_reference()
    provider = EndpointsProvider()
    for resource in provider.get_resources():
        assert f"## resource `endpoints_{resource.get_name()}`" in text
        for attribute in resource.get_schema().attributes:
            assert f"| `{attribute.name}` |" in text
    for source in provider.get_data_sources():
        assert f"## data source `endpoints_{source.get_name()}`" in text
    assert "| `instance_types` | set(string) | required | forces replacement | EC2 instance types. |" in text
    assert "| `max_size` | number | required | in place |" in text
    assert "| `value` | string | required | in place, sensitive |" in text


def test_check_flag_reports_stale_files(tmp_path: Path) -> None:
    run = [sys.executable, "-m", "pulumi_endpoints.docs", "--out", str(tmp_path)]
    stale = subprocess.run([*run, "--check"], capture_output=True, text=True)
    assert stale.returncode == 1 and "spec.md is out of date" in stale.stderr
    subprocess.run(run, check=True, capture_output=True)
    assert subprocess.run([*run, "--check"], capture_output=True).returncode == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(docs.FILES)
