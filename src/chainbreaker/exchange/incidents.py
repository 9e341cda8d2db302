"""Incidents: report, read, search, change sharing, withdraw.

Every function takes the `Viewer` and goes through `entitlement` for what it reads; every write
is audited in its own transaction.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, Insert, delete, func, insert, select, text
from sqlalchemy.orm import Session

from chainbreaker.chem.identify import Identifier, default_identifier
from chainbreaker.errors import InvalidInput
from chainbreaker.exchange.audit import entry, record, record_all
from chainbreaker.exchange.correlation import links_of, name_links, warm_up_matcher
from chainbreaker.exchange.database import utcnow
from chainbreaker.exchange.entitlement import (
    IncidentRecord,
    entitled_incident,
    may_write,
    visible,
)
from chainbreaker.exchange.identities import Viewer
from chainbreaker.exchange.indicator_keys import (
    DrawnIndicator,
    draw_indicators,
    indicator_key,
    name_tokens,
)
from chainbreaker.exchange.models import (
    Correlation,
    Incident,
    Indicator,
    Member,
    NameToken,
    Recipient,
)
from chainbreaker.exchange.schemas import IncidentIn, SharingIn
from chainbreaker.exchange.settings import exchange_settings

__all__ = [
    "IncidentFilters",
    "PreparedIncident",
    "create_incident",
    "incident_view",
    "list_incidents",
    "prepare_incident",
    "resolve_substances",
    "store_incident",
    "update_sharing",
    "warm_up",
    "withdraw_incident",
]


@dataclass(frozen=True, slots=True)
class IncidentFilters:
    """Search and filters of an incident list (all optional)."""

    q: str | None = None  # words found in the report's text (names, places, narrative...)
    kind: str | None = None
    country: str | None = None
    member: str | None = None  # the reporting member's code
    substance: str | None = None  # resolved through chem, else matched as text
    since: date | None = None
    until: date | None = None
    limit: int = 50
    offset: int = 0


def resolve_substances(
    substances: list[dict[str, Any]], identifier: Identifier | None = None
) -> list[dict[str, Any]]:
    """Each substance with what `chem` resolved it to: id, name, status (controlled or not,
    unresolved) and, when the query could not be read, why."""
    ident = identifier or default_identifier()
    out = []
    for sub in substances:
        try:
            found = ident.identify(sub["name"])
            error = found.error
        except InvalidInput as exc:
            found, error = None, str(exc)
        substance = found.substance if found else None
        if substance is None:
            status = "unresolved"
        else:
            status = "controlled" if found and found.controlled else "not controlled"
        out.append(
            {
                **sub,
                "substance_id": substance.id if substance else None,
                "substance_name": substance.name if substance else None,
                "status": status,
                "resolution_note": error,
            }
        )
    return out


def _search_text(body: dict[str, Any]) -> str:
    parts: list[str] = []
    for key in (
        "location",
        "reporting_authority",
        "conveyance",
        "concealment",
        "declared_description",
        "hs_code",
        "modus_operandi",
        "narrative",
    ):
        if body.get(key):
            parts.append(str(body[key]))
    for p in body.get("parties", []):
        parts.extend(str(p[k]) for k in ("name", "address", "phone", "email") if p.get(k))
        parts.extend(p.get("company_numbers", []))
    for s in body.get("substances", []):
        parts.extend(str(s[k]) for k in ("name", "substance_name") if s.get(k))
    return " ".join(" ".join(parts).casefold().split())


def _member_ids(session: Session, codes: list[str]) -> list[int]:
    ids = []
    for code in dict.fromkeys(codes):
        member_id = session.scalar(select(Member.id).where(Member.code == code))
        if member_id is None:
            raise InvalidInput(f"recipients: no member {code!r}")
        ids.append(member_id)
    return ids


def _check_sharing(sharing: str, tlp: str, recipients: list[str]) -> None:
    if sharing == "named" and not recipients:
        raise InvalidInput("sharing 'named' needs at least one member in recipients")
    if sharing != "named" and recipients:
        raise InvalidInput("recipients are only for sharing 'named'")
    if tlp == "red" and sharing == "coalition":
        raise InvalidInput("TLP:RED is for named recipients: share it 'named', not 'coalition'")


@dataclass(frozen=True, slots=True)
class PreparedIncident:
    """What a new incident needs from no database: checked sharing, resolved substances, the
    body, its search text and the indicators drawn from it (with the words of each name)."""

    viewer: Viewer
    data: IncidentIn
    body: dict[str, Any]
    search_text: str
    drawn: list[DrawnIndicator]
    words: list[set[str]]  # per drawn indicator: its name's words (empty for other kinds)


def prepare_incident(
    viewer: Viewer, data: IncidentIn, identifier: Identifier | None = None
) -> PreparedIncident:
    """Check and resolve a new incident before any database work (`InvalidInput`, `Forbidden`)."""
    may_write(viewer)
    _check_sharing(data.sharing, data.tlp, data.recipients)
    body = data.model_dump(mode="json", exclude={"sharing", "recipients", "tlp"})
    body["substances"] = resolve_substances(body["substances"], identifier)
    drawn = draw_indicators(body)
    words = [name_tokens(d.value, d.schema) if d.kind == "name" else set() for d in drawn]
    return PreparedIncident(viewer, data, body, _search_text(body), drawn, words)


def store_incident(session: Session, prepared: PreparedIncident) -> Incident:
    """Insert a prepared incident, its indicators and its correlations (audited), as Core
    statements in the session's transaction; the incident returned is not in the session."""
    stored = store_incidents(session, [prepared])[0]
    if isinstance(stored, Exception):
        raise stored
    return stored


