"""The entitlement matrix: roles x sharing levels x TLP x member x purpose, on both backends.

The rule checked (docs/exchange.md, "Who sees what"): the reporting member sees its incidents
(for the feed and exports, not withdrawn ones); another member sees an incident only if it is
not withdrawn and shared with the coalition or with that member by name; TLP:RED is never shown
to read-only users of other members nor put in a feed or export for them.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from chainbreaker.errors import InvalidInput
from chainbreaker.exchange.database import Store
from chainbreaker.exchange.entitlement import PURPOSES, entitled_incident, visible
from chainbreaker.exchange.identities import Viewer
from chainbreaker.exchange.incidents import (
    IncidentFilters,
    incident_view,
    list_incidents,
    update_sharing,
    withdraw_incident,
)
from chainbreaker.exchange.models import SHARING, TLPS, Incident
from chainbreaker.exchange.problems import Forbidden, NotFound
from chainbreaker.exchange.schemas import SharingIn

from .helpers import ROLES, coalition, report

COMBOS = [
    (sh, tlp) for sh, tlp in itertools.product(SHARING, TLPS) if (sh, tlp) != ("coalition", "red")
]


def expected(member: str, role: str, sharing: str, tlp: str, withdrawn: bool, purpose: str) -> bool:
    if member == "A":
        return purpose == "read" or not withdrawn
    if withdrawn or sharing == "member" or (sharing == "named" and member != "B"):
        return False
    return not (tlp == "red" and (role == "read_only" or purpose != "read"))


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Store, dict[str, Viewer], dict[int, tuple[str, str, bool]]]]:
    """Member A reports one incident per (sharing, TLP, withdrawn); named ones go to B."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('ent') / 'x.sqlite3'}"
    else:
        url = request.getfixturevalue("pg_module_url")
    store = Store(url)
    viewers = coalition(store)
    incidents: dict[int, tuple[str, str, bool]] = {}
    for (sharing, tlp), withdrawn in itertools.product(COMBOS, (False, True)):
        rec = ["B"] if sharing == "named" else []
        iid = report(store, viewers["a-analyst"], sharing=sharing, tlp=tlp, recipients=rec)
        if withdrawn:
            with store.writing() as s:
                withdraw_incident(s, viewers["a-analyst"], iid, "test")
        incidents[iid] = (sharing, tlp, withdrawn)
    yield store, viewers, incidents
    store.dispose()


@pytest.mark.parametrize(
    ("member", "role", "purpose"), list(itertools.product("ABC", ROLES, PURPOSES))
)
def test_matrix(world: tuple, member: str, role: str, purpose: str) -> None:  # type: ignore[type-arg]
    store, viewers, incidents = world
    viewer = viewers[f"{member.lower()}-{role}"]
    with store.reading() as s:
        seen = set(s.scalars(select(Incident.id).where(visible(viewer, purpose))))
    want = {
        i for i, (sh, tlp, w) in incidents.items() if expected(member, role, sh, tlp, w, purpose)
    }
    assert seen == want
    # one-by-one fetches agree with the list
    with store.reading() as s:
        for iid in incidents:
            if iid in want:
                assert entitled_incident(s, viewer, iid, purpose).id == iid
            else:
                with pytest.raises(NotFound):
                    entitled_incident(s, viewer, iid, purpose)


def test_matrix_spot_checks(world: tuple) -> None:  # type: ignore[type-arg]
    """A few cells worked out by hand."""
    store, viewers, incidents = world
    by = {v: k for k, v in incidents.items()}

    def sees(user: str, cell: tuple[str, str, bool], purpose: str = "read") -> bool:
        with store.reading() as s:
            try:
                entitled_incident(s, viewers[user], by[cell], purpose)  # type: ignore[arg-type]
            except NotFound:
                return False
            return True

    assert sees("b-read_only", ("named", "amber", False))
    assert not sees("b-read_only", ("named", "red", False))
    assert sees("b-analyst", ("named", "red", False))
    assert not sees("b-analyst", ("named", "red", False), "feed")
    assert not sees("c-admin", ("named", "clear", False))
    assert sees("c-read_only", ("coalition", "amber+strict", False))
    assert not sees("c-analyst", ("coalition", "green", True))
    assert sees("a-read_only", ("member", "red", True))
    assert not sees("a-read_only", ("member", "red", True), "export")
    assert not sees("b-admin", ("member", "clear", False))


def test_list_and_view_respect_entitlement(world: tuple) -> None:  # type: ignore[type-arg]
    store, viewers, incidents = world
    with store.reading() as s:
        rows, total = list_incidents(s, viewers["c-analyst"], IncidentFilters(limit=500))
        # C sees the coalition-shared, not withdrawn, non-red incidents: 4 TLPs
        assert total == 4 and {incidents[r.id][0] for r in rows} == {"coalition"}
        own = incident_view(s, viewers["a-analyst"], rows[0])
        other = incident_view(s, viewers["c-analyst"], rows[0])
    assert "recipients" in own and "recipients" not in other


def test_changes_and_withdrawal_take_effect_at_once(store: Store) -> None:
    v = coalition(store)
    iid = report(store, v["a-analyst"])  # member only

    def sees(user: str) -> bool:
        with store.reading() as s:
            return bool(s.scalar(select(Incident.id).where(Incident.id == iid, visible(v[user]))))

    assert sees("a-read_only") and not sees("b-analyst") and not sees("c-analyst")
    with store.writing() as s:
        update_sharing(s, v["a-analyst"], iid, SharingIn(sharing="named", recipients=["B"]))
    assert sees("b-analyst") and not sees("c-analyst")
    with store.writing() as s:
        update_sharing(s, v["a-admin"], iid, SharingIn(sharing="coalition", tlp="green"))
    assert sees("b-read_only") and sees("c-analyst")
    with store.writing() as s:
        update_sharing(s, v["a-admin"], iid, SharingIn(sharing="named", recipients=["C"]))
    assert not sees("b-analyst") and sees("c-analyst")
    with store.writing() as s:
        withdraw_incident(s, v["a-analyst"], iid, "mistaken report")
    assert not sees("c-analyst") and sees("a-analyst")


def test_who_may_change_sharing(store: Store) -> None:
    v = coalition(store)
    iid = report(store, v["a-analyst"], sharing="coalition", tlp="green")
    change = SharingIn(sharing="member")
    with pytest.raises(Forbidden, match="only the reporting member"), store.writing() as s:
        update_sharing(s, v["b-admin"], iid, change)
    with pytest.raises(Forbidden, match="read-only"), store.writing() as s:
        update_sharing(s, v["a-read_only"], iid, change)
    with pytest.raises(Forbidden, match="read-only"):
        report(store, v["b-read_only"])


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"sharing": "coalition", "tlp": "red"}, "TLP:RED"),
        ({"sharing": "named"}, "at least one member"),
        ({"sharing": "member", "recipients": ["B"]}, "only for sharing 'named'"),
        ({"sharing": "named", "recipients": ["ZZ"]}, "no member 'ZZ'"),
    ],
)
def test_incoherent_sharing_is_refused(store: Store, fields: dict, message: str) -> None:  # type: ignore[type-arg]
    v = coalition(store)
    with pytest.raises(InvalidInput, match=message):
        report(store, v["a-analyst"], **fields)
