"""Screening a query against a few names chosen per query, without building a `Screener`.

    subset = SubsetScreener()
    for match in subset.screen(query, [("17", "Hebei Xiuna Trading"), ("42", "Golfo S.A.")]):
        print(match.id, match.score)

The exchange compares each new incident's party names with the ~25 earlier names chosen for
it (`exchange.correlation`). A `Screener` built on those names for every report costs about
ten times the comparisons themselves: its index (lookup keys with typo variants, postings)
is made again, and its token comparer starts with empty caches. A `SubsetScreener` lives as
long as the process: it keeps each name's readings and lookup keys (a bounded memo) and one
comparer whose caches stay warm, and for each call it works out only what depends on the
subset: the word weights (inverse document frequencies over the subset's names, with the
matcher's background names, as an index of those names has) and the evidence each name
shares with the query.

The scores are those of a `Screener` built on the same names (entities of one name each, of
the schema given) with the same settings: candidates ranked by the evidence they share with
the query (at most `candidates.per_query`, ties by position), the same bound, alignment and
score, the kind-of-party qualifier. Tests compare the two on generated subsets. A subset
larger than an index's common postings (`_COMMON_POSTINGS`) falls back to building a
`Screener`, which treats such keys otherwise.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass

from chainbreaker.parties.matching.bound import cannot_reach
from chainbreaker.parties.matching.compare import Alignment, TokenComparer, align
from chainbreaker.parties.matching.index import _COMMON_POSTINGS, NameIndex, name_terms
from chainbreaker.parties.matching.representation import (
    Reading,
    listed_surname,
    represent,
    represent_query,
)
from chainbreaker.parties.matching.score import name_score, quick_score, schema_effect
from chainbreaker.parties.matching.settings import MatcherSettings, default_settings
from chainbreaker.parties.models import ListedEntity, ListedName, ListInfo, LoadedList, Schema
from chainbreaker.parties.names import is_particle
from chainbreaker.parties.screening import PartyQuery, Screener

__all__ = ["SubsetMatch", "SubsetScreener"]

#: As in `screening`: queries this long may have had their last word cut; candidates are kept
#: down to this fraction of `min_score` before the qualifiers apply.
_CUT_FIELD_LENGTH = 30
_PRUNE_MARGIN = 0.9
#: Names whose readings and lookup keys are kept (the older half forgotten when full).
_NAMES_MOST = 65_536
#: Query units whose lookup keys are kept (cleared when full).
_UNITS_MOST = 65_536
#: Query units whose hits on one name are kept with it (cleared when full).
_HITS_MOST = 256


@dataclass(frozen=True, slots=True)
class SubsetMatch:
    """A name of the subset that matches the query: its id, the name, the score."""

    id: str
    name: str
    score: float


@dataclass(frozen=True, slots=True)
class _Listed:
    """What a name brings to any subset: its readings; per reading, each unit's term (what
    document frequencies count: its romanisation key, else the unit) and weight factor; its
    terms; its lookup keys; Chinese or not."""

    readings: tuple[Reading, ...]
    parts: tuple[tuple[tuple[str, float], ...], ...]
    terms: frozenset[str]
    lookups: frozenset[str]
    chinese: bool
    #: The factor of the best lookup key of a query unit the name has (0: none), per unit.
    hits: dict[tuple[str, str | None], float]


class _Weigher:
    """`NameIndex.weight` for an index whose document frequencies are `df` and whose names
    and background names number `top` - 1: the log of each frequency computed once."""

    __slots__ = ("_df", "_logs", "_top")

    def __init__(self, df: dict[str, int], top: int) -> None:
        self._df = df
        self._top = top
        self._logs: dict[int, float] = {}

    def __call__(self, term: str, factor: float) -> float:
        d = self._df.get(term, 0)
        w = self._logs.get(d)
        if w is None:
            w = self._logs[d] = math.log(self._top / (d + 0.5))
        if factor != 1.0:
            w *= factor
        return max(w, 0.05)


class SubsetScreener:
    """Scores queries against subsets of names chosen per query (see the module's text)."""

    def __init__(self, settings: MatcherSettings | None = None) -> None:
        self.settings = settings or default_settings()
        self._comparer = TokenComparer(self.settings)
        self._probe = NameIndex([], self.settings)  # for a query unit's lookup keys only
        qualifiers = self.settings.qualifiers
        self._qualifiers_most = qualifiers.dob_same + qualifiers.country_same
        self._names: dict[tuple[str, str], _Listed | None] = {}
        self._units: dict[tuple[str, str | None], dict[str, float]] = {}
        self._terms: dict[tuple[str, str | None], tuple[str, float]] = {}
        self._lock = threading.Lock()

    def screen(
        self,
        query: PartyQuery,
        names: Sequence[tuple[str, str]],
        *,
        schema: Schema = "Unknown",
        min_score: float = 0.5,
        limit: int = 50,
    ) -> list[SubsetMatch]:
        """The names of `names` ((id, name), ids unique) scoring at least `min_score` against
        the query, best first (ties by id), as a `Screener` built on them would score them:
        each name an entity of kind `schema`."""
        if len(names) > _COMMON_POSTINGS:
            return self._with_screener(query, names, schema, min_score, limit)
        listed: list[tuple[str, str, _Listed]] = []
        for ident, text in names:
            entry = self._listed(text, schema)
            if entry is not None:
                listed.append((ident, text, entry))
        query_schema = _schema(query.schema)
        rep = represent_query(query.name, query_schema)
        if not rep.readings or not listed:
            return []
        df: dict[str, int] = {}
        for _ident, _text, entry in listed:
            for term in entry.terms:
                df[term] = df.get(term, 0) + 1
        weigh = _Weigher(df, len(listed) + self.settings.score.background_names + 1)
        lweights = [
            tuple(tuple(weigh(*part) for part in parts) for parts in entry.parts)
            for _ident, _text, entry in listed
        ]
        qweights = [
            tuple(weigh(*self._term(u, k)) for u, k in zip(r.units, r.keys, strict=True))
            for r in rep.readings
        ]
        total = max(sum(w) for w in qweights)
        floor = min_score * _PRUNE_MARGIN
        cut = len(query.name.strip()) >= _CUT_FIELD_LENGTH
        query_chinese = any(r.chinese for r in rep.readings)
        best: dict[int, tuple[float, int, int, Alignment]] = {}
        for p in self._candidates(rep.readings, listed, weigh, floor * total):
            entry = listed[p][2]
            both_chinese = query_chinese and entry.chinese
            for qi, qreading in enumerate(rep.readings):
                for li, lreading in enumerate(entry.readings):
                    if both_chinese and qreading.chinese != lreading.chinese:
                        continue
                    if not cut and cannot_reach(
                        min_score - self._qualifiers_most,
                        qreading,
                        lreading,
                        qweights[qi],
                        lweights[p][li],
                        self._comparer,
                        self.settings,
                    ):
                        continue
                    alignment = align(
                        qreading,
                        lreading,
                        qweights[qi],
                        lweights[p][li],
                        self._comparer,
                        truncated_last=cut,
                    )
                    score = quick_score(alignment, qweights[qi], lweights[p][li], self.settings)
                    previous = best.get(p)
                    if previous is None or score > previous[0]:
                        best[p] = (score, qi, li, alignment)
        effect = schema_effect(query_schema, schema, self.settings)
        matches: list[SubsetMatch] = []
        for p, (score, qi, li, alignment) in best.items():
            if score < min_score * _PRUNE_MARGIN:
                continue
            ident, text, entry = listed[p]
            final = name_score(
                rep.readings[qi],
                entry.readings[li],
                qweights[qi],
                lweights[p][li],
                alignment,
                self.settings,
            ).score
            if effect is not None:
                added, factor, _detail = effect
                final = final * factor + added
            final = round(min(1.0, max(0.0, final)), 4)
            if final >= min_score:
                matches.append(SubsetMatch(ident, text, final))
        matches.sort(key=lambda m: (-m.score, m.id))
        return matches[:limit]

    # -- what depends on the subset -------------------------------------------------------

    def _candidates(
        self,
        readings: tuple[Reading, ...],
        listed: list[tuple[str, str, _Listed]],
        weigh: _Weigher,
        minimum: float,
    ) -> list[int]:
        """`NameIndex.candidates` for an index of the subset: the positions of the names
        sharing at least `minimum` evidence with the query (any, without a minimum), the most
        first (ties: the earlier first), at most `candidates.per_query`. Each query unit adds
        its weight once to a name, times the factor of the best of its keys the name has,
        the units in the index's order (the same sums)."""
        units: dict[tuple[str, str | None], None] = {}
        for reading in readings:
            for unit, key in zip(reading.units, reading.keys, strict=True):
                units[(unit, key)] = None
            if len(reading.units) >= 2:
                units[(reading.joined, "j")] = None
        weights: list[float] = []
        keys: list[tuple[tuple[str, str | None], dict[str, float]]] = []
        for unit, key in units:
            weights.append(weigh(*self._term(unit, key if key != "j" else None)))
            keys.append(((unit, key), self._unit_keys(unit, key)))
        kept: list[tuple[float, int]] = []
        for p, (_ident, _text, entry) in enumerate(listed):
            shared = 0.0
            hits = entry.hits
            for u, (which, unit_keys) in enumerate(keys):
                factor = hits.get(which)
                if factor is None:
                    found = entry.lookups.intersection(unit_keys)
                    factor = max((unit_keys[k] for k in found), default=0.0)
                    if len(hits) >= _HITS_MOST:
                        hits.clear()
                    hits[which] = factor
                if factor:
                    shared += weights[u] * factor
            if shared and (minimum <= 0 or shared >= minimum):
                kept.append((-shared, p))
        kept.sort()
        return [p for _s, p in kept[: self.settings.candidates.per_query]]

    # -- memos ----------------------------------------------------------------------------

    def _term(self, unit: str, key: str | None) -> tuple[str, float]:
        """A unit's term and weight factor (places weigh less, particles and minor words a
        fifth), as `NameIndex.weight` gives them."""
        found = self._terms.get((unit, key))
        if found is None:
            s = self.settings
            factor = 1.0
            if unit in s.places:
                factor = s.place_weight_factor
            elif is_particle(unit) or unit in s.minor_words:
                factor = 0.2
            found = (key if key is not None else unit, factor)
            with self._lock:
                if len(self._terms) >= _UNITS_MOST:
                    self._terms.clear()
                self._terms[(unit, key)] = found
        return found

    def _unit_keys(self, unit: str, key: str | None) -> dict[str, float]:
        """A query unit's lookup keys, each with the most a hit through it counts."""
        found = self._units.get((unit, key))
        if found is None:
            pairs = [("j:" + unit, 1.0)] if key == "j" else self._probe._unit_keys(unit, key)
            found = {}
            for lookup, factor in pairs:
                found[lookup] = max(factor, found.get(lookup, 0.0))
            with self._lock:
                if len(self._units) >= _UNITS_MOST:
                    self._units.clear()
                self._units[(unit, key)] = found
        return found

    def _listed(self, text: str, schema: str) -> _Listed | None:
        """A name's readings and keys as an index of it holds them (None: no readings)."""
        memo_key = (text, schema)
        if memo_key in self._names:
            return self._names[memo_key]
        surname = listed_surname(text, schema)
        rep = represent(text, schema, self.settings, surname_first=surname)
        entry: _Listed | None = None
        if rep.readings:
            typo_min = self.settings.candidates.typo_min_length
            terms, lookups = name_terms(rep.readings, typo_min)
            parts = tuple(
                tuple(self._term(u, k) for u, k in zip(r.units, r.keys, strict=True))
                for r in rep.readings
            )
            entry = _Listed(
                rep.readings,
                parts,
                frozenset(terms),
                frozenset(lookups),
                any(r.chinese for r in rep.readings),
                {},
            )
        with self._lock:
            if len(self._names) >= _NAMES_MOST:  # forget the older half
                for old in list(self._names)[: _NAMES_MOST // 2]:
                    del self._names[old]
            self._names[memo_key] = entry
        return entry

    def _with_screener(
        self,
        query: PartyQuery,
        names: Sequence[tuple[str, str]],
        schema: Schema,
        min_score: float,
        limit: int,
    ) -> list[SubsetMatch]:
        entities = [
            ListedEntity("subset", ident, schema, (ListedName(text),)) for ident, text in names
        ]
        info = ListInfo("subset", "subset", "csv", "", "", None, len(entities), 0)
        screener = Screener([LoadedList(info, entities)], settings=self.settings)
        return [
            SubsetMatch(m.entity_id, m.name, m.score)
            for m in screener.screen(query, min_score=min_score, limit=limit)
        ]


def _schema(value: str | None) -> str | None:
    """A query's kind of party as the matcher reads it (`screening._schema`)."""
    if value is None:
        return None
    v = value.strip().capitalize()
    return v if v in ("Person", "Company", "Vessel", "Aircraft") else None
