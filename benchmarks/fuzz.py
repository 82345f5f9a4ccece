"""Seeded mutations of the example specs through load → expand → render (tests/reliability/mutator.py):
prints cases tried, accepted, rejected and crashed. Run: .venv/bin/python benchmarks/fuzz.py [CASES] [SEED]"""

from __future__ import annotations

import sys
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "tests"))

from reliability.mutator import run  # noqa: E402


def main() -> int:
    cases = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    started, crashed, outcomes = time.perf_counter(), 0, {"accepted": 0, "rejected": 0}
    for batch in range(0, cases, 100):  # a crash stops its batch only
        try:
            for kind, count in run(min(100, cases - batch), seed + batch).items():
                outcomes[kind] += count
        except Exception:  # noqa: BLE001 - a crash is what this counts
            crashed += 1
            traceback.print_exc(limit=3)
    print(f"cases tried: {cases}, accepted: {outcomes['accepted']}, rejected: {outcomes['rejected']}, "
          f"crashed batches: {crashed}, {time.perf_counter() - started:.1f} s")
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
