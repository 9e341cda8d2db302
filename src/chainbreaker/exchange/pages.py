"""The web pages: server-rendered (Jinja2, autoescaped), no JavaScript needed.

Log in with a username and password (or an API token); the session is a token of kind
`session` in an HttpOnly, SameSite=Strict cookie, stored hashed like any token and revoked at
log-out. Every page reads through the same functions as the API, so the same entitlement and
the same audit apply.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from chainbreaker.errors import InvalidInput
from chainbreaker.exchange.audit import ReadAudit, audit_items, entry, record
from chainbreaker.exchange.database import Store
from chainbreaker.exchange.entitlement import entitled_incident
from chainbreaker.exchange.feed import SCREEN_KINDS, feed_csv, feed_rows
from chainbreaker.exchange.identities import (
    Viewer,
    authenticate_password,
    authenticate_token,
    issue_token,
    revoke_secret,
)
from chainbreaker.exchange.incidents import (
    IncidentFilters,
    create_incident,
    incident_view,
    list_incidents,
)
from chainbreaker.exchange.models import INCIDENT_KINDS, TLPS
from chainbreaker.exchange.network_view import incident_network
from chainbreaker.exchange.problems import NotFound
from chainbreaker.exchange.schemas import IncidentIn
from chainbreaker.exchange.settings import exchange_settings
from chainbreaker.exchange.sightings import alerts_for

__all__ = ["SESSION_COOKIE", "install_pages"]

SESSION_COOKIE = "cb_session"
_templates = Jinja2Templates(directory=str(Path(__file__).with_name("templates")))


class _LoginRequired(Exception):
    """No valid session: the page handler redirects to /login."""


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def _audit(request: Request, item: Any) -> None:
    audit: ReadAudit = request.app.state.read_audit
    audit.add(item)


def page_viewer(request: Request) -> Viewer:
    """The logged-in user from the session cookie (else a redirect to /login)."""
    secret = request.cookies.get(SESSION_COOKIE)
    if not secret:
        raise _LoginRequired
    with _store(request).reading() as s:
        viewer = authenticate_token(s, secret)
    if viewer is None:
        raise _LoginRequired
    return viewer


PageViewer = Annotated[Viewer, Depends(page_viewer)]


def _page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    return _templates.TemplateResponse(request, name, context, status_code=status)


def _text(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _not_found(
    request: Request, viewer: Viewer, action: str, incident_id: int, exc: NotFound
) -> HTMLResponse:
    """The incident list saying the incident cannot be shown (404), the refusal audited."""
    _audit(request, entry(viewer, action, "incident", incident_id, outcome="not_found"))
    return _page(
        request,
        "incidents.html",
        404,
        viewer=viewer,
        items=[],
        total=0,
        f=IncidentFilters(),
        kinds=INCIDENT_KINDS,
        message=str(exc),
    )


def install_pages(app: FastAPI) -> None:
    """Add the pages to the app."""
    router = APIRouter(include_in_schema=False)

    @app.exception_handler(_LoginRequired)
    async def _to_login(_req: Request, _exc: _LoginRequired) -> Response:
        return RedirectResponse("/login", status_code=303)

    @router.get("/")
    def home() -> Response:
        return RedirectResponse("/incidents", status_code=303)

    @router.get("/login")
    def login_form(request: Request) -> HTMLResponse:
        return _page(request, "login.html", viewer=None, error=None)

    @router.post("/login")
    def login(
        request: Request,
        username: Annotated[str, Form(max_length=100)] = "",
        password: Annotated[str, Form(max_length=1000)] = "",
        token: Annotated[str, Form(max_length=200)] = "",
    ) -> Response:
        hours = exchange_settings().session_hours
        with _store(request).writing() as s:
            if token:
                viewer = authenticate_token(s, token)
                secret = token
            else:
                viewer = authenticate_password(s, username, password)
                secret = ""
                if viewer is not None:
                    secret = issue_token(s, viewer.username, days=hours / 24, kind="session")[1]
            record(
                s, viewer, "login", "user", username or "", outcome="ok" if viewer else "refused"
            )
        if viewer is None:
            return _page(
                request,
                "login.html",
                401,
                viewer=None,
                error="Unknown user, wrong password or invalid token.",
            )
        response = RedirectResponse("/incidents", status_code=303)
        response.set_cookie(
            SESSION_COOKIE,
            secret,
            max_age=int(hours * 3600),
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
        )
        return response

    @router.post("/logout")
    def logout(request: Request) -> Response:
        secret = request.cookies.get(SESSION_COOKIE)
        if secret:
            with _store(request).writing() as s:
                record(s, authenticate_token(s, secret), "logout")
                revoke_secret(s, secret)  # API tokens used to log in are revoked as well
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(SESSION_COOKIE)
        return response

    @router.get("/incidents")
    def incidents(
        request: Request,
        viewer: PageViewer,
        q: str = "",
        kind: str = "",
        country: str = "",
        substance: str = "",
    ) -> HTMLResponse:
        f = IncidentFilters(
            q=_text(q[:200]),
            kind=kind if kind in INCIDENT_KINDS else None,
            country=country.strip()[:2] or None,
            substance=_text(substance[:200]),
            limit=100,
        )
        with _store(request).reading() as s:
            rows, total = list_incidents(s, viewer, f)
            items = [incident_view(s, viewer, r, with_correlations=False) for r in rows]
        _audit(request, entry(viewer, "incident.list", detail=f"page: {len(items)} of {total}"))
        return _page(
            request,
            "incidents.html",
            viewer=viewer,
            items=items,
            total=total,
            f=f,
            kinds=INCIDENT_KINDS,
        )

    @router.get("/incidents/new")
    def new_form(request: Request, viewer: PageViewer) -> HTMLResponse:
        return _page(
            request,
            "new_incident.html",
            viewer=viewer,
            form={},
            errors=[],
            kinds=INCIDENT_KINDS,
            tlps=TLPS,
        )

    @router.post("/incidents/new")
    async def new_incident(request: Request, viewer: PageViewer) -> Response:
        form = {k: str(v) for k, v in (await request.form()).items()}
        party = {
            "name": _text(form.get("party_name")),
            "address": _text(form.get("party_address")),
            "phone": _text(form.get("party_phone")),
            "email": _text(form.get("party_email")),
        }
        data = {
            "kind": form.get("kind"),
            "occurred_on": form.get("occurred_on") or None,
            "country": _text(form.get("country", "").upper()),
            "location": _text(form.get("location")),
            "reporting_authority": _text(form.get("reporting_authority")),
            "substances": [
                {"name": line.strip()}
                for line in form.get("substances", "").splitlines()
                if line.strip()
            ],
            "parties": [{k: v for k, v in party.items() if v}] if party["name"] else [],
            "narrative": _text(form.get("narrative")),
            "sharing": form.get("sharing", "member"),
            "recipients": [c.strip() for c in form.get("recipients", "").split(",") if c.strip()],
            "tlp": form.get("tlp", "amber"),
        }
        errors: list[str] = []
        try:
            incident_in = IncidentIn.model_validate(data)
        except ValidationError as exc:
            errors = [f"{'.'.join(str(x) for x in e['loc'])}: {e['msg']}" for e in exc.errors()]
        if not errors:

            def work() -> int:
                with _store(request).writing() as s:
                    return create_incident(s, viewer, incident_in).id

            try:
                new_id = await run_in_threadpool(work)
            except InvalidInput as exc:
                errors = [str(exc)]
            else:
                return RedirectResponse(f"/incidents/{new_id}", status_code=303)
        return _page(
            request,
            "new_incident.html",
            422,
            viewer=viewer,
            form=form,
            errors=errors,
            kinds=INCIDENT_KINDS,
            tlps=TLPS,
        )

    @router.get("/incidents/{incident_id}")
    def incident(request: Request, viewer: PageViewer, incident_id: int) -> HTMLResponse:
        with _store(request).reading() as s:
            try:
                found = entitled_incident(s, viewer, min(incident_id, 2**31 - 1))
            except NotFound as exc:
                return _not_found(request, viewer, "incident.read", incident_id, exc)
            view = incident_view(s, viewer, found)
        _audit(
            request,
            entry(
                viewer, "incident.read", "incident", incident_id, owner_member_id=found.member_id
            ),
        )
        return _page(request, "incident.html", viewer=viewer, i=view)

    @router.get("/incidents/{incident_id}/network")
    def incident_network_page(request: Request, viewer: PageViewer, incident_id: int) -> Response:
        with _store(request).reading() as s:
            try:
                network = incident_network(s, viewer, min(incident_id, 2**31 - 1))
            except NotFound as exc:
                return _not_found(request, viewer, "incident.network", incident_id, exc)
        _audit(
            request,
            entry(
                viewer,
                "incident.network",
                "incident",
                incident_id,
                detail=f"{network.incidents} incidents",
            ),
        )
        return HTMLResponse(network.html(incident_id))

    @router.get("/feed")
    def feed(request: Request, viewer: PageViewer) -> HTMLResponse:
        with _store(request).reading() as s:
            rows = feed_rows(s, viewer, SCREEN_KINDS, limit=5000)
        _audit(request, entry(viewer, "feed.read", detail=f"page: {len(rows)} indicators"))
        return _page(request, "feed.html", viewer=viewer, rows=rows)

    @router.get("/feed.csv")
    def feed_download(request: Request, viewer: PageViewer) -> Response:
        with _store(request).reading() as s:
            rows = feed_rows(s, viewer, SCREEN_KINDS)
        _audit(request, entry(viewer, "feed.read", detail=f"page: {len(rows)} indicators, csv"))
        return Response(
            feed_csv(rows),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="indicators.csv"'},
        )

    @router.get("/alerts")
    def alerts(request: Request, viewer: PageViewer) -> HTMLResponse:
        with _store(request).reading() as s:
            items = alerts_for(s, viewer)
        _audit(request, entry(viewer, "alert.list", detail=f"page: {len(items)} alerts"))
        return _page(request, "alerts.html", viewer=viewer, items=items)

    @router.get("/audit")
    def audit(request: Request, viewer: PageViewer) -> HTMLResponse:
        if viewer.role != "admin":
            return _page(
                request,
                "audit.html",
                403,
                viewer=viewer,
                items=[],
                message="Only admins can see the audit log.",
            )
        request.app.state.read_audit.flush()
        with _store(request).reading() as s:
            items = audit_items(s, viewer, limit=300)
        _audit(request, entry(viewer, "audit.read", detail=f"page: {len(items)} entries"))
        return _page(request, "audit.html", viewer=viewer, items=items)

    app.include_router(router)
