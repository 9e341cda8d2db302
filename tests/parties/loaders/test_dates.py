"""Dates as lists write them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chainbreaker.parties.loaders.dates import parse_dates


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("09 Sep 1984", ("1984-09-09",)),
        ("3 January 1976", ("1976-01-03",)),
        ("Jan 1976", ("1976-01",)),
        ("1976", ("1976",)),
        ("circa 1976", ("1976",)),
        ("1976-01-03", ("1976-01-03",)),
        ("31/12/1970", ("1970-12-31",)),
        ("1970 to 1972", ("1970", "1972")),
        ("31 Feb 1970", ()),  # no such day
        ("sometime", ()),
        ("", ()),
        (None, ()),
    ],
)
def test_forms(text: str | None, expected: tuple[str, ...]) -> None:
    assert parse_dates(text) == expected


@given(st.text(max_size=40))
def test_never_raises_and_gives_iso(text: str) -> None:
    for value in parse_dates(text):
        assert len(value) in (4, 7, 10) and value[:4].isdigit()
