"""Synth time of DedicatedEndpoint against the same resources emitted as raw TerraformResources.

For 1, 10 and 100 endpoints of one workspace: build the stack and synthesize it, once with the
construct (``expand()`` included) and once with plain ``TerraformResource`` + ``add_override``
carrying the very JSON the construct produced (its ``moved`` blocks as a stack override). The JS
runtime starts once before timing (about 2 s, the same for both). Target: overhead ratio <= 1.2x.
Run: ``.venv/bin/python benchmarks/cdktf_synth.py [--library cdktf|cdktn] [--repeat 3]``.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
SPEC = yaml.safe_load((ROOT / "examples" / "terraform" / "endpoint.yaml").read_text())
WORKSPACE = {"name": "bench", "cluster": {"name": "gpu", "node_role_arn": "arn:aws:iam::123456789012:role/nodes",
                                          "subnet_ids": ["subnet-a", "subnet-b", "subnet-c"],
                                          "security_group_ids": ["sg-1"]}}
SECRETS = {"hf-token": "hf", "workspace-token": "ws"}
Build = Callable[[Any, Any, int], None]  # fills a stack with ``count`` endpoints


def construct_stack(bindings: Any, stack: Any, count: int) -> None:
    workspace = bindings.Workspace(stack, "workspace", workspace=WORKSPACE, secret_values=SECRETS)
    for i in range(count):
        bindings.DedicatedEndpoint(stack, f"ep{i}", spec={**SPEC, "name": f"ep{i}"}, workspace=workspace)


def raw_stack(emitted: dict[str, Any]) -> Build:
    resources: dict[str, dict[str, Any]] = emitted["resource"]

    def build(bindings: Any, stack: Any, count: int) -> None:
        if "moved" in emitted:  # the mount targets' moves from release 0.1's addresses
            stack.add_override("moved", emitted["moved"])
        for kind, by_id in resources.items():
            for logical_id, attributes in by_id.items():
                resource = bindings.cdk.TerraformResource(stack, logical_id, terraform_resource_type=kind)
                for name, value in attributes.items():
                    if name != "//":
                        resource.add_override(name, value)
    return build


def synth_seconds(bindings: Any, build: Build, count: int, outdir: Path) -> tuple[float, Path]:
    start = time.perf_counter()
    app = bindings.cdk.App(outdir=str(outdir))
    stack = bindings.cdk.TerraformStack(app, "bench")
    bindings.EndpointsProvider(stack, "endpoints", region="us-east-1")
    bindings.KubernetesProvider(stack, "kubernetes", config_path="~/.kube/config")
    build(bindings, stack, count)
    app.synth()
    return time.perf_counter() - start, outdir / "stacks" / "bench" / "cdk.tf.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--library", choices=("cdktf", "cdktn"), help="default: the installed one (cdktf first)")
    parser.add_argument("--repeat", type=int, default=3, help="best of N (default 3)")
    args = parser.parse_args()
    if args.library:
        os.environ["ENDPOINTS_CDK"] = args.library
    os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
    import cdktf_bindings as bindings

    print(f"{bindings.cdk.__name__}: synth seconds, best of {args.repeat}")
    print(f"{'endpoints':>9} {'resources':>9} {'construct':>10} {'raw':>8} {'ratio':>6}")
    with tempfile.TemporaryDirectory() as folder:
        for count in (1, 10, 100):
            _, output = synth_seconds(bindings, construct_stack, count, Path(folder) / f"emitted-{count}")
            emitted = json.loads(output.read_text())
            times: dict[str, list[float]] = {"construct": [], "raw": []}
            builds: dict[str, Build] = {"construct": construct_stack, "raw": raw_stack(emitted)}
            for i in range(args.repeat):  # interleaved: the JS heap grows during the run
                for name, build in builds.items():
                    times[name].append(synth_seconds(bindings, build, count, Path(folder) / f"{name}-{count}-{i}")[0])
            best, best_raw = min(times["construct"]), min(times["raw"])
            resources = sum(len(by_id) for by_id in emitted["resource"].values())
            print(f"{count:>9} {resources:>9} {best:>10.3f} {best_raw:>8.3f} {best / best_raw:>5.2f}x")

if __name__ == "__main__":
    main()
