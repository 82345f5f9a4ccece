"""The README's Pulumi program and CDKTF app are files (examples/readme/), shown verbatim, and type-check
under ``mypy --strict`` as a user's program does: outside this repository, against the installed packages.
(tests/pulumi/test_readme_program.py and tests/cdktf/test_readme_app.py run them.)"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
PROGRAMS = sorted((ROOT / "examples" / "readme").glob("*.py"))
README = (ROOT / "README.md").read_text()


@pytest.mark.parametrize("program", PROGRAMS, ids=[p.name for p in PROGRAMS])
def test_the_readme_shows_the_file(program: Path) -> None:
    body = re.sub(r'^""".*?"""\n\n', "", program.read_text(), count=1, flags=re.S)
    assert f"```python\n{body}```" in README, f"README.md's block differs from {program.relative_to(ROOT)}"
    assert f"(examples/readme/{program.name})" in README


def test_the_programs_type_check_strictly_outside_the_repository(tmp_path: Path) -> None:
    """Needs an install type checkers can follow (.ci/run and the Makefile: editable_mode=compat)."""
    for program in PROGRAMS:
        shutil.copy(program, tmp_path)
    result = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--follow-imports=silent", "--no-incremental",
                             *(p.name for p in PROGRAMS)], cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
