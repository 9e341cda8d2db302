"""Helpers and published keys shared by the structure and salt tests (not a test module)."""

from __future__ import annotations

from rdkit import Chem

from chainbreaker.chem.structure import Standardised, parse_structure, standardise

# Published standard InChIKeys (PubChem) of the parents used in the tests.
PIPERIDONE_KEY = "VRJHQPZVIGNGMX-UHFFFAOYSA-N"  # 4-piperidone
FENTANYL_KEY = "PJMPHNIQZUBGLI-UHFFFAOYSA-N"
FENTANYL = "CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1"


def std(smiles: str) -> Standardised:
    """Parse and standardise a SMILES."""
    return standardise(parse_structure(smiles, "smiles"))


def same_molecule(a: str, b: str) -> bool:
    """Do the two SMILES write the same molecule?"""
    return bool(Chem.CanonSmiles(a) == Chem.CanonSmiles(b))
