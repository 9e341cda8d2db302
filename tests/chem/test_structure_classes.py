"""Legal membership of the fentanyl classes, decided from what the catalog says of a substance.

A small catalog written by the test holds one analogue (para-fluorofentanyl, modification D)
three times over: listed in the US and verified, listed but unverified, and not listed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdkit import Chem

from chainbreaker.chem.catalog import Catalog, read_catalog
from chainbreaker.chem.structure_classes import classify

PFF = "CCC(=O)N(c1ccc(F)cc1)C1CCN(CCc2ccccc2)CC1"

SOURCES = """sources:
  - id: s1
    title: "a source"
"""
CLASSES = """classes:
  - id: us-frs
    name: "US class"
    rule: "A-E"
    controls:
      - jurisdiction: US
        instrument: "class act"
        category: "Schedule I"
        effective: 2025-07-16
        covers: [any]
        sources: [s1]
  - id: cn-fentanyl-class
    name: "China class"
    rule: "China's four items"
    controls:
      - jurisdiction: CN
        instrument: "class listing"
        category: "narcotic drug"
        effective: 2019-05-01
        covers: [any]
        sources: [s1]
"""
ENTRY = """substances:
  - id: pff
    name: "para-Fluorofentanyl"
    role: drug
    smiles: "{smiles}"
    inchikey: "{key}"
    sources: [s1]
    controls: {controls}
"""
LISTING = """
      - jurisdiction: US
        instrument: "own listing"
        category: "Schedule I"
        effective: 2017-01-01
        verified: {verified}
        sources: [s1]
        note: "test"
"""


def _catalog(tmp_path: Path, listing: str) -> Catalog:
    (tmp_path / "substances").mkdir()
    (tmp_path / "sources.yaml").write_text(SOURCES, encoding="utf-8")
    (tmp_path / "classes.yaml").write_text(CLASSES, encoding="utf-8")
    key = Chem.MolToInchiKey(Chem.MolFromSmiles(PFF))
    text = ENTRY.format(smiles=PFF, key=key, controls=listing or "[]")
    (tmp_path / "substances" / "pff.yaml").write_text(text, encoding="utf-8")
    return read_catalog(tmp_path)


@pytest.mark.parametrize(
    ("listing", "member", "class_controls"),
    [
        (LISTING.format(verified="true"), False, 0),  # excluded: its own listing applies
        (LISTING.format(verified="false"), True, 1),  # unverified listing: the class applies
        ("", True, 1),  # not listed: a class member
    ],
)
def test_membership_follows_verified_individual_listing(
    tmp_path: Path, listing: str, member: bool, class_controls: int
) -> None:
    catalog = _catalog(tmp_path, listing)
    substance = catalog.get("pff")
    verdict = classify(Chem.MolFromSmiles(PFF), substance, catalog, salt=False)
    (us,) = [c for c in verdict.classes if c.class_id == "us-frs"]
    assert us.modifications == ("D",)
    assert us.legal_member is member
    assert len([c for c in verdict.controls if c.via_class == "us-frs"]) == class_controls
    if listing and not member:
        assert "excluded" in " ".join(verdict.sentences)
    if "false" in listing:
        assert "individual US listing not verified" in us.flags
