"""Tests for readers/values.py: numbers, weights, dates, HS codes, countries, transit."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chainbreaker.screen.readers.values import (
    as_text,
    category,
    country,
    currency,
    hs_code,
    parse_date,
    parse_number,
    transit,
    weight_factor,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", (12.0, "")),
        (" 12.5 ", (12.5, "")),
        ("1,234.50", (1234.5, "")),
        ("1.234,50", (1234.5, "")),  # European: the last separator is the decimal one
        ("12,5", (12.5, "")),  # one comma, not three digits after: decimal comma
        ("1,234", (1234.0, "")),  # one comma, three digits after: thousands
        ("0,500", (0.5, "")),  # a leading 0 is never a thousands group
        ("1 234 567", (1234567.0, "")),
        ("12 kg", (12.0, "kg")),
        ("500g", (500.0, "g")),
        ("USD 12.50", (12.5, "USD")),
        ("€12", (12.0, "€")),
        ("", (None, "")),
        ("n/a", (None, "")),
        ("NaN", (None, "")),
        ("-3", (-3.0, "")),
    ],
)
def test_parse_number(text: str, expected: tuple[float | None, str]) -> None:
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["abc", "twelve kg", "inf", "12 kg 13", "1-2-3 and more", "12/5"])
def test_parse_number_rejects_text_that_is_no_number(text: str) -> None:
    with pytest.raises(ValueError, match="not a"):
        parse_number(text)


def test_parse_number_takes_numbers_as_given() -> None:
    assert parse_number(7) == (7.0, "")
    assert parse_number(2.5) == (2.5, "")
    assert parse_number(float("nan")) == (None, "")
    assert parse_number(None) == (None, "")


@given(st.text(max_size=30))
def test_parse_number_only_ever_raises_value_error(text: str) -> None:
    try:
        number, word = parse_number(text)
    except ValueError:
        return
    assert number is None or isinstance(number, float)
    assert isinstance(word, str)


def test_weight_factors() -> None:
    assert weight_factor("kg") == 1.0
    assert weight_factor("G") == 0.001
    assert weight_factor("lbs") == 0.45359237
    assert weight_factor("L") == 0.45359237  # the AWB's L is pounds
    with pytest.raises(ValueError, match="unknown weight unit"):
        weight_factor("parsecs")


@pytest.mark.parametrize(
    ("text", "month_first", "expected"),
    [
        ("2024-03-05", False, "2024-03-05"),
        ("2024-03-05T10:22:00Z", False, "2024-03-05"),
        ("20240305", False, "2024-03-05"),  # ITMATT posting date yyyymmdd
        ("05/03/2024", False, "2024-03-05"),  # day first
        ("05/03/2024", True, "2024-05-03"),  # month first (US)
        ("25/03/2024", True, "2024-03-25"),  # 25 cannot be a month
        ("03/25/2024", False, "2024-03-25"),  # 25 cannot be a month
        ("05.03.2024", False, "2024-03-05"),
        ("5 Mar 2024", False, "2024-03-05"),
        ("05-Mar-2024", False, "2024-03-05"),
        ("March 5, 2024", False, "2024-03-05"),
        ("2024/03/05", False, "2024-03-05"),
        ("", False, None),
        ("n/a", False, None),
    ],
)
def test_parse_date(text: str, month_first: bool, expected: str | None) -> None:
    assert parse_date(text, month_first=month_first) == expected


@pytest.mark.parametrize(
    "text", ["2024-02-30", "31/04/2024", "yesterday", "2024-13-01", "1066-10-14"]
)
def test_parse_date_rejects_impossible_dates(text: str) -> None:
    with pytest.raises(ValueError, match="not a date"):
        parse_date(text)


def test_parse_date_takes_dates_as_given() -> None:
    assert parse_date(dt.datetime(2024, 3, 5, 10, 0)) == "2024-03-05"
    assert parse_date(dt.date(2024, 3, 5)) == "2024-03-05"
    assert parse_date(20240305) == "2024-03-05"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2933.39", "293339"),
        ("2933.39.00", "29333900"),
        ("2933 37", "293337"),
        ("HS 2934.92", "293492"),
        ("none", None),
        (293339, "293339"),
        (2933.39, "293339"),
        (2933.3, "293330"),  # a spreadsheet dropped the trailing zero
        (101.21, "010121"),  # and the leading zero of heading 01.01
        (None, None),
    ],
)
def test_hs_code(value: object, expected: str | None) -> None:
    assert hs_code(value) == expected


def test_country_to_iso2_or_as_written() -> None:
    assert country("China") == "CN"
    assert country("hong kong") == "HK"
    assert country("DEU") == "DE"
    assert country("Atlantis") == "Atlantis"


def test_transit_points() -> None:
    assert transit("HKG-ANC-ORD") == ["HKG", "ANC", "ORD"]
    assert transit("FRA; LEJ") == ["FRA", "LEJ"]  # airports stay airports (FRA is not France)
    assert transit("Belgium / Netherlands") == ["BE", "NL"]
    assert transit(["hkg", "Mexico"]) == ["HKG", "MX"]
    assert transit("") == []


def test_category_and_currency() -> None:
    assert category("GIFT") == "gift"
    assert category("Sample") == "commercial sample"
    assert category("Merchandise") == "sale of goods"
    assert category("Personal effects") == "personal effects"
    assert currency("usd") == "USD"
    assert currency("€") == "EUR"


def test_as_text_of_spreadsheet_values() -> None:
    assert as_text(12.0) == "12"
    assert as_text(1234567890) == "1234567890"
    assert as_text("  a  ") == "a"
    assert as_text("   ") is None
    assert as_text(["a", "", "b"]) == "a; b"
