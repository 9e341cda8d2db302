"""Correlation on SQLite and PostgreSQL: links read from shared values within entitlement, the
over-correlation bound counting only what every member sees, name links stored once, and the
migration that moved stored links to values."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg.sql
import pytest
import yaml
from alembic import command
from alembic.config import Config
from sqlalchemy import func, insert, select
from sqlalchemy.dialects.postgresql.psycopg import PGDialect_psycopg as psycopg_dialect

from chainbreaker.exchange.correlation import _links_statement, linked_incidents, links_of
from chainbreaker.exchange.database import _MIGRATIONS, Store, utcnow
from chainbreaker.exchange.identities import Viewer, add_member, add_user
from chainbreaker.exchange.models import Correlation, Incident
from chainbreaker.exchange.settings import DATA_DIR, SETTINGS_ENV, exchange_settings

from .helpers import PASSWORD, coalition, report
from .test_api import Api, api  # noqa: F401  (the fixture)

#: Party names without a word in common (no name links between them).
NAMES = (
    "Orchid Logistics",
    "Quartz Pharma",
    "Maple Freight",
    "Zephyr Imports",
    "Basalt Holdings",
    "Cobalt Chemicals",
    "Juniper Shipping",
)


@pytest.fixture
def small_bounds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Settings with a common bound of 2 incidents, answers of at most 3 links and at most 3
    name candidates per write."""
    settings = yaml.safe_load((DATA_DIR / "exchange.yaml").read_text())
    settings.update(common_value_incidents=2, max_links=3, name_candidates=3)
    path = tmp_path / "exchange.yaml"
    path.write_text(yaml.safe_dump(settings))
    monkeypatch.setenv(SETTINGS_ENV, str(path))
    exchange_settings.cache_clear()
    try:
        yield
    finally:
        monkeypatch.delenv(SETTINGS_ENV)
        exchange_settings.cache_clear()


def _report(store: Store, viewer: Viewer, sharing: str, phone: str) -> int:
    """An incident with the same unresolved substance as every other, a phone and a party
    name of its own."""
    with store.reading() as s:
        n = s.scalar(select(func.count()).select_from(Incident)) or 0
    return report(
        store,
        viewer,
        sharing=sharing,
        substances=[{"name": "Mystery powder X"}],
        parties=[{"role": "consignor", "name": NAMES[n], "phone": phone}],
    )


def _links(store: Store, viewer: Viewer, incident_id: int) -> tuple[list[Any], list[Any]]:
    with store.reading() as s:
        links, common = links_of(s, viewer, incident_id)
    return [(c["incident_id"], c["kind"]) for c in links], common


@pytest.mark.usefixtures("small_bounds")
def test_a_value_held_by_more_than_the_bound_is_common(store: Store) -> None:
    v = coalition(store, ("A", "B"))
    a1 = _report(store, v["a-analyst"], "coalition", phone="+31 20 111 1111")
    a2 = _report(store, v["a-analyst"], "coalition", phone="+31 20 222 2222")
    _report(store, v["a-analyst"], "coalition", phone="+31 20 333 3333")
    b1 = _report(store, v["b-analyst"], "coalition", phone="+31 20 111 1111")
    # the substance is held by 4 incidents every member sees (more than 2): named as common,
    # not linked; the phone links B's report to A's first at once
    links, common = _links(store, v["b-analyst"], b1)
    assert links == [(a1, "phone")]
    assert common == [{"kind": "substance", "value": "Mystery powder X"}]
    # the same from the other side, and for a reader of a third member's role
    assert _links(store, v["a-read_only"], a1) == (
        [(b1, "phone")],
        [{"kind": "substance", "value": "Mystery powder X"}],
    )
    # the network follows the phone, not the common substance
    with store.reading() as s:
        assert list(s.scalars(linked_incidents(v["a-analyst"], {a1}))) == [b1]
        assert list(s.scalars(linked_incidents(v["a-analyst"], {a2}))) == []


