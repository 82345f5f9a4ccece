"""A state written by the previous release's examples/terraform (every resource declared at the top
level) moves into the endpoints module with the commands `endpoints terraform moves` prints: the next
plan changes nothing, so no object is replaced or taken over."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from pulumi_endpoints.aws.config import AwsConfig

from .harness import copy_example, make_terraform, newest_terraform

pytestmark = pytest.mark.e2e

PREVIOUS = Path(__file__).parent / "data" / "previous_example"  # examples/terraform at 737fa70
SECRETS = {"hf-token": "hf-upgrade-canary", "workspace-token": "ws-upgrade-canary"}


def test_previous_example_state_moves_into_the_module(tmp_path: Path, mirror: Path, moto_url: str,
                                                      emulator: tuple[AwsConfig, dict[str, Any]]) -> None:
    aws, seeded = emulator
    copy_example(tmp_path, seeded, moto_url, secret_values=SECRETS)  # the variables file of both releases
    for old in PREVIOUS.iterdir():
        shutil.copy(old, tmp_path / old.name)
    (tmp_path / "outputs.tf").unlink()  # outputs of the previous release read its resources
    tf = make_terraform(newest_terraform(), tmp_path, mirror, moto_url)
    tf.run("init", "-input=false")
    tf.apply()
    before = tf.state_list()
    assert "endpoints_node_pool.this" in before and 'endpoints_secret.this["hf-token"]' in before

    copy_example(tmp_path, seeded, moto_url, secret_values=SECRETS)  # this release
    tf.run("init", "-input=false")
    state = tf.run("show", "-json").stdout
    printed = subprocess.run([sys.executable, "-m", "pulumi_endpoints.cli", "terraform", "moves"], input=state,
                             text=True, capture_output=True, check=True).stdout.splitlines()
    assert len(printed) == len([a for a in before if a.startswith("endpoints_")])
    for command in printed:
        tf.run(*shlex.split(command)[1:])
    code, out = tf.plan()
    assert not re.findall(r"# \S+ (?:will|must) be", out) and "Plan:" not in out, out  # outputs are new
    assert all(a.startswith("module.endpoints.") for a in tf.state_list() if not a.startswith("data."))
    tf.apply()  # writes the new outputs, changes no object
    assert json.loads(tf.run("output", "-json", "file_system_id").stdout).startswith("fs-")
    assert tf.plan()[0] == 0
