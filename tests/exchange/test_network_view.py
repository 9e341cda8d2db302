"""The network around an incident (API and page), within entitlement, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from typing import Any

from .helpers import PASSWORD
from .test_api import Api, api  # noqa: F401  (the fixture)

COALITION = {"sharing": "coalition", "recipients": [], "tlp": "green", "substances": []}


def _party(role: str, name: str, **fields: Any) -> dict[str, Any]:
    return {"role": role, "name": name, **fields}


def _nodes(data: dict[str, Any]) -> set[str]:
    return {n["id"] for n in data["nodes"]}


def _chain(api: Api) -> dict[str, dict[str, Any]]:  # noqa: F811
    """A1 -phone- A2 -address- A3 (member A, whole coalition); B1 (member B, B only) shares
    A1's phone."""
    phone, address = "+52 33 1234 5678", "Calle Falsa 123, Culiacan"
    a1 = api.post_incident(
        "a-analyst",
        **COALITION,
        parties=[
            _party("consignor", "Hebei Xiuna Trading Co", kind="company"),
            _party("consignee", "Juan Perez", kind="person", phone=phone),
        ],
    )
    a2 = api.post_incident(
        "a-analyst",
        **COALITION,
        parties=[_party("consignee", "Ana Ruiz", kind="person", phone=phone, address=address)],
    )
    a3 = api.post_incident(
        "a-analyst",
        **COALITION,
        parties=[_party("buyer", "Luis Gomez", kind="person", address=address)],
    )
    b1 = api.post_incident(
        "b-analyst",
        **{**COALITION, "sharing": "member"},
        parties=[_party("consignee", "Secret Front SA de CV", phone=phone)],
    )
    return {"A1": a1, "A2": a2, "A3": a3, "B1": b1}


def test_network_follows_correlations_within_entitlement(api: Api) -> None:  # noqa: F811
    made = _chain(api)
    ship = {k: f"shipment:{v['uid']}" for k, v in made.items()}
    url = f"/api/v1/incidents/{made['A1']['id']}/network"

    near = api.call("a-analyst", "GET", url, params={"depth": 1}).json()
    assert near["focus"] == ship["A1"]
    assert {ship["A1"], ship["A2"]} <= _nodes(near)
    assert ship["A3"] not in _nodes(near)  # two steps away
    assert "person:juan perez" in _nodes(near) and "phone:523312345678" in _nodes(near)
    # B1 is correlated with A1 by the phone, but only B may see it
    assert ship["B1"] not in _nodes(near)
    assert "Secret Front" not in json.dumps(near)

    far = api.call("a-analyst", "GET", url, params={"depth": 2}).json()
    assert {ship["A1"], ship["A2"], ship["A3"]} <= _nodes(far)
    assert far["incidents"] == 3

    # B sees its own B1 beside A's incidents
    as_b = api.call("b-analyst", "GET", url, params={"depth": 1}).json()
    assert {ship["A1"], ship["A2"], ship["B1"]} <= _nodes(as_b)

    # an incident the caller may not see has no network either
    hidden = api.call("c-analyst", "GET", f"/api/v1/incidents/{made['B1']['id']}/network")
    assert hidden.status_code == 404 and "Secret" not in hidden.text
    bad = api.call("a-analyst", "GET", url, params={"depth": 9})
    assert bad.status_code == 422


def test_every_edge_says_where_it_comes_from(api: Api) -> None:  # noqa: F811
    made = _chain(api)
    data = api.call("a-analyst", "GET", f"/api/v1/incidents/{made['A1']['id']}/network").json()
    ids = [n["id"] for n in data["nodes"]]
    sent = [
        e
        for e in data["edges"]
        if ids[e["s"]] == "company:hebei xiuna trading" and e["t"] == "shipped_to"
    ]
    assert [ids[e["d"]] for e in sent] == ["person:juan perez"]
    assert sent[0]["p"][0]["record"] == made["A1"]["uid"]


def test_network_page_and_audit(api: Api) -> None:  # noqa: F811
    made = _chain(api)
    login = api.client.post("/login", data={"username": "a-analyst", "password": PASSWORD})
    assert login.status_code in (200, 303)
    page = api.client.get(f"/incidents/{made['A1']['id']}/network")
    assert page.status_code == 200
    assert "Network around incident" in page.text and made["A2"]["uid"] in page.text
    assert "Secret Front" not in page.text
    detail = api.client.get(f"/incidents/{made['A1']['id']}")
    assert f'href="/incidents/{made["A1"]["id"]}/network"' in detail.text
    assert api.client.get(f"/incidents/{made['B1']['id']}/network").status_code == 404
    log = api.call("a-admin", "GET", "/api/v1/audit?action=incident.network").json()["items"]
    assert {(e["user"], e["outcome"]) for e in log} >= {("a-analyst", "ok")}
