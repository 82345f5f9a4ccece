"""The examples through every face: the examples and the faces' test helpers."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

TESTS = Path(__file__).parents[1]
# The faces' own helpers (folders without __init__.py, as pytest puts them on sys.path).
for folder in ("pulumi", "cdktf"):
    if str(TESTS / folder) not in sys.path:
        sys.path.append(str(TESTS / folder))

SPECS = sorted((TESTS.parent / "examples" / "specs").glob("*.yaml"))
CLUSTER = {"name": "gpu", "node_role_arn": "arn:aws:iam::123456789012:role/nodes",
           "subnet_ids": ["subnet-a", "subnet-b"], "security_group_ids": ["sg-1"]}


@dataclass(frozen=True)
class Example:
    """One endpoint of an example file, as the YAML fields: the spec and its file's workspace."""

    id: str
    spec: dict[str, Any]
    workspace: dict[str, Any]

    def with_cluster(self, cluster: dict[str, Any] = CLUSTER, **workspace: Any) -> dict[str, Any]:
        """The workspace with a cluster a cloud part can be planned for (the file's own wins)."""
        return {**self.workspace, "cluster": {**cluster, **self.workspace.get("cluster", {})}, **workspace}


def load_examples() -> list[Example]:
    examples = []
    for path in SPECS:
        data = yaml.safe_load(path.read_text())
        workspace = data.pop("workspace", None) or {}
        specs = data["endpoints"] if "endpoints" in data else [data]
        for spec in specs:
            examples.append(Example(path.stem if len(specs) == 1 else f"{path.stem}-{spec['name']}", spec, workspace))
    return examples


EXAMPLES = load_examples()
