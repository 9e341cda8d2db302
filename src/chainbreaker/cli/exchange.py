"""`chainbreaker serve` and `chainbreaker exchange`: run the coalition exchange server, manage
its members, users and tokens, and fetch its indicator feed."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import httpx
import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from sqlalchemy import select

from chainbreaker.errors import ChainbreakerError
from chainbreaker.exchange.database import DB_ENV, Store, default_url
from chainbreaker.exchange.identities import add_member, add_user, issue_token, revoke_token
from chainbreaker.exchange.models import ROLES, Member, Token, User

app = typer.Typer(
    help="Manage the coalition exchange: members, users, tokens; fetch the indicator feed.",
    no_args_is_help=True,
)
member_app = typer.Typer(help="Members (a country or an agency).", no_args_is_help=True)
user_app = typer.Typer(help="Users of a member, with a role.", no_args_is_help=True)
token_app = typer.Typer(help="API tokens (stored hashed; shown once).", no_args_is_help=True)
app.add_typer(member_app, name="member")
app.add_typer(user_app, name="user")
app.add_typer(token_app, name="token")

_out = Console(highlight=False, soft_wrap=True)
_err = Console(stderr=True, highlight=False, soft_wrap=True)
TOKEN_ENV = "CHAINBREAKER_EXCHANGE_TOKEN"

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        metavar="URL",
        help=f"Database URL: sqlite:///PATH or postgresql+psycopg://USER@HOST:PORT/DB "
        f"(default ${DB_ENV}, else exchange.sqlite3 in the chainbreaker data folder).",
    ),
]


def _store(db: str | None) -> Store:
    try:
        return Store(db or default_url())
    except ChainbreakerError as exc:
        _err.print(f"[red]error[/]: {escape(str(exc))}")
        raise typer.Exit(2) from exc


def _fail(exc: ChainbreakerError) -> typer.Exit:
    _err.print(f"[red]error[/]: {escape(str(exc))}")
    return typer.Exit(1)


def serve_cmd(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8470,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Server processes.")] = 1,
    access_log: Annotated[
        bool,
        typer.Option(
            help="Log each HTTP request on standard error (the uvicorn access log). The "
            "audit trail of the exchange records every read and write either way; without "
            "this log a request costs about a sixth less CPU."
        ),
    ] = True,
) -> None:
    """Run the coalition exchange server (API at /api/v1, pages at /, OpenAPI at /docs).

    The database schema is brought up to date first (Alembic `upgrade head`)."""
    import uvicorn

    url = db or default_url()
    _store(url).dispose()  # migrations run once, before the workers start
    os.environ[DB_ENV] = url
    _err.print(f"exchange on http://{host}:{port}/ (database {escape(_safe(url))})")
    uvicorn.run(
        "chainbreaker.exchange.api:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        access_log=access_log,
    )


def _safe(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


@member_app.command("add")
def member_add(
    code: Annotated[str, typer.Argument(help="Short unique code, e.g. NL-CUSTOMS.")],
    name: Annotated[str, typer.Argument(help="Full name.")],
    db: DbOption = None,
) -> None:
    """Add a member."""
    store = _store(db)
    try:
        with store.writing() as s:
            add_member(s, code, name)
    except ChainbreakerError as exc:
        raise _fail(exc) from exc
    _out.print(f"member {escape(code)} added")


@member_app.command("list")
def member_list(db: DbOption = None) -> None:
    """List the members."""
    with _store(db).reading() as s:
        table = Table("code", "name", "users")
        for m in s.scalars(select(Member).order_by(Member.code)):
            n = len(s.scalars(select(User.id).where(User.member_id == m.id)).all())
            table.add_row(escape(m.code), escape(m.name), str(n))
    _out.print(table)


@user_app.command("add")
def user_add(
    username: Annotated[str, typer.Argument(help="Login name.")],
    member: Annotated[str, typer.Option("--member", help="The member's code.")],
    role: Annotated[str, typer.Option("--role", help=f"One of {', '.join(ROLES)}.")] = "analyst",
    password: Annotated[
        bool, typer.Option("--password", help="Ask for a password (for the web pages).")
    ] = False,
    db: DbOption = None,
) -> None:
    """Add a user to a member. With --password, the password is asked (not echoed)."""
    secret = None
    if password:
        secret = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    store = _store(db)
    try:
        with store.writing() as s:
            add_user(s, member, username, role, secret)
    except ChainbreakerError as exc:
        raise _fail(exc) from exc
    _out.print(f"user {escape(username)} ({role}) added to {escape(member)}")


@token_app.command("create")
def token_create(
    username: Annotated[str, typer.Argument(help="The user the token acts as.")],
    days: Annotated[float, typer.Option(help="Days until it expires.")] = 90,
    label: Annotated[str, typer.Option(help="What it is for.")] = "",
    db: DbOption = None,
) -> None:
    """Create an API token; it is printed once, on standard output, and never again."""
    store = _store(db)
    try:
        with store.writing() as s:
            token, secret = issue_token(s, username, days=days, label=label)
            token_id, expires = token.id, token.expires_at
    except ChainbreakerError as exc:
        raise _fail(exc) from exc
    _err.print(f"token {token_id} for {escape(username)}, expires {expires:%Y-%m-%d %H:%M} UTC")
    sys.stdout.write(secret + "\n")


@token_app.command("revoke")
def token_revoke(
    token_id: Annotated[int, typer.Argument(help="The token's id (see `token list`).")],
    db: DbOption = None,
) -> None:
    """Revoke a token (refused from the next request on)."""
    store = _store(db)
    try:
        with store.writing() as s:
            revoke_token(s, token_id)
    except ChainbreakerError as exc:
        raise _fail(exc) from exc
    _out.print(f"token {token_id} revoked")


@token_app.command("list")
def token_list(db: DbOption = None) -> None:
    """List tokens (ids, users, expiry, revocation; never the secrets)."""
    with _store(db).reading() as s:
        table = Table("id", "user", "kind", "label", "expires", "revoked")
        rows = s.execute(
            select(Token, User.username).join(User, User.id == Token.user_id).order_by(Token.id)
        )
        for t, user in rows:
            revoked = f"{t.revoked_at:%Y-%m-%d %H:%M}" if t.revoked_at else ""
            table.add_row(
                str(t.id),
                escape(user),
                t.kind,
                escape(t.label),
                f"{t.expires_at:%Y-%m-%d}",
                revoked,
            )
    _out.print(table)


@app.command("feed")
def feed_cmd(
    url: Annotated[str, typer.Option("--url", help="The exchange server, e.g. http://host:8470")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the CSV.")],
    kind: Annotated[
        list[str] | None, typer.Option("--kind", help="Only these kinds (repeat).")
    ] = None,
    token_file: Annotated[
        Path | None,
        typer.Option("--token-file", help=f"File holding the token (default: ${TOKEN_ENV})."),
    ] = None,
) -> None:
    """Fetch the indicator feed you are entitled to, as the CSV `chainbreaker screen
    --indicators` reads."""
    token = token_file.read_text().strip() if token_file else os.environ.get(TOKEN_ENV, "")
    if not token:
        raise typer.BadParameter(f"give --token-file or set ${TOKEN_ENV}")
    try:
        r = httpx.get(
            url.rstrip("/") + "/api/v1/feed.csv",
            params=[("kind", k) for k in kind or []],
            headers={"Authorization": f"Bearer {token}"},
            timeout=60,
        )
    except httpx.HTTPError as exc:
        _err.print(f"[red]error[/]: cannot reach {escape(url)} ({escape(type(exc).__name__)})")
        raise typer.Exit(1) from exc
    if r.status_code != 200:
        detail = (
            r.json().get("detail", r.text)
            if "json" in r.headers.get("content-type", "")
            else r.text
        )
        _err.print(f"[red]error[/]: the server answered {r.status_code}: {escape(str(detail))}")
        raise typer.Exit(1)
    output.write_text(r.text, encoding="utf-8")
    rows = max(0, r.text.count("\n") - 1)
    _out.print(f"{rows:,} indicators written to {escape(str(output))}")
