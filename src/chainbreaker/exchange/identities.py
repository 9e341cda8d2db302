"""Members, users, passwords and tokens: who is asking.

A token is `cbx_` followed by 43 random URL-safe characters (256 bits from `secrets`); the store
keeps only its sha256, so a stolen database gives no usable token. Tokens expire and can be
revoked; a revoked or expired token, or one of a disabled user, authenticates no one from the
next request on. Passwords are hashed with scrypt (hashlib, a random salt per password).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from chainbreaker.errors import InvalidInput
from chainbreaker.exchange.database import utcnow
from chainbreaker.exchange.models import ROLES, Member, Token, User

__all__ = [
    "Viewer",
    "add_member",
    "add_user",
    "authenticate_password",
    "authenticate_token",
    "hash_password",
    "issue_token",
    "recent_tokens",
    "revoke_token",
    "token_hash",
    "verify_password",
]

_PREFIX = "cbx_"
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
MIN_PASSWORD = 10


@dataclass(frozen=True, slots=True)
class Viewer:
    """An authenticated user: the one argument every read path takes."""

    user_id: int
    username: str
    role: str
    member_id: int
    member_code: str


def hash_password(password: str) -> str:
    """`scrypt$n$r$p$salt$hash` (base64) of a password."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, dklen=32, **_SCRYPT)
    b64 = base64.b64encode
    return "scrypt${n}${r}${p}$".format(**_SCRYPT) + f"{b64(salt).decode()}${b64(digest).decode()}"


def verify_password(password: str, stored: str | None) -> bool:
    """Whether a password matches its stored hash (constant-time comparison)."""
    if not stored:
        return False
    try:
        name, n, r, p, salt, digest = stored.split("$")
        if name != "scrypt":
            return False
        got = hashlib.scrypt(
            password.encode(),
            salt=base64.b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=32,
        )
    except ValueError:
        return False
    return hmac.compare_digest(got, base64.b64decode(digest))


def token_hash(secret: str) -> str:
    """The sha256 (hex) under which a token is stored."""
    return hashlib.sha256(secret.encode()).hexdigest()


def add_member(session: Session, code: str, name: str) -> Member:
    """A new member; the code is short (letters, digits, `_.-`) and unique."""
    if not _CODE.match(code):
        raise InvalidInput(f"member code {code!r}: use 1-64 letters, digits, '_', '.' or '-'")
    if session.scalar(select(Member).where(Member.code == code)) is not None:
        raise InvalidInput(f"member {code!r} exists already")
    member = Member(code=code, name=name.strip() or code, created_at=utcnow())
    session.add(member)
    session.flush()
    return member


def add_user(
    session: Session, member_code: str, username: str, role: str, password: str | None = None
) -> User:
    """A new user of a member, with a role and (for the web pages) a password."""
    if role not in ROLES:
        raise InvalidInput(f"role {role!r}: use one of {', '.join(ROLES)}")
    if not _CODE.match(username):
        raise InvalidInput(f"username {username!r}: use 1-64 letters, digits, '_', '.' or '-'")
    member = session.scalar(select(Member).where(Member.code == member_code))
    if member is None:
        raise InvalidInput(f"no member {member_code!r}: add it first")
    if session.scalar(select(User).where(User.username == username)) is not None:
        raise InvalidInput(f"user {username!r} exists already")
    if password is not None and len(password) < MIN_PASSWORD:
        raise InvalidInput(f"the password must have at least {MIN_PASSWORD} characters")
    user = User(
        member_id=member.id,
        username=username,
        role=role,
        password_hash=hash_password(password) if password else None,
        created_at=utcnow(),
    )
    session.add(user)
    session.flush()
    return user


def issue_token(
    session: Session, username: str, *, days: float = 90, kind: str = "api", label: str = ""
) -> tuple[Token, str]:
    """A new token for a user: the stored row and the secret (shown once, never stored)."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise InvalidInput(f"no user {username!r}")
    if not 0 < days <= 3660:
        raise InvalidInput("a token lives between a moment and 10 years: give --days in (0, 3660]")
    secret = _PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    token = Token(
        user_id=user.id,
        token_hash=token_hash(secret),
        kind=kind,
        label=label,
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    session.add(token)
    session.flush()
    return token, secret


def revoke_token(session: Session, token_id: int) -> Token:
    """Revoke a token by its id (effective from the next request)."""
    token = session.get(Token, token_id)
    if token is None:
        raise InvalidInput(f"no token {token_id}")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
    _forget_on_commit(session)
    return token


def revoke_secret(session: Session, secret: str) -> None:
    """Revoke the token with this secret, if any (logging out of the web pages)."""
    token = session.scalar(select(Token).where(Token.token_hash == token_hash(secret)))
    if token is not None and token.revoked_at is None:
        token.revoked_at = utcnow()
        _forget_on_commit(session)


def authenticate_token(session: Session, secret: str) -> Viewer | None:
    """The user a token belongs to, if it is valid now; None otherwise."""
    if not secret.startswith(_PREFIX) or len(secret) > 200:
        return None
    row = session.execute(
        select(
            Token.revoked_at,
            Token.expires_at,
            User.disabled,
            User.id,
            User.username,
            User.role,
            Member.id,
            Member.code,
        )
        .join(User, User.id == Token.user_id)
        .join(Member, Member.id == User.member_id)
        .where(Token.token_hash == token_hash(secret))
    ).first()
    if row is None:
        return None
    revoked_at, expires_at, disabled, user_id, username, role, member_id, code = row
    if revoked_at is not None or expires_at <= utcnow() or disabled:
        return None
    return Viewer(user_id, username, role, member_id, code)


class _RecentTokens:
    """Tokens this process authenticated in the last `TOKEN_CACHE_SECONDS` (by their sha256).

    A revocation through this process (API, pages) forgets them all once it is committed: a
    generation number tells a lookup that began before the commit not to keep what it read.
    A revocation made elsewhere (another worker process, the CLI) takes effect within
    `TOKEN_CACHE_SECONDS`."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._seen: dict[str, tuple[Viewer, float]] = {}
        self.generation = 0

    def get(self, secret: str) -> Viewer | None:
        found = self._seen.get(token_hash(secret))
        if found is None or found[1] <= time.monotonic():
            return None
        return found[0]

    def put(self, secret: str, viewer: Viewer, generation: int) -> None:
        with self._lock:
            if generation != self.generation:
                return
            if len(self._seen) >= 10_000:
                self._seen.clear()
            self._seen[token_hash(secret)] = (viewer, time.monotonic() + TOKEN_CACHE_SECONDS)

    def forget(self) -> None:
        with self._lock:
            self.generation += 1
            self._seen.clear()


#: How long this process trusts a token it authenticated (revocations elsewhere wait this long).
TOKEN_CACHE_SECONDS = 1.0
recent_tokens = _RecentTokens()


def _forget_on_commit(session: Session) -> None:
    event.listen(session, "after_commit", lambda _s: recent_tokens.forget(), once=True)


def authenticate_password(session: Session, username: str, password: str) -> Viewer | None:
    """The user if the password is right; None otherwise (same answer for unknown users)."""
    row = session.execute(
        select(User, Member)
        .join(Member, Member.id == User.member_id)
        .where(User.username == username)
    ).first()
    if row is None:
        verify_password(password, hash_password("timing-equaliser"))
        return None
    user, member = row
    if user.disabled or not verify_password(password, user.password_hash):
        return None
    return Viewer(user.id, user.username, user.role, member.id, member.code)
