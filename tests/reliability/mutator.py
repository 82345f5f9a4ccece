"""A seeded mutator over the example specs: load → expand → render must only ever refuse with the
project's own error, and what it renders must be valid JSON (no NaN or Infinity), the same bytes
for the same input. A share of the cases goes through text too: the mutated data written as YAML
or JSON, with a hostile token spliced in somewhere, read back by the spec parser. Used by
tests/reliability/test_fuzz.py (a few hundred cases) and benchmarks/fuzz.py (as many as asked,
with figures)."""

from __future__ import annotations

import copy
import json
import math
import random
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

from pulumi_endpoints.blueprint import expand
from pulumi_endpoints.aws.schema import to_plain
from pulumi_endpoints.errors import SpecError
from pulumi_endpoints.render import summary, to_json, to_yaml
from pulumi_endpoints.spec import parse_document
from pulumi_endpoints.spec.document import parse_text

SPECS = sorted((Path(__file__).parents[2] / "examples" / "specs").glob("*.yaml"))
HOSTILE: list[Any] = [
    math.inf, -math.inf, math.nan, 1e300, -1, 0, 10**30, 10**5000, 0.5, True, None, "", " ", "\ud800", "a" * 5000,
    "{{ref:secret/workspace-token/value}}", '"', "\\", "${var.x}", "%{ if x }", '"}) or vector(1) #',
    "gpu.a10", "/", "/etc", "../../x", "0s", "Infinity", "\u202e", "日本語", [], {}, ["x"], {"k": "v"},
]

# Spliced into a spec's text: what the parsers must refuse with the project's error, not a traceback.
HOSTILE_TEXT = [
    "9" * 5000, "-" + "9" * 5000, "2020-13-45", "2020-02-30 25:61:61", "0x" + "f" * 5000, "1e999999", "NaN",
    "&a ", "*a", "!!python/object/apply:os.system ", "!!binary AAAA", "!!set ", "? ", "<<: ", "[" * 3000, "{",
    "}", "\t", '"\\ud800"', "\ud800", "\x00", "---\n", "...\n", "%YAML 1.1\n", ": ", "- ", "#", "'", '"',
]


def _paths(node: Any, here: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [here]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, here + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, here + (index,))
    return found


def _parent(data: Any, path: tuple[Any, ...]) -> Any:
    for step in path[:-1]:
        data = data[step]
    return data


def mutate(data: dict[str, Any], rng: random.Random, mutations: int = 3) -> dict[str, Any]:
    """``data`` with a few random changes: a value replaced by a hostile one, a key dropped or added,
    a list item repeated."""
    data = copy.deepcopy(data)
    for _ in range(mutations):
        paths = [p for p in _paths(data) if p]
        if not paths:  # everything deleted
            break
        path = rng.choice(paths)
        parent, last = _parent(data, path), path[-1]
        move = rng.random()
        if move < 0.6:
            parent[last] = copy.deepcopy(rng.choice(HOSTILE))
        elif move < 0.75 and isinstance(parent, dict):
            del parent[last]
        elif move < 0.9 and isinstance(parent, dict):
            key = rng.choice(["extra", str(last) + "_", "env", "timeouts", "shapes"])
            parent[key] = copy.deepcopy(rng.choice(HOSTILE))  # shared, it would grow with every case
        elif isinstance(parent, list):
            parent.append(copy.deepcopy(parent[last]))
    return data


def _strict_json(text: str) -> Any:
    def refuse(constant: str) -> Any:
        raise ValueError(f"{constant} is not JSON")

    return json.loads(text, parse_constant=refuse)


def render(data: dict[str, Any]) -> str:
    """Every output of one document, YAML and JSON, as one text; SpecError when refused."""
    blueprint = expand(parse_document(data))
    cloud = [to_plain(resource) for resource in blueprint.cloud]
    manifests = list(blueprint.manifests)
    texts = [to_json(cloud), to_json(manifests), to_json(summary(blueprint))]
    for text in texts:
        _strict_json(text)
    texts += [to_yaml(cloud), to_yaml(manifests)]
    for text in texts:
        text.encode("utf-8")  # a lone surrogate would make the file unwritable
    return "".join(texts)


def as_text(data: dict[str, Any], rng: random.Random) -> str | None:
    """``data`` written as YAML or JSON, a hostile token spliced in at a random place half the time;
    None when it has no text form (an int of more than 4,300 digits, which Python will not write)."""
    try:
        text = json.dumps(data) if rng.random() < 0.5 else yaml.safe_dump(data, allow_unicode=True)
    except ValueError:
        return None
    if rng.random() < 0.5:
        at = rng.randrange(len(text) + 1)
        text = text[:at] + rng.choice(HOSTILE_TEXT) + text[at:]
    return text


def run(cases: int, seed: int) -> Counter[str]:
    """Cases tried by outcome: accepted, rejected (the project's error); anything else raises."""
    rng = random.Random(seed)
    documents = [yaml.safe_load(path.read_text()) for path in SPECS]
    outcomes: Counter[str] = Counter()
    for _ in range(cases):
        data = mutate(rng.choice(documents), rng, mutations=rng.randint(1, 4))
        try:
            text = as_text(data, rng) if rng.random() < 0.3 else None
            if text is not None:
                data = parse_text(text)
            first = render(data)
        except SpecError:
            outcomes["rejected"] += 1
            continue
        assert render(copy.deepcopy(data)) == first, "the same input rendered differently"
        outcomes["accepted"] += 1
    return outcomes
