"""The local engine: every core of one machine, memory bounded whatever the input size.

Two passes. The first streams the inputs through the readers (bad records set aside), writes
the good batches to compressed (zstd) Arrow spill files in a temporary folder and counts the
context keys of each batch; the counts are kept on disk (`KeyTally`) and only the keys shared
by several records come back into memory. With several input files and several workers, each
file is read by a worker of its own (`file_stage`: its own spill, key counts and bad records,
reported in input order); with one file, this process reads it and a process pool counts the
keys of each batch. The second builds one pipeline per worker process (from the picklable
config and the counts, in the pool's initializer) and hands each worker the *place* of a
spilled batch (spill file, batch number): the worker reads it from the spill (plain reads, not
a memory map: the pages of a mapped file would stay counted in the worker's memory until the
end of the run, a third of the input's size), decides it and sends the decisions back. At most
`max_in_flight` batches are pending at any time, and decisions come back in input order.
"""

from __future__ import annotations

import multiprocessing
import os
import queue as queues
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from contextlib import ExitStack
from pathlib import Path
from typing import Any, TypeVar

import pyarrow as pa

from chainbreaker.collector import BatchCollector
from chainbreaker.screen.engines.file_stage import (
    SPILL_CODEC,
    StagedFile,
    key_batches,
    read_bad,
    set_progress_queue,
    stage_file,
)
from chainbreaker.screen.engines.key_tally import KeyTally
from chainbreaker.screen.engines.run import BadRecordFn, ProgressFn, RunStats, no_progress
from chainbreaker.screen.engines.spec import (
    DEFAULT_SPEC,
    BatchPipeline,
    KeyCounts,
    PipelineSpec,
    decide_checked,
)
from chainbreaker.screen.engines.staging import ReadFn, input_size, read_inputs
from chainbreaker.screen.models import Decision
from chainbreaker.screen.records import SHIPMENT_SCHEMA

T = TypeVar("T")
R = TypeVar("R")

#: Records per batch read from the inputs (and per task sent to a worker).
DEFAULT_BATCH_SIZE = 10_000
_SPILL_NAME = "records.arrow"
#: Modules the forkserver imports before forking workers (their memory is then shared).
_PRELOAD = ("chainbreaker.screen.pipeline",)


def screen_local(
    inputs: Sequence[Path],
    config: Any,
    *,
    profile: str | None = None,
    mapping: Any = None,
    workers: int | None = None,
    on_progress: ProgressFn | None = None,
    on_bad: BadRecordFn | None = None,
    stats: RunStats | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    max_in_flight: int | None = None,
    spill_dir: Path | None = None,
    spec: PipelineSpec = DEFAULT_SPEC,
    reader: ReadFn | None = None,
) -> Iterator[Decision]:
    """Screen the records of `inputs` with the pipeline of `config`: one decision per record.

    `workers` processes (default: every core; 1 runs in this process); at most `max_in_flight`
    batches (default: twice the workers) are being worked on or waiting to be consumed. Bad
    records go to `on_bad`, or to `stats.bad` when it is None; `stats` (pass your own to read it)
    gets the counts and timings. The spill file lives in a temporary folder under `spill_dir`
    (default: the system's) and is deleted when the iterator ends or is closed.
    """
    count = workers if workers is not None else (os.cpu_count() or 1)
    if count < 1:
        raise ValueError(f"workers must be at least 1, not {count}")
    limit = max_in_flight if max_in_flight is not None else 2 * count
    if limit < 1:
        raise ValueError(f"max_in_flight must be at least 1, not {limit}")
    run = stats if stats is not None else RunStats()
    run.engine, run.workers = "local", count
    progress = on_progress or no_progress
    with tempfile.TemporaryDirectory(prefix="chainbreaker-screen-", dir=spill_dir) as folder:
        minimums = spec.minimums(config)
        paths = [Path(p) for p in inputs]
        if count > 1 and len(paths) > 1:
            options = {"profile": profile, "mapping": mapping, "batch_size": batch_size}
            size = input_size(paths)
            staged = _stage_files(
                paths, size, Path(folder), spec, count, options, reader, run, progress
            )
            spills = [Path(s.spill) for s in staged]
            counts, total = _gather(staged, size, Path(folder), minimums, run, on_bad, progress)
        else:
            batches = read_inputs(
                paths,
                profile=profile,
                mapping=mapping,
                batch_size=batch_size,
                stats=run,
                on_bad=on_bad,
                on_progress=progress,
                reader=reader,
            )
            counts, total = _first_pass(batches, Path(folder), spec, count, limit, minimums)
            spills = [Path(folder) / _SPILL_NAME]
        yield from _second_pass(spills, config, counts, total, spec, count, limit, run, progress)


