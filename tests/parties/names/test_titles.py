"""Titles and generational suffixes of persons."""

from __future__ import annotations

import pytest

from chainbreaker.parties.names.titles import strip_titles
from chainbreaker.parties.names.tokens import tokenise


def _strip(text: str) -> tuple[list[str], list[str]]:
    kept, removed = strip_titles(tokenise(text), text)
    return [t.text for t in kept], [t.text for t in removed]


@pytest.mark.parametrize(
    ("text", "kept", "removed"),
    [
        ("Lic. BRAYAN LUQUIN", ["brayan", "luquin"], ["lic"]),
        ("Mr Ssu Lao", ["ssu", "lao"], ["mr"]),
        ("Sr. Lic. Juan Perez", ["juan", "perez"], ["sr", "lic"]),
        ("Ing. HAROLDO CORDON", ["haroldo", "cordon"], ["ing"]),
        # ambiguous titles: a dot, or three name tokens after them
        ("Don Noemi Gonzalez Valencia", ["noemi", "gonzalez", "valencia"], ["don"]),
        ("Don Pilo", ["don", "pilo"], []),
        ("Don Johnson", ["don", "johnson"], []),
        ("Hon Wai Lam", ["hon", "wai", "lam"], []),
        ("Sr. Juan Perez", ["juan", "perez"], ["sr"]),
        # suffixes
        ("Juan Perez Jr.", ["juan", "perez"], ["jr"]),
        ("John Smith III", ["john", "smith"], ["iii"]),
        # a title alone is kept: at least one token remains
        ("Mr", ["mr"], []),
        ("Ma Jian", ["ma", "jian"], []),  # Ma is a surname, not a title
    ],
)
def test_strip_titles(text: str, kept: list[str], removed: list[str]) -> None:
    assert _strip(text) == (kept, removed)
