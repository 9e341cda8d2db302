"""Groups off a precursor-family core and their names: worked out by hand from the SMILES."""

from __future__ import annotations

from rdkit import Chem

from chainbreaker.chem.family_definitions import AtomSpec
from chainbreaker.chem.family_groups import Group, describe, groups_off, ring_position

N1 = AtomSpec(name="N1", role="piperidine-n")


def test_boc_piperidone_has_two_groups_off_the_ring() -> None:
    # C0 C1(C2)(C3) O4 C5(=O6) N7 C8 C9 C10(=O11) C12 C13: the ring is N7 C8 C9 C10 C12 C13
    mol = Chem.MolFromSmiles("CC(C)(C)OC(=O)N1CCC(=O)CC1")
    ring = {7, 8, 9, 10, 12, 13}
    assert groups_off(mol, ring) == [
        Group(attached_to=7, first=5, atoms=frozenset({0, 1, 2, 3, 4, 5, 6})),
        Group(attached_to=10, first=11, atoms=frozenset({11})),
    ]


def test_boc_on_the_piperidine_nitrogen_is_a_carbamate() -> None:
    mol = Chem.MolFromSmiles("CC(C)(C)OC(=O)N1CCC(=O)CC1")
    boc = groups_off(mol, {7, 8, 9, 10, 12, 13})[0]
    assert describe(mol, boc, N1) == (
        "carbamate",
        "a tert-butoxycarbonyl (Boc) carbamate on the piperidine N1",
    )


def test_acetyl_on_the_nitrogen_is_an_amide_and_benzyl_and_alkyl_are_named() -> None:
    # ring atoms: the N and the five ring carbons after the substituent
    acetyl = Chem.MolFromSmiles("CC(=O)N1CCCCC1")  # C0 C1 O2 N3, ring 3-8
    group = groups_off(acetyl, {3, 4, 5, 6, 7, 8})[0]
    # "a acetyl": the article is put right when the phrases are joined
    assert describe(acetyl, group, N1) == ("amide", "a acetyl amide on the piperidine N1")
    benzyl = Chem.MolFromSmiles("c1ccccc1CN1CCCCC1")  # benzene 0-5, CH2 6, ring 7-12
    group = groups_off(benzyl, {7, 8, 9, 10, 11, 12})[0]
    assert describe(benzyl, group, N1) == ("n-benzyl", "a benzyl group on the piperidine N1")
    propyl = Chem.MolFromSmiles("CCCN1CCCCC1")  # propyl 0-2, ring 3-8
    group = groups_off(propyl, {3, 4, 5, 6, 7, 8})[0]
    assert describe(propyl, group, N1) == ("n-alkyl", "a propyl group on the piperidine N1")


def test_ring_position_relative_to_the_anchor() -> None:
    # F0 c1 c2 c3 c4(N5) c6 c7: the fluorine's carbon c1 is para to c4, c2 meta, c3 ortho
    mol = Chem.MolFromSmiles("Fc1ccc(N)cc1")
    assert ring_position(mol, 4, 1) == "para"
    assert ring_position(mol, 4, 2) == "meta"
    assert ring_position(mol, 4, 3) == "ortho"
    assert ring_position(mol, 4, 0) == "ring position unknown"  # F is not a ring atom
