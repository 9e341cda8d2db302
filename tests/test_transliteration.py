"""to_ascii writes exactly what unidecode writes."""

from __future__ import annotations

import re
import warnings

import pytest
from hypothesis import given
from hypothesis import strategies as st
from unidecode import unidecode

from chainbreaker.transliteration import ascii_words, to_ascii


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("北京市朝阳区", "Bei Jing Shi Zhao Yang Qu "),  # unidecode reads 朝 as zhao
        ("Москва, ул. Тверская", "Moskva, ul. Tverskaia"),
        ("Wáng Guóyīng", "Wang Guoying"),
        ("plain ASCII", "plain ASCII"),
        ("", ""),
    ],
)
def test_known_texts(text: str, expected: str) -> None:
    assert to_ascii(text) == expected


@given(st.text())
def test_the_same_as_unidecode_on_any_text(text: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # unidecode warns of lone surrogates; both drop them
        assert to_ascii(text) == unidecode(text)


def test_ascii_words_are_runs_of_letters_and_digits() -> None:
    # unidecode writes the degree sign as "deg": "N°5" is one word
    words = ascii_words("Rm 1203, Bldg-B (北京) N°5")
    assert words == ["rm", "1203", "bldg", "b", "bei", "jing", "ndeg5"]
    assert ascii_words(" ,;- ") == []


@given(st.text())
def test_ascii_words_split_where_a_regular_expression_splits(text: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = [w for w in re.split(r"[^0-9a-z]+", unidecode(text).lower()) if w]
        assert ascii_words(text) == expected
