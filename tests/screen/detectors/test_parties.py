"""The party detector against a tiny watch list written by the test."""

from __future__ import annotations

import pytest

from chainbreaker.parties.screening import Screener
from chainbreaker.parties.store import ListStore
from chainbreaker.screen.detectors.parties import PartyDetector, party_country
from chainbreaker.screen.records import Party, Shipment


@pytest.fixture(scope="module")
def detector(tmp_path_factory: pytest.TempPathFactory) -> PartyDetector:
    root = tmp_path_factory.mktemp("parties")
    watch = root / "watch.csv"
    watch.write_text(
        "id,name,schema,country\n"
        "W1,HEBEI XIUNA TRADING CO LTD,Company,CN\n"
        "W2,GUZMAN LOERA Joaquin Archivaldo,Person,MX\n",
        encoding="utf-8",
    )
    store = ListStore(root / "store")
    screener = Screener([store.open(f"{watch}:csv")], threshold=0.8)
    return PartyDetector(screener, candidate_min=0.5, candidate_factor=0.3)


def record(*parties: Party) -> Shipment:
    return Shipment("r1", "express", "f.csv", 2, parties=parties)


def test_party_country() -> None:
    assert party_country("cn") == "CN"
    assert party_country("China") == "CN"
    assert party_country("Atlantis") is None
    assert party_country(None) is None


def test_listed_shipper(detector: PartyDetector) -> None:
    hits = detector.detect(record(Party("shipper", "Hebei Xiuna Trading Co., Ltd.", country="CN")))
    assert len(hits) == 1
    h = hits[0]
    assert (h.rule, h.where) == ("party.listed", "parties[shipper].name")
    assert h.score == h.evidence["match_score"] >= 0.8
    assert (h.evidence["entity_id"], h.evidence["listed_name"]) == (
        "W1",
        "HEBEI XIUNA TRADING CO LTD",
    )
    assert h.evidence["list"] == "watch"


def test_candidate_under_the_threshold_is_a_low_hit(detector: PartyDetector) -> None:
    # one given name of two and the second surname missing: close, not a match
    hits = detector.detect(record(Party("consignee", "Guzman Joaquin")))
    assert [h.rule for h in hits] == ["party.candidate"]
    match = hits[0].evidence["match_score"]
    assert 0.5 <= match < 0.8
    assert hits[0].score == round(match * 0.3, 4)


def test_one_hit_per_party_and_no_hit_for_others(detector: PartyDetector) -> None:
    hits = detector.detect(
        record(
            Party("shipper", "Shenzhen Bright Star Electronics Co Ltd"),
            Party("consignee", "Mary Johnson"),
            Party("notify", "HEBEI XIUNA TRADING CO LTD"),
            Party("buyer", None),
        )
    )
    assert [(h.rule, h.where) for h in hits] == [("party.listed", "parties[notify].name")]


def test_names_are_memoised(detector: PartyDetector) -> None:
    before_q, before_m = detector.queries, detector.memo_hits
    detector.detect(
        record(
            Party("shipper", "Ningbo Ocean Trade Co"), Party("exporter", "NINGBO  ocean trade co")
        )
    )
    assert detector.queries - before_q == 1
    assert detector.memo_hits - before_m == 1


def test_a_full_memo_forgets_its_older_half(detector: PartyDetector) -> None:
    small = PartyDetector(detector.screener, candidate_min=0.5, memo_limit=4)
    for name in ("Ana Ruiz", "Bo Chen", "Carla Diaz", "Dan Wu"):
        small.best(name, None)
    assert small.queries == 4
    small.best("Eva Lind", None)  # full: Ana Ruiz and Bo Chen forgotten, then Eva Lind kept
    small.best("Carla Diaz", None)  # still known
    assert (small.queries, small.memo_hits) == (5, 1)
    small.best("Ana Ruiz", None)  # forgotten: screened again
    assert (small.queries, small.memo_hits) == (6, 1)
