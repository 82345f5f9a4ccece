"""Entry point Terraform starts: ``python -m pulumi_endpoints.terraform``."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Mapping

from .provider import EndpointsProvider
from .servicer import run

# Terraform's provider log level (TF_LOG_PROVIDER, else TF_LOG) -> ours; JSON means TRACE in JSON.
LEVELS = {"TRACE": logging.DEBUG, "JSON": logging.DEBUG, "DEBUG": logging.DEBUG, "INFO": logging.INFO}


class TerraformFormatter(logging.Formatter):
    """``[DEBUG] endpoints: ...``: Terraform (go-plugin) reads a stderr line's level from that prefix."""

    def format(self, record: logging.LogRecord) -> str:
        level = {"WARNING": "WARN", "CRITICAL": "ERROR"}.get(record.levelname, record.levelname)
        return f"[{level}] endpoints: {super().format(record)}"


def configure_logging(env: Mapping[str, str] = os.environ) -> None:
    """Our loggers to stderr, which Terraform copies into its TF_LOG output.

    Only ours: botocore's DEBUG logs hold request bodies, secret values included, so it stays at WARNING.
    """
    level = LEVELS.get((env.get("TF_LOG_PROVIDER") or env.get("TF_LOG") or "").strip().upper())
    if level is None:
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(TerraformFormatter())
    ours = logging.getLogger("pulumi_endpoints")
    ours.setLevel(level)
    ours.addHandler(handler)
    ours.propagate = False
    for name in ("botocore", "boto3", "urllib3"):
        logging.getLogger(name).setLevel(logging.WARNING)


def main() -> None:
    configure_logging()
    run(EndpointsProvider())  # tf's runner, serving servicer.EndpointsServicer
    # Terraform has closed the connection and waits for this process to end. A normal exit tears
    # the interpreter down (botocore's loaded models, the expansion, gRPC's threads): 0.2-0.3 s of
    # every plan spent on memory the OS frees anyway. Only the standard streams hold anything.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
