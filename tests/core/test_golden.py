"""Golden files for the examples, and determinism: same input, byte-identical output.

Refresh the golden files after an intended change with ``UPDATE_GOLDEN=1 pytest tests/core/test_golden.py``
and review the diff like any other change.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pulumi_endpoints import render
from pulumi_endpoints.blueprint import expand
from pulumi_endpoints.spec import load_file

ROOT = Path(__file__).parents[2]
EXAMPLES = sorted((ROOT / "examples" / "specs").glob("*.yaml"))
GOLDEN = Path(__file__).parent / "golden"


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_rendered_example_matches_its_golden_files(example: Path, tmp_path: Path) -> None:
    written = render.write(expand(load_file(example)), tmp_path)
    expected_dir = GOLDEN / example.stem
    if os.environ.get("UPDATE_GOLDEN"):
        expected_dir.mkdir(parents=True, exist_ok=True)
        for path in written:
            (expected_dir / path.name).write_bytes(path.read_bytes())
    assert sorted(p.name for p in expected_dir.iterdir()) == sorted(p.name for p in written)
    for path in written:
        assert path.read_bytes() == (expected_dir / path.name).read_bytes(), (
            f"{example.name}: {path.name} differs from tests/core/golden/{example.stem}/{path.name}")


def test_render_is_byte_identical_across_processes(tmp_path: Path) -> None:
    """Two separate interpreters with different hash seeds write the same bytes."""
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        subprocess.run([sys.executable, "-m", "pulumi_endpoints.cli", "render", *map(str, EXAMPLES),
                        "--out", str(out)], check=True, capture_output=True,
                       env={**os.environ, "PYTHONHASHSEED": seed})
        outputs.append({p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()})
    assert outputs[0] == outputs[1]
    assert len(outputs[0]) == 3 * len(EXAMPLES)
