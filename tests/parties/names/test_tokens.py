"""Tokeniser: apostrophes, dots, ampersands, hyphens."""

from __future__ import annotations

import pytest

from chainbreaker.parties.names.tokens import tokenise


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("Song-yan", ["song", "yan"]),
        ("Hsia Feng-p'ing", ["hsia", "feng", "ping"]),
        ("O'Brien", ["obrien"]),
        ("S.A. de C.V.", ["sa", "de", "cv"]),
        ("S.A.P.I.", ["sapi"]),
        ("S.A.DE C.V.", ["sa", "de", "cv"]),  # single letters join, words stay apart
        ("Co.,Ltd.", ["co", "ltd"]),
        ("Co.Ltd", ["co", "ltd"]),
        ("Ma.Teresa", ["ma", "teresa"]),
        ("J.R. Smith", ["jr", "smith"]),
        ("AG & CARLON", ["ag", "and", "carlon"]),
        ("C/O FREIGHT", ["c", "o", "freight"]),
        ("(HK)", ["hk"]),
        ("No. 8", ["no", "8"]),
        ("", []),
        ("--- ,,, ", []),
    ],
)
def test_tokenise(text: str, tokens: list[str]) -> None:
    assert [t.text for t in tokenise(text)] == tokens


def test_spans_point_into_the_text() -> None:
    text = "Tet Kham (s) Pte., LTD"
    spans = [text[t.start : t.end] for t in tokenise(text)]
    assert spans == ["Tet", "Kham", "s", "Pte", "LTD"]
    # tokens read from one dotted word share its span
    text = "S.A.DE"
    assert {text[t.start : t.end] for t in tokenise(text)} == {"S.A.DE"}
