"""Review a 1,000-resource Terraform plan (read, group, render Markdown); print seconds.

The plan is tests/review/data/scale.plan.json (a real plan) with its resources copied
for 250 endpoints: node pools replaced and updated, access points, secrets, mount targets.
Target on the project's 2-core machine: at most 1 s.
Run: .venv/bin/python benchmarks/review.py [COUNT]
"""

from __future__ import annotations

import copy
import json
import sys
import time
from pathlib import Path
from typing import Any

from pulumi_endpoints.review import markdown, review
from pulumi_endpoints.review.terraform import read

DATA = Path(__file__).parents[1] / "tests" / "review" / "data"
TARGET_SECONDS = 1.0
ENDPOINTS = 250


def big_plan(count: int) -> str:
    plan = json.loads((DATA / "scale.plan.json").read_text())
    templates = [c for c in plan["resource_changes"] if c["mode"] == "managed"]
    changes: list[dict[str, Any]] = []
    for i in range(count):
        change = copy.deepcopy(templates[i % len(templates)])
        endpoint = f"endpoint-{i % ENDPOINTS}"
        change["address"] = f"{change['type']}.r{i}"
        change["index"] = f"r{i}"
        change["change"]["actions"] = [["update"], ["delete", "create"], ["create"]][i % 3]
        for side in ("before", "after"):
            values = change["change"][side]
            if isinstance(values.get("tags"), dict):
                values["tags"] = {**values["tags"], "endpoint": endpoint}
            if "name" in values:
                values["name"] = f"{endpoint}-{i}"
        changes.append(change)
    plan["resource_changes"] = changes
    return json.dumps(plan)


def main() -> int:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    text = big_plan(count)
    start = time.perf_counter()
    output = markdown(review(read(text, "plan.json")))
    seconds = time.perf_counter() - start
    print(f"reviewed a {count:,}-resource plan ({len(text) / 1e6:.1f} MB of JSON) in {seconds:.3f} s "
          f"(target ≤ {TARGET_SECONDS:g} s): {len(output):,} characters of Markdown")
    return 0 if seconds <= TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
