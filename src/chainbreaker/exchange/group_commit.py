"""Group commit: one writer thread stores the incidents reported at the same time in one
transaction, so they share one durable commit (one fsync on SQLite, one WAL flush on
PostgreSQL).

A request hands its prepared incident (`incidents.prepare_incident`) to `IncidentWriter.submit`
and waits for the answer. The writer takes what is queued (at most `max_batch`), stores the
batch with one statement per table (`incidents.store_incidents`: one round trip each on
PostgreSQL, whatever the batch size; an unknown recipient refuses its incident alone), commits,
and only then answers every request of the batch: an acknowledged write is on disk. Should
the batch's statements fail, it is stored again one incident per savepoint, so the failing one
is answered with its error and the others are written. The request then reads its incident's
view (links within its reporter's entitlement) on a read connection, off the writer thread.
No request waits for a batch to fill: the writer takes what has arrived while the previous
commit ran, so under a light load every batch holds one incident.
"""

from __future__ import annotations

import logging
import queue
import threading
from concurrent.futures import Future
from dataclasses import dataclass, field

from chainbreaker.exchange.database import Store
from chainbreaker.exchange.incidents import PreparedIncident, store_incident, store_incidents
from chainbreaker.exchange.models import Incident

__all__ = ["IncidentWriter"]

_log = logging.getLogger(__name__)


@dataclass(slots=True)
class _Job:
    prepared: PreparedIncident
    future: Future[Incident] = field(default_factory=Future)


class IncidentWriter:
    """The one thread that writes reported incidents, in batches with one commit each."""

    def __init__(self, store: Store, max_batch: int = 64) -> None:
        self.store = store
        self.max_batch = max_batch
        self._queue: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def submit(self, prepared: PreparedIncident) -> Future[Incident]:
        """Queue an incident; the future gives it (with its id) once the batch holding it is
        committed, or the error that refused it."""
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
        results: list[Incident | Exception] = []
        try:
            with self.store.writing() as session:
                try:  # the whole batch with one statement per table
                    with session.begin_nested():
                        results = list(store_incidents(session, [j.prepared for j in batch]))
                except Exception:  # one by one: the failing incident is answered alone
                    _log.warning(
                        "a batch of %d incidents failed; storing them one by one",
                        len(batch),
                        exc_info=True,
                    )
                    results = []
                    for job in batch:
                        try:
                            with session.begin_nested():
                                results.append(store_incident(session, job.prepared))
                        except Exception as exc:  # this incident only; the others go on
                            results.append(exc)
        except Exception as exc:  # the commit failed: no incident of the batch was written
            _log.exception("group commit of %d incidents failed", len(batch))
            for job in batch:
                job.future.set_exception(exc)
            return
        for done, result in zip(batch, results, strict=True):
            if isinstance(result, Exception):
                done.future.set_exception(result)
            else:
                done.future.set_result(result)
