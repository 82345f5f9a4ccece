"""The example stack (examples/pulumi) under mocks: its configuration and a runner."""

from __future__ import annotations

import json
import runpy
from pathlib import Path
from typing import Any

from pulumi.runtime.mocks import Mocks
from pulumi_engine import Deployment, Monitor, run

EXAMPLE = Path(__file__).parents[2] / "examples" / "pulumi"
CANARIES = {"workspace_token": "canary-token-3f9c1a", "hf_token": "canary-hf-77d02b"}


def example_config(seeded: dict[str, Any] | None = None) -> dict[str, str]:
    """The example stack's configuration (ids from the emulator when given)."""
    ids = seeded or {"cluster_name": "gpu-prod", "node_role_arn": "arn:aws:iam::123456789012:role/gpu-prod-nodes",
                     "subnet_ids": ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"],
                     "security_group_id": "sg-0a1b2c3d4e5f60001"}
    return {"cluster_name": ids["cluster_name"], "node_role_arn": ids["node_role_arn"],
            "subnet_ids": json.dumps(ids["subnet_ids"]), "security_group_ids": json.dumps([ids["security_group_id"]]),
            "file_system_protected": "false", **CANARIES}


def run_example(mocks: Mocks | None = None, seeded: dict[str, Any] | None = None, stack: str = "test",
                **config: str) -> tuple[Monitor, dict[str, Any]]:
    """Run examples/pulumi/__main__.py (set_mocks first, then the program); return its globals too."""
    program: dict[str, Any] = {}

    def main() -> None:
        program.update(runpy.run_path(str(EXAMPLE / "__main__.py"), run_name="__main__"))

    monitor = run(main, mocks or Deployment(with_providers=False), stack=stack,
                  config={**example_config(seeded), **config}, secret_keys=tuple(CANARIES))
    return monitor, program
