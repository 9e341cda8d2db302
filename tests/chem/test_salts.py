"""Salts, solvates and mixtures: which fragment is the parent, and the words for the rest.

Expectations worked out by hand from the fragments written in each SMILES.
"""

from __future__ import annotations

from collections import Counter

import pytest
from rdkit import Chem

from chainbreaker.chem.salts import (
    choose_parent_fragment,
    counted,
    sort_fragments,
    split_known_salt,
)
from chainbreaker.chem.structure import (
    parse_structure,
    standardise,
    standardise_smiles,
)
from tests.chem.structure_helpers import FENTANYL, FENTANYL_KEY, PIPERIDONE_KEY, same_molecule, std

# --- the fragment tables and the words -----------------------------------------------------------


def test_sort_fragments_counts_known_fragments_by_name_and_keeps_the_rest_in_order() -> None:
    ions, solvents, others = sort_fragments(["Cl", "O", "CCO", "Cl", "CC(C)=O", "O", "C"])
    assert ions == Counter({"HCl": 2})
    assert solvents == Counter({"water": 2, "ethanol": 1})
    # acetone is a controlled precursor, never a solvent to drop; methane is no known fragment
    assert others == ["CC(C)=O", "C"]


def test_both_sulfate_spellings_are_one_counter_ion() -> None:
    ions, _solvents, others = sort_fragments(["O=S(=O)(O)O", "O=S(=O)([O-])O"])
    assert ions == Counter({"sulfate": 1, "hydrogen sulfate": 1})
    assert others == []


def test_counted_gives_a_count_only_above_one() -> None:
    assert counted(Counter({"HCl": 2, "water": 1})) == "HCl x2, water"
    assert counted(Counter()) == ""


def test_split_known_salt_keeps_the_one_unknown_fragment() -> None:
    assert split_known_salt("Cl.O.O=C1CCNCC1") == (
        "O=C1CCNCC1",
        ["removed counter-ion(s): HCl", "removed water"],
    )
    assert split_known_salt("O=C1CCNCC1.O.O") == ("O=C1CCNCC1", ["removed water (x2)"])


@pytest.mark.parametrize(
    "text",
    [
        "Cl.O",  # nothing but known fragments: no parent to keep
        "CCN.CCN.Cl",  # two fragments that are not counter-ions
        "C1CC%10.C%10C1",  # a ring bond across the '.'
        "O=C1CCNCC1.[Cl-]",  # the chloride is not written in its neutral canonical form
    ],
)
def test_split_known_salt_declines(text: str) -> None:
    assert split_known_salt(text) is None


def test_choose_parent_fragment_keeps_the_drug_and_says_what_went() -> None:
    mol = Chem.MolFromSmiles("O=C1CCNCC1.Cl.Cl.CCO")
    parent, steps = choose_parent_fragment(mol)
    assert same_molecule(Chem.MolToSmiles(parent), "O=C1CCNCC1")
    assert steps == ["removed counter-ion(s): HCl x2", "removed solvent(s): ethanol"]


def test_choose_parent_fragment_names_inorganic_leftovers() -> None:
    # ammonia is a known base, so only the sulfur fragment is left to report as inorganic
    parent, steps = choose_parent_fragment(Chem.MolFromSmiles("O=C1CCNCC1.S"))
    assert same_molecule(Chem.MolToSmiles(parent), "O=C1CCNCC1")
    assert steps == ["removed inorganic fragment(s): S"]


# --- through standardise ---------------------------------------------------------------------


def test_hydrochloride_resolves_to_free_base_and_says_so() -> None:
    result = std("Cl.O=C1CCNCC1")
    assert same_molecule(result.smiles, "O=C1CCNCC1")
    assert result.inchikey == PIPERIDONE_KEY
    assert "removed counter-ion(s): HCl" in result.steps
    assert result.changed


def test_ionic_hydrochloride_is_neutralised() -> None:
    # 4-piperidone hydrochloride written as the ammonium chloride
    result = std("O=C1CC[NH2+]CC1.[Cl-]")
    assert result.inchikey == PIPERIDONE_KEY
    assert "removed counter-ion(s): HCl" in result.steps
    assert "neutralised charges" in result.steps


def test_hydrochloride_monohydrate_with_separate_water() -> None:
    result = std("Cl.O.O=C1CCNCC1")
    assert result.inchikey == PIPERIDONE_KEY
    assert "removed water" in result.steps


def test_citrate_salt_keeps_the_drug_even_when_the_acid_is_larger() -> None:
    # citric acid (13 heavy atoms) is larger than 4-piperidone (7): the counter-ion must lose
    result = std("O=C1CCNCC1.OC(=O)CC(O)(CC(=O)O)C(=O)O")
    assert result.inchikey == PIPERIDONE_KEY
    assert "removed counter-ion(s): citrate" in result.steps


@pytest.mark.parametrize(
    ("salt", "word"),
    [
        (FENTANYL + ".OC(=O)CC(O)(CC(=O)O)C(=O)O", "citrate"),
        (FENTANYL + ".OC(=O)C(=O)O", "oxalate"),
        (FENTANYL + ".OC(=O)[C@H](O)[C@@H](O)C(=O)O", "tartrate"),
        (FENTANYL + "." + FENTANYL + ".OS(=O)(=O)O", "sulfate"),
        (FENTANYL + ".Cl.Cl", "HCl x2"),
    ],
)
def test_common_counter_ions(salt: str, word: str) -> None:
    result = std(salt)
    assert result.inchikey == FENTANYL_KEY
    assert any(word in step for step in result.steps), result.steps


def test_solvate_names_the_solvent() -> None:
    result = std(FENTANYL + ".CCO")
    assert result.inchikey == FENTANYL_KEY
    assert "removed solvent(s): ethanol" in result.steps


def test_mixture_of_two_organic_components_is_reported() -> None:
    result = std("CC(C)=O." + FENTANYL)  # acetone is a controlled solvent: not silently dropped
    assert result.inchikey == FENTANYL_KEY
    assert any(step.startswith("mixture of 2 organic components") for step in result.steps)
    assert any("CC(C)=O" in step for step in result.steps)


@pytest.mark.parametrize(
    "smiles",
    [
        "O=C1CCNCC1.Cl",
        "OC1(O)CCNCC1.Cl",
        "CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1.OC(=O)CC(O)(CC(=O)O)C(=O)O",
        "c1ccc(NC2CCNCC2)cc1.Cl.Cl",
        "C[NH+]1CCC(=O)CC1.O.O",
        "CCO.c1ccccc1",  # a solvent and a non-salt: both paths keep benzene
        "C1CC2.C2C1",  # a ring bond across the '.': the general path decides
        "CCN.CCN.Cl",  # two copies of the parent: the general path decides
    ],
)
def test_fast_salt_path_gives_the_general_answer(smiles: str) -> None:
    fast = standardise_smiles(smiles)
    general = standardise(parse_structure(smiles, "smiles"))
    assert (fast.smiles, fast.steps, fast.changed, fast.inchikey) == (
        general.smiles,
        general.steps,
        general.changed,
        general.inchikey,
    )
