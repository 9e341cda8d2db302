"""A fast SMILES writer for a fragment of a molecule, written from a chosen root atom.

RDKit's `MolFragmentToSmiles` costs hundreds of microseconds per call on this machine, which is
too slow for explaining every fentanyl-class hit at screening rates. Substituents are small, so
a direct depth-first writer is cheap. Neighbours are visited in the order of RDKit's canonical
ranks within the fragment, so the same group gives the same string wherever it occurs; the
strings are used to name groups and to show unnamed ones, never to decide class membership.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rdkit import Chem

_ORGANIC = frozenset({"B", "C", "N", "O", "P", "S", "F", "Cl", "Br", "I"})
_AROMATIC_ORGANIC = frozenset({"B", "C", "N", "O", "P", "S"})
_BOND = {
    Chem.BondType.SINGLE: "",
    Chem.BondType.DOUBLE: "=",
    Chem.BondType.TRIPLE: "#",
    Chem.BondType.AROMATIC: "",
}


def fragment_smiles(mol: Chem.Mol, atoms: Iterable[int], root: int) -> str:
    """SMILES of the fragment made of `atoms` (and the bonds among them), starting at `root`."""
    atom_list = list(atoms)
    inside = set(atom_list)
    if len(atom_list) == 1:
        return _token(mol.GetAtomWithIdx(root))
    ranks = Chem.CanonicalRankAtomsInFragment(mol, atomsToUse=atom_list)
    # Pass 1: depth-first spanning tree, to find ring-closure bonds.
    parent: dict[int, int] = {root: -1}
    order: list[int] = []
    closures: list[tuple[int, int]] = []
    stack = [root]
    children: dict[int, list[int]] = {}
    while stack:
        a = stack.pop()
        if a in children:
            continue
        order.append(a)
        children[a] = []
        nbs = sorted(
            (n.GetIdx() for n in mol.GetAtomWithIdx(a).GetNeighbors() if n.GetIdx() in inside),
            key=lambda j: ranks[j],
            reverse=True,
        )
        for j in nbs:
            if j == parent[a]:
                continue
            if j in children:
                if (j, a) not in closures:
                    closures.append((a, j))
                continue
            parent[j] = a
            stack.append(j)
    tree: dict[int, list[int]] = {a: [] for a in order}
    for a in order:
        if parent[a] >= 0:
            tree[parent[a]].append(a)
    # Ring-closure digits, assigned in visiting order.
    digits: dict[int, list[tuple[int, int]]] = {}
    for n, (a, b) in enumerate(closures, start=1):
        digits.setdefault(a, []).append((n, b))
        digits.setdefault(b, []).append((n, a))
    out: list[str] = []
    _write(mol, root, tree, digits, ranks, out)
    return "".join(out)


def _write(
    mol: Chem.Mol,
    root: int,
    tree: dict[int, list[int]],
    digits: dict[int, list[tuple[int, int]]],
    ranks: Sequence[int],
    out: list[str],
) -> None:
    # Iterative writer: items are ("atom", idx, bond_prefix) or ("text", string).
    work: list[tuple[str, int, str]] = [("atom", root, "")]
    while work:
        kind, idx, text = work.pop()
        if kind == "text":
            out.append(text)
            continue
        out.append(text)
        out.append(_token(mol.GetAtomWithIdx(idx)))
        for n, other in digits.get(idx, []):
            bond = mol.GetBondBetweenAtoms(idx, other)
            label = str(n) if n < 10 else f"%{n}"
            out.append(_bond_symbol(bond) + label)
        kids = sorted(tree[idx], key=lambda j: ranks[j])
        pending: list[tuple[str, int, str]] = []
        for k, child in enumerate(kids):
            prefix = _bond_symbol(mol.GetBondBetweenAtoms(idx, child))
            if k < len(kids) - 1:
                pending += [("text", 0, "("), ("atom", child, prefix), ("text", 0, ")")]
            else:
                pending.append(("atom", child, prefix))
        work.extend(reversed(pending))


def _bond_symbol(bond: Chem.Bond) -> str:
    if bond.GetIsAromatic():
        return ""
    return _BOND.get(bond.GetBondType(), "~")


def _token(atom: Chem.Atom) -> str:
    sym = atom.GetSymbol()
    charge = atom.GetFormalCharge()
    aromatic = atom.GetIsAromatic()
    hs = atom.GetTotalNumHs()
    if charge == 0 and not (aromatic and hs and sym != "C"):
        if aromatic and sym in _AROMATIC_ORGANIC:
            return sym.lower()
        if not aromatic and sym in _ORGANIC:
            return sym
    text = sym.lower() if aromatic else sym
    if hs:
        text += "H" if hs == 1 else f"H{hs}"
    if charge:
        sign = "+" if charge > 0 else "-"
        text += sign if abs(charge) == 1 else f"{sign}{abs(charge)}"
    return f"[{text}]"


def smiles_key(smiles: str, root: int = 0) -> str:
    """The string `fragment_smiles` writes for the molecule `smiles` from atom `root`.

    Used to key tables of group names by how the writer spells them.
    """
    mol = Chem.MolFromSmiles(smiles)
    if mol is None:
        raise ValueError(f"bad SMILES in a name table: {smiles}")
    return fragment_smiles(mol, range(mol.GetNumAtoms()), root)
