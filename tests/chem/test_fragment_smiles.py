"""The fragment SMILES writer: valid SMILES, the same string for the same group anywhere."""

from __future__ import annotations

import pytest
from rdkit import Chem

from chainbreaker.chem.fragment_smiles import fragment_smiles, smiles_key

WHOLE = [
    "CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1",
    "CCC(=O)N(c1ccccc1)C1(COC)CCN(CCn2nnn(CC)c2=O)CC1",
    "c1ccc2c(c1)[nH]c1ccccc12",
    "C1CC2CCC1CC2",
    "O=[N+]([O-])c1ccc(Br)cc1",
    "C1CCC2(CC1)CCCC2",
    "[Si](C)(C)(C)OC",
    "OC(=O)C#N",
]


@pytest.mark.parametrize("smiles", WHOLE)
def test_whole_molecule_round_trips(smiles: str) -> None:
    mol = Chem.MolFromSmiles(smiles)
    for root in (0, mol.GetNumAtoms() - 1):
        written = fragment_smiles(mol, range(mol.GetNumAtoms()), root)
        again = Chem.MolFromSmiles(written)
        assert again is not None, written
        assert Chem.MolToSmiles(again) == Chem.MolToSmiles(mol)


def test_written_from_the_root() -> None:
    mol = Chem.MolFromSmiles("CCOC(=O)N(c1ccccc1)C1CCNCC1")
    # The carbamate group: C(=O) carbon is atom 3, its O atoms 2 and 4, ethyl 0-1.
    assert fragment_smiles(mol, (3, 4, 2, 1, 0), 3) == smiles_key("C(=O)OCC")
    assert fragment_smiles(mol, (3, 4, 2, 1, 0), 3).startswith("C")


def test_same_group_same_string_in_different_molecules() -> None:
    a = Chem.MolFromSmiles("O=C(c1ccco1)N(c1ccccc1)C1CCNCC1")  # furoyl: atoms 0-6, C=O is 1
    b = Chem.MolFromSmiles("c1coc(c1)C(=O)NC")  # furoyl: ring 0-4, C=O carbon 5, O 6
    assert fragment_smiles(a, range(7), 1) == fragment_smiles(b, range(7), 5)
