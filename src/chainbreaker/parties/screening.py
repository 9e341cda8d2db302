"""Screening parties against loaded lists: the Python API behind `chainbreaker parties`.

    screener = Screener([load_list("sdn.csv")])
    for match in screener.screen(PartyQuery("q1", "Hsia Feng-ping", "Person")):
        print(match.score, match.name, match.explanation["summary"])

A score is in [0, 1]; its meaning is stable for a matcher version (`Screener.version`): it is
the weighted share of name evidence the query and the listed name have in common, moved by the
qualifiers both sides carry (date of birth, country, kind of party). `match` is score >= the
threshold. Every match explains itself: which listed name or alias matched which part of the
query, each feature and what it contributed.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chainbreaker.parties.matching.bound import cannot_reach
from chainbreaker.parties.matching.compare import Alignment, TokenComparer, align
from chainbreaker.parties.matching.index import NameIndex, prepare_names
from chainbreaker.parties.matching.representation import represent_query
from chainbreaker.parties.matching.score import (
    NameScore,
    country_effect,
    dob_effect,
    name_score,
    quick_score,
    schema_effect,
)
from chainbreaker.parties.matching.settings import MatcherSettings, default_settings
from chainbreaker.parties.models import ListedEntity, LoadedList
from chainbreaker.parties.store import ListStore

DEFAULT_THRESHOLD = 0.8
#: Queries of at least this many characters may have had their last word cut (EDI fields).
_CUT_FIELD_LENGTH = 30
#: Qualifiers can raise a name score a little: candidates and names are kept down to this
#: fraction of `min_score` before the qualifiers are applied.
_PRUNE_MARGIN = 0.9


@dataclass(frozen=True, slots=True)
class PartyQuery:
    """A party to screen."""

    id: str
    name: str
    schema: str | None = None  # "Person", "Company" or None/"unknown"
    country: str | None = None  # ISO2
    dob: str | None = None  # "YYYY-MM-DD" or "YYYY"


@dataclass(frozen=True, slots=True)
class PartyMatch:
    """A listed entity that matches a query, with its score and explanation."""

    list_id: str
    entity_id: str
    name: str
    matched_name: str
    score: float
    match: bool
    explanation: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape used by `parties screen` (a command-line contract)."""
        return {
            "list": self.list_id,
            "entity_id": self.entity_id,
            "name": self.name,
            "matched_name": self.matched_name,
            "score": self.score,
            "match": self.match,
            "explanation": self.explanation,
        }


