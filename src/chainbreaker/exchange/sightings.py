"""Sightings and alerts: a member saw an indicator; the member that shared it is alerted.

The sighting member chooses what the alert reveals (`share`): `anonymous` (that the indicator
was seen, and when), `member` (also which member saw it) or `details` (also the context note).
The alerted member sees nothing else of the sighting member's data. A member can only sight
indicators of incidents it may see (`entitlement.visible`), and never alerts itself.
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from chainbreaker.errors import InvalidInput
from chainbreaker.exchange.audit import record
from chainbreaker.exchange.database import utcnow
from chainbreaker.exchange.entitlement import may_write, visible
from chainbreaker.exchange.identities import Viewer
from chainbreaker.exchange.indicator_keys import indicator_key
from chainbreaker.exchange.models import Alert, Incident, Indicator, Member, Sighting
from chainbreaker.exchange.problems import NotFound
from chainbreaker.exchange.schemas import SightingIn

__all__ = ["alerts_for", "report_sighting"]


def report_sighting(session: Session, viewer: Viewer, data: SightingIn) -> list[Sighting]:
    """Record a sighting of each matching indicator and alert their members."""
    may_write(viewer)
    stmt = (
        select(Indicator, Incident.member_id)
        .join(Incident, Incident.id == Indicator.incident_id)
        .where(visible(viewer), Incident.withdrawn_at.is_(None))
    )
    if data.indicator_id is not None:
        stmt = stmt.where(Indicator.id == data.indicator_id)
    elif data.kind and data.value:
        key = indicator_key(data.kind, data.value)
        if not key:
            raise InvalidInput(f"value: nothing comparable in {data.value!r} for kind {data.kind}")
        stmt = stmt.where(Indicator.kind == data.kind, Indicator.key == key)
    else:
        raise InvalidInput("give indicator_id, or kind and value")
    found = session.execute(stmt.where(Incident.member_id != viewer.member_id)).all()
    if not found:
        raise NotFound("no indicator of another member that you may see matches")
    now = utcnow()
    seen = now
    if data.seen_at is not None:
        when = data.seen_at
        seen = when.astimezone(UTC).replace(tzinfo=None) if when.tzinfo else when
    out = []
    for indicator, owner in found:
        sighting = Sighting(
            indicator_id=indicator.id,
            member_id=viewer.member_id,
            user_id=viewer.user_id,
            seen_at=seen,
            reported_at=now,
            share=data.share,
            context=data.context if data.share == "details" else "",
        )
        session.add(sighting)
        session.flush()
        session.add(Alert(member_id=owner, sighting_id=sighting.id, created_at=now))
        record(
            session,
            viewer,
            "sighting.create",
            "indicator",
            indicator.id,
            owner_member_id=owner,
            detail=f"share={data.share}",
        )
        out.append(sighting)
    return out


def alerts_for(session: Session, viewer: Viewer, limit: int = 200) -> list[dict[str, Any]]:
    """The alerts of the viewer's member, newest first, each revealing what the sighting
    member chose to share."""
    seer = aliased(Member)
    rows = session.execute(
        select(Alert, Sighting, Indicator, Incident.uid, seer.code)
        .join(Sighting, Sighting.id == Alert.sighting_id)
        .join(Indicator, Indicator.id == Sighting.indicator_id)
        .join(Incident, Incident.id == Indicator.incident_id)
        .join(seer, seer.id == Sighting.member_id)
        .where(Alert.member_id == viewer.member_id, visible(viewer))
        .order_by(Alert.id.desc())
        .limit(limit)
    ).all()
    return [
        {
            "id": alert.id,
            "created_at": alert.created_at.isoformat(),
            "seen_at": sighting.seen_at.isoformat(),
            "incident_id": indicator.incident_id,
            "incident_uid": uid,
            "indicator_id": indicator.id,
            "kind": indicator.kind,
            "value": indicator.value,
            "share": sighting.share,
            "member": code if sighting.share in ("member", "details") else None,
            "context": sighting.context if sighting.share == "details" else None,
        }
        for alert, sighting, indicator, uid, code in rows
    ]
