"""Polling until a resource is ready or gone: exponential backoff with full jitter and a timeout."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

from .errors import CloudError, translated

T = TypeVar("T")


def wait_for(
    probe: Callable[[], T],
    done: Callable[[T], bool],
    *,
    resource: str,
    what: str,
    timeout: float,
    first_delay: float = 2.0,
    max_delay: float = 30.0,
) -> T:
    """Call ``probe`` until ``done(result)``; return that result.

    ``done`` may raise (a FAILED status) to stop early. The n-th pause is drawn
    from [c/2, c] with c = min(max_delay, first_delay * 2**n) ("equal jitter"),
    and never runs past the deadline.
    """
    deadline = time.monotonic() + timeout
    attempt = 0
    while True:
        result = probe()
        if done(result):
            return result
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise CloudError(
                resource, "Timeout", f"not {what} after {timeout:.0f} s",
                hint="AWS is still working on it: run again later, or raise the timeout",
            )
        ceiling = min(max_delay, first_delay * 2**attempt)
        time.sleep(min(remaining, ceiling / 2 + random.uniform(0, ceiling / 2)))
        attempt += 1


def delete_and_wait(delete: Callable[[], object], probe: Callable[[], object | None], *,
                    resource: str, timeout: float) -> None:
    """Call ``delete``, then poll ``probe`` until it returns None. An answer that the resource
    is not there means it is already gone, not an error."""
    try:
        with translated(resource):
            delete()
    except CloudError as exc:
        if exc.not_found:
            return
        raise
    wait_for(probe, lambda state: state is None, resource=resource, what="deleted", timeout=timeout)
