"""The indicator detector: an indicator file written here, matches worked out by hand."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chainbreaker.errors import DataError
from chainbreaker.screen.detectors.indicators import (
    IndicatorDetector,
    company_key,
    email_key,
    phone_digits,
    read_indicators,
)
from chainbreaker.screen.records import Party, Shipment
from chainbreaker.screen.scoring import ScoringSettings

ROWS = """kind,value,source,note
address,"Room 1203, 18 Longhua Road, Shenzhen, China",exchange,front company
phone,+86 138 0013 8000,exchange,broker
email,j.doe+x@gmail.com,exchange,
company_number,CN91440300,exchange,registration
name,Shenzhen Lucky Star Chemical Co Ltd,exchange,listed front
fax,+86 755 1234 5678,exchange,unknown kind
phone,,exchange,empty value
"""


@pytest.fixture(scope="module")
def detector(
    tmp_path_factory: pytest.TempPathFactory, scoring: ScoringSettings
) -> IndicatorDetector:
    path = tmp_path_factory.mktemp("ind") / "indicators.csv"
    path.write_text(ROWS, encoding="utf-8")
    return IndicatorDetector(read_indicators(path), scoring.indicators)


def hits(detector: IndicatorDetector, party: Party) -> list[tuple[str, float, str]]:
    s = Shipment("r1", "postal", "f.csv", 2, parties=(party,))
    return [(h.rule, h.score, h.evidence["match"]) for h in detector.detect(s)]


def test_bad_rows_are_reported_and_skipped(detector: IndicatorDetector) -> None:
    problems = detector.indicators.problems
    assert [(p.record, p.field) for p in problems] == [("line 7", "kind"), ("line 8", "value")]
    assert len(detector.indicators.items) == 5


def test_file_without_the_columns_is_a_data_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("type,text\nphone,123\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"bad\.csv"):
        read_indicators(path)


def test_address_normalised(detector: IndicatorDetector) -> None:
    # RM = Room, RD = Road; the country (CN / China) is dropped on both sides
    party = Party("consignee", "X", address="RM 1203, 18 Longhua Rd", city="Shenzhen", country="CN")
    assert hits(detector, party) == [("indicator.address", 0.7, "normalised")]


def test_address_exact(detector: IndicatorDetector) -> None:
    party = Party("shipper", "X", address="room 1203 18 longhua road shenzhen china")
    assert hits(detector, party) == [("indicator.address", 0.8, "exact")]


def test_other_address(detector: IndicatorDetector) -> None:
    assert hits(detector, Party("shipper", "X", address="18 Longhua Road", city="Beijing")) == []


def test_phone_exact_and_with_or_without_country_code(detector: IndicatorDetector) -> None:
    assert hits(detector, Party("shipper", "X", phone="+86-13800138000")) == [
        ("indicator.phone", 0.8, "exact")
    ]
    assert hits(detector, Party("shipper", "X", phone="0086 138 0013 8000")) == [
        ("indicator.phone", 0.7, "normalised")
    ]
    assert hits(detector, Party("shipper", "X", phone="138-0013-8000")) == [
        ("indicator.phone", 0.7, "normalised")
    ]
    assert hits(detector, Party("shipper", "X", phone="+86 138 0013 8001")) == []


def test_email(detector: IndicatorDetector) -> None:
    assert hits(detector, Party("shipper", "X", email="J.Doe+x@GMAIL.com")) == [
        ("indicator.email", 0.85, "exact")
    ]
    assert hits(detector, Party("shipper", "X", email="jdoe@googlemail.com")) == [
        ("indicator.email", 0.8, "normalised")
    ]
    assert hits(detector, Party("shipper", "X", email="jdoe@yahoo.com")) == []


def test_company_number(detector: IndicatorDetector) -> None:
    assert hits(detector, Party("shipper", "X", identifier="cn91440300")) == [
        ("indicator.company_number", 0.85, "exact")
    ]
    assert hits(detector, Party("shipper", "X", identifier="VAT: CN-9144-0300")) == [
        ("indicator.company_number", 0.8, "normalised")
    ]


def test_name_through_the_matcher(detector: IndicatorDetector) -> None:
    s = Shipment(
        "r1",
        "postal",
        "f.csv",
        2,
        parties=(Party("seller", "SHENZHEN LUCKY STAR CHEMICAL CO., LTD."),),
    )
    found = detector.detect(s)
    assert [(h.rule, h.where) for h in found] == [("indicator.name", "parties[seller].name")]
    # a full match (1.0) times the name factor 0.85
    assert found[0].score == 0.85
    assert hits(detector, Party("seller", "Guangzhou Happy Garden Toys")) == []


def test_normalisers_by_hand() -> None:
    assert phone_digits("+1 (555) 010-9999") == "15550109999"
    assert phone_digits("0086 138") == "86138"
    assert email_key(" A.B.C+promo@GoogleMail.com ") == "abc@gmail.com"
    assert email_key("a.b@example.org") == "a.b@example.org"
    assert company_key("Reg. No: 91-44.03 00") == "91440300"


@given(st.text(max_size=40))
def test_normalisers_are_idempotent(text: str) -> None:
    assert phone_digits(phone_digits(text)) == phone_digits(text)
    assert company_key(company_key(text)) == company_key(text)
