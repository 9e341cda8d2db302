"""The HS code detector: codes and consistency, with scores from data/hs_codes.yaml."""

from __future__ import annotations

import pytest

from chainbreaker.errors import DataError
from chainbreaker.screen.detectors.chemical import ChemicalDetector
from chainbreaker.screen.detectors.hs_codes import HsDetector, digits, load_hs_table, pretty
from chainbreaker.screen.records import GoodsLine, Shipment


@pytest.fixture(scope="module")
def hs() -> HsDetector:
    # NPP and ANPP have their own subheadings in the catalog
    return HsDetector(load_hs_table(), {"npp": "293337", "anpp": "293336"})


def hits_of(
    hs: HsDetector, chem: ChemicalDetector, description: str, code: str
) -> list[tuple[str, float]]:
    s = Shipment("r1", "express", "f.csv", 2, goods=(GoodsLine(description, code),))
    mentions = chem.scan_many([s])[0]
    return sorted((h.rule, h.score) for h in hs.detect(s, mentions))


def test_digits_and_pretty() -> None:
    assert digits("2933.39.00") == "29333900"
    assert digits(None) == ""
    assert pretty("293339") == "2933.39"
    assert pretty("2933390000") == "2933.39.0000"


def test_precursor_subheadings(hs: HsDetector, chem: ChemicalDetector) -> None:
    assert hits_of(hs, chem, "industrial solvent", "293337") == [("hs.precursor_code", 0.8)]
    assert hits_of(hs, chem, "industrial solvent", "2933.36.00.00") == [("hs.precursor_code", 0.8)]


def test_fentanyl_and_piperidine_subheadings(hs: HsDetector, chem: ChemicalDetector) -> None:
    assert hits_of(hs, chem, "lab standard", "293334") == [("hs.fentanyl_code", 0.85)]
    assert hits_of(hs, chem, "lab standard", "293492") == [("hs.fentanyl_code", 0.85)]
    assert hits_of(hs, chem, "medicine", "293333") == [("hs.fentanyl_code", 0.6)]
    assert hits_of(hs, chem, "solvent", "293332") == [("hs.piperidine_code", 0.4)]


def test_catch_all_alone_and_with_a_chemical(hs: HsDetector, chem: ChemicalDetector) -> None:
    assert hits_of(hs, chem, "pyridine derivative", "293339") == [("hs.catch_all", 0.15)]
    assert hits_of(hs, chem, "4-AP 99%", "2933390000") == [
        ("hs.catch_all", 0.15),
        ("hs.catch_all_chemical", 0.3),
    ]


def test_npp_under_the_catch_all_is_the_wrong_code(hs: HsDetector, chem: ChemicalDetector) -> None:
    assert hits_of(hs, chem, "N-phenethyl-4-piperidone", "293339") == [
        ("hs.catch_all", 0.15),
        ("hs.catch_all_chemical", 0.3),
        ("hs.wrong_code", 0.4),
    ]


def test_chemical_code_on_consumer_goods(hs: HsDetector, chem: ChemicalDetector) -> None:
    assert hits_of(hs, chem, "Phone Case", "293339") == [
        ("hs.catch_all", 0.15),
        ("hs.description_mismatch", 0.45),
    ]
    assert hits_of(hs, chem, "cotton t-shirt", "2915") == [("hs.description_mismatch", 0.45)]
    assert hits_of(hs, chem, "手机壳", "291511") == [("hs.description_mismatch", 0.45)]
    # "ring" is a consumer word only as a whole word, not inside "piperidine ring compound"
    assert hits_of(hs, chem, "stirring rod", "291511") == []


def test_consumer_code_on_a_chemical(hs: HsDetector, chem: ChemicalDetector) -> None:
    assert hits_of(hs, chem, "T-shirt 1-boc-4-piperidone", "610910") == [
        ("hs.description_mismatch", 0.55)
    ]
    # ANPP has its own subheading: a T-shirt code is also the wrong code
    assert hits_of(hs, chem, "ANPP", "610910") == [
        ("hs.description_mismatch", 0.55),
        ("hs.wrong_code", 0.4),
    ]


def test_consistent_or_short_codes_give_nothing(hs: HsDetector, chem: ChemicalDetector) -> None:
    assert hits_of(hs, chem, "phone case", "392690") == []
    assert hits_of(hs, chem, "4-AP", "29") == []  # under 4 digits: not read
    assert hits_of(hs, chem, "NPP", "293337") == [("hs.precursor_code", 0.8)]


def test_malformed_table_is_a_data_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "hs.yaml"
    bad.write_text("codes:\n  - {code: '293339'}\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"hs\.yaml"):
        load_hs_table(bad)
