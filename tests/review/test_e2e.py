"""One scenario regenerated for real: the provider under Terraform v1.0.3 against moto, then reviewed.

Ids differ between runs, so this compares the review's structure with the golden one, not its bytes.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pulumi_endpoints.aws.config import AwsConfig
from pulumi_endpoints.aws.emulator import CREDENTIALS, reset, seed
from pulumi_endpoints.terraform.install import install

from .helpers import DATA
from .make_terraform_plans import CANARIES, REGION, WORKSPACE, Workdir, generate, review_markdown

pytestmark = pytest.mark.e2e


def structure(markdown: str) -> list[str]:
    """Headings and bullets with ids (subnets, file systems, ARNs) blanked out."""
    lines = [line for line in markdown.splitlines() if line.startswith(("#", "- ", "  - ", "> ", "Endpoints:"))]
    return [re.sub(r"(subnet|fs|fsap|fsmt)-[0-9a-f]+", r"\1-…", line) for line in lines]


def test_a_fresh_plan_reviews_like_its_golden(tmp_path: Path, moto_url: str) -> None:
    reset(moto_url)
    seeded = seed(AwsConfig(region=REGION, endpoint_url=moto_url, static_credentials=CREDENTIALS), WORKSPACE)
    out = tmp_path / "data"
    generate(Workdir(tmp_path / "work", install(tmp_path / "mirror"), moto_url, seeded), out, only=("replace",))

    fresh = review_markdown(out / "replace.plan.json", out / "applied.state.json")
    assert structure(fresh) == structure((DATA / "replace.md").read_text())
    assert "## Endpoints review" in fresh and "### Risks (1)" in fresh and "### llama3-8b — replaced" in fresh
    assert "node pool REPLACED (instance types g5.2xlarge → g5.8xlarge) — drains the pool" in fresh
    assert "Δ +$889.92 / +$3,559.68 per month" in fresh
    assert CANARIES["hf-token"] in (out / "replace.plan.json").read_text()
    assert not any(canary in fresh for canary in CANARIES.values())
