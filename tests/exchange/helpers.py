"""Small builders shared by the exchange tests."""

from __future__ import annotations

from datetime import date
from typing import Any

from chainbreaker.exchange.database import Store
from chainbreaker.exchange.identities import Viewer, add_member, add_user, authenticate_password
from chainbreaker.exchange.incidents import create_incident
from chainbreaker.exchange.schemas import IncidentIn

PASSWORD = "a long enough password"
ROLES = ("admin", "analyst", "read_only")


def coalition(store: Store, members: tuple[str, ...] = ("A", "B", "C")) -> dict[str, Viewer]:
    """Members with one user of each role, named like 'a-analyst'; their viewers by name."""
    with store.writing() as s:
        for m in members:
            add_member(s, m, f"member {m}")
            for role in ROLES:
                add_user(s, m, f"{m.lower()}-{role}", role, PASSWORD)
    with store.reading() as s:
        out = {}
        for m in members:
            for role in ROLES:
                v = authenticate_password(s, f"{m.lower()}-{role}", PASSWORD)
                assert v is not None
                out[v.username] = v
        return out


def report(store: Store, viewer: Viewer, **fields: Any) -> int:
    """Create an incident (a seizure on 2024-03-01 unless the fields say otherwise); its id."""
    data: dict[str, Any] = {"kind": "seizure", "occurred_on": date(2024, 3, 1), **fields}
    with store.writing() as s:
        return create_incident(s, viewer, IncidentIn.model_validate(data)).id
