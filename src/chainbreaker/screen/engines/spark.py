"""The Spark engine: the same pipeline through PySpark's `mapInArrow`, on any cluster.

The driver reads the inputs with the project's readers (bad records set aside, exactly as the
local engine does) and stages the good records as Parquet files with a sequence number. Spark
then counts the context keys (`mapInArrow` to per-batch counts, `groupBy` to totals, collected
to the driver and broadcast), decides every record with one pipeline per Python worker
(`mapInArrow` again), sorts each partition by sequence number and writes the decisions as
Parquet; the driver merges the sorted parts back into input order. Same pipeline, same context
counts: the same decisions as the local engine.

On a cluster the staging folder must be one the executors can read and write (give
`staging_dir` on a shared file system), and chainbreaker and the list files must be installed
at the same paths on every executor (see docs/engines.md).
"""

from __future__ import annotations

import heapq
import json
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from chainbreaker.screen.engines.run import BadRecordFn, ProgressFn, RunStats, no_progress
from chainbreaker.screen.engines.spec import (
    DEFAULT_SPEC,
    BatchPipeline,
    PipelineSpec,
    count_rows,
    decide_checked,
)
from chainbreaker.screen.engines.staging import ReadFn, conform, read_inputs
from chainbreaker.screen.models import Decision, Hit
from chainbreaker.screen.records import SHIPMENT_SCHEMA

#: Records per staged Parquet file (a file is at least one Spark partition).
DEFAULT_ROWS_PER_FILE = 100_000
_SEQ = "_seq"
_STAGED_SCHEMA = pa.schema([pa.field(_SEQ, pa.int64()), *SHIPMENT_SCHEMA])
_KEYS_DDL = "kind string, key string, n long"
_KEYS = pa.schema([("kind", pa.string()), ("key", pa.string()), ("n", pa.int64())])
_DECIDED_DDL = (
    "_seq long, record_id string, profile string, source_file string, source_row long, "
    "risk double, decision string, hits string, version string"
)


def screen_spark(
    inputs: Sequence[Path],
    config: Any,
    *,
    master: str = "local[*]",
    spark: Any = None,
    conf: Mapping[str, str] | None = None,
    profile: str | None = None,
    mapping: Any = None,
    on_progress: ProgressFn | None = None,
    on_bad: BadRecordFn | None = None,
    stats: RunStats | None = None,
    batch_size: int = 10_000,
    rows_per_file: int = DEFAULT_ROWS_PER_FILE,
    staging_dir: Path | None = None,
    spec: PipelineSpec = DEFAULT_SPEC,
    reader: ReadFn | None = None,
) -> Iterator[Decision]:
    """Screen the records of `inputs` on Spark: one decision per record, in input order.

    Uses `spark` (a SparkSession) when given, else starts one on `master` with `conf` (and
    stops it at the end). Bad records, `stats` and progress as in `screen_local`.
    """
    run = stats if stats is not None else RunStats()
    run.engine = "spark"
    progress = on_progress or no_progress
    with tempfile.TemporaryDirectory(prefix="chainbreaker-spark-", dir=staging_dir) as folder:
        staged = Path(folder) / "records"
        batches = read_inputs(
            [Path(p) for p in inputs],
            profile=profile,
            mapping=mapping,
            batch_size=batch_size,
            stats=run,
            on_bad=on_bad,
            on_progress=progress,
            reader=reader,
        )
        total = stage(batches, staged, rows_per_file)
        if total == 0:
            return
        session = spark if spark is not None else start_session(master, conf)
        try:
            run.workers = int(session.sparkContext.defaultParallelism)
            started = time.perf_counter()
            decided = Path(folder) / "decisions"
            run.pipeline_version = _decide(session, staged, decided, config, spec)
            run.screen_seconds += time.perf_counter() - started
            progress("screen", 0, total)
            for decision in merge_decided(decided):
                run.records += 1
                if run.records % batch_size == 0:
                    progress("screen", run.records, total)
                yield decision
            progress("screen", run.records, total)
        finally:
            if spark is None:
                session.stop()


def start_session(master: str, conf: Mapping[str, str] | None = None) -> Any:
    """A SparkSession on `master`, quiet and small for local masters; `conf` added last."""
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.master(master).appName("chainbreaker screen")
    settings = {
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",  # the command draws its own progress
        "spark.sql.execution.arrow.pyspark.enabled": "true",
    }
    if master.startswith("local"):
        # Workers run this interpreter (the one with chainbreaker and pyarrow) and see its path.
        settings.update(
            {
                "spark.pyspark.python": sys.executable,
                "spark.pyspark.driver.python": sys.executable,
                "spark.executorEnv.PYTHONPATH": os.pathsep.join(p for p in sys.path if p),
                "spark.sql.shuffle.partitions": str(2 * (os.cpu_count() or 1)),
            }
        )
    settings.update(conf or {})
    for key, value in settings.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def stage(batches: Iterator[pa.RecordBatch], folder: Path, rows_per_file: int) -> int:
    """Write the batches as Parquet files of about `rows_per_file` records, numbered in order."""
    folder.mkdir(parents=True)
    seq = 0
    writer: pq.ParquetWriter | None = None
    in_file = 0
    try:
        for batch in batches:
            if writer is None or in_file >= rows_per_file:
                if writer is not None:
                    writer.close()
                path = folder / f"part-{seq:012d}.parquet"
                writer = pq.ParquetWriter(str(path), _STAGED_SCHEMA, compression="zstd")
                in_file = 0
            numbers = pa.array(range(seq, seq + batch.num_rows), pa.int64())
            staged = pa.RecordBatch.from_arrays([numbers, *batch.columns], schema=_STAGED_SCHEMA)
            writer.write_batch(staged)
            seq += batch.num_rows
            in_file += batch.num_rows
    finally:
        if writer is not None:
            writer.close()
    return seq


