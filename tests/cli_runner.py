"""``endpoints ARGV`` in this process: what a user's shell would see, without a subprocess's start-up."""

from __future__ import annotations

import io
import subprocess
import warnings
from contextlib import redirect_stderr, redirect_stdout

from pulumi_endpoints.cli import main


def run_cli(*argv: str) -> subprocess.CompletedProcess[str]:
    """Exit code, stdout and stderr of the command; warnings are errors (as PYTHONWARNINGS=error)."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err), warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            code = main(list(argv))
        except SystemExit as exit:  # argparse: usage errors, --help
            code = exit.code if isinstance(exit.code, int) else 1
    return subprocess.CompletedProcess(["endpoints", *argv], code, out.getvalue(), err.getvalue())
