"""Opening the exchange's database: SQLite by default, PostgreSQL by URL; migrations.

SQLite runs in WAL mode with `synchronous=FULL`, so a write acknowledged to a client is on disk
(a SIGKILL or power cut after the answer loses nothing). Writes take the lock at once
(`BEGIN IMMEDIATE`) so two writers wait for each other instead of failing on a stale snapshot;
reads run beside them. PostgreSQL commits are durable by its own defaults. Reads run in
autocommit on both (on PostgreSQL on the writes' pool): each statement sees what was committed
before it started, and every statement applies entitlement itself.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

try:
    import fcntl
except ImportError:  # not on Windows: SQLite's busy handler alone decides there
    fcntl = None  # type: ignore[assignment]

import orjson
from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DisconnectionError
from sqlalchemy.orm import Session, sessionmaker

from chainbreaker.errors import InvalidInput
from chainbreaker.parties.store import default_root

__all__ = ["Store", "default_url", "utcnow"]

_MIGRATIONS = Path(__file__).with_name("migrations")
#: The environment variable naming the database URL (`chainbreaker serve --db` sets it too).
DB_ENV = "CHAINBREAKER_EXCHANGE_DB"


def utcnow() -> datetime:
    """The current UTC time, naive (how every time is stored)."""
    return datetime.now(UTC).replace(tzinfo=None)


def default_url() -> str:
    """`$CHAINBREAKER_EXCHANGE_DB`, else a SQLite file in the chainbreaker data folder."""
    env = os.environ.get(DB_ENV)
    if env:
        return env
    return f"sqlite:///{default_root() / 'exchange.sqlite3'}"


def _json_text(value: Any) -> str:
    return orjson.dumps(value).decode()


#: JSON columns (an incident's body) written and read by orjson: several times faster than
#: the standard library, on every write and every read of an incident.
_JSON = {"json_serializer": _json_text, "json_deserializer": orjson.loads}


def _sqlite_engine(url: str, immediate: bool) -> Engine:
    engine = create_engine(
        url,
        **_JSON,
        connect_args={"check_same_thread": False, "timeout": 30},
        # one connection per thread of the pool (anyio's 40): no connection is opened and
        # closed per request under load (each opening runs the PRAGMAs below)
        pool_size=40,
    )

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # writers: the "begin" event below starts them
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        if immediate:  # the writer's page cache: 64 MiB instead of 2 (index pages of big tables)
            cur.execute("PRAGMA cache_size=-65536")
        cur.close()

    if immediate:

        @event.listens_for(engine, "begin")
        def _begin(conn: Any) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE")

    # reads run in autocommit: each statement sees what was committed before it starts, as on
    # PostgreSQL (READ COMMITTED), without a BEGIN per request
    return engine


#: A pooled PostgreSQL connection idle longer than this is pinged before use (a restarted
#: server is noticed); one in use within it is not (a round trip less per request).
PING_IDLE_SECONDS = 5.0


def _postgresql_engine(url: str) -> Engine:
    # last in, first out: the connections used most recently are used again, so the few that
    # a load keeps busy soon have the hot statements prepared (psycopg prepares a statement
    # on its fifth use on a connection, and PostgreSQL then plans it once, not per request:
    # planning the links query costs ~2 ms, twice running it); first in, first out had every
    # request on the next of 44 connections, each preparing everything in turn
    engine = create_engine(url, **_JSON, pool_size=44, max_overflow=8, pool_use_lifo=True)

    @event.listens_for(engine, "checkin")
    def _checkin(_dbapi_conn: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checkout(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        # what pool_pre_ping did for every checkout, for connections known broken or idle
        # long enough for the server to have gone away meanwhile; DisconnectionError makes
        # the pool replace the connection and try again
        if dbapi_conn.closed or dbapi_conn.broken:
            raise DisconnectionError("connection closed")
        idle = time.monotonic() - record.info.get("idle_since", time.monotonic())
        if idle > PING_IDLE_SECONDS:
            try:
                dbapi_conn.execute("SELECT 1")
                if not dbapi_conn.autocommit:
                    dbapi_conn.rollback()
            except Exception as exc:
                raise DisconnectionError(str(exc)) from exc

    return engine


class Store:
    """The database of one exchange server: engines, sessions and migrations."""

    def __init__(self, url: str | None = None, *, migrate: bool = True) -> None:
        self.url = url or default_url()
        try:
            parsed = make_url(self.url)
        except ArgumentError as exc:
            raise InvalidInput(
                f"database URL {self.url!r} cannot be read: give sqlite:///PATH or "
                "postgresql+psycopg://USER@HOST:PORT/DB"
            ) from exc
        self.backend = parsed.get_backend_name()
        if self.backend == "sqlite":
            if parsed.database and parsed.database != ":memory:":
                Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
            self.read_engine = _sqlite_engine(self.url, immediate=False)
            self.write_engine = _sqlite_engine(self.url, immediate=True)
        elif self.backend == "postgresql":
            # as many pooled connections as request threads (anyio's 40) and the writers:
            # overflow connections were opened and closed per request under load (a backend
            # started, statements prepared again)
            self.write_engine = _postgresql_engine(self.url)
            # reads share the pool in autocommit: no BEGIN and ROLLBACK round trips around
            # each request; every statement still sees what was committed before it starts
            # (PostgreSQL's READ COMMITTED gave each statement its own snapshot already)
            self.read_engine = self.write_engine.execution_options(isolation_level="AUTOCOMMIT")
        else:
            raise InvalidInput(
                f"database {self.backend!r} is not supported: use sqlite:///PATH or "
                "postgresql+psycopg://..."
            )
        self._write_lock: threading.Lock | contextlib.nullcontext[None] = (
            threading.Lock() if self.backend == "sqlite" else contextlib.nullcontext()
        )
        self._lock_file: Path | None = None
        if self.backend == "sqlite" and parsed.database and parsed.database != ":memory:":
            self._lock_file = Path(parsed.database + ".write-lock").expanduser()
        self._read = sessionmaker(self.read_engine, expire_on_commit=False)
        self._write = sessionmaker(self.write_engine, expire_on_commit=False)
        if migrate:
            self.migrate()

    def migrate(self) -> None:
        """Bring the schema to the newest migration (`alembic upgrade head`)."""
        cfg = Config()
        cfg.set_main_option("script_location", str(_MIGRATIONS))
        with self.write_engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for reads (rolled back at the end)."""
        with self._read() as session:
            yield session

    @contextmanager
    def connecting(self) -> Iterator[Connection]:
        """A connection for reads without the ORM (rolled back at the end): the hot read
        paths, a third cheaper per request than a session."""
        with self.read_engine.connect() as conn:
            yield conn

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """A session whose work is committed (durably) when the block ends without error.

        On SQLite the threads of one process take turns (a lock), and so do the processes
        (`flock`), instead of all waiting in SQLite's busy handler, whose growing sleeps made
        tail latencies of seconds."""
        with (
            self._write_lock,
            self._processes_take_turns(),
            self._write() as session,
            session.begin(),
        ):
            yield session

    @contextmanager
    def _processes_take_turns(self) -> Iterator[None]:
        """On a SQLite file, the writers of several processes (`serve --workers N`) queue on
        an advisory lock (`flock`) beside it: the next one wakes as soon as the lock is free,
        where SQLite's busy handler sleeps up to 100 ms between tries."""
        if self._lock_file is None or fcntl is None:
            yield
            return
        with self._lock_file.open("a") as f:
            fcntl.flock(f, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(f, fcntl.LOCK_UN)

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.write_engine.dispose()
        if self.backend == "sqlite":  # on PostgreSQL reads share the writes' pool
            self.read_engine.dispose()
