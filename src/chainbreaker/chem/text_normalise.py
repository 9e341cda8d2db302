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
from collections.abc import Iterable, Sequence
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


@dataclass(frozen=True, slots=True)
class _Tables:
    skeleton: bytes  # bytes.translate table: ASCII letters/digits -> swap-folded lower case
    skeleton_delete: bytes  # ASCII bytes that are not letters, digits, swaps or newline
    skeleton_delete_all: bytes  # the same and every non-ASCII byte
    shape: bytes  # bytes.translate table for the shape (see `prefilter`)
    shape_delete: bytes  # UTF-8 continuation bytes: one shape character per character
    keep: bytes  # 1 for the ASCII bytes the skeleton keeps, else 0
    specials: re.Pattern[str]  # Greek letters and look-alikes
    mapping: dict[str, str]  # their replacements


# Shape characters of non-ASCII text, by UTF-8 lead byte.
_SHAPE_LEADS = {
    **dict.fromkeys(range(0xC3, 0xCE), "x"),  # Latin letters with diacritics
    0xC2: "p",  # U+0080-U+00BF: no-break space, middle dot, other Latin-1 punctuation
    0xCE: "g",  # Greek
    0xCF: "g",
    **dict.fromkeys(range(0xD0, 0xD4), "y"),  # Cyrillic
    0xE2: "d",  # U+2000-U+2FFF: dashes, the minus sign, bullets, other punctuation
    0xE3: "p",  # U+3000-U+3FFF: CJK punctuation and kana
}
# Non-ASCII text that needs the careful skeleton: Greek letters (spelt out in names);
# Cyrillic letters touching Latin ones (look-alikes inside a Latin word); non-ASCII punctuation
# between Latin letters or digits ("fen·tanyl", "4–AP"). Tested on the shape mapped once more:
# Latin letters and digits -> L, Cyrillic -> Y, Greek -> G, non-ASCII punctuation -> P.
_CLASSES = bytes.maketrans(b"xas0ygdp", b"LLLLYGPP")
_LPL = re.compile(r"LP+L")


def _needs_care(classes: str) -> bool:
    return (
        "G" in classes
        or "LY" in classes
        or "YL" in classes
        or ("LP" in classes and _LPL.search(classes) is not None)
    )


def _care_positions(classes: str) -> list[int]:
    out: list[int] = []
    for pattern in ("G", "LY", "YL"):
        i = classes.find(pattern)
        while i >= 0:
            out.append(i)
            i = classes.find(pattern, i + 1)
    i = classes.find("LP")
    while i >= 0:  # L, a run of P, then L again
        j = i + 2
        while j < len(classes) and classes[j] == "P":
            j += 1
        if j < len(classes) and classes[j] == "L":
            out.append(i)
        i = classes.find("LP", j)
    return out


def line_numbers(text: str, positions: Iterable[int]) -> list[int]:
    """The lines (counted from 0 at each newline) of these positions, in increasing order."""
    out: list[int] = []
    line = previous = 0
    for p in sorted(set(positions)):
        line += text.count("\n", previous, p)
        previous = p
        if not out or out[-1] != line:
            out.append(line)
    return out


_NON_WORD = re.compile(r"[^\w\n@$!|]+|_+")


@functools.cache
def _tables() -> _Tables:
    fold = _fold_map()
    skeleton = bytearray(range(256))
    skeleton_delete = bytearray()
    shape = bytearray(b"_" * 256)
    for b in range(128):
        c = chr(b).lower()
        if c.isalnum() or c in fold:
            skeleton[b] = ord(fold.get(c, c))
        elif c != "\n":
            skeleton_delete.append(b)
        if c.isdigit() or c == "c":
            shape[b] = ord("0")
        elif c in "as":
            shape[b] = ord(c)
        elif c.isalpha():
            shape[b] = ord("x")
        elif c in " \t-./\\":
            shape[b] = ord("-")
        elif c == "\n":
            shape[b] = ord("\n")
    for lead, char in _SHAPE_LEADS.items():
        shape[lead] = ord(char)
    mapping = dict(GREEK)
    mapping.update(settings().homoglyphs)
    return _Tables(
        skeleton=bytes(skeleton),
        skeleton_delete=bytes(skeleton_delete),
        skeleton_delete_all=bytes(skeleton_delete) + bytes(range(0x80, 0x100)),
        shape=bytes(shape),
        shape_delete=bytes(range(0x80, 0xC0)),
        keep=bytes(0 if b in skeleton_delete else 1 for b in range(256)),
        specials=re.compile("|".join(map(re.escape, mapping))),
        mapping=mapping,
    )


def ascii_tables() -> tuple[bytes, bytes, bytes]:
    """The `bytes.translate` tables of `prefilter` for ASCII text: skeleton table, bytes the
    skeleton deletes, shape table (for callers that inline the ASCII path for speed)."""
    t = _tables()
    return t.skeleton, t.skeleton_delete, t.shape


