"""Name keys: spellings that must meet, and names that must stay apart."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chainbreaker.chem.names import name_key


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("β-hydroxyfentanyl", "beta-Hydroxy Fentanyl"),
        ("α-methylfentanyl", "alpha methylfentanyl"),
        ("p-fluorofentanyl", "para-fluorofentanyl"),
        ("o-fluorofentanyl", "Ortho Fluorofentanyl"),
        ("4-ANPP", "4 anpp"),
        ("1-boc-4-piperidone", "1Boc4Piperidone"),
        ("4′-methylacetylfentanyl", "4'-methylacetylfentanyl"),
        ("ＦＥＮＴＡＮＹＬ", "fentanyl"),  # full-width letters, as pasted from some web shops
    ],
)
def test_spellings_meet(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [("fentanyl", "norfentanyl"), ("4-AP", "4-ANPP"), ("3-methylfentanyl", "4-methylfentanyl")],
)
def test_different_names_stay_apart(a: str, b: str) -> None:
    assert name_key(a) != name_key(b)


def test_m_inside_a_word_is_not_meta() -> None:
    # "N-methyl" must not become "N-metaethyl"; only a lone o/m/p before a hyphen is a locant
    assert name_key("N-methyl") == "nmethyl"


@given(st.text())
def test_key_is_idempotent_and_plain(text: str) -> None:
    key = name_key(text)
    assert key == name_key(key)
    assert all(c.isascii() and c.isalnum() for c in key)
