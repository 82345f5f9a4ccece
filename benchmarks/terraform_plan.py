"""``terraform plan`` for 10, 50 and 100 endpoints against the emulator: wall time, and AWS calls
per managed resource per refresh (target 1.0).

Each endpoint has a node pool and a secret. AWS calls are counted by the tests' fault proxy (at rate 0) between
the provider and the moto server. Run: .venv/bin/python benchmarks/terraform_plan.py [COUNTS...]
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "tests"))

from reliability.fault_proxy import FaultProxy  # noqa: E402  (at rate 0: a proxy that counts calls)

from pulumi_endpoints.aws.config import AwsConfig  # noqa: E402
from pulumi_endpoints.aws.emulator import CREDENTIALS, environment, in_process, seed  # noqa: E402
from pulumi_endpoints.terraform.binary import terraform_binary  # noqa: E402
from pulumi_endpoints.terraform.install import install  # noqa: E402

CONFIG = Path(__file__).parents[1] / "examples" / "terraform-many" / "main.tf"


def terraform(workdir: Path, env: dict[str, str], *args: str) -> float:
    started = time.perf_counter()
    subprocess.run([terraform_binary(), *args, "-no-color", "-input=false"], cwd=workdir, env=env, check=True,
                   capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    counts = [int(n) for n in sys.argv[1:]] or [10, 50, 100]
    with in_process() as moto_url, FaultProxy(moto_url, rate=0) as proxy, \
            tempfile.TemporaryDirectory() as folder:
        seeded = seed(AwsConfig(region="us-east-1", endpoint_url=proxy.url, static_credentials=CREDENTIALS), "bench")
        cluster = {"name": seeded["cluster_name"], "node_role_arn": seeded["node_role_arn"],
                   "subnet_ids": seeded["subnet_ids"]}
        print(f"terraform: {terraform_binary()}")
        print(f"{'endpoints':>9}  {'resources':>9}  {'plan seconds':>12}  {'AWS calls':>9}  "
              f"{'calls per resource':>18}")
        env = {**os.environ, **environment(proxy.url), "TF_CLI_CONFIG_FILE": str(install(Path(folder) / "mirror")),
               "CHECKPOINT_DISABLE": "1"}
        workdir = Path(folder) / "work"
        workdir.mkdir()
        (workdir / "main.tf").write_text(CONFIG.read_text())
        terraform(workdir, env, "init")
        for count in counts:
            (workdir / "terraform.tfvars.json").write_text(json.dumps({"cluster": cluster,
                                                                      "count_of_endpoints": count}))
            terraform(workdir, env, "apply", "-auto-approve", "-parallelism=10")
            proxy.reset_figures()
            seconds = terraform(workdir, env, "plan", "-parallelism=10", "-detailed-exitcode")
            calls, resources = proxy.figures.calls, 2 * count
            print(f"{count:>9}  {resources:>9}  {seconds:>12.2f}  {calls:>9}  {calls / resources:>18.2f}")


if __name__ == "__main__":
    main()
