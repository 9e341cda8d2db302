"""The indicator feed: what `chainbreaker screen --indicators` reads, within entitlement.

CSV with the header `kind,value,source,note,indicator_id` (the screen reader uses the first
four columns and ignores the fifth, which a sighting can refer to). `source` is
`exchange:<incident uid>`; `note` says the member, the kind and date of the incident, the
party's role and the TLP. Substances are left out unless asked for (`kinds`): the screen
reader does not know that kind and would count each row as skipped.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from chainbreaker.errors import InvalidInput
from chainbreaker.exchange.entitlement import visible
from chainbreaker.exchange.identities import Viewer
from chainbreaker.exchange.models import INDICATOR_KINDS, Incident, Indicator, Member

__all__ = ["FEED_COLUMNS", "SCREEN_KINDS", "feed_csv", "feed_rows"]

SCREEN_KINDS = ("name", "address", "phone", "email", "company_number")
FEED_COLUMNS = ("kind", "value", "source", "note", "indicator_id")


def feed_rows(
    session: Session,
    viewer: Viewer,
    kinds: tuple[str, ...] = SCREEN_KINDS,
    since: datetime | None = None,
    limit: int = 100_000,
) -> list[dict[str, Any]]:
    """The indicators of the incidents `viewer` may have in a feed."""
    unknown = [k for k in kinds if k not in INDICATOR_KINDS]
    if unknown:
        raise InvalidInput(f"kinds: unknown {', '.join(unknown)}; use {', '.join(INDICATOR_KINDS)}")
    stmt = (
        select(
            Indicator, Incident.uid, Incident.kind, Incident.occurred_on, Incident.tlp, Member.code
        )
        .join(Incident, Incident.id == Indicator.incident_id)
        .join(Member, Member.id == Incident.member_id)
        .where(visible(viewer, "feed"), Indicator.kind.in_(kinds))
        .order_by(Indicator.id)
        .limit(limit)
    )
    if since is not None:
        stmt = stmt.where(Incident.updated_at >= since.replace(tzinfo=None))
    return [
        {
            "kind": ind.kind,
            "value": ind.value,
            "source": f"exchange:{uid}",
            "note": f"{code} {kind} {occurred.isoformat()} {ind.note} TLP:{tlp.upper()}",
            "indicator_id": ind.id,
        }
        for ind, uid, kind, occurred, tlp, code in session.execute(stmt)
    ]


def feed_csv(rows: list[dict[str, Any]]) -> str:
    """The rows as the CSV that `chainbreaker screen --indicators` reads."""
    out = io.StringIO()
    writer = csv.DictWriter(out, FEED_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
