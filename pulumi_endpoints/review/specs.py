"""Two sets of spec files (two paths, or one path at two git refs): expand both and compare.

No engine is needed: cloud resources are compared attribute by attribute through the
policy table, manifests leaf by leaf, each keyed by kind and name.
"""

from __future__ import annotations

import subprocess
from dataclasses import replace
from pathlib import Path, PurePosixPath
from typing import Any

from ..blueprint import expand
from ..aws.schema import to_plain
from ..errors import SpecError
from ..spec import Document
from ..spec.document import parse_document, parse_text
from .facts import views
from .masking import Masker
from .model import Action, EndpointView, PlanInput
from .resources import action_of, make_change
from .sources import ReviewError, read_text

SPEC_SUFFIXES = (".yaml", ".yml", ".json")
Files = list[tuple[str, str]]  # (name, text)
Side = tuple[dict[tuple[str, str], dict[str, Any]], dict[str, EndpointView]]


def read_paths(before: str, after: str) -> PlanInput:
    return compare(_files(before), _files(after), f"{before} → {after}")


def read_git(base: str, head: str, path: str) -> PlanInput:
    return compare(_git_files(base, path), _git_files(head, path), f"{path} at {base} → {head}")


def compare(before_files: Files, after_files: Files, source: str) -> PlanInput:
    (old, before), (new, after) = _side(before_files), _side(after_files)
    masker = Masker()
    changes = []
    for key in sorted({*old, *new}):
        action = action_of(created=key not in old, deleted=key not in new, changed=old.get(key) != new.get(key))
        if action is None:
            continue
        change = make_change(key[0], key[1], action, old.get(key), new.get(key), masker)
        if action is Action.UPDATE and not change.changed:
            continue  # only computed attributes or labels differ: nothing an engine would change
        if action is Action.UPDATE and change.replaces:  # as an engine plans it
            change = replace(change, action=Action.REPLACE)
        changes.append(change)
    return PlanInput(source=source, resources=tuple(changes), before=before, after=after,
                     secrets=frozenset(masker.secrets))


def _side(files: Files) -> Side:
    resources: dict[tuple[str, str], dict[str, Any]] = {}
    endpoints: dict[str, EndpointView] = {}
    for name, text in files:
        try:
            document: Document = parse_document(parse_text(text, json_format=name.endswith(".json")))
            blueprint = expand(document)
        except SpecError as error:
            raise ReviewError(str(error.with_source(name)).splitlines()[0]) from None
        for resource in blueprint.cloud:
            plain = to_plain(resource)
            resources[(plain.pop("kind"), resource.name)] = plain
        for manifest in blueprint.manifests:
            metadata = manifest.get("metadata", {})
            resources[(str(manifest["kind"]), "/".join(filter(None, (metadata.get("namespace"),
                                                                       metadata.get("name")))))] = manifest
        endpoints |= views(blueprint, document.endpoints)
    return resources, endpoints


def _files(path: str) -> Files:
    folder = Path(path)
    if folder.is_dir():
        return [(str(file), read_text(str(file))) for file in sorted(folder.iterdir())
                if file.suffix in SPEC_SUFFIXES and file.is_file()]
    return [(path, read_text(path))]


def _git_files(ref: str, path: str) -> Files:
    where = Path(path) if Path(path).is_dir() else Path(path).parent
    root = Path(_git(where, "rev-parse", "--show-toplevel").strip())
    relative = PurePosixPath(Path(path).resolve().relative_to(root.resolve()).as_posix())
    listed = _git(root, "ls-tree", "-r", "--name-only", ref, "--", str(relative)).splitlines()
    names = sorted(n for n in listed if n.endswith(SPEC_SUFFIXES) and
                   (n == str(relative) or PurePosixPath(n).parent == relative))
    return [(f"{ref}:{name}", _git(root, "show", f"{ref}:{name}")) for name in names]


def _git(cwd: Path, *args: str) -> str:
    try:
        result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise ReviewError(f"git {args[0]}: {error.__class__.__name__}") from None
    if result.returncode != 0:
        first = (result.stderr.strip().splitlines() or ["failed"])[0]
        raise ReviewError(f"git {' '.join(args[:2])}: {first}")
    return result.stdout
