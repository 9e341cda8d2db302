"""The Spark engine gives the local engine's decisions, record for record (local[2])."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from chainbreaker.screen.engines.local import screen_local
from chainbreaker.screen.engines.run import RunStats
from chainbreaker.screen.engines.spark import merge_decided, screen_spark, stage, start_session
from chainbreaker.screen.engines.spec import PipelineSpec
from chainbreaker.screen.models import BadRecord, Decision
from tests.screen.engines import standin
from tests.screen.engines.conftest import EXPECTED

SPEC = PipelineSpec(standin.MODULE)
CONFIG = standin.StandinConfig()


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    if shutil.which("java") is None:
        pytest.skip("the Spark engine needs Java (no `java` on PATH)")
    session = start_session(
        "local[2]", {"spark.sql.shuffle.partitions": "2", "spark.default.parallelism": "2"}
    )
    yield session
    session.stop()


def _key(d: Decision) -> tuple[Any, ...]:
    return (d.record_id, d.decision, d.risk, [h.to_dict() for h in d.hits])


def test_spark_decides_as_the_local_engine(spark: Any, manifests: list[Path]) -> None:
    common: dict[str, Any] = {"spec": SPEC, "reader": standin.read_records, "batch_size": 2}
    local = list(screen_local(manifests, CONFIG, workers=2, **common))
    stats = RunStats()
    on_spark = list(
        screen_spark(manifests, CONFIG, spark=spark, rows_per_file=2, stats=stats, **common)
    )
    assert [(d.record_id, d.decision, d.risk) for d in on_spark] == EXPECTED
    assert [_key(d) for d in on_spark] == [_key(d) for d in local]
    assert on_spark == local  # sources and hits too, field for field
    assert stats.engine == "spark"
    assert stats.records == 7
    assert stats.bad == [BadRecord(str(manifests[0]), 3, "id", "no record id")]
    assert stats.pipeline_version == "standin-1"


def test_spark_with_no_good_record_decides_nothing(spark: Any, tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("id,consignee,description,date\n,x,y,2024-01-01\n", encoding="utf-8")
    stats = RunStats()
    decisions = list(
        screen_spark(
            [empty], CONFIG, spark=spark, spec=SPEC, reader=standin.read_records, stats=stats
        )
    )
    assert decisions == []
    assert stats.bad_count == 1


def test_parts_sorted_by_sequence_are_merged_into_input_order(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = tmp_path / "decided"
    folder.mkdir()
    # Two parts as Spark may write them: each sorted, their ranges interleaved.
    for name, seqs in (("part-0", [1, 2, 5]), ("part-1", [0, 3, 4])):
        table = pa.table(
            {
                "_seq": pa.array(seqs, pa.int64()),
                "record_id": [f"r{s}" for s in seqs],
                "profile": ["postal"] * 3,
                "source_file": ["f.csv"] * 3,
                "source_row": pa.array([s + 1 for s in seqs], pa.int64()),
                "risk": [0.0] * 3,
                "decision": ["clear"] * 3,
                "hits": ["[]"] * 3,
                "version": ["v"] * 3,
            }
        )
        pq.write_table(table, folder / f"{name}.parquet")
    assert [d.record_id for d in merge_decided(folder)] == [f"r{i}" for i in range(6)]


def test_staging_numbers_records_in_order_across_files(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    from chainbreaker.screen.records import Shipment, batch_from_shipments

    batches = iter(
        [
            batch_from_shipments(
                [Shipment("a", "postal", "f", 1), Shipment("b", "postal", "f", 2)]
            ),
            batch_from_shipments([Shipment("c", "postal", "f", 3)]),
        ]
    )
    assert stage(batches, tmp_path / "staged", rows_per_file=2) == 3
    files = sorted((tmp_path / "staged").iterdir())
    assert len(files) == 2
    rows = [r for f in files for r in pq.read_table(f, columns=["_seq", "record_id"]).to_pylist()]
    assert rows == [
        {"_seq": 0, "record_id": "a"},
        {"_seq": 1, "record_id": "b"},
        {"_seq": 2, "record_id": "c"},
    ]


def test_batches_without_context_keys_are_counted_as_none(spark: Any, tmp_path: Path) -> None:
    # No consignee, no key: the key-count batches are empty and must keep their schema.
    path = tmp_path / "nokeys.csv"
    path.write_text("id,consignee,description,date\nN1,,tea,\nN2,,fentanyl,\n", encoding="utf-8")
    common: dict[str, Any] = {"spec": SPEC, "reader": standin.read_records, "batch_size": 1}
    local = list(screen_local([path], CONFIG, workers=1, **common))
    on_spark = list(screen_spark([path], CONFIG, spark=spark, rows_per_file=1, **common))
    assert [(d.record_id, d.decision) for d in on_spark] == [("N1", "clear"), ("N2", "hold")]
    assert on_spark == local
