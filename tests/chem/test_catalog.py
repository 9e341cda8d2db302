"""The catalog loader (on small files written here) and the packaged catalog's data integrity.

Expected values are worked out by hand from the chemistry and the legal texts cited in the data.
"""

from __future__ import annotations

import csv
import textwrap
from datetime import date
from pathlib import Path

import pytest
from rdkit import Chem, RDLogger
from rdkit.Chem.rdMolDescriptors import CalcMolFormula

from chainbreaker.chem.cas import is_valid_cas
from chainbreaker.chem.catalog import Catalog, load_catalog, read_catalog
from chainbreaker.errors import DataError

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
PRECURSORS_CSV = SHARED / "reference" / "chem" / "precursors.csv"

SOURCES = """
sources:
  - id: src-a
    title: "Source A"
  - id: src-b
    title: "Source B"
"""

NPP = """
  - id: npp
    name: "NPP"
    role: pre-precursor
    synonyms: ["N-phenethyl-4-piperidone"]
    cas: "39742-60-4"
    smiles: "O=C1CCN(CCc2ccccc2)CC1"
    inchikey: "YDJXNYNKKXZBMP-UHFFFAOYSA-N"
    sources: [src-a]
    controls:
      - jurisdiction: US
        instrument: "21 CFR 1310.02(a)"
        category: "List I"
        effective: 2008-07-25
        sources: [src-a]
"""


def write_catalog(
    tmp_path: Path, *substance_files: str, classes: str | None = None, sources: str = SOURCES
) -> Path:
    """Write a catalog directory: sources.yaml, substances/fN.yaml, optional classes.yaml."""
    (tmp_path / "substances").mkdir()
    (tmp_path / "sources.yaml").write_text(textwrap.dedent(sources), encoding="utf-8")
    for i, body in enumerate(substance_files):
        text = "substances:\n" + textwrap.dedent(body)
        (tmp_path / "substances" / f"f{i}.yaml").write_text(text, encoding="utf-8")
    if classes is not None:
        (tmp_path / "classes.yaml").write_text(textwrap.dedent(classes), encoding="utf-8")
    return tmp_path


def load_error(tmp_path: Path, *substance_files: str, classes: str | None = None) -> str:
    with pytest.raises(DataError) as info:
        read_catalog(write_catalog(tmp_path, *substance_files, classes=classes))
    return str(info.value)


# --- loader behaviour ----------------------------------------------------------------------------


def test_small_catalog_loads_and_converts(tmp_path: Path) -> None:
    cat = read_catalog(write_catalog(tmp_path, NPP))
    npp = cat.get("npp")
    assert npp.cas == "39742-60-4"
    assert npp.controls[0].effective == date(2008, 7, 25)
    assert npp.controls[0].verified is True
    assert npp.individually_listed == ("US",)
    assert set(cat.sources) == {"src-a", "src-b"}


def test_bad_check_digit_names_file_entry_and_field(tmp_path: Path) -> None:
    # 39742-60-5: the check digit of 3974260 is 4 (see test_cas), so 5 is wrong.
    message = load_error(tmp_path, NPP.replace("39742-60-4", "39742-60-5"))
    assert "f0.yaml" in message
    assert "'npp'" in message
    assert "'cas'" in message
    assert "check digit" in message


def test_cas_without_hyphens_is_stored_canonically(tmp_path: Path) -> None:
    cat = read_catalog(write_catalog(tmp_path, NPP.replace('"39742-60-4"', '"39742604"')))
    assert cat.get("npp").cas == "39742-60-4"


def test_unknown_source_id_is_reported(tmp_path: Path) -> None:
    message = load_error(
        tmp_path, NPP.replace("sources: [src-a]\n    controls", "sources: [nope]\n    controls")
    )
    assert "'npp'" in message
    assert "nope" in message


def test_control_with_unknown_source_is_reported(tmp_path: Path) -> None:
    body = NPP.replace(
        'category: "List I"\n        effective: 2008-07-25\n        sources: [src-a]',
        'category: "List I"\n        effective: 2008-07-25\n        sources: [gone]',
    )
    message = load_error(tmp_path, body)
    assert "controls.0.sources" in message
    assert "gone" in message


