"""Expansion pauses Python's garbage collector and hands the user's process back as it found it."""

from __future__ import annotations

import gc
import weakref

from pulumi_endpoints.blueprint import expand
from pulumi_endpoints.collector import collector_paused
from pulumi_endpoints.spec import parse_document

from .helpers import CONTAINER


class Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the collector frees it


def test_the_collector_is_on_again_after_an_expansion_and_nothing_stays_frozen() -> None:
    expand(parse_document({"name": "demo", "source": CONTAINER}))
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0


def test_a_caller_that_turned_the_collector_off_finds_it_off() -> None:
    gc.disable()
    try:
        expand(parse_document({"name": "demo", "source": CONTAINER}))
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_cycles_made_during_a_pause_are_still_freed() -> None:
    with collector_paused():
        garbage = weakref.ref(Node())
    assert garbage() is not None  # promoted to the oldest generation, not frozen
    gc.collect()
    assert garbage() is None
