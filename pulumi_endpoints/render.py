"""Writing a blueprint to files: deterministic YAML/JSON for people and for git diffs."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import yaml

from .aws.schema import to_plain
from .blueprint.model import Blueprint


class _Dumper(yaml.SafeDumper):
    """Block style, no aliases, multi-line strings kept readable."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def to_yaml(documents: list[Any]) -> str:
    return yaml.dump_all(documents, Dumper=_Dumper, sort_keys=False, default_flow_style=False,
                         allow_unicode=True, width=100)


def to_json(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def summary(blueprint: Blueprint) -> dict[str, Any]:
    return {
        "workspace": blueprint.workspace,
        "endpoints": [dataclasses.asdict(e) for e in blueprint.endpoints],
        "findings": [vars(f) for f in blueprint.findings],
    }


def write(blueprint: Blueprint, out: Path, fmt: str = "yaml") -> list[Path]:
    """Write ``cloud``, ``manifests`` and ``summary`` files into ``out``; returns their paths."""
    out.mkdir(parents=True, exist_ok=True)
    cloud = [to_plain(resource) for resource in blueprint.cloud]
    manifests = list(blueprint.manifests)
    if fmt == "json":
        files = {"cloud.json": to_json(cloud), "manifests.json": to_json(manifests)}
    else:
        files = {"cloud.yaml": to_yaml(cloud), "manifests.yaml": to_yaml(manifests)}
    files["summary.json"] = to_json(summary(blueprint))
    written = []
    for name, text in files.items():
        path = out / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
