"""The HTTP API end to end (in-process client) on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import logging
import threading
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import stix2  # type: ignore[import-untyped]
import yaml
from fastapi.testclient import TestClient

from chainbreaker.exchange.api import _database_work, create_app
from chainbreaker.exchange.database import Store
from chainbreaker.exchange.identities import issue_token
from chainbreaker.exchange.settings import DATA_DIR, SETTINGS_ENV, exchange_settings
from chainbreaker.screen.detectors.indicators import read_indicators

from .helpers import coalition

INCIDENT: dict[str, Any] = {
    "kind": "seizure",
    "occurred_on": "2024-03-01",
    "country": "NL",
    "location": "Schiphol express hub",
    "reporting_authority": "Dutch customs",
    "substances": [{"name": "NPP", "quantity": 25, "unit": "kg", "form": "powder"}],
    "parties": [
        {
            "role": "consignor",
            "name": "Hebei Xiuna Trading Co., Ltd.",
            "kind": "company",
            "country": "CN",
            "address": "Room 1203, 88 Zhongshan Road, Shijiazhuang",
            "phone": "+86 311 8888 1234",
            "email": "sales@xiuna-trade.example",
            "company_numbers": ["USCC 91130100MA0XXXXX1"],
        }
    ],
    "route": {"origin": "CN", "transit": ["DE"], "destination": "MX"},
    "conveyance": "express courier",
    "concealment": "declared as plastic additive",
    "declared_description": "plastic additive",
    "hs_code": "2933.39",
    "modus_operandi": "mislabelled precursor in express parcels",
    "narrative": "25 kg of NPP found in two express parcels.",
    "attachments": [{"name": "photo", "reference": "case-file://NL/2024/17"}],
    "sharing": "named",
    "recipients": ["B"],
    "tlp": "amber",
}


class Api:
    def __init__(self, client: TestClient, tokens: dict[str, str], store: Store) -> None:
        self.client = client
        self.tokens = tokens
        self.store = store

    def call(self, user: str, method: str, path: str, **kw: Any) -> Any:
        headers = {"Authorization": f"Bearer {self.tokens[user]}", **kw.pop("headers", {})}
        return self.client.request(method, path, headers=headers, **kw)

    def post_incident(self, user: str, **changes: Any) -> dict[str, Any]:
        if changes.get("sharing", "named") != "named":
            changes.setdefault("recipients", [])
        r = self.call(user, "POST", "/api/v1/incidents", json={**INCIDENT, **changes})
        assert r.status_code == 201, r.text
        out: dict[str, Any] = r.json()
        return out


@pytest.fixture
def api(store: Store) -> Iterator[Api]:
    viewers = coalition(store)
    tokens = {}
    with store.writing() as s:
        for name in viewers:
            tokens[name] = issue_token(s, name, days=1)[1]
    with TestClient(create_app(store=store)) as client:
        yield Api(client, tokens, store)


def test_report_read_and_entitlement(api: Api) -> None:
    made = api.post_incident("a-analyst")
    assert made["member"] == "A" and made["recipients"] == ["B"]
    sub = made["substances"][0]
    assert (sub["substance_id"], sub["status"]) == ("npp", "controlled")
    iid = made["id"]
    seen = api.call("b-read_only", "GET", f"/api/v1/incidents/{iid}")
    assert seen.status_code == 200 and "recipients" not in seen.json()
    assert seen.json()["parties"][0]["name"] == "Hebei Xiuna Trading Co., Ltd."
    hidden = api.call("c-admin", "GET", f"/api/v1/incidents/{iid}")
    assert hidden.status_code == 404 and "Hebei" not in hidden.text
    # search and filters
    assert api.call("b-analyst", "GET", "/api/v1/incidents?q=xiuna").json()["total"] == 1
    assert api.call("b-analyst", "GET", "/api/v1/incidents?q=nothere").json()["total"] == 0
    assert api.call("b-analyst", "GET", "/api/v1/incidents?substance=NPP").json()["total"] == 1
    assert (
        api.call("b-analyst", "GET", "/api/v1/incidents?kind=clandestine_lab").json()["total"] == 0
    )
    assert api.call("c-analyst", "GET", "/api/v1/incidents?q=xiuna").json()["total"] == 0
    # withdrawal: gone for B at once, kept for A
    r = api.call("a-analyst", "POST", f"/api/v1/incidents/{iid}/withdraw", json={"reason": "dup"})
    assert r.status_code == 200 and r.json()["withdrawn"] is True
    assert api.call("b-analyst", "GET", f"/api/v1/incidents/{iid}").status_code == 404
    assert api.call("a-read_only", "GET", f"/api/v1/incidents/{iid}").status_code == 200


def test_feed_is_what_screen_reads_within_entitlement(api: Api, tmp_path: Path) -> None:
    api.post_incident("a-analyst")  # named B
    api.post_incident(
        "a-analyst",
        sharing="named",
        recipients=["B"],
        tlp="red",
        parties=[{"name": "Red Only Chemicals Ltd"}],
    )
    r = api.call("b-analyst", "GET", "/api/v1/feed.csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    path = tmp_path / "feed.csv"
    path.write_text(r.text)
    got = read_indicators(path)
    assert got.problems == []
    assert {(i.kind, i.value) for i in got.items} == {
        ("name", "Hebei Xiuna Trading Co., Ltd."),
        ("address", "Room 1203, 88 Zhongshan Road, Shijiazhuang"),
        ("phone", "+86 311 8888 1234"),
        ("email", "sales@xiuna-trade.example"),
        ("company_number", "USCC 91130100MA0XXXXX1"),
    }  # TLP:RED never in a feed; substances only when asked
    with_subs = api.call("b-analyst", "GET", "/api/v1/indicators?kind=substance").json()["items"]
    assert [(i["kind"], i["value"]) for i in with_subs] == [
        ("substance", "NPP (N-phenethyl-4-piperidone)")
    ]
    c_feed = api.call("c-analyst", "GET", "/api/v1/feed.csv").text
    assert c_feed.strip() == "kind,value,source,note,indicator_id"


def test_correlation_within_entitlement(api: Api) -> None:
    first = api.post_incident("a-analyst", sharing="coalition", tlp="green")
    private = api.post_incident(
        "a-analyst",
        sharing="member",
        parties=[{"name": "Quiet Co", "email": "x@quiet.example"}],
        substances=[],
    )
    second = api.post_incident(
        "b-analyst",
        sharing="coalition",
        tlp="green",
        substances=[{"name": "N-phenethyl-4-piperidone"}],
        parties=[
            {"name": "HEBEI XIUNA TRADING CO LTD", "kind": "company", "phone": "0086 311 88881234"},
            {"name": "Someone", "email": "X@Quiet.example"},
        ],
    )
    links = {(c["incident_id"], c["kind"]) for c in second["correlations"]}
    # B sees the links to A's coalition incident (name through the matcher, phone, substance),
    # not the link to A's private incident (same e-mail)
    assert links == {(first["id"], "name"), (first["id"], "phone"), (first["id"], "substance")}
    back = api.call("a-analyst", "GET", f"/api/v1/incidents/{first['id']}").json()
    assert {(c["incident_id"], c["kind"]) for c in back["correlations"]} == {
        (second["id"], "name"),
        (second["id"], "phone"),
        (second["id"], "substance"),
    }
    mine = api.call("a-analyst", "GET", f"/api/v1/incidents/{private['id']}").json()
    assert [(c["incident_id"], c["kind"]) for c in mine["correlations"]] == [
        (second["id"], "email")
    ]
    c_view = api.call("c-analyst", "GET", f"/api/v1/incidents/{second['id']}").json()
    assert {c["incident_id"] for c in c_view["correlations"]} == {first["id"]}


def test_sightings_alert_with_only_what_is_shared(api: Api) -> None:
    api.post_incident("a-analyst")  # named B
    r = api.call(
        "b-analyst",
        "POST",
        "/api/v1/sightings",
        json={
            "kind": "phone",
            "value": "0086-311-8888-1234",
            "share": "anonymous",
            "context": "B's secret case 42",
        },
    )
    assert r.status_code == 201 and r.json()["sightings"] == 1
    r = api.call(
        "b-analyst",
        "POST",
        "/api/v1/sightings",
        json={
            "kind": "email",
            "value": "SALES@xiuna-trade.example",
            "share": "details",
            "context": "parcel to Monterrey",
        },
    )
    assert r.status_code == 201
    alerts = api.call("a-read_only", "GET", "/api/v1/alerts").json()["items"]
    by_kind = {a["kind"]: a for a in alerts}
    assert (by_kind["phone"]["member"], by_kind["phone"]["context"]) == (None, None)
    assert "secret" not in json.dumps(alerts)
    assert (by_kind["email"]["member"], by_kind["email"]["context"]) == ("B", "parcel to Monterrey")
    assert api.call("b-analyst", "GET", "/api/v1/alerts").json()["items"] == []
    # C may not see the incident, so cannot sight its indicators
    r = api.call(
        "c-analyst",
        "POST",
        "/api/v1/sightings",
        json={"kind": "phone", "value": "+86 311 8888 1234"},
    )
    assert r.status_code == 404


def test_stix_export_is_valid_and_imports_back(api: Api) -> None:
    api.post_incident("a-analyst", sharing="coalition", tlp="amber+strict")
    api.post_incident("a-analyst", sharing="named", recipients=["B"], tlp="red")
    text = api.call("c-analyst", "GET", "/api/v1/export/stix").text
    bundle = stix2.parse(text, allow_custom=True)
    reports = [o for o in bundle.objects if o.type == "report"]
    assert len(reports) == 1  # the red one is not exported to anyone but A
    assert reports[0].object_marking_refs == [stix2.TLP_AMBER.id]
    assert reports[0].x_chainbreaker_tlp == "amber+strict"
    patterns = {o.pattern for o in bundle.objects if o.type == "indicator"}
    assert "[email-addr:value = 'sales@xiuna-trade.example']" in patterns
    assert "[x-chainbreaker-substance:id = 'npp']" in patterns
    r = api.call("c-analyst", "POST", "/api/v1/import/stix?sharing=member", json=json.loads(text))
    assert r.status_code == 200 and r.json()["imported"] == 1, r.text
    new = api.call("c-analyst", "GET", f"/api/v1/incidents/{r.json()['ids'][0]}").json()
    assert new["member"] == "C" and new["tlp"] == "amber+strict" and new["sharing"] == "member"
    assert new["parties"] == INCIDENT["parties"] and new["route"] == INCIDENT["route"]
    bad = api.call("c-analyst", "POST", "/api/v1/import/stix", json={"type": "nope"})
    assert bad.status_code == 422 and "STIX" in bad.json()["detail"]


def test_csv_export_imports_back_and_reports_bad_rows(api: Api) -> None:
    api.post_incident("a-analyst", sharing="coalition", tlp="green")
    text = api.call("b-analyst", "GET", "/api/v1/export/csv").text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 1 and rows[0]["member"] == "A" and rows[0]["hs_code"] == "2933.39"
    broken = (
        text
        + "x,A,seizure,2024-13-45,NL,,,,,,,,,green,[],[],{},[]\n"
        + "y,A,seizure,2024-01-01,NL,,,,,,,,,green,[oops,[],{},[]\n"
    )
    r = api.call(
        "b-analyst",
        "POST",
        "/api/v1/import/csv",
        content=broken.encode(),
        headers={"content-type": "text/csv"},
    )
    out = r.json()
    assert r.status_code == 200 and out["imported"] == 1 and out["skipped"] == 2
    assert [(p["record"], p["field"]) for p in out["problems"]] == [
        ("line 3", "occurred_on"),
        ("line 4", "substances"),
    ]


@pytest.mark.parametrize(
    ("user", "method", "path", "body", "status", "says"),
    [
        (None, "GET", "/api/v1/incidents", None, 401, "authentication required"),
        ("bogus", "GET", "/api/v1/incidents", None, 401, "not valid"),
        ("a-read_only", "POST", "/api/v1/incidents", INCIDENT, 403, "read-only"),
        (
            "a-analyst",
            "POST",
            "/api/v1/incidents",
            {**INCIDENT, "parties": [{"name": "x", "email": "nope"}]},
            422,
            "parties.0.email",
        ),
        ("a-analyst", "POST", "/api/v1/incidents", {**INCIDENT, "kind": "party"}, 422, "body.kind"),
        (
            "a-analyst",
            "POST",
            "/api/v1/incidents",
            {**INCIDENT, "colour": "red"},
            422,
            "body.colour",
        ),
        ("a-analyst", "POST", "/api/v1/incidents", {**INCIDENT, "narrative": "a\x00b"}, 422, "NUL"),
        (
            "a-analyst",
            "POST",
            "/api/v1/incidents",
            {**INCIDENT, "sharing": "coalition", "tlp": "red", "recipients": []},
            422,
            "TLP:RED",
        ),
        ("a-analyst", "GET", "/api/v1/incidents/99999", None, 404, "no incident 99999"),
        ("a-analyst", "GET", "/api/v1/incidents/0", None, 422, "incident_id"),
        ("a-analyst", "GET", "/api/v1/incidents/2147483648", None, 422, "incident_id"),
        ("a-analyst", "POST", "/api/v1/sightings", {"indicator_id": 2**31}, 422, "indicator_id"),
        ("a-analyst", "GET", "/api/v1/incidents?q=a%00b", None, 400, "NUL"),
        ("a-analyst", "GET", "/api/v1/audit", None, 403, "only admins"),
        (
            "a-analyst",
            "POST",
            "/api/v1/incidents",
            {**INCIDENT, "narrative": "x" * 3_000_000},
            413,
            "larger than",
        ),
    ],
)
def test_bad_requests_get_clear_4xx(
    api: Api, user: str | None, method: str, path: str, body: Any, status: int, says: str
) -> None:
    headers = {}
    if user == "bogus":
        headers["Authorization"] = "Bearer cbx_" + "q" * 43
    elif user:
        headers["Authorization"] = f"Bearer {api.tokens[user]}"
    r = api.client.request(method, path, headers=headers, json=body)
    assert r.status_code == status, r.text
    assert says in r.json()["detail"]


def test_tokens_never_logged_or_echoed(api: Api, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    secret = api.tokens["a-analyst"]
    texts = []
    made = api.post_incident("a-analyst")
    texts.append(json.dumps(made))
    for path in (
        "/api/v1/incidents",
        f"/api/v1/incidents/{made['id']}",
        "/api/v1/feed.csv",
        "/api/v1/me",
    ):
        texts.append(api.call("a-analyst", "GET", path).text)
    bad = "cbx_" + "z" * 43
    texts.append(api.client.get("/api/v1/me", headers={"Authorization": f"Bearer {bad}"}).text)
    r = api.call("a-admin", "POST", "/api/v1/tokens", json={"username": "a-analyst", "days": 1})
    assert r.status_code == 201 and r.json()["token"].startswith("cbx_")  # shown once, here
    new_secret = r.json()["token"]
    texts.append(api.call("a-admin", "GET", "/api/v1/audit").text)
    for t in [*texts, caplog.text]:
        assert secret not in t and bad not in t and new_secret not in t


def test_audit_records_reads_and_writes_for_admins(api: Api) -> None:
    made = api.post_incident("a-analyst")
    api.call("b-read_only", "GET", f"/api/v1/incidents/{made['id']}")
    api.call("c-analyst", "GET", f"/api/v1/incidents/{made['id']}")  # not entitled: 404
    a_log = api.call("a-admin", "GET", "/api/v1/audit").json()["items"]
    seen = {(e["user"], e["action"], e["outcome"]) for e in a_log}
    assert ("a-analyst", "incident.create", "ok") in seen
    assert ("b-read_only", "incident.read", "ok") in seen  # someone read our incident
    assert not any(e["user"] == "c-analyst" for e in a_log)  # C's refused read is C's business
    c_log = api.call("c-admin", "GET", "/api/v1/audit?action=incident.read").json()["items"]
    assert [(e["user"], e["outcome"]) for e in c_log] == [("c-analyst", "not_found")]


def test_revoked_token_stops_at_once(api: Api) -> None:
    r = api.call("b-analyst", "POST", "/api/v1/tokens", json={"days": 1})
    token_id, secret = r.json()["id"], r.json()["token"]
    headers = {"Authorization": f"Bearer {secret}"}
    assert api.client.get("/api/v1/me", headers=headers).json()["username"] == "b-analyst"
    assert api.call("c-admin", "DELETE", f"/api/v1/tokens/{token_id}").status_code == 404
    assert api.call("b-analyst", "DELETE", f"/api/v1/tokens/{token_id}").status_code == 200
    assert api.client.get("/api/v1/me", headers=headers).status_code == 401


@pytest.mark.parametrize(
    ("backend", "on_loop", "same_thread"),
    [
        ("sqlite", True, True),
        ("sqlite", False, True),  # the setting is PostgreSQL's: SQLite's reads stay on the loop
        ("postgresql", True, True),
        ("postgresql", False, False),
    ],
)
def test_hot_reads_run_on_the_event_loop_as_the_settings_say(
    backend: str,
    on_loop: bool,
    same_thread: bool,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings = yaml.safe_load((DATA_DIR / "exchange.yaml").read_text())
    settings["postgresql_reads_on_event_loop"] = on_loop
    path = tmp_path / "exchange.yaml"
    path.write_text(yaml.safe_dump(settings))
    monkeypatch.setenv(SETTINGS_ENV, str(path))
    exchange_settings.cache_clear()
    try:

        async def run() -> tuple[int, int]:
            store = SimpleNamespace(backend=backend)
            return threading.get_ident(), await _database_work(store, threading.get_ident)  # type: ignore[arg-type]

        loop_thread, work_thread = asyncio.run(run())
    finally:
        monkeypatch.delenv(SETTINGS_ENV)
        exchange_settings.cache_clear()
    assert (loop_thread == work_thread) is same_thread


def test_settings_files_without_the_newer_optional_keys_still_load(tmp_path: Path) -> None:
    settings = yaml.safe_load((DATA_DIR / "exchange.yaml").read_text())
    del settings["postgresql_reads_on_event_loop"]
    path = tmp_path / "exchange.yaml"
    path.write_text(yaml.safe_dump(settings))
    assert exchange_settings.__wrapped__(path).postgresql_reads_on_event_loop is True
