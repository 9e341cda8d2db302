"""The cycle collector: paused for a batch's work and back as it was; what is loaded frozen."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from chainbreaker.collector import BatchCollector, collector_paused, freeze_loaded


@pytest.fixture
def collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


@pytest.mark.usefixtures("collector_on")
def test_the_collector_is_off_inside_and_on_again_after() -> None:
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


@pytest.mark.usefixtures("collector_on")
def test_the_collector_comes_back_after_an_error() -> None:
    with pytest.raises(ValueError), collector_paused():
        raise ValueError("bad batch")
    assert gc.isenabled()


@pytest.mark.usefixtures("collector_on")
def test_a_caller_that_turned_it_off_keeps_it_off() -> None:
    gc.disable()
    with collector_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()


@pytest.mark.usefixtures("collector_on")
def test_a_cycle_made_during_the_pause_is_freed_after() -> None:
    class Node:
        other: object = None

    with collector_paused():
        a, b = Node(), Node()
        a.other, b.other = b, a
        alive = [id(a)]
        del a, b
    gc.collect()
    assert not any(id(o) == alive[0] for o in gc.get_objects() if type(o).__name__ == "Node")


def test_freezing_moves_what_is_alive_out_of_sight() -> None:
    alive = [object() for _ in range(10)]
    try:
        freeze_loaded()
        assert gc.get_freeze_count() >= len(alive)
    finally:
        gc.unfreeze()


class _Node:
    other: object = None


@pytest.mark.usefixtures("collector_on")
def test_a_batch_worker_collects_every_few_batches_and_only_then() -> None:
    collector = BatchCollector(every=3)
    try:
        assert not gc.isenabled()
        a, b = _Node(), _Node()
        a.other, b.other = b, a  # a cycle: only the collector frees it
        gone = weakref.ref(a)
        del a, b
        collector.batch_done()
        collector.batch_done()
        assert gone() is not None  # two batches: no collection yet
        assert (collector.batches, collector.collections) == (2, 0)
        collector.batch_done()
        assert gone() is None  # the third batch's collection freed it
        assert (collector.batches, collector.collections) == (3, 1)
    finally:
        gc.enable()


def test_a_batch_worker_collects_at_least_every_batch() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        BatchCollector(every=0)
