"""Correlation at write time: a new incident is linked to earlier ones that share a value.

Addresses, phones, e-mails, company numbers and substances correlate when their keys
(`indicator_keys`) are equal, found through an index on (kind, key). Party names correlate
through the `parties` matcher: earlier names sharing a word of the normalised name are the
candidates (at most `name_candidates`), scored in full by a `Screener` built on them; a score
at or above `name_threshold` links the incidents. Links are stored in both directions for every
incident (Core inserts, one statement for all); readers see a link only when both incidents are
visible to them (`entitlement`).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from chainbreaker.exchange.indicator_keys import DrawnIndicator
from chainbreaker.exchange.models import Correlation, Indicator, NameToken
from chainbreaker.exchange.settings import exchange_settings
from chainbreaker.parties.models import ListedEntity, ListedName, ListInfo, LoadedList
from chainbreaker.parties.screening import PartyQuery, Screener

__all__ = ["correlate", "warm_up_matcher"]

#: (indicator id, what was drawn) of the new incident's indicators.
Drawn = list[tuple[int, DrawnIndicator]]
Link = Callable[[DrawnIndicator, int, str, float], None]


def correlate(
    session: Session, incident_id: int, rows: Drawn, words: list[set[str]]
) -> list[dict[str, Any]]:
    """Store the links of a new incident (whose indicator `rows` are inserted; `words` are the
    words of each name) and return them (one direction)."""
    links: dict[tuple[int, str, str], dict[str, Any]] = {}

    def link(mine: DrawnIndicator, other_incident: int, other_value: str, score: float) -> None:
        k = (other_incident, mine.kind, mine.value)
        if other_incident == incident_id or k in links:
            return
        links[k] = {
            "incident_id": incident_id,
            "related_id": other_incident,
            "kind": mine.kind,
            "value": mine.value,
            "related_value": other_value,
            "score": score,
        }

    settings = exchange_settings()
    conn = session.connection()
    exact = [d for _i, d in rows if d.kind != "name"]
    if exact:
        # One indexed query per value (its most recent `max_links` holders, newest first by
        # indicator id), merged newest first: the same rows as one query over all values,
        # without reading and sorting every holder of a common value (a popular substance).
        found: list[tuple[int, str, str, str]] = []
        for d in {(d.kind, d.key): d for d in exact}.values():
            found.extend(
                (other, d.kind, d.key, value)
                for other, value in conn.execute(
                    select(Indicator.incident_id, Indicator.value)
                    .where(
                        Indicator.kind == d.kind,
                        Indicator.key == d.key,
                        Indicator.incident_id != incident_id,
                    )
                    .order_by(Indicator.id.desc())
                    .limit(settings.max_links)
                )
            )
        by_key = {(d.kind, d.key): d for d in exact}
        found.sort(key=lambda row: -row[0])
        for other_incident, kind, key, value in found[: settings.max_links]:
            link(by_key[(kind, key)], other_incident, value, 1.0)
    names = [(i, d) for (i, d), w in zip(rows, words, strict=True) if d.kind == "name" and w]
    tokens = set().union(*words) if words else set()
    if names and tokens:
        _names(session, incident_id, names, tokens, link)
    kept = list(links.values())[: settings.max_links]
    if kept:
        back = [
            {
                "incident_id": c["related_id"],
                "related_id": c["incident_id"],
                "kind": c["kind"],
                "value": c["related_value"],
                "related_value": c["value"],
                "score": c["score"],
            }
            for c in kept
        ]
        conn.execute(insert(Correlation), kept + back)
    return kept


def _names(session: Session, incident_id: int, names: Drawn, tokens: set[str], link: Link) -> None:
    settings = exchange_settings()
    candidates = (
        session.connection()
        .execute(
            select(Indicator.id, Indicator.incident_id, Indicator.value)
            .join(NameToken, NameToken.indicator_id == Indicator.id)
            .where(NameToken.token.in_(tokens), Indicator.incident_id != incident_id)
            .distinct()
            .limit(settings.name_candidates)
        )
        .all()
    )
    if not candidates:
        return
    screener = _screener(tuple(sorted((ind_id, value) for ind_id, _inc, value in candidates)))
    where = {str(ind_id): (inc, value) for ind_id, inc, value in candidates}
    for ind_id, d in names:
        query = PartyQuery(str(ind_id), d.value, d.schema)
        for match in screener.screen(query, min_score=settings.name_threshold, limit=50):
            other_incident, other_value = where[match.entity_id]
            link(d, other_incident, other_value, round(match.score, 3))


#: Screeners by their candidates ((indicator id, name), ...). Indicators never change, so a
#: Screener built on the same candidates gives the same scores; writes whose names share the
#: same common words often have the same candidates, and building one costs milliseconds.
_screeners: OrderedDict[tuple[tuple[int, str], ...], Screener] = OrderedDict()
_screeners_lock = threading.Lock()
_SCREENERS_KEPT = 32


def _screener(candidates: tuple[tuple[int, str], ...]) -> Screener:
    with _screeners_lock:
        cached = _screeners.get(candidates)
        if cached is not None:
            _screeners.move_to_end(candidates)
            return cached
    entities = [
        ListedEntity(
            list_id="exchange",
            entity_id=str(ind_id),
            schema="Unknown",
            names=(ListedName(value),),
        )
        for ind_id, value in candidates
    ]
    info = ListInfo("exchange", "exchange names", "csv", "", "", None, len(entities), 0)
    screener = Screener([LoadedList(info, entities)], threshold=exchange_settings().name_threshold)
    with _screeners_lock:
        _screeners[candidates] = screener
        while len(_screeners) > _SCREENERS_KEPT:
            _screeners.popitem(last=False)
    return screener


def warm_up_matcher() -> None:
    """Load what the parties matcher loads on first use (settings, name tables), so the first
    writes after a start do not wait for it."""
    _screener(((0, "Warm-up Trading Company Ltd."),)).screen(
        PartyQuery("0", "Warm-up Trading Company"), min_score=exchange_settings().name_threshold
    )
