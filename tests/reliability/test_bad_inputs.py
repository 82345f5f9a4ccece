"""A bad-input corpus: YAML spec files through ``endpoints validate``, HCL attributes through the
``endpoints_endpoint`` data source, Python arguments through EndpointSpec, the Pulumi component under
mocks and the CDKTF construct. Each is rejected with a clear message and the field path, without a
traceback, and nothing is created.

The field cases of tests/core/test_invalid_specs.py are reused (each through every face); the raw
text cases (empty files, YAML bombs, bad encodings, huge values, unicode) are here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from core.helpers import CONTAINER
from core.test_invalid_specs import CASES as FIELD_CASES
from tf.iface import ReadDataContext
from tf.utils import Diagnostics

from pulumi_endpoints import EndpointSpec, SpecError
from pulumi_endpoints.cli import main
from pulumi_endpoints.terraform.data_sources import EndpointData, SpecFileData
from pulumi_endpoints.terraform.provider import EndpointsProvider

OK = {"name": "demo", "source": CONTAINER}
DEEP = 20_000  # nesting deeper than Python's recursion limit

# --- field cases, as a single endpoint (top-level paths) or a workspace ---------------------


def _single(data: dict[str, Any], path: str) -> tuple[dict[str, Any], dict[str, Any] | None, str] | None:
    """(endpoint, workspace, path) of a field case that fits one endpoint and its workspace."""
    endpoints = data.get("endpoints")
    if set(data) - {"endpoints", "workspace"} or not isinstance(endpoints, list) or len(endpoints) != 1:
        return None
    if path.startswith("endpoints[0]."):
        return endpoints[0], data.get("workspace"), path.removeprefix("endpoints[0].")
    if path.startswith("workspace.") and endpoints[0] == OK:
        return endpoints[0], data["workspace"], path
    return None


SINGLE = [(name, *fits) for name, data, path, _ in FIELD_CASES if (fits := _single(data, path))]

# Extra field cases: more of the corners the issue names (endpoint, path, message).
EXTRA: list[tuple[str, dict[str, Any], str, str]] = [
    ("name 64 chars of digits and letters", {**OK, "name": "a1" * 32}, "name", "at most 63"),
    ("name 10k chars", {**OK, "name": "a" * 10_000}, "name", "at most 63"),
    ("name emoji", {**OK, "name": "llama-🦙"}, "name", "pattern"),
    ("name zero-width space", {**OK, "name": "demo\u200b"}, "name", "pattern"),
    ("name right-to-left mark", {**OK, "name": "\u202edemo"}, "name", "pattern"),
    ("name cyrillic a", {**OK, "name": "demо"}, "name", "pattern"),
    ("name with newline", {**OK, "name": "demo\nx"}, "name", "pattern"),
    ("name with dot", {**OK, "name": "demo.v1"}, "name", "pattern"),
    ("name with space", {**OK, "name": "my demo"}, "name", "pattern"),
    ("name empty", {**OK, "name": ""}, "name", ""),
    ("name null", {**OK, "name": None}, "name", "string"),
    ("name list", {**OK, "name": ["demo"]}, "name", "string"),
    ("name bool", {**OK, "name": True}, "name", "string"),
    ("source string", {**OK, "source": "python:3.10"}, "source", ""),
    ("source list", {**OK, "source": [CONTAINER]}, "source", ""),
    ("image empty", {**OK, "source": {"container": {"image": ""}}}, "source.container.image", ""),
    ("image 100k chars", {**OK, "source": {"container": {"image": "x" * 100_000}}}, "source.container.image", ""),
    ("image with newline", {**OK, "source": {"container": {"image": "python:3\nrm -rf /"}}},
     "source.container.image", "pattern"),
    ("port negative", {**OK, "source": {"container": {"image": "x:1", "port": -1}}}, "source.container.port",
     "greater"),
    ("port float", {**OK, "source": {"container": {"image": "x:1", "port": 80.5}}}, "source.container.port", ""),
    ("port string", {**OK, "source": {"container": {"image": "x:1", "port": "http"}}}, "source.container.port",
     "integer"),
    ("port 2**64", {**OK, "source": {"container": {"image": "x:1", "port": 2**64}}}, "source.container.port", ""),
    ("shape number", {**OK, "resource_shape": 10}, "resource_shape", "string"),
    ("shape uppercase", {**OK, "resource_shape": "GPU.A10"}, "resource_shape", "unknown shape"),
    ("shape unicode", {**OK, "resource_shape": "gpu.а10"}, "resource_shape", "unknown shape"),
    ("shape 1 MB", {**OK, "resource_shape": "g" * 1_000_000}, "resource_shape", ""),
    ("replicas float", {**OK, "autoscaling": {"replicas": 1.5}}, "autoscaling.replicas", "integer"),
    ("replicas bool", {**OK, "autoscaling": {"replicas": True}}, "autoscaling.replicas", "not true/false"),
    ("replicas null", {**OK, "autoscaling": {"replicas": None}}, "autoscaling", ""),
    ("replicas 2**70", {**OK, "autoscaling": {"replicas": 2**70}}, "autoscaling.replicas", ""),
    ("replicas infinity", {**OK, "autoscaling": {"replicas": float("inf")}}, "autoscaling.replicas", ""),
    ("replicas nan", {**OK, "autoscaling": {"replicas": float("nan")}}, "autoscaling.replicas", ""),
    ("autoscaling list", {**OK, "autoscaling": [{"replicas": 1}]}, "autoscaling", ""),
    ("qpm and gpu together", {**OK, "autoscaling": {"qpm": {"max_replicas": 2, "target_qpm": 6},
                                                    "gpu_utilization": {"max_replicas": 2}}}, "autoscaling",
     "exactly one"),
    ("two complete modes", {**OK, "autoscaling": {"replicas": 2, "gpu_utilization": {"max_replicas": 2}}},
     "autoscaling", "exactly one"),
    ("scale to zero and replicas", {**OK, "autoscaling": {"scale_to_zero": {}, "replicas": 1}}, "autoscaling",
     "exactly one"),
    ("all four modes", {**OK, "autoscaling": {"scale_to_zero": {}, "replicas": 1, "qpm": {}, "gpu_utilization": {}}},
     "autoscaling", ""),
    ("qpm negative target", {**OK, "autoscaling": {"qpm": {"max_replicas": 2, "target_qpm": -5}}},
     "autoscaling.qpm.target_qpm", "greater"),
    ("gpu target zero", {**OK, "autoscaling": {"gpu_utilization": {"max_replicas": 2, "target_percent": 0}}},
     "autoscaling.gpu_utilization.target_percent", "greater"),
    ("timeout huge", {**OK, "autoscaling": {"scale_to_zero": {"no_traffic_timeout": 10**12}}},
     "autoscaling.scale_to_zero.no_traffic_timeout", ""),
    ("reserved LEPTON_PHOTON_ID", {**OK, "env": {"LEPTON_PHOTON_ID": "x"}}, "env.LEPTON_PHOTON_ID", "reserved"),
    ("reserved LEPTON_RESOURCE_ACCELERATOR_TYPE", {**OK, "env": {"LEPTON_RESOURCE_ACCELERATOR_TYPE": "a"}},
     "env.LEPTON_RESOURCE_ACCELERATOR_TYPE", "reserved"),
    ("reserved LEPTON_ prefix", {**OK, "env": {"LEPTON_ANYTHING": "x"}}, "env.LEPTON_ANYTHING", "reserved"),
    ("reserved mixed case", {**OK, "env": {"Lepton_Workspace_Id": "x"}}, "env.Lepton_Workspace_Id", "reserved"),
    ("reserved secret LEPTON_PHOTON_NAME", {**OK, "secrets": {"LEPTON_PHOTON_NAME": "s"}},
     "secrets.LEPTON_PHOTON_NAME", "reserved"),
    ("env name starts with digit", {**OK, "env": {"1X": "y"}}, "env.1X", "pattern"),
    ("env name with space", {**OK, "env": {"A B": "y"}}, "env.A B", "pattern"),
    ("env name unicode", {**OK, "env": {"ÉTAT": "y"}}, "env.ÉTAT", "pattern"),
    ("env name empty", {**OK, "env": {"": "y"}}, "env.", ""),
    ("env value null", {**OK, "env": {"A": None}}, "env.A", "string"),
    ("env value list", {**OK, "env": {"A": ["x"]}}, "env.A", "string"),
    ("env as list", {**OK, "env": ["A=1"]}, "env", ""),
    ("secrets as list", {**OK, "secrets": ["hf-token"]}, "secrets", ""),
    ("secret ref with space", {**OK, "secrets": {"HF": "hf token"}}, "secrets.HF", "pattern"),
    ("secret ref empty", {**OK, "secrets": {"HF": ""}}, "secrets.HF", ""),
    ("mount at /var", {**OK, "mounts": [{"from": "/a", "path": "/var"}]}, "mounts[0].path", "system folder"),
    ("mount under /var/lib", {**OK, "mounts": [{"from": "/a", "path": "/var/lib/x"}]}, "mounts[0].path",
     "system folder"),
    ("mount at /proc", {**OK, "mounts": [{"from": "/a", "path": "/proc"}]}, "mounts[0].path", "system folder"),
    ("mount at /sys", {**OK, "mounts": [{"from": "/a", "path": "/sys"}]}, "mounts[0].path", "system folder"),
    ("mount at /bin", {**OK, "mounts": [{"from": "/a", "path": "/bin"}]}, "mounts[0].path", "system folder"),
    ("mount at /etc/", {**OK, "mounts": [{"from": "/a", "path": "/etc/"}]}, "mounts[0].path", "system folder"),
    ("mount double slash /etc", {**OK, "mounts": [{"from": "/a", "path": "//etc"}]}, "mounts[0].path",
     "system folder"),
    ("mount dotdot into /usr", {**OK, "mounts": [{"from": "/a", "path": "/models/../usr"}]}, "mounts[0].path", ""),
    ("mount path empty", {**OK, "mounts": [{"from": "/a", "path": ""}]}, "mounts[0].path", ""),
    ("mount from relative", {**OK, "mounts": [{"from": "models", "path": "/models"}]}, "mounts[0].from", ""),
    ("mount not a list", {**OK, "mounts": {"from": "/a", "path": "/m"}}, "mounts", "list"),
    ("mount unknown field", {**OK, "mounts": [{"from": "/a", "path": "/m", "size": 1}]}, "mounts[0].size",
     "unknown field"),
    ("shm negative", {**OK, "shared_memory_size": "-1Gi"}, "shared_memory_size", ""),
    ("shm number", {**OK, "shared_memory_size": 16}, "shared_memory_size", ""),
    ("shm huge", {**OK, "shared_memory_size": "999999999Ti"}, "shared_memory_size", ""),
    ("health not a mapping", {**OK, "health": 900}, "health", ""),
    ("initial delay string", {**OK, "health": {"initial_delay_seconds": "ten"}}, "health.initial_delay_seconds",
     "integer"),
    ("visibility number", {**OK, "visibility": 1}, "visibility", ""),
    ("cidr without mask garbage", {**OK, "access": {"ip_allowlist": ["not-an-ip"]}}, "access.ip_allowlist[0]",
     "CIDR"),
    ("tokens not a list", {**OK, "access": {"tokens": "t"}}, "access.tokens", ""),
    ("access unknown field", {**OK, "access": {"public_": True}}, "access.public_", "unknown field"),
    ("labels not a mapping", {**OK, "labels": ["a"]}, "labels", ""),
    ("unknown top field camelCase", {**OK, "resourceShape": "gpu.a10"}, "resourceShape", "unknown field"),
    ("node pool max 0", {**OK, "node_pool": {"max_nodes": 0}}, "node_pool.max_nodes", ""),
    ("node pool unknown field", {**OK, "node_pool": {"instance": "g5"}}, "node_pool.instance", "unknown field"),
    # A placeholder in user text would have a face copy a secret's value into a plain manifest.
    ("placeholder of a secret in env", {**OK, "env": {"LEAK": "{{ref:secret/workspace-token/value}}"}}, "env.LEAK",
     "reserved"),
    ("placeholder of nothing in command", {**OK, "source": {"container": {
        "image": "python:3.10", "command": ["echo", "{{ref:nothing/here/id}}"]}}}, "source.container.command[1]",
     "reserved"),
    ("placeholder in other case in args", {**OK, "source": {"container": {
        "image": "python:3.10", "args": ["--token={{Ref:secret/hf-token/value}}"]}}}, "source.container.args[0]",
     "reserved"),
    # Only a face puts the placeholder of a deployment-time value, in place of the value it was given.
    ("input placeholder typed at its own field", {**OK, "env": {"X": "{{ref:input/env.X/value}}"}}, "env.X",
     "reserved"),
    ("input placeholder of another field", {**OK, "env": {"X": "{{ref:input/workspace.cluster.name/value}}"}},
     "env.X", "reserved"),
    ("input placeholder as an image", {**OK, "source": {"container": {
        "image": "{{ref:input/source.container.image/value}}"}}}, "source.container.image", "reserved"),
]

# Raw texts: (name, text, message). The path is "" (the whole file) for what cannot be parsed.
BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
    for i in range(9))
TEXTS: list[tuple[str, str, str]] = [
    ("empty", "", "empty"),
    ("whitespace", "   \n\t\n", "empty"),
    ("only a comment", "# nothing here\n", ""),
    ("null document", "null\n", ""),
    ("tilde document", "~\n", ""),
    ("a number", "42\n", ""),
    ("a string", "llama3\n", ""),
    ("a list", "- name: demo\n", ""),
    ("billion laughs", BOMB, "aliases"),
    ("alias of a mapping", f"base: &b {json.dumps(OK)}\nendpoints: [*b]\n", "aliases"),
    ("merge key", f"base: &b {json.dumps(OK)}\n<<: *b\n", "aliases"),
    ("duplicate key", "name: demo\nname: other\nsource: {container: {image: x}}\n", "duplicate"),
    ("python tag", "name: !!python/object/apply:os.system ['echo pwned']\n", "tag"),
    ("unknown local tag", "name: !vault demo\n", "tag"),
    ("binary tag", "name: !!binary aGVsbG8=\nsource: {container: {image: x}}\n", ""),
    ("flow mapping with trailing comma in .yaml is fine YAML, bad name", '{"name": "Demo", "source": {},}', "name"),
    ("unclosed flow mapping", "name: demo\nsource: {container: {image: x}\n", "not valid YAML"),
    ("unclosed quote", "name: 'demo\n", "not valid YAML"),
    ("tab indentation", "name: demo\nsource:\n\tcontainer: {image: x}\n", "not valid YAML"),
    ("bad indentation", "name: demo\n  source: x\n", "not valid YAML"),
    ("two documents", f"{json.dumps(OK)}\n---\n{json.dumps(OK)}\n", ""),
    ("list key", "? [a, b]\n: 1\n", ""),
    ("mapping key", "? {a: 1}\n: 1\n", ""),
    ("NUL byte", "name: demo\x00\n", ""),
    ("control characters", "name: demo\x07\x1b[31m\n", ""),
    ("deep flow nesting", "a: " + "[" * 5000 + "]" * 5000 + "\n", ""),
    ("deep block nesting", "".join("  " * i + f"k{i}:\n" for i in range(3000)) + "  " * 3000 + "x: 1\n", ""),
    ("endpoints null", "endpoints: null\n", "endpoints"),
    ("endpoints string", "endpoints: demo\n", "endpoints"),
    ("workspace list", f"workspace: [a]\nendpoints: [{json.dumps(OK)}]\n", "workspace"),
    ("huge integer", f"name: demo\nsource: {{container: {{image: x}}}}\nautoscaling: {{replicas: {'9' * 4000}}}\n",
     ""),
    ("float overflow", "name: demo\nsource: {container: {image: x}}\nautoscaling: {replicas: 1e400}\n", ""),
    ("yaml nan", "name: demo\nsource: {container: {image: x}}\nautoscaling: {replicas: .nan}\n", ""),
    ("yaml octal-looking port", "name: demo\nsource: {container: {image: x, port: 0o777777}}\n", ""),
    ("yes as name", "name: yes\nsource: {container: {image: x}}\n", "string"),
    ("date as name", "name: 2024-01-01\nsource: {container: {image: x}}\n", "string"),
    ("BOM then garbage", "\ufeff{{{\n", ""),
    ("lone surrogate escape", 'name: "\\ud800"\nsource: {container: {image: x}}\n', ""),
]
DEEP_TEXT = "[" * DEEP + "]" * DEEP  # deeper than Python's recursion limit

# Gaps this corpus finds, by case name -> reason: strict xfails until fixed (none open now).
GAPS: dict[str, str] = {}


def params(cases: list[tuple[Any, ...]]) -> list[Any]:
    """pytest params from (name, *values) cases, with the known gaps marked."""
    out = []
    for name, *values in cases:
        gap = GAPS.get(name)
        marks = [pytest.mark.xfail(strict=True, reason=gap)] if gap else []
        out.append(pytest.param(*values, id=name, marks=marks))
    return out


def _is_one_error(stderr: str, file: str) -> bool:
    lines = [line for line in stderr.splitlines() if line.strip()]
    return bool(lines) and lines[0].startswith(f"error: {file}: ") and "Traceback" not in stderr


# --- YAML files through `endpoints validate` -------------------------------------------------


class _NoAliases(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True  # the loader refuses anchors; write repeated objects out in full


def _validate(tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | bytes,
              suffix: str = ".yaml") -> tuple[int, str, str]:
    path = tmp_path / f"spec{suffix}"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8", errors="surrogatepass")
    code = main(["validate", str(path)])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(("data", "path", "message"), [c[1:] for c in FIELD_CASES], ids=[c[0] for c in FIELD_CASES])
def test_yaml_field_case_through_the_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str], data: Any, path: str,
                                         message: str) -> None:
    code, out, err = _validate(tmp_path, capsys, yaml.dump(data, Dumper=_NoAliases, allow_unicode=True))
    file = str(tmp_path / "spec.yaml")
    assert code == 1 and not out.startswith("ok") and _is_one_error(err, file), err
    assert f"{path}: " in err and message.lower() in err.lower(), err
    assert list(tmp_path.iterdir()) == [tmp_path / "spec.yaml"]  # nothing written


@pytest.mark.parametrize(("endpoint", "path", "message"), params(EXTRA))
def test_yaml_extra_case_through_the_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str], endpoint: Any,
                                         path: str, message: str) -> None:
    code, _, err = _validate(tmp_path, capsys, json.dumps(endpoint, ensure_ascii=False), ".json")
    assert code == 1 and _is_one_error(err, str(tmp_path / "spec.json")), err
    assert f": {path}" in err and message.lower() in err.lower(), err  # the path starts the problem


@pytest.mark.parametrize(("text", "message"), params(TEXTS))
def test_raw_text_through_the_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str,
                                  message: str) -> None:
    code, out, err = _validate(tmp_path, capsys, text)
    assert code == 1 and _is_one_error(err, str(tmp_path / "spec.yaml")), err
    assert message.lower() in err.lower(), err


@pytest.mark.parametrize("content", [
    pytest.param(b"\xff\xfe\x00n\x00a\x00m\x00e", id="utf-16 bytes"),
    pytest.param(b"name: d\xe9mo\n", id="latin-1 bytes"),
    pytest.param(b"\x89PNG\r\n\x1a\n" + bytes(range(256)), id="binary file"),
    pytest.param(b"name: " + b"a" * (2 * 1024 * 1024), id="over 1 MiB"),
])
def test_unreadable_files_through_the_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes) -> None:
    code, _, err = _validate(tmp_path, capsys, content)
    assert code == 1 and _is_one_error(err, str(tmp_path / "spec.yaml")), err


def test_missing_file_and_folder_through_the_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(tmp_path / "nope.yaml")]) == 1
    assert main(["validate", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "nope.yaml: no such file" in err and "Traceback" not in err


def test_nesting_deeper_than_the_recursion_limit_through_the_cli(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _validate(tmp_path, capsys, DEEP_TEXT)
    assert code == 1 and _is_one_error(err, str(tmp_path / "spec.yaml")), err


def test_the_cli_process_prints_one_line_and_exits_1(tmp_path: Path) -> None:
    """A few through the real command: exit 1, the file and path on one line, no traceback."""
    files = []
    for i, (_, endpoint, path, _) in enumerate(EXTRA[:5]):
        file = tmp_path / f"bad{i}.json"
        file.write_text(json.dumps(endpoint))
        files.append((file, path))
    result = subprocess.run([sys.executable, "-m", "pulumi_endpoints.cli", "validate", *[str(f) for f, _ in files]],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    for file, path in files:
        assert any(line.startswith(f"error: {file}: {path}") for line in lines), result.stderr


# --- HCL attributes through the endpoints_endpoint data source --------------------------------


def _read(**config: Any) -> tuple[Any, Diagnostics]:
    diags = Diagnostics()
    state = EndpointData(EndpointsProvider()).read(ReadDataContext(diags, "endpoints_endpoint"), config)
    return state, diags


def _assert_rejected(state: Any, diags: Diagnostics, attribute: str, path: str, message: str) -> None:
    assert state is None and diags.has_errors()
    errors = [d for d in diags.diagnostics]
    assert all(d.path == [attribute] for d in errors), [(d.path, d.summary) for d in errors]
    summaries = "\n".join(d.summary for d in errors)
    assert f"{attribute}.{path}" in summaries or (not path and f"Invalid {attribute}" in summaries), summaries
    assert message.lower() in (summaries + "\n".join(d.detail or "" for d in errors)).lower(), summaries


@pytest.mark.parametrize(("endpoint", "workspace", "path"), [c[1:] for c in SINGLE], ids=[c[0] for c in SINGLE])
def test_hcl_field_case_through_the_data_source(endpoint: Any, workspace: Any, path: str) -> None:
    config = {"spec": json.dumps(endpoint), "workspace": json.dumps(workspace) if workspace is not None else None}
    state, diags = _read(**config)
    attribute = "workspace" if path.startswith("workspace.") else "spec"
    _assert_rejected(state, diags, attribute, path.removeprefix("workspace."), "")


@pytest.mark.parametrize(("endpoint", "path", "message"), params(EXTRA))
def test_hcl_extra_case_through_the_data_source(endpoint: Any, path: str, message: str) -> None:
    state, diags = _read(spec=json.dumps(endpoint, ensure_ascii=False), workspace=None)
    _assert_rejected(state, diags, "spec", path, message)


@pytest.mark.parametrize(("text", "message"), params(TEXTS))
def test_hcl_raw_text_through_the_data_source(text: str, message: str) -> None:
    state, diags = _read(spec=text, workspace=None)
    _assert_rejected(state, diags, "spec", "", message)


@pytest.mark.parametrize("text", [c[1] for c in TEXTS[:12]], ids=[f"workspace {c[0]}" for c in TEXTS[:12]])
def test_hcl_raw_text_as_workspace(text: str) -> None:
    state, diags = _read(spec=json.dumps(OK), workspace=text)
    if text == "":  # an empty attribute, like a null one, means the default workspace
        assert not diags.has_errors() and ".default." in state["url"], [d.summary for d in diags.diagnostics]
    else:
        _assert_rejected(state, diags, "workspace", "", "")


# --- a whole spec file through endpoints_spec_file (the module's data source) ------------------


def _read_file(**config: Any) -> tuple[Any, Diagnostics]:
    diags = Diagnostics()
    state = SpecFileData(EndpointsProvider()).read(ReadDataContext(diags, "endpoints_spec_file"), config)
    return state, diags


@pytest.mark.parametrize(("text", "message"), params(TEXTS))
def test_raw_text_as_a_spec_file(text: str, message: str) -> None:
    state, diags = _read_file(content=text, workspace=None)
    _assert_rejected(state, diags, "content", "", message)


@pytest.mark.parametrize(("workspace", "attribute", "path"), [
    ("[]", "workspace", ""), ("3", "workspace", ""), ("a: [", "workspace", ""),
    ("name: [x]", "content", "workspace.name"), ('{"cluster": "gpu"}', "content", "workspace.cluster"),
    ('{"name": "\\ud800"}', "content", "workspace.name"),
    ('{"cluster": {"subnet_ids": "subnet-1"}}', "content", "workspace.cluster.subnet_ids"),
    ('{"shapes": {"x": 1e999}}', "content", "workspace.shapes.x")])
def test_bad_workspace_overrides_of_a_spec_file(workspace: str, attribute: str, path: str) -> None:
    """Overrides that are no mapping fail on workspace; a bad field merged into the file's workspace
    section fails on content, at its path."""
    state, diags = _read_file(content=json.dumps({"endpoints": [OK]}), workspace=workspace)
    _assert_rejected(state, diags, attribute, path, "")


# --- Python arguments ---------------------------------------------------------------------------

PY_CASES = [(name, endpoint, path) for name, endpoint, path, _ in EXTRA[:40]] + \
           [(name, endpoint, path) for name, endpoint, workspace, path in SINGLE if workspace is None][:40]


@pytest.mark.parametrize(("endpoint", "path"), params(PY_CASES))
def test_python_endpoint_spec_arguments(endpoint: dict[str, Any], path: str) -> None:
    """EndpointSpec(**fields) raises (pydantic's error names the field); validate_model gives SpecError."""
    from pydantic import ValidationError

    from pulumi_endpoints.spec.document import validate_model

    with pytest.raises((ValidationError, SpecError)) as raised:
        EndpointSpec(**endpoint)
        from pulumi_endpoints.blueprint import expand
        from pulumi_endpoints.spec.workspace import WorkspaceSpec

        expand(EndpointSpec(**endpoint), WorkspaceSpec())
    assert path.split(".")[0].split("[")[0] in str(raised.value)
    with pytest.raises(SpecError) as spec_error:
        from pulumi_endpoints.blueprint import expand
        from pulumi_endpoints.spec.workspace import WorkspaceSpec

        expand(validate_model(EndpointSpec, endpoint), WorkspaceSpec())
    assert path in spec_error.value.paths or any(p.startswith(path) for p in spec_error.value.paths), \
        spec_error.value.paths
