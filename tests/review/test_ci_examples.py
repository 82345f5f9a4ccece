"""The PR-review workflows of examples/ci and the ``--format github`` output they post.

actionlint is not installable offline here (its PyPI package downloads the binary from GitHub), so
the workflows are checked for shape: they parse, ask for the permissions they use, and the
``endpoints review`` command they run is one our CLI accepts.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml

from pulumi_endpoints.cli import build_parser, main
from pulumi_endpoints.review.render import COMMENT_MARKER

from .helpers import SPECS

CI = Path(__file__).parents[2] / "examples" / "ci"


def _review_command(script: str) -> list[str]:
    """The ``endpoints review …`` line of a shell script, continuations joined, variables filled."""
    joined = script.replace("\\\n", " ")
    (line,) = [ln.strip() for ln in joined.splitlines() if ln.strip().startswith("endpoints review")]
    line = line.split(";")[0]
    line = re.sub(r"\$\{\{[^}]*\}\}", "main", line)  # GitHub expressions
    line = re.sub(r"\$\{?[A-Z_]+\}?", "x", line)  # shell variables
    return shlex.split(line)[1:]


def test_the_github_workflow_asks_for_what_it_uses_and_runs_a_valid_review() -> None:
    workflow = yaml.safe_load((CI / "github-actions.yml").read_text())
    assert workflow["permissions"] == {"contents": "read", "pull-requests": "write"}
    assert "pull_request" in workflow[True]  # PyYAML reads the key `on` as True
    steps = workflow["jobs"]["review"]["steps"]
    assert all(("uses" in step) != ("run" in step) for step in steps)
    (review,) = [step for step in steps if step.get("id") == "review"]
    args = build_parser().parse_args(_review_command(review["run"]))
    assert (args.source, args.format, args.out) == ("git", "github", "review.md")
    assert set(args.fail_on) == {"delete", "public", "shared-write"}
    # The comment is found again by the review's first line, the marker.
    post = next(step for step in steps if "gh api" in step.get("run", ""))
    assert "head -n 1 review.md" in post["run"] and "PATCH" in post["run"]


def test_the_gitlab_job_runs_a_valid_review() -> None:
    job = yaml.safe_load((CI / "gitlab-ci.yml").read_text())["endpoints-review"]
    (command,) = [line for line in job["script"] if str(line).startswith("endpoints review")]
    args = build_parser().parse_args(_review_command(command))
    assert (args.source, args.format) == ("git", "github")


def test_github_format_is_the_marker_then_the_markdown_and_fills_the_job_summary(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = SPECS / "llama3-8b.yaml"
    after = tmp_path / "after.yaml"
    after.write_text(before.read_text().replace("max_replicas: 4", "max_replicas: 8"))
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    out = tmp_path / "review.md"
    assert main(["review", "specs", str(before), str(after), "--format", "github", "--out", str(out)]) == 2
    body = out.read_text()
    plain = tmp_path / "plain.md"
    monkeypatch.delenv("GITHUB_STEP_SUMMARY")
    assert main(["review", "specs", str(before), str(after), "--out", str(plain)]) == 2
    assert body == f"{COMMENT_MARKER}\n{plain.read_text()}"
    assert "max replicas 4 → 8" in body
    assert summary.read_text() == f"earlier step\n{plain.read_text()}"  # appended, not replaced
