"""Polling until a resource is ready or gone: exponential backoff with equal jitter and a timeout."""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from typing import Protocol, TypeVar

from .errors import CloudError, or_none

T = TypeVar("T")

# EFS life cycle states of a file system, mount target or access point that is going away or gone.
GONE = frozenset({"deleting", "deleted"})
PROGRESS_EVERY = 30.0  # seconds between "still waiting" log lines

log = logging.getLogger("pulumi_endpoints.aws")


class _Status(Protocol):
    @property
    def status(self) -> str: ...


S = TypeVar("S", bound=_Status)


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
    start = time.monotonic()
    deadline, next_report = start + timeout, start + PROGRESS_EVERY
    attempt = 0
    while True:
        result = probe()
        if done(result):
            log.debug("%s is %s after %.1f s (%d polls)", resource, what, time.monotonic() - start, attempt + 1)
            return result
        now = time.monotonic()
        remaining = deadline - now
        if remaining <= 0:
            raise CloudError(
                resource, "Timeout", f"not {what} after {timeout:.0f} s",
                hint="AWS is still working on it: run again later, or raise the timeout",
            )
        if now >= next_report:
            log.info("still waiting for %s to be %s: %.0f s of %.0f s", resource, what, now - start, timeout)
            next_report = now + PROGRESS_EVERY
        ceiling = min(max_delay, first_delay * 2**attempt)
        time.sleep(min(remaining, ceiling / 2 + random.uniform(0, ceiling / 2)))
        attempt += 1


def delete_and_wait(delete: Callable[[], object], probe: Callable[[], object | None], *,
                    resource: str, timeout: float) -> None:
    """Call ``delete`` (it returns AWS's answer), then poll ``probe`` until it returns None.
    An answer that the resource is not there means it is already gone, not an error."""
    if or_none(resource, delete) is None:
        return
    wait_for(probe, lambda state: state is None, resource=resource, what="deleted", timeout=timeout)


def wait_available(probe: Callable[[], S | None], *, resource: str, noun: str, code: str, timeout: float) -> S:
    """Poll an EFS resource until its state is ``available``. It failing (state ``error``) or
    disappearing stops the wait: ``<code>Error`` or ``<code>NotFound``, e.g. ``FileSystemNotFound``."""

    def available(state: S | None) -> bool:
        if state is None:
            raise CloudError(resource, f"{code}NotFound", f"the {noun} disappeared while waiting")
        if state.status == "error":
            raise CloudError(resource, f"{code}Error", f"EFS reports the {noun} in state 'error'")
        return state.status == "available"

    result = wait_for(probe, available, resource=resource, what="available", timeout=timeout)
    assert result is not None
    return result
