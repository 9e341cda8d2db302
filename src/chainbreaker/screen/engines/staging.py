"""The first pass of every engine: the inputs read through the readers, bad records set aside.

Reading happens once, on the driver, in input order; each good batch goes on to the engine (to
count context keys and to be kept for the second pass), each bad record to the caller's
`on_bad` or to `RunStats.bad`. Nothing is dropped: every row read is either in a batch or a bad
record.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

import pyarrow as pa

from chainbreaker.screen.engines.run import BadRecordFn, ProgressFn, RunStats
from chainbreaker.screen.models import BadRecord
from chainbreaker.screen.records import SHIPMENT_SCHEMA


class ReadResultLike(Protocol):
    """What `chainbreaker.screen.readers.read_records` yields."""

    @property
    def batch(self) -> pa.RecordBatch: ...

    @property
    def bad(self) -> list[BadRecord]: ...

    @property
    def rows_read(self) -> int: ...

    @property
    def bytes_read(self) -> int: ...


#: read_records(path, profile=..., mapping=..., batch_size=...) -> Iterator[ReadResult]
ReadFn = Callable[..., Iterator[ReadResultLike]]


def default_reader() -> ReadFn:
    """The project's readers (imported when a run starts)."""
    from chainbreaker.screen.readers import read_records

    reader: ReadFn = read_records
    return reader


def input_size(inputs: Sequence[Path]) -> int | None:
    """Total bytes of the input files (None if one cannot be sized)."""
    try:
        return sum(Path(p).stat().st_size for p in inputs)
    except OSError:
        return None


def read_inputs(
    inputs: Sequence[Path],
    *,
    profile: str | None,
    mapping: Any,
    batch_size: int,
    stats: RunStats,
    on_bad: BadRecordFn | None,
    on_progress: ProgressFn,
    reader: ReadFn | None = None,
) -> Iterator[pa.RecordBatch]:
    """The good records of every input, in order, as non-empty SHIPMENT_SCHEMA batches.

    Counts rows and bytes read into `stats` and times the pass (`stats.read_seconds`, which
    includes whatever the caller does with each batch before asking for the next).
    """
    read = reader or default_reader()
    total = input_size(inputs)
    started = time.perf_counter()
    try:
        for path in inputs:
            stats.inputs.append(str(path))
            before = stats.bytes_read
            for result in read(path, profile=profile, mapping=mapping, batch_size=batch_size):
                stats.rows_read += result.rows_read
                # bytes_read counts from the start of the file
                stats.bytes_read = max(stats.bytes_read, before + result.bytes_read)
                for bad in result.bad:
                    stats.bad_count += 1
                    if on_bad is None:
                        stats.bad.append(bad)
                    else:
                        on_bad(bad)
                on_progress("read", stats.bytes_read, total)
                batch = conform(result.batch)
                if batch.num_rows:
                    yield batch
    finally:
        stats.read_seconds += time.perf_counter() - started


def conform(batch: pa.RecordBatch) -> pa.RecordBatch:
    """`batch` with exactly SHIPMENT_SCHEMA (columns by name, types cast where they differ)."""
    if batch.schema.equals(SHIPMENT_SCHEMA):
        return batch
    columns = [batch.column(name).cast(field.type) for name, field in _fields()]
    return pa.RecordBatch.from_arrays(columns, schema=SHIPMENT_SCHEMA)


def _fields() -> Iterator[tuple[str, pa.Field]]:
    for field in SHIPMENT_SCHEMA:
        yield field.name, field
