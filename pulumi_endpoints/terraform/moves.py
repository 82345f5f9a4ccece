"""``endpoints terraform moves``: the ``terraform state mv`` commands that bring resources declared
one by one (the one-endpoint examples/terraform before the module) to their addresses in the
endpoints module, so an existing state keeps its objects instead of replacing them.

It reads ``terraform show -json`` (of the state) and names each resource by what the module keys it
by: node pools by endpoint, the file system by name, mount targets by subnet, access points by name,
secrets by their workspace name.
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from ..labels import TAG_ENDPOINT
from . import PREFIX

MODULE = "module.endpoints"
RESOURCES = {"node_pool": "endpoint", "file_system": "shared", "mount_target": "shared", "access_point": "endpoint",
             "secret": "shared"}  # kind → the module's resource name


def module_key(kind: str, values: Mapping[str, Any]) -> str:
    """The for_each key the module gives the resource with these attribute values."""
    if kind == "node_pool":
        return str((values.get("tags") or {}).get(TAG_ENDPOINT) or values["name"])
    if kind == "mount_target":
        return str(values["subnet_id"])
    if kind == "secret":
        return str(values.get("name") or values["secret_id"].rsplit("/", 1)[-1])
    return str(values["name"])


def moves(state: Mapping[str, Any], module: str = MODULE) -> Iterator[tuple[str, str]]:
    """(from, to) for each endpoints resource of the root module (those in modules are left alone)."""
    root = (state.get("values") or {}).get("root_module") or {}
    for resource in root.get("resources") or []:
        kind = str(resource.get("type", "")).removeprefix(PREFIX)
        if resource.get("mode") == "managed" and kind in RESOURCES:
            key = json.dumps(module_key(kind, resource.get("values") or {}))
            yield resource["address"], f"{module}.{PREFIX}{kind}.{RESOURCES[kind]}[{key}]"


def run(args: argparse.Namespace) -> int:
    state = json.load(sys.stdin)
    for source, target in moves(state, args.module):
        print(f"terraform state mv {shlex.quote(source)} {shlex.quote(target)}")
    return 0


def add_cli(add_parser: Callable[..., argparse.ArgumentParser]) -> None:
    command = add_parser("moves", help="print the terraform state mv commands that move resources "
                                 "declared one by one into the endpoints module (reads terraform show -json)")
    command.add_argument("--module", default=MODULE, help=f"the module's address (default {MODULE})")
    command.set_defaults(func=run)
