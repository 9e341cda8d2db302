"""Honorifics and titles before a person's name ("Lic.", "Mr", "Sra.", "Dr."), generational
suffixes after it ("Jr.", "III"). The words are data (`data/name_titles.yaml`)."""

from __future__ import annotations

import functools

from chainbreaker.parties.names.tables import entries, field
from chainbreaker.parties.names.tokens import Token

__all__ = ["strip_titles"]

_FILE = "name_titles.yaml"
_AMBIGUOUS_MIN_REST = 3  # an ambiguous title needs a dot or this many name tokens after it


@functools.cache
def _words(key: str, item: str) -> dict[str, bool]:
    """word -> ambiguous?"""
    return {
        field(_FILE, key, e, item, str): bool(e.get("ambiguous", False))
        for e in entries(_FILE, key)
    }


def _dotted(token: Token, text: str) -> bool:
    return text[token.end : token.end + 1] == "."


def strip_titles(tokens: list[Token], text: str) -> tuple[list[Token], list[Token]]:
    """(the tokens without leading titles and trailing suffixes, the tokens removed).

    `text` is the string the tokens were read from (to see whether a title carries a dot).
    """
    titles = _words("titles", "title")
    suffixes = _words("suffixes", "suffix")
    removed: list[Token] = []
    tokens = list(tokens)
    while len(tokens) > 1 and tokens[0].text in titles:
        first = tokens[0]
        rest = len(tokens) - 1
        if titles[first.text] and not (_dotted(first, text) or rest >= _AMBIGUOUS_MIN_REST):
            break
        removed.append(tokens.pop(0))
    while len(tokens) > 1 and tokens[-1].text in suffixes:
        last = tokens[-1]
        rest = len(tokens) - 1
        if suffixes[last.text] and not (_dotted(last, text) or rest >= _AMBIGUOUS_MIN_REST):
            break
        removed.append(tokens.pop())
    return tokens, removed
