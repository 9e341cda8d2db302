"""Tests for the shared parts of loaders/xml_lists.py: the root's date and ListingReader."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree as ET

from chainbreaker.parties.loaders.xml_lists import ListingReader, root_date
from chainbreaker.parties.models import LoadProblem


def test_root_date_reads_the_date_part_of_a_timestamp() -> None:
    root = ET.fromstring('<export generationDate="2024-05-03T10:11:12.000+02:00"/>')
    assert root_date(root, "generationDate") == "2024-05-03"
    assert root_date(root, "dateGenerated") is None
    assert (
        root_date(ET.fromstring('<export generationDate="yesterday"/>'), "generationDate") is None
    )


def test_listing_reader_reports_unreadable_dates_and_ranges() -> None:
    problems: list[LoadProblem] = []
    reader = ListingReader(Path("list.xml"), ET.fromstring("<r/>"), "record 7", problems)
    assert reader.dates("DOB", "1970-02-01") == ("1970-02-01",)
    assert reader.dates("DOB", "soon") == ()
    assert reader.year_range("YEARS", "1965", "1967") == ["1965", "1966", "1967"]
    assert reader.year_range("YEARS", "1990", "1960") == []
    assert problems == [
        LoadProblem("list.xml", "record 7", "DOB", "unreadable date 'soon': left out"),
        LoadProblem("list.xml", "record 7", "YEARS", "implausible year range 1990..1960: left out"),
    ]
