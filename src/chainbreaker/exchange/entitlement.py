"""Who may see what: the single place that decides visibility.

Every read path (API, pages, exports, search, feed, correlations, alerts, sightings) filters
incidents with `visible(viewer, purpose)` or fetches one with `entitled_incident`; nothing else
decides. The rules:

- the reporting member's users see all its incidents (withdrawn ones too, for `read`);
- another member sees an incident only while it is not withdrawn and is shared with the whole
  coalition, or with that member by name (`sharing == "named"`);
- TLP:RED (named recipients, people) is shown to other members' analysts and admins on
  request (`read`), never to read-only users and never in machine channels (`feed`, `export`);
- the feed and exports leave out withdrawn incidents, the reporter's own too.

Changes of sharing, TLP or a withdrawal are column updates read by the next query: they take
effect at once for every reader.
"""

from __future__ import annotations

import functools
from typing import Any, Literal

from sqlalchemy import (
    ColumnElement,
    Connection,
    Integer,
    Row,
    Select,
    and_,
    bindparam,
    exists,
    or_,
    select,
)
from sqlalchemy.orm import Session

from chainbreaker.exchange.identities import Viewer
from chainbreaker.exchange.models import AuditEntry, Incident, Recipient
from chainbreaker.exchange.problems import Forbidden, NotFound

__all__ = [
    "IncidentRecord",
    "Purpose",
    "audit_visible",
    "entitled_incident",
    "entitled_record",
    "may_write",
    "seen_by_everyone",
    "visible",
]

Purpose = Literal["read", "feed", "export"]
PURPOSES: tuple[Purpose, ...] = ("read", "feed", "export")


def visible(viewer: Viewer, purpose: Purpose = "read") -> ColumnElement[bool]:
    """The SQL condition on `Incident` that is true for the incidents `viewer` may see."""
    return _visible(viewer.member_id, viewer.role == "read_only", purpose)


@functools.lru_cache(maxsize=4096)
def _visible(member_id: int, read_only: bool, purpose: Purpose) -> ColumnElement[bool]:
    # The condition depends on nothing else, and SQL expressions are immutable: built once per
    # (member, read-only or not, purpose) and shared. Sharing, TLP and withdrawal are columns
    # the query reads, so changes still take effect at the next request.
    own = Incident.member_id == member_id
    if purpose != "read":
        own = and_(own, Incident.withdrawn_at.is_(None))
    named = exists().where(Recipient.incident_id == Incident.id, Recipient.member_id == member_id)
    audience = or_(Incident.sharing == "coalition", and_(Incident.sharing == "named", named))
    others = [Incident.withdrawn_at.is_(None), audience]
    if read_only or purpose != "read":
        others.append(Incident.tlp != "red")
    return or_(own, and_(*others))


def seen_by_everyone(incident: type[Incident] | Any) -> ColumnElement[bool]:
    """The SQL condition on `incident` (the `Incident` table or an alias of it) that is true
    for the incidents every user of every member may see: shared with the whole coalition,
    not withdrawn, not TLP:RED. What is counted under it tells no reader anything it could not
    find itself (the over-correlation bound of `correlation` counts holders of a value so)."""
    return and_(
        incident.sharing == "coalition", incident.withdrawn_at.is_(None), incident.tlp != "red"
    )


def entitled_incident(
    session: Session, viewer: Viewer, incident_id: int, purpose: Purpose = "read"
) -> Incident:
    """The incident if `viewer` may see it; `NotFound` otherwise (absent or not entitled)."""
    stmt = _entitled(viewer.member_id, viewer.role == "read_only", purpose)
    incident = session.scalar(stmt, {"incident_id": incident_id})
    if incident is None:
        raise NotFound(f"no incident {incident_id} that you may see")
    return incident


#: An incident's row read without the ORM: its columns as attributes, as on an `Incident`
#: (for reading only; making an ORM object of it cost a tenth of a read).
IncidentRecord = Row[Any]


def entitled_record(
    conn: Connection, viewer: Viewer, incident_id: int, purpose: Purpose = "read"
) -> IncidentRecord:
    """`entitled_incident` for readers without a session: the incident's row (its columns as
    attributes); `NotFound` likewise."""
    stmt = _entitled_row(viewer.member_id, viewer.role == "read_only", purpose)
    row = conn.execute(stmt, {"incident_id": incident_id}).first()
    if row is None:
        raise NotFound(f"no incident {incident_id} that you may see")
    return row


@functools.lru_cache(maxsize=4096)
def _entitled_row(member_id: int, read_only: bool, purpose: Purpose) -> Select[Any]:
    table = Incident.__table__
    return select(table).where(
        table.c.id == bindparam("incident_id", type_=Integer),
        _visible(member_id, read_only, purpose),
    )


@functools.lru_cache(maxsize=4096)
def _entitled(member_id: int, read_only: bool, purpose: Purpose) -> Select[Incident]:
    # built once per (member, read-only or not, purpose), the incident a bound parameter:
    # building the statement cost more than running it
    return select(Incident).where(
        Incident.id == bindparam("incident_id", type_=Integer),
        _visible(member_id, read_only, purpose),
    )


def may_write(viewer: Viewer, incident: Incident | None = None) -> None:
    """Raise `Forbidden` unless `viewer` may report (or change this own member's) incidents."""
    if viewer.role == "read_only":
        raise Forbidden("read-only users cannot report or change incidents")
    if incident is not None and incident.member_id != viewer.member_id:
        raise Forbidden("only the reporting member can change an incident")


def audit_visible(viewer: Viewer) -> ColumnElement[bool]:
    """The audit entries an admin may query: its member's users' actions, and every action on
    its member's incidents (who read what it shared). Non-admins may query none."""
    if viewer.role != "admin":
        raise Forbidden("only admins can query the audit log")
    return or_(
        AuditEntry.member_id == viewer.member_id, AuditEntry.owner_member_id == viewer.member_id
    )