def store_incidents(
    session: Session, batch: list[PreparedIncident]
) -> list[Incident | InvalidInput]:
    """Insert prepared incidents in the order given, each with its indicators, name links
    and audit entry, with one statement per table for all of them (one round trip each on
    PostgreSQL, not one per incident). An incident naming an unknown recipient is refused
    alone (its `InvalidInput` in its place); a database error fails the whole call (the
    caller's savepoint undoes it). Each incident is linked to those stored before it, those
    earlier in the batch too."""
    out: list[Incident | InvalidInput | None] = []
    kept: list[tuple[int, PreparedIncident, list[int]]] = []
    for prepared in batch:
        try:
            recipients = _member_ids(session, prepared.data.recipients)
        except InvalidInput as exc:
            out.append(exc)
            continue
        kept.append((len(out), prepared, recipients))
        out.append(None)  # the incident once inserted
    if not kept:
        return [o for o in out if o is not None]
    _take_turns(session)
    now = utcnow()
    rows: list[dict[str, Any]] = []
    for _at, prepared, _recipients in kept:
        viewer, data = prepared.viewer, prepared.data
        rows.append(
            {
                "uid": str(uuid.uuid4()),
                "member_id": viewer.member_id,
                "created_by": viewer.user_id,
                "kind": data.kind,
                "occurred_on": data.occurred_on,
                "country": data.country,
                "sharing": data.sharing,
                "tlp": data.tlp,
                "created_at": now,
                "updated_at": now,
                "withdrawn_at": None,
                "withdrawn_reason": None,
                "body": prepared.body,
                "search_text": prepared.search_text,
            }
        )
    conn = session.connection()
    incident_ids: list[int] = list(conn.execute(_RETURNING_IDS[Incident], rows).scalars())
    recipient_rows = [
        {"incident_id": iid, "member_id": m}
        for iid, (_at, _p, recipients) in zip(incident_ids, kept, strict=True)
        for m in recipients
    ]
    if recipient_rows:
        conn.execute(_INSERT[Recipient], recipient_rows)
    indicator_rows = [
        {"incident_id": iid, "kind": d.kind, "value": d.value, "key": d.key, "note": d.note}
        for iid, (_at, prepared, _r) in zip(incident_ids, kept, strict=True)
        for d in prepared.drawn
    ]
    indicator_ids: list[int] = []
    if indicator_rows:
        indicator_ids = list(conn.execute(_RETURNING_IDS[Indicator], indicator_rows).scalars())
    tokens: list[dict[str, Any]] = []
    per_incident: list[list[int]] = []
    start = 0
    for _at, prepared, _r in kept:
        ids = indicator_ids[start : start + len(prepared.drawn)]
        start += len(prepared.drawn)
        per_incident.append(ids)
        tokens.extend(
            {"indicator_id": i, "token": t}
            for i, words in zip(ids, prepared.words, strict=True)
            for t in sorted(words)
        )
    if tokens:
        conn.execute(_INSERT[NameToken], tokens)
    links: list[dict[str, Any]] = []
    for iid, (_at, prepared, _r), ids in zip(incident_ids, kept, per_incident, strict=True):
        links.extend(
            name_links(session, iid, list(zip(ids, prepared.drawn, strict=True)), prepared.words)
        )
    if links:
        conn.execute(_INSERT[Correlation], links)
    record_all(
        conn,
        [
            entry(
                prepared.viewer,
                "incident.create",
                "incident",
                iid,
                owner_member_id=prepared.viewer.member_id,
                at=now,
            )
            for iid, (_at, prepared, _r) in zip(incident_ids, kept, strict=True)
        ],
    )
    for iid, row, (at, _p, _r) in zip(incident_ids, rows, kept, strict=True):
        out[at] = Incident(id=iid, **row)
    return [o for o in out if o is not None]


