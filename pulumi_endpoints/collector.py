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
        _promote_young_objects()
        if enabled:
            gc.enable()


def _promote_young_objects() -> None:
    """Move every young object straight to the oldest generation: chiefly what the pause
    allocated (a spec's models, a blueprint: long-lived, without cycles). Left young, the next
    collections would scan each of them twice more (young, then middle generation: 15-30 % of the
    time at 1,000-10,000 endpoints, benchmarks/expand.py) to find nothing to free. ``freeze`` then
    ``unfreeze`` does it in constant time. Cycles among them, the caller's included, are still
    freed, by the next full collection instead of a younger one."""
    gc.freeze()
    gc.unfreeze()
