"""Query kinds: which reader a query goes to."""

from __future__ import annotations

import pytest

from chainbreaker.chem.query_kind import classify_query, could_be_smiles


@pytest.mark.parametrize(
    ("query", "kind"),
    [
        ("fentanyl", "name"),
        ("4-AP", "name"),  # a digit and a hyphen do not make a SMILES
        ("1-boc-4-piperidone", "name"),
        ("fentanyl citrate", "name"),
        ("CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1", "smiles"),
        ("O=C1CCNCC1.Cl", "smiles"),
        ("c1ccccc1", "smiles"),
        ("InChI=1S/C5H9NO/c7-5-1-3-6-4-2-5/h6H,1-4H2", "inchi"),
        ("VRJHQPZVIGNGMX-UHFFFAOYSA-N", "inchikey"),
        ("41661-47-6", "cas"),
        ("41661476", "cas"),
        ("   ", "empty"),
    ],
)
def test_kinds(query: str, kind: str) -> None:
    assert classify_query(query) == kind


def test_plain_smiles_without_syntax_is_left_to_the_name_fallback() -> None:
    # "CCO" is ethanol, but also the shape of an abbreviation; the identifier tries names first
    assert classify_query("CCO") == "name"
    assert could_be_smiles("CCO")
    assert not could_be_smiles("fentanyl citrate")


@pytest.mark.parametrize(
    "name",
    [
        "N-(4-fluorophenyl)piperidin-4-amine",  # parentheses and locants, but words
        "1boc4piperidone",
        "tert-butyl 4-(phenylamino)piperidine-1-carboxylate",
    ],
)
def test_names_with_smiles_characters_stay_names(name: str) -> None:
    assert classify_query(name) == "name"


def test_bracket_atoms_and_halogens_do_not_make_a_name() -> None:
    assert classify_query("[2H]C([2H])([2H])N1CCC(Nc2ccc(Cl)cc2)CC1") == "smiles"
    assert classify_query("BrCCc1ccccc1") == "smiles"