def test_control_without_sources_is_rejected(tmp_path: Path) -> None:
    body = NPP.replace(
        "effective: 2008-07-25\n        sources: [src-a]",
        "effective: 2008-07-25\n        sources: []",
    )
    assert "controls.0.sources" in load_error(tmp_path, body)


def test_duplicate_id_across_files(tmp_path: Path) -> None:
    other = NPP.replace('"39742-60-4"', "null").replace('"NPP"', '"Other"')
    other = other.replace('["N-phenethyl-4-piperidone"]', "[]").replace(
        'inchikey: "YDJXNYNKKXZBMP-UHFFFAOYSA-N"', "inchikey: null"
    )
    message = load_error(tmp_path, NPP, other)
    assert "duplicate id" in message
    assert "'npp'" in message


def test_bad_role_is_rejected(tmp_path: Path) -> None:
    message = load_error(tmp_path, NPP.replace("role: pre-precursor", "role: preprecursor"))
    assert "'role'" in message
    assert "preprecursor" in message


def test_unknown_jurisdiction_is_rejected(tmp_path: Path) -> None:
    message = load_error(tmp_path, NPP.replace("jurisdiction: US", "jurisdiction: UK"))
    assert "controls.0.jurisdiction" in message


def test_misspelt_field_is_rejected(tmp_path: Path) -> None:
    message = load_error(tmp_path, NPP.replace("synonyms:", "synonym:"))
    assert "synonym" in message
    assert "'npp'" in message


def test_malformed_yaml_is_a_data_error(tmp_path: Path) -> None:
    assert "not valid YAML" in load_error(tmp_path, NPP + "\n  - id: [unclosed\n")


def test_parent_must_exist(tmp_path: Path) -> None:
    salt = """
      - id: npp-hcl
        name: "NPP hydrochloride"
        role: salt form
        parent: npp-base
        sources: [src-b]
    """
    message = load_error(tmp_path, NPP, salt)
    assert "'npp-hcl'" in message
    assert "'parent'" in message


NAMED_AGAIN = """
  - id: {id}
    name: "{name}"
    role: {role}
    {parent}
    synonyms: ["{synonym}"]
    sources: [src-b]
"""


def test_name_collision_between_unrelated_entries(tmp_path: Path) -> None:
    # "N Phenethyl 4-piperidone" and "N-phenethyl-4-piperidone" have the same lookup key.
    other = NAMED_AGAIN.format(
        id="other", name="Other", role="reagent", parent="", synonym="N Phenethyl 4-piperidone"
    )
    message = load_error(tmp_path, NPP, other)
    assert "'other'" in message
    assert "'npp'" in message


@pytest.mark.parametrize("salt_first", [False, True])
def test_name_shared_by_parent_and_salt_resolves_to_parent(
    tmp_path: Path, salt_first: bool
) -> None:
    salt = NAMED_AGAIN.format(
        id="npp-hcl",
        name="NPP hydrochloride",
        role="salt form",
        parent="parent: npp",
        synonym="n-phenethyl-4-piperidone",
    )
    files = (salt, NPP) if salt_first else (NPP, salt)
    cat = read_catalog(write_catalog(tmp_path, *files))
    assert cat.by_name("N-Phenethyl-4-piperidone").id == "npp"  # type: ignore[union-attr]
    assert cat.by_name("NPP hydrochloride").id == "npp-hcl"  # type: ignore[union-attr]
    forms = [(form, s.id) for form, s in cat.name_forms()]
    assert ("n-phenethyl-4-piperidone", "npp-hcl") not in forms
    assert ("N-phenethyl-4-piperidone", "npp") in forms


