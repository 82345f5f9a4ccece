"""The `endpoints` command as a user runs it: exit codes, one clear line per problem, no traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml
from cli_runner import run_cli

ROOT = Path(__file__).parents[2]
EXAMPLES = sorted((ROOT / "examples" / "specs").glob("*.yaml"))


def run_installed(*args: str) -> subprocess.CompletedProcess[str]:
    """The installed ``endpoints`` script in a new process (the other tests call it in this one)."""
    endpoints = Path(sys.executable).with_name("endpoints")
    command = [str(endpoints)] if endpoints.exists() else [sys.executable, "-m", "pulumi_endpoints.cli"]
    return subprocess.run([*command, *args], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "PYTHONWARNINGS": "error"})


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_validate_examples() -> None:
    result = run_installed("validate", *map(str, EXAMPLES))
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("ok: ") == len(EXAMPLES)


@pytest.mark.parametrize(("text", "expected"), [
    ("name: demo\nsource: {container: {image: 'x:1'}}\nautoscaling: {qpm: {max_replicas: 0, target_qpm: 5}}\n",
     "autoscaling.qpm.max_replicas: Input should be greater than or equal to 1"),
    ("endpoints:\n  - name: demo\n    source: {container: {image: 'x:1'}}\n    env: {LEPTON_PHOTON_ID: x}\n",
     "endpoints[0].env.LEPTON_PHOTON_ID: 'LEPTON_PHOTON_ID' is reserved"),
    ("", "the file is empty"),
    ("name: [unclosed\n", "not valid YAML"),
    ("a: &a [1, 2]\nb: [*a, *a]\n", "anchors and aliases are not supported"),
    ("name: a\nname: b\nsource: {container: {image: 'x:1'}}\n", "duplicate or invalid key 'name'"),
    # JSON (what Terraform's jsonencode gives) is read by the JSON parser, as strict about keys
    ('{"name": "a", "name": "b", "source": {"container": {"image": "x:1"}}}', "not valid JSON: duplicate key 'name'"),
    # what the parsers' constructors raise as ValueError (found by tests/reliability/mutator.py's text cases)
    (f"name: demo\nautoscaling: {{replicas: {'9' * 5000}}}\n", "not valid YAML: Exceeds the limit (4300 digits)"),
    (f'{{"name": "demo", "autoscaling": {{"replicas": {"9" * 5000}}}}}', "not valid JSON: Exceeds the limit (4300"),
    ("name: demo\ncreated: 2020-13-45\n", "not valid YAML: month must be in 1..12"),
    ("- just\n- a list\n", "expected a mapping of fields, got list"),
])
def test_invalid_file_gets_one_clear_message_and_exit_1(tmp_path: Path, text: str, expected: str) -> None:
    path = write(tmp_path, "spec.yaml", text)
    result = run_cli("validate", str(path))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(f"error: {path}: ")
    assert expected in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_yaml_that_starts_like_json_still_reads_as_yaml(tmp_path: Path) -> None:
    path = write(tmp_path, "spec.yaml", "{name: demo, source: {container: {image: 'x:1'}}}\n")
    assert run_cli("validate", str(path)).returncode == 0


def test_missing_file(tmp_path: Path) -> None:
    result = run_cli("validate", str(tmp_path / "nope.yaml"))
    assert (result.returncode, result.stderr.strip()) == (1, f"error: {tmp_path / 'nope.yaml'}: no such file")


def test_json_spec(tmp_path: Path) -> None:
    path = write(tmp_path, "spec.json", json.dumps({"name": "demo", "source": {"container": {"image": "x:1"}}}))
    assert run_cli("validate", str(path)).returncode == 0
    broken = write(tmp_path, "broken.json", '{"name": "demo",')
    result = run_cli("validate", str(broken))
    assert result.returncode == 1 and "not valid JSON" in result.stderr and "line 1" in result.stderr


def test_several_problems_are_one_line_each(tmp_path: Path) -> None:
    path = write(tmp_path, "spec.yaml", "name: Demo\nsource: {}\nresource_shape: gpu.a10\n")
    result = run_cli("validate", str(path))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"error: {path}: name: String should match pattern")
    assert lines[1].startswith(f"error: {path}: source: set exactly one of")


def test_warnings_are_printed_but_pass(tmp_path: Path) -> None:
    path = write(tmp_path, "spec.yaml", "name: demo\nsource: {container: {image: python}}\n")
    result = run_cli("validate", str(path))
    assert result.returncode == 0
    assert "warning: source: image python is not pinned" in result.stderr


def test_render_writes_cloud_manifests_and_summary(tmp_path: Path) -> None:
    result = run_cli("render", str(ROOT / "examples/specs/llama3-8b.yaml"), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    manifests = list(yaml.safe_load_all((tmp_path / "out" / "manifests.yaml").read_text()))
    assert "Deployment" in {m["kind"] for m in manifests}
    cloud = list(yaml.safe_load_all((tmp_path / "out" / "cloud.yaml").read_text()))
    assert {r["kind"] for r in cloud} == {"file_system", "mount_target", "secret", "node_pool", "access_point"}
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert summary["endpoints"][0]["url"] == "https://llama3-8b.prod.example.com"


def test_render_json_and_several_files(tmp_path: Path) -> None:
    result = run_cli("render", *map(str, EXAMPLES), "--out", str(tmp_path), "--format", "json")
    assert result.returncode == 0, result.stderr
    for example in EXAMPLES:
        assert json.loads((tmp_path / example.stem / "manifests.json").read_text())


def test_render_refuses_invalid_input_and_writes_nothing(tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.yaml", "name: demo\nsource: {}\n")
    result = run_cli("render", str(EXAMPLES[0]), str(bad), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert not (tmp_path / "out").exists()


def test_render_refuses_two_files_of_one_name_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "other").mkdir()
    twin = write(tmp_path / "other", EXAMPLES[0].name, EXAMPLES[0].read_text())
    result = run_cli("render", str(EXAMPLES[1]), str(EXAMPLES[0]), str(twin), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert f"two files are named {EXAMPLES[0].stem}" in result.stderr
    assert not (tmp_path / "out").exists()


def test_schema_accepts_the_examples_and_rejects_bad_specs() -> None:
    result = run_cli("schema")
    assert result.returncode == 0
    schema = json.loads(result.stdout)
    validator = jsonschema.Draft202012Validator(schema)
    for example in EXAMPLES:
        assert not list(validator.iter_errors(yaml.safe_load(example.read_text()))), example
    assert list(validator.iter_errors({"name": "demo", "source": {}, "replica": 2}))
    mount = schema["$defs"]["Mount"]["properties"]
    assert "from" in mount and "from_" not in mount


def test_shapes_table_lists_every_shape_with_a_price() -> None:
    from pulumi_endpoints.spec.shapes import CATALOG

    result = run_cli("shapes")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    for name, shape in CATALOG.items():
        line = next(line for line in lines if line.startswith(name + " "))
        assert shape.instance_type in line and f"{shape.hourly_usd_per_replica:.4f}" in line


def test_no_command_prints_usage_and_exits_1() -> None:
    result = run_cli()
    assert result.returncode == 1 and "usage: endpoints" in result.stderr
