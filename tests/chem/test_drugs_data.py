"""Hand-checked facts about the drug entries of the catalog (substances/drugs.yaml).

Expected values come from the sources cited in the catalog (Federal Register orders, 21 CFR 1308,
HS 2022 subheadings) and from chemistry worked out by hand (molecular formulas, the acetyl and
methyl groups that relate heroin to morphine and hydrocodone to hydromorphone), not from the
program's output.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
import yaml
from rdkit import Chem, RDLogger
from rdkit.Chem.rdMolDescriptors import CalcMolFormula

from chainbreaker.chem.catalog import Catalog, load_catalog
from chainbreaker.chem.models import Control, Substance
from chainbreaker.chem.names import name_key

RDLogger.DisableLog("rdApp.*")

DRUGS_YAML = (
    Path(__file__).resolve().parents[2] / "src/chainbreaker/chem/data/substances/drugs.yaml"
)
REFERENCE = Path(__file__).resolve().parents[2].parent / "shared" / "reference" / "chem"
POSITIVES = REFERENCE / "dev_frs_positives.csv"
NEGATIVES = REFERENCE / "dev_frs_negatives.csv"
# the opioid rows of dev_frs_negatives.csv (the others are precursors or look-alikes)
NEGATIVE_OPIOIDS = {
    "Morphine",
    "Codeine",
    "Hydromorphone",
    "Naltrexone",
    "Methadone",
    "Tapentadol",
    "Loperamide",
    "U-47700",
    "MT-45",
    "Isotonitazene",
    "Protonitazene",
    "N-Pyrrolidino etonitazene (etonitazepyne)",
    "Alfentanil",
}


def _drug_ids() -> list[str]:
    with DRUGS_YAML.open(encoding="utf-8") as fh:
        return [e["id"] for e in yaml.safe_load(fh)["substances"]]


DRUG_IDS = _drug_ids()


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def _get(catalog, substance_id: str) -> Substance:
    return catalog.get(substance_id)


def _controls(s: Substance, jurisdiction: str) -> list[Control]:
    return [c for c in s.controls if c.jurisdiction == jurisdiction and c.via_class is None]


def _categories(s: Substance, jurisdiction: str) -> set[str]:
    return {c.category for c in _controls(s, jurisdiction)}


def _mol(smiles: str) -> Chem.Mol:
    mol = Chem.MolFromSmiles(smiles)
    assert mol is not None, smiles
    return mol


# --- every entry -----------------------------------------------------------------------------


@pytest.mark.parametrize("substance_id", DRUG_IDS)
def test_inchikey_is_that_of_the_smiles(catalog: Catalog, substance_id: str) -> None:
    s = _get(catalog, substance_id)
    assert s.smiles and s.inchikey
    assert Chem.MolToInchiKey(_mol(s.smiles)) == s.inchikey


@pytest.mark.parametrize("substance_id", DRUG_IDS)
def test_every_drug_entry_is_a_drug_with_sources(catalog: Catalog, substance_id: str) -> None:
    s = _get(catalog, substance_id)
    assert s.role == "drug"
    assert s.sources
    for c in s.controls:
        assert c.sources and all(src in catalog.sources for src in c.sources)


def test_names_of_drug_entries_do_not_collide() -> None:
    with DRUGS_YAML.open(encoding="utf-8") as fh:
        entries = yaml.safe_load(fh)["substances"]
    owner: dict[str, str] = {}
    for e in entries:
        for form in [e["name"], *e["synonyms"]]:
            key = name_key(form)
            assert owner.setdefault(key, e["id"]) == e["id"], (form, owner[key], e["id"])


# --- molecular formulas worked out by hand ------------------------------------------------------

FORMULAS = {
    "fentanyl": "C22H28N2O",
    "acetylfentanyl": "C21H26N2O",  # fentanyl minus CH2
    "butyrfentanyl": "C23H30N2O",  # fentanyl plus CH2
    "valerylfentanyl": "C24H32N2O",
    "crotonylfentanyl": "C23H28N2O",  # butyryl with one C=C
    "ocfentanil": "C22H27FN2O2",  # methoxyacetyl (C3H5O2) on a 2-fluoroanilino
    "sufentanil": "C22H30N2O2S",
    "remifentanil": "C20H28N2O5",
    "carfentanil": "C24H30N2O3",
    "alpha-methylthiofentanyl": "C21H28N2OS",
    "fentanyl-carbamate": "C22H28N2O2",  # ethoxycarbonyl instead of propanoyl: one O more
    "2-fluoro-ortho-fluorofentanyl": "C22H26F2N2O",
    "heroin": "C21H23NO5",  # morphine C17H19NO3 + 2 x C2H2O
    "hydrocodone": "C18H21NO3",
    "oxymorphone": "C17H19NO4",
    "oxycodone": "C18H21NO4",
    "naloxone": "C19H21NO4",
    "buprenorphine": "C29H41NO4",
    "pethidine": "C15H21NO2",
    "tramadol": "C16H25NO2",
    "xylazine": "C12H16N2S",
    "metonitazene": "C21H26N4O3",
    "brorphine": "C20H22BrN3O",
}


@pytest.mark.parametrize(("substance_id", "formula"), sorted(FORMULAS.items()))
def test_formula(catalog: Catalog, substance_id: str, formula: str) -> None:
    s = _get(catalog, substance_id)
    assert s.smiles
    assert CalcMolFormula(_mol(s.smiles)) == formula


def test_crotonylfentanyl_is_the_e_isomer(catalog: Catalog) -> None:
    s = _get(catalog, "crotonylfentanyl")
    assert s.smiles
    mol = _mol(s.smiles)
    stereo = [b.GetStereo() for b in mol.GetBonds() if b.GetStereo() != Chem.BondStereo.STEREONONE]
    assert stereo == [Chem.BondStereo.STEREOE]


def _dev_row(path: Path, name: str) -> dict[str, str]:
    if not path.exists():
        pytest.skip(f"{path} not present")
    with path.open(encoding="utf-8") as fh:
        rows = {r["name"]: r for r in csv.DictReader(fh)}
    return rows[name]


def _cut(smiles: str, query: str, keep: int) -> str:
    """InChIKey after deleting, in every match of `query`, the atoms after position `keep`.

    The atom at `keep` stays and gets hydrogens in place of what was cut off.
    """
    mol = _mol(smiles)
    matches = mol.GetSubstructMatches(Chem.MolFromSmarts(query))
    assert matches, query
    doomed = sorted({i for m in matches for i in m[keep + 1 :]}, reverse=True)
    rw = Chem.RWMol(mol)
    for idx in doomed:
        rw.RemoveAtom(idx)
    out = rw.GetMol()
    Chem.SanitizeMol(out)
    return Chem.MolToInchiKey(out)


def test_heroin_hydrolysed_is_the_dev_set_morphine(catalog: Catalog) -> None:
    morphine = _dev_row(NEGATIVES, "Morphine")
    heroin = _get(catalog, "heroin")
    assert heroin.smiles
    # cut both acetyl groups off their oxygens: each O-C(=O)CH3 becomes O-H
    assert _cut(heroin.smiles, "[OX2]C(=O)[CH3]", keep=0) == morphine["inchikey"]


def test_hydrocodone_demethylated_is_the_dev_set_hydromorphone(catalog: Catalog) -> None:
    hydromorphone = _dev_row(NEGATIVES, "Hydromorphone")
    hydrocodone = _get(catalog, "hydrocodone")
    assert hydrocodone.smiles
    assert _cut(hydrocodone.smiles, "c[OX2][CH3]", keep=1) == hydromorphone["inchikey"]


def test_oxycodone_and_oxymorphone_differ_by_the_aryl_methyl(catalog: Catalog) -> None:
    oxycodone = _get(catalog, "oxycodone")
    oxymorphone = _get(catalog, "oxymorphone")
    assert oxycodone.smiles
    assert _cut(oxycodone.smiles, "c[OX2][CH3]", keep=1) == oxymorphone.inchikey


# --- the development sets ---------------------------------------------------------------------


def _rows(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        pytest.skip(f"{path} not present")
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_every_positive_row_is_in_the_catalog_with_its_synonyms(catalog: Catalog) -> None:
    rows = _rows(POSITIVES)
    assert len(rows) >= 20
    for row in rows:
        s = catalog.by_inchikey(row["inchikey"])
        assert s is not None and s.id in DRUG_IDS, row["name"]
        name = row["name"].removesuffix(" (reference parent)")
        assert catalog.by_name(name) is s, row["name"]
        for synonym in filter(None, row["synonyms"].split(";")):
            assert catalog.by_name(synonym) is s, (row["name"], synonym)


def test_every_opioid_negative_row_is_in_the_catalog(catalog: Catalog) -> None:
    rows = [r for r in _rows(NEGATIVES) if r["name"] in NEGATIVE_OPIOIDS]
    assert len(rows) == len(NEGATIVE_OPIOIDS)
    for row in rows:
        s = catalog.by_inchikey(row["inchikey"])
        assert s is not None and s.id in DRUG_IDS, row["name"]


# --- identifiers ------------------------------------------------------------------------------


def test_fentanyl_identifiers(catalog: Catalog) -> None:
    fentanyl = _get(catalog, "fentanyl")
    assert fentanyl.cas == "437-38-7"
    assert catalog.by_cas("990-73-8") is fentanyl  # the citrate
    assert catalog.by_cas("437387") is fentanyl
    assert fentanyl.hs_code == "2933.33"
    for name in (
        "fentanilo",
        "Fentanyl",
        "FENTANYL CITRATE",
        "N-phenyl-N-[1-(2-phenylethyl)piperidin-4-yl]propanamide",
    ):
        assert catalog.by_name(name) is fentanyl, name


@pytest.mark.parametrize(
    ("name", "substance_id"),
    [
        ("carfentanilo", "carfentanil"),
        ("sufentanilo", "sufentanil"),
        ("remifentanilo", "remifentanil"),
        ("morfina", "morphine"),
        ("heroína", "heroin"),
        ("diacetylmorphine", "heroin"),
        ("meperidine", "pethidine"),
        ("β-hydroxy-3-methylfentanyl", "beta-hydroxy-3-methylfentanyl"),
        ("ohmefentanyl", "beta-hydroxy-3-methylfentanyl"),
        ("2-fluorofentanyl", "ortho-fluorofentanyl"),
        ("p-fluorofentanyl", "para-fluorofentanyl"),
        ("N-pyrrolidino etonitazene", "etonitazepyne"),
        ("xilacina", "xylazine"),
    ],
)
def test_names_resolve(catalog: Catalog, name: str, substance_id: str) -> None:
    found = catalog.by_name(name)
    assert found is not None and found.id == substance_id


@pytest.mark.parametrize(
    ("substance_id", "hs_code"),
    [
        ("carfentanil", "2933.33"),  # named in 2933.33
        ("remifentanil", "2933.33"),
        ("alfentanil", "2933.33"),
        ("pethidine", "2933.33"),
        ("acetylfentanyl", "2933.34"),  # other fentanyls, N-only heterocycle
        ("furanylfentanyl", "2934.92"),  # furan ring: heading 2934
        ("sufentanil", "2934.92"),  # thiophene ring
        ("morphine", "2939.11"),
        ("methadone", "2922.31"),
    ],
)
def test_hs_codes(catalog: Catalog, substance_id: str, hs_code: str) -> None:
    assert _get(catalog, substance_id).hs_code == hs_code


# --- controls ---------------------------------------------------------------------------------


def test_fentanyl_controls(catalog: Catalog) -> None:
    fentanyl = _get(catalog, "fentanyl")
    assert _categories(fentanyl, "US") == {"Schedule II"}
    assert "1308.12" in _controls(fentanyl, "US")[0].instrument
    assert _categories(fentanyl, "UN") == {"Schedule I"}
    assert "1961" in _controls(fentanyl, "UN")[0].instrument


def test_carfentanil_controls(catalog: Catalog) -> None:
    carfentanil = _get(catalog, "carfentanil")
    assert _categories(carfentanil, "US") == {"Schedule II"}
    assert _categories(carfentanil, "UN") == {"Schedule I", "Schedule IV"}
    # the WHO recommendation (Nov 2017) went to the CND session of March 2018
    assert all(
        c.effective is None or c.effective >= date(2018, 3, 1) for c in _controls(carfentanil, "UN")
    )


@pytest.mark.parametrize(
    ("substance_id", "effective", "citation"),
    [
        ("acetylfentanyl", date(2015, 7, 17), "80 FR 42381"),
        ("butyrfentanyl", date(2016, 5, 12), "2016-11219"),
        ("furanylfentanyl", date(2016, 11, 29), "81 FR 85873"),
        ("acrylfentanyl", date(2018, 11, 29), "83 FR 61320"),
        ("4-fluoroisobutyrylfentanyl", date(2018, 11, 29), "83 FR 61320"),
        ("tetrahydrofuranylfentanyl", date(2017, 10, 26), "82 FR 49504"),
        ("ocfentanil", date(2018, 2, 1), "83 FR 4580"),
        ("cyclopropylfentanyl", date(2019, 10, 25), "84 FR 57323"),
        ("methoxyacetylfentanyl", date(2017, 10, 26), "82 FR 49504"),
        ("ortho-fluorofentanyl", date(2017, 10, 26), "84 FR 57323"),
        ("para-fluorobutyrylfentanyl", date(2018, 2, 1), "84 FR 57323"),
        ("valerylfentanyl", date(2018, 2, 1), "83 FR 4580"),
        ("isobutyrylfentanyl", date(2018, 2, 1), "83 FR 4580"),
        ("para-chloroisobutyrylfentanyl", date(2018, 2, 1), "83 FR 4580"),
        ("crotonylfentanyl", date(2020, 10, 2), "85 FR 62215"),
        ("fentanyl-carbamate", date(2024, 5, 4), "2024"),
        ("ortho-fluoroacrylfentanyl", date(2024, 5, 4), "2024"),
        ("para-fluorofuranylfentanyl", date(2024, 5, 4), "2024"),
        ("acetyl-alpha-methylfentanyl", date(1987, 5, 29), "52 FR 20070"),
        ("isotonitazene", date(2020, 8, 20), "85 FR 51342"),
    ],
)
def test_individually_listed_in_us_schedule_i(
    catalog: Catalog, substance_id: str, effective: date, citation: str
) -> None:
    s = _get(catalog, substance_id)
    (control,) = _controls(s, "US")
    assert control.category == "Schedule I"
    assert control.effective == effective
    assert citation in control.instrument
    assert control.in_force(effective) is True
    assert control.in_force(date.fromordinal(effective.toordinal() - 1)) is False
    assert "US" in s.individually_listed


@pytest.mark.parametrize(
    ("substance_id", "session_year"),
    [
        ("butyrfentanyl", "2017"),
        ("furanylfentanyl", "2018"),
        ("ocfentanil", "2018"),
        ("cyclopropylfentanyl", "2019"),
        ("ortho-fluorofentanyl", "2019"),
        ("crotonylfentanyl", "2020"),
        ("isotonitazene", None),
    ],
)
def test_un_schedule_i_confirmed_by_dea_orders(
    catalog: Catalog, substance_id: str, session_year: str | None
) -> None:
    (control,) = _controls(_get(catalog, substance_id), "UN")
    assert control.category == "Schedule I"
    assert control.verified
    if session_year:
        assert control.note and session_year in control.note


@pytest.mark.parametrize(
    "substance_id",
    [
        "cyclobutylfentanyl",
        "cyclohexylfentanyl",
        "benzoylfentanyl",
        "methacrylfentanyl",
        "meta-fluorofentanyl",
        "para-chlorofentanyl",
        "para-methoxyfentanyl",
        "beta-methylfentanyl",
        "4-methylacetylfentanyl",
        "thiofuranylfentanyl",
        "ortho-methylacetylfentanyl",
    ],
)
def test_class_only_analogues_carry_no_us_control(catalog: Catalog, substance_id: str) -> None:
    s = _get(catalog, substance_id)
    assert _controls(s, "US") == []
    assert s.notes and "us-frs" in s.notes


@pytest.mark.parametrize(
    ("substance_id", "category"),
    [
        ("morphine", "Schedule II"),
        ("codeine", "Schedule II"),
        ("hydromorphone", "Schedule II"),
        ("hydrocodone", "Schedule II"),
        ("oxycodone", "Schedule II"),
        ("oxymorphone", "Schedule II"),
        ("alfentanil", "Schedule II"),
        ("sufentanil", "Schedule II"),
        ("remifentanil", "Schedule II"),
        ("buprenorphine", "Schedule III"),
        ("tramadol", "Schedule IV"),
        ("heroin", "Schedule I"),
    ],
)
def test_us_schedules_of_other_opioids(catalog: Catalog, substance_id: str, category: str) -> None:
    assert _categories(_get(catalog, substance_id), "US") == {category}


@pytest.mark.parametrize("substance_id", ["naloxone", "naltrexone", "xylazine", "loperamide"])
def test_uncontrolled_entries_have_no_controls(catalog: Catalog, substance_id: str) -> None:
    s = _get(catalog, substance_id)
    assert s.controls == ()
    assert s.notes


def test_codeine_is_in_un_schedule_ii_and_heroin_in_i_and_iv(catalog: Catalog) -> None:
    assert _categories(_get(catalog, "codeine"), "UN") == {"Schedule II"}
    assert _categories(_get(catalog, "heroin"), "UN") == {"Schedule I", "Schedule IV"}


def test_nitazene_temporary_order_dates(catalog: Catalog) -> None:
    for substance_id in ("protonitazene", "metonitazene", "etonitazepyne"):
        (control,) = _controls(_get(catalog, substance_id), "US")
        assert control.effective == date(2022, 4, 12)
        assert control.category == "Schedule I"


def test_isotonitazene_eu_control_is_marked_unverified(catalog: Catalog) -> None:
    (control,) = _controls(_get(catalog, "isotonitazene"), "EU")
    assert "2020/1687" in control.instrument
    assert control.verified is False
    assert control.in_force(date(2025, 1, 1)) is None  # date not verified


def test_unverified_controls_say_why(catalog: Catalog) -> None:
    for substance_id in DRUG_IDS:
        for c in _get(catalog, substance_id).controls:
            if not c.verified or c.effective is None:
                assert c.note, (substance_id, c.jurisdiction, c.category)


@pytest.mark.parametrize(
    "substance_id",
    [
        "acetyl-alpha-methylfentanyl",
        "alfentanil",
        "alpha-methylfentanyl",
        "alpha-methylthiofentanyl",
        "beta-hydroxyfentanyl",
        "beta-hydroxy-3-methylfentanyl",
    ],
)
def test_un_schedule_i_per_the_2013_un_schedules(catalog: Catalog, substance_id: str) -> None:
    schedule_i = [
        c for c in _controls(_get(catalog, substance_id), "UN") if c.category == "Schedule I"
    ]
    assert len(schedule_i) == 1
    assert schedule_i[0].verified
    assert schedule_i[0].sources == ("un-st-cnd-1-add1-2013",)