@pytest.mark.usefixtures("small_bounds")
def test_the_bound_counts_only_what_every_member_sees(store: Store) -> None:
    v = coalition(store, ("A", "B"))
    phone = "+52 33 1234 5678"
    own = [_report(store, v["a-analyst"], "member", phone=phone) for _ in range(5)]
    b1 = _report(store, v["b-analyst"], "coalition", phone=phone)
    # five of A's own incidents hold the phone, but only B's is seen by every member (1 <= 2):
    # B is told nothing about A's incidents, not even that the phone is common
    assert _links(store, v["b-analyst"], b1) == ([], [])
    # A sees its own five: the three newest (max_links 3); the substance is held by one
    # incident every member sees, so it links too, to the same incidents
    links, common = _links(store, v["a-analyst"], b1)
    assert links == [(own[4], "phone"), (own[4], "substance"), (own[3], "phone")]
    assert common == []


def test_name_links_are_stored_once_and_read_both_ways(store: Store) -> None:
    v = coalition(store, ("A", "B"))
    name = {"role": "consignor", "name": "Hebei Xiuna Trading Co., Ltd.", "kind": "company"}
    a1 = report(store, v["a-analyst"], sharing="coalition", parties=[name])
    b1 = report(
        store,
        v["b-analyst"],
        sharing="coalition",
        parties=[{**name, "name": "HEBEI XIUNA TRADING CO LTD"}],
    )
    with store.reading() as s:
        stored = s.execute(select(Correlation.incident_id, Correlation.related_id)).all()
    assert stored == [(b1, a1)]
    assert _links(store, v["a-analyst"], a1) == ([(b1, "name")], [])
    assert _links(store, v["b-analyst"], b1) == ([(a1, "name")], [])


@pytest.mark.usefixtures("small_bounds")
def test_a_name_sharing_a_rare_word_is_a_candidate_however_many_share_common_ones(
    store: Store,
) -> None:
    v = coalition(store, ("A",))

    def company(name: str) -> int:
        party = {"role": "consignor", "name": name, "kind": "company"}
        return report(store, v["a-analyst"], sharing="coalition", parties=[party])

    first = company("Zanzibar Trading Company")
    for word in ("Orchid", "Quartz", "Maple", "Basalt", "Cobalt"):
        company(f"{word} Trading Company")  # five newer names share two of its three words
    # at most 3 candidates: the name sharing all three words comes first
    last = company("ZANZIBAR TRADING COMPANY LTD")
    with store.reading() as s:
        linked = s.execute(
            select(Correlation.related_id).where(Correlation.incident_id == last)
        ).scalars()
        assert list(linked) == [first]


def test_migration_keeps_name_links_once_and_drops_stored_exact_links(db_url: str) -> None:
    store = Store(db_url)  # at head: back to the schema of 0001
    cfg = Config()
    cfg.set_main_option("script_location", str(_MIGRATIONS))
    with store.write_engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0001")
    with store.writing() as s:
        add_member(s, "A", "member A")
        user = add_user(s, "A", "a-analyst", "analyst")
        now = utcnow()
        common = {
            "member_id": user.member_id,
            "created_by": user.id,
            "kind": "seizure",
            "occurred_on": now.date(),
            "sharing": "member",
            "tlp": "amber",
            "created_at": now,
            "updated_at": now,
            "body": {},
            "search_text": "",
        }
        s.execute(insert(Incident), [{"uid": f"u{i}", **common} for i in (1, 2)])
        link = {"kind": "name", "value": "x", "related_value": "y", "score": 0.9}
        s.execute(
            insert(Correlation),
            [
                {"incident_id": 2, "related_id": 1, **link},
                {"incident_id": 1, "related_id": 2, **link},
                {"incident_id": 2, "related_id": 1, **link, "kind": "phone"},
                {"incident_id": 1, "related_id": 2, **link, "kind": "phone"},
            ],
        )
    store.migrate()
    with store.reading() as s:
        rows = s.execute(select(Correlation.incident_id, Correlation.related_id, Correlation.kind))
        assert rows.all() == [(2, 1, "name")]
    store.dispose()


