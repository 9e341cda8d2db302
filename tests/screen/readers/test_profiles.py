"""Tests for each built-in profile on a small CSV, with records checked by hand, and detection."""

from __future__ import annotations

from pathlib import Path

import pytest

from chainbreaker.errors import DataError
from chainbreaker.screen.readers import PROFILES, detect_profile
from chainbreaker.screen.readers.profiles import builtin_profile, column_key
from chainbreaker.screen.records import GoodsLine, Party, Shipment
from tests.screen.readers.helpers import read_all, write_csv

POSTAL = [
    ["Item ID", "Sender Name", "Sender Street", "Sender Postcode", "Sender City",
     "Sender Country", "Sender Customs Reference", "Addressee Name", "Addressee Country",
     "Addressee Phone", "Category", "Description", "Quantity", "Net Weight (kg)", "Value",
     "Currency", "HS Tariff Number", "Country of Origin", "Total Gross Weight", "Posting Date"],
    ["CP001020301BR", "Joao Silva", "Rua A 1", "01000-000", "Sao Paulo", "Brazil", "BR123",
     "Anna Kowalska", "Poland", "+48 22 555 0101", "Gift", "chemical sample", "1", "0,250",
     "12.50", "usd", "2933.39", "China", "0.4", "20240305"],
    ["CP001020301BR", "", "", "", "", "", "", "", "", "", "", "white powder", "2", "0.1",
     "1,234.50", "", "2933.39.00", "", "", ""],
]  # fmt: skip


def test_postal_profile(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "postal.csv", POSTAL)
    shipments, bad = read_all(path)
    assert bad == []
    assert shipments == [
        Shipment(
            record_id="CP001020301BR",
            profile="postal",
            source_file=str(path),
            source_row=1,
            date="2024-03-05",
            category="gift",
            origin_country="BR",  # from the sender's country
            destination_country="PL",  # from the addressee's country
            total_weight_kg=0.4,
            currency="USD",
            parties=(
                Party("shipper", "Joao Silva", "Rua A 1, 01000-000", "Sao Paulo", "BR",
                      identifier="BR123"),
                Party("consignee", "Anna Kowalska", country="PL", phone="+48 22 555 0101"),
            ),
            goods=(
                GoodsLine("chemical sample", "293339", 1.0, weight_kg=0.25, value=12.5,
                          origin_country="CN"),
                GoodsLine("white powder", "29333900", 2.0, weight_kg=0.1, value=1234.5),
            ),
        )
    ]  # fmt: skip


EXPRESS = [
    ["HAWB", "MAWB", "Shipper", "Shipper Country", "Consignee", "Consignee Email",
     "Description", "HS Code", "Pieces", "Weight", "Weight Unit", "Declared Value", "Currency",
     "Origin", "Destination", "Routing", "Shipment Date"],
    ["H0001", "180-12345675", "Hubei Chem Co., Ltd.", "CN", "ACME Imports", "Buyer@Example.COM",
     "4-piperidone HCl", "2933.39", "2", "11", "L", "$150.00", "", "China", "Mexico",
     "PVG-ANC-MEX", "2024-03-05"],
    ["H0002", "180-12345675", "Toys Ltd", "HK", "Bob", "", "plastic toys", "", "1", "2,5",
     "K", "20", "USD", "HK", "US", "", "05/03/2024"],
]  # fmt: skip


def test_express_profile_tab_separated(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "express.tsv", EXPRESS, delimiter="\t")
    shipments, bad = read_all(path)
    assert bad == []
    first, second = shipments
    assert first == Shipment(
        record_id="H0001",
        profile="express",
        source_file=str(path),
        source_row=1,
        date="2024-03-05",
        origin_country="CN",
        destination_country="MX",
        transit=("PVG", "ANC", "MEX"),
        total_weight_kg=pytest.approx(11 * 0.45359237),  # 11 lb (AWB unit L)
        total_value=150.0,
        currency=None,  # "$" is not one currency
        pieces=2,
        master_id="180-12345675",
        parties=(
            Party("shipper", "Hubei Chem Co., Ltd.", country="CN"),
            Party("consignee", "ACME Imports", email="buyer@example.com"),
        ),
        goods=(GoodsLine("4-piperidone HCl", "293339"),),
    )
    assert (second.total_weight_kg, second.currency, second.date) == (2.5, "USD", "2024-03-05")
    assert second.goods == (GoodsLine("plastic toys"),)


