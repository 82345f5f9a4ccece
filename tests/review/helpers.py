"""Shared by the review tests: the golden data and a review of each kind of input."""

from __future__ import annotations

import os
from pathlib import Path

from pulumi_endpoints.review import Review, pulumi, review, specs, terraform

from .make_terraform_plans import SCENARIOS

DATA = Path(__file__).parent / "data"
SPECS = Path(__file__).parents[2] / "examples" / "specs"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
PULUMI_CANARY = "canary-pulumi-9e4c2b7a1d6f3058"


def terraform_review(name: str) -> Review:
    scenario = next(s for s in SCENARIOS if s.name == name)
    plan, state = DATA / f"{name}.plan.json", DATA / f"{scenario.state}.state.json"
    return review(terraform.read(plan.read_text(), plan.name, (state.read_text(), state.name)))


def pulumi_review() -> Review:
    return review(pulumi.read((DATA / "pulumi-preview.json").read_text(), "pulumi-preview.json"))


def spec_review(before: str, after: str) -> Review:
    return review(specs.compare([("before.yaml", before)], [("after.yaml", after)], "before.yaml → after.yaml"))


def check_golden(name: str, text: str) -> None:
    golden = DATA / name
    if UPDATE:
        golden.write_text(text)
    assert text == golden.read_text(), f"{name} differs; refresh with UPDATE_GOLDEN=1 and review the diff"
