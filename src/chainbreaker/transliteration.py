"""Text in other scripts as ASCII, as `unidecode` writes it, at the speed of `str.translate`.

`unidecode` reads a text one character at a time in Python; it transliterates each character
on its own (the same character always gives the same letters, whatever surrounds it). So the
same result comes from one `str.translate` over a table of the characters seen so far, each
looked up in `unidecode` the first time it is met: about ten times faster on a Chinese or
Cyrillic address, which the screen folds for every party of every record. The table holds only
characters met (a few thousand in a day's manifests, one short string each).
"""

from __future__ import annotations

from unidecode import unidecode

__all__ = ["ascii_words", "to_ascii"]


class _Table(dict[int, str]):
    """Code point -> its ASCII letters, filled on first use."""

    def __missing__(self, code: int) -> str:
        letters = self[code] = unidecode(chr(code))
        return letters


_TABLE = _Table()


def to_ascii(text: str) -> str:
    """`unidecode(text)`: the text in ASCII letters (a character with none is dropped)."""
    if text.isascii():
        return text
    return text.translate(_TABLE)


class _Spaces(dict[int, str]):
    """A `str.translate` table: letters a-z and digits kept, any other character a space."""

    def __missing__(self, code: int) -> str:
        self[code] = " "
        return " "


_WORD_CHARACTERS = _Spaces({ord(c): c for c in "0123456789abcdefghijklmnopqrstuvwxyz"})


def ascii_words(text: str) -> list[str]:
    """The words of `to_ascii(text)` in lower case: its runs of letters a-z and digits."""
    return to_ascii(text).lower().translate(_WORD_CHARACTERS).split()
