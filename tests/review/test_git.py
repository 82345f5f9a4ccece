"""Two git refs of a spec folder, compared without an engine."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from pulumi_endpoints.cli import main

from .helpers import SPECS


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd=repo, check=True,
                   capture_output=True)


def test_two_refs_of_a_spec_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    specs = tmp_path / "specs"
    specs.mkdir()
    shutil.copy(SPECS / "llama3-8b.yaml", specs)
    shutil.copy(SPECS / "mygpt2.yaml", specs)
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "base")
    spec = specs / "llama3-8b.yaml"
    spec.write_text(spec.read_text().replace("max_replicas: 4", "max_replicas: 8"))
    (specs / "mygpt2.yaml").unlink()
    git(tmp_path, "commit", "-q", "-am", "head")

    assert main(["review", "git", "HEAD~1", "HEAD", str(specs), "--format", "text"]) == 2
    out = capsys.readouterr().out
    assert "Endpoints: 0 added · 1 changed · 0 replaced · 1 deleted" in out
    assert "llama3-8b: max replicas 4 → 8 · node pool updated (max nodes 5 → 9)" in out
    assert "mygpt2 — deleted" in out
    assert main(["review", "git", "HEAD", "HEAD", str(specs)]) == 0


def test_an_unknown_ref_is_a_one_line_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    git(tmp_path, "init", "-q")
    assert main(["review", "git", "nope", "HEAD", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: git ls-tree") and err.count("\n") == 1