def _careful_skeleton(line: str) -> str:
    """The pre-filter skeleton of a non-ASCII line, Greek spelt out and look-alikes mapped."""
    t = _tables()
    line = unicodedata.normalize("NFKC", line)
    folded = t.specials.sub(lambda m: t.mapping[m.group()], line.casefold())
    raw = folded.encode("utf-8", "surrogatepass").translate(t.skeleton, t.skeleton_delete)
    return _NON_WORD.sub("", raw.decode("utf-8", "surrogatepass"))


def prefilter(
    text: str, lines: Sequence[str] | None = None, ascii_keys: bool = False
) -> tuple[str, str]:
    """The pre-filter skeleton of a text and its *shape*; both keep the newlines.

    The shape has one ASCII character per character of the text: `0` for a digit (and for
    `c`, so that the cue "CAS" reads `0as`), `-` for a space, tab, hyphen, dot or slash, `a`
    and `s` for themselves, `x` for other Latin letters, `g` Greek, `y` Cyrillic, `d` a dash
    or other general punctuation, `p` other punctuation, `_` anything else. A CAS RN, or a
    "CAS" cue, leaves a trace that one regular expression over the shape finds
    (cas_mentions.cas_possible).

    ASCII text (the common case) takes two `bytes.translate`. Other text is brought to NFKC
    first (full-width letters, odd spaces); its lines with Greek letters, Cyrillic letters
    touching Latin ones, or non-ASCII punctuation between Latin letters take a careful path.
    `lines` may give `text.split("\\n")` when the caller has it. With `ascii_keys` (every name
    searched for is ASCII once folded) other characters are left out of the skeleton: they can
    only join neighbours into spurious candidates, which the exact check drops.
    """
    t = _tables()
    if text.isascii():
        raw = text.encode("ascii")
        skeleton = raw.translate(t.skeleton, t.skeleton_delete).decode("ascii")
        return skeleton, raw.translate(t.shape).decode("ascii")
    text = unicodedata.normalize("NFKC", text)
    raw = text.encode("utf-8", "surrogatepass")
    shape_bytes = raw.translate(t.shape, t.shape_delete)
    shape = shape_bytes.decode("ascii")
    if ascii_keys:
        skeleton = raw.translate(t.skeleton, t.skeleton_delete_all).decode("ascii")
    else:
        skeleton = raw.translate(t.skeleton, t.skeleton_delete).decode("utf-8", "surrogatepass")
    if not ("g" in shape or "y" in shape or "d" in shape or "p" in shape):
        return skeleton, shape  # no Greek, Cyrillic or odd punctuation: nothing needs care
    classes = shape_bytes.translate(_CLASSES).decode("ascii")
    if not _needs_care(classes):
        return skeleton, shape
    if "\n" not in shape:
        return _careful_skeleton(text), shape
    if lines is None:
        lines = text.split("\n")
    skeletons = skeleton.split("\n")
    for k in line_numbers(classes, _care_positions(classes)):
        skeletons[k] = _careful_skeleton(lines[k])
    return "\n".join(skeletons), shape


# --- the exact skeleton of one line --------------------------------------------------------


@dataclass(slots=True)
class Skeleton:
    """The letters and digits of a line, folded, each mapped back to its original character."""

    folded: str  # swap-folded, for the automaton
    plain: str  # lower-case as written (swap characters kept as written)
    origin: list[int]  # index in the original line of each character
    lookalike: list[bool]  # written with a full-width or other-script look-alike
    any_lookalike: bool = False
    one_to_one: bool = False  # each character gave at most one skeleton character


def _fold_char(c: str) -> tuple[str, bool]:
    """The lower-case letters/digits a character stands for, and whether it is a look-alike."""
    if c.isascii():
        low = c.lower()
        return (low, False) if low.isalnum() or low in settings().swaps else ("", False)
    mapping = _tables().mapping
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
    if line.isascii():
        t = _tables()
        raw = line.encode("ascii")
        keep = t.keep
        origin = [i for i, b in enumerate(raw) if keep[b]]
        plain = raw.translate(None, t.skeleton_delete).lower().decode("ascii")
        folded = raw.translate(t.skeleton, t.skeleton_delete).decode("ascii")
        return Skeleton(folded, plain, origin, [], one_to_one=True)
    plain_chars: list[str] = []
    origin = []
    lookalike: list[bool] = []
    for i, c in enumerate(line):
        out, odd = _fold_char(c)
        for ch in out:
            plain_chars.append(ch)
            origin.append(i)
            lookalike.append(odd)
    text = "".join(plain_chars)
    one_to_one = len(set(origin)) == len(origin)
    return Skeleton(swap_fold(text), text, origin, lookalike, any(lookalike), one_to_one)


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
