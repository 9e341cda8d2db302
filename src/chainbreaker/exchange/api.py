"""The exchange's HTTP API (FastAPI; OpenAPI description at /openapi.json, docs at /docs).

Every route under /api/v1 needs `Authorization: Bearer <token>`; every read and write is
audited; what is read goes through `entitlement`. `create_app` builds the whole server: the API,
the web pages (`pages`) and the error handling (`http_errors`).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime
from typing import Annotated, Any, TypeVar

import orjson
from fastapi import Body, Depends, FastAPI, HTTPException, Path, Query, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import func, select
from starlette.concurrency import run_in_threadpool

from chainbreaker import __version__
from chainbreaker.exchange.audit import AuditRow, ReadAudit, audit_items, entry, record
from chainbreaker.exchange.database import Store, default_url
from chainbreaker.exchange.entitlement import IncidentRecord, entitled_record, visible
from chainbreaker.exchange.exports import export_csv, export_stix, import_csv, import_stix
from chainbreaker.exchange.feed import SCREEN_KINDS, feed_csv, feed_rows
from chainbreaker.exchange.group_commit import IncidentWriter
from chainbreaker.exchange.http_errors import BodyLimit, install_error_handlers
from chainbreaker.exchange.identities import (
    Viewer,
    authenticate_token,
    issue_token,
    recent_tokens,
    revoke_token,
)
from chainbreaker.exchange.incidents import (
    IncidentFilters,
    incident_view,
    list_incidents,
    prepare_incident,
    update_sharing,
    warm_up,
    withdraw_incident,
)
from chainbreaker.exchange.models import Incident, Indicator, Token, User
from chainbreaker.exchange.network_view import MAX_DEPTH, incident_network
from chainbreaker.exchange.pages import install_pages
from chainbreaker.exchange.problems import Forbidden, NotFound
from chainbreaker.exchange.schemas import (
    IncidentIn,
    Kind,
    SharingIn,
    SharingLevel,
    SightingIn,
    TokenIn,
    WithdrawIn,
)
from chainbreaker.exchange.server_gc import tune_collector
from chainbreaker.exchange.settings import exchange_settings
from chainbreaker.exchange.sightings import alerts_for, report_sighting

__all__ = ["create_app"]

T = TypeVar("T")
_bearer = HTTPBearer(auto_error=False, description="An API token: `Authorization: Bearer cbx_...`")
IncidentId = Annotated[int, Path(ge=1, le=2**31 - 1, description="The incident's id")]
_MAX_ID = 2**31 - 1  # ids are 32-bit integers on PostgreSQL
Words = Annotated[str | None, Query(max_length=200, description="Words found in the report")]


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def _json(data: dict[str, Any], status_code: int = 200) -> Response:
    """A JSON answer serialised by orjson (several times faster than the standard library)."""
    return Response(orjson.dumps(data), status_code, media_type="application/json")


async def _database_work(store: Store, work: Callable[[], T]) -> T:
    """`work()`, which reads the database: on the event loop itself on SQLite, whose statements
    run in this process and never wait on a writer (WAL), so the hop to a worker thread and
    back would cost more CPU than a hot read (~0.2 ms each way on this machine); on PostgreSQL
    too unless `postgresql_reads_on_event_loop` is off (a distant database, whose round trips
    would hold up the other requests: then in a worker thread). Reads in autocommit never wait
    on a writer's locks there either. For the hot paths only (a token, an incident, a new
    incident's answer): long reads (lists, exports) stay in worker threads on both."""
    if store.backend == "sqlite" or exchange_settings().postgresql_reads_on_event_loop:
        return work()
    return await run_in_threadpool(work)


def _audit_read(request: Request, item: AuditRow) -> None:
    audit: ReadAudit = request.app.state.read_audit
    audit.add(item)


