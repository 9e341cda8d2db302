"""Decisions written as JSON lines, Parquet and CSV, read back with other tools."""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from chainbreaker.errors import InvalidInput
from chainbreaker.screen import outputs
from chainbreaker.screen.models import Decision, Hit
from chainbreaker.screen.outputs import open_writer, output_format

FENTANYL = Hit(
    "chemical",
    "chem.controlled_mention",
    0.9,
    "The description names 4-ANPP, a fentanyl precursor.",
    "goods[0].description",
    {"span": [0, 6], "text": "4-ANPP"},
)
SPLIT = Hit("rule", "rule.repeated_consignee", 0.5, "30 parcels to one consignee that day")
VAGUE = Hit("rule", "rule.vague_description", 0.3, 'Vague description "sample"', "goods[0]")

DECISIONS = [
    Decision("R1", "postal", "in.csv", 2, 0.0, "clear"),
    Decision("R2", "express", "in.csv", 3, 0.95, "hold", (SPLIT, FENTANYL, VAGUE)),
    Decision('Ré,"3"', "order", "o.xlsx", 7, 0.5, "review", (SPLIT,)),
]


def _write(path: Path) -> None:
    with open_writer(path) as writer:
        for d in DECISIONS:
            writer.write(d)


@pytest.mark.parametrize("name", ["out.jsonl", "out.ndjson", "out.json", "out.jsonl.gz"])
def test_json_lines_hold_each_decision_as_its_dict(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    _write(path)
    body = gzip.decompress(path.read_bytes()) if name.endswith(".gz") else path.read_bytes()
    lines = [json.loads(line) for line in body.decode("utf-8").splitlines()]
    assert lines == [d.to_dict() for d in DECISIONS]
    assert lines[1]["hits"][1]["field"] == "goods[0].description"


def test_parquet_has_flat_columns_and_nested_hits(tmp_path: Path) -> None:
    path = tmp_path / "out.parquet"
    _write(path)
    table = pq.read_table(path)
    assert table.column("record_id").to_pylist() == ["R1", "R2", 'Ré,"3"']
    assert table.column("decision").to_pylist() == ["clear", "hold", "review"]
    assert table.column("risk").to_pylist() == [0.0, 0.95, 0.5]
    assert table.column("source_row").to_pylist() == [2, 3, 7]
    hits = table.column("hits").to_pylist()
    assert hits[0] == []
    assert [h["rule"] for h in hits[1]] == [
        "rule.repeated_consignee",
        "chem.controlled_mention",
        "rule.vague_description",
    ]
    assert hits[1][1]["field"] == "goods[0].description"
    assert json.loads(hits[1][1]["evidence"]) == {"span": [0, 6], "text": "4-ANPP"}


def test_parquet_writes_row_groups_as_it_goes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(outputs, "ROW_GROUP", 2)
    path = tmp_path / "out.parquet"
    _write(path)
    assert pq.ParquetFile(path).metadata.num_row_groups == 2  # 2 decisions, then 1


def test_csv_is_flat_with_the_strongest_reasons_first(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    _write(path)
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == list(outputs.CSV_COLUMNS)
    assert rows[0]["decision"] == "clear"
    assert rows[0]["hits"] == "0"
    assert rows[0]["reasons"] == ""
    hold = rows[1]
    assert (hold["record_id"], hold["risk"], hold["hits"]) == ("R2", "0.9500", "3")
    assert hold["rules"] == (
        "chem.controlled_mention rule.repeated_consignee rule.vague_description"
    )
    assert hold["reasons"] == (
        "The description names 4-ANPP, a fentanyl precursor. | "
        "30 parcels to one consignee that day | "
        'Vague description "sample"'
    )
    assert rows[2]["record_id"] == 'Ré,"3"'


def test_no_path_writes_json_lines_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    with open_writer(None) as writer:
        writer.write(DECISIONS[1])
    assert json.loads(capsys.readouterr().out) == DECISIONS[1].to_dict()


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("a.JSONL", "jsonl"), ("b.csv.gz", "csv"), ("c.pq", "parquet"), ("d.x.parquet", "parquet")],
)
def test_format_from_the_extension(name: str, fmt: str) -> None:
    assert output_format(Path(name)) == fmt


@pytest.mark.parametrize("name", ["out.txt", "out", "out.parquet.gz", "out.gz"])
def test_unknown_or_odd_extensions_are_refused(name: str) -> None:
    with pytest.raises(InvalidInput, match=name.replace(".", r"\.")):
        output_format(Path(name))
