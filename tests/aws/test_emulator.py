"""``endpoints emulator start|env|stop`` as a user runs it: a subprocess, a detached server, a state folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import boto3
import pytest

from pulumi_endpoints.aws import node_pool
from pulumi_endpoints.aws.config import AwsConfig
from pulumi_endpoints.aws.ownership import Claim
from pulumi_endpoints.blueprint.model import NodePool
from pulumi_endpoints.labels import cloud_tags

MINE = Claim("terraform:tests:mine")  # the claim of this test's creates

pytestmark = pytest.mark.e2e


# What cli.py does for `endpoints emulator …`, without the rest of the CLI (its other faces' imports).
CLI = """
import argparse, sys
from pulumi_endpoints.aws.emulator import add_cli
parser = argparse.ArgumentParser(prog="endpoints")
add_cli(parser.add_subparsers(dest="command", required=True).add_parser)
args = parser.parse_args()
sys.exit(args.func(args))
"""


def emulator(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", CLI, "emulator", *args],
                          cwd=cwd, capture_output=True, text=True, timeout=60, check=False, env={**os.environ, **(env or {})})


def running(pid: int) -> bool:
    """Not ended (a zombie waiting for a parent that never reaps it counts as ended)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_start_env_stop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    started = emulator("start", "--workspace", "demo", "--json", cwd=tmp_path)
    assert started.returncode == 0, started.stderr
    try:
        info = json.loads(started.stdout)
        assert (tmp_path / ".endpoints" / "emulator" / "emulator.json").exists()
        assert info["env"]["AWS_ENDPOINT_URL"] == f"http://127.0.0.1:{info['port']}"
        seeded = info["seed"]
        assert len(seeded["subnet_ids"]) == 3 and len(set(seeded["availability_zones"])) == 3

        shell = emulator("env", cwd=tmp_path)
        assert shell.returncode == 0
        assert f"export AWS_ENDPOINT_URL={info['env']['AWS_ENDPOINT_URL']}" in shell.stdout.splitlines()
        assert emulator("start", "--json", cwd=tmp_path).stdout == started.stdout  # already running: same one
        state_dir = str(tmp_path / ".endpoints" / "emulator")
        elsewhere = tmp_path / "elsewhere"
        elsewhere.mkdir()
        via_dir = emulator("env", "--dir", state_dir, cwd=elsewhere)
        assert via_dir.stdout == shell.stdout, via_dir.stderr
        via_env = emulator("env", cwd=elsewhere, env={"ENDPOINTS_EMULATOR_DIR": state_dir})
        assert via_env.stdout == shell.stdout, via_env.stderr

        # the printed environment and seeded ids are enough to run a driver
        for key, value in info["env"].items():
            monkeypatch.setenv(key, value)
        assert boto3.client("eks").describe_cluster(name=seeded["cluster_name"])["cluster"]["status"] == "ACTIVE"
        pool = NodePool(name="p", cluster_name=seeded["cluster_name"], node_role_arn=seeded["node_role_arn"],
                        subnet_ids=tuple(seeded["subnet_ids"]), instance_types=("g5.xlarge",),
                        ami_type="AL2023_x86_64_NVIDIA", capacity_type="ON_DEMAND", disk_size=100, min_size=0,
                        max_size=1, desired_size=0, labels={}, taints=(), tags=cloud_tags("demo", None))
        assert node_pool.create(AwsConfig().client("eks"), pool, claim=MINE).status == "ACTIVE"
    finally:
        stopped = emulator("stop", cwd=tmp_path)
    assert stopped.returncode == 0
    assert not (tmp_path / ".endpoints" / "emulator" / "emulator.json").exists()
    assert not running(info["pid"])
    gone = emulator("env", cwd=tmp_path)
    assert gone.returncode == 1 and "no emulator running" in gone.stderr
