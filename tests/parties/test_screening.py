"""Screening queries against a small list built in the test: outcomes reasoned by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from chainbreaker.parties.models import ListedEntity, ListedName, ListInfo, LoadedList
from chainbreaker.parties.screening import PartyQuery, Screener

ENTITIES = [
    ListedEntity("t", "1", "Person", (ListedName("XIA, Fengbing"),), ("1975-03-02",), ("CN",)),
    ListedEntity("t", "2", "Person", (ListedName("GIRALDO FRANCO, Juan Carlos"),), (), ("CO",)),
    ListedEntity("t", "3", "Person", (ListedName("OLIVAS OJEDA, Juan Carlos"),), (), ("MX",)),
    ListedEntity("t", "4", "Company", (ListedName("HEBEI XIUNA TRADING CO., LTD."),)),
    ListedEntity(
        "t",
        "5",
        "Person",
        (ListedName("ZHANG, Jian"), ListedName("JIAN", kind="aka", weak=True)),
    ),
    ListedEntity("t", "6", "Company", (ListedName("CLAN DEL GOLFO"),)),
    ListedEntity("t", "7", "Company", (ListedName("GOLFO SHIPPING AND TRADING S.A."),)),
    ListedEntity("t", "8", "Person", (ListedName("HERNANDEZ LOPEZ, Maria Elena"),)),
]


@pytest.fixture(scope="module")
def screener() -> Screener:
    info = ListInfo("t", "test list", "csv", "t.csv", "0" * 64, None, len(ENTITIES), 0)
    return Screener([LoadedList(info, list(ENTITIES))], threshold=0.8)


def _top(screener: Screener, name: str, schema: str | None = None, **kw: str) -> tuple[str, float]:
    matches = screener.screen(PartyQuery("q", name, schema, **kw))
    assert matches, f"no match for {name!r}"
    return matches[0].entity_id, matches[0].score


@pytest.mark.parametrize(
    ("name", "entity"),
    [
        ("Hsia Feng-ping", "1"),  # Wade-Giles, hyphenated given name
        ("FENGBING XIA", "1"),  # given name first
        ("张建", "5"),  # Han characters
        ("Juan Carlos Giraldo", "2"),  # paternal surname only
        ("XIUNA TRADING CO LTD", "4"),  # province dropped, legal form written otherwise
        ("CLANDEL GOLFO", "6"),  # words written together
        ("Ma. Elena Hernandez Lopez", "8"),  # abbreviated given name
    ],
)
def test_variants_match_their_entity(screener: Screener, name: str, entity: str) -> None:
    top, score = _top(screener, name)
    assert top == entity
    assert score >= screener.threshold


def test_an_exact_name_scores_one(screener: Screener) -> None:
    assert _top(screener, "CLAN DEL GOLFO") == ("6", 1.0)


def test_a_different_maternal_surname_does_not_match(screener: Screener) -> None:
    # same given names and paternal surname, another maternal surname: another person
    matches = screener.screen(PartyQuery("q", "Juan Carlos Olivas Rosales", "Person"))
    assert all(not m.match for m in matches)


def test_a_contradicting_date_of_birth_lowers_the_score(screener: Screener) -> None:
    _, plain = _top(screener, "Xia Fengbing")
    _, wrong = _top(screener, "Xia Fengbing", dob="1990-01-01")
    _, right = _top(screener, "Xia Fengbing", dob="1975-03-02")
    assert plain == 1.0 and right == 1.0
    assert wrong == pytest.approx(plain * 0.72, abs=1e-4)  # dob_conflict_factor


def test_a_person_does_not_match_a_company_of_the_same_name(screener: Screener) -> None:
    matches = screener.screen(PartyQuery("q", "Clan del Golfo", "Person"))
    assert matches[0].entity_id == "6" and not matches[0].match


def test_a_weak_alias_alone_is_not_a_match(screener: Screener) -> None:
    matches = screener.screen(PartyQuery("q", "Jian", "Person"))
    assert all(not m.match for m in matches)


def test_every_returned_candidate_scores_at_least_min_score(screener: Screener) -> None:
    for name in ("Golfo", "Juan Carlos", "Trading"):
        for m in screener.screen(PartyQuery("q", name), min_score=0.5):
            assert m.score >= 0.5


def test_the_match_explains_itself(screener: Screener) -> None:
    (m, *_) = screener.screen(PartyQuery("q", "Hsia Feng-ping", "Person", country="CN"))
    d = m.to_dict()
    assert set(d) == {"list", "entity_id", "name", "matched_name", "score", "match", "explanation"}
    e = d["explanation"]
    assert e["matcher"] == screener.version
    assert {p["how"] for p in e["pairs"]} == {"romanisation"}
    assert [f["feature"] for f in e["features"]][:1] == ["name"]
    assert any(f["feature"] == "country" for f in e["features"])
    assert "XIA, Fengbing" in e["summary"]


def test_nothing_to_screen_gives_nothing(screener: Screener) -> None:
    assert screener.screen(PartyQuery("q", "  ,.;  ")) == []


def test_names_prepared_in_the_store_give_the_same_answers(tmp_path: Path) -> None:
    from chainbreaker.parties.store import ListStore

    info = ListInfo("t", "test list", "csv", "t.csv", "1" * 64, None, len(ENTITIES), 0)
    loaded = LoadedList(info, list(ENTITIES))
    store = ListStore(tmp_path)
    first = Screener([loaded], store=store)  # prepares the names and keeps them
    second = Screener([loaded], store=store)  # reads them back
    assert list((tmp_path / "blobs").glob("*.json.gz"))
    for name in ("Hsia Feng-ping", "张建", "CLANDEL GOLFO", "Juan Carlos Giraldo"):
        q = PartyQuery("q", name)
        assert [m.to_dict() for m in first.screen(q)] == [m.to_dict() for m in second.screen(q)]
