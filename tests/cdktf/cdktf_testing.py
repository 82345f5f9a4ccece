"""Helpers for the CDKTF tests: both libraries in one process, synth and stacks.

This folder has no ``__init__.py`` on purpose: as a package it would be importable as
``cdktf`` and hide the real library. Its modules therefore carry unique names.
"""

from __future__ import annotations

import functools
import importlib
import json
import os
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

LIBRARIES = ("cdktf", "cdktn")
WORKSPACE = {"name": "synth", "cluster": {"name": "gpu", "node_role_arn": "arn:aws:iam::123456789012:role/nodes",
                                          "subnet_ids": ["subnet-a", "subnet-b"], "security_group_ids": ["sg-1"]}}
SECRETS = {"hf-token": "hf-test", "workspace-token": "ws-test"}


@functools.cache
def load_bindings(library: str) -> ModuleType:
    """``cdktf_bindings`` built on ``library``, imported afresh beside any earlier copy."""
    for name in [n for n in sys.modules if n == "cdktf_bindings" or n.startswith("cdktf_bindings.")]:
        del sys.modules[name]
    previous = os.environ.get("ENDPOINTS_CDK")
    os.environ["ENDPOINTS_CDK"] = library
    try:
        return importlib.import_module("cdktf_bindings")
    finally:
        if previous is None:
            del os.environ["ENDPOINTS_CDK"]
        else:
            os.environ["ENDPOINTS_CDK"] = previous


def synth(bindings: ModuleType, stack: Any) -> dict[str, Any]:
    """The stack's Terraform JSON through ``Testing.synth``."""
    result: dict[str, Any] = json.loads(bindings.cdk.Testing.synth(stack))
    return result


def new_stack(bindings: ModuleType, outdir: Path, name: str = "test") -> Any:
    app = bindings.cdk.App(outdir=str(outdir))
    return bindings.cdk.TerraformStack(app, name)
