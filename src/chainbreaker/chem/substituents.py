"""Classify a substituent into the group kinds that the fentanyl-class definitions name.

Modification (B) allows "alkyl, alkenyl, alkoxyl, hydroxyl, halo, haloalkyl, amino, or nitro"
groups; (C) adds "ester" and "ether". The lists are closed, so a substituent is classified
strictly: a group that is a combination of listed groups (hydroxymethyl, haloalkoxyl) is not
itself a listed group, and is reported with a plain description instead.

Reading choices (each is also reported as a flag where it matters):
- alkyl, alkenyl and haloalkyl are acyclic (a cycloalkyl is reported as "cycloalkyl");
- amino includes alkylamino and dialkylamino (flag ``alkylamino``);
- ether is an acyclic C/O group whose oxygens are all C–O–C (methoxymethyl); an O-alkyl group
  attached through its oxygen is an alkoxyl (and also an ether, for list C);
- ester is an acyclic group with a C(=O)O–C, attached through carbon (methoxycarbonyl,
  CH2C(=O)OMe) or oxygen (acetoxy).
"""

from __future__ import annotations

from dataclasses import dataclass

from rdkit import Chem

from chainbreaker.chem.fragment_smiles import fragment_smiles, smiles_key

# The listed kinds this classifier can recognise (the legal lists themselves are in the data file).
KNOWN_KINDS = frozenset(
    {
        "alkyl",
        "alkenyl",
        "alkoxyl",
        "hydroxyl",
        "halo",
        "haloalkyl",
        "amino",
        "nitro",
        "ester",
        "ether",
    }
)

_HALOGENS = frozenset({"F", "Cl", "Br", "I"})
# Names of common groups, written as SMILES from the attachment atom (atom 0).
_NAME_TABLE = {
    "C": "methyl",
    "CC": "ethyl",
    "CCC": "propyl",
    "C(C)C": "isopropyl",
    "C=C": "vinyl",
    "CC=C": "allyl",
    "F": "fluoro",
    "Cl": "chloro",
    "Br": "bromo",
    "I": "iodo",
    "O": "hydroxy",
    "OC": "methoxy",
    "OCC": "ethoxy",
    "N": "amino",
    "NC": "methylamino",
    "N(C)C": "dimethylamino",
    "[N+](=O)[O-]": "nitro",
    "COC": "methoxymethyl",
    "CO": "hydroxymethyl",
    "C(=O)OC": "methoxycarbonyl (methyl ester)",
    "C(=O)OCC": "ethoxycarbonyl (ethyl ester)",
    "OC(C)=O": "acetoxy",
    "C(F)(F)F": "trifluoromethyl",
    "OC(F)(F)F": "trifluoromethoxy",
    "C#N": "cyano",
    "S": "sulfanyl",
    "SC": "methylthio",
    "c1ccccc1": "phenyl",
}
_NAMES = {smiles_key(k): v for k, v in _NAME_TABLE.items()}
_DOUBLE_NAMES = {"O": "oxo", "S": "thioxo", "C": "methylidene"}


@dataclass(frozen=True, slots=True)
class Substituent:
    """A classified substituent: its kind, a readable name, and its atoms."""

    kind: str  # one of the list kinds, or a description such as "cyano", "oxo", "aryl"
    name: str  # e.g. "methyl", "methoxycarbonyl (methyl ester)", or the fragment SMILES
    atoms: tuple[int, ...]
    alkylamino: bool = False  # an amino group carrying alkyl groups (reading choice)

    def in_list(self, allowed: frozenset[str]) -> bool:
        return self.kind in allowed


def classify(mol: Chem.Mol, root: int, atoms: tuple[int, ...], bond_order: float) -> Substituent:
    """Classify the substituent `atoms` (attached through `root` by a bond of `bond_order`)."""
    smiles = fragment_smiles(mol, atoms, root)
    if bond_order != 1.0:
        prefix = "=" if bond_order == 2.0 else "#"
        kind = _multiple_bond_kind(mol.GetAtomWithIdx(root).GetSymbol(), bond_order)
        name = _DOUBLE_NAMES.get(smiles, "") if bond_order == 2.0 else ""
        name = name or f"{kind} ({prefix}{smiles})"
        return Substituent(kind, name, atoms)
    kind, alkylamino = _kind(mol, root, atoms)
    name = _NAMES.get(smiles, smiles)
    return Substituent(kind, name, atoms, alkylamino)


def _multiple_bond_kind(symbol: str, order: float) -> str:
    if order == 2.0:
        return {"O": "oxo", "S": "thioxo", "N": "imino", "C": "alkylidene"}.get(
            symbol, "double-bonded group"
        )
    return "triple-bonded group"


