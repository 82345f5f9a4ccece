"""The day-2 commands are registered on ``endpoints`` without loading the kubernetes client."""

from __future__ import annotations

import subprocess
import sys


def test_the_command_line_loads_without_the_kubernetes_client() -> None:
    code = ("import sys; from pulumi_endpoints.cli import build_parser; parser = build_parser(); "
            "parser.parse_args(['status', 'demo']); print(sorted(m for m in sys.modules if m.startswith('kubernetes')))")
    result = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert result.stdout.strip() == "[]"
