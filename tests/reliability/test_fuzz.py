"""Seeded mutations of the example specs through load → expand → render: only the project's own
error, valid JSON and the same bytes twice (mutator.py; benchmarks/fuzz.py runs many more)."""

from __future__ import annotations

import pytest

from .mutator import run


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_mutated_examples_refuse_cleanly_or_render_valid_output(seed: int) -> None:
    outcomes = run(cases=120, seed=seed)
    assert outcomes["accepted"] and outcomes["rejected"]  # the mutations reach both sides
