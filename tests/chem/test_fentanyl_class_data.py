"""The data file of the fentanyl-class rules: legal texts, lists, flags and the alert threshold."""

from __future__ import annotations

from chainbreaker.chem.fentanyl_class_data import load
from chainbreaker.chem.substituents import KNOWN_KINDS

# Every flag id the rule code can emit (see fentanyl_regions, phenethyl).
EMITTED = {
    "a-or-b",
    "carbamate",
    "formyl",
    "urea",
    "thiocarbonyl",
    "thioester",
    "sulfonyl",
    "oxalyl",
    "unusual-acyl",
    "alkylamino",
    "cycloalkyl",
    "linker-heteroatom",
    "not-monocycle",
}


def test_statute_texts() -> None:
    us = load().us
    assert set(us.items) == {"A", "B", "C", "D", "E"}
    for letter, text in us.items.items():
        assert text.startswith(f"({letter}) By ")
    assert "another acyl group" in us.items["E"]
    assert "aromatic monocycle" in us.items["D"]


def test_closed_lists_are_the_statute_words() -> None:
    lists = load().us.lists
    b_words = {"alkyl", "alkenyl", "alkoxyl", "hydroxyl", "halo", "haloalkyl", "amino", "nitro"}
    assert lists["B"] == b_words
    assert lists["C"] == b_words | {"ester", "ether"}
    assert load().cn.lists["piperidine"] == lists["C"]
    assert lists["C"] <= KNOWN_KINDS  # the classifier can recognise every listed kind
    for kind in lists["B"]:
        assert kind in load().us.items["B"]
    for kind in lists["C"]:
        assert kind in load().us.items["C"]


def test_china_items_in_reporting_order() -> None:
    assert list(load().cn.items) == ["acyl", "n-aryl", "piperidine", "n-substituent"]


def test_flags_cover_what_the_code_emits() -> None:
    data = load()
    assert set(data.flags) == EMITTED
    assert data.flag("carbamate").startswith("carbamate: ")


def test_alert_threshold_is_a_similarity() -> None:
    assert 0.0 < load().alert_threshold < 1.0