def test_other_cas_resolves_to_the_entry(tmp_path: Path) -> None:
    # A made-up salt number with a valid check digit: 1234-56-?: 6*1+5*2+4*3+3*4+2*5+1*6 = 56 -> 6
    body = NPP.replace('cas: "39742-60-4"', 'cas: "39742-60-4"\n    other_cas: ["1234566"]')
    cat = read_catalog(write_catalog(tmp_path, body))
    assert cat.get("npp").other_cas == ("1234-56-6",)
    assert cat.by_cas("1234-56-6").id == "npp"  # type: ignore[union-attr]


def test_same_cas_on_two_entries_is_rejected(tmp_path: Path) -> None:
    twin = NAMED_AGAIN.format(id="twin", name="Twin", role="reagent", parent="", synonym="twin")
    twin = twin.replace("sources: [src-b]", 'cas: "39742-60-4"\n    sources: [src-b]')
    assert "39742-60-4" in load_error(tmp_path, NPP, twin)


CLASSES = """
classes:
  - id: family:4-piperidone
    name: "4-Piperidone family"
    rule: "a rule"
    controls:
      - jurisdiction: US
        instrument: "List"
        category: "List I"
        effective: 2023-05-12
        covers: [{covers}]
        sources: [src-a]
"""


def test_unknown_covers_kind_is_rejected(tmp_path: Path) -> None:
    message = load_error(tmp_path, NPP, classes=CLASSES.format(covers="parent, ester"))
    assert "family:4-piperidone" in message
    assert "ester" in message


def test_unknown_class_id_is_rejected(tmp_path: Path) -> None:
    classes = CLASSES.format(covers="any").replace("family:4-piperidone", "family:piperidine")
    assert "family:piperidine" in load_error(tmp_path, NPP, classes=classes)


def test_via_class_must_name_a_class(tmp_path: Path) -> None:
    body = NPP + '        via_class: "family:4-ap"\n'
    message = load_error(tmp_path, body, classes=CLASSES.format(covers="any"))
    assert "via_class" in message
    assert "family:4-ap" in message


def test_via_class_control_is_not_an_individual_listing(tmp_path: Path) -> None:
    body = NPP + '        via_class: "family:4-piperidone"\n'
    cat = read_catalog(write_catalog(tmp_path, body, classes=CLASSES.format(covers="any")))
    assert cat.get("npp").individually_listed == ()


# --- lookups on the packaged catalog ----------------------------------------------------------


@pytest.fixture(scope="module")
def cat() -> Catalog:
    return load_catalog()


def test_packaged_catalog_is_cached(cat: Catalog) -> None:
    assert load_catalog() is cat


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("N-Phenethyl-4-Piperidone", "npp"),
        ("n phenethyl 4 piperidone", "npp"),
        ("1-(2-PHENYLETHYL)PIPERIDIN-4-ONE", "npp"),
        ("Despropionyl-Fentanyl", "anpp"),
        ("4 ANPP", "anpp"),
        ("β-bromoethylbenzene", "phenethyl-bromide"),
        ("para fluoro-4-anilinopiperidine", "para-fluoro-4-ap"),
        ("4,4-piperidinediol hydrochloride", "4-piperidone-hcl-monohydrate"),
        ("N-BOC-4-piperidone", "1-boc-4-piperidone"),
        ("tert-butyl 4-anilinopiperidine-1-carboxylate", "1-boc-4-ap"),
        ("water", None),
    ],
)
def test_by_name(cat: Catalog, query: str, expected: str | None) -> None:
    found = cat.by_name(query)
    assert (found.id if found else None) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("39742-60-4", "npp"),
        ("39742604", "npp"),
        ("40064-34-4", "4-piperidone-hcl-monohydrate"),
        ("125541222", "1-boc-4-ap"),
        ("39742-60-5", None),  # bad check digit
        ("50-00-0", None),  # formaldehyde: valid but not in the catalog
    ],
)
def test_by_cas(cat: Catalog, query: str, expected: str | None) -> None:
    found = cat.by_cas(query)
    assert (found.id if found else None) == expected


