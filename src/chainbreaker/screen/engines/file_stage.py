"""The local engine's first pass for several inputs at once: one input file per worker.

Reading is the first pass's whole cost, and it runs on one core when one process reads every
file. With several input files (a day's manifests from several carriers, a postal and an
express file), each file is staged by a worker process of its own:

- its good batches go to a spill file of its own (Arrow IPC, zstd), in the file's order;
- its context-key counts go, batch by batch, to a keys file (kind, key, n), which the driver
  adds to its `KeyTally` once the file is done;
- its bad records go to a side file (JSON lines) that the driver reads back and reports, file
  by file in input order, row by row in each file's order, so nothing is lost or reordered;
- the bytes it has read go to the driver as it reads (progress), through a queue the pool's
  initializer hands each worker.

The second pass reads the spill files in input order, so the decisions, their order and the
bad records are the same as when one process reads everything.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

from chainbreaker.screen.engines.key_tally import KEYS_SCHEMA, key_rows
from chainbreaker.screen.engines.run import RunStats
from chainbreaker.screen.engines.spec import PipelineSpec
from chainbreaker.screen.engines.staging import ReadFn, read_inputs
from chainbreaker.screen.models import BadRecord
from chainbreaker.screen.records import SHIPMENT_SCHEMA

__all__ = [
    "SPILL_CODEC",
    "StagedFile",
    "key_batches",
    "read_bad",
    "set_progress_queue",
    "stage_file",
]

#: Spill compression: fast to write and read (~0.1 s per 35,000 records), about a third of
#: the CSV input's size.
SPILL_CODEC = "zstd"

# The queue a worker reports its progress on: (file index, bytes read), set by the pool's
# initializer (`set_progress_queue`); None in a process that has none.
_PROGRESS: dict[str, Any] = {}


@dataclass(frozen=True, slots=True)
class StagedFile:
    """What staging one input file left in the run's folder, and its counts."""

    index: int  # the file's place among the inputs
    path: str  # the input file
    spill: str  # its good records, an Arrow IPC file of SHIPMENT_SCHEMA batches
    keys: str  # its context-key counts, an Arrow IPC file of KEYS_SCHEMA batches
    bad: str  # its bad records, JSON lines of [file, row, field, why]
    records: int  # good records spilled
    batches: int  # batches in the spill
    rows_read: int  # input rows read, bad ones included
    bytes_read: int  # input bytes read
    bad_count: int  # bad records written to `bad`


def set_progress_queue(queue: Any) -> None:
    """The pool's initializer: where this worker reports the bytes it has read."""
    _PROGRESS["queue"] = queue


def _report(index: int, done: int) -> None:
    queue = _PROGRESS.get("queue")
    if queue is not None:
        queue.put((index, done))


def stage_file(
    index: int,
    path: str,
    folder: str,
    spec: PipelineSpec,
    options: Mapping[str, Any],
    reader: ReadFn | None = None,
) -> StagedFile:
    """Read one input file into the run's `folder`: spill, key counts and bad records.

    `options` are the reader's: batch_size, and profile and mapping when given. Errors of the
    file itself (unreadable, unknown format, a header no profile fits) propagate: the driver
    raises them in input order.
    """
    base = Path(folder) / f"input-{index:05d}"
    spill_path, keys_path = f"{base}.arrow", f"{base}.keys.arrow"
    bad_path = f"{base}.bad.jsonl"
    stats = RunStats()
    records = batches = 0
    last_report = 0.0

    def report(_phase: str, done: int, _total: int | None) -> None:
        nonlocal last_report
        now = time.monotonic()
        if now - last_report >= 0.2:
            _report(index, done)
            last_report = now

    spill_options = pa.ipc.IpcWriteOptions(compression=SPILL_CODEC)
    with (
        pa.OSFile(spill_path, "wb") as spill_sink,
        pa.ipc.new_file(spill_sink, SHIPMENT_SCHEMA, options=spill_options) as spill,
        pa.OSFile(keys_path, "wb") as keys_sink,
        pa.ipc.new_file(keys_sink, KEYS_SCHEMA) as keys,
        Path(bad_path).open("w", encoding="utf-8") as bad,
    ):

        def set_aside(record: BadRecord) -> None:
            bad.write(json.dumps([record.file, record.row, record.field, record.why]) + "\n")

        # the readers' own bookkeeping (rows, bytes, bad records, conformed non-empty batches)
        batches_read = read_inputs(
            [Path(path)],
            profile=options.get("profile"),
            mapping=options.get("mapping"),
            batch_size=options["batch_size"],
            stats=stats,
            on_bad=set_aside,
            on_progress=report,
            reader=reader,
        )
        for batch in batches_read:
            spill.write_batch(batch)
            keys.write_batch(key_rows(spec.key_counts(batch)))
            records += batch.num_rows
            batches += 1
    _report(index, stats.bytes_read)
    return StagedFile(
        index,
        path,
        spill_path,
        keys_path,
        bad_path,
        records,
        batches,
        stats.rows_read,
        stats.bytes_read,
        stats.bad_count,
    )


def read_bad(staged: StagedFile) -> Iterator[BadRecord]:
    """The bad records a staged file set aside, in the file's order."""
    with Path(staged.bad).open(encoding="utf-8") as handle:
        for line in handle:
            file, row, field, why = json.loads(line)
            yield BadRecord(file, row, field, why)


def key_batches(staged: StagedFile) -> Iterator[pa.RecordBatch]:
    """The key counts of a staged file, batch by batch."""
    with pa.OSFile(staged.keys, "rb") as source:
        keys = pa.ipc.open_file(source)
        for i in range(keys.num_record_batches):
            yield keys.get_batch(i)