def _kind(mol: Chem.Mol, root: int, atoms: tuple[int, ...]) -> tuple[str, bool]:
    atom_set = set(atoms)
    ra = mol.GetAtomWithIdx(root)
    sym = ra.GetSymbol()
    ring_info = mol.GetRingInfo()
    if any(ring_info.NumAtomRings(i) for i in atoms):
        if any(mol.GetAtomWithIdx(i).GetIsAromatic() for i in atoms):
            return "aryl or ring-bearing group", False
        return "cycloalkyl or ring-bearing group", False
    if len(atoms) == 1:
        if sym in _HALOGENS:
            return "halo", False
        single = {"O": "hydroxyl", "N": "amino", "C": "alkyl", "S": "sulfanyl (thiol)"}
        return single.get(sym, f"{sym} atom"), False
    if sym == "N":
        return _amino_or_nitro(mol, ra, atom_set)
    if sym == "O":
        rest = atom_set - {root}
        if _is_alkyl(mol, rest):
            return "alkoxyl", False
        return _is_ester_ether(mol, atom_set) or "other oxygen group", False
    if sym == "S":
        return "thio group", False
    if sym != "C":
        return f"{sym}-linked group", False
    symbols = {mol.GetAtomWithIdx(i).GetSymbol() for i in atoms}
    if symbols == {"C"}:
        return _hydrocarbon_kind(mol, atom_set), False
    halogens_on_carbon = all(
        nb.GetSymbol() == "C"
        for i in atom_set
        if mol.GetAtomWithIdx(i).GetSymbol() in _HALOGENS
        for nb in mol.GetAtomWithIdx(i).GetNeighbors()
    )
    if symbols <= {"C"} | _HALOGENS and _all_single(mol, atom_set) and halogens_on_carbon:
        return "haloalkyl", False
    if symbols == {"C", "O"}:
        kind = _is_ester_ether(mol, atom_set)
        if kind:
            return kind, False
        return "oxygenated alkyl (e.g. hydroxyalkyl, carbonyl, carboxyl)", False
    if symbols == {"C", "N"} and any(
        b.GetBondType() == Chem.BondType.TRIPLE
        for i in atom_set
        for b in mol.GetAtomWithIdx(i).GetBonds()
    ):
        return "cyano", False
    return "other group", False


def _amino_or_nitro(mol: Chem.Mol, ra: Chem.Atom, atom_set: set[int]) -> tuple[str, bool]:
    rest = atom_set - {ra.GetIdx()}
    oxygens = [i for i in rest if mol.GetAtomWithIdx(i).GetSymbol() == "O"]
    if len(rest) == 2 and len(oxygens) == 2:
        return "nitro", False
    if _is_alkyl(mol, rest) and all(
        mol.GetBondBetweenAtoms(ra.GetIdx(), i) is None
        or mol.GetBondBetweenAtoms(ra.GetIdx(), i).GetBondType() == Chem.BondType.SINGLE
        for i in rest
    ):
        return "amino", True
    return "other nitrogen group", False


def _all_single(mol: Chem.Mol, atom_set: set[int]) -> bool:
    for i in atom_set:
        for b in mol.GetAtomWithIdx(i).GetBonds():
            if b.GetOtherAtomIdx(i) in atom_set and b.GetBondType() != Chem.BondType.SINGLE:
                return False
    return True


def _is_alkyl(mol: Chem.Mol, atom_set: set[int]) -> bool:
    """All carbon, all single bonds (acyclicity is checked by the caller)."""
    return all(mol.GetAtomWithIdx(i).GetSymbol() == "C" for i in atom_set) and _all_single(
        mol, atom_set
    )


def _hydrocarbon_kind(mol: Chem.Mol, atom_set: set[int]) -> str:
    orders = {
        b.GetBondType()
        for i in atom_set
        for b in mol.GetAtomWithIdx(i).GetBonds()
        if b.GetOtherAtomIdx(i) in atom_set
    }
    if Chem.BondType.TRIPLE in orders:
        return "alkynyl"
    if Chem.BondType.DOUBLE in orders:
        return "alkenyl"
    return "alkyl"


def _is_ester_ether(mol: Chem.Mol, atom_set: set[int]) -> str | None:
    """'ester' or 'ether' for an acyclic C/O group made only of those functions, else None."""
    has_ester = False
    has_ether = False
    carbonyls: set[int] = set()
    for i in atom_set:
        a = mol.GetAtomWithIdx(i)
        if a.GetSymbol() != "C":
            continue
        for b in a.GetBonds():
            other = b.GetOtherAtom(a)
            if b.GetBondType() == Chem.BondType.TRIPLE:
                return None
            if b.GetBondType() == Chem.BondType.DOUBLE:
                if other.GetSymbol() != "O":
                    return None
                carbonyls.add(i)
    for i in atom_set:
        a = mol.GetAtomWithIdx(i)
        if a.GetSymbol() != "O":
            continue
        nbs = a.GetNeighbors()
        if len(nbs) == 1 and nbs[0].GetIdx() in carbonyls:
            bond = mol.GetBondBetweenAtoms(i, nbs[0].GetIdx())
            if bond.GetBondType() == Chem.BondType.DOUBLE:
                continue  # carbonyl oxygen, checked with its ester below
        if len(nbs) != 2 or any(nb.GetSymbol() != "C" for nb in nbs):
            return None  # OH, peroxide, ...
        if any(nb.GetIdx() in carbonyls for nb in nbs):
            has_ester = True
        else:
            has_ether = True
    for c in carbonyls:
        a = mol.GetAtomWithIdx(c)
        single_o = [
            nb
            for nb in a.GetNeighbors()
            if nb.GetSymbol() == "O" and nb.GetDegree() == 2 and nb.GetIdx() in atom_set
        ]
        if not single_o:
            return None  # ketone, aldehyde
    if has_ester:
        return "ester"
    if has_ether:
        return "ether"
    return None
