"""identify: resolution, standardisation, classes, controls and dates, checked by hand.

Dates used below come from the catalog's sources: the US FRS temporary order began 2018-02-06;
China's class control 2019-05-01; US List I for 4-AP carbamates 2020-05-15 and halides
2023-11-30.
"""

from __future__ import annotations

from datetime import date

import pytest

from chainbreaker.chem.identify import Identifier

TODAY = date(2026, 11, 29)


@pytest.fixture(scope="module")
def ident() -> Identifier:
    return Identifier()


def _classes(result: object) -> dict[str, object]:
    return {c.class_id: c for c in result.classes}  # type: ignore[attr-defined]


def test_fentanyl_by_name_is_schedule_ii_and_not_a_member_of_its_own_class(
    ident: Identifier,
) -> None:
    r = ident.identify("Fentanyl", TODAY)
    assert r.input_kind == "name"
    assert r.substance is not None and r.substance.id == "fentanyl"
    assert r.controlled
    assert any(c.jurisdiction == "US" and "II" in c.category for c in r.controls)
    frs = _classes(r)["us-frs"]
    assert frs.modifications == ()  # type: ignore[attr-defined]
    assert frs.legal_member is False  # type: ignore[attr-defined]


def test_synonym_written_loosely(ident: Identifier) -> None:
    r = ident.identify("Despropionyl Fentanyl", TODAY)
    assert r.substance is not None and r.substance.id == "anpp"
    assert r.controlled


def test_cas_without_hyphens_resolves(ident: Identifier) -> None:
    r = ident.identify("125541222", TODAY)
    assert r.input_kind == "cas"
    assert r.substance is not None and r.substance.cas == "125541-22-2"
    family = _classes(r)["family:4-ap"]
    assert "carbamate" in family.modifications  # type: ignore[attr-defined]
    assert family.designer is False  # type: ignore[attr-defined]  (named by lists)


def test_bad_check_digit_is_an_error_not_a_crash(ident: Identifier) -> None:
    r = ident.identify("125541-22-3", TODAY)
    assert r.error is not None and "check digit" in r.error
    assert r.substance is None and not r.controlled


def test_gem_diol_hydrochloride_resolves_to_4_piperidone_and_says_so(ident: Identifier) -> None:
    r = ident.identify("OC1(O)CCNCC1.Cl", TODAY)
    assert r.input_kind == "smiles"
    assert r.substance is not None and r.substance.id == "4-piperidone"
    # the InChIKey reported is the parent's: 4-piperidone is VRJHQPZVIGNGMX-UHFFFAOYSA-N
    assert r.inchikey == "VRJHQPZVIGNGMX-UHFFFAOYSA-N"
    steps = " ".join(r.standardisation)
    assert "counter-ion" in steps and "gem-diol" in steps
    assert "salt, hydrate or charged form of" in " ".join(r.explanation)
    assert r.controlled


def test_unnamed_cbz_chloro_4ap_is_a_designer_precursor_caught_by_us_list_i(
    ident: Identifier,
) -> None:
    smiles = "O=C(OCc1ccccc1)N1CCC(Nc2ccc(Cl)cc2)CC1"
    r = ident.identify(smiles, TODAY)
    assert r.substance is None
    family = _classes(r)["family:4-ap"]
    assert set(family.modifications) >= {"carbamate", "halide"}  # type: ignore[attr-defined]
    assert family.designer is True  # type: ignore[attr-defined]
    assert any(c.jurisdiction == "US" and c.category == "List I" for c in r.controls)
    assert r.controlled
    # before 2020-05-15 no US rule reached carbamates of 4-AP, and Canada's came in 2023
    assert not ident.identify(smiles, date(2019, 1, 1)).controlled


