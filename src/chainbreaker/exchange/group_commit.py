"""Group commit: one writer thread stores the incidents reported at the same time in one
transaction, so they share one durable commit (one fsync on SQLite, one WAL flush on
PostgreSQL).

A request hands its prepared incident (`incidents.prepare_incident`) to `IncidentWriter.submit`
and waits for the answer. The writer takes what is queued (at most `max_batch`), stores each
incident under its own savepoint (a bad one is rolled back alone and answered with its error),
commits, and only then answers every request of the batch: an acknowledged write is on disk.
No request waits for a batch to fill: the writer takes what has arrived while the previous
commit ran, so under a light load every batch holds one incident.
"""

from __future__ import annotations

import logging
import queue
import threading
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

from chainbreaker.exchange.database import Store
from chainbreaker.exchange.incidents import PreparedIncident, incident_view, store_incident

__all__ = ["IncidentWriter"]

_log = logging.getLogger(__name__)


@dataclass(slots=True)
class _Job:
    prepared: PreparedIncident
    future: Future[dict[str, Any]] = field(default_factory=Future)


class IncidentWriter:
    """The one thread that writes reported incidents, in batches with one commit each."""

    def __init__(self, store: Store, max_batch: int = 64) -> None:
        self.store = store
        self.max_batch = max_batch
        self._queue: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def submit(self, prepared: PreparedIncident) -> Future[dict[str, Any]]:
        """Queue an incident; the future gives its view (as its reporter sees it) once the
        batch holding it is committed, or the error that refused it."""
        job = _Job(prepared)
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="incident-writer", daemon=True
                )
                self._thread.start()
            self._queue.put(job)
        return job.future

    def stop(self) -> None:
        """Write what is queued, then end the thread."""
        with self._lock:
            thread, self._thread = self._thread, None
            if thread is not None:
                self._queue.put(None)
        if thread is not None:
            thread.join(timeout=30)

    def _run(self) -> None:
        while True:
            job = self._queue.get()
            if job is None:
                return
            batch = [job] if job.future.set_running_or_notify_cancel() else []
            while len(batch) < self.max_batch:
                try:
                    more = self._queue.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    self._write(batch)
                    return
                if more.future.set_running_or_notify_cancel():  # else its request went away
                    batch.append(more)
            if batch:
                self._write(batch)

    def _write(self, batch: list[_Job]) -> None:
        answers: list[tuple[_Job, dict[str, Any] | None, BaseException | None]] = []
        try:
            with self.store.writing() as session:
                for job in batch:
                    try:
                        with session.begin_nested():
                            incident = store_incident(session, job.prepared)
                            view = incident_view(session, job.prepared.viewer, incident)
                        answers.append((job, view, None))
                    except Exception as exc:  # this incident only; the others go on
                        answers.append((job, None, exc))
        except Exception as exc:  # the commit failed: no incident of the batch was written
            _log.exception("group commit of %d incidents failed", len(batch))
            for job in batch:
                job.future.set_exception(exc)
            return
        for done, answer, error in answers:
            if error is not None:
                done.future.set_exception(error)
            else:
                done.future.set_result(answer or {})
