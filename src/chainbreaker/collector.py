"""Python's cycle collector around long-lived tables and short-lived batches.

`freeze_loaded`: what a process loaded to do its work (watch lists and their index, the chem
catalog, compiled statements) lives as long as the process; moved out of the collector's sight
once loaded, it is no longer walked by every full collection. The screen's workers and the
exchange's server processes call it once they are ready.

`collector_paused`: pausing it while a batch is read or decided.

`BatchCollector`: a worker process that does nothing but batch after batch keeps the collector
off for good and runs one full collection every so many batches, between two of them.

A chunk of rows, or a batch of records being decided, is many thousands of short-lived lists,
tuples and objects freed by reference counting as soon as the batch is done. With the
collector on, their allocation triggers collections that walk every young object again and
again (about a sixth of reading and a tenth of deciding, measured here). The pause covers one
batch's work, never the caller's; any cycle made meanwhile is still young when the collector
comes back on, and the next young collection frees it.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["BATCHES_PER_COLLECTION", "BatchCollector", "collector_paused", "freeze_loaded"]

#: Batches a `BatchCollector` lets pass between two full collections.
BATCHES_PER_COLLECTION = 25


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cycle collector off inside the block (left as it was found: a caller that had
    turned it off keeps it off)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def freeze_loaded() -> None:
    """Collect once, then move every object alive (what the process loaded) out of the
    collector's sight for good (`gc.freeze`)."""
    gc.collect()
    gc.freeze()


class BatchCollector:
    """The collector of a worker process that decides batch after batch: off for good, and one
    full collection every `every` batches, between two batches (`batch_done`).

    Pausing the collector inside each batch is not enough for such a worker: what a batch
    leaves alive (new entries of its caches of names and addresses, tens of thousands of
    objects) is young when the collector comes back on; the first allocation then sets off a
    collection that walks it, and later full collections walk every cache entry again: 6.5 % of
    a worker's time, profiled at a million records. Deciding makes no reference cycles (a full
    collection after each batch found none), so a collection every `every` batches frees any a
    change might bring, walking the caches (not the frozen tables) once per `every` batches.
    """

    def __init__(self, every: int = BATCHES_PER_COLLECTION) -> None:
        if every < 1:
            raise ValueError(f"every must be at least 1, not {every}")
        self.every = every
        #: Batches done, and full collections run, so far.
        self.batches = 0
        self.collections = 0
        gc.disable()

    def batch_done(self) -> None:
        """Count a batch; every `every` batches, run a full collection."""
        self.batches += 1
        if self.batches % self.every == 0:
            gc.collect()
            self.collections += 1
