"""``endpoints review``: a plan, a preview or two spec sets → an endpoint-level review.

Exit codes for CI: 0 no changes, 2 changes, 1 an error or a risk named in ``--fail-on``.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
import os
import sys
from pathlib import Path

from .model import RISK_KINDS, PlanInput
from .sources import ReviewError, read_text

NO_CHANGES, CHANGES, FAILED = 0, 2, 1


def add_cli(add_parser: Callable[..., argparse.ArgumentParser]) -> None:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--format", choices=("markdown", "text", "github"), default="markdown",
                        help="github: a pull-request comment body (markdown after a marker line a workflow finds "
                             "to update its comment), and the review appended to $GITHUB_STEP_SUMMARY when set")
    common.add_argument("--fail-on", type=_risks, default=(), metavar="RISKS",
                        help=f"exit 1 when one of these risks shows: {','.join(RISK_KINDS)}")
    common.add_argument("--out", metavar="FILE", help="write the review to FILE instead of standard output")

    review = add_parser("review", help="review a plan in endpoint terms (exit 0 no changes, 2 changes)")
    sources = review.add_subparsers(dest="source", required=True, metavar="SOURCE")
    terraform = sources.add_parser("terraform", parents=[common], help="`terraform show -json PLANFILE` output")
    terraform.add_argument("plan", metavar="PLAN_JSON", help="the plan as JSON ('-' for standard input)")
    terraform.add_argument("--state", metavar="STATE_JSON",
                           help="`terraform show -json` before the plan: the endpoints' facts before the change")
    pulumi = sources.add_parser("pulumi", parents=[common], help="`pulumi preview --json` output")
    pulumi.add_argument("preview", metavar="PREVIEW_JSON", help="the preview ('-' for standard input)")
    specs = sources.add_parser("specs", parents=[common], help="two spec files or folders: before and after")
    specs.add_argument("before", metavar="BEFORE")
    specs.add_argument("after", metavar="AFTER")
    git = sources.add_parser("git", parents=[common], help="a spec file or folder at two git refs")
    git.add_argument("base", metavar="BASE_REF")
    git.add_argument("head", metavar="HEAD_REF")
    git.add_argument("path", metavar="PATH")
    review.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from . import render
    from .changes import review

    try:
        plan = _read(args)
    except (KeyError, TypeError, AttributeError, IndexError, ValueError) as error:
        # a JSON document of the right kind but an unexpected shape
        raise ReviewError(f"{_input(args)}: unexpected structure ({error.__class__.__name__})") from None
    result = review(plan)
    output = {"markdown": render.markdown, "text": render.text, "github": render.github}[args.format](result)
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if args.format == "github" and summary:
        with open(summary, "a", encoding="utf-8") as job_summary:
            job_summary.write(render.markdown(result))
    if args.out:
        Path(args.out).write_text(output, encoding="utf-8")
    else:
        sys.stdout.write(output)
    failing = sorted({risk.kind for risk in result.risks} & set(args.fail_on))
    if failing:
        print(f"error: risks found that --fail-on names: {', '.join(failing)}", file=sys.stderr)
        return FAILED
    return CHANGES if result.has_changes else NO_CHANGES


def _read(args: argparse.Namespace) -> PlanInput:
    if args.source == "terraform":
        from . import terraform

        state = (read_text(args.state), args.state) if args.state else None
        return terraform.read(read_text(args.plan), args.plan, state)
    if args.source == "pulumi":
        from . import pulumi

        return pulumi.read(read_text(args.preview), args.preview)
    from . import specs

    if args.source == "specs":
        return specs.read_paths(args.before, args.after)
    return specs.read_git(args.base, args.head, args.path)


def _input(args: argparse.Namespace) -> str:
    return str(getattr(args, "plan", None) or getattr(args, "preview", None) or args.source)


def _risks(value: str) -> tuple[str, ...]:
    chosen = tuple(part.strip() for part in value.split(",") if part.strip())
    unknown = [part for part in chosen if part not in RISK_KINDS]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown risk {unknown[0]!r}; choose from {', '.join(RISK_KINDS)}")
    return chosen

