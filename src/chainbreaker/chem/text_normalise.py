"""Text folding for the chemical-mention scanner.

Two levels, both keyed to the same alphabet:

- the *pre-filter skeleton* of a whole text: lower case, letters and digits only (newlines kept),
  digit-for-letter swaps undone and `l`/`i` folded together. It is built with C-speed primitives
  (`bytes.translate` for ASCII text) so a line with no candidate costs almost nothing; its
  positions are not mapped back to the text.
- the *exact skeleton* of one line with a candidate: the same characters, each with the index of
  the character of the original text it came from, the character before the swap was undone,
  and whether it was written with a look-alike (full-width, other-script) character.

Names are folded the same way (`name_variants`, `swap_fold`) so that an Aho-Corasick automaton
over folded names finds candidates in the skeleton.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from chainbreaker.chem.names import GREEK, name_key
from chainbreaker.errors import DataError


@dataclass(frozen=True, slots=True)
class ScanSettings:
    """The scanner's data (`chem/data/scan.yaml`)."""

    swaps: dict[str, str]  # swap character -> the letters it may stand for
    homoglyphs: dict[str, str]  # look-alike character -> Latin letter
    min_key_length: int
    abbreviation_max_key_length: int
    spaced_piece_max_length: int
    stop_keys: frozenset[str]
    cas_cues: tuple[str, ...]


@functools.cache
def settings() -> ScanSettings:
    """The scanner settings, read once from the packaged `scan.yaml`."""
    path = resources.files("chainbreaker.chem").joinpath("data/scan.yaml")
    try:
        raw: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
        return ScanSettings(
            swaps={str(e["char"]): str(e["letters"]) for e in raw["digit_swaps"]},
            homoglyphs={str(e["char"]): str(e["latin"]) for e in raw["homoglyphs"]},
            min_key_length=int(raw["min_key_length"]),
            abbreviation_max_key_length=int(raw["abbreviation_max_key_length"]),
            spaced_piece_max_length=int(raw["spaced_piece_max_length"]),
            stop_keys=frozenset(name_key(str(e["form"])) for e in raw["stop_forms"]),
            cas_cues=tuple(str(e["pattern"]) for e in raw["cas_cues"]),
        )
    except (KeyError, TypeError, ValueError, yaml.YAMLError) as exc:
        raise DataError(f"{path}: malformed scanner settings ({exc}); fix the file") from exc


# --- the swap-folded alphabet -------------------------------------------------------------


@functools.cache
def _fold_map() -> dict[str, str]:
    """Character -> its representative in the swap-folded alphabet (l and i fold to i)."""
    fold = {"l": "i"}
    for char, letters in settings().swaps.items():
        fold[char] = "i" if letters in ("il", "li", "l", "i") else letters[0]
    return fold


def swap_fold(key: str) -> str:
    """Fold a key (lower-case letters and digits) into the swap-folded alphabet."""
    fold = _fold_map()
    return "".join(fold.get(c, c) for c in key)


def is_swap_for(written: str, letter: str) -> bool:
    """True when `written` (a digit or symbol) is a known stand-in for `letter`."""
    return letter in settings().swaps.get(written, "")


@functools.cache
def _ascii_tables() -> tuple[bytes, bytes]:
    fold = _fold_map()
    table = bytearray(range(256))
    delete = bytearray()
    for b in range(128):
        c = chr(b).lower()
        if c.isalnum() or c in fold:
            table[b] = ord(fold.get(c, c))
        elif c != "\n":
            delete.append(b)
    return bytes(table), bytes(delete)


@functools.cache
def _specials() -> tuple[re.Pattern[str], dict[str, str]]:
    mapping = dict(GREEK)
    mapping.update(settings().homoglyphs)
    return re.compile("|".join(map(re.escape, mapping))), mapping


_DROP_NON_WORD = re.compile(r"[^\w\n@$!|]+|_+")


