"""The README's Pulumi program (examples/readme/pulumi_program.py) under mocks, its cluster from a
stack reference as the README has it."""

from __future__ import annotations

import runpy
from pathlib import Path
from typing import Any

import pytest
from pulumi.runtime.mocks import MockResourceArgs
from pulumi_engine import Deployment, run

ROOT = Path(__file__).parents[2]
PROGRAM = ROOT / "examples" / "readme" / "pulumi_program.py"
EKS = {"cluster_name": "prod-eks", "node_role_arn": "arn:aws:iam::123456789012:role/prod-nodes",
       "nfs_security_group_id": "sg-0123456789abcdef0", "kubeconfig": "apiVersion: v1\nkind: Config\n"}


class WithStackReference(Deployment):
    """Records only; the cluster stack's outputs for the StackReference."""

    def new_resource(self, args: MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        if args.typ == "pulumi:pulumi:StackReference":
            return args.name, {"name": args.name, "outputs": EKS, "secretOutputNames": []}
        return super().new_resource(args)


def test_the_readme_program_declares_the_workspace_and_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # the program names its spec file from the project's root, as the README runs it
    config = {"eks_stack": "acme/eks/prod", "subnet_ids": '["subnet-0a", "subnet-0b"]', "workspace_token": "w",
              "hf_token": "h"}

    def program() -> None:
        runpy.run_path(str(PROGRAM))

    monitor = run(program, WithStackReference(with_providers=False), config=config,
                  secret_keys=("workspace_token", "hf_token"))
    names = monitor.by_name()
    assert {"ml", "llama3-8b", "eks"} <= set(names)
    assert "llama3-8b-node-pool-prod-llama3-8b" in names
    assert {"ml-mount-target-shared-0", "ml-mount-target-shared-1"} <= set(names)
    pool = names["llama3-8b-node-pool-prod-llama3-8b"].inputs
    assert pool["cluster_name"] == "prod-eks" and pool["node_role_arn"] == EKS["node_role_arn"]
