"""A spec file with a workspace and four endpoints through terraform/modules/endpoints, against the
emulator: init, apply, a plan with no changes, destroy (wall seconds), and the same Terraform
planning as many resources of a minimal ``tf`` provider in the same run (the floor of a Python
provider), with the ratio.

Terraform: ENDPOINTS_TERRAFORM, else a terraform >= 1.5 on PATH, else the dev extra's 1.0.3.
Run: .venv/bin/python benchmarks/module_plan.py [ROUNDS]
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "tests"))
sys.path.insert(0, str(Path(__file__).parent))

from provider_startup import MINIMAL  # noqa: E402
from terraform.harness import newest_terraform  # noqa: E402
from terraform.test_module import FOUR, configuration  # noqa: E402

from pulumi_endpoints.aws.config import AwsConfig  # noqa: E402
from pulumi_endpoints.aws.emulator import CREDENTIALS, environment, in_process, seed  # noqa: E402
from pulumi_endpoints.terraform.install import install, target_platform  # noqa: E402

MINIMAL_LAUNCHER = "#!/bin/sh\nexec {python} {script} \"$@\"\n"


def timed(binary: str, workdir: Path, env: dict[str, str], *args: str) -> float:
    started = time.perf_counter()
    subprocess.run([binary, *args, "-no-color", "-input=false"], cwd=workdir, env=env, check=True,
                   capture_output=True)
    return time.perf_counter() - started


def minimal_mirror(folder: Path) -> Path:
    """The minimal provider (registry.terraform.io/example/minimal) in a filesystem mirror; its CLI config."""
    folder.mkdir(parents=True)
    script = folder / "minimal_provider.py"
    script.write_text(MINIMAL)
    plugin = folder / "registry.terraform.io" / "example" / "minimal" / "0.0.1" / target_platform()
    plugin.mkdir(parents=True)
    launcher = plugin / "terraform-provider-minimal_v0.0.1"
    launcher.write_text(MINIMAL_LAUNCHER.format(python=sys.executable, script=script))
    launcher.chmod(0o755)
    config = folder / "terraformrc"
    config.write_text(f'provider_installation {{\n  filesystem_mirror {{\n    path = "{folder}"\n  }}\n}}\n')
    return config


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    binary = os.environ.get("ENDPOINTS_TERRAFORM") or newest_terraform()
    version = json.loads(subprocess.run([binary, "version", "-json"], capture_output=True, text=True,
                                        env={**os.environ, "TF_CLI_CONFIG_FILE": os.devnull}).stdout)
    with in_process() as moto_url, tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        seeded = seed(AwsConfig(region="us-east-1", endpoint_url=moto_url, static_credentials=CREDENTIALS), "bench")
        env = {**os.environ, **environment(moto_url), "TF_CLI_CONFIG_FILE": str(install(root / "mirror")),
               "CHECKPOINT_DISABLE": "1"}
        workdir = root / "module"
        configuration(workdir, seeded, FOUR)
        timed(binary, workdir, env, "init")
        apply = timed(binary, workdir, env, "apply", "-auto-approve")
        resources = len([a for a in subprocess.run([binary, "state", "list"], cwd=workdir, env=env, text=True,
                                                   capture_output=True, check=True).stdout.split()
                         if not a.startswith(("data.", "module.endpoints.data."))])
        plans = [timed(binary, workdir, env, "plan", "-detailed-exitcode") for _ in range(rounds)]

        baseline = root / "minimal"
        baseline.mkdir()
        things = "\n".join(f'resource "minimal_thing" "t{i}" {{ name = "t{i}" }}' for i in range(resources))
        (baseline / "main.tf").write_text('terraform {\n  required_providers {\n    minimal = { source = '
                                          f'"example/minimal" }}\n  }}\n}}\n{things}\n')
        minimal_env = {**env, "TF_CLI_CONFIG_FILE": str(minimal_mirror(root / "minimal-mirror"))}
        timed(binary, baseline, minimal_env, "init")
        timed(binary, baseline, minimal_env, "apply", "-auto-approve")
        floor = [timed(binary, baseline, minimal_env, "plan", "-detailed-exitcode") for _ in range(rounds)]
        destroy = timed(binary, workdir, env, "destroy", "-auto-approve")
        shutil.rmtree(baseline / ".terraform", ignore_errors=True)

    plan, minimal = statistics.median(plans), statistics.median(floor)
    print(f"terraform {version['terraform_version']}: 4 endpoints, {resources} managed resources, "
          f"{rounds} plans each")
    print(f"apply (create everything):   {apply:6.2f} s")
    print(f"plan, no changes (median):   {plan:6.2f} s")
    print(f"destroy:                     {destroy:6.2f} s")
    print(f"minimal provider, {resources} resources, plan (median): {minimal:6.2f} s")
    print(f"ratio plan / minimal plan:   {plan / minimal:6.2f}x")


if __name__ == "__main__":
    main()