async def authenticated(
    request: Request,
    creds: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Viewer:
    """The caller, from its bearer token (401 otherwise; the token is never echoed). A token
    authenticated in the last second is trusted without a query (`identities.recent_tokens`:
    forgotten at once when this process revokes a token)."""
    if creds is None:
        raise HTTPException(
            401,
            "authentication required: send the header Authorization: Bearer <token>",
            headers={"WWW-Authenticate": "Bearer"},
        )
    secret = creds.credentials
    viewer = recent_tokens.get(secret)
    if viewer is None:
        generation = recent_tokens.generation
        store = _store(request)

        def lookup() -> Viewer | None:
            with store.reading() as s:
                return authenticate_token(s, secret)

        viewer = await _database_work(store, lookup)
        if viewer is not None:
            recent_tokens.put(secret, viewer, generation)
    if viewer is None:
        _audit_read(request, entry(None, "auth.token", outcome="refused"))
        raise HTTPException(
            401,
            "the token is not valid (unknown, expired or revoked)",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return viewer


Caller = Annotated[Viewer, Depends(authenticated)]


def _filters(
    q: Words = None,
    kind: Kind | None = None,
    country: Annotated[str | None, Query(pattern=r"^[A-Za-z]{2}$")] = None,
    member: Annotated[str | None, Query(max_length=64)] = None,
    substance: Annotated[str | None, Query(max_length=200)] = None,
    since: date | None = None,
    until: date | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> IncidentFilters:
    return IncidentFilters(q, kind, country, member, substance, since, until, limit, offset)


Filters = Annotated[IncidentFilters, Depends(_filters)]


def _import_args(
    sharing: SharingLevel = "member",
    recipient: Annotated[list[str] | None, Query(max_length=200)] = None,
) -> tuple[str, list[str]]:
    return sharing, recipient or []


ImportArgs = Annotated[tuple[str, list[str]], Depends(_import_args)]


def create_app(
    url: str | None = None,
    *,
    store: Store | None = None,
    migrate: bool = True,
    tune_gc: bool = False,
) -> FastAPI:
    """The exchange server on the database at `url` (or on an open `store`); `tune_gc`: the
    process is the server's own (`server_gc.tune_collector` once started)."""
    settings = exchange_settings()
    the_store = store or Store(url, migrate=migrate)
    read_audit = ReadAudit(the_store, settings.audit_flush_seconds)
    writer = IncidentWriter(the_store)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await run_in_threadpool(warm_up)
        if tune_gc:
            tune_collector()
        read_audit.start()
        try:
            yield
        finally:
            writer.stop()
            read_audit.stop()

    app = FastAPI(
        title="chainbreaker exchange",
        version=__version__,
        description="Coalition members share incidents and indicators under sharing rules.",
        lifespan=lifespan,
    )
    app.state.store = the_store
    app.state.read_audit = read_audit
    app.state.writer = writer
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    install_error_handlers(app)
    _routes(app)
    install_pages(app)
    return app


def _routes(app: FastAPI) -> None:
    @app.get("/healthz", tags=["server"])
    def healthz() -> dict[str, str]:
        """Whether the server answers (no authentication)."""
        return {"status": "ok"}

    @app.get("/api/v1/me", tags=["identity"])
    def me(viewer: Caller) -> dict[str, Any]:
        """Who the token belongs to."""
        return {
            "username": viewer.username,
            "role": viewer.role,
            "member": viewer.member_code,
        }

    @app.post("/api/v1/tokens", status_code=201, tags=["identity"])
    def new_token(request: Request, viewer: Caller, data: TokenIn) -> dict[str, Any]:
        """A new API token for the caller, or (admins) for a user of the caller's member.
        The token is in this answer only; the server keeps its sha256."""
        username = data.username or viewer.username
        with _store(request).writing() as s:
            user = s.scalar(select(User).where(User.username == username))
            if user is None or user.member_id != viewer.member_id:
                raise NotFound(f"no user {username!r} in your member")
            if username != viewer.username and viewer.role != "admin":
                raise Forbidden("only admins can make tokens for other users")
            token, secret = issue_token(s, username, days=data.days, label=data.label)
            record(s, viewer, "token.create", "token", token.id, detail=f"user={username}")
            return {"id": token.id, "token": secret, "expires_at": token.expires_at.isoformat()}

    @app.delete("/api/v1/tokens/{token_id}", tags=["identity"])
    def delete_token(
        request: Request, viewer: Caller, token_id: Annotated[int, Path(ge=1, le=_MAX_ID)]
    ) -> dict[str, Any]:
        """Revoke a token (the caller's own, or any of its member's users' for an admin)."""
        with _store(request).writing() as s:
            row = s.execute(
                select(Token, User).join(User, User.id == Token.user_id).where(Token.id == token_id)
            ).first()
            if row is None or row[1].member_id != viewer.member_id:
                raise NotFound(f"no token {token_id} of your member")
            if row[1].id != viewer.user_id and viewer.role != "admin":
                raise Forbidden("only admins can revoke other users' tokens")
            revoke_token(s, token_id)
            record(s, viewer, "token.revoke", "token", token_id)
        return {"id": token_id, "revoked": True}

    @app.post(
        "/api/v1/incidents", status_code=201, tags=["incidents"], response_model=dict[str, Any]
    )
    async def post_incident(request: Request, viewer: Caller, data: IncidentIn) -> Response:
        """Report an incident; it is correlated with earlier ones at once. Answered once it is
        durably committed (incidents reported at the same time share one commit)."""
        # no database work: on the event loop (a worker thread's hop costs more than it)
        prepared = prepare_incident(viewer, data)
        writer: IncidentWriter = request.app.state.writer
        incident = await asyncio.wrap_future(writer.submit(prepared))
        store = _store(request)

        def view() -> dict[str, Any]:
            with store.connecting() as conn:
                return incident_view(conn, viewer, incident)

        return _json(await _database_work(store, view), 201)

    @app.get("/api/v1/incidents", tags=["incidents"], response_model=dict[str, Any])
    def get_incidents(request: Request, viewer: Caller, filters: Filters) -> Response:
        """The incidents the caller may see, newest first, with search and filters."""
        with _store(request).reading() as s:
            rows, total = list_incidents(s, viewer, filters)
            items = [incident_view(s, viewer, r, with_correlations=False) for r in rows]
        _audit_read(request, entry(viewer, "incident.list", detail=f"{len(items)} of {total}"))
        return _json(
            {"total": total, "limit": filters.limit, "offset": filters.offset, "items": items}
        )

    @app.get("/api/v1/incidents/{incident_id}", tags=["incidents"], response_model=dict[str, Any])
    async def get_incident(request: Request, viewer: Caller, incident_id: IncidentId) -> Response:
        """One incident with its correlations (those the caller may see)."""
        store = _store(request)

        def read() -> tuple[IncidentRecord, dict[str, Any]]:
            with store.connecting() as conn:
                try:
                    incident = entitled_record(conn, viewer, incident_id)
                except NotFound:
                    _audit_read(
                        request,
                        entry(
                            viewer, "incident.read", "incident", incident_id, outcome="not_found"
                        ),
                    )
                    raise
                return incident, incident_view(conn, viewer, incident)

        incident, view = await _database_work(store, read)
        _audit_read(
            request,
            entry(
                viewer, "incident.read", "incident", incident_id, owner_member_id=incident.member_id
            ),
        )
        return _json(view)

    @app.get("/api/v1/incidents/{incident_id}/network", tags=["incidents"])
    def get_incident_network(
        request: Request,
        viewer: Caller,
        incident_id: IncidentId,
        depth: Annotated[
            int, Query(ge=0, le=MAX_DEPTH, description="Correlation steps to follow")
        ] = 2,
    ) -> dict[str, Any]:
        """The network around an incident: it and the incidents correlated with it within
        `depth` steps that the caller may see, as nodes and edges with their provenance."""
        with _store(request).reading() as s:
            try:
                network = incident_network(s, viewer, incident_id, depth)
            except NotFound:
                _audit_read(
                    request,
                    entry(viewer, "incident.network", "incident", incident_id, outcome="not_found"),
                )
                raise
        detail = f"{network.incidents} incidents, depth {depth}"
        _audit_read(
            request, entry(viewer, "incident.network", "incident", incident_id, detail=detail)
        )
        return network.data(incident_id)

    @app.put("/api/v1/incidents/{incident_id}/sharing", tags=["incidents"])
    def put_sharing(
        request: Request, viewer: Caller, incident_id: IncidentId, data: SharingIn
    ) -> dict[str, Any]:
        """Change who may see an incident and its TLP (effective at once)."""
        with _store(request).writing() as s:
            incident = update_sharing(s, viewer, incident_id, data)
            return incident_view(s, viewer, incident)

    @app.post("/api/v1/incidents/{incident_id}/withdraw", tags=["incidents"])
    def post_withdraw(
        request: Request, viewer: Caller, incident_id: IncidentId, data: WithdrawIn
    ) -> dict[str, Any]:
        """Withdraw an incident: other members stop seeing it and its indicators at once."""
        with _store(request).writing() as s:
            incident = withdraw_incident(s, viewer, incident_id, data.reason)
            return incident_view(s, viewer, incident)

    @app.get("/api/v1/indicators", tags=["indicators"])
    def get_indicators(
        request: Request,
        viewer: Caller,
        kind: Annotated[list[str] | None, Query(max_length=6)] = None,
        since: datetime | None = None,
        limit: Annotated[int, Query(ge=1, le=100_000)] = 10_000,
    ) -> dict[str, Any]:
        """The indicator feed as JSON (kinds: name, address, phone, email, company_number,
        substance; the first five unless asked)."""
        with _store(request).reading() as s:
            rows = feed_rows(s, viewer, tuple(kind or SCREEN_KINDS), _naive(since), limit)
        _audit_read(request, entry(viewer, "feed.read", detail=f"{len(rows)} indicators"))
        return {"items": rows}

    @app.get(
        "/api/v1/feed.csv",
        tags=["indicators"],
        response_class=PlainTextResponse,
        responses={200: {"content": {"text/csv": {}}}},
    )
    def get_feed_csv(
        request: Request,
        viewer: Caller,
        kind: Annotated[list[str] | None, Query(max_length=6)] = None,
        since: datetime | None = None,
    ) -> Response:
        """The indicator feed as the CSV `chainbreaker screen --indicators` reads."""
        with _store(request).reading() as s:
            rows = feed_rows(s, viewer, tuple(kind or SCREEN_KINDS), _naive(since))
        _audit_read(request, entry(viewer, "feed.read", detail=f"{len(rows)} indicators, csv"))
        return Response(feed_csv(rows), media_type="text/csv; charset=utf-8")

    @app.post("/api/v1/sightings", status_code=201, tags=["indicators"])
    def post_sighting(request: Request, viewer: Caller, data: SightingIn) -> dict[str, Any]:
        """Report a hit on an indicator; the member that shared it is alerted with what
        `share` allows (anonymous, member, details)."""
        with _store(request).writing() as s:
            made = report_sighting(s, viewer, data)
            return {"sightings": len(made), "indicator_ids": [m.indicator_id for m in made]}

    @app.get("/api/v1/alerts", tags=["indicators"])
    def get_alerts(request: Request, viewer: Caller) -> dict[str, Any]:
        """Sightings of the caller's member's indicators by other members."""
        with _store(request).reading() as s:
            items = alerts_for(s, viewer)
        _audit_read(request, entry(viewer, "alert.list", detail=f"{len(items)} alerts"))
        return {"items": items}

    @app.get("/api/v1/audit", tags=["audit"])
    def get_audit(
        request: Request,
        viewer: Caller,
        action: Annotated[str | None, Query(max_length=60)] = None,
        username: Annotated[str | None, Query(max_length=100)] = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    ) -> dict[str, Any]:
        """The audit log for admins: their users' actions and every action on their incidents."""
        request.app.state.read_audit.flush()
        with _store(request).reading() as s:
            items = audit_items(s, viewer, action, username, limit)
        _audit_read(request, entry(viewer, "audit.read", detail=f"{len(items)} entries"))
        return {"items": items}

    @app.get("/api/v1/export/stix", tags=["export"])
    def get_stix(request: Request, viewer: Caller, filters: Filters) -> Response:
        """A STIX 2.1 bundle of the incidents (and their indicators) the caller may export."""
        with _store(request).reading() as s:
            rows, _ = list_incidents(s, viewer, filters, purpose="export")
            indicators = list(
                s.scalars(select(Indicator).where(Indicator.incident_id.in_([r.id for r in rows])))
            )
            text = export_stix(s, viewer, rows, indicators)
        _audit_read(request, entry(viewer, "export.stix", detail=f"{len(rows)} incidents"))
        return Response(text, media_type="application/json")

    @app.get(
        "/api/v1/export/csv",
        tags=["export"],
        response_class=PlainTextResponse,
        responses={200: {"content": {"text/csv": {}}}},
    )
    def get_csv(request: Request, viewer: Caller, filters: Filters) -> Response:
        """A CSV of the incidents the caller may export (one row per incident)."""
        with _store(request).reading() as s:
            rows, _ = list_incidents(s, viewer, filters, purpose="export")
            text = export_csv(s, rows)
        _audit_read(request, entry(viewer, "export.csv", detail=f"{len(rows)} incidents"))
        return Response(text, media_type="text/csv; charset=utf-8")

    @app.post("/api/v1/import/stix", tags=["export"])
    def post_stix(
        request: Request,
        viewer: Caller,
        args: ImportArgs,
        bundle: Annotated[dict[str, Any], Body(description="A STIX 2.1 bundle")],
    ) -> dict[str, Any]:
        """Incidents from a STIX 2.1 bundle made by an export; each as a new incident of the
        caller's member, shared as `sharing` (and `recipient`) say."""
        with _store(request).writing() as s:
            result = import_stix(s, viewer, json.dumps(bundle), *args)
            record(s, viewer, "import.stix", detail=f"{len(result.ids)} imported")
        return result.to_dict()

    @app.post(
        "/api/v1/import/csv",
        tags=["export"],
        openapi_extra={
            "requestBody": {
                "content": {"text/csv": {"schema": {"type": "string"}}},
                "required": True,
            }
        },
    )
    async def post_csv(request: Request, viewer: Caller, args: ImportArgs) -> JSONResponse:
        """Incidents from a CSV made by an export (bad rows reported, skipped, counted)."""
        raw = await request.body()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise HTTPException(422, "the CSV is not UTF-8") from exc
        if "\x00" in text:
            raise HTTPException(422, "the CSV contains NUL characters")
        store = _store(request)

        def work() -> dict[str, Any]:
            with store.writing() as s:
                result = import_csv(s, viewer, text, *args)
                record(s, viewer, "import.csv", detail=f"{len(result.ids)} imported")
            return result.to_dict()

        return JSONResponse(await run_in_threadpool(work))

    @app.get("/api/v1/stats", tags=["server"])
    def stats(request: Request, viewer: Caller) -> dict[str, int]:
        """How many incidents the caller may see."""
        with _store(request).reading() as s:
            n = s.scalar(select(func.count()).select_from(Incident).where(visible(viewer))) or 0
        _audit_read(request, entry(viewer, "stats.read"))
        return {"incidents": n}


def _naive(when: datetime | None) -> datetime | None:
    if when is None or when.tzinfo is None:
        return when
    try:
        return when.astimezone(UTC).replace(tzinfo=None)
    except OverflowError:
        return None


def app_from_env() -> FastAPI:
    """The app uvicorn's workers build (`chainbreaker serve` migrated the database first)."""
    return create_app(default_url(), migrate=False, tune_gc=True)
