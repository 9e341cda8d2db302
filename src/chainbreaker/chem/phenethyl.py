"""The US test of the N1 substituent: the phenethyl group under modifications (A) and (B).

In fentanyl the piperidine nitrogen N1 carries CH2–CH2–C6H5. Modification (A) replaces the
phenyl by any monocycle (substituted or not); (B) substitutes the phenethyl group with groups from
a closed list. Nothing else may change: the linker stays exactly two sp3 carbons, the ring stays
a monocycle, and every substituent on the linker is from (B)'s list.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdkit import Chem

from chainbreaker.chem.fentanyl_regions import ring_description, ring_of
from chainbreaker.chem.fentanyl_scaffold import Region, Scaffold, subtree
from chainbreaker.chem.fragment_smiles import fragment_smiles
from chainbreaker.chem.substituents import Substituent, classify


@dataclass(slots=True)
class PhenethylResult:
    """Outcome of the phenethyl test: modifications by letter, or the reasons it fails."""

    failures: list[str] = field(default_factory=list)
    mods: dict[str, tuple[str, tuple[int, ...]]] = field(
        default_factory=dict
    )  # letter -> text, atoms
    flags: list[str] = field(default_factory=list)
    linker: tuple[int, ...] = ()
    ring: tuple[int, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.failures


def check_phenethyl(mol: Chem.Mol, sc: Scaffold, b_list: frozenset[str]) -> PhenethylResult:
    """Test the N1 substituent of `sc` against (A) and (B)."""
    res = PhenethylResult()
    region = sc.n_substituent
    if region is None:
        res.failures.append(
            "the piperidine nitrogen carries no substituent: the phenethyl group is removed, "
            "which (A) and (B) do not allow (a norfentanyl-type compound)"
        )
        return res
    found = _find_linker(mol, region)
    if found is None:
        res.failures.append(_no_linker_reason(mol, sc, region))
        return res
    ca, cb, r = found
    res.linker = (ca, cb)
    info = mol.GetRingInfo()
    for idx, label in ((ca, "α"), (cb, "β")):
        atom = mol.GetAtomWithIdx(idx)
        if atom.GetSymbol() != "C":
            res.failures.append(
                f"the linker's {label} atom is {atom.GetSymbol()}, not carbon: the phenethyl "
                "chain itself is changed (whether 'substitution in' the phenethyl group allows "
                "this is unclear)"
            )
            res.flags.append("linker-heteroatom")
        elif info.NumAtomRings(idx):
            res.failures.append(f"the linker's {label} carbon is part of a ring")
    for a, b in ((sc.n1, ca), (ca, cb), (cb, r)):
        if mol.GetBondBetweenAtoms(a, b).GetBondType() != Chem.BondType.SINGLE:
            res.failures.append("the linker is unsaturated (not two sp3 carbons)")
            break
    ring = ring_of(mol, r)
    if ring is None:
        res.failures.append(_not_monocycle_reason(mol, r, cb, res))
        return res
    res.ring = ring
    if res.failures:
        return res
    _linker_substituents(mol, sc, ca, cb, r, b_list, res)
    _ring_substituents(mol, ring, cb, b_list, res)
    return res


def _find_linker(mol: Chem.Mol, region: Region) -> tuple[int, int, int] | None:
    """(Cα, Cβ, ring atom) with the ring atom two bonds from Cα, preferring carbon linkers."""
    inside = set(region.atoms)
    ca = region.root
    info = mol.GetRingInfo()
    if info.NumAtomRings(ca):
        return None
    best: tuple[int, tuple[int, int, int]] | None = None
    for x in mol.GetAtomWithIdx(ca).GetNeighbors():
        if x.GetIdx() not in inside or info.NumAtomRings(x.GetIdx()):
            continue
        for y in x.GetNeighbors():
            if y.GetIdx() == ca or not info.NumAtomRings(y.GetIdx()):
                continue
            score = (x.GetSymbol() == "C") * 2 + (ring_of(mol, y.GetIdx()) is not None)
            if best is None or score > best[0]:
                best = (score, (ca, x.GetIdx(), y.GetIdx()))
    return best[1] if best else None


def _no_linker_reason(mol: Chem.Mol, sc: Scaffold, region: Region) -> str:
    info = mol.GetRingInfo()
    smiles = fragment_smiles(mol, region.atoms, region.root)
    ring_atoms = [i for i in region.atoms if info.NumAtomRings(i)]
    if not ring_atoms:
        tail = _tail_after_two_carbons(mol, sc, region)
        if tail is not None:
            return (
                f"the phenyl of the phenethyl is replaced by {tail.name} ({tail.kind}), not a "
                "monocycle as (A) requires"
            )
        return f"the phenethyl group is replaced by {smiles}, which has no ring: outside (A)/(B)"
    dist = _distance_to_ring(mol, region)
    if dist == 0:
        return (
            f"a ring is bonded directly to the piperidine nitrogen ({smiles}): no ethylene linker"
        )
    if dist == 1:
        return (
            f"the linker is shortened to one atom ({smiles}, benzyl-type): (A) and (B) keep the "
            "two-carbon phenethyl chain"
        )
    return (
        f"the linker is lengthened to {dist} atoms ({smiles}): (A) and (B) keep the two-carbon "
        "phenethyl chain"
    )


def _tail_after_two_carbons(mol: Chem.Mol, sc: Scaffold, region: Region) -> Substituent | None:
    """For N1–CH2–CH2–G with no ring, classify G (remifentanil: G is a methyl ester)."""
    ca = mol.GetAtomWithIdx(region.root)
    nxt = [nb for nb in ca.GetNeighbors() if nb.GetIdx() != sc.n1]
    if ca.GetSymbol() != "C" or len(nxt) != 1 or nxt[0].GetSymbol() != "C":
        return None
    cb = nxt[0]
    tail = [nb for nb in cb.GetNeighbors() if nb.GetIdx() != ca.GetIdx()]
    if len(tail) != 1:
        return None
    g = tail[0].GetIdx()
    atoms = subtree(mol, g, {cb.GetIdx(), ca.GetIdx(), *sc.core})
    bond = mol.GetBondBetweenAtoms(cb.GetIdx(), g)
    return classify(mol, g, atoms, bond.GetBondTypeAsDouble())


def _distance_to_ring(mol: Chem.Mol, region: Region) -> int:
    info = mol.GetRingInfo()
    inside = set(region.atoms)
    frontier, seen, dist = [region.root], {region.root}, 0
    while frontier:
        if any(info.NumAtomRings(i) for i in frontier):
            return dist
        nxt = []
        for i in frontier:
            for nb in mol.GetAtomWithIdx(i).GetNeighbors():
                j = nb.GetIdx()
                if j in inside and j not in seen:
                    seen.add(j)
                    nxt.append(j)
        frontier, dist = nxt, dist + 1
    return -1  # pragma: no cover - only called when the region has a ring


def _not_monocycle_reason(mol: Chem.Mol, r: int, cb: int, res: PhenethylResult) -> str:
    info = mol.GetRingInfo()
    rings = [set(ring) for ring in info.AtomRings()]
    system = {r}
    grew = True
    while grew:
        grew = False
        for ring in rings:
            if ring & system and not ring <= system:
                system |= ring
                grew = True
    members = [ring for ring in rings if ring <= system]
    fused_only = all(len(a & b) in (0, 2) for k, a in enumerate(members) for b in members[k + 1 :])
    if not fused_only:
        res.flags.append("not-monocycle")
    smiles = fragment_smiles(mol, tuple(sorted(system)), r)
    kind = "a fused ring system" if fused_only else "a spiro or bridged ring system"
    return f"the phenyl of the phenethyl is replaced by {kind} ({smiles}), not a monocycle"


def _linker_substituents(
    mol: Chem.Mol,
    sc: Scaffold,
    ca: int,
    cb: int,
    r: int,
    b_list: frozenset[str],
    res: PhenethylResult,
) -> None:
    listed: list[str] = []
    atoms: list[int] = []
    blocked = {ca, cb, r, *sc.core}
    for idx, label, skip in ((ca, "α", {sc.n1, cb}), (cb, "β", {ca, r})):
        for bond in mol.GetAtomWithIdx(idx).GetBonds():
            j = bond.GetOtherAtomIdx(idx)
            if j in skip:
                continue
            sub = classify(mol, j, subtree(mol, j, blocked), bond.GetBondTypeAsDouble())
            desc = f"{label}-{sub.name} ({sub.kind})"
            if not sub.in_list(b_list):
                res.failures.append(f"linker substituent outside the closed list of (B): {desc}")
                if sub.kind.startswith("cycloalkyl"):
                    res.flags.append("cycloalkyl")
                continue
            if sub.alkylamino:
                res.flags.append("alkylamino")
            listed.append(desc)
            atoms.extend(sub.atoms)
    if listed and not res.failures:
        res.mods["B"] = ("phenethyl linker substituted with " + ", ".join(listed), tuple(atoms))


def _ring_substituents(
    mol: Chem.Mol, ring: tuple[int, ...], cb: int, b_list: frozenset[str], res: PhenethylResult
) -> None:
    if res.failures:
        return
    ring_set = set(ring)
    subs: list[Substituent] = []
    for i in ring:
        for bond in mol.GetAtomWithIdx(i).GetBonds():
            j = bond.GetOtherAtomIdx(i)
            if j in ring_set or j == cb:
                continue
            subs.append(
                classify(mol, j, subtree(mol, j, ring_set | {cb}), bond.GetBondTypeAsDouble())
            )
    phenyl = len(ring) == 6 and all(
        mol.GetAtomWithIdx(i).GetSymbol() == "C" and mol.GetAtomWithIdx(i).GetIsAromatic()
        for i in ring
    )
    sub_atoms = tuple(a for s in subs for a in s.atoms)
    desc = ring_description(mol, ring, cb)
    if phenyl and not subs:
        return
    if not phenyl:
        res.mods["A"] = ("phenethyl phenyl replaced by " + desc, ring + sub_atoms)
        return
    outside = [s for s in subs if not s.in_list(b_list)]
    if outside:
        names = ", ".join(f"{s.name} ({s.kind})" for s in outside)
        text = (
            f"phenethyl phenyl replaced by {desc}: a substituted monocycle; {names} is not in "
            "(B)'s list, so only the broader (A) reading covers it"
        )
        res.mods["A"] = (text, ring + sub_atoms)
        res.flags.append("a-or-b")
        return
    if any(s.alkylamino for s in subs):
        res.flags.append("alkylamino")
    text = (
        f"phenethyl ring substituted: {desc} (all from (B)'s list; also (A) on the broader reading)"
    )
    prev = res.mods.get("B")
    if prev is not None:
        text = prev[0] + "; " + text
        sub_atoms = prev[1] + sub_atoms
    res.mods["B"] = (text, sub_atoms)
