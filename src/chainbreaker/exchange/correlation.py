"""Correlation at write time: a new incident is linked to earlier ones that share a value.

Addresses, phones, e-mails, company numbers and substances correlate when their keys
(`indicator_keys`) are equal, found through an index on (kind, key). Party names correlate
through the `parties` matcher: earlier names sharing a word of the normalised name are the
candidates (at most `name_candidates`), scored in full by a `Screener` built on them; a score
at or above `name_threshold` links the incidents. Links are stored in both directions for every
incident; readers see a link only when both incidents are visible to them (`entitlement`).
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from chainbreaker.exchange.models import Correlation, Incident, Indicator, NameToken
from chainbreaker.exchange.settings import exchange_settings
from chainbreaker.parties.models import ListedEntity, ListedName, ListInfo, LoadedList
from chainbreaker.parties.screening import PartyQuery, Screener

__all__ = ["correlate"]


def correlate(
    session: Session,
    incident: Incident,
    rows: list[Indicator],
    schemas: dict[int, str | None],
    tokens: set[str],
) -> list[Correlation]:
    """Store the links of a new incident (whose indicator `rows` are flushed) and return them."""
    links: dict[tuple[int, str, str], Correlation] = {}

    def link(mine: Indicator, other_incident: int, other_value: str, score: float) -> None:
        k = (other_incident, mine.kind, mine.value)
        if other_incident == incident.id or k in links:
            return
        links[k] = Correlation(
            incident_id=incident.id,
            related_id=other_incident,
            kind=mine.kind,
            value=mine.value,
            related_value=other_value,
            score=score,
        )

    exact = [r for r in rows if r.kind != "name"]
    if exact:
        by_key = {(r.kind, r.key): r for r in exact}
        found = session.execute(
            select(Indicator.incident_id, Indicator.kind, Indicator.key, Indicator.value)
            .where(
                or_(*(and_(Indicator.kind == k, Indicator.key == key) for k, key in by_key)),
                Indicator.incident_id != incident.id,
            )
            .order_by(Indicator.incident_id.desc())
            .limit(exchange_settings().max_links)
        )
        for other_incident, kind, key, value in found:
            link(by_key[(kind, key)], other_incident, value, 1.0)
    names = [r for r in rows if r.kind == "name"]
    if names:
        _names(session, incident, names, schemas, tokens, link)
    for c in list(links.values())[: exchange_settings().max_links]:
        session.add(c)
        session.add(
            Correlation(
                incident_id=c.related_id,
                related_id=c.incident_id,
                kind=c.kind,
                value=c.related_value,
                related_value=c.value,
                score=c.score,
            )
        )
    return list(links.values())


def _names(
    session: Session,
    incident: Incident,
    names: list[Indicator],
    schemas: dict[int, str | None],
    tokens: set[str],
    link: Callable[[Indicator, int, str, float], None],
) -> None:
    settings = exchange_settings()
    if not tokens:
        return
    candidates = session.execute(
        select(Indicator.id, Indicator.incident_id, Indicator.value)
        .join(NameToken, NameToken.indicator_id == Indicator.id)
        .where(NameToken.token.in_(tokens), Indicator.incident_id != incident.id)
        .distinct()
        .limit(settings.name_candidates)
    ).all()
    if not candidates:
        return
    entities = [
        ListedEntity(
            list_id="exchange",
            entity_id=str(ind_id),
            schema="Unknown",
            names=(ListedName(value),),
        )
        for ind_id, _inc, value in candidates
    ]
    info = ListInfo("exchange", "exchange names", "csv", "", "", None, len(entities), 0)
    screener = Screener([LoadedList(info, entities)], threshold=settings.name_threshold)
    where = {str(ind_id): (inc, value) for ind_id, inc, value in candidates}
    for r in names:
        query = PartyQuery(str(r.id), r.value, schemas.get(r.id))
        for match in screener.screen(query, min_score=settings.name_threshold, limit=50):
            other_incident, other_value = where[match.entity_id]
            link(r, other_incident, other_value, round(match.score, 3))