class Screener:
    """Screens queries against the entities of one or more lists."""

    def __init__(
        self,
        lists: Sequence[LoadedList],
        *,
        threshold: float = DEFAULT_THRESHOLD,
        store: ListStore | None = None,
        settings: MatcherSettings | None = None,
    ) -> None:
        self.settings = settings or default_settings()
        self.version = self.settings.version
        self.threshold = threshold
        self.lists = list(lists)
        entities = [e for loaded in self.lists for e in loaded.entities]
        prepared = None
        if isinstance(store, ListStore):
            key = ":".join(
                ["names", self.version, _code_version(), *(x.info.sha256 for x in self.lists)]
            )
            prepared = store.blob(key, lambda: prepare_names(entities, self.settings))
        self.index = NameIndex(entities, self.settings, prepared)
        self._comparer = TokenComparer(self.settings)
        qualifiers = self.settings.qualifiers
        #: The most the qualifiers can add to a name score (same date of birth and country).
        self._qualifiers_most = qualifiers.dob_same + qualifiers.country_same
        self._store = store

    def screen(
        self,
        query: PartyQuery,
        *,
        min_score: float = 0.5,
        limit: int = 50,
        candidates: int | None = None,
    ) -> list[PartyMatch]:
        """Listed entities scoring at least `min_score` against the query, best first.

        `candidates` caps the listed names compared in full (default: the settings'
        `candidates.per_query`); a caller that wants only the best match may ask for fewer.
        """
        schema = _schema(query.schema)
        rep = represent_query(query.name, schema)
        if not rep.readings:
            return []
        qweights = [self.index.weights(r) for r in rep.readings]
        # A bound on what a candidate can score, from the evidence its index hits share with
        # the query: the query's other words count against it. Candidates that cannot reach
        # `min_score` (with a margin for what qualifiers may add) are not compared in full.
        total = max(sum(w) for w in qweights)
        floor = min_score * _PRUNE_MARGIN
        cut = len(query.name.strip()) >= _CUT_FIELD_LENGTH
        query_chinese = any(r.chinese for r in rep.readings)
        weak_factor = self.settings.score.weak_alias_factor
        best: dict[int, tuple[float, int, int, int, Alignment]] = {}
        per_query = candidates or self.settings.candidates.per_query
        for n, _ in self.index.candidates(rep, per_query, floor * total):
            indexed = self.index.names[n]
            both_chinese = query_chinese and indexed.chinese
            for qi, qreading in enumerate(rep.readings):
                for li, lreading in enumerate(indexed.readings):
                    if both_chinese and qreading.chinese != lreading.chinese:
                        continue  # plain with plain, (surname, given) with (surname, given)
                    lweights = indexed.weights[li]
                    if not cut and cannot_reach(
                        min_score - self._qualifiers_most,
                        qreading,
                        lreading,
                        qweights[qi],
                        lweights,
                        self._comparer,
                        self.settings,
                    ):
                        continue  # cannot reach min_score: skip the full comparison
                    alignment = align(
                        qreading,
                        lreading,
                        qweights[qi],
                        lweights,
                        self._comparer,
                        truncated_last=cut,
                    )
                    score = quick_score(alignment, qweights[qi], lweights, self.settings)
                    if indexed.name.weak:
                        score *= weak_factor
                    previous = best.get(indexed.entity)
                    if previous is None or score > previous[0]:
                        best[indexed.entity] = (score, n, qi, li, alignment)
        matches: list[PartyMatch] = []
        for entity, (score, n, qi, li, alignment) in best.items():
            if score < min_score * _PRUNE_MARGIN:
                continue
            indexed = self.index.names[n]
            scored = name_score(
                rep.readings[qi],
                indexed.readings[li],
                qweights[qi],
                indexed.weights[li],
                alignment,
                self.settings,
            )
            if indexed.name.weak:
                scored.score *= weak_factor
                scored.features.append(
                    {
                        "feature": "weak alias",
                        "factor": weak_factor,
                        "detail": "the list marks this alias as weak",
                    }
                )
            match = self._match(query, schema, rep.normal.dropped, entity, scored, n)
            if match.score >= min_score:
                matches.append(match)
        matches.sort(key=lambda m: (-m.score, m.list_id, m.entity_id))
        return matches[:limit]

    def _match(
        self,
        query: PartyQuery,
        schema: str | None,
        dropped: tuple[str, ...],
        entity_pos: int,
        scored: NameScore,
        name_pos: int,
    ) -> PartyMatch:
        entity: ListedEntity = self.index.entities[entity_pos]
        indexed = self.index.names[name_pos]
        score = scored.score
        features = list(scored.features)
        effects = (
            dob_effect(query.dob, entity.birth_dates, self.settings)
            if entity.schema == "Person"
            else None,
            country_effect(query.country, entity.countries, self.settings),
            schema_effect(schema, entity.schema, self.settings),
        )
        for kind, effect in zip(
            ("date of birth", "country", "kind of party"), effects, strict=True
        ):
            if effect is None:
                continue
            added, factor, detail = effect
            score = score * factor + added
            features.append({"feature": kind, "added": added, "factor": factor, "detail": detail})
        score = round(min(1.0, max(0.0, score)), 4)
        explanation = {
            "matcher": self.version,
            "matched_name": indexed.name.full,
            "name_kind": indexed.name.kind,
            "weak_alias": indexed.name.weak,
            "pairs": scored.pairs,
            "unmatched_query": scored.unmatched_query,
            "unmatched_listed": scored.unmatched_listed,
            "features": features,
            "query_normalisation": list(dropped),
            "summary": _summary(scored, features, indexed.name.full),
        }
        return PartyMatch(
            list_id=entity.list_id,
            entity_id=entity.entity_id,
            name=entity.name,
            matched_name=indexed.name.full,
            score=score,
            match=score >= self.threshold,
            explanation=explanation,
        )


@functools.cache
def _code_version() -> str:
    """A hash of the code and data that turn names into readings: a change rebuilds them."""
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    files = [
        *sorted((root / "names").glob("*.py")),
        *sorted((root / "data").glob("*.yaml")),
        root / "matching" / "representation.py",
    ]
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def _schema(value: str | None) -> str | None:
    if value is None:
        return None
    v = value.strip().capitalize()
    return v if v in ("Person", "Company", "Vessel", "Aircraft") else None


def _summary(scored: NameScore, features: list[dict[str, Any]], matched: str) -> str:
    parts = [
        f"{p['query']} = {p['listed']}" + ("" if p["how"] == "exact" else f" ({p['how']})")
        for p in scored.pairs
    ]
    text = f"matched {matched!r}: " + ("; ".join(parts) or "no word in common")
    if scored.unmatched_query:
        text += f"; query words not in the listed name: {' '.join(scored.unmatched_query)}"
    if scored.unmatched_listed:
        text += f"; listed words not in the query: {' '.join(scored.unmatched_listed)}"
    for f in features[1:]:
        text += f"; {f['feature']}: {f['detail']}"
    return text
