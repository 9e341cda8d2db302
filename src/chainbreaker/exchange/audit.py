"""The audit log: every read and write of every user, append-only.

Writes are audited in their own transaction (the entry exists if and only if the write does).
Reads are audited through `ReadAudit`, a buffer written by a background thread every
`audit_flush_seconds`, so reads do not wait for a durable commit each; a crash can lose at most
that window of read entries. The table refuses updates and deletes (database triggers).
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select
from sqlalchemy.orm import Session

from chainbreaker.exchange.database import Store, utcnow
from chainbreaker.exchange.entitlement import audit_visible
from chainbreaker.exchange.identities import Viewer
from chainbreaker.exchange.models import AuditEntry, User

__all__ = ["AuditRow", "ReadAudit", "audit_items", "entry", "record", "record_all"]

_log = logging.getLogger(__name__)


#: An audit entry's column values, ready for a Core insert (no ORM object: one is made for
#: every request).
AuditRow = dict[str, Any]


def entry(
    viewer: Viewer | None,
    action: str,
    object_type: str = "",
    object_id: str | int = "",
    *,
    owner_member_id: int | None = None,
    outcome: str = "ok",
    detail: str = "",
    at: datetime | None = None,
) -> AuditRow:
    """One audit entry (not yet stored), at `at` (default: now)."""
    return {
        "at": at or utcnow(),
        "user_id": viewer.user_id if viewer else None,
        "member_id": viewer.member_id if viewer else None,
        "owner_member_id": owner_member_id,
        "action": action[:60],
        "object_type": object_type[:40],
        "object_id": str(object_id)[:80],
        "outcome": outcome[:20],
        "detail": detail[:2000],
    }


_INSERT_ENTRIES = insert(AuditEntry)


def record(
    session: Session,
    viewer: Viewer | None,
    action: str,
    object_type: str = "",
    object_id: str | int = "",
    *,
    owner_member_id: int | None = None,
    outcome: str = "ok",
    detail: str = "",
) -> None:
    """Add an audit entry to a write transaction (a Core insert, no unit of work)."""
    record_all(
        session,
        [
            entry(
                viewer,
                action,
                object_type,
                object_id,
                owner_member_id=owner_member_id,
                outcome=outcome,
                detail=detail,
            )
        ],
    )


def record_all(session: Session | Connection, entries: list[AuditRow]) -> None:
    """Add audit entries to a write transaction, in one statement."""
    conn = session.connection() if isinstance(session, Session) else session
    conn.execute(_INSERT_ENTRIES, entries)


class ReadAudit:
    """Buffers read entries and writes them in batches from a background thread."""

    def __init__(self, store: Store, interval: float) -> None:
        self.store = store
        self.interval = interval
        self._pending: list[AuditRow] = []
        self._lock = threading.Lock()
        # Held from taking the buffer until it is written: a flush never returns while another
        # is still writing entries it took (the admin's audit view flushes, then reads).
        self._flushing = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def add(self, item: AuditRow) -> None:
        with self._lock:
            self._pending.append(item)

    def flush(self) -> int:
        """Write what is buffered now; the number written. Returns once every entry buffered
        before the call is written, also those a concurrent flush (the background thread's)
        had taken."""
        with self._flushing:
            with self._lock:
                batch, self._pending = self._pending, []
            if not batch:
                return 0
            try:
                with self.store.writing() as session:
                    record_all(session, batch)
            except Exception:
                _log.exception(
                    "audit: %d read entries could not be written; kept for retry", len(batch)
                )
                with self._lock:
                    self._pending[:0] = batch
                return 0
            return len(batch)

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="read-audit", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None
        self.flush()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.flush()


def audit_items(
    session: Session,
    viewer: Viewer,
    action: str | None = None,
    username: str | None = None,
    limit: int = 100,
) -> list[dict[str, Any]]:
    """The audit entries an admin may query (`entitlement.audit_visible`), newest first."""
    stmt = (
        select(AuditEntry, User.username)
        .outerjoin(User, User.id == AuditEntry.user_id)
        .where(audit_visible(viewer))
    )
    if action:
        stmt = stmt.where(AuditEntry.action == action)
    if username:
        stmt = stmt.where(User.username == username)
    rows = session.execute(stmt.order_by(AuditEntry.id.desc()).limit(limit)).all()
    return [
        {
            "id": a.id,
            "at": a.at.isoformat(timespec="seconds"),
            "user": user,
            "action": a.action,
            "object_type": a.object_type,
            "object_id": a.object_id,
            "outcome": a.outcome,
            "detail": a.detail,
        }
        for a, user in rows
    ]
