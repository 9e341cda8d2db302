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

from chainbreaker.chem.fentanyl_scaffold import Region, Scaffold, has_anchor, scaffolds, subtree
from chainbreaker.chem.fragment_smiles import fragment_smiles, smiles_key
from chainbreaker.chem.substituents import classify

# Names of common acyl groups, written as SMILES from the carbonyl carbon (atom 0).
_ACYL_NAMES = {
    "C(=O)C": "acetyl",
    "C(=O)CC": "propionyl",
    "C(=O)CCC": "butyryl",
    "C(=O)C(C)C": "2-methylpropanoyl (isobutyryl)",
    "C(=O)CCCC": "valeryl (pentanoyl)",
    "C(=O)C=C": "acryloyl",
    "C(=O)C(=C)C": "methacryloyl",
    "C(=O)C=CC": "crotonyl (but-2-enoyl)",
    "C(=O)COC": "methoxyacetyl",
    "C(=O)c1ccco1": "furan-2-carbonyl",
    "C(=O)C1CCCO1": "tetrahydrofuran-2-carbonyl",
    "C(=O)c1cccs1": "thiophene-2-carbonyl",
    "C(=O)c1ccccc1": "benzoyl",
    "C(=O)C1CC1": "cyclopropanecarbonyl",
    "C(=O)C1CCC1": "cyclobutanecarbonyl",
    "C(=O)C1CCCC1": "cyclopentanecarbonyl",
    "C(=O)C1CCCCC1": "cyclohexanecarbonyl",
    "C(=O)CCc1ccccc1": "3-phenylpropanoyl",
    "C=O": "formyl",
    "C(=O)OC": "methoxycarbonyl",
    "C(=O)OCC": "ethoxycarbonyl",
    "C(=S)CC": "thiopropionyl",
}
_ACYL_KEYS = {smiles_key(k): v for k, v in _ACYL_NAMES.items()}


@dataclass(frozen=True, slots=True)
class Verdict:
    """The outcome of testing one region against the definition."""

    ok: bool  # within the definition
    modified: bool  # differs from fentanyl
    text: str  # what the region is (when modified) or why it is outside (when not ok)
    atoms: tuple[int, ...] = ()  # atoms of the modification (or of the offending part)
    flags: tuple[str, ...] = ()  # ids of the ambiguity flags that apply


@dataclass(frozen=True, slots=True)
class Analysis:
    """One placement of the anchor with the verdicts both class definitions share."""

    scaffold: Scaffold
    acyl: Verdict
    aniline: Verdict


# The last molecule analysed: the US rule, China's rule, the near-miss text and the alert are
# usually asked about the same molecule in a row, so its partition is computed once.
_LAST: list[tuple[Chem.Mol, tuple[Analysis, ...]]] = []


def analyse(mol: Chem.Mol) -> tuple[Analysis, ...]:
    """Every placement of the anchor in `mol` with its acyl and N-aryl verdicts (cached)."""
    last = _LAST[0] if _LAST else None
    if last is not None and last[0] is mol:
        return last[1]
    result: tuple[Analysis, ...] = ()
    if has_anchor(mol):
        # Fresh SSSR ring information: on some standardised molecules RDKit's fragment ranking
        # (used to write group SMILES) otherwise discards the ring information mid-analysis.
        Chem.GetSymmSSSR(mol)
        result = tuple(
            Analysis(sc, acyl_verdict(mol, sc), aniline_verdict(mol, sc)) for sc in scaffolds(mol)
        )
    _LAST[:] = [(mol, result)]
    return result


def acyl_verdict(mol: Chem.Mol, sc: Scaffold) -> Verdict:
    """The N-acyl group: propionyl unchanged, or another acyl group (with ambiguity flags)."""
    centre = mol.GetAtomWithIdx(sc.acyl_centre)
    r = sc.acyl
    atoms = (sc.acyl_centre, *sc.acyl_terminal, *(r.atoms if r else ()))
    terminal = mol.GetAtomWithIdx(sc.acyl_terminal[0]).GetSymbol()
    if r is not None and centre.GetSymbol() == "C" and terminal == "O" and _is_ethyl(mol, r):
        return Verdict(True, False, "N-propionyl (as in fentanyl)", atoms)
    name = _acyl_name(mol, atoms, sc.acyl_centre)
    if centre.GetSymbol() == "S":
        return Verdict(True, True, f"N-propionyl replaced by sulfonyl {name}", atoms, ("sulfonyl",))
    if terminal == "S":
        return Verdict(
            True, True, f"N-propionyl replaced by thioacyl {name}", atoms, ("thiocarbonyl",)
        )
    if r is None:
        return Verdict(True, True, "N-propionyl replaced by formyl", atoms, ("formyl",))
    root = mol.GetAtomWithIdx(r.root)
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
    return _ACYL_KEYS.get(smiles, f"acyl {smiles}")


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
    members = info.AtomMembers(atom)
    if len(members) != 1:
        return None
    ring = info.AtomRings()[members[0]]
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
