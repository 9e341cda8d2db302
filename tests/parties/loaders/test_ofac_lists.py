"""Tests for loaders/ofac_lists.py: OFAC's list ids and titles."""

from __future__ import annotations

from pathlib import Path

from chainbreaker.parties.loaders.ofac_lists import list_title, xml_list_id


def test_the_consolidated_files_are_the_non_sdn_list() -> None:
    assert xml_list_id(Path("dl/consolidated.xml"), "ofac-sdn") == "ofac-cons"
    assert xml_list_id(Path("CONS_ADVANCED.XML"), "ofac-sdn") == "ofac-cons"
    assert xml_list_id(Path("sdn_advanced.xml"), "ofac-sdn") == "ofac-sdn"


def test_a_list_id_given_by_the_caller_is_kept() -> None:
    assert xml_list_id(Path("consolidated.xml"), "mine") == "mine"


def test_titles() -> None:
    assert list_title("ofac-sdn") == "OFAC SDN list"
    assert list_title("ofac-cons") == "OFAC consolidated (non-SDN) list"
    assert list_title("mine") == "OFAC list (mine)"
