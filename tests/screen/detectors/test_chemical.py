"""The chemical detector on records built here; scores from data/scoring.yaml by hand."""

from __future__ import annotations

from chainbreaker.screen.detectors.chemical import ChemicalDetector
from chainbreaker.screen.models import Hit
from chainbreaker.screen.records import GoodsLine, Shipment


def record(*goods: GoodsLine, date: str | None = "2025-01-15") -> Shipment:
    return Shipment("r1", "postal", "f.csv", 2, date=date, goods=goods)


def rules(hits: list[Hit]) -> list[tuple[str, float, str | None]]:
    return sorted((h.rule, h.score, h.where) for h in hits)


def test_controlled_precursor_named(chem: ChemicalDetector) -> None:
    hits = chem.detect(record(GoodsLine("chemical sample 1-boc-4-piperidone 99%")))
    assert rules(hits) == [("chem.controlled_mention", 0.9, "goods[0].description")]
    ev = hits[0].evidence
    assert ev["substance_id"] == "1-boc-4-piperidone"
    assert ev["span"] == [16, 34]  # "chemical sample " is 16 characters
    # UN Table I since 3 Dec 2024: in force on the record's date (2025-01-15)
    assert "UN Table I" in ev["controls"]


def test_control_status_follows_the_record_date(chem: ChemicalDetector) -> None:
    before = chem.detect(record(GoodsLine("1-boc-4-piperidone"), date="2024-05-01"))
    assert "UN Table I" not in before[0].evidence["controls"]


def test_obfuscated_name_adds_a_hit(chem: ChemicalDetector) -> None:
    hits = chem.detect(record(GoodsLine("f e n t a n y l")))
    assert rules(hits) == [
        ("chem.controlled_mention", 0.9, "goods[0].description"),
        ("chem.obfuscated", 0.5, "goods[0].description"),
    ]


def test_designer_precursor(chem: ChemicalDetector) -> None:
    hits = chem.detect(record(GoodsLine("1-benzyl-4-piperidone 25kg drum")))
    assert rules(hits) == [("chem.designer_precursor", 0.85, "goods[0].description")]


def test_derivative_hint_instead_of_the_parent(chem: ChemicalDetector) -> None:
    hits = chem.detect(record(GoodsLine("N-Phenyl-4-piperidinone")))
    assert rules(hits) == [("chem.derivative_hint", 0.5, "goods[0].description")]
    assert hits[0].evidence["in_longer_name"] == "N-Phenyl-4-piperidinone"


def test_bad_cas_check_digit(chem: ChemicalDetector) -> None:
    hits = chem.detect(record(GoodsLine("CAS 79099-07-4")))
    assert rules(hits) == [("chem.bad_cas", 0.4, "goods[0].description")]
    assert "3 expected" in hits[0].evidence["error"]


def test_cas_number_alone(chem: ChemicalDetector) -> None:
    # piperidine's CAS number, not in the catalog: only the red flag of a CAS-only description
    hits = chem.detect(record(GoodsLine("CAS 110-89-4 99%")))
    assert rules(hits) == [("chem.cas_only", 0.3, "goods[0].description")]


def test_catalog_cas_alone_gives_both(chem: ChemicalDetector) -> None:
    hits = chem.detect(record(GoodsLine("CAS 79099-07-3 white powder")))
    assert rules(hits) == [
        ("chem.cas_only", 0.3, "goods[0].description"),
        ("chem.controlled_mention", 0.9, "goods[0].description"),
    ]


def test_uncontrolled_catalog_chemical(chem: ChemicalDetector) -> None:
    hits = chem.detect(record(GoodsLine("aniline oil 1L")))
    assert rules(hits) == [("chem.uncontrolled_mention", 0.1, "goods[0].description")]


def test_cas_field_of_an_order_and_a_conflict(chem: ChemicalDetector) -> None:
    # the description says 4-AP, the CAS field is 1-boc-4-piperidone's number
    hits = chem.detect(record(GoodsLine("4-AP", cas="79099-07-3")))
    assert rules(hits) == [
        ("chem.cas_name_conflict", 0.5, "goods[0].cas"),
        ("chem.controlled_mention", 0.9, "goods[0].cas"),
        ("chem.controlled_mention", 0.9, "goods[0].description"),
    ]


def test_cas_field_agreeing_with_the_description(chem: ChemicalDetector) -> None:
    hits = chem.detect(record(GoodsLine("1-boc-4-piperidone", cas="79099-07-3")))
    assert [h.rule for h in hits] == ["chem.controlled_mention", "chem.controlled_mention"]


def test_bad_cas_field(chem: ChemicalDetector) -> None:
    hits = chem.detect(record(GoodsLine("reagent", cas="79099-07-4")))
    assert rules(hits) == [("chem.bad_cas", 0.4, "goods[0].cas")]


def test_ordinary_goods_give_nothing(chem: ChemicalDetector) -> None:
    assert chem.detect(record(GoodsLine("phone case"), GoodsLine("cotton t-shirt"))) == []


def test_batch_scan_equals_one_by_one(chem: ChemicalDetector) -> None:
    records = [
        record(GoodsLine("phone case"), GoodsLine("4-AP")),
        record(GoodsLine("f e n t a n y l")),
        record(),
        record(GoodsLine("4-AP")),
    ]
    batch = chem.scan_many(records)
    assert [sorted(m) for m in batch] == [[1], [0], [], [0]]
    for r, mentions in zip(records, batch, strict=True):
        assert chem.detect(r, mentions) == chem.detect(r)