def prefilter_skeleton(text: str) -> str:
    """The pre-filter skeleton of a text (see the module docstring); newlines are kept."""
    table, delete = _ascii_tables()
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text).casefold()
        pattern, mapping = _specials()
        if pattern.search(text):
            text = pattern.sub(lambda m: mapping[m.group()], text)
        text = _DROP_NON_WORD.sub("", text)
        return text.encode("utf-8").translate(table).decode("utf-8")
    return text.encode("ascii").translate(table, delete).decode("ascii")


# --- the exact skeleton of one line --------------------------------------------------------


@dataclass(slots=True)
class Skeleton:
    """The letters and digits of a line, folded, each mapped back to its original character."""

    folded: str  # swap-folded, for the automaton
    plain: str  # lower-case as written (swap characters kept as written)
    origin: list[int]  # index in the original line of each character
    lookalike: list[bool]  # written with a full-width or other-script look-alike


def _fold_char(c: str) -> tuple[str, bool]:
    """The lower-case letters/digits a character stands for, and whether it is a look-alike."""
    if c.isascii():
        low = c.lower()
        return (low, False) if low.isalnum() or low in settings().swaps else ("", False)
    _, mapping = _specials()
    norm = unicodedata.normalize("NFKC", c).casefold()
    lookalike = norm != c.casefold() and c not in GREEK
    out = []
    for ch in norm:
        if ch in mapping:
            lookalike = lookalike or ch in settings().homoglyphs
            out.append(mapping[ch])
        elif ch.isalnum() or ch in settings().swaps:
            out.append(ch)
    return "".join(out), lookalike and bool(out)


def exact_skeleton(line: str) -> Skeleton:
    """The exact skeleton of a line (a pure-Python loop: call it only for candidate lines)."""
    plain: list[str] = []
    origin: list[int] = []
    lookalike: list[bool] = []
    for i, c in enumerate(line):
        out, odd = _fold_char(c)
        for ch in out:
            plain.append(ch)
            origin.append(i)
            lookalike.append(odd)
    text = "".join(plain)
    return Skeleton(swap_fold(text), text, origin, lookalike)


# --- names -------------------------------------------------------------------------------

_OMP_SHORT = re.compile(r"(?<![A-Za-z0-9])(ortho|meta|para)(?=[\s-]*[A-Za-z0-9])", re.IGNORECASE)
_OMP_LONG = re.compile(r"(?<![A-Za-z0-9])([ompOMP])-(?=[A-Za-z])")
_OMP_WORDS = {"o": "ortho", "m": "meta", "p": "para"}


def plain_key(form: str) -> str:
    """A name folded like the exact skeleton's `plain` (no o-/p-/m- expansion)."""
    return "".join(_fold_char(c)[0] for c in form)


def name_variants(form: str) -> dict[str, str]:
    """The spellings of a name form searched for, by plain key: as written, with o-/m-/p- spelt
    out and with ortho/meta/para abbreviated, so either spelling in a text matches.
    """
    spellings = (
        form,
        _OMP_LONG.sub(lambda m: _OMP_WORDS[m.group(1).lower()] + "-", form),
        _OMP_SHORT.sub(lambda m: m.group(1)[0] + "-", form),
    )
    out: dict[str, str] = {}
    for spelling in spellings:
        key = plain_key(spelling)
        if key and key not in out:
            out[key] = spelling
    return out


def break_points(spelling: str) -> tuple[frozenset[int], frozenset[int]]:
    """Positions in the plain key of a spelling where a separator may stand without being
    inserted, and the subset where the spelling itself has one.

    A separator may stand where the spelling has one, or where letters meet digits: "1boc4ap"
    breaks as 1|boc|4|ap, so "1-boc-4-AP" and "1boc4AP" are the same name written two ways.
    """
    breaks: set[int] = set()
    separators: set[int] = set()
    count = 0
    prev = ""
    pending = False
    for c in spelling:
        out, _ = _fold_char(c)
        if not out:
            pending = count > 0
            continue
        for ch in out:
            if count and pending:
                separators.add(count)
            if count and (pending or ch.isdigit() != prev.isdigit()):
                breaks.add(count)
            pending = False
            prev = ch
            count += 1
    return frozenset(breaks), frozenset(separators)