def test_unlisted_fentanyl_analogue_is_a_legal_frs_with_a_d_e(ident: Identifier) -> None:
    # 2-furylethyl for phenethyl's phenyl (A), 4-chlorophenyl anilide (D), cyclopropanoyl (E)
    smiles = "O=C(C1CC1)N(c1ccc(Cl)cc1)C1CCN(CCc2ccco2)CC1"
    r = ident.identify(smiles, TODAY)
    frs = _classes(r)["us-frs"]
    assert frs.modifications == ("A", "D", "E")  # type: ignore[attr-defined]
    assert frs.legal_member is True  # type: ignore[attr-defined]
    assert "cn-fentanyl-class" in _classes(r)
    assert r.controlled
    assert not ident.identify(smiles, date(2017, 12, 31)).controlled
    us_2018 = ident.identify(smiles, date(2018, 6, 1))
    assert us_2018.controlled
    assert {c.jurisdiction for c in us_2018.controls if c.via_class} == {"US"}


def test_carfentanil_is_excluded_from_the_class_because_scheduled_itself(
    ident: Identifier,
) -> None:
    r = ident.identify("carfentanil", TODAY)
    frs = _classes(r)["us-frs"]
    assert frs.modifications == ("C",)  # type: ignore[attr-defined]
    assert frs.legal_member is False  # type: ignore[attr-defined]
    assert r.controlled
    assert not any(c.via_class == "us-frs" for c in r.controls)


def test_benzylfentanyl_outside_us_class_inside_chinas(ident: Identifier) -> None:
    r = ident.identify("benzylfentanyl", TODAY)
    classes = _classes(r)
    assert "us-frs" not in classes
    assert "cn-fentanyl-class" in classes
    assert "Not a US fentanyl-related substance" in " ".join(r.explanation)


def test_salt_and_deuterated_fentanyl_resolve_to_fentanyl(ident: Identifier) -> None:
    hcl = ident.identify("CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1.Cl", TODAY)
    assert hcl.substance is not None and hcl.substance.id == "fentanyl"
    d5 = ident.identify("[2H]c1c([2H])c([2H])c(N(C(=O)CC)C2CCN(CCc3ccccc3)CC2)c([2H])c1[2H]", TODAY)
    assert d5.substance is not None and d5.substance.id == "fentanyl"


def test_unknown_name_is_not_an_error(ident: Identifier) -> None:
    r = ident.identify("aspirin tablets", TODAY)
    assert r.error is None and r.substance is None and not r.controlled


def test_broken_smiles_is_an_error(ident: Identifier) -> None:
    r = ident.identify("CC(=O)N(c1ccccc1", TODAY)
    assert r.input_kind == "smiles"
    assert r.error is not None


def test_one_bad_query_never_stops_the_batch(ident: Identifier) -> None:
    results = list(ident.identify_many(["fentanyl", "", "125541-22-3", "4-AP"], TODAY))
    assert [r.error is None for r in results] == [True, False, False, True]


def test_json_shape_has_the_contract_fields(ident: Identifier) -> None:
    d = ident.identify("4-AP", TODAY).to_dict()
    for key in (
        "query",
        "input_kind",
        "substance",
        "smiles",
        "inchikey",
        "classes",
        "controls",
        "controlled",
        "explanation",
        "error",
    ):
        assert key in d
    for c in d["controls"]:
        assert {"jurisdiction", "instrument", "category", "effective"} <= set(c)
    for c in d["classes"]:
        assert {"class", "rule", "modifications", "legal_member"} <= set(c)


def test_morphine_is_known_and_in_no_fentanyl_class(ident: Identifier) -> None:
    r = ident.identify("morphine", TODAY)
    assert r.substance is not None
    assert r.controlled
    assert not any(c.class_id in ("us-frs", "cn-fentanyl-class") for c in r.classes)


def test_a_salt_named_by_words_resolves_to_its_parent_and_says_so(ident: Identifier) -> None:
    r = ident.identify("Fentanyl HCl", TODAY)
    assert r.substance is not None and r.substance.id == "fentanyl"
    assert r.resolved_by is not None and "salt or hydrate form (HCl)" in r.resolved_by
    assert r.controlled
