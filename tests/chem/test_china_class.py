"""China's fentanyl-class definition: the phenethyl may be any group but H; the rest as US C–E."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from rdkit import Chem

from chainbreaker.chem.frs import classify_cn_fentanyl

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "reference" / "chem"


def flat(smiles: str) -> Chem.Mol:
    mol = Chem.MolFromSmiles(smiles)
    assert mol is not None, smiles
    Chem.RemoveStereochemistry(mol)
    return mol


# (name, SMILES, China's items that apply) -- assigned by hand.
MEMBERS = [
    ("fentanyl", "CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1", ()),
    ("benzylfentanyl", "CCC(=O)N(c1ccccc1)C1CCN(Cc2ccccc2)CC1", ("n-substituent",)),
    ("N-methyl norfentanyl", "CCC(=O)N(c1ccccc1)C1CCN(C)CC1", ("n-substituent",)),
    ("three-carbon linker", "CCC(=O)N(c1ccccc1)C1CCN(CCCc2ccccc2)CC1", ("n-substituent",)),
    ("4-FIBF", "CC(C)C(=O)N(c1ccc(F)cc1)C1CCN(CCc2ccccc2)CC1", ("acyl", "n-aryl")),
    ("carfentanil", "CCC(=O)N(c1ccccc1)C1(C(=O)OC)CCN(CCc2ccccc2)CC1", ("piperidine",)),
    (
        "remifentanil",
        "COC(=O)CCN1CCC(C(=O)OC)(N(C(=O)CC)c2ccccc2)CC1",
        ("piperidine", "n-substituent"),
    ),
    (
        "3-methylthiofentanyl",
        "CCC(=O)N(c1ccccc1)C1CCN(CCc2cccs2)CC1C",
        ("piperidine", "n-substituent"),
    ),
]


@pytest.mark.parametrize(("name", "smiles", "items"), MEMBERS, ids=[m[0] for m in MEMBERS])
def test_members(name: str, smiles: str, items: tuple[str, ...]) -> None:
    match = classify_cn_fentanyl(flat(smiles))
    assert match is not None, name
    assert match.class_id == "cn-fentanyl-class"
    assert match.modifications == items
    if not items:
        assert match.explanation == "fentanyl itself"
    for item in items:
        assert f"({item})" in match.explanation
        assert match.atoms[item]


def test_carbamate_flag_carries_over() -> None:
    match = classify_cn_fentanyl(flat("CCOC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1"))
    assert match is not None
    assert match.modifications == ("acyl",)
    assert any(f.startswith("carbamate:") for f in match.flags)


OUTSIDE = [
    ("norfentanyl: hydrogen on N1", "CCC(=O)N(c1ccccc1)C1CCNCC1"),
    ("ANPP: no acyl", "c1ccc(CCN2CCC(Nc3ccccc3)CC2)cc1"),
    ("1-naphthyl for the aniline ring", "CCC(=O)N(c1cccc2ccccc12)C1CCN(CCc2ccccc2)CC1"),
    ("3-cyano on the piperidine", "CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1C#N"),
    ("loperamide", "CN(C)C(=O)C(CCN1CCC(O)(c2ccc(Cl)cc2)CC1)(c1ccccc1)c1ccccc1"),
]


@pytest.mark.parametrize(("name", "smiles"), OUTSIDE, ids=[o[0] for o in OUTSIDE])
def test_outside(name: str, smiles: str) -> None:
    assert classify_cn_fentanyl(flat(smiles)) is None, name


def test_dev_sets() -> None:
    pos = SHARED / "dev_frs_positives.csv"
    neg = SHARED / "dev_frs_negatives.csv"
    if not (pos.exists() and neg.exists()):
        pytest.skip("development sets not present")
    with pos.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            # Every US structural FRS is also within China's broader definition.
            assert classify_cn_fentanyl(flat(row["smiles"])) is not None, row["name"]
    in_china = set()
    with neg.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if classify_cn_fentanyl(flat(row["smiles"])) is not None:
                in_china.add(row["name"])
    # Alfentanil is structurally in both; benzylfentanyl only in China's (any group on N1).
    assert in_china == {"Alfentanil", "Benzylfentanyl"}
