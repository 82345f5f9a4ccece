"""Pausing Python's cyclic garbage collector while a spec is validated and expanded.

Both build trees of dicts, lists and models that hold no reference cycles, so a collection during
them frees nothing; but each one re-scans every object still alive, and with thousands of
endpoints those scans took most of the time (0.5 ms per endpoint at 100, 1.4 ms at 10,000, 64 %
of it collecting: benchmarks/expand.py). Reference counting still frees everything as usual.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
