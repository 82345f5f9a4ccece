"""Fault injection: ``terraform apply`` then ``destroy`` of N endpoints (examples/terraform-many) through
a proxy that faults a share of the AWS calls (throttling, HTTP 500/503, connection resets, lost answers,
slow answers), over several seeds. Prints calls, faults, retries, reruns, leaked and duplicated
resources (both must be 0).

Run: .venv/bin/python benchmarks/faults.py [--seeds 1 2 3 4 5] [--rate 0.2] [--endpoints 10]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "tests"))

from reliability.faults_scenario import run_scenario  # noqa: E402

from pulumi_endpoints.aws.config import AwsConfig  # noqa: E402
from pulumi_endpoints.aws.emulator import CREDENTIALS, in_process, reset, seed  # noqa: E402
from pulumi_endpoints.terraform.binary import terraform_binary  # noqa: E402
from pulumi_endpoints.terraform.install import install  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3, 4, 5])
    parser.add_argument("--rate", type=float, default=0.2)
    parser.add_argument("--endpoints", type=int, default=10)
    args = parser.parse_args()
    binary = terraform_binary()
    print(f"terraform: {binary}; {args.endpoints} endpoints (node pool + secret each); "
          f"{args.rate:.0%} of EKS/EFS/Secrets Manager requests faulted")
    header = (f"{'seed':>4}  {'requests':>8}  {'calls':>5}  {'faulted':>7}  {'retries':>7}  {'reruns':>6}  "
              f"{'leaked':>6}  {'duplicates':>10}  {'missing':>7}  {'clean plan':>10}  faults by kind")
    print(header)
    failed = False
    totals = {"requests": 0, "faulted": 0, "retries": 0, "leaked": 0, "duplicates": 0}
    with in_process() as url, tempfile.TemporaryDirectory() as folder:
        cli_config = install(Path(folder) / "mirror")
        for run_seed in args.seeds:
            reset(url)
            seeded = seed(AwsConfig(region="us-east-1", endpoint_url=url, static_credentials=CREDENTIALS), "bench")
            try:
                o = run_scenario(binary, Path(folder) / f"seed{run_seed}", cli_config, url, seeded,
                                 seed=run_seed, rate=args.rate, endpoints=args.endpoints)
            except AssertionError as exc:
                print(f"{run_seed:>4}  FAILED: {exc}")
                failed = True
                continue
            f = o.figures
            reruns = o.apply_runs + o.destroy_runs - 2
            print(f"{run_seed:>4}  {f['requests']:>8}  {f['calls']:>5}  {f['faulted']:>7}  {f['retries']:>7}  "
                  f"{reruns:>6}  {o.leaked:>6}  {o.duplicates:>10}  {o.missing:>7}  {str(o.plan_clean):>10}  "
                  f"{f['faults']}")
            for key in totals:
                totals[key] += f[key] if key in f else getattr(o, key)
            failed |= bool(o.leaked or o.duplicates or o.missing or not o.plan_clean)
    print(f"total: {totals['requests']} requests, {totals['faulted']} faulted, {totals['retries']} retries, "
          f"{totals['leaked']} leaked, {totals['duplicates']} duplicates")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
