"""The substituent classifier behind the closed lists of (B) and (C)."""

from __future__ import annotations

import pytest
from rdkit import Chem

from chainbreaker.chem.substituents import classify

# Substituent written after a cyclohexane ring (ring atoms 0-5, substituent from atom 6).
CASES = [
    ("C", "alkyl", "methyl"),
    ("CC(C)C", "alkyl", "CC(C)C"),
    ("CC=C", "alkenyl", "allyl"),
    ("C#C", "alkynyl", "C#C"),
    ("F", "halo", "fluoro"),
    ("Br", "halo", "bromo"),
    ("O", "hydroxyl", "hydroxy"),
    ("OC", "alkoxyl", "methoxy"),
    ("C(F)(F)F", "haloalkyl", "trifluoromethyl"),
    ("CCCl", "haloalkyl", "CCCl"),
    ("N", "amino", "amino"),
    ("N(C)C", "amino", "dimethylamino"),
    ("[N+](=O)[O-]", "nitro", "nitro"),
    ("C(=O)OC", "ester", "methoxycarbonyl (methyl ester)"),
    ("OC(C)=O", "ester", "acetoxy"),
    ("CC(=O)OCC", "ester", "CC(=O)OCC"),
    ("COC", "ether", "methoxymethyl"),
    ("C#N", "cyano", "cyano"),
    ("S", "sulfanyl (thiol)", "sulfanyl"),
]


@pytest.mark.parametrize(("sub", "kind", "name"), CASES)
def test_classify(sub: str, kind: str, name: str) -> None:
    mol = Chem.MolFromSmiles("C1CCCCC1" + sub)
    atoms = tuple(range(6, mol.GetNumAtoms()))
    got = classify(mol, 6, atoms, 1.0)
    assert got.kind == kind
    assert got.name == name
    assert got.atoms == atoms


def test_alkylamino_is_marked() -> None:
    mol = Chem.MolFromSmiles("C1CCCCC1NC")
    assert classify(mol, 6, (6, 7), 1.0).alkylamino
    mol = Chem.MolFromSmiles("C1CCCCC1N")
    assert not classify(mol, 6, (6,), 1.0).alkylamino


@pytest.mark.parametrize(
    ("sub", "kind"),
    [
        ("CO", "oxygenated alkyl"),  # hydroxymethyl: alkyl + hydroxyl is neither listed group
        ("C(=O)O", "oxygenated alkyl"),  # carboxylic acid is not an ester
        ("C(C)=O", "oxygenated alkyl"),  # acetyl (ketone) is not listed
        ("C1CC1", "cycloalkyl"),
        ("c1ccccc1", "aryl"),
    ],
)
def test_groups_outside_the_lists(sub: str, kind: str) -> None:
    mol = Chem.MolFromSmiles("C1CCCCC1" + sub)
    got = classify(mol, 6, tuple(range(6, mol.GetNumAtoms())), 1.0)
    assert got.kind.startswith(kind)
    assert got.kind not in {"alkyl", "hydroxyl", "ester", "ether", "alkoxyl"}


def test_double_bonded_oxygen_is_oxo() -> None:
    mol = Chem.MolFromSmiles("C1CCCCC1=O")
    got = classify(mol, 6, (6,), 2.0)
    assert got.kind == "oxo"
    assert got.name == "oxo"
