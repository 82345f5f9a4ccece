"""The README's main job: the Terraform example against the local AWS emulator, no cloud account.

Starts the emulator (moto, seeded with a VPC, subnets, a node role and an EKS cluster), installs
the provider as an offline mirror, runs ``terraform init`` and ``apply`` on a fresh copy of this
folder, and writes the endpoint's Kubernetes manifests to ``out/terraform/``.
Run from the repository root: ``.venv/bin/python examples/terraform/demo.py [--keep]``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from pulumi_endpoints.aws import emulator
from pulumi_endpoints.terraform.binary import terraform_binary
from pulumi_endpoints.terraform.install import install

EXAMPLE = Path(__file__).resolve().parent
ROOT = EXAMPLE.parents[1]
MODULE = ROOT / "terraform" / "modules" / "endpoints"
STATE = ROOT / ".endpoints"
OUT = ROOT / "out" / "terraform"


def step(message: str) -> None:
    print(f"==> {message}", flush=True)


def terraform(workdir: Path, env: dict[str, str], *args: str) -> str:
    command = [terraform_binary(), *args]
    result = subprocess.run(command, cwd=workdir, env=env, text=True, capture_output=True)
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"terraform {args[0]} failed (exit {result.returncode})")
    return result.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="leave the emulator running afterwards")
    args = parser.parse_args()

    step("starting the local AWS emulator")
    emulator_dir = STATE / "emulator"
    emulator.stop(emulator_dir)  # a fresh emulator and a fresh state every run
    running = emulator.start(emulator_dir, workspace="demo")
    seed = running.seed

    step("installing the endpoints provider as an offline mirror")
    cli_config = install(STATE / "terraform-mirror")

    workdir = STATE / "demo-terraform"
    shutil.rmtree(workdir, ignore_errors=True)
    shutil.copytree(EXAMPLE, workdir, ignore=shutil.ignore_patterns("demo.py", "kubernetes", "*.tfstate*",
                                                                     ".terraform*"))
    main = workdir / "main.tf"  # the copy names the module by its place in the repository
    main.write_text(main.read_text().replace('"../../terraform/modules/endpoints"', f'"{MODULE}"'))
    (workdir / "terraform.tfvars.json").write_text(json.dumps({
        "aws_endpoint_url": running.url, "cluster_name": seed["cluster_name"],
        "node_role_arn": seed["node_role_arn"], "subnet_ids": seed["subnet_ids"],
        "security_group_ids": [seed["security_group_id"]],
        "secret_values": {"hf-token": "hf_demo_token", "workspace-token": "demo-workspace-token"},
    }, indent=2))
    env = {**os.environ, **running.env, "TF_CLI_CONFIG_FILE": str(cli_config),
           "TF_IN_AUTOMATION": "1", "CHECKPOINT_DISABLE": "1"}

    step(f"terraform init (offline, {terraform_binary()})")
    terraform(workdir, env, "init", "-input=false", "-no-color")
    step("terraform apply")
    applied = terraform(workdir, env, "apply", "-auto-approve", "-input=false", "-no-color")
    print(next(line for line in applied.splitlines() if line.startswith("Apply complete!")))
    outputs = json.loads(terraform(workdir, env, "output", "-json"))

    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    manifests = [json.loads(m) for m in outputs["manifests"]["value"]]
    (OUT / "manifests.yaml").write_text(yaml.safe_dump_all(manifests, sort_keys=False))
    endpoints = outputs["endpoints"]["value"]
    summary = {"urls": {name: e["url"] for name, e in endpoints.items()},
               "node_pools": {name: e["node_pool"] for name, e in endpoints.items()},
               **{name: outputs[name]["value"] for name in ("file_system_id", "cost_per_month", "findings")}}
    (OUT / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    step(f"wrote {len(manifests)} manifests to {OUT.relative_to(ROOT)}/manifests.yaml")
    print(json.dumps(summary, indent=2))

    if args.keep:
        print(f"the emulator keeps running at {running.url}: stop it with "
              f"`.venv/bin/endpoints emulator stop --dir {emulator_dir.relative_to(ROOT)}`")
    else:
        emulator.stop(emulator_dir)
        step("stopped the emulator")
    return 0


if __name__ == "__main__":
    sys.exit(main())
