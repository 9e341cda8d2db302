"""Tests for Parquet, JSON lines and Excel input: the same records as from CSV."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from chainbreaker.errors import DataError
from chainbreaker.screen.readers import detect_profile
from chainbreaker.screen.records import GoodsLine, Party, Shipment
from tests.screen.readers.helpers import read_all, results

EXPECTED_GOODS = (
    GoodsLine("chemical sample", "293339", 1.0, weight_kg=0.25, value=12.5),
    GoodsLine("white powder", "29333900", 2.0, weight_kg=0.1, value=30.0),
)


def _postal(path: Path, source_row: int = 1) -> Shipment:
    return Shipment(
        record_id="CP001020301BR",
        profile="postal",
        source_file=str(path),
        source_row=source_row,
        date="2024-03-05",
        category="gift",
        origin_country="BR",
        destination_country="PL",
        parties=(
            Party("shipper", "Joao Silva", country="BR"),
            Party("consignee", "Anna", country="PL"),
        ),
        goods=EXPECTED_GOODS,
    )


def test_parquet(tmp_path: Path) -> None:
    path = tmp_path / "postal.parquet"
    table = pa.table(
        {
            "item_id": ["CP001020301BR", "CP001020301BR"],
            "sender_name": ["Joao Silva", None],
            "sender_country": ["Brazil", None],
            "addressee_name": ["Anna", None],
            "addressee_country": ["PL", None],
            "category": ["Gift", None],
            "description": ["chemical sample", "white powder"],
            "quantity": [1, 2],  # integers
            "net_weight": [0.25, 0.1],  # floats
            "value": [12.5, 30.0],
            "hs_tariff_number": ["2933.39", "2933.39.00"],
            "posting_date": [dt.date(2024, 3, 5), None],  # a date column
            "unread": ["x", "y"],
        }
    )
    pq.write_table(table, path, row_group_size=1)
    shipments, bad = read_all(path, batch_size=1)
    assert bad == []
    assert shipments == [_postal(path)]


def test_parquet_numbers_out_of_range_are_bad_rows(tmp_path: Path) -> None:
    path = tmp_path / "o.parquet"
    pq.write_table(
        pa.table({"order_id": ["A", "B"], "product": ["p", "q"], "quantity": [-1.0, 3.0]}), path
    )
    shipments, bad = read_all(path)
    assert [s.record_id for s in shipments] == ["B"]
    assert [(b.row, b.field) for b in bad] == [(1, "quantity")]


def test_json_lines_nested_objects_and_item_lists(tmp_path: Path) -> None:
    path = tmp_path / "postal.jsonl"
    line = {
        "item_id": "CP001020301BR",
        "sender": {"name": "Joao Silva", "country": "Brazil"},
        "addressee": {"name": "Anna", "country": "PL"},
        "category": "GIFT",
        "posting_date": "20240305",
        "items": [
            {"description": "chemical sample", "quantity": 1, "net_weight": "250 g",
             "value": 12.5, "hs_tariff_number": "2933.39"},
            {"description": "white powder", "quantity": 2, "net_weight": 0.1, "value": "30",
             "hs_tariff_number": 29333900},
        ],
    }  # fmt: skip
    path.write_text(
        json.dumps(line) + "\n\n" + "not json\n" + json.dumps([1, 2]) + "\n", encoding="utf-8"
    )
    shipments, bad = read_all(path)
    assert shipments == [_postal(path)]
    assert [(b.row, b.field) for b in bad] == [(3, None), (4, None)]
    assert bad[0].why.startswith("not a JSON object")
    assert "a JSON list, not an object" in bad[1].why


@pytest.mark.parametrize("batch_size", [10_000, 7, 1])
def test_json_lines_column_first_seen_late_is_read(tmp_path: Path, batch_size: int) -> None:
    path = tmp_path / "late.ndjson"
    lines = [{"order_id": f"O{i // 2}", "product": "p"} for i in range(1200)]
    lines.append({"order_id": "O599", "product": "q", "cas_number": "79099-07-3"})
    lines.append({"order_id": "LAST", "product": "r", "note": "a key no profile reads"})
    path.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    shipments, bad = read_all(path, batch_size=batch_size)
    assert bad == []
    assert len(shipments) == 601
    assert shipments[-2].goods == (GoodsLine("p"), GoodsLine("p"), GoodsLine("q", cas="79099-07-3"))
    assert shipments[-1].goods == (GoodsLine("r"),)


def test_a_json_array_file_is_refused_with_advice(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text('[{"order_id": "A"}]', encoding="utf-8")
    with pytest.raises(DataError, match=r"a\.json: a JSON array; write one JSON object per line"):
        read_all(path)


def test_excel(tmp_path: Path) -> None:
    path = tmp_path / "postal.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([])  # an empty first row: the header is the first non-empty one
    sheet.append(["Item ID", "Sender Name", "Sender Country", "Addressee Name",
                  "Addressee Country", "Category", "Description", "Quantity", "Net Weight",
                  "Value", "HS Tariff Number", "Posting Date"])  # fmt: skip
    sheet.append(["CP001020301BR", "Joao Silva", "Brazil", "Anna", "PL", "Gift",
                  "chemical sample", 1, 0.25, 12.5, 2933.39, dt.datetime(2024, 3, 5)])  # fmt: skip
    sheet.append([None] * 12)  # an empty row is skipped
    sheet.append(["CP001020301BR", None, None, None, None, None, "white powder", 2, 0.1, 30,
                  "2933.39.00", None])  # fmt: skip
    book.save(path)
    assert detect_profile(path) == "postal"
    shipments, bad = read_all(path)
    assert bad == []
    assert shipments == [_postal(path)]
    assert results(path)[-1].bytes_read == path.stat().st_size


def test_unreadable_excel_and_parquet_name_the_file(tmp_path: Path) -> None:
    for name in ("broken.xlsx", "broken.parquet"):
        path = tmp_path / name
        path.write_bytes(b"this is not that format")
        with pytest.raises(DataError, match=name.replace(".", r"\.")):
            read_all(path)
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(DataError, match=r"old\.xls: old Excel format"):
        read_all(old)
