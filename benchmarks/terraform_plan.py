"""``terraform plan`` of examples/terraform-many beside a minimal ``tf`` provider, in one run.

For each N (default 10 and 100 endpoints: a node pool and a secret each, 2N managed resources),
the project's no-change plan against the emulator and the minimal provider's plan of 2N resources
(same Terraform binary, same kind of filesystem mirror) run interleaved, ROUNDS times each. Printed:
median seconds, the ratio on a line with the word ``ratio``, the project's plan without refresh
(``-refresh=false``: no AWS calls) beside the same minimal plan, the project's plan beside 2N minimal
resources that each make one AWS call per refresh as the project's do (DescribeSecret), each
provider process's peak RSS (VmHWM, read from /proc while the plan runs) and AWS calls per managed
resource, counted by the tests' fault proxy at rate 0 in one more plan: the timed plans call the
emulator directly, so the proxy's own hop is not timed. The machine is shared: the load average is
printed too.

Terraform: ENDPOINTS_TERRAFORM, else a terraform >= 1.5 on PATH, else the dev extra's 1.0.3.
Run: .venv/bin/python benchmarks/terraform_plan.py [N…] [--rounds R]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "tests"))
sys.path.insert(0, str(Path(__file__).parent))

from module_plan import minimal_mirror  # noqa: E402
from reliability.fault_proxy import FaultProxy  # noqa: E402  (at rate 0: a proxy that counts calls)
from terraform.harness import newest_terraform  # noqa: E402

from pulumi_endpoints.aws.config import AwsConfig  # noqa: E402
from pulumi_endpoints.aws.emulator import CREDENTIALS, environment, in_process, seed  # noqa: E402
from pulumi_endpoints.terraform.install import install  # noqa: E402

CONFIG = Path(__file__).parents[1] / "examples" / "terraform-many" / "main.tf"


def _descendants(pid: int) -> list[int]:
    found, pending = [], [pid]
    while pending:
        parent = pending.pop()
        for task in Path(f"/proc/{parent}/task").glob("*"):
            try:
                children = [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                continue
            found += children
            pending += children
    return found


def _peak_kib(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    return next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")), 0)


def timed_plan(binary: str, workdir: Path, env: dict[str, str], *options: str) -> tuple[float, int]:
    """Seconds of one ``terraform plan``, and the largest peak RSS (KiB) among its child processes."""
    started = time.perf_counter()
    process = subprocess.Popen([binary, "plan", "-no-color", "-input=false", "-detailed-exitcode",
                                "-parallelism=10", *options], cwd=workdir, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    peaks: dict[int, int] = {}

    def watch() -> None:
        while process.poll() is None:
            for child in _descendants(process.pid):
                peaks[child] = max(peaks.get(child, 0), _peak_kib(child))
            time.sleep(0.02)

    watcher = threading.Thread(target=watch)
    watcher.start()
    out, err = process.communicate()
    watcher.join()
    seconds = time.perf_counter() - started
    if process.returncode != 0:  # -detailed-exitcode: 0 means no changes
        raise SystemExit(f"plan in {workdir} exited {process.returncode}:\n{out.decode()[-3000:]}{err.decode()}")
    return seconds, max(peaks.values(), default=0)


def run(binary: str, workdir: Path, env: dict[str, str], *args: str) -> None:
    subprocess.run([binary, *args, "-no-color", "-input=false"], cwd=workdir, env=env, check=True,
                   capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("counts", nargs="*", type=int, default=[10, 100])
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    binary = os.environ.get("ENDPOINTS_TERRAFORM") or newest_terraform()
    version = json.loads(subprocess.run([binary, "version", "-json"], capture_output=True, text=True,
                                        env={**os.environ, "TF_CLI_CONFIG_FILE": os.devnull}).stdout)
    print(f"terraform {version['terraform_version']}, {options.rounds} interleaved plans each, "
          f"load average at start {os.getloadavg()[0]:.2f}")
    with in_process() as moto_url, FaultProxy(moto_url, rate=0) as proxy, \
            tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        seeded = seed(AwsConfig(region="us-east-1", endpoint_url=moto_url, static_credentials=CREDENTIALS), "bench")
        cluster = {"name": seeded["cluster_name"], "node_role_arn": seeded["node_role_arn"],
                   "subnet_ids": seeded["subnet_ids"]}
        env = {**os.environ, **environment(moto_url), "TF_CLI_CONFIG_FILE": str(install(root / "mirror")),
               "CHECKPOINT_DISABLE": "1"}
        counted_env = {**env, **environment(proxy.url)}
        minimal_env = {**env, "TF_CLI_CONFIG_FILE": str(minimal_mirror(root / "minimal-mirror"))}
        project, minimal, reading = root / "project", root / "minimal", root / "minimal-reading"
        for folder in (project, minimal, reading):
            folder.mkdir()
        (project / "main.tf").write_text(CONFIG.read_text())
        run(binary, project, env, "init")
        print(f"{'N':>4} {'resources':>9} {'project s':>9} {'minimal s':>9} {'project RSS':>11} "
              f"{'minimal RSS':>11} {'calls/resource':>14}")
        for count in options.counts:
            resources = 2 * count
            (project / "terraform.tfvars.json").write_text(json.dumps({"cluster": cluster,
                                                                      "count_of_endpoints": count}))
            run(binary, project, env, "apply", "-auto-approve", "-parallelism=10")
            things = "\n".join(f'resource "minimal_thing" "t{i}" {{ name = "t{i}" }}' for i in range(resources))
            secret = "endpoints/many/endpoint-{}"  # the project's secrets, each read twice
            reads = "\n".join(f'resource "minimal_secret_read" "t{i}" {{ name = "{secret.format(i % count)}" }}'
                              for i in range(resources))
            for folder, resources_text in ((minimal, things), (reading, reads)):
                (folder / "main.tf").write_text('terraform {\n  required_providers {\n    minimal = { source = '
                                                f'"example/minimal" }}\n  }}\n}}\n{resources_text}\n')
                run(binary, folder, minimal_env, "init")
                run(binary, folder, minimal_env, "apply", "-auto-approve", "-parallelism=10")
            proxy.reset_figures()
            timed_plan(binary, project, counted_env)
            calls = proxy.figures.calls
            ours, floor, unrefreshed, floor_reading = [], [], [], []
            for _ in range(options.rounds):
                ours.append(timed_plan(binary, project, env))
                floor.append(timed_plan(binary, minimal, minimal_env))
                unrefreshed.append(timed_plan(binary, project, env, "-refresh=false")[0])
                floor_reading.append(timed_plan(binary, reading, minimal_env))
            plan, base = statistics.median(s for s, _ in ours), statistics.median(s for s, _ in floor)
            rss, base_rss = max(k for _, k in ours) / 1024, max(k for _, k in floor) / 1024
            print(f"{count:>4} {resources:>9} {plan:>9.2f} {base:>9.2f} {rss:>9.0f}MB {base_rss:>9.0f}MB "
                  f"{calls / resources:>14.2f}")
            print(f"N={count} ratio {plan / base:.2f}x (plan), RSS ratio {rss / base_rss:.2f}x")
            print(f"N={count} without refresh (no AWS calls): {statistics.median(unrefreshed):.2f} s, "
                  f"{statistics.median(unrefreshed) / base:.2f}x the minimal provider's plan")
            reading_base = statistics.median(s for s, _ in floor_reading)
            reading_rss = max(k for _, k in floor_reading) / 1024
            print(f"N={count} beside a minimal provider whose {resources} resources each make one AWS call per "
                  f"refresh (DescribeSecret, botocore): {reading_base:.2f} s, {reading_rss:.0f}MB; ours "
                  f"{plan / reading_base:.2f}x the time, {rss / reading_rss:.2f}x the memory")
        run(binary, project, env, "destroy", "-auto-approve", "-parallelism=10")
    print(f"load average at end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