def _decide(session: Any, staged: Path, out: Path, config: Any, spec: PipelineSpec) -> str | None:
    """Count the keys, decide every record and write the decisions; the pipeline's version."""
    # Splits of about a row group (one reader batch) each, up to twice the cores in all; the
    # setting is read when each query is planned, so it holds for the whole of this function.
    size = sum(p.stat().st_size for p in staged.glob("*.parquet"))
    split = max(1 << 20, size // (2 * int(session.sparkContext.defaultParallelism)))
    key = "spark.sql.files.maxPartitionBytes"
    before = session.conf.get(key, None)
    session.conf.set(key, str(split))
    try:
        _decide_all(session, staged, out, config, spec)
    finally:
        if before is None:
            session.conf.unset(key)
        else:
            session.conf.set(key, before)
    for path in sorted(out.glob("*.parquet")):
        versions = pq.read_table(path, columns=["version"]).column("version")
        if len(versions):
            version: str | None = versions[0].as_py()
            return version
    return None


def _decide_all(session: Any, staged: Path, out: Path, config: Any, spec: PipelineSpec) -> None:
    frame = session.read.parquet(str(staged))
    keys = frame.mapInArrow(partial(_key_batches, spec), _KEYS_DDL)
    from pyspark.sql.functions import col, lit
    from pyspark.sql.functions import sum as spark_sum

    # Only keys counted often enough for a rule to use them reach the driver (see
    # PipelineSpec.minimums; without minimums every key counted twice or more).
    totals = keys.groupBy("kind", "key").agg(spark_sum("n").alias("n"))
    minimums = spec.minimums(config)
    wanted = col("n") > 1
    if minimums is not None:
        wanted = lit(False)
        for kind, least in minimums.items():
            wanted = wanted | ((col("kind") == kind) & (col("n") >= max(2, least)))
    rows = totals.where(wanted).collect()
    counts = count_rows((row[0], row[1], row[2]) for row in rows)
    shared = session.sparkContext.broadcast(counts)
    token = uuid.uuid4().hex
    decide = partial(_decided_batches, spec, config, shared, token)
    decided = frame.mapInArrow(decide, _DECIDED_DDL).sortWithinPartitions(_SEQ)
    decided.write.parquet(str(out))
    shared.unpersist()


def _key_batches(spec: PipelineSpec, batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    for batch in batches:
        counts = spec.key_counts(_records(batch))
        kinds, keys, ns = [], [], []
        for kind, by_key in counts.items():
            for key, n in by_key.items():
                kinds.append(kind)
                keys.append(key)
                ns.append(n)
        yield pa.RecordBatch.from_pydict({"kind": kinds, "key": keys, "n": ns}, schema=_KEYS)


# One pipeline per Python worker and run (Spark reuses workers between tasks).
_PIPELINES: dict[str, BatchPipeline] = {}


def _decided_batches(
    spec: PipelineSpec,
    config: Any,
    shared: Any,
    token: str,
    batches: Iterator[pa.RecordBatch],
) -> Iterator[pa.RecordBatch]:
    pipeline = _PIPELINES.get(token)
    if pipeline is None:
        _PIPELINES.clear()
        pipeline = _PIPELINES[token] = spec.build(config, shared.value)
    for batch in batches:
        decisions = decide_checked(pipeline, _records(batch))
        yield pa.RecordBatch.from_pydict(
            {
                _SEQ: batch.column(_SEQ),
                "record_id": [d.record_id for d in decisions],
                "profile": [d.profile for d in decisions],
                "source_file": [d.source_file for d in decisions],
                "source_row": pa.array([d.source_row for d in decisions], pa.int64()),
                "risk": pa.array([d.risk for d in decisions], pa.float64()),
                "decision": [d.decision for d in decisions],
                "hits": [json.dumps([_hit_dict(h) for h in d.hits]) for d in decisions],
                "version": [pipeline.version] * len(decisions),
            }
        )


def _records(batch: pa.RecordBatch) -> pa.RecordBatch:
    """A staged batch as Spark hands it over, back in SHIPMENT_SCHEMA."""
    columns = [batch.column(name) for name in SHIPMENT_SCHEMA.names]
    return conform(pa.RecordBatch.from_arrays(columns, names=SHIPMENT_SCHEMA.names))


def _hit_dict(hit: Hit) -> dict[str, Any]:
    # Exact scores (not Hit.to_dict's rounded ones): the driver rebuilds the same Hit.
    return {
        "detector": hit.detector,
        "rule": hit.rule,
        "score": hit.score,
        "reason": hit.reason,
        "where": hit.where,
        "evidence": hit.evidence,
    }


def merge_decided(folder: Path) -> Iterator[Decision]:
    """The decisions of every part file (each sorted by sequence number), in sequence order."""
    parts = [_part_rows(path) for path in sorted(folder.glob("*.parquet"))]
    for _seq, row in heapq.merge(*parts, key=lambda item: item[0]):
        yield Decision(
            record_id=row["record_id"],
            profile=row["profile"],
            source_file=row["source_file"],
            source_row=row["source_row"],
            risk=row["risk"],
            decision=row["decision"],
            hits=tuple(Hit(**hit) for hit in json.loads(row["hits"])),
        )


def _part_rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    for batch in pq.ParquetFile(str(path)).iter_batches(batch_size=10_000):
        for row in batch.to_pylist():
            yield row[_SEQ], row
