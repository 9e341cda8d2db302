"""Pipeline.decide end to end: a tiny watch list and indicator file written by the test."""

from __future__ import annotations

from pathlib import Path

import pytest

from chainbreaker.screen.pipeline import (
    Context,
    Pipeline,
    ScreenConfig,
    context_from_batches,
    context_minimums,
)
from chainbreaker.screen.records import GoodsLine, Party, Shipment, batch_from_shipments

SHENZHEN = Party("shipper", "Shenzhen Bright Star Electronics Co Ltd", country="CN")


def rec(n: int, *goods: GoodsLine, parties: tuple[Party, ...] = (), **kw: object) -> Shipment:
    consignee = Party(
        "consignee", "Mary Johnson", address="12 Oak St", city="Houston", country="US"
    )
    fields: dict[str, object] = {
        "date": "2025-01-15",
        "category": "sale of goods",
        "origin_country": "CN",
        "total_value": 25.0,
        "total_weight_kg": 0.4,
        "parties": parties or (SHENZHEN, consignee),
        "goods": goods or (GoodsLine("phone case", "392690", 2, "pcs", 0.2, 25.0),),
    }
    return Shipment(f"r{n}", "express", "day.csv", n + 1, **(fields | kw))  # type: ignore[arg-type]


RECORDS = [
    rec(1),  # clean
    rec(2, parties=(Party("shipper", "Hebei Xiuna Trading Co., Ltd.", country="CN"),)),  # listed
    rec(3, GoodsLine("4-AP 99% white powder", "293339", 1, "kg", 1.0, 5.0)),  # precursor
    rec(4, parties=(SHENZHEN, Party("consignee", "Pedro Diaz", phone="+52 664 123 4567"))),  # phone
    rec(5, GoodsLine("gift", None, 1, "pcs", 0.2, 25.0)),  # one weak signal
    rec(6, GoodsLine("gift", None, 1, "pcs", 0.2, 0.5), total_value=0.5),  # two weak signals
]


@pytest.fixture(scope="module")
def config(tmp_path_factory: pytest.TempPathFactory) -> ScreenConfig:
    root = tmp_path_factory.mktemp("pipeline")
    watch = root / "watch.csv"
    watch.write_text(
        "id,name,schema,country\nW1,HEBEI XIUNA TRADING CO LTD,Company,CN\n", encoding="utf-8"
    )
    indicators = root / "indicators.csv"
    indicators.write_text(
        "kind,value,source,note\nphone,+52 664 123 4567,exchange,drop address\n", encoding="utf-8"
    )
    return ScreenConfig(lists=(f"{watch}:csv",), indicators=str(indicators))


@pytest.fixture(scope="module")
def pipeline(config: ScreenConfig, tmp_path_factory: pytest.TempPathFactory) -> Pipeline:
    mp = pytest.MonkeyPatch()
    mp.setenv("CHAINBREAKER_HOME", str(tmp_path_factory.mktemp("home")))
    try:
        return Pipeline(config)
    finally:
        mp.undo()


def test_decisions_end_to_end(pipeline: Pipeline) -> None:
    got = [
        (d.record_id, d.decision, [h.rule for h in d.hits]) for d in map(pipeline.decide, RECORDS)
    ]
    assert got == [
        ("r1", "clear", []),
        ("r2", "hold", ["party.listed"]),
        # 0.9 controlled, 0.4 vague chemical... no: "4-AP 99% white powder" names 4-AP, so the
        # description is not vague; catch-all 0.15 + catch-all with a chemical 0.3
        ("r3", "hold", ["chem.controlled_mention", "hs.catch_all_chemical", "hs.catch_all"]),
        ("r4", "hold", ["indicator.phone"]),
        ("r5", "clear", ["rule.vague_description"]),
        ("r6", "review", ["rule.low_value", "rule.vague_description"]),
    ]


def test_risks_by_hand(pipeline: Pipeline) -> None:
    risks = [d.risk for d in map(pipeline.decide, RECORDS)]
    assert risks[0] == 0.0
    assert risks[1] == 1.0  # the listed name exactly: match score 1.0
    # 0.9 alone; the weak group 1 - 0.85 * 0.7 = 0.405; together 1 - 0.1 * 0.595 = 0.9405
    assert risks[2] == pytest.approx(0.9405)
    assert risks[3] == pytest.approx(0.8)  # the same digits: exact
    assert risks[4] == pytest.approx(0.2)
    assert risks[5] == pytest.approx(0.36)


def test_batch_equals_one_by_one(pipeline: Pipeline) -> None:
    batch = batch_from_shipments(RECORDS)
    assert pipeline.decide_batch(batch) == [pipeline.decide(r) for r in RECORDS]


def test_version_names_the_matcher_and_list(pipeline: Pipeline) -> None:
    assert pipeline.version.startswith("detectors-")
    assert "+matcher-" in pipeline.version
    assert "+watch@" in pipeline.version