def test_by_inchikey_full_key(cat: Catalog) -> None:
    assert cat.by_inchikey("LKRMTUUCKBQGFO-UHFFFAOYSA-N").id == "4-ap"  # type: ignore[union-attr]
    assert cat.by_inchikey("lkrmtuucKBQGFO-UHFFFAOYSA-N").id == "4-ap"  # type: ignore[union-attr]
    assert cat.by_inchikey("LKRMTUUCKBQGFO-UHFFFAOYSA-O") is None


def test_by_connectivity_block(cat: Catalog) -> None:
    # 4-piperidone's block; its HCl salt has another first block (the InChI includes HCl).
    assert [s.id for s in cat.by_connectivity("VRJHQPZVIGNGMX")] == ["4-piperidone"]
    assert [s.id for s in cat.by_connectivity("VRJHQPZVIGNGMX-SOMETHING-N")] == ["4-piperidone"]
    assert cat.by_connectivity("AAAAAAAAAAAAAA") == ()


def test_get_unknown_id_raises_key_error(cat: Catalog) -> None:
    with pytest.raises(KeyError):
        cat.get("no-such-substance")


def test_salt_entries_point_at_their_parent(cat: Catalog) -> None:
    for salt_id in ("4-piperidone-hcl", "4-piperidone-hcl-monohydrate"):
        salt = cat.get(salt_id)
        assert salt.role == "salt form"
        assert salt.parent == "4-piperidone"
    assert cat.get("4-piperidone-hcl-monohydrate").smiles == "Cl.OC1(O)CCNCC1"


def test_individually_listed(cat: Catalog) -> None:
    assert cat.get("npp").individually_listed == ("CA", "CN", "EU", "MX", "UN", "US")
    # 1-Cbz-4-piperidone is reached only through the 4-piperidone class listings.
    assert cat.get("1-cbz-4-piperidone").individually_listed == ()
    assert cat.get("aniline").individually_listed == ()


def test_name_forms_cover_names_and_synonyms(cat: Catalog) -> None:
    forms = {(form, s.id) for form, s in cat.name_forms()}
    assert ("despropionyl fentanyl", "anpp") in forms
    assert ("4-Piperidone", "4-piperidone") in forms


# --- class controls -----------------------------------------------------------------------------


def jurisdictions_and_dates(controls: tuple[object, ...]) -> list[tuple[str, date | None]]:
    return sorted((c.jurisdiction, c.effective) for c in controls)  # type: ignore[attr-defined]


def test_4_piperidone_family_parent_and_acetal(cat: Catalog) -> None:
    us_2023 = ("US", date(2023, 5, 12))
    ca_2024 = ("CA", date(2024, 9, 3))
    assert jurisdictions_and_dates(cat.class_controls("family:4-piperidone")) == [ca_2024, us_2023]
    assert jurisdictions_and_dates(cat.class_controls("family:4-piperidone", ["acetal"])) == [
        ca_2024,
        us_2023,
    ]


def test_n_benzyl_4_piperidone_is_reached_only_by_canada(cat: Catalog) -> None:
    # The US text names acetals, amides, carbamates and salts - not N-benzyl derivatives.
    controls = cat.class_controls("family:4-piperidone", ["n-benzyl"])
    assert jurisdictions_and_dates(controls) == [("CA", date(2024, 9, 3))]


def test_boc_halo_4_ap_needs_the_2023_halide_listing(cat: Catalog) -> None:
    us = [
        c
        for c in cat.class_controls("family:4-ap", ["carbamate", "halide"])
        if c.jurisdiction == "US"
    ]
    assert [c.effective for c in us] == [date(2023, 11, 30)]
    assert not any(c.in_force(date(2021, 6, 1)) for c in us)
    assert all(c.in_force(date(2024, 1, 1)) for c in us)


def test_boc_4_ap_was_covered_from_2020(cat: Catalog) -> None:
    us = [c for c in cat.class_controls("family:4-ap", ["carbamate"]) if c.jurisdiction == "US"]
    assert min(c.effective for c in us if c.effective) == date(2020, 5, 15)


