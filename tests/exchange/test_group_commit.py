"""Group commit: incidents reported together share one transaction, yet each is answered alone."""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select, text

from chainbreaker.errors import InvalidInput
from chainbreaker.exchange.database import Store
from chainbreaker.exchange.group_commit import IncidentWriter
from chainbreaker.exchange.identities import Viewer
from chainbreaker.exchange.incidents import (
    PreparedIncident,
    incident_view,
    prepare_incident,
    store_incident,
)
from chainbreaker.exchange.models import AuditEntry, Correlation, Incident, Indicator
from chainbreaker.exchange.schemas import IncidentIn

from .helpers import coalition


def _prepared(viewer: Any, **fields: Any) -> PreparedIncident:
    data = {"kind": "seizure", "occurred_on": date(2024, 3, 1), **fields}
    return prepare_incident(viewer, IncidentIn.model_validate(data))


def test_a_batch_answers_each_report_alone_and_links_within_it(store: Store) -> None:
    viewers = coalition(store, ("A", "B"))
    writer = IncidentWriter(store)
    phone = {"role": "consignor", "name": "Xiuna Trading", "phone": "+86 311 8888 1234"}
    # the reports queue while a write is under way (on SQLite the writer waits for its turn)
    with store.writing():
        started = threading.Event()
        futures: list[Any] = []

        def submit() -> None:
            a = viewers["a-analyst"]
            futures.append(writer.submit(_prepared(a, parties=[phone])))
            futures.append(
                writer.submit(_prepared(a, sharing="named", recipients=["NOBODY"]))
            )  # an unknown recipient: refused alone
            futures.append(writer.submit(_prepared(viewers["b-analyst"], parties=[phone])))
            started.set()

        threading.Thread(target=submit).start()
        assert started.wait(10)
    first, refused, second = (f.exception(timeout=30) or f.result() for f in futures)
    writer.stop()
    assert isinstance(refused, InvalidInput) and "NOBODY" in str(refused)
    assert isinstance(first, Incident) and isinstance(second, Incident)
    assert second.id > first.id
    # B's report is linked to A's by the name (the matcher's link, stored once: the later
    # incident, the earlier one) and by the phone (the same key, read from the indicators); B
    # may not see A's incident (shared with A only), so B's answer shows no link, nor A's
    with store.reading() as s:
        assert incident_view(s, viewers["a-analyst"], first)["correlations"] == []
        assert incident_view(s, viewers["b-analyst"], second)["correlations"] == []
        assert s.scalar(select(func.count()).select_from(Incident)) == 2
        links = set(s.execute(select(Correlation.incident_id, Correlation.related_id)).all())
        assert links == {(second.id, first.id)}
        phones = s.execute(
            select(Indicator.incident_id, Indicator.key).where(Indicator.kind == "phone")
        ).all()
        assert sorted(phones) == [(first.id, "8631188881234"), (second.id, "8631188881234")]
        creations = s.scalars(
            select(AuditEntry.object_id).where(AuditEntry.action == "incident.create")
        ).all()
        assert sorted(creations) == sorted([str(first.id), str(second.id)])


def test_a_database_error_refuses_its_incident_alone(store: Store) -> None:
    viewers = coalition(store, ("A",))
    a = viewers["a-analyst"]
    ghost = Viewer(999, "ghost", "analyst", a.member_id, "A")  # no such user: a foreign key
    writer = IncidentWriter(store)
    # queued together while a write is under way (on PostgreSQL they may come one by one)
    with store.writing():
        futures = [
            writer.submit(_prepared(a, narrative="first")),
            writer.submit(_prepared(ghost, narrative="refused by the database")),
            writer.submit(_prepared(a, narrative="third")),
        ]
    first, refused, third = (f.exception(timeout=30) or f.result() for f in futures)
    writer.stop()
    assert isinstance(refused, Exception) and not isinstance(refused, Incident)
    assert isinstance(first, Incident) and isinstance(third, Incident)
    with store.reading() as s:
        stored = s.execute(select(Incident.id, Incident.body["narrative"].as_string()))
        assert sorted(stored.all()) == [(first.id, "first"), (third.id, "third")]
        creations = s.scalars(
            select(AuditEntry.object_id).where(AuditEntry.action == "incident.create")
        ).all()
        assert sorted(creations) == sorted([str(first.id), str(third.id)])


def test_a_failed_commit_answers_every_report_of_the_batch_with_the_error(store: Store) -> None:
    viewers = coalition(store, ("A",))
    writer = IncidentWriter(store)
    prepared = _prepared(viewers["a-analyst"])

    def broken_writing() -> Any:
        raise OSError("disk full")

    store.writing = broken_writing  # type: ignore[method-assign]
    future = writer.submit(prepared)
    with pytest.raises(OSError, match="disk full"):
        future.result(timeout=30)
    writer.stop()


def test_reports_of_two_processes_at_once_are_linked_by_name_on_postgresql(pg_url: str) -> None:
    """Two server processes (two stores on one database) write reports naming the same party
    at the same moment: the second waits for the first to commit, so it sees its name."""
    first_store, second_store = Store(pg_url), Store(pg_url, migrate=False)
    try:
        viewers = coalition(first_store, ("A", "B"))
        party = {"role": "consignor", "name": "Hebei Xiuna Trading Co., Ltd.", "kind": "company"}
        waiting = text(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
            "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
        )
        done: list[Incident | BaseException] = []

        def second() -> None:
            try:
                with second_store.writing() as s:
                    done.append(store_incident(s, _prepared(viewers["b-analyst"], parties=[party])))
            except BaseException as exc:  # the test reads it
                done.append(exc)

        with first_store.writing() as s:  # the first report's transaction, not committed yet
            first = store_incident(s, _prepared(viewers["a-analyst"], parties=[party]))
            thread = threading.Thread(target=second)
            thread.start()
            with first_store.reading() as r:  # the second writer waits for its turn
                for _ in range(600):
                    if r.scalar(waiting):
                        break
                    thread.join(0.05)
                assert r.scalar(waiting) == 1
        thread.join(30)
        (later,) = done
        assert isinstance(later, Incident)
        with first_store.reading() as s:
            links = s.execute(select(Correlation.incident_id, Correlation.related_id)).all()
        assert [tuple(link) for link in links] == [(later.id, first.id)]
    finally:
        first_store.dispose()
        second_store.dispose()