def test_context_repeated_consignee(
    config: ScreenConfig, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHAINBREAKER_HOME", str(tmp_path))
    parcels = [rec(10 + i) for i in range(5)]
    context = context_from_batches([batch_from_shipments(parcels)])
    assert isinstance(context, Context)
    d = Pipeline(config, context).decide(parcels[0])
    # 0.35 alone: review (the split-parcel pattern)
    assert (d.decision, [h.rule for h in d.hits]) == ("review", ["rule.repeated_consignee"])
    assert d.risk == pytest.approx(0.35)
    # with a vague description too: 1 - 0.65 * 0.8 = 0.48
    vague = rec(10, GoodsLine("gift", None, 1, "pcs", 0.2, 25.0))
    d = Pipeline(config, context).decide(vague)
    assert (d.decision, d.risk) == ("review", pytest.approx(0.48))


def test_thresholds_from_the_config(
    config: ScreenConfig, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHAINBREAKER_HOME", str(tmp_path))
    strict = ScreenConfig(config.lists, config.indicators, thresholds=(0.1, 0.3))
    d = Pipeline(strict).decide(RECORDS[4])
    assert d.decision == "review"


def test_no_lists_no_party_hits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHAINBREAKER_HOME", str(tmp_path))
    p = Pipeline(ScreenConfig())
    assert p.parties is None and p.indicators is None
    assert p.decide(RECORDS[1]).decision == "clear"
    assert "matcher-none" in p.version


def test_shared_ofac_list_if_present(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sdn = (
        Path(__file__).resolve().parents[2].parent
        / "shared"
        / "screening"
        / "data"
        / "ofac_sdn_2024-05-03"
        / "sdn.csv"
    )
    if not sdn.exists():
        pytest.skip("the shared OFAC list is not here")
    monkeypatch.setenv("CHAINBREAKER_HOME", str(tmp_path))
    p = Pipeline(ScreenConfig(lists=(str(sdn),)))
    d = p.decide(rec(1, parties=(Party("shipper", "HEBEI XIUNA TRADING CO., LTD.", country="CN"),)))
    assert d.decision == "hold"
    assert d.hits[0].evidence["list"] == "ofac-sdn"


def test_a_failing_detector_sends_the_record_to_review(
    pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Broken:
        """An indicator detector that fails on every record (the detectors may be compiled
        classes, whose methods cannot be patched: the whole detector is replaced)."""

        def detect(self, shipment: Shipment) -> list[object]:
            raise ValueError("bad phone field")

    assert pipeline.indicators is not None
    monkeypatch.setattr(pipeline, "indicators", Broken())
    d = pipeline.decide(RECORDS[0])
    assert (d.decision, [h.rule for h in d.hits]) == ("review", ["screen.error"])
    assert "bad phone field" in d.hits[0].reason


def test_context_minimums_from_the_rules(tmp_path: Path) -> None:
    # packaged rules: rule.repeated_consignee (consignee, min_count 5) and
    # rule.repeated_address (address_day, min_count 8); no rule asks about consignee_day
    assert context_minimums(ScreenConfig()) == {"consignee": 5, "address_day": 8}
    user = tmp_path / "rules.yaml"
    user.write_text(
        "rules:\n"
        "  - id: rule.repeated_address\n"
        "    enabled: false\n"
        "  - id: rule.same_day_twice\n"
        "    kind: repeated_consignee\n"
        "    description: the same consignee twice in a day\n"
        "    score: 0.1\n"
        "    reason: '{count} parcels'\n"
        "    source: test\n"
        "    params: {context_key: consignee_day, min_count: 1, max_weight_kg: 1}\n",
        encoding="utf-8",
    )
    assert context_minimums(ScreenConfig(rules=str(user))) == {"consignee": 5, "consignee_day": 2}


def test_a_party_country_on_a_manifest_does_not_count_against_a_listed_person(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # scoring.yaml: party.country_conflict_factor 1.0; the matcher alone would take 0.93 off a
    # listed Mexican national whose parcel goes to an address in the US
    monkeypatch.setenv("CHAINBREAKER_HOME", str(tmp_path / "home"))
    watch = tmp_path / "watch.csv"
    watch.write_text(
        'id,name,schema,country\nP1,"SALDIVAR CORONA, Maria Elena",Person,MX\n',
        encoding="utf-8",
    )
    pipeline = Pipeline(ScreenConfig(lists=(f"{watch}:csv",)))

    def listed_score(country: str | None) -> float:
        who = Party("consignee", "Maria Elena Saldivar", country=country)  # one surname
        hits = pipeline.decide(rec(1, parties=(SHENZHEN, who))).hits
        (hit,) = [h for h in hits if h.rule.startswith("party.")]
        assert hit.rule == "party.listed"
        return float(hit.evidence["match_score"])

    assert listed_score("US") == listed_score(None)
    assert listed_score("MX") > listed_score(None)  # a country the list holds still supports