def test_class_controls_carry_the_class_id(cat: Catalog) -> None:
    controls = cat.class_controls("us-frs")
    assert {c.via_class for c in controls} == {"us-frs"}
    in_force = [c.instrument for c in controls if c.in_force(date(2025, 8, 1))]
    assert len(in_force) == 1
    assert "HALT" in in_force[0]
    # The 2018 temporary order was in force in 2019 and ended when the Act replaced it.
    assert [c.in_force(date(2019, 1, 1)) for c in controls] == [True, False]


def test_class_alias_and_unknown_class(cat: Catalog) -> None:
    assert cat.class_controls("precursor-family:4-ap") == cat.class_controls("family:4-ap")
    with pytest.raises(KeyError):
        cat.class_controls("family:piperidine")


def test_npp_family_has_no_class_control(cat: Catalog) -> None:
    assert cat.class_controls("family:npp", ["halide"]) == ()


# --- integrity of the whole packaged catalog (every substances file) ---------------------------


def test_every_cas_has_a_valid_check_digit(cat: Catalog) -> None:
    for s in cat.substances:
        for number in (n for n in (s.cas, *s.other_cas) if n):
            assert is_valid_cas(number), (s.id, number)


def test_every_smiles_parses_and_matches_its_inchikey(cat: Catalog) -> None:
    RDLogger.DisableLog("rdApp.*")
    for s in cat.substances:
        if s.smiles is None:
            assert s.inchikey is None, s.id
            continue
        mol = Chem.MolFromSmiles(s.smiles)
        assert mol is not None, (s.id, s.smiles)
        assert Chem.MolToInchiKey(mol) == s.inchikey, s.id


def test_every_cited_source_is_defined(cat: Catalog) -> None:
    cited = [(s.id, src) for s in cat.substances for src in s.sources]
    cited += [(s.id, src) for s in cat.substances for c in s.controls for src in c.sources]
    cited += [
        (cdef.id, src)
        for cdef in cat.classes.values()
        for cc in cdef.controls
        for src in cc.control.sources
    ]
    assert [pair for pair in cited if pair[1] not in cat.sources] == []


def test_every_control_has_a_source(cat: Catalog) -> None:
    for s in cat.substances:
        assert s.sources, s.id
        for c in s.controls:
            assert c.sources, (s.id, c.instrument)


def test_via_class_controls_copy_their_class(cat: Catalog) -> None:
    for s in cat.substances:
        for c in s.controls:
            if c.via_class:
                assert c in [cc.control for cc in cat.classes[c.via_class].controls], s.id


def test_unverified_controls_say_why(cat: Catalog) -> None:
    controls = [c for s in cat.substances for c in s.controls]
    controls += [cc.control for cdef in cat.classes.values() for cc in cdef.controls]
    for c in controls:
        if not c.verified or c.effective is None:
            assert c.note, c.instrument


def test_salt_parents_are_not_salts(cat: Catalog) -> None:
    for s in cat.substances:
        if s.parent:
            assert cat.get(s.parent).parent is None, s.id


# --- cross-check with the shared reference table ------------------------------------------------


def reference_rows() -> list[dict[str, str]]:
    if not PRECURSORS_CSV.exists():
        pytest.skip("../shared/reference/chem/precursors.csv is not present")
    with PRECURSORS_CSV.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_every_reference_row_is_in_the_catalog(cat: Catalog) -> None:
    for row in reference_rows():
        entry = cat.by_cas(row["cas_rn"]) if row["cas_rn"] else cat.by_inchikey(row["inchikey"])
        assert entry is not None, row["name"]
        assert entry.cas == (row["cas_rn"] or None), row["name"]
        if entry.id == "4-piperidone-hcl-monohydrate":
            # Deliberately the gem-diol form (Cl.OC1(O)CCNCC1) rather than ketone + water:
            # the same atoms, C5H9NO + H2O + HCl = C5H12ClNO2, joined differently.
            ref = Chem.MolFromSmiles(row["smiles"])
            ours = Chem.MolFromSmiles(entry.smiles or "")
            assert CalcMolFormula(ref) == CalcMolFormula(ours) == "C5H12ClNO2"
        else:
            assert entry.inchikey == row["inchikey"], row["name"]
