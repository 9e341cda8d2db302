"""to_ascii writes exactly what unidecode writes."""

from __future__ import annotations

import warnings

import pytest
from hypothesis import given
from hypothesis import strategies as st
from unidecode import unidecode

from chainbreaker.transliteration import to_ascii


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
