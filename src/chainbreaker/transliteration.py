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


#: A `bytes.translate` table over ASCII: letters a-z and digits kept, A-Z lowered, any other
#: byte a space (one C loop over the text, where a `str.translate` looks each character up in
#: a dict: about ten times faster on an address).
_KEPT = b"0123456789abcdefghijklmnopqrstuvwxyz"
_WORD_BYTES = bytes(
    c if c in _KEPT else c + 32 if ord("A") <= c <= ord("Z") else ord(" ") for c in range(256)
)


def ascii_words(text: str) -> list[str]:
    """The words of `to_ascii(text)` in lower case: its runs of letters a-z and digits."""
    return to_ascii(text).encode("ascii", "replace").translate(_WORD_BYTES).decode("ascii").split()
