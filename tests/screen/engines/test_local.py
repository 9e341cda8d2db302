"""The local engine: input order, completeness, bad records, bounded work in flight."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyarrow as pa
import pytest

from chainbreaker.screen.engines.local import ordered_map, screen_local
from chainbreaker.screen.engines.run import RunStats
from chainbreaker.screen.engines.spec import PipelineSpec, decide_checked
from chainbreaker.screen.models import BadRecord, Decision
from chainbreaker.screen.records import Shipment, batch_from_shipments
from tests.screen.engines import standin
from tests.screen.engines.conftest import EXPECTED

SPEC = PipelineSpec(standin.MODULE)
CONFIG = standin.StandinConfig()


def _run(inputs: list[Path], **options: object) -> tuple[list[Decision], RunStats]:
    stats = RunStats()
    decisions = list(
        screen_local(
            inputs,
            CONFIG,
            spec=SPEC,
            reader=standin.read_records,
            stats=stats,
            **options,  # type: ignore[arg-type]
        )
    )
    return decisions, stats


def _summary(decisions: list[Decision]) -> list[tuple[str, str, float]]:
    return [(d.record_id, d.decision, d.risk) for d in decisions]


@pytest.mark.parametrize("workers", [1, 2])
def test_every_record_decided_in_input_order(manifests: list[Path], workers: int) -> None:
    decisions, stats = _run(manifests, workers=workers, batch_size=2, max_in_flight=2)
    assert _summary(decisions) == EXPECTED
    assert stats.records == 7
    assert stats.rows_read == 8
    assert stats.workers == workers
    assert stats.pipeline_version == "standin-1"
    assert stats.inputs == [str(p) for p in manifests]


def test_hits_and_sources_come_back_from_the_workers(manifests: list[Path]) -> None:
    decisions, _ = _run(manifests, workers=2, batch_size=3)
    a2 = decisions[1]
    assert (a2.source_file, a2.source_row) == (str(manifests[0]), 2)
    assert [h.rule for h in a2.hits] == ["chem.controlled_mention"]
    assert a2.hits[0].evidence == {"span": [0, 8], "text": "fentanyl citrate sample"}


def test_bad_records_are_reported_with_file_row_and_why(manifests: list[Path]) -> None:
    _, stats = _run(manifests, workers=2, batch_size=2)
    assert stats.bad == [BadRecord(str(manifests[0]), 3, "id", "no record id")]
    assert stats.bad_count == 1


def test_bad_records_go_to_the_callback_when_given(manifests: list[Path]) -> None:
    seen: list[BadRecord] = []
    _, stats = _run(manifests, workers=1, on_bad=seen.append)
    assert [(b.row, b.why) for b in seen] == [(3, "no record id")]
    assert stats.bad == []
    assert stats.bad_count == 1


def test_progress_reads_then_screens(manifests: list[Path]) -> None:
    events: list[tuple[str, int, int | None]] = []
    _run(manifests, workers=1, batch_size=2, on_progress=lambda *e: events.append(e))
    phases = [e[0] for e in events]
    assert phases == sorted(phases)  # every "read" before the first "screen"
    assert events[-1] == ("screen", 7, 7)
    total = sum(p.stat().st_size for p in manifests)
    assert [e for e in events if e[0] == "read"][-1][1:] == (total, total)


def test_no_input_records_no_decisions(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("id,consignee,description,date\n", encoding="utf-8")
    decisions, stats = _run([empty], workers=2)
    assert decisions == []
    assert stats.records == 0


def test_the_spill_is_deleted_at_the_end_and_on_close(
    manifests: list[Path], tmp_path: Path
) -> None:
    spill = tmp_path / "spill"
    spill.mkdir()
    _run(manifests, workers=1, spill_dir=spill)
    assert list(spill.iterdir()) == []
    running = screen_local(
        manifests, CONFIG, spec=SPEC, reader=standin.read_records, workers=2, spill_dir=spill
    )
    assert next(running).record_id == "A1"
    assert list(spill.iterdir()) != []
    running.close()
    assert list(spill.iterdir()) == []


def test_workers_must_be_positive(manifests: list[Path]) -> None:
    with pytest.raises(ValueError, match="workers"):
        _run(manifests, workers=0)


def test_ordered_map_keeps_order_and_bounds_pending_items() -> None:
    lock = threading.Lock()
    pulled = 0

    def items() -> Iterator[int]:
        nonlocal pulled
        for i in range(50):
            with lock:
                pulled += 1
            yield i

    consumed = 0
    most_ahead = 0
    with ThreadPoolExecutor(max_workers=4) as pool:
        for result in ordered_map(pool, lambda i: i * i, items(), limit=3):
            assert result == consumed * consumed
            consumed += 1
            most_ahead = max(most_ahead, pulled - consumed)
    assert consumed == 50
    # at most `limit` items are pulled and not yet consumed (the pending ones)
    assert most_ahead <= 3


class _Lossy:
    version = "lossy"

    def decide_batch(self, batch: pa.RecordBatch) -> list[Decision]:
        return []


class _Shuffled:
    version = "shuffled"

    def decide_batch(self, batch: pa.RecordBatch) -> list[Decision]:
        ids = batch.column("record_id").to_pylist()
        return [Decision(i, "postal", "f", 1, 0.0, "clear") for i in reversed(ids)]


def test_a_pipeline_that_loses_or_reorders_records_is_an_error() -> None:
    batch = batch_from_shipments([Shipment("x", "postal", "f", 1), Shipment("y", "postal", "f", 2)])
    with pytest.raises(RuntimeError, match="0 decisions for 2 records"):
        decide_checked(_Lossy(), batch)
    with pytest.raises(RuntimeError, match="out of order"):
        decide_checked(_Shuffled(), batch)


def test_a_pipeline_that_cannot_be_built_says_why(manifests: list[Path]) -> None:
    broken = standin.StandinConfig(lists=("/nowhere/sdn.csv",))
    with pytest.raises(FileNotFoundError, match=r"/nowhere/sdn\.csv"):
        list(screen_local(manifests, broken, spec=SPEC, reader=standin.read_records, workers=2))


def test_several_files_read_by_several_workers_report_as_one_reader(
    manifests: list[Path],
) -> None:
    # two files, two workers: each file is staged by a worker; the bad record of the first file,
    # the counts and the progress come back as if one process had read both in order
    events: list[tuple[str, int, int | None]] = []
    seen: list[BadRecord] = []
    decisions, stats = _run(
        manifests,
        workers=2,
        batch_size=2,
        on_bad=seen.append,
        on_progress=lambda *e: events.append(e),
    )
    assert _summary(decisions) == EXPECTED
    assert seen == [BadRecord(str(manifests[0]), 3, "id", "no record id")]
    assert (stats.rows_read, stats.bad_count, stats.records) == (8, 1, 7)
    assert stats.inputs == [str(p) for p in manifests]
    total = sum(p.stat().st_size for p in manifests)
    assert stats.bytes_read == total
    reads = [e for e in events if e[0] == "read"]
    assert reads[-1][1:] == (total, total)
    assert [e[0] for e in events] == sorted(e[0] for e in events)


def test_the_first_unreadable_file_in_input_order_is_the_error(
    manifests: list[Path], tmp_path: Path
) -> None:
    first, second = tmp_path / "missing-1.csv", tmp_path / "missing-2.csv"
    with pytest.raises(FileNotFoundError, match="missing-1"):
        _run([manifests[0], first, second], workers=2)


def test_files_more_than_workers_keep_input_order(manifests: list[Path], tmp_path: Path) -> None:
    # three files on two workers; the last is the largest (staged first), the order holds
    c = tmp_path / "c.csv"
    rows = "".join(f"C{i},Dee {i},books,2024-05-03\n" for i in range(1, 31))
    c.write_text("id,consignee,description,date\n" + rows, encoding="utf-8")
    decisions, stats = _run([*manifests, c], workers=2, batch_size=4)
    expected_c = [(f"C{i}", "clear", 0.0) for i in range(1, 31)]
    assert _summary(decisions) == EXPECTED + expected_c
    assert stats.records == 37
