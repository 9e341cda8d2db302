"""Tests for mapping files: any layout's columns named for the record fields."""

from __future__ import annotations

from pathlib import Path

import pytest

from chainbreaker.errors import DataError
from chainbreaker.screen.readers.mapping import load_mapping
from chainbreaker.screen.records import GoodsLine, Party
from tests.screen.readers.helpers import read_all, write_csv

MAPPING = """
name: acme_courier
base: express
slash_dates: month_first
defaults:
  destination_country: US
columns:
  Waybill No: record_id
  From: shipper.name
  To: consignee.name
  What: goods.description
  Gross Wt (lb): {field: total_weight_kg, scale: 0.45359237}
  Weight: null          # the base would read it as the total weight
"""


def test_a_mapping_file_reads_another_layout(tmp_path: Path) -> None:
    mapping = tmp_path / "acme.yaml"
    mapping.write_text(MAPPING, encoding="utf-8")
    path = write_csv(
        tmp_path / "acme.csv",
        [
            ["Waybill No", "From", "To", "What", "Gross Wt (lb)", "Weight", "Shipment Date"],
            ["W1", "Hubei Chem", "Bob", "piperidone", "10", "999", "03/04/2024"],
            ["W1", "", "", "aniline", "", "", ""],
        ],
    )
    [shipment], bad = read_all(path, mapping=mapping)
    assert bad == []
    assert shipment.profile == "acme_courier"
    assert shipment.record_id == "W1"
    assert shipment.total_weight_kg == pytest.approx(4.5359237)  # 10 lb, the Weight column unread
    assert shipment.date == "2024-03-04"  # base express spelling, month first
    assert shipment.destination_country == "US"
    assert shipment.parties == (Party("shipper", "Hubei Chem"), Party("consignee", "Bob"))
    assert shipment.goods == (GoodsLine("piperidone"), GoodsLine("aniline"))


def test_mapping_encoding(tmp_path: Path) -> None:
    mapping = tmp_path / "m.yaml"
    mapping.write_text("encoding: cp1252\ncolumns: {Ref: record_id, Kunde: buyer.name}\n")
    path = tmp_path / "f.csv"
    path.write_bytes("Ref;Kunde\nA;Müller\n".encode("cp1252"))
    [shipment], bad = read_all(path, mapping=mapping)
    assert (bad, shipment.parties[0].name, shipment.profile) == ([], "Müller", "m")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("columns: {A: shipper.nmae}", r"column 'A': 'shipper.nmae' is not a record field"),
        ("columns: {A: shipper.name}", "no column is mapped to record_id"),
        ("columns: [A]", "a YAML mapping with 'columns"),
        ("colums: {A: record_id}", "a YAML mapping with 'columns"),
        ("columns: {A: record_id}\nextra: 1", r"unknown keys \['extra'\]"),
        ("columns: {A: record_id}\nbase: parcel", "unknown profile 'parcel'"),
        ("columns: {A: {field: total_weight_kg, scale: x}}", "scale must be a number"),
        ("columns: {A: record_id\n", "cannot be read as a mapping file"),
    ],
)
def test_malformed_mapping_names_the_file(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad_mapping.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match=message) as info:
        load_mapping(path)
    assert "bad_mapping.yaml" in str(info.value) or "parcel" in str(info.value)


def test_mapping_id_column_missing_from_the_file(tmp_path: Path) -> None:
    mapping = tmp_path / "m.yaml"
    mapping.write_text("columns: {Ref: record_id}\n")
    path = write_csv(tmp_path / "f.csv", [["Other"], ["x"]])
    with pytest.raises(DataError, match=r"f\.csv: no record-id column for profile 'm'"):
        read_all(path, mapping=mapping)
