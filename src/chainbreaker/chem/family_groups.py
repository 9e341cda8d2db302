"""The groups hanging off a precursor-family core, and their names.

A group is everything reachable from one core atom without re-entering the core. It is named by
what it is and where it sits: an alkoxycarbonyl on a nitrogen is a carbamate (Boc, Cbz, ...), an
acyl there an amide, a plain alkyl on the piperidine N or a ring carbon an alkyl, and so on.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rdkit import Chem

from chainbreaker.chem.family_definitions import AtomSpec

__all__ = [
    "HALOGENS",
    "Group",
    "aromatic_ring",
    "component",
    "describe",
    "groups_off",
    "ring_position",
]

HALOGENS = {9: "fluorine", 17: "chlorine", 35: "bromine", 53: "iodine"}
_SITE = {
    "piperidine-n": "the piperidine N1",
    "anilino-n": "the anilino N",
    "c4": "C4",
    "ethyl": "the ethyl bridge",
    "acyl-carbon": "the acyl group",
    "c4-oxygen": "the C4 oxygen",
    "acyl-oxygen": "the acyl oxygen",
    "imine-n": "the imine N",
}


def _named(patterns: list[tuple[str, str]]) -> list[tuple[Chem.Mol, str]]:
    return [(Chem.MolFromSmarts(smarts), name) for smarts, name in patterns]


# Named protecting and acyl groups, each anchored at its first atom (the carbonyl carbon) and
# matched only when the pattern covers the whole group.
_CARBAMATES = _named(
    [
        ("[CX3](=O)O[CX4]([CH3])([CH3])[CH3]", "tert-butoxycarbonyl (Boc)"),
        ("[CX3](=O)O[CH2]c1ccccc1", "benzyloxycarbonyl (Cbz)"),
        ("[CX3](=O)O[CH2][CH1]1c2ccccc2-c2ccccc12", "fluorenylmethoxycarbonyl (Fmoc)"),
        ("[CX3](=O)O[CH2]C(Cl)(Cl)Cl", "trichloroethoxycarbonyl (Troc)"),
        ("[CX3](=O)O[CH2][CH1]=[CH2]", "allyloxycarbonyl (Alloc)"),
        ("[CX3](=O)O[CH3]", "methoxycarbonyl (Moc)"),
        ("[CX3](=O)O[CH2][CH3]", "ethoxycarbonyl"),
    ]
)
_ACYLS = _named(
    [
        ("[CX3H1]=O", "formyl"),
        ("[CX3](=O)[CH3]", "acetyl"),
        ("[CX3](=O)[CH2][CH3]", "propionyl"),
        ("[CX3](=O)[CH2][CH2][CH3]", "butyryl"),
        ("[CX3](=O)[CH1]([CH3])[CH3]", "isobutyryl"),
        ("[CX3](=O)[CH1]=[CH2]", "acryloyl"),
        ("[CX3](=O)C(F)(F)F", "trifluoroacetyl"),
        ("[CX3](=O)[CH2]O[CH3]", "methoxyacetyl"),
        ("[CX3](=O)c1ccccc1", "benzoyl"),
        ("[CX3](=O)c1ccco1", "furan-2-carbonyl"),
    ]
)
_ALKYLS = {1: "methyl", 2: "ethyl", 3: "propyl", 4: "butyl"}


@dataclass(frozen=True)
class Group:
    """A substituent: its atoms, the core atom it hangs on, and its first atom."""

    attached_to: int
    first: int
    atoms: frozenset[int]

    def is_halogen(self, mol: Chem.Mol) -> bool:
        return len(self.atoms) == 1 and mol.GetAtomWithIdx(self.first).GetAtomicNum() in HALOGENS

    def is_ethyl(self, mol: Chem.Mol) -> bool:
        return len(self.atoms) == 2 and _is_alkyl(mol, self.atoms)


def aromatic_ring(mol: Chem.Mol, atom: int) -> tuple[int, ...]:
    """The smallest fully aromatic ring holding `atom`, or just the atom when there is none."""
    rings = [
        r
        for r in mol.GetRingInfo().AtomRings()
        if atom in r and all(mol.GetAtomWithIdx(i).GetIsAromatic() for i in r)
    ]
    return min(rings, key=len) if rings else (atom,)


def component(mol: Chem.Mol, start: int, stop: set[int]) -> set[int]:
    """Heavy atoms reachable from start without entering stop."""
    seen = {start}
    todo = [start]
    while todo:
        for nbr in mol.GetAtomWithIdx(todo.pop()).GetNeighbors():
            idx = nbr.GetIdx()
            if idx not in seen and idx not in stop and nbr.GetAtomicNum() != 1:
                seen.add(idx)
                todo.append(idx)
    return seen


def groups_off(mol: Chem.Mol, core: set[int]) -> list[Group]:
    """Every substituent hanging off the core, with the core atom it is attached to."""
    groups: list[Group] = []
    claimed: set[int] = set()
    for idx in sorted(core):
        for nbr in mol.GetAtomWithIdx(idx).GetNeighbors():
            n = nbr.GetIdx()
            if n in core or n in claimed or nbr.GetAtomicNum() == 1:
                continue
            atoms = component(mol, n, core)
            claimed.update(atoms)
            groups.append(Group(idx, n, frozenset(atoms)))
    return groups


def describe(mol: Chem.Mol, group: Group, spec: AtomSpec) -> tuple[str, str]:
    """Name a substituent by what it is and where it sits: (modification, words)."""
    role = spec.role
    site = _SITE.get(role) or (
        f"the {spec.ring} ring" if role == "aryl" else f"ring carbon {spec.name}"
    )
    if role in ("piperidine-n", "anilino-n"):
        carbamate = _carbonyl_kind(mol, group)
        if carbamate == "carbamate":
            return (
                "carbamate",
                f"a {_name_of(mol, group, _CARBAMATES, 'alkoxycarbonyl')} carbamate on {site}",
            )
        if carbamate == "acyl":
            return "amide", f"a {_name_of(mol, group, _ACYLS, 'acyl')} amide on {site}"
        if role == "piperidine-n" and _is_benzyl(mol, group):
            plain = len(group.atoms) == 7
            return "n-benzyl", f"a {'' if plain else 'substituted '}benzyl group on {site}"
        if role == "piperidine-n" and _is_alkyl(mol, group.atoms):
            return "n-alkyl", f"a {_alkyl_name(group)} group on {site}"
    if role == "ring-carbon" and _is_alkyl(mol, group.atoms):
        return "ring-alkyl", f"a {_alkyl_name(group)} on {site}"
    if role == "acyl-carbon":
        atoms = {group.attached_to, *group.atoms}
        atoms.update(
            n.GetIdx()
            for n in mol.GetAtomWithIdx(group.attached_to).GetNeighbors()
            if n.GetAtomicNum() == 8
        )
        name = _name_of(
            mol,
            Group(group.attached_to, group.attached_to, frozenset(atoms)),
            _ACYLS,
            f"{_fragment(mol, group)}-carbonyl",
        )
        return "other", f"a {name} group in place of the propionyl"
    return "other", f"a {_fragment(mol, group)} group on {site}"


def _carbonyl_kind(mol: Chem.Mol, group: Group) -> str | None:
    """'carbamate' for N-C(=O)-O-C, 'acyl' for N-C(=O)-C/H, None otherwise."""
    atom = mol.GetAtomWithIdx(group.first)
    if atom.GetAtomicNum() != 6 or atom.GetIsAromatic():
        return None
    double_o = single_o = other_hetero = 0
    for bond in atom.GetBonds():
        nbr = bond.GetOtherAtom(atom)
        if nbr.GetIdx() == group.attached_to:
            continue
        if nbr.GetAtomicNum() == 8 and bond.GetBondType() == Chem.BondType.DOUBLE:
            double_o += 1
        elif nbr.GetAtomicNum() == 8 and any(
            n.GetAtomicNum() == 6 and n.GetIdx() != atom.GetIdx() for n in nbr.GetNeighbors()
        ):
            single_o += 1
        elif nbr.GetAtomicNum() not in (1, 6):
            other_hetero += 1
    if double_o != 1 or other_hetero:
        return None
    return "carbamate" if single_o == 1 else "acyl" if single_o == 0 else None


def _name_of(mol: Chem.Mol, group: Group, table: list[tuple[Chem.Mol, str]], default: str) -> str:
    for pattern, name in table:
        if pattern.GetNumAtoms() != len(group.atoms):
            continue
        for hit in mol.GetSubstructMatches(pattern):
            if hit[0] == group.first and set(hit) <= group.atoms:
                return name
    return default


def _is_alkyl(mol: Chem.Mol, atoms: Iterable[int]) -> bool:
    """Only sp3 carbons (a saturated hydrocarbon, chain or ring)."""
    for idx in atoms:
        atom = mol.GetAtomWithIdx(idx)
        if atom.GetAtomicNum() != 6 or atom.GetIsAromatic():
            return False
        if any(b.GetBondType() != Chem.BondType.SINGLE for b in atom.GetBonds()):
            return False
    return True


def _is_benzyl(mol: Chem.Mol, group: Group) -> bool:
    first = mol.GetAtomWithIdx(group.first)
    if first.GetAtomicNum() != 6 or first.GetTotalNumHs() != 2:
        return False
    for nbr in first.GetNeighbors():
        if nbr.GetIdx() != group.attached_to and nbr.GetIsAromatic():
            ring = aromatic_ring(mol, nbr.GetIdx())
            return len(ring) == 6 and all(mol.GetAtomWithIdx(i).GetAtomicNum() == 6 for i in ring)
    return False


def _alkyl_name(group: Group) -> str:
    return _ALKYLS.get(len(group.atoms), f"C{len(group.atoms)} alkyl")


def _fragment(mol: Chem.Mol, group: Group) -> str:
    return str(Chem.MolFragmentToSmiles(mol, atomsToUse=sorted(group.atoms), canonical=True))


def ring_position(mol: Chem.Mol, anchor: int, atom: int) -> str:
    """ortho/meta/para of a ring atom relative to the ring atom that joins the core."""
    ring = aromatic_ring(mol, anchor)
    if atom not in ring or len(ring) != 6:
        return "ring position unknown"
    steps = abs(ring.index(atom) - ring.index(anchor))
    return {1: "ortho", 2: "meta", 3: "para"}.get(min(steps, 6 - steps), "ipso")
