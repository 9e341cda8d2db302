"""Python's cycle collector around long-lived tables and short-lived batches.

`freeze_loaded`: what a process loaded to do its work (watch lists and their index, the chem
catalog, compiled statements) lives as long as the process; moved out of the collector's sight
once loaded, it is no longer walked by every full collection. The screen's workers and the
exchange's server processes call it once they are ready.

`collector_paused`: pausing it while a batch is read or decided.

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

__all__ = ["collector_paused", "freeze_loaded"]


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
