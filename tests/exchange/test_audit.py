"""The read audit's buffer: a flush returns only once what was buffered before it is written."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from sqlalchemy import func, select

from chainbreaker.exchange.audit import ReadAudit, entry
from chainbreaker.exchange.database import Store
from chainbreaker.exchange.models import AuditEntry


def _count(store: Store) -> int:
    with store.reading() as session:
        return int(session.scalar(select(func.count()).select_from(AuditEntry)) or 0)


def test_a_flush_waits_for_the_entries_another_flush_is_writing(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'exchange.sqlite3'}")
    try:
        audit = ReadAudit(store, interval=3600)
        audit.add(entry(None, "incident.read", "incident", 1))
        lock = store._write_lock  # the store's writers take turns on it
        assert isinstance(lock, type(threading.Lock()))
        with lock:  # the first flush takes the entry, then waits to write it
            first = threading.Thread(target=audit.flush)
            first.start()
            while audit._pending:  # until the first flush has taken the entry
                time.sleep(0.01)
            second_done = threading.Event()
            second = threading.Thread(target=lambda: (audit.flush(), second_done.set()))
            second.start()
            # the entry is not written yet: the second flush must not have returned
            assert not second_done.wait(0.3)
        first.join(10)
        second.join(10)
        assert second_done.is_set()
        assert _count(store) == 1
    finally:
        store.dispose()
