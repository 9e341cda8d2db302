"""Cutting ASCII text into name tokens: lower case letters and digits, with their place.

- apostrophes are dropped inside a word ("O'Brien" -> "obrien", "p'ing" -> "ping");
- dots join single letters ("S.A.P.I." -> "sapi", "J.R." -> "jr") and separate anything else
  ("Co.Ltd" -> "co", "ltd"; "Ma.Teresa" -> "ma", "teresa");
- "&" is the word "and" ("AG & CARLON" reads like "AG AND CARLON");
- every other character separates tokens (hyphens too: "Song-yan" -> "song", "yan").
"""

from __future__ import annotations

import re
from typing import NamedTuple

__all__ = ["Token", "tokenise"]

# a word: letters/digits, possibly joined by apostrophes or dots; or an ampersand
_WORD = re.compile(r"[A-Za-z0-9]+(?:['`.][A-Za-z0-9]+)*|&")
_APOSTROPHES = re.compile(r"['`]")


class Token(NamedTuple):
    """One token and the span of the text it was read from."""

    text: str
    start: int
    end: int


def _pieces(word: str) -> list[str]:
    """Split a word on its dots, joining runs of single letters."""
    out: list[str] = []
    run = ""
    for piece in word.split("."):
        if len(piece) == 1 and piece.isalpha():
            run += piece
            continue
        if run:
            out.append(run)
            run = ""
        out.append(piece)
    if run:
        out.append(run)
    return out


def tokenise(text: str) -> list[Token]:
    """The tokens of ASCII `text`, lower case, each with the span it came from."""
    tokens: list[Token] = []
    for match in _WORD.finditer(text):
        word = match.group()
        start, end = match.span()
        if word == "&":
            tokens.append(Token("and", start, end))
            continue
        if "'" in word or "`" in word:
            word = _APOSTROPHES.sub("", word)
        if "." in word:
            tokens.extend(Token(p.lower(), start, end) for p in _pieces(word))
        else:
            tokens.append(Token(word.lower(), start, end))
    return tokens
