"""The 4-anilidopiperidine anchor of fentanyl and the partition of a molecule into its regions.

Fentanyl is N-phenyl-N-[1-(2-phenylethyl)piperidin-4-yl]propanamide. Every legal definition of the
fentanyl class (US modifications A–E, China's four items) fixes the same invariant core and lets
four or five regions around it vary. This module finds that core and cuts the molecule at its
bonds, so the rule modules can test each region on its own:

- ``n_substituent``: what hangs on the piperidine nitrogen N1 (the phenethyl in fentanyl);
- ``piperidine``: the substituents on the ring carbons C2–C6;
- ``aniline``: the aromatic ring system on the anilide nitrogen, with its substituents;
- ``acyl``: the acyl centre (C=O, C=S or SO2) and the group R on it (ethyl in fentanyl).

A region that touches the core at two places (a bridge, a ring closed between two regions) is
reported in ``crosslinks``: such a molecule differs from fentanyl in its skeleton, which no
modification allows.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from rdkit import Chem, rdBase

# N1-substituted (or N-H) piperidine whose C4 carries an acyclic amide-type nitrogen bonded to an
# aromatic atom and to an acyl centre: carbonyl, thiocarbonyl or sulfonyl (the latter two only so
# that the ambiguous acyl kinds can be flagged rather than silently dropped).
ANCHOR_SMARTS = (
    "[NX3;R1]1[CX4;R1][CX4;R1][CX4;R1]([CX4;R1][CX4;R1]1)"
    "[NX3;!R](a)[$([CX3]=[OX1,SX1]),$([SX4](=[OX1])=[OX1])]"
)
# Same core with no acyl on the anilide nitrogen (ANPP-type): only used to explain a near miss.
ANILINOPIPERIDINE_SMARTS = "[NX3;R1]1[CX4;R1][CX4;R1][CX4;R1]([CX4;R1][CX4;R1]1)[NX3;!R]a"

_ANCHOR = Chem.MolFromSmarts(ANCHOR_SMARTS)
_ANILINOPIPERIDINE = Chem.MolFromSmarts(ANILINOPIPERIDINE_SMARTS)


@dataclass(frozen=True, slots=True)
class Region:
    """A connected group of atoms hanging off one core atom through one bond."""

    core_atom: int  # the core atom it is attached to
    root: int  # its first atom (bonded to core_atom)
    atoms: tuple[int, ...]  # all its atoms, root first
    bond_order: float  # order of the bond root–core_atom (1.0, 1.5, 2.0, 3.0)


@dataclass(frozen=True, slots=True)
class Scaffold:
    """One placement of the anchor in a molecule, and the regions around it."""

    n1: int
    ring: tuple[int, int, int, int, int]  # C2, C3, C4, C5, C6
    amide_n: int
    ipso: int  # aromatic atom on the amide nitrogen
    acyl_centre: int  # carbonyl/thiocarbonyl carbon or sulfonyl sulfur
    acyl_terminal: tuple[int, ...]  # its doubly bonded O/S atoms
    n_substituent: Region | None
    piperidine: tuple[Region, ...]
    aniline: Region | None
    acyl: Region | None  # R of C(=O)R; None for formyl
    crosslinks: tuple[tuple[int, ...], ...]  # atom groups touching the core more than once

    @property
    def core(self) -> tuple[int, ...]:
        """The fixed atoms: piperidine ring, amide N, acyl centre and its terminal O/S."""
        return (self.n1, *self.ring, self.amide_n, self.acyl_centre, *self.acyl_terminal)

    @property
    def piperidine_atoms(self) -> tuple[int, ...]:
        return (self.n1, *self.ring)


def ensure_ring_info(mol: Chem.Mol) -> None:
    """Compute the ring information (SSSR) if the molecule does not carry it yet.

    Ring queries (R1 in the anchor, ring membership in the region tests) need it; molecules
    built by some standardisation steps come without it.
    """
    if mol.GetNumAtoms() == 0:
        return
    block = rdBase.BlockLogs()  # RDKit logs the failed precondition below; it is expected
    try:
        mol.GetRingInfo().NumAtomRings(0)  # NumRings() does not check initialisation
        return
    except RuntimeError:
        pass
    finally:
        del block
    Chem.GetSymmSSSR(mol)


def has_anchor(mol: Chem.Mol) -> bool:
    """Cheap pre-filter: does the molecule contain the 4-anilidopiperidine anchor at all?"""
    ensure_ring_info(mol)
    return bool(mol.HasSubstructMatch(_ANCHOR))


def has_anilinopiperidine(mol: Chem.Mol) -> bool:
    """Does the molecule contain a 4-(arylamino)piperidine (with or without an acyl)?"""
    ensure_ring_info(mol)
    return bool(mol.HasSubstructMatch(_ANILINOPIPERIDINE))


def scaffolds(mol: Chem.Mol) -> Iterator[Scaffold]:
    """Yield every placement of the anchor, partitioned into regions (usually just one)."""
    if not mol.HasSubstructMatch(_ANCHOR):
        return
    for match in mol.GetSubstructMatches(_ANCHOR, uniquify=True, maxMatches=16):
        yield _partition(mol, match)


def _partition(mol: Chem.Mol, match: tuple[int, ...]) -> Scaffold:
    n1, c2, c3, c4, c5, c6, amide_n, ipso, acyl_centre = match
    centre = mol.GetAtomWithIdx(acyl_centre)
    terminal = tuple(
        b.GetOtherAtomIdx(acyl_centre)
        for b in centre.GetBonds()
        if b.GetBondType() == Chem.BondType.DOUBLE
        and b.GetOtherAtom(centre).GetSymbol() in ("O", "S")
        and b.GetOtherAtom(centre).GetDegree() == 1
    )
    core = {n1, c2, c3, c4, c5, c6, amide_n, acyl_centre, *terminal}
    # Connected components of the molecule without the core atoms.
    seen: set[int] = set(core)
    n_sub: Region | None = None
    pip: list[Region] = []
    aniline: Region | None = None
    acyl: Region | None = None
    crosslinks: list[tuple[int, ...]] = []
    for core_idx in (n1, c2, c3, c4, c5, c6, amide_n, acyl_centre):
        for bond in mol.GetAtomWithIdx(core_idx).GetBonds():
            root = bond.GetOtherAtomIdx(core_idx)
            if root in seen:
                continue
            atoms, contacts = _component(mol, root, core)
            seen.update(atoms)
            if len(contacts) != 1:
                crosslinks.append(atoms)
                continue
            region = Region(core_idx, root, atoms, bond.GetBondTypeAsDouble())
            if core_idx == n1:
                n_sub = region
            elif core_idx == amide_n:
                aniline = region
            elif core_idx == acyl_centre:
                acyl = region
            else:
                pip.append(region)
    return Scaffold(
        n1=n1,
        ring=(c2, c3, c4, c5, c6),
        amide_n=amide_n,
        ipso=ipso,
        acyl_centre=acyl_centre,
        acyl_terminal=terminal,
        n_substituent=n_sub,
        piperidine=tuple(pip),
        aniline=aniline,
        acyl=acyl,
        crosslinks=tuple(crosslinks),
    )


def _component(
    mol: Chem.Mol, root: int, core: set[int]
) -> tuple[tuple[int, ...], list[tuple[int, int]]]:
    """Atoms reachable from root without entering the core, and the (atom, core atom) contacts."""
    order = [root]
    found = {root}
    contacts: list[tuple[int, int]] = []
    i = 0
    while i < len(order):
        atom = mol.GetAtomWithIdx(order[i])
        i += 1
        for nb in atom.GetNeighbors():
            j = nb.GetIdx()
            if j in core:
                contacts.append((atom.GetIdx(), j))
            elif j not in found:
                found.add(j)
                order.append(j)
    return tuple(order), contacts


def subtree(mol: Chem.Mol, root: int, blocked: set[int]) -> tuple[int, ...]:
    """Atoms reachable from root without passing through blocked atoms, root first."""
    atoms, _ = _component(mol, root, blocked)
    return atoms
