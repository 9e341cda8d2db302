"""The analogue alert: similarity to known fentanyl-class substances, outside both classes."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from rdkit import Chem

from chainbreaker.chem.fentanyl_class_data import load
from chainbreaker.chem.frs import analogue_alert, prepare_references

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "reference" / "chem"


def flat(smiles: str) -> Chem.Mol:
    mol = Chem.MolFromSmiles(smiles)
    assert mol is not None, smiles
    Chem.RemoveStereochemistry(mol)
    return mol


REFERENCES = [
    ("fentanyl", flat("CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1")),
    ("acetylfentanyl", flat("CC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1")),
    ("3-methylfentanyl", flat("CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1C")),
    ("carfentanil", flat("CCC(=O)N(c1ccccc1)C1(C(=O)OC)CCN(CCc2ccccc2)CC1")),
    ("furanylfentanyl", flat("O=C(c1ccco1)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1")),
]

NAPHTHYL_FENTANYL = "CCC(=O)N(c1cccc2ccccc12)C1CCN(CCc2ccccc2)CC1"


def test_fires_on_a_close_analogue_outside_both_classes() -> None:
    # 1-naphthyl for the aniline ring: fused, so outside US (D) and China's N-aryl item.
    alert = analogue_alert(flat(NAPHTHYL_FENTANYL), REFERENCES)
    assert alert is not None
    assert alert.class_id == "analogue-alert"
    m = re.fullmatch(
        r"possible analogue of fentanyl \(Tanimoto (0\.\d\d)\) — refer to a chemist; "
        r"not a legal finding",
        alert.explanation,
    )
    assert m is not None, alert.explanation
    assert float(m.group(1)) >= load().alert_threshold


def test_threshold_argument_and_prepared_references_agree() -> None:
    mol = flat(NAPHTHYL_FENTANYL)
    prepared = prepare_references(REFERENCES)
    assert analogue_alert(mol, prepared) == analogue_alert(mol, REFERENCES)
    assert analogue_alert(mol, REFERENCES, threshold=0.99) is None
    assert analogue_alert(mol, []) is None


def test_silent_for_class_members() -> None:
    # In the US class (butyrylfentanyl, E) or in China's (benzylfentanyl): the class answers.
    for smiles in (
        "CCCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1",
        "CCC(=O)N(c1ccccc1)C1CCN(Cc2ccccc2)CC1",
    ):
        assert analogue_alert(flat(smiles), REFERENCES, threshold=0.1) is None


def test_silent_for_unrelated_and_precursors() -> None:
    for smiles in (
        "CCC(=O)C(CC(C)N(C)C)(c1ccccc1)c1ccccc1",  # methadone
        "CC(=O)Nc1ccc(O)cc1",  # paracetamol
        "CCC(=O)N(c1ccccc1)C1CCNCC1",  # norfentanyl, a precursor, not an analogue
    ):
        assert analogue_alert(flat(smiles), REFERENCES) is None


def test_no_dev_negative_fires() -> None:
    pos, neg = SHARED / "dev_frs_positives.csv", SHARED / "dev_frs_negatives.csv"
    if not (pos.exists() and neg.exists()):
        pytest.skip("development sets not present")
    with pos.open(newline="", encoding="utf-8") as fh:
        refs = [(r["name"], flat(r["smiles"])) for r in csv.DictReader(fh)]
    with neg.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            assert analogue_alert(flat(row["smiles"]), refs) is None, row["name"]
    assert analogue_alert(flat(NAPHTHYL_FENTANYL), refs) is not None
