"""Structure parsing and standardisation: expectations worked out by hand."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdkit import Chem

from chainbreaker.chem.structure import (
    connectivity_key,
    parse_structure,
    standardise,
    standardise_text,
)
from chainbreaker.errors import InvalidInput, InvalidStructure
from tests.chem.structure_helpers import FENTANYL, FENTANYL_KEY, PIPERIDONE_KEY, same_molecule, std

# --- salts, hydrates, solvents, mixtures -------------------------------------------------------


def test_gem_diol_hydrochloride_becomes_4_piperidone() -> None:
    # 4-piperidone hydrochloride monohydrate is sold as piperidine-4,4-diol hydrochloride
    result = std("Cl.OC1(O)CCNCC1")
    assert same_molecule(result.smiles, "O=C1CCNCC1")
    assert result.inchikey == PIPERIDONE_KEY
    assert "hydrate gem-diol converted to ketone (C4)" in result.steps


def test_gem_diol_of_protected_piperidone() -> None:
    result = std("CC(C)(C)OC(=O)N1CCC(O)(O)CC1")
    assert same_molecule(result.smiles, "CC(C)(C)OC(=O)N1CCC(=O)CC1")


def test_gem_diol_next_to_the_ring_nitrogen() -> None:
    # tert-butyl 3,3-dihydroxypiperidine-1-carboxylate is the hydrate of 1-boc-3-piperidone
    result = std("CC(C)(C)OC(=O)N1CCCC(O)(O)C1")
    assert same_molecule(result.smiles, "CC(C)(C)OC(=O)N1CCCC(=O)C1")
    assert "hydrate gem-diol converted to ketone (C3)" in result.steps


@pytest.mark.parametrize(
    "smiles",
    [
        "OC(O)(C(F)(F)F)C(F)(F)F",  # hexafluoroacetone hydrate: a stable hydrate, left alone
        "O=C1c2ccccc2C(=O)C1(O)O",  # ninhydrin
        "CC1(O)CCCO1",  # a cyclic hemiketal: one OH, one ring O
        "COC1(OC)CCNCC1",  # 4,4-dimethoxypiperidine: a ketal, not a hydrate
        "OC(O)C(Cl)(Cl)Cl",  # chloral hydrate: a substance of its own, left alone
        "C1CC2(CCN1)OCCO2",  # the ethylene ketal of 4-piperidone
    ],
)
def test_hemiacetals_ketals_and_stable_hydrates_are_untouched(smiles: str) -> None:
    result = std(smiles)
    assert same_molecule(result.smiles, smiles)
    assert not result.changed
    assert result.steps == ()


# --- charges and normalisation ----------------------------------------------------------------


def test_protonated_amine_is_neutralised() -> None:
    result = std("C[NH+]1CCC(=O)CC1")
    assert same_molecule(result.smiles, "CN1CCC(=O)CC1")
    assert result.steps == ("neutralised charges",)


def test_quaternary_ammonium_keeps_its_charge() -> None:
    result = std("C[N+](C)(C)C.[Cl-]")
    assert same_molecule(result.smiles, "C[N+](C)(C)C")
    assert Chem.GetFormalCharge(result.mol) == 1


def test_nitro_forms_agree() -> None:
    pentavalent = std("O=N(=O)c1ccccc1")
    separated = std("[O-][N+](=O)c1ccccc1")
    assert pentavalent.smiles == separated.smiles
    assert pentavalent.inchikey == separated.inchikey


def test_n_oxide_forms_agree() -> None:
    assert std("CN(C)(C)=O").inchikey == std("C[N+](C)(C)[O-]").inchikey


def test_carboxylate_sodium_salt() -> None:
    # sodium phenylacetate -> phenylacetic acid
    result = std("[Na+].[O-]C(=O)Cc1ccccc1")
    assert same_molecule(result.smiles, "OC(=O)Cc1ccccc1")
    assert "removed counter-ion(s): sodium" in result.steps


# --- stereo, isotopes, numbering ---------------------------------------------------------------


def test_stereo_kept_in_mol_and_removed_in_flat() -> None:
    result = std("C[C@H](N)Cc1ccccc1")  # dextroamphetamine
    assert "@" in result.smiles
    assert "ignored stereo for class rules" in result.steps
    assert not result.changed  # the parent is the input
    tags = {a.GetChiralTag() for a in result.flat.GetAtoms()}
    assert tags == {Chem.ChiralType.CHI_UNSPECIFIED}
    assert any(a.GetChiralTag() != Chem.ChiralType.CHI_UNSPECIFIED for a in result.mol.GetAtoms())
    assert result.flat.GetNumAtoms() == result.mol.GetNumAtoms()


def test_deuterated_fentanyl_shares_the_connectivity_block() -> None:
    d5 = std("[2H]C([2H])([2H])C([2H])([2H])C(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1")
    assert d5.inchikey != FENTANYL_KEY  # the isotope layer differs
    assert connectivity_key(d5.inchikey) == connectivity_key(FENTANYL_KEY) == "PJMPHNIQZUBGLI"
    assert "ignored isotope labels (2H x5)" in d5.steps
    assert all(a.GetIsotope() == 0 for a in d5.flat.GetAtoms())
    assert d5.flat.GetNumAtoms() == d5.mol.GetNumAtoms()


def test_isotope_on_heavy_atom() -> None:
    result = std("[13CH3]C(=O)O")
    assert "ignored isotope labels (13C)" in result.steps


@pytest.mark.parametrize(
    "smiles",
    [FENTANYL + ".Cl", "Cl.OC1(O)CCNCC1", "N[C@@H](C)Cc1ccccc1", "[2H]C([2H])([2H])N1CCCC1"],
)
def test_atom_i_of_mol_is_the_ith_atom_of_smiles(smiles: str) -> None:
    result = std(smiles)
    written = Chem.MolFromSmiles(result.smiles, sanitize=False)  # atoms in written order
    assert written.GetNumAtoms() == result.mol.GetNumAtoms()
    for i in range(written.GetNumAtoms()):
        assert written.GetAtomWithIdx(i).GetSymbol() == result.mol.GetAtomWithIdx(i).GetSymbol()
        assert result.flat.GetAtomWithIdx(i).GetSymbol() == written.GetAtomWithIdx(i).GetSymbol()

    def bonds(mol: Chem.Mol) -> set[tuple[int, int]]:
        return {tuple(sorted((b.GetBeginAtomIdx(), b.GetEndAtomIdx()))) for b in mol.GetBonds()}

    assert bonds(written) == bonds(result.mol) == bonds(result.flat)


def test_plain_parent_is_unchanged() -> None:
    result = std("O=C1CCNCC1")
    assert result.steps == ()
    assert not result.changed
    assert result.inchikey == PIPERIDONE_KEY


def test_input_molecule_is_not_modified() -> None:
    mol = parse_structure("Cl.OC1(O)CCNCC1", "smiles")
    before = Chem.MolToSmiles(mol)
    standardise(mol)
    assert Chem.MolToSmiles(mol) == before


# --- InChI, errors, keys -----------------------------------------------------------------------


def test_inchi_input() -> None:
    mol = parse_structure("InChI=1S/C5H9NO/c7-5-1-3-6-4-2-5/h6H,1-4H2", "inchi")
    assert standardise(mol).inchikey == PIPERIDONE_KEY


@pytest.mark.parametrize(
    ("text", "kind", "fragment"),
    [
        ("C1CC(", "smiles", "syntax error"),
        ("c1cccc1", "smiles", "kekulize"),
        ("CN(C)(C)(C)C", "smiles", "valence"),
        ("", "smiles", "empty"),
        ("InChI=1S/garbage", "inchi", "InChI"),
        ("1S/C5H9NO", "inchi", "must start with 'InChI='"),
    ],
)
def test_bad_structures_raise_with_a_reason(text: str, kind: str, fragment: str) -> None:
    with pytest.raises(InvalidStructure) as err:
        parse_structure(text, kind)  # type: ignore[arg-type]
    assert fragment in str(err.value)
    assert isinstance(err.value, InvalidInput)


def test_connectivity_key() -> None:
    assert connectivity_key("PJMPHNIQZUBGLI-UHFFFAOYSA-N") == "PJMPHNIQZUBGLI"
    assert connectivity_key(" pjmphniqzubgli-uhfffaoysa-n") == "PJMPHNIQZUBGLI"


def test_standardise_text_matches_the_two_steps() -> None:
    assert standardise_text("Cl.O=C1CCNCC1", "smiles").inchikey == PIPERIDONE_KEY
    with pytest.raises(InvalidStructure):
        standardise_text("C1CC(", "smiles")


# --- idempotence on generated salts ------------------------------------------------------------

PARENTS = [
    "O=C1CCNCC1",
    "c1ccc(NC2CCNCC2)cc1",
    "O=C1CCN(CCc2ccccc2)CC1",
    FENTANYL,
    "C[C@H](N)Cc1ccccc1",
]
SALT_PARTS = ["Cl", "[Cl-]", "Br", "O", "OC(=O)C(=O)O", "OS(=O)(=O)O", "CCO", "[Na+]"]


@settings(max_examples=60, deadline=None)
@given(
    parent=st.sampled_from(PARENTS),
    extras=st.lists(st.sampled_from(SALT_PARTS), min_size=0, max_size=3),
    protonate=st.booleans(),
)
def test_standardise_is_idempotent_on_generated_salts(
    parent: str, extras: list[str], protonate: bool
) -> None:
    base = std(parent)
    written = parent
    if protonate and "NC2CCNCC2" not in parent:
        mol = Chem.RWMol(Chem.MolFromSmiles(parent))
        for atom in mol.GetAtoms():
            basic = not any(_is_carbonyl(n) for n in atom.GetNeighbors())
            if atom.GetSymbol() == "N" and not atom.GetIsAromatic() and basic:
                atom.SetFormalCharge(1)
                atom.SetNumExplicitHs(atom.GetTotalNumHs() + 1)
                break
        Chem.SanitizeMol(mol)
        written = Chem.MolToSmiles(mol)
    salt = ".".join([written, *extras])
    first = std(salt)
    again = std(first.smiles)
    assert first.smiles == base.smiles  # every salt resolves to the parent
    assert first.inchikey == base.inchikey
    assert again.smiles == first.smiles  # and standardising the parent changes nothing
    assert again.inchikey == first.inchikey
    assert not again.changed


def _is_carbonyl(atom: Chem.Atom) -> bool:
    return any(
        b.GetBondType() == Chem.BondType.DOUBLE and b.GetOtherAtom(atom).GetSymbol() == "O"
        for b in atom.GetBonds()
    )


def test_no_inchikey_for_a_dummy_atom_says_why() -> None:
    # InChI cannot represent an attachment point '*': the key is empty and the reason kept
    result = std("*C(=O)N1CCC(=O)CC1")
    assert result.inchikey == ""
    assert "*" in result.inchikey_problem
    assert same_molecule(result.smiles, "*C(=O)N1CCC(=O)CC1")
