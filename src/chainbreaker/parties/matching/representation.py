"""How a name is represented for matching: one or more readings, each a tuple of units.

A unit is a token (or, for a Chinese person's name, the whole given name joined) with an optional
romanisation key under which pinyin and Wade-Giles spellings of the same syllables meet. A name
has several readings when it can be read several ways: written in two scripts, a Chinese name
whose surname may come first or last, a joined run of syllables ("GUOYUNNIAN").
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass

from chainbreaker.parties.matching.settings import MatcherSettings, default_settings
from chainbreaker.parties.names import (
    NormalName,
    chinese_key,
    looks_chinese,
    normalise_name,
    split_pinyin,
)


@dataclass(frozen=True, slots=True)
class Reading:
    """One reading of a name: its units and their romanisation keys (None: not Chinese)."""

    units: tuple[str, ...]
    keys: tuple[str | None, ...]
    chinese: bool = False  # units are (surname, given name joined)

    @property
    def joined(self) -> str:
        return "".join(self.units)


@dataclass(frozen=True, slots=True)
class NameRep:
    """A name ready for matching: its readings and what normalisation did."""

    normal: NormalName
    readings: tuple[Reading, ...]


def _plain(tokens: tuple[str, ...]) -> Reading:
    return Reading(tokens, tuple(None for _ in tokens))


def _chinese(surname: str, given: str) -> Reading:
    return Reading((surname, given), (chinese_key(surname), chinese_key(given)), chinese=True)


def _chinese_splits(tokens: tuple[str, ...]) -> Iterator[Reading]:
    """Readings of a Chinese person's name given without a comma: surname first, or last."""
    if len(tokens) == 1:
        syllables = split_pinyin(tokens[0])
        if not syllables or len(syllables) < 2:
            return
        tokens = syllables
    yield _chinese(tokens[0], "".join(tokens[1:]))
    if len(tokens) >= 2:
        yield _chinese(tokens[-1], "".join(tokens[:-1]))


def represent(
    text: str,
    schema: str | None,
    settings: MatcherSettings,
    *,
    surname_first: tuple[str, ...] | None = None,
) -> NameRep:
    """The readings of a name. `surname_first` gives the surname tokens when the list says
    which they are (OFAC writes persons as "SURNAME, Given Names")."""
    normal = normalise_name(text, schema)
    person = schema in ("Person", None, "Unknown")
    readings: list[Reading] = []
    token_sets = [normal.tokens, *normal.alternatives]
    for tokens in token_sets:
        if not tokens:
            continue
        readings.append(_plain(tokens))
        if not person or not looks_chinese(tokens):
            continue
        if surname_first is not None and tokens is normal.tokens and surname_first:
            n = len(surname_first)
            if tuple(tokens[:n]) == surname_first and len(tokens) > n:
                readings.append(_chinese("".join(tokens[:n]), "".join(tokens[n:])))
                continue
        readings.extend(_chinese_splits(tuple(tokens)))
    unique = tuple(dict.fromkeys(readings))
    return NameRep(normal, unique)


def listed_surname(full: str, schema: str | None) -> tuple[str, ...] | None:
    """The surname tokens of a listed person written "SURNAME, Given" (else None)."""
    if schema not in ("Person", None, "Unknown") or full.count(",") != 1:
        return None
    surname, given = full.split(",")
    if not surname.strip() or not given.strip():
        return None
    return normalise_name(surname, "Person").tokens or None


#: Query names kept per process by `represent_query`: a record's names are asked for by the
#: party screener and then by the indicator names' screener, so a small cache catches both.
_QUERY_CACHE = 4_096


@functools.lru_cache(maxsize=_QUERY_CACHE)
def represent_query(text: str, schema: str | None) -> NameRep:
    """`represent` of a query name, cached per process and shared by every screener (the
    readings of a name do not depend on the matcher's settings, which weigh and compare)."""
    return represent(text, schema, default_settings())