def _stage_files(
    inputs: list[Path],
    total: int | None,
    folder: Path,
    spec: PipelineSpec,
    workers: int,
    options: Mapping[str, Any],
    reader: ReadFn | None,
    run: RunStats,
    progress: ProgressFn,
) -> list[StagedFile]:
    """Read every input in a worker of its own (the largest first), in parallel.

    Progress ("read", bytes) comes from the workers as they read. The first error of a file
    (unreadable, unknown format...) in input order is raised once the workers stop.
    """
    started = time.perf_counter()
    context = _context()
    messages = context.Queue()
    done: dict[int, int] = {}
    try:
        with _pool(workers, set_progress_queue, (messages,)) as pool:
            order = sorted(range(len(inputs)), key=lambda i: -(input_size(inputs[i : i + 1]) or 0))
            futures = {
                i: pool.submit(stage_file, i, str(inputs[i]), str(folder), spec, options, reader)
                for i in order
            }
            pending: set[Future[StagedFile]] = set(futures.values())
            while pending:
                finished, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
                _drain(messages, done)
                progress("read", sum(done.values()), total)
                if any(f.exception() is not None for f in finished):
                    for future in pending:
                        future.cancel()
                    break
            for i in range(len(inputs)):  # the first failure in input order
                future = futures[i]
                error = None if future.cancelled() or not future.done() else future.exception()
                if error is not None:
                    raise error
            return [futures[i].result() for i in range(len(inputs))]
    finally:
        _drain(messages, done)
        messages.close()
        run.read_seconds += time.perf_counter() - started


def _gather(
    staged: list[StagedFile],
    total: int | None,
    folder: Path,
    minimums: Mapping[str, int] | None,
    run: RunStats,
    on_bad: BadRecordFn | None,
    progress: ProgressFn,
) -> tuple[KeyCounts, int]:
    """The staged files' counts and bad records, in input order; their key counts tallied."""
    started = time.perf_counter()
    records = 0
    with KeyTally(folder) as tally:
        for part in staged:
            run.inputs.append(part.path)
            run.rows_read += part.rows_read
            run.bytes_read += part.bytes_read
            for bad in read_bad(part):
                run.bad_count += 1
                if on_bad is None:
                    run.bad.append(bad)
                else:
                    on_bad(bad)
            for rows in key_batches(part):
                tally.add_rows(rows)
            records += part.records
        progress("read", run.bytes_read, total)
        counts = tally.repeated(minimums)
    run.read_seconds += time.perf_counter() - started
    return counts, records


def _drain(messages: Any, done: dict[int, int]) -> None:
    """Take every progress message (file index, bytes read) waiting on the queue."""
    while True:
        try:
            index, read = messages.get_nowait()
        except (queues.Empty, OSError, ValueError):
            return
        done[index] = max(done.get(index, 0), read)


def _first_pass(
    batches: Iterator[pa.RecordBatch],
    folder: Path,
    spec: PipelineSpec,
    workers: int,
    limit: int,
    minimums: Mapping[str, int] | None,
) -> tuple[KeyCounts, int]:
    """Spill every batch to `folder` and count its context keys.

    Returns the keys counted often enough for a rule to use them (`minimums`, see
    `PipelineSpec.minimums`; else every key counted twice or more) and the number of records;
    the counting happens on disk (`KeyTally`), so memory does not grow with the input.
    """
    records = 0
    options = pa.ipc.IpcWriteOptions(compression=SPILL_CODEC)
    with (
        pa.OSFile(str(folder / _SPILL_NAME), "wb") as sink,
        pa.ipc.new_file(sink, SHIPMENT_SCHEMA, options=options) as writer,
        KeyTally(folder) as tally,
    ):

        def spilled() -> Iterator[pa.RecordBatch]:
            nonlocal records
            for batch in batches:
                writer.write_batch(batch)
                records += batch.num_rows
                yield batch

        if workers == 1:
            for batch in spilled():
                tally.add(spec.key_counts(batch))
        else:
            with _pool(workers) as pool:
                for part in ordered_map(pool, spec.key_counts, spilled(), limit):
                    tally.add(part)
        counts = tally.repeated(minimums)
    return counts, records