#: The inserts of a report's rows, built once (a statement built per call is keyed again).
_INSERT: dict[type[Any], Insert] = {
    model: insert(model) for model in (Recipient, NameToken, Correlation)
}
_RETURNING_IDS: dict[type[Any], Insert] = {
    model: insert(model).returning(model.id, sort_by_parameter_order=True)
    for model in (Incident, Indicator)
}


#: The key of the PostgreSQL advisory lock that writers of incidents take in turn.
WRITERS_LOCK = 0x63627800  # "cbx\0"


def _take_turns(session: Session) -> None:
    """On PostgreSQL, wait for the writers of other server processes (`serve --workers N`)
    to commit: each report's name candidates must include the names committed by the others,
    or two reports written at the same moment would each miss the other (READ COMMITTED: a
    transaction does not see another's uncommitted rows). The lock is held until this
    transaction ends. SQLite's writers already take turns (`BEGIN IMMEDIATE`)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(_LOCK_WRITERS, {"key": WRITERS_LOCK})


_LOCK_WRITERS = text("SELECT pg_advisory_xact_lock(:key)")


def create_incident(
    session: Session, viewer: Viewer, data: IncidentIn, identifier: Identifier | None = None
) -> Incident:
    """Store a new incident, its indicators and its correlations (audited)."""
    return store_incident(session, prepare_incident(viewer, data, identifier))


def warm_up() -> None:
    """Load, at server start, what a first write would otherwise wait for: the chem catalog,
    the indicator keys' tables and the parties matcher (seconds on a cold start)."""
    body = {
        "substances": resolve_substances([{"name": "fentanyl"}]),
        "parties": [
            {
                "role": "consignor",
                "name": "Warm-up Trading Company Ltd.",
                "kind": "company",
                "address": "1 Harbour Road, Rotterdam",
                "phone": "+31 20 1234567",
                "email": "sales@warm-up.example",
                "company_numbers": ["NL 12345678"],
            }
        ],
    }
    for d in draw_indicators(body):
        name_tokens(d.value, d.schema)
    warm_up_matcher()


def list_incidents(
    session: Session, viewer: Viewer, filters: IncidentFilters, purpose: str = "read"
) -> tuple[list[Incident], int]:
    """The incidents `viewer` may see that pass the filters (newest first), and how many."""
    settings = exchange_settings()
    stmt = select(Incident).where(visible(viewer, "read" if purpose == "read" else "export"))
    if filters.q:
        for word in filters.q.casefold().split()[:10]:
            stmt = stmt.where(Incident.search_text.contains(word, autoescape=True))
    if filters.kind:
        stmt = stmt.where(Incident.kind == filters.kind)
    if filters.country:
        stmt = stmt.where(Incident.country == filters.country.upper())
    if filters.member:
        stmt = stmt.where(
            Incident.member_id.in_(select(Member.id).where(Member.code == filters.member))
        )
    if filters.substance:
        resolved = resolve_substances([{"name": filters.substance}])[0]
        key = resolved["substance_id"] or indicator_key("substance", filters.substance)
        stmt = stmt.where(
            Incident.id.in_(
                select(Indicator.incident_id).where(
                    Indicator.kind == "substance", Indicator.key == key
                )
            )
        )
    if filters.since:
        stmt = stmt.where(Incident.occurred_on >= filters.since)
    if filters.until:
        stmt = stmt.where(Incident.occurred_on <= filters.until)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    limit = max(1, min(filters.limit, settings.max_page_size))
    rows = session.scalars(
        stmt.order_by(Incident.created_at.desc(), Incident.id.desc())
        .limit(limit)
        .offset(max(0, filters.offset))
    ).all()
    return list(rows), total


