"""Names written in Han characters (simplified or traditional), read in pinyin.

A person: surname first, the given name as one joined token (GB/T 28039-2011): "王国英" ->
("wang", "guoying"); the surname in its surname reading ("单" -> "shan", then "dan" as an
alternative); two-character surnames kept whole ("欧阳"). A company: cut at known place and
business words, the trade name between them read as one token, with an English reading of the
business words as an alternative ("河北奥诺机械设备" -> hebei aonuo jixie shebei / hebei aonuo
machinery equipment). The tables are data (`data/chinese_surnames.yaml`,
`data/chinese_company_words.yaml`).
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass

from pypinyin import Style, lazy_pinyin

from chainbreaker.parties.names.scripts import fold_ascii
from chainbreaker.parties.names.tables import entries, field

__all__ = ["han_company_readings", "han_given_readings", "han_person_readings"]

_SURNAMES = "chinese_surnames.yaml"
_WORDS = "chinese_company_words.yaml"
_MAX_READINGS = 8
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True, slots=True)
class _SurnameTables:
    single: dict[str, tuple[str, ...]]  # char -> (surname reading, other readings...)
    compound: dict[str, str]  # two chars -> reading
    polyphones: dict[str, tuple[str, ...]]  # given-name char -> readings


def _forms(entry: dict[str, object]) -> list[str]:
    return [str(entry[k]) for k in ("han", "trad") if isinstance(entry.get(k), str)]


@functools.cache
def _surnames() -> _SurnameTables:
    single: dict[str, tuple[str, ...]] = {}
    for e in entries(_SURNAMES, "surname_readings"):
        reading = field(_SURNAMES, "surname_readings", e, "reading", str)
        also = [str(a) for a in e.get("also") or []]
        for form in _forms(e):
            single[form] = (reading, *also)
    compound: dict[str, str] = {}
    for e in entries(_SURNAMES, "compound_surnames"):
        reading = field(_SURNAMES, "compound_surnames", e, "reading", str)
        for form in _forms(e):
            compound[form] = reading
    polyphones: dict[str, tuple[str, ...]] = {}
    for e in entries(_SURNAMES, "given_name_polyphones"):
        readings = field(_SURNAMES, "given_name_polyphones", e, "readings", list)
        for form in _forms(e):
            polyphones[form] = tuple(str(r) for r in readings)
    return _SurnameTables(single, compound, polyphones)


def _fallback(chars: str) -> str:
    """Characters pypinyin does not know: unidecode's reading, or nothing."""
    return _NON_ALNUM.sub("", fold_ascii(chars).lower())


def _pinyin(text: str) -> list[str]:
    """Toneless pinyin syllables of Han `text` (ü typed as u), pypinyin's phrase-aware reading."""
    syllables = lazy_pinyin(text, style=Style.NORMAL, errors=_fallback)
    cleaned = (_NON_ALNUM.sub("", s.lower().replace("ü", "u").replace("v", "u")) for s in syllables)
    return [s for s in cleaned if s]


def _product(parts: list[tuple[str, ...]]) -> tuple[tuple[str, ...], ...]:
    return tuple(itertools.islice(itertools.product(*parts), _MAX_READINGS))


@functools.lru_cache(maxsize=4096)
def han_given_readings(text: str) -> tuple[str, ...]:
    """Readings of a given name in Han characters, each joined: "国英" -> ("guoying",)."""
    chars = "".join(text.split())
    if not chars:
        return ()
    primary = _pinyin(chars)
    if len(primary) != len(chars):  # a reading that does not map char by char: keep it alone
        return ("".join(primary),) if primary else ()
    polyphones = _surnames().polyphones
    options = [
        (syl, *(r for r in polyphones.get(c, ()) if r != syl))
        for c, syl in zip(chars, primary, strict=True)
    ]
    return tuple(dict.fromkeys("".join(p) for p in _product(options)))


def _surname_options(surname: str) -> tuple[str, ...]:
    tables = _surnames()
    if surname in tables.compound:
        return (tables.compound[surname],)
    if surname in tables.single:
        return tables.single[surname]
    return ("".join(_pinyin(surname)),)


@functools.lru_cache(maxsize=4096)
def han_person_readings(text: str) -> tuple[tuple[str, ...], ...]:
    """Readings of a person's name in Han characters, surname first, given name joined;
    the usual reading first. A space, when written, ends the surname ("郑 广华")."""
    parts = text.split()
    if not parts:
        return ()
    if len(parts) > 1:
        surname, given = parts[0], "".join(parts[1:])
    elif len(parts[0]) >= 3 and parts[0][:2] in _surnames().compound:
        surname, given = parts[0][:2], parts[0][2:]
    else:
        surname, given = parts[0][:1], parts[0][1:]
    surnames = _surname_options(surname)
    if not given:
        return tuple((s,) for s in surnames if s)
    givens = han_given_readings(given)
    return tuple((s, g) for s, g in _product([surnames, givens]) if s and g)


@dataclass(frozen=True, slots=True)
class _Word:
    pinyin: str
    english: tuple[str, ...]


@functools.cache
def _words() -> tuple[dict[str, _Word], int]:
    words: dict[str, _Word] = {}
    for key in ("places", "words"):
        for e in entries(_WORDS, key):
            reading = field(_WORDS, key, e, "pinyin", str)
            english = tuple(str(e.get("english") or reading).split())
            for form in _forms(e):
                words[form] = _Word(reading, english)
    return words, max(len(w) for w in words)


@functools.lru_cache(maxsize=4096)
def han_company_readings(text: str) -> tuple[tuple[str, ...], ...]:
    """Readings of a company name in Han characters (legal form already removed): the pinyin
    words, then the same with business words in English when there are any."""
    words, longest = _words()
    chars = "".join(text.split())
    pinyin: list[str] = []
    english: list[str] = []
    run = ""

    def flush() -> None:
        nonlocal run
        if run:
            reading = "".join(_pinyin(run))
            if reading:
                pinyin.append(reading)
                english.append(reading)
            run = ""

    i = 0
    while i < len(chars):
        for length in range(min(longest, len(chars) - i), 0, -1):
            word = words.get(chars[i : i + length])
            if word is not None:
                flush()
                pinyin.append(word.pinyin)
                english.extend(word.english)
                i += length
                break
        else:
            run += chars[i]
            i += 1
    flush()
    readings = [tuple(pinyin)]
    if english != pinyin:
        readings.append(tuple(english))
    return tuple(r for r in readings if r)
