"""The fault scenario shared by the CI test and benchmarks/faults.py: ``terraform apply`` then
``destroy`` of N endpoints (examples/terraform-many: a node pool and a secret each) through the
fault proxy, then count what the emulator holds."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pulumi_endpoints.aws.config import AwsConfig
from pulumi_endpoints.aws.emulator import CREDENTIALS, environment

from .fault_proxy import FaultProxy

CONFIG = Path(__file__).parents[2] / "examples" / "terraform-many" / "main.tf"
REGION = "us-east-1"
MAX_RUNS = 3  # apply (or destroy) runs allowed: a rerun only after a clear, reported error


@dataclass
class Outcome:
    seed: int
    endpoints: int
    figures: dict[str, Any] = field(default_factory=dict)
    apply_runs: int = 0
    destroy_runs: int = 0
    errors: list[str] = field(default_factory=list)  # what Terraform reported on a failed run
    after_apply: dict[str, list[str]] = field(default_factory=dict)
    duplicates: int = 0
    missing: int = 0
    leaked: int = 0
    plan_clean: bool = False


def inventory(aws: AwsConfig, cluster_name: str) -> dict[str, list[str]]:
    """Node groups and secrets in the emulator, secrets scheduled for deletion included."""
    eks, sm = aws.client("eks"), aws.client("secretsmanager")
    secrets: list[str] = []
    for page in sm.get_paginator("list_secrets").paginate(IncludePlannedDeletion=True):
        secrets += [s["Name"] for s in page["SecretList"]]
    groups: list[str] = []
    for page in eks.get_paginator("list_nodegroups").paginate(clusterName=cluster_name):
        groups += page["nodegroups"]
    return {"node_groups": sorted(groups), "secrets": sorted(secrets)}


def _terraform(binary: str, workdir: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([binary, *args, "-no-color", "-input=false"], cwd=workdir, env=env, text=True,
                          capture_output=True, timeout=900)


def _until_ok(binary: str, workdir: Path, env: dict[str, str], outcome: Outcome, *args: str) -> int:
    for run in range(1, MAX_RUNS + 1):
        result = _terraform(binary, workdir, env, *args)
        if result.returncode == 0:
            return run
        errors = [line for line in result.stderr.splitlines() if line.startswith("Error:") or "hint:" in line]
        assert errors, f"terraform {args[0]} failed without a clear error:\n{result.stdout}\n{result.stderr}"
        assert "Traceback" not in result.stderr, result.stderr
        outcome.errors += errors
    raise AssertionError(f"terraform {args[0]} did not converge in {MAX_RUNS} runs: {outcome.errors}")


def run_scenario(binary: str, workdir: Path, cli_config: Path, moto_url: str, seeded: dict[str, Any], *,
                 seed: int, rate: float = 0.2, endpoints: int = 10, parallelism: int = 10) -> Outcome:
    aws = AwsConfig(region=REGION, endpoint_url=moto_url, static_credentials=CREDENTIALS)
    outcome = Outcome(seed=seed, endpoints=endpoints)
    workdir.mkdir(parents=True, exist_ok=True)
    shutil.copy(CONFIG, workdir / "main.tf")
    cluster = {"name": seeded["cluster_name"], "node_role_arn": seeded["node_role_arn"],
               "subnet_ids": seeded["subnet_ids"]}
    (workdir / "terraform.tfvars.json").write_text(json.dumps({"cluster": cluster, "count_of_endpoints": endpoints,
                                                               "workspace": f"faults{seed}"}))
    with FaultProxy(moto_url, rate=rate, seed=seed, slow_seconds=0.3) as proxy:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "TF_"))}
        env.update({**environment(proxy.url, REGION), "TF_CLI_CONFIG_FILE": str(cli_config),
                    "CHECKPOINT_DISABLE": "1", "TF_IN_AUTOMATION": "1"})
        init = _terraform(binary, workdir, env, "init")
        assert init.returncode == 0, init.stderr
        par = f"-parallelism={parallelism}"
        outcome.apply_runs = _until_ok(binary, workdir, env, outcome, "apply", "-auto-approve", par)
        outcome.after_apply = inventory(aws, seeded["cluster_name"])
        plan = _terraform(binary, workdir, env, "plan", "-detailed-exitcode", par)
        outcome.plan_clean = plan.returncode == 0
        outcome.destroy_runs = _until_ok(binary, workdir, env, outcome, "destroy", "-auto-approve", par)
        outcome.figures = proxy.figures.as_dict()
    names = [f"endpoint-{i}" for i in range(endpoints)]
    for kind, held in outcome.after_apply.items():
        counts = Counter(held)
        outcome.duplicates += sum(n - 1 for n in counts.values() if n > 1)
        expected = {f"faults{seed}-{n}" for n in names} if kind == "node_groups" else \
            {f"endpoints/faults{seed}/{n}" for n in names}
        outcome.missing += len(expected - set(held))
        outcome.duplicates += len(set(held) - expected)  # anything extra is a duplicate under another name
    outcome.leaked = sum(len(v) for v in inventory(aws, seeded["cluster_name"]).values())
    return outcome