#: Member codes by id: members are never renamed nor deleted, so the first answer holds.
_member_codes: dict[int, str] = {}


def member_code(session: Session | Connection, member_id: int) -> str:
    """The code of a member (cached: codes never change)."""
    code = _member_codes.get(member_id)
    if code is None:
        code = session.scalar(select(Member.code).where(Member.id == member_id)) or ""
        if code:
            _member_codes[member_id] = code
    return code


def incident_view(
    session: Session | Connection,
    viewer: Viewer,
    incident: Incident | IncidentRecord,
    *,
    with_correlations: bool = True,
) -> dict[str, Any]:
    """The incident as a reader sees it (recipients only for the reporting member), with its
    links to incidents the reader may see and its common values (`correlation.links_of`)."""
    own = incident.member_id == viewer.member_id
    view: dict[str, Any] = {
        "id": incident.id,
        "uid": incident.uid,
        "member": member_code(session, incident.member_id),
        **incident.body,
        "sharing": incident.sharing,
        "tlp": incident.tlp,
        "created_at": incident.created_at.isoformat(),
        "updated_at": incident.updated_at.isoformat(),
        "withdrawn": incident.withdrawn_at is not None,
    }
    if incident.withdrawn_at is not None:
        view["withdrawn_reason"] = incident.withdrawn_reason or ""
    if own:
        view["recipients"] = (
            list(
                session.scalars(
                    select(Member.code)
                    .join(Recipient, Recipient.member_id == Member.id)
                    .where(Recipient.incident_id == incident.id)
                    .order_by(Member.code)
                )
            )
            if incident.sharing == "named"
            else []
        )
    if with_correlations:
        view["correlations"], view["common_values"] = links_of(session, viewer, incident.id)
    return view


def update_sharing(session: Session, viewer: Viewer, incident_id: int, data: SharingIn) -> Incident:
    """Change who may see an incident (and its TLP); effective for the next read of anyone."""
    incident = entitled_incident(session, viewer, incident_id)
    may_write(viewer, incident)
    tlp = data.tlp or incident.tlp
    _check_sharing(data.sharing, tlp, data.recipients)
    recipients = _member_ids(session, data.recipients)
    session.execute(delete(Recipient).where(Recipient.incident_id == incident.id))
    session.add_all(Recipient(incident_id=incident.id, member_id=m) for m in recipients)
    incident.sharing = data.sharing
    incident.tlp = tlp
    incident.updated_at = utcnow()
    record(
        session,
        viewer,
        "incident.sharing",
        "incident",
        incident.id,
        owner_member_id=incident.member_id,
        detail=f"sharing={data.sharing} tlp={tlp} recipients={','.join(data.recipients)}",
    )
    return incident


def withdraw_incident(session: Session, viewer: Viewer, incident_id: int, reason: str) -> Incident:
    """Withdraw an incident: other members stop seeing it (and its indicators) at once."""
    incident = entitled_incident(session, viewer, incident_id)
    may_write(viewer, incident)
    if incident.withdrawn_at is None:
        incident.withdrawn_at = utcnow()
        incident.withdrawn_reason = reason
        incident.updated_at = incident.withdrawn_at
    record(
        session,
        viewer,
        "incident.withdraw",
        "incident",
        incident.id,
        owner_member_id=incident.member_id,
        detail=reason,
    )
    return incident