DE_MINIMIS = [
    ["Bill Number", "Entry Number", "Shipper Name", "Shipper Address", "Shipper Country",
     "Consignee Name", "Consignee Address", "Country of Origin", "Quantity", "Fair Retail Value",
     "Description", "HTS Number", "Arrival Date"],
    ["BOL778899", "ABC-1234567-8", "Shenzhen Trading", "1 Road", "CN", "J. Doe", "5 Elm St",
     "CN", "3", "45.00", "phone case", "3926.90.9990", "03/04/2024"],
]  # fmt: skip


def test_de_minimis_profile_semicolon_text_file(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "t86.txt", DE_MINIMIS, delimiter=";")
    [shipment], bad = read_all(path)
    assert bad == []
    assert shipment.profile == "de_minimis"
    assert shipment.record_id == "BOL778899"
    assert shipment.date == "2024-03-04"  # US data: month first
    assert shipment.destination_country == "US"  # the profile's default
    assert shipment.origin_country == "CN"
    assert shipment.parties == (
        Party("shipper", "Shenzhen Trading", "1 Road", country="CN"),
        Party("consignee", "J. Doe", "5 Elm St"),
    )
    assert shipment.goods == (
        GoodsLine("phone case", "3926909990", 3.0, value=45.0, origin_country="CN"),
    )


ORDER = [
    ["Order ID", "Order Date", "Customer Name", "Customer Email", "Company Number",
     "Ship To Name", "Ship To Country", "Seller", "Product Name", "CAS Number", "Quantity",
     "Unit", "Price", "Currency"],
    ["SO-1001", "2024-03-05", "Rapid Labs LLC", "ops@rapidlabs.example", "12345678",
     "Rapid Labs", "Mexico", "ChemShop", "1-Boc-4-piperidone", "79099-07-3", "500", "g", "220",
     "EUR"],
    ["SO-1001", "", "", "", "", "", "", "", "Aniline", "62-53-3", "1", "L", "30", "EUR"],
]  # fmt: skip


def test_order_profile(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "orders.csv", ORDER)
    [order], bad = read_all(path)
    assert bad == []
    assert (order.record_id, order.profile, order.date) == ("SO-1001", "order", "2024-03-05")
    assert order.destination_country == "MX"
    assert order.currency == "EUR"  # from the goods lines
    assert order.parties == (
        Party("consignee", "Rapid Labs", country="MX"),
        Party("buyer", "Rapid Labs LLC", email="ops@rapidlabs.example", identifier="12345678"),
        Party("seller", "ChemShop"),
    )
    assert order.goods == (
        GoodsLine("1-Boc-4-piperidone", None, 500.0, "g", value=220.0, currency="EUR",
                  cas="79099-07-3"),
        GoodsLine("Aniline", None, 1.0, "L", value=30.0, currency="EUR", cas="62-53-3"),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("rows", "expected"),
    [(POSTAL, "postal"), (EXPRESS, "express"), (DE_MINIMIS, "de_minimis"), (ORDER, "order")],
)
def test_detect_profile(tmp_path: Path, rows: list[list[str]], expected: str) -> None:
    assert detect_profile(write_csv(tmp_path / "f.csv", rows)) == expected


def test_a_header_that_fits_no_profile_names_the_file(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "odd.csv", [["foo", "bar"], ["1", "2"]])
    with pytest.raises(DataError, match=r"odd\.csv.*fits no profile"):
        read_all(path)


def test_a_named_profile_without_its_id_column_is_refused(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "orders.csv", ORDER)
    with pytest.raises(DataError, match=r"orders\.csv: no record-id column for profile 'postal'"):
        read_all(path, profile="postal")


def test_unknown_profile() -> None:
    with pytest.raises(DataError, match="unknown profile 'parcel'"):
        builtin_profile("parcel")


def test_every_profile_loads_with_its_sources() -> None:
    for name in PROFILES:
        profile = builtin_profile(name)
        assert profile.sources, name
        assert any(rule.field == "record_id" for rule in profile.columns.values())


def test_column_key() -> None:
    assert column_key("Sender's Name") == "senders_name"
    assert column_key(" Net Weight (kg) ") == "net_weight_kg"
    assert column_key("HS-Code") == "hs_code"
