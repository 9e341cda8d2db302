"""Readings of names, and the per-process cache of query readings every screener shares."""

from __future__ import annotations

from chainbreaker.parties.matching.representation import represent, represent_query
from chainbreaker.parties.matching.settings import default_settings


def test_a_query_is_represented_once_for_every_screener() -> None:
    first = represent_query("Zhang Wei Trading", None)
    assert represent_query("Zhang Wei Trading", None) is first  # the second screener's ask
    assert first == represent("Zhang Wei Trading", None, default_settings())


def test_a_chinese_person_without_a_comma_reads_both_ways() -> None:
    readings = {r.units for r in represent_query("Zhang Weiming", "Person").readings}
    # as written, surname first ("zhang", "weiming"), and surname last ("weiming", "zhang")
    assert ("zhang", "weiming") in readings
    assert ("weiming", "zhang") in readings