@pytest.mark.usefixtures("small_bounds")
def test_the_api_and_the_page_name_common_values(api: Api) -> None:  # noqa: F811
    party = {"role": "consignor", "name": "Quartz Pharma", "phone": "+44 20 7946 0000"}
    made = [
        api.post_incident(
            "a-analyst", sharing="coalition", tlp="green", parties=[{**party, "name": name}]
        )
        for name in ("Quartz Pharma", "Maple Freight", "Zephyr Imports")
    ]
    # NPP (INCIDENT's substance) and the phone are held by 3 incidents every member sees
    # (more than 2): the third report's answer names both as common and links to nothing
    last = made[-1]
    assert last["correlations"] == []
    assert sorted((c["kind"], c["value"]) for c in last["common_values"]) == [
        ("phone", "+44 20 7946 0000"),
        ("substance", "NPP (N-phenethyl-4-piperidone)"),
    ]
    login = api.client.post("/login", data={"username": "b-analyst", "password": PASSWORD})
    assert login.status_code in (200, 303)
    page = api.client.get(f"/incidents/{last['id']}").text
    assert 'id="common-values"' in page and "/incidents?substance=NPP" in page


#: The longest statement whose parsing psycopg caches (psycopg._queries); longer ones are
#: parsed again at every execution.
_PSYCOPG_CACHED_LENGTH = 4096


@pytest.mark.parametrize("role", ["admin", "analyst", "read_only"])
def test_the_links_query_is_short_enough_for_psycopg_to_keep_it_parsed(role: str) -> None:
    viewer = Viewer(1, "someone", role, 123456, "LONG-MEMBER-CODE")
    statement = _links_statement(viewer, exchange_settings(), "postgresql")
    text = str(statement.compile(dialect=psycopg_dialect()))  # type: ignore[no-untyped-call]
    assert len(text) < _PSYCOPG_CACHED_LENGTH


def _generic_plan(store: Store, viewer: Viewer, incident_id: int) -> str:
    """PostgreSQL's generic plan (the one a prepared statement keeps) of the links query."""
    statement = _links_statement(viewer, exchange_settings(), "postgresql")
    with store.connecting() as conn:
        compiled = statement.compile(dialect=conn.dialect)
        sql = str(compiled)
        names = list(dict.fromkeys(re.findall(r"%\((\w+)\)s", sql)))
        for i, name in enumerate(names, start=1):
            sql = sql.replace(f"%({name})s", f"${i}")
        values = compiled.construct_params({"incident_id": incident_id})
        raw = conn.connection.dbapi_connection
        assert raw is not None
        raw.execute("SET plan_cache_mode = force_generic_plan")
        kinds = {bool: "boolean", int: "integer", float: "float8", str: "text"}
        types = ", ".join(kinds[type(values[name])] for name in names)
        raw.execute(f"PREPARE links({types}) AS {sql}")
        args = psycopg.sql.SQL(", ").join(psycopg.sql.Literal(values[name]) for name in names)
        plan = raw.execute(f"EXPLAIN (COSTS OFF) EXECUTE links({args.as_string(raw)})").fetchall()
        raw.execute("DEALLOCATE links")
        raw.execute("RESET plan_cache_mode")
    return "\n".join(str(row[0]) for row in plan)


def test_the_common_check_reads_holders_by_primary_key_without_statistics(
    pg_url: str,
) -> None:
    """A young database has no statistics. The generic plan of the links query had counted a
    value's holders by scanning, for each holder, every incident shared with the coalition
    (through the sharing index, thought selective): thousands of rows per read after
    thousands of reports. Each holder's incident is read by its primary key instead."""
    store = Store(pg_url)
    try:
        v = coalition(store, ("A", "B"))
        ids = [_report(store, v["a-analyst"], "coalition", phone="+31 20 111 1111")]
        ids += [_report(store, v["b-analyst"], "coalition", phone="+31 20 111 1111")]
        plan = _generic_plan(store, v["b-read_only"], ids[-1])
    finally:
        store.dispose()
    assert "ix_incidents_sharing" not in plan
    assert "Index Cond: (id = h.incident_id)" in plan
