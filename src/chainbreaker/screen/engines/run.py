"""What a screening run did, whatever the engine: counts, bad records, timings, versions.

Both engines fill a `RunStats` as they go (the caller passes one in and reads it once the
decisions are consumed) and report progress through one callback.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from chainbreaker.screen.models import BadRecord

#: Progress callback: (phase, done, total). Phases: "read" (bytes of input read, total the
#: input's size) then "screen" (records decided, total the records read).
ProgressFn = Callable[[str, int, int | None], None]

#: Called with each bad record as soon as it is read.
BadRecordFn = Callable[[BadRecord], None]


@dataclass(slots=True)
class RunStats:
    """Counts and timings of one run; bad records kept unless the caller takes them (`on_bad`)."""

    engine: str = "local"
    workers: int = 1
    inputs: list[str] = field(default_factory=list)
    rows_read: int = 0  # rows (or records) read from the inputs, bad ones included
    bytes_read: int = 0
    records: int = 0  # records screened (a decision each)
    bad_count: int = 0
    bad: list[BadRecord] = field(default_factory=list)
    pipeline_version: str | None = None
    started: float = field(default_factory=time.perf_counter)
    read_seconds: float = 0.0  # first pass: reading the inputs and counting context keys
    screen_seconds: float = 0.0  # second pass: deciding (setup_seconds included)
    setup_seconds: float = 0.0  # building the pipelines (lists, catalog) before deciding
    notes: list[str] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        """Reading plus screening."""
        return self.read_seconds + self.screen_seconds

    @property
    def records_per_second(self) -> float | None:
        """Records screened per second, end to end (None before any time has passed)."""
        return self.records / self.seconds if self.seconds > 0 else None


def no_progress(_phase: str, _done: int, _total: int | None) -> None:
    """The progress callback that shows nothing."""
