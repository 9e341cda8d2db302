"""Tests of the regions that the US and Chinese fentanyl-class definitions treat alike.

The acyl group (US (E), China "acyl"), the N-aryl ring (US (D), China "n-aryl") and the piperidine
substituents (US (C), China "piperidine") have the same wording in both definitions, so both rule
modules call these. The N1 substituent differs between them and is tested in each rule module.

Each test returns a `Verdict`: whether the region stays within the definition, whether it is
modified relative to fentanyl, a sentence saying what it is, ambiguity flag ids, and the atoms.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdkit import Chem

from chainbreaker.chem.fentanyl_scaffold import Region, Scaffold, subtree
from chainbreaker.chem.substituents import canonical, classify, fragment_smiles

# Names of common acyl groups, keyed by the canonical SMILES of the acyl fragment written as the
# aldehyde it would be with H in place of the anilide nitrogen.
_ACYL_NAMES = {
    "CC=O": "acetyl",
    "CCC=O": "propionyl",
    "CCCC=O": "butyryl",
    "CC(C)C=O": "2-methylpropanoyl (isobutyryl)",
    "CCCCC=O": "valeryl (pentanoyl)",
    "C=CC=O": "acryloyl",
    "C=C(C)C=O": "methacryloyl",
    "CC=CC=O": "crotonyl (but-2-enoyl)",
    "COCC=O": "methoxyacetyl",
    "O=Cc1ccco1": "furan-2-carbonyl",
    "O=CC1CCCO1": "tetrahydrofuran-2-carbonyl",
    "O=Cc1cccs1": "thiophene-2-carbonyl",
    "O=Cc1ccccc1": "benzoyl",
    "O=CC1CC1": "cyclopropanecarbonyl",
    "O=CC1CCC1": "cyclobutanecarbonyl",
    "O=CC1CCCC1": "cyclopentanecarbonyl",
    "O=CC1CCCCC1": "cyclohexanecarbonyl",
    "O=CCCc1ccccc1": "3-phenylpropanoyl",
    "C=O": "formyl",
    "COC=O": "methoxycarbonyl",
    "CCOC=O": "ethoxycarbonyl",
    "CCC=S": "thiopropionyl",
}
_ACYL_KEYS = {canonical(k): v for k, v in _ACYL_NAMES.items()}


@dataclass(frozen=True, slots=True)
class Verdict:
    """The outcome of testing one region against the definition."""

    ok: bool  # within the definition
    modified: bool  # differs from fentanyl
    text: str  # what the region is (when modified) or why it is outside (when not ok)
    atoms: tuple[int, ...] = ()  # atoms of the modification (or of the offending part)
    flags: tuple[str, ...] = ()  # ids of the ambiguity flags that apply


def acyl_verdict(mol: Chem.Mol, sc: Scaffold) -> Verdict:
    """The N-acyl group: propionyl unchanged, or another acyl group (with ambiguity flags)."""
    centre = mol.GetAtomWithIdx(sc.acyl_centre)
    r = sc.acyl
    atoms = (sc.acyl_centre, *sc.acyl_terminal, *(r.atoms if r else ()))
    name = _acyl_name(mol, atoms, sc.acyl_centre)
    if centre.GetSymbol() == "S":
        return Verdict(True, True, f"N-propionyl replaced by sulfonyl {name}", atoms, ("sulfonyl",))
    if mol.GetAtomWithIdx(sc.acyl_terminal[0]).GetSymbol() == "S":
        return Verdict(
            True, True, f"N-propionyl replaced by thioacyl {name}", atoms, ("thiocarbonyl",)
        )
    if r is None:
        return Verdict(True, True, "N-propionyl replaced by formyl", atoms, ("formyl",))
    root = mol.GetAtomWithIdx(r.root)
    if _is_ethyl(mol, r):
        return Verdict(True, False, "N-propionyl (as in fentanyl)", atoms)
    sym = root.GetSymbol()
    if sym == "O":
        text = f"N-propionyl replaced by {name} (a carbamate: alkoxycarbonyl treated as acyl)"
        return Verdict(True, True, text, atoms, ("carbamate",))
    if sym == "N":
        text = f"N-propionyl replaced by carbamoyl {name} (a urea)"
        return Verdict(True, True, text, atoms, ("urea",))
    if sym == "S":
        return Verdict(True, True, f"N-propionyl replaced by S-acyl {name}", atoms, ("thioester",))
    if sym != "C":
        return Verdict(True, True, f"N-propionyl replaced by {name}", atoms, ("unusual-acyl",))
    if any(
        b.GetBondType() == Chem.BondType.DOUBLE and b.GetOtherAtom(root).GetSymbol() == "O"
        for b in root.GetBonds()
    ):
        return Verdict(True, True, f"N-propionyl replaced by {name} (oxalyl)", atoms, ("oxalyl",))
    return Verdict(True, True, f"N-propionyl replaced by {name}", atoms)


def _is_ethyl(mol: Chem.Mol, r: Region) -> bool:
    if len(r.atoms) != 2 or r.bond_order != 1.0:
        return False
    a, b = (mol.GetAtomWithIdx(i) for i in r.atoms)
    bond = mol.GetBondBetweenAtoms(a.GetIdx(), b.GetIdx())
    return (
        a.GetSymbol() == b.GetSymbol() == "C"
        and bond is not None
        and bond.GetBondType() == Chem.BondType.SINGLE
    )


def _acyl_name(mol: Chem.Mol, atoms: tuple[int, ...], centre: int) -> str:
    smiles = fragment_smiles(mol, atoms, centre)
    return _ACYL_KEYS.get(canonical(smiles), f"acyl {smiles}")


def aniline_verdict(mol: Chem.Mol, sc: Scaffold) -> Verdict:
    """The N-aryl ring: phenyl unchanged, or any aromatic monocycle, substituted or not."""
    region = sc.aniline
    if region is None:  # pragma: no cover - the anchor guarantees an aryl region or a crosslink
        return Verdict(False, True, "the anilide nitrogen carries no aryl group")
    ring = ring_of(mol, sc.ipso)
    if ring is None:
        smiles = fragment_smiles(mol, region.atoms, region.root)
        return Verdict(
            False,
            True,
            f"the aniline ring is replaced by a fused, spiro or bridged ring system ({smiles}), "
            "not an aromatic monocycle as (D) requires",
            region.atoms,
        )
    is_phenyl = len(ring) == 6 and all(mol.GetAtomWithIdx(i).GetSymbol() == "C" for i in ring)
    if is_phenyl and len(region.atoms) == 6:
        return Verdict(True, False, "phenyl (as in fentanyl)", region.atoms)
    return Verdict(
        True,
        True,
        "aniline ring replaced by " + ring_description(mol, ring, sc.amide_n),
        region.atoms,
    )


def ring_of(mol: Chem.Mol, atom: int) -> tuple[int, ...] | None:
    """The ring containing `atom`, ordered from `atom`, if it is a monocycle; else None."""
    info = mol.GetRingInfo()
    rings = [r for r in info.AtomRings() if atom in r]
    if len(rings) != 1:
        return None
    ring = rings[0]
    if any(info.NumAtomRings(i) != 1 for i in ring):
        return None
    k = ring.index(atom)
    return tuple(ring[k:] + ring[:k])


def ring_description(mol: Chem.Mol, ring: tuple[int, ...], outside: int) -> str:
    """Describe a monocycle (ordered from its attachment atom) and its substituents.

    `outside` is the atom the ring hangs on (not a substituent of the ring).
    """
    ring_set = set(ring) | {outside}
    subs: list[tuple[int, str]] = []  # (position index along the ring, name)
    for k, i in enumerate(ring):
        for bond in mol.GetAtomWithIdx(i).GetBonds():
            j = bond.GetOtherAtomIdx(i)
            if j in ring_set:
                continue
            atoms = subtree(mol, j, ring_set)
            subs.append((k, classify(mol, j, atoms, bond.GetBondTypeAsDouble()).name))
    aromatic = all(mol.GetAtomWithIdx(i).GetIsAromatic() for i in ring)
    phenyl = (
        len(ring) == 6 and aromatic and all(mol.GetAtomWithIdx(i).GetSymbol() == "C" for i in ring)
    )
    if phenyl:
        if not subs:
            return "phenyl"
        loc = _locants([k for k, _ in subs], len(ring))
        parts = sorted(zip(loc, (_bracket(name) for _, name in subs), strict=True))
        prefix = "-".join(f"{n}-{name}" for n, name in parts)
        return f"{prefix}phenyl (substituted aromatic monocycle)"
    kind = "aromatic" if aromatic else "non-aromatic"
    atoms = subtree(mol, ring[0], {outside})
    return f"{kind} {len(ring)}-membered monocycle ({fragment_smiles(mol, atoms, ring[0])})"


def _bracket(name: str) -> str:
    return name if name.isalpha() else f"({name})"


def _locants(positions: list[int], size: int) -> list[int]:
    """Ring locants (attachment = 1), numbering in the direction that gives the lower set."""
    forward = [p + 1 for p in positions]
    backward = [(size - p) % size + 1 for p in positions]
    return forward if sorted(forward) <= sorted(backward) else backward


def piperidine_verdict(mol: Chem.Mol, sc: Scaffold, allowed: frozenset[str]) -> Verdict:
    """Substituents on the piperidine carbons: each must be of a kind in `allowed` (list C)."""
    if not sc.piperidine:
        return Verdict(True, False, "piperidine unsubstituted (as in fentanyl)")
    position = {c: k + 2 for k, c in enumerate(sc.ring)}
    forward = [position[r.core_atom] for r in sc.piperidine]
    backward = [8 - p for p in forward]
    locs = forward if sorted(forward) <= sorted(backward) else backward
    listed: list[str] = []
    bad: list[str] = []
    flags: list[str] = []
    atoms: list[int] = []
    for loc, region in zip(locs, sc.piperidine, strict=True):
        sub = classify(mol, region.root, region.atoms, region.bond_order)
        atoms.extend(region.atoms)
        if sub.in_list(allowed):
            listed.append(f"{loc}-{sub.name} ({sub.kind})")
            if sub.alkylamino:
                flags.append("alkylamino")
        else:
            bad.append(f"{loc}-{sub.name} ({sub.kind})")
            if sub.kind.startswith("cycloalkyl"):
                flags.append("cycloalkyl")
    if bad:
        text = "piperidine substituent outside the closed list of (C): " + ", ".join(bad)
        return Verdict(False, True, text, tuple(atoms), tuple(flags))
    return Verdict(
        True, True, "piperidine substituted with " + ", ".join(listed), tuple(atoms), tuple(flags)
    )
