"""The README's CDKTF app (examples/readme/cdktf_app.py), run as a user runs it, on each library."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cdktf_testing import LIBRARIES

ROOT = Path(__file__).parents[2]
APP = ROOT / "examples" / "readme" / "cdktf_app.py"


@pytest.mark.parametrize("library", LIBRARIES)
def test_the_readme_app_synthesizes_one_workspace_and_its_endpoints(library: str, tmp_path: Path) -> None:
    if importlib.util.find_spec(library) is None:
        pytest.skip(f"{library} is not installed")
    env = {**os.environ, "ENDPOINTS_CDK": library, "CDKTF_OUTDIR": str(tmp_path),
           "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20"}
    run = subprocess.run([sys.executable, str(APP)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    synthesized = json.loads((tmp_path / "stacks" / "ml" / "cdk.tf.json").read_text())
    resources = synthesized["resource"]
    assert len(resources["endpoints_file_system"]) == 1 and len(resources["endpoints_node_pool"]) == 1
    secrets = resources["endpoints_secret"].values()
    assert {s["secret_id"] for s in secrets} >= {"endpoints/prod/hf-token", "endpoints/prod/workspace-token"}
    assert all(s["value"].startswith("${var.") for s in secrets)  # variables, never plain values
    assert synthesized["output"]["llama3-8b_url"]["value"].startswith("https://llama3-8b.")
