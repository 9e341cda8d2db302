"""Staging one input file: its spill, its key counts and its bad records, in its own order."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from chainbreaker.screen.engines.file_stage import (
    StagedFile,
    key_batches,
    read_bad,
    stage_file,
)
from chainbreaker.screen.engines.spec import PipelineSpec
from chainbreaker.screen.models import BadRecord
from tests.screen.engines import standin

SPEC = PipelineSpec(standin.MODULE)


def _stage(path: Path, folder: Path, batch_size: int = 2) -> StagedFile:
    return stage_file(
        3, str(path), str(folder), SPEC, {"batch_size": batch_size}, standin.read_records
    )


def test_good_records_spilled_in_order_bad_ones_set_aside(
    manifests: list[Path], tmp_path: Path
) -> None:
    staged = _stage(manifests[0], tmp_path)
    # a.csv: 5 rows, the third without an id
    assert (staged.index, staged.path) == (3, str(manifests[0]))
    assert (staged.records, staged.rows_read, staged.bad_count) == (4, 5, 1)
    assert staged.bytes_read == manifests[0].stat().st_size
    with pa.OSFile(staged.spill, "rb") as source:
        spill = pa.ipc.open_file(source)
        assert spill.num_record_batches == staged.batches == 3  # 2 + 1 + 1 good of 2 + 2 + 1
        ids = [i for b in range(spill.num_record_batches) for i in spill.get_batch(b)["record_id"]]
    assert [i.as_py() for i in ids] == ["A1", "A2", "A4", "A5"]
    assert list(read_bad(staged)) == [BadRecord(str(manifests[0]), 3, "id", "no record id")]


def test_key_counts_per_batch(manifests: list[Path], tmp_path: Path) -> None:
    staged = _stage(manifests[0], tmp_path)
    rows = [r for b in key_batches(staged) for r in b.to_pylist()]
    # batches: (A1 Ann Lee, A2 Bob Ray), (A4 Ann Lee), (A5 ann lee): the stand-in's key is the
    # lower-cased consignee and the date
    assert rows == [
        {"kind": "consignee_day", "key": "ann lee|2024-05-01", "n": 1},
        {"kind": "consignee_day", "key": "bob ray|2024-05-01", "n": 1},
        {"kind": "consignee_day", "key": "ann lee|2024-05-01", "n": 1},
        {"kind": "consignee_day", "key": "ann lee|2024-05-01", "n": 1},
    ]


def test_a_file_of_no_records_leaves_empty_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("id,consignee,description,date\n", encoding="utf-8")
    staged = _stage(empty, tmp_path)
    assert (staged.records, staged.batches, staged.bad_count) == (0, 0, 0)
    assert list(key_batches(staged)) == []
    assert list(read_bad(staged)) == []
