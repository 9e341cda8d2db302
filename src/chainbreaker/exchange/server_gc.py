"""The garbage collector of a server process, tuned once the server has started.

A request allocates thousands of objects, almost all freed at once by reference counting; with
CPython's defaults (a young collection every 700 allocations, an older one every 10 of those)
the collector ran several times per request and kept scanning the hundreds of thousands of
objects loaded at start (the chem catalog, the name tables, the compiled statements), which
never die. Measured in process on this machine with 32 clients reporting at once, a report
cost 9.3 ms of CPU with the defaults and 7.5 ms with `tune_collector` (the single writer's
share 6.1 -> 4.2 ms: building the name matcher allocates the most).

`chainbreaker serve` tunes its workers (`api.app_from_env`); an app made in tests is left alone.
"""

from __future__ import annotations

import gc

from chainbreaker.collector import freeze_loaded

__all__ = ["OLD", "YOUNG", "YOUNGER", "tune_collector"]

#: Allocations (less deallocations) between young collections.
YOUNG = 10_000
#: Young collections between collections of the middle generation.
YOUNGER = 50
#: Middle collections between full ones (CPython also waits for a quarter more long-lived
#: objects than at the last full collection).
OLD = 100


def tune_collector() -> None:
    """Collect once, move every object alive (what the start loaded) out of the collector's
    sight for good (`gc.freeze`), and collect less often."""
    freeze_loaded()
    gc.set_threshold(YOUNG, YOUNGER, OLD)
