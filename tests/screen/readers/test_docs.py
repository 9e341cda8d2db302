"""docs/manifests.md shows the built-in profiles as their YAML files define them."""

from __future__ import annotations

from pathlib import Path

from chainbreaker.screen.readers.profiles import PROFILES, profile_markdown

DOC = Path(__file__).resolve().parents[3] / "docs" / "manifests.md"
MARK = "<!-- profiles: generated from src/chainbreaker/screen/data/profiles/*.yaml -->\n"


def test_profile_tables_in_the_docs_are_up_to_date() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert MARK in text
    generated = text.split(MARK, 1)[1].strip()
    expected = "\n".join(profile_markdown(p) for p in PROFILES).strip()
    assert generated == expected, (
        "regenerate the profile tables: "
        "python -c 'from chainbreaker.screen.readers.profiles import *; "
        'print("\\n".join(profile_markdown(p) for p in PROFILES))\''
    )