def _second_pass(
    spills: list[Path],
    config: Any,
    counts: KeyCounts,
    total: int,
    spec: PipelineSpec,
    workers: int,
    limit: int,
    run: RunStats,
    progress: ProgressFn,
) -> Iterator[Decision]:
    """The decisions for every spilled batch, in order (spill files in input order)."""
    places = [(f, b) for f, spill in enumerate(spills) for b in range(_batches_in(spill))]
    started = time.perf_counter()
    try:
        if workers == 1:
            pipeline = spec.build(config, counts)
            run.pipeline_version = pipeline.version
            run.setup_seconds = time.perf_counter() - started
            with ExitStack() as files:
                sources = [files.enter_context(pa.OSFile(str(s), "rb")) for s in spills]
                opened = [pa.ipc.open_file(source) for source in sources]
                results: Iterable[list[Decision]] = (
                    decide_checked(pipeline, opened[f].get_batch(b)) for f, b in places
                )
                yield from _counted(results, run, total, progress)
            return
        initargs = (spec, config, counts, [str(s) for s in spills])
        with _pool(workers, _init_worker, initargs) as pool:
            run.pipeline_version = pool.submit(_worker_version).result()
            run.setup_seconds = time.perf_counter() - started
            results = ordered_map(pool, _decide_spilled, places, limit)
            yield from _counted(results, run, total, progress)
    finally:
        run.screen_seconds += time.perf_counter() - started


def _batches_in(spill: Path) -> int:
    with pa.OSFile(str(spill), "rb") as source:
        return int(pa.ipc.open_file(source).num_record_batches)


def _open_spills(spills: Sequence[Path | str]) -> list[pa.ipc.RecordBatchFileReader]:
    return [pa.ipc.open_file(pa.OSFile(str(s), "rb")) for s in spills]


def _counted(
    results: Iterable[list[Decision]], run: RunStats, total: int, progress: ProgressFn
) -> Iterator[Decision]:
    progress("screen", run.records, total)
    for decisions in results:
        run.records += len(decisions)
        progress("screen", run.records, total)
        yield from decisions


def ordered_map(
    pool: Executor, fn: Callable[[T], R], items: Iterable[T], limit: int
) -> Iterator[R]:
    """`fn` over `items` in `pool`, results in input order, at most `limit` tasks pending.

    An item is submitted only when fewer than `limit` results are waiting, so at most `limit`
    items (and their results) are in memory whatever the length of `items`.
    """
    pending: deque[Future[R]] = deque()
    try:
        for item in items:
            if len(pending) >= limit:
                yield pending.popleft().result()
            pending.append(pool.submit(fn, item))
        while pending:
            yield pending.popleft().result()
    finally:
        for future in pending:
            future.cancel()


def _context() -> multiprocessing.context.BaseContext:
    # forkserver: workers start from a clean process, not a fork of one that may run threads
    # (a progress bar's, Spark's); the worker imports what it needs once.
    methods = multiprocessing.get_all_start_methods()
    method = "forkserver" if "forkserver" in methods else "spawn"
    context = multiprocessing.get_context(method)
    if method == "forkserver":
        # The server imports the pipeline's modules once; workers forked from it share those
        # pages (libraries, tables) instead of each loading its own copy.
        context.set_forkserver_preload(list(_PRELOAD))
    return context


def _pool(
    workers: int,
    initializer: Callable[..., None] | None = None,
    initargs: tuple[Any, ...] = (),
) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=_context(),
        initializer=initializer,
        initargs=initargs,
    )


# One pipeline and the open spills per worker process, set by the pool's initializer.
_WORKER: dict[str, Any] = {}


def _init_worker(spec: PipelineSpec, config: Any, counts: KeyCounts, spills: list[str]) -> None:
    # An error here would only break the pool ("terminated abruptly"): keep it, and raise it
    # from the first task, so that the caller sees what went wrong (a list that cannot be read).
    try:
        _WORKER["pipeline"] = spec.build(config, counts)
        _WORKER["spills"] = _open_spills(spills)
        _WORKER["collector"] = BatchCollector()
    except Exception as exc:
        _WORKER["error"] = exc


def _worker_pipeline() -> BatchPipeline:
    error: Exception | None = _WORKER.get("error")
    if error is not None:
        raise error
    pipeline: BatchPipeline = _WORKER["pipeline"]
    return pipeline


def _worker_version() -> str:
    return _worker_pipeline().version


def _decide_spilled(place: tuple[int, int]) -> list[Decision]:
    pipeline = _worker_pipeline()
    spill, number = place
    decisions = decide_checked(pipeline, _WORKER["spills"][spill].get_batch(number))
    _WORKER["collector"].batch_done()  # between batches: see BatchCollector
    return decisions
