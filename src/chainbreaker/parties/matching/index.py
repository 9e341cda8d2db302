"""The candidate index: every listed name's readings, token weights, and postings for lookup.

Weights are inverse document frequencies over the listed names, so that rare tokens carry the
evidence and common ones ("trading", "jose", "wang") little; a background of names that hold
none of the list's words is counted in, so that a short list (a member's own) does not make
every word look common. Lookup keys cover exact tokens,
romanisation keys, one-deletion variants of longer tokens (typos), names written as one token
and adjacent tokens written together. A query's candidates are ranked by the weight of the keys
they share with it, and only the best few are compared in full.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from chainbreaker.memos import forget_older_half
from chainbreaker.parties.matching.representation import (
    NameRep,
    Reading,
    listed_surname,
    represent,
)
from chainbreaker.parties.matching.settings import MatcherSettings
from chainbreaker.parties.models import ListedEntity, ListedName
from chainbreaker.parties.names import is_particle

#: Posting lists longer than this only add to candidates found through rarer keys.
_COMMON_POSTINGS = 2_500
#: Query units whose hits are kept (the older half forgotten when full).
_HITS_MOST = 50_000


@dataclass(slots=True)
class IndexedName:
    entity: int  # position of the entity in the index's entity list
    name: ListedName
    readings: tuple[Reading, ...]
    weights: tuple[tuple[float, ...], ...] = ()  # per reading, set once the index is built
    chinese: bool = False  # has a (surname, given name) reading


def deletions(token: str) -> Iterator[str]:
    """Every string made by deleting one character of the token."""
    for k in range(len(token)):
        yield token[:k] + token[k + 1 :]


def _reading_keys(reading: Reading, typo_min: int) -> Iterator[tuple[str, int]]:
    """(lookup key, unit position; -1 for keys of the whole reading) of a listed reading."""
    for i, (unit, key) in enumerate(zip(reading.units, reading.keys, strict=True)):
        yield "t:" + unit, i
        if key is not None:
            yield "k:" + key, i
        if len(unit) >= typo_min:
            for d in deletions(unit):
                yield "d:" + d, i
    if len(reading.units) >= 2:
        yield "j:" + reading.joined, -1
        for i in range(len(reading.units) - 1):
            yield "t:" + reading.units[i] + reading.units[i + 1], i


def name_terms(readings: Iterable[Reading], typo_min: int) -> tuple[set[str], set[str]]:
    """A listed name's terms (each unit's romanisation key, else the unit: what document
    frequencies count) and its lookup keys (what its postings are filed under)."""
    terms: set[str] = set()
    lookups: set[str] = set()
    for reading in readings:
        for unit, key in zip(reading.units, reading.keys, strict=True):
            terms.add(key if key is not None else unit)
        lookups.update(lookup for lookup, _ in _reading_keys(reading, typo_min))
    return terms, lookups


#: What a query unit hits: its weight, the names it hits grouped by how well (best key first),
#: and its keys shared by very many names, with how much a hit through each counts.
UnitHits = tuple[float, tuple[tuple[float, frozenset[int]], ...], tuple[tuple[str, float], ...]]

#: Each listed name's readings, as JSON can hold them: (entity position, name position,
#: [(units, romanisation keys, Chinese surname/given reading), ...]); read back from JSON,
#: the tuples are lists (typed as sequences of anything, so that compiled code accepts both).
PreparedNames = list[Sequence[Any]]


def prepare_names(entities: Sequence[ListedEntity], settings: MatcherSettings) -> PreparedNames:
    """Normalise every listed name into its readings (the slow part of building an index)."""
    out: PreparedNames = []
    for e, entity in enumerate(entities):
        for i, name in enumerate(entity.names):
            surname = listed_surname(name.full, entity.schema)
            rep = represent(name.full, entity.schema, settings, surname_first=surname)
            if rep.readings:
                readings = [(list(r.units), list(r.keys), r.chinese) for r in rep.readings]
                out.append((e, i, readings))
    return out


class NameIndex:
    """Listed names of one or more lists, ready for candidate lookup."""

    def __init__(
        self,
        entities: Sequence[ListedEntity],
        settings: MatcherSettings,
        prepared: PreparedNames | None = None,
    ) -> None:
        """Index the entities' names; `prepared` (from `prepare_names`) skips normalising them."""
        self.settings = settings
        self.entities = list(entities)
        self.names: list[IndexedName] = []
        for e, i, readings in (
            prepared if prepared is not None else prepare_names(entities, settings)
        ):
            name = self.entities[e].names[i]
            built = tuple(Reading(tuple(u), tuple(k), bool(c)) for u, k, c in readings)
            chinese = any(r.chinese for r in built)
            self.names.append(IndexedName(e, name, built, chinese=chinese))
        self._df: dict[str, int] = defaultdict(int)
        self.postings: dict[str, list[int]] = {}
        typo_min = settings.candidates.typo_min_length
        for n, indexed in enumerate(self.names):
            terms, lookups = name_terms(indexed.readings, typo_min)
            for term in terms:
                self._df[term] += 1
            for lookup in lookups:
                posting = self.postings.get(lookup)
                if posting is None:
                    self.postings[lookup] = [n]
                else:
                    posting.append(n)
        self._n = max(1, len(self.names))
        self._weight_memo: dict[tuple[str, str | None], float] = {}
        #: The most query units whose hits (and weights) are kept.
        self.hits_most = _HITS_MOST
        self._places = settings.places
        self._place_factor = settings.place_weight_factor
        self._minor = settings.minor_words
        self._background = settings.score.background_names
        for indexed in self.names:
            indexed.weights = tuple(self.weights(r) for r in indexed.readings)
        self._hits: dict[tuple[str, str | None], UnitHits] = {}
        self._common_sets: dict[str, frozenset[int]] = {}

    # -- weights ----------------------------------------------------------------------------

    def weight(self, unit: str, key: str | None) -> float:
        """The evidence a unit carries: its inverse document frequency, less for places."""
        df = self._df.get(key if key is not None else unit, 0)
        w = math.log((self._n + self._background + 1) / (df + 0.5))
        if unit in self._places:
            w *= self._place_factor
        elif is_particle(unit) or unit in self._minor:
            w *= 0.2
        return max(w, 0.05)

    def weights(self, reading: Reading) -> tuple[float, ...]:
        """The weight of each unit of a reading (each unit's weight computed once)."""
        memo = self._weight_memo
        out: list[float] = []
        for unit, key in zip(reading.units, reading.keys, strict=True):
            found = memo.get((unit, key))
            if found is None:
                if len(memo) >= self.hits_most:
                    memo.clear()  # floats: cheap to clear, and each is cheap to compute again
                found = memo[(unit, key)] = self.weight(unit, key)
            out.append(found)
        return tuple(out)

    # -- lookup -----------------------------------------------------------------------------

    def _unit_keys(self, unit: str, key: str | None) -> list[tuple[str, float]]:
        """Lookup keys of one query unit, each with how much a hit through it counts (0-1)."""
        keys = [("t:" + unit, 1.0), ("j:" + unit, 1.0)]
        if key is not None:
            keys.append(("k:" + key, 1.0))
        for expansion in self.settings.company_abbreviations.get(unit, ()):
            keys.append(("t:" + expansion, 0.9))
        if len(unit) >= 3:
            keys.append(("d:" + unit, 0.8))  # the query lacks one letter of a listed token
        if len(unit) >= self.settings.candidates.typo_min_length:
            for d in deletions(unit):
                keys.append(("t:" + d, 0.8))
                keys.append(("d:" + d, 0.8))
        return keys

    def _looked_up(self, unit: tuple[str, str | None]) -> UnitHits:
        """`_unit_hits` of a (unit, romanisation key), cached; when full, the older half is
        forgotten (clearing it all made every common word miss at once, and clearing a large
        dict is itself slow: ~3 % of a worker's screening at a million records)."""
        found = self._hits.get(unit)
        if found is None:
            if len(self._hits) >= self.hits_most:
                forget_older_half(self._hits)
            found = self._hits[unit] = self._unit_hits(unit[0], unit[1])
        return found

    def _unit_hits(self, unit: str, key: str | None) -> UnitHits:
        """A unit's weight, the names it hits grouped by how well (best key first, each name
        once), and its keys shared by very many names (kept aside). Cached per unit: a day's
        names are mostly new, but their words are not."""
        lookups = [("j:" + unit, 1.0)] if key == "j" else self._unit_keys(unit, key)
        weight = self.weight(unit, key if key != "j" else None)
        by_factor: dict[float, list[list[int]]] = defaultdict(list)
        deferred: list[tuple[str, float]] = []
        for lookup, factor in lookups:
            posting = self.postings.get(lookup)
            if not posting:
                continue
            if len(posting) > _COMMON_POSTINGS:
                deferred.append((lookup, factor))
            else:
                by_factor[factor].append(posting)
        seen: set[int] = set()
        groups: list[tuple[float, frozenset[int]]] = []
        for factor in sorted(by_factor, reverse=True):  # the best key a name is hit by
            hit = frozenset(set().union(*by_factor[factor]) - seen)
            seen |= hit
            if hit:
                groups.append((factor, hit))
        return weight, tuple(groups), tuple(deferred)

    def candidates(self, rep: NameRep, limit: int, minimum: float = 0.0) -> list[tuple[int, float]]:
        """(position in `names`, evidence shared) of the listed names most likely to match,
        best first (ties: the earlier listed name first), sharing at least `minimum` (fewer
        than `limit` when fewer do). The evidence shared bounds what the full comparison can
        find.

        Each query unit adds its weight once to every name it hits, through whichever of its
        keys (exact, romanisation, typo, joined) hits best; keys shared by very many names only
        add to names found through rarer ones.

        With a `minimum`, the names hit by the rarest units are the only ones that can reach it
        (the commonest units together add less than `minimum`, as in "MaxScore" top-k
        retrieval): only those are scored, each with every unit in the same order, so that
        they get the same evidence as when every name hit is scored.
        """
        units: dict[tuple[str, str | None], None] = {}
        for reading in rep.readings:
            for unit, key in zip(reading.units, reading.keys, strict=True):
                units[(unit, key)] = None
            if len(reading.units) >= 2:
                units[(reading.joined, "j")] = None
        looked = [self._looked_up(unit) for unit in units]
        if minimum <= 0.0 or not any(groups for _, groups, _ in looked):
            # no minimum; or only keys shared by very many names hit (their first names seed)
            return self._every_candidate(looked, limit, minimum)
        # the most each unit can add (its best group), and the most all common keys can add
        most = [weight * groups[0][0] if groups else 0.0 for weight, groups, _ in looked]
        rest = 0.0
        for weight, _, deferred in looked:
            for _, factor in deferred:
                rest += weight * factor
        essential = [True] * len(looked)
        for u in sorted(range(len(looked)), key=most.__getitem__):
            if rest + most[u] >= minimum:
                break
            rest += most[u]
            essential[u] = False  # with every weaker unit, cannot reach `minimum` alone
        found: set[int] = set()
        for u, (_, groups, _) in enumerate(looked):
            if essential[u]:
                for _, hit in groups:
                    found |= hit
        kept: list[tuple[int, float]] = []
        for n in found:
            shared = self._shared_with(n, looked)
            if shared >= minimum:
                kept.append((n, shared))
        return _best_first(kept, limit)

    def _shared_with(
        self,
        n: int,
        looked: list[UnitHits],
    ) -> float:
        """The evidence name `n` shares with the query's units (regular keys, then common)."""
        shared = 0.0
        for weight, groups, _ in looked:
            for factor, hit in groups:
                if n in hit:
                    shared += weight * factor
                    break
        for weight, _, deferred in looked:
            for lookup, factor in deferred:
                if n in self._common(lookup):
                    shared += weight * factor
        return shared

    def _common(self, lookup: str) -> frozenset[int]:
        """The names of a key shared by very many names, as a set (kept: they are few)."""
        members = self._common_sets.get(lookup)
        if members is None:
            members = self._common_sets[lookup] = frozenset(self.postings[lookup])
        return members

    def _every_candidate(
        self,
        looked: list[UnitHits],
        limit: int,
        minimum: float,
    ) -> list[tuple[int, float]]:
        """Candidates found by scoring every name hit."""
        score: dict[int, float] = defaultdict(float)
        for weight, groups, _ in looked:
            for factor, hit in groups:
                add = weight * factor
                for n in hit:
                    score[n] += add
        for weight, _, deferred in looked:
            for lookup, factor in deferred:
                if not score:
                    for n in self.postings[lookup][:limit]:
                        score[n] += weight * factor
                    continue
                members = self._common(lookup)
                for n in list(score):
                    if n in members:
                        score[n] += weight * factor
        kept = [item for item in score.items() if item[1] >= minimum] if minimum else score.items()
        return _best_first(kept, limit)


def _best_first(kept: Iterable[tuple[int, float]], limit: int) -> list[tuple[int, float]]:
    """The `limit` names sharing the most evidence, best first (ties: earlier name first)."""
    order = sorted([(-shared, n) for n, shared in kept])
    return [(n, -negative) for negative, n in order[:limit]]
