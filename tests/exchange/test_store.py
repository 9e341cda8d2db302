"""The store on SQLite and PostgreSQL: migrations, identities, tokens, the append-only audit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select, text, update
from sqlalchemy.exc import DBAPIError

from chainbreaker.errors import InvalidInput
from chainbreaker.exchange import database
from chainbreaker.exchange.audit import record
from chainbreaker.exchange.database import Store
from chainbreaker.exchange.identities import (
    add_member,
    add_user,
    authenticate_password,
    authenticate_token,
    hash_password,
    issue_token,
    recent_tokens,
    revoke_token,
    token_hash,
    verify_password,
)
from chainbreaker.exchange.models import AuditEntry, Base, Token


def test_migrations_create_exactly_the_models(store: Store) -> None:
    with store.write_engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_migrating_twice_changes_nothing(store: Store) -> None:
    store.migrate()
    with store.reading() as s:
        assert s.scalar(text("SELECT version_num FROM alembic_version")) == "0002"


def test_sqlite_is_durable_wal(tmp_path: object) -> None:
    s = Store(f"sqlite:///{tmp_path}/x.sqlite3")  # type: ignore[str-bytes-safe]
    with s.write_engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
    s.dispose()


def test_members_users_and_passwords(store: Store) -> None:
    with store.writing() as s:
        add_member(s, "NL", "Netherlands customs")
        add_user(s, "NL", "anna", "analyst", "correct horse battery")
    with store.reading() as s:
        v = authenticate_password(s, "anna", "correct horse battery")
        assert v is not None and (v.member_code, v.role, v.username) == ("NL", "analyst", "anna")
        assert authenticate_password(s, "anna", "wrong password here") is None
        assert authenticate_password(s, "nobody", "correct horse battery") is None


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda s: add_member(s, "NL", "again"), "exists already"),
        (lambda s: add_member(s, "bad code!", "x"), "member code"),
        (lambda s: add_user(s, "XX", "bob", "analyst"), "no member 'XX'"),
        (lambda s: add_user(s, "NL", "bob", "boss"), "role 'boss'"),
        (lambda s: add_user(s, "NL", "bob", "analyst", "short"), "at least 10"),
    ],
)
def test_identity_input_is_checked(store: Store, call: object, message: str) -> None:
    with store.writing() as s:
        add_member(s, "NL", "Netherlands customs")
    with pytest.raises(InvalidInput, match=message), store.writing() as s:
        call(s)  # type: ignore[operator]


def test_password_hash_is_salted_scrypt() -> None:
    a, b = hash_password("same password"), hash_password("same password")
    assert a != b and a.startswith("scrypt$16384$8$1$")
    assert verify_password("same password", a) and not verify_password("other", a)
    assert not verify_password("x", None) and not verify_password("x", "garbage")


def _anna_with_a_token(store: Store) -> tuple[int, str]:
    """Member NL with an analyst, anna, and a token of hers: its id and secret."""
    with store.writing() as s:
        add_member(s, "NL", "Netherlands customs")
        add_user(s, "NL", "anna", "analyst")
        token, secret = issue_token(s, "anna", days=1)
        return token.id, secret


def test_tokens_are_stored_hashed_expire_and_revoke(store: Store) -> None:
    token_id, secret = _anna_with_a_token(store)
    with store.reading() as s:
        stored = s.scalar(select(Token.token_hash).where(Token.id == token_id))
        assert stored == token_hash(secret) and secret not in stored and len(stored) == 64
        assert authenticate_token(s, secret) is not None
        assert authenticate_token(s, secret + "x") is None
        assert authenticate_token(s, "not-a-token") is None
    with store.writing() as s:  # expired a second ago
        row = s.get_one(Token, token_id)
        row.expires_at = row.created_at - timedelta(seconds=1)
    with store.reading() as s:
        assert authenticate_token(s, secret) is None
    with store.writing() as s:
        _, secret2 = issue_token(s, "anna", days=1)
        revoke_token(s, token_id + 1)
    with store.reading() as s:
        assert authenticate_token(s, secret2) is None


def test_recent_tokens_are_forgotten_when_a_revocation_commits(store: Store) -> None:
    token_id, secret = _anna_with_a_token(store)
    with store.reading() as s:
        viewer = authenticate_token(s, secret)
    assert viewer is not None
    recent_tokens.put(secret, viewer, recent_tokens.generation)
    assert recent_tokens.get(secret) == viewer
    before = recent_tokens.generation  # a lookup that began before the revocation committed
    with store.writing() as s:
        revoke_token(s, token_id)
        assert recent_tokens.get(secret) == viewer  # not committed yet: still valid
    assert recent_tokens.get(secret) is None
    recent_tokens.put(secret, viewer, before)  # what that lookup read is not kept
    assert recent_tokens.get(secret) is None
    with store.writing() as s:  # a rolled-back revocation forgets nothing
        _, secret2 = issue_token(s, "anna", days=1)
    with store.reading() as s:
        viewer2 = authenticate_token(s, secret2)
    assert viewer2 is not None
    recent_tokens.put(secret2, viewer2, recent_tokens.generation)
    with pytest.raises(InvalidInput), store.writing() as s:
        revoke_token(s, token_id + 1)
        raise InvalidInput("changed my mind")
    assert recent_tokens.get(secret2) == viewer2


def test_audit_is_append_only(store: Store) -> None:
    with store.writing() as s:
        record(s, None, "test.write", "thing", 1)
    with pytest.raises(DBAPIError, match="append-only"), store.writing() as s:
        s.execute(update(AuditEntry).values(action="changed"))
    with pytest.raises(DBAPIError, match="append-only"), store.writing() as s:
        s.execute(AuditEntry.__table__.delete())
    with store.reading() as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry)) == 1
        assert s.scalar(select(AuditEntry.action)) == "test.write"


def test_postgresql_connections_lost_while_idle_are_replaced(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(pg_url)
    with store.connecting() as conn:
        backend = conn.execute(text("SELECT pg_backend_pid()")).scalar()
    # the server drops the pooled connection (as a restart would) while it is idle
    admin = Store(pg_url, migrate=False)
    with admin.writing() as s:
        s.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": backend})
    admin.dispose()
    monkeypatch.setattr(database, "PING_IDLE_SECONDS", 0.0)  # idle long enough to be checked
    with store.connecting() as conn:
        assert conn.execute(text("SELECT pg_backend_pid()")).scalar() != backend
    store.dispose()
