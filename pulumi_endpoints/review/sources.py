"""Reading review inputs: files or standard input, JSON, and the review's one error type."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from ..errors import EndpointsError

MAX_INPUT_BYTES = 256 * 1024 * 1024


class ReviewError(EndpointsError):
    """A review input cannot be read; the message is one line and never quotes the input."""


def read_text(path: str) -> str:
    """A file's text, or standard input for ``-``."""
    if path == "-":
        return sys.stdin.read()
    try:
        file = Path(path)
        if file.stat().st_size > MAX_INPUT_BYTES:
            raise ReviewError(f"{path}: larger than {MAX_INPUT_BYTES // (1024 * 1024)} MiB")
        return file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ReviewError(f"{path}: no such file") from None
    except (IsADirectoryError, PermissionError, UnicodeDecodeError) as error:
        raise ReviewError(f"{path}: cannot read ({error.__class__.__name__})") from None


def load_json(text: str, source: str) -> dict[str, Any]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise ReviewError(f"{source}: not valid JSON (line {error.lineno}, column {error.colno})") from None
    if not isinstance(document, dict):
        raise ReviewError(f"{source}: expected a JSON object, got {type(document).__name__}")
    return document
