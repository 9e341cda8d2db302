"""Precursor-family classifier: 4-piperidone, 4-AP, NPP, ANPP and norfentanyl derivatives.

The families are data (`data/families.yaml`): a parent, core SMARTS with named atoms, the role
of each named atom, and exclusions. This module finds each core in a standardised flat parent,
looks at every group hanging off it and names it by where it sits (an alkoxycarbonyl on the
piperidine N is a carbamate, a halogen on a scaffold ring a halide, an alkyl on a ring carbon
ring-alkyl, ...), and reports the modifications with the atoms that carry them.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml
from rdkit import Chem

from chainbreaker.chem.models import ClassMatch
from chainbreaker.errors import DataError

__all__ = ["VOCABULARY", "Family", "classify_precursor_families", "load_families"]

# The family modification vocabulary, in the order modifications are reported.
VOCABULARY = (
    "carbamate",
    "amide",
    "halide",
    "acetal",
    "n-alkyl",
    "n-benzyl",
    "ring-alkyl",
    "other",
)
# Every family core is a piperidine whose C4 carries N or O: molecules without one are skipped.
_PREFILTER = Chem.MolFromSmarts("[N;X3;!a]1-[C;X4]-[C;X4]-[C](~[#7,#8])-[C;X4]-[C;X4]-1")
_HALOGENS = {9: "fluorine", 17: "chlorine", 35: "bromine", 53: "iodine"}
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
        return len(self.atoms) == 1 and mol.GetAtomWithIdx(self.first).GetAtomicNum() in _HALOGENS

    def is_ethyl(self, mol: Chem.Mol) -> bool:
        return len(self.atoms) == 2 and _is_alkyl(mol, self.atoms)


@dataclass(frozen=True)
class AtomSpec:
    """A named atom of a family core and the role that decides what its substituents are."""

    name: str
    role: str
    ring: str | None = None  # for aryl atoms: what the ring is called ("aniline", "phenethyl")
    benzene: str | None = None  # "required" or "preferred" for aryl atoms


@dataclass(frozen=True)
class CoreForm:
    form: str  # ketone, acetal, amine, imine, anilide
    pattern: Chem.Mol
    maps: dict[int, int]  # map number -> query atom index


@dataclass(frozen=True)
class Exclusion:
    pattern: Chem.Mol
    maps: dict[int, int]
    reason: str


@dataclass(frozen=True)
class Family:
    """One precursor family as read from families.yaml."""

    id: str
    name: str
    short: str
    parent_name: str
    parent_smiles: str
    rule: str
    cores: tuple[CoreForm, ...]
    atoms: dict[int, AtomSpec]
    exclude: tuple[Exclusion, ...]
    sources: tuple[dict[str, str], ...]


def _compile(smarts: str, where: str) -> tuple[Chem.Mol, dict[int, int]]:
    pattern = Chem.MolFromSmarts(smarts)
    if pattern is None:
        raise DataError(f"families.yaml: {where}: invalid SMARTS {smarts!r}")
    maps = {a.GetAtomMapNum(): a.GetIdx() for a in pattern.GetAtoms() if a.GetAtomMapNum()}
    return pattern, maps


def _family(raw: dict[str, Any]) -> Family:
    fid = raw["id"]
    cores = []
    for core in raw["cores"]:
        pattern, maps = _compile(core["smarts"], f"{fid} core {core['form']}")
        cores.append(CoreForm(core["form"], pattern, maps))
    exclude = []
    for ex in raw.get("exclude") or []:
        pattern, maps = _compile(ex["smarts"], f"{fid} exclusion")
        exclude.append(Exclusion(pattern, maps, ex["reason"]))
    atoms = {int(k): AtomSpec(**v) for k, v in raw["atoms"].items()}
    for core in cores:
        missing = set(core.maps) - set(atoms)
        if missing:
            raise DataError(f"families.yaml: {fid}: mapped atoms {sorted(missing)} have no name")
    return Family(
        id=fid,
        name=raw["name"],
        short=raw["short"],
        parent_name=raw["parent_name"],
        parent_smiles=raw["parent_smiles"],
        rule=" ".join(raw["rule"].split()),
        cores=tuple(cores),
        atoms=atoms,
        exclude=tuple(exclude),
        sources=tuple(raw.get("sources") or ()),
    )


@functools.cache
def load_families() -> tuple[Family, ...]:
    """The precursor families defined in the packaged families.yaml."""
    text = resources.files("chainbreaker.chem").joinpath("data/families.yaml").read_text("utf-8")
    try:
        data = yaml.safe_load(text)
        return tuple(_family(raw) for raw in data["families"])
    except (KeyError, TypeError, ValueError) as err:
        raise DataError(f"families.yaml: malformed family definition: {err!r}") from err


def classify_precursor_families(mol: Chem.Mol) -> list[ClassMatch]:
    """Every precursor family the (standardised, flat) molecule belongs to, with its modifications.

    `designer` is left False and `legal_member` None: the caller sets them from the catalog.
    """
    matches: list[ClassMatch] = []
    if not mol.HasSubstructMatch(_PREFILTER):
        return matches
    for family in load_families():
        found: list[ClassMatch] = []
        cores_seen: set[frozenset[int]] = set()
        for core in family.cores:
            for hit in mol.GetSubstructMatches(core.pattern, uniquify=True):
                mapped = {m: hit[q] for m, q in core.maps.items()}
                ring = frozenset(mapped[m] for m in (1, 2, 3, 4, 5, 6))
                if ring in cores_seen:
                    continue
                result = _analyse(mol, family, core.form, mapped)
                if result is not None:
                    cores_seen.add(ring)
                    found.append(result)
        if found:
            found.sort(key=lambda m: (len(m.modifications), len(m.atoms.get("other", ()))))
            best = found[0]
            if len(found) > 1:
                note = (
                    f"the molecule holds {len(found)} {family.short} cores; the simplest is shown"
                )
                best = _with_flag(best, note)
            matches.append(best)
    return matches


def _analyse(mol: Chem.Mol, family: Family, form: str, mapped: dict[int, int]) -> ClassMatch | None:
    """Classify one core hit, or None when the hit is not a member of the family."""
    ring_info = mol.GetRingInfo()
    for m in (1, 2, 3, 5, 6):
        if ring_info.NumAtomRings(mapped[m]) != 1:
            return None  # fused or bridged piperidine (tropinone, spiperone...): not this family
    c4_rings = ring_info.NumAtomRings(mapped[4])
    if c4_rings > 1 and not (form == "acetal" and c4_rings == 2 and _spiro_acetal(mol, mapped)):
        return None
    for ex in family.exclude:
        for hit in mol.GetSubstructMatches(ex.pattern):
            if all(hit[q] == mapped[m] for m, q in ex.maps.items()):
                return None

    core = set(mapped.values())
    role_of = {mapped[m]: spec for m, spec in family.atoms.items() if m in mapped}
    mods: dict[str, set[int]] = {}
    phrases: list[str] = []
    flags: list[str] = []

    for m, spec in family.atoms.items():
        if spec.role != "aryl" or m not in mapped:
            continue
        ring = _aromatic_ring(mol, mapped[m])
        is_benzene = len(ring) == 6 and all(mol.GetAtomWithIdx(i).GetAtomicNum() == 6 for i in ring)
        if not is_benzene and spec.benzene == "required":
            return None
        if not is_benzene:
            _add(mods, "other", ring)
            phrases.append(f"a {len(ring)}-membered heteroaromatic ring as the {spec.ring} ring")
        for i in ring:
            role_of.setdefault(i, spec)
        core.update(ring)

    if form == "acetal":
        if not _acetal_phrase(mol, mapped, core, mods, phrases, flags):
            return None
    elif form == "imine":
        imine_n = mapped.get(14, mapped.get(7))
        _add(mods, "other", (mapped[4], imine_n) if imine_n is not None else (mapped[4],))
        phrases.append("C4 as an imine with an aniline (the Schiff base between NPP and ANPP)")

    for group in _groups(mol, core):
        spec = role_of[group.attached_to]
        if spec.role == "c4-oxygen":
            continue  # alkyl of an acetal: handled above
        if spec.role == "aryl" and group.is_halogen(mol):
            _add(mods, "halide", group.atoms)
            pos = _ring_position(mol, _aryl_anchor(mapped, family, spec), group.attached_to)
            element = _HALOGENS[mol.GetAtomWithIdx(group.first).GetAtomicNum()]
            phrases.append(f"a {element} on the {spec.ring} ring ({pos})")
            continue
        if spec.role == "acyl-carbon" and group.is_ethyl(mol):
            core.update(group.atoms)  # the propionyl of norfentanyl itself
            continue
        kind, words = _describe(mol, group, spec)
        _add(mods, kind, group.atoms)
        phrases.append(words)
        if kind == "other" and spec.role == "piperidine-n":
            flags.append(
                f"N1 substituent is neither a protecting group nor a simple alkyl or benzyl: "
                f"related to {family.short} by its core only"
            )

    modifications = tuple(k for k in VOCABULARY if k in mods)
    if modifications:
        explanation = f"{family.short} core with " + _join(phrases)
    else:
        explanation = f"{family.parent_name} itself: the family parent, no modification"
    atoms = {"core": tuple(sorted(core))}
    atoms.update({k: tuple(sorted(mods[k])) for k in modifications})
    return ClassMatch(
        class_id=family.id,
        name=family.name,
        rule=family.rule,
        modifications=modifications,
        atoms=atoms,
        explanation=explanation,
        flags=tuple(flags),
    )


def _acetal_phrase(
    mol: Chem.Mol,
    mapped: dict[int, int],
    core: set[int],
    mods: dict[str, set[int]],
    phrases: list[str],
    flags: list[str],
) -> bool:
    """Describe the C4 acetal; False when C4 carries something else than O-alkyl/O-H."""
    oxygens = (mapped[7], mapped[8])
    alkyl: set[int] = set()
    for o in oxygens:
        for nbr in mol.GetAtomWithIdx(o).GetNeighbors():
            if nbr.GetIdx() != mapped[4] and nbr.GetAtomicNum() != 1:
                if nbr.GetAtomicNum() != 6 or nbr.GetHybridization() != Chem.HybridizationType.SP3:
                    return False  # an ester, peroxide or aryl ether on C4: not an acetal
                alkyl.update(_component(mol, nbr.GetIdx(), core | set(oxygens)))
    if not alkyl:
        flags.append("C4 is the gem-diol (hydrate) of the ketone; standardise to the ketone first")
        return True
    _add(mods, "acetal", (*oxygens, *alkyl))
    hemi = any(mol.GetAtomWithIdx(o).GetTotalNumHs() for o in oxygens)
    if hemi:
        phrases.append("C4 as a hemiketal")
    elif _spiro_acetal(mol, mapped):
        size = 2 + len(alkyl) + 1
        name = {
            5: "cyclic ethylene ketal (1,3-dioxolane)",
            6: "cyclic propylene ketal (1,3-dioxane)",
        }
        phrases.append("C4 as a " + name.get(size, f"cyclic ketal ({size}-membered ring)"))
    else:
        phrases.append("C4 as an open-chain ketal")
    return True


def _spiro_acetal(mol: Chem.Mol, mapped: dict[int, int]) -> bool:
    o7, o8, c4 = mapped.get(7), mapped.get(8), mapped[4]
    return any(c4 in ring and o7 in ring and o8 in ring for ring in mol.GetRingInfo().AtomRings())


def _aromatic_ring(mol: Chem.Mol, atom: int) -> tuple[int, ...]:
    rings = [
        r
        for r in mol.GetRingInfo().AtomRings()
        if atom in r and all(mol.GetAtomWithIdx(i).GetIsAromatic() for i in r)
    ]
    return min(rings, key=len) if rings else (atom,)


def _aryl_anchor(mapped: dict[int, int], family: Family, spec: AtomSpec) -> int:
    for m, other in family.atoms.items():
        if other is spec and m in mapped:
            return mapped[m]
    raise DataError(f"families.yaml: {family.id}: aryl ring {spec.ring} has no mapped atom")


def _component(mol: Chem.Mol, start: int, stop: set[int]) -> set[int]:
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


def _groups(mol: Chem.Mol, core: set[int]) -> list[Group]:
    """Every substituent hanging off the core, with the core atom it is attached to."""
    groups: list[Group] = []
    claimed: set[int] = set()
    for idx in sorted(core):
        for nbr in mol.GetAtomWithIdx(idx).GetNeighbors():
            n = nbr.GetIdx()
            if n in core or n in claimed or nbr.GetAtomicNum() == 1:
                continue
            atoms = _component(mol, n, core)
            claimed.update(atoms)
            groups.append(Group(idx, n, frozenset(atoms)))
    return groups


def _add(mods: dict[str, set[int]], kind: str, atoms: Iterable[int]) -> None:
    mods.setdefault(kind, set()).update(atoms)


def _join(raw: list[str]) -> str:
    """Join phrases in words; repeated phrases are said once with a count."""
    counts: dict[str, int] = {}
    for phrase in raw:
        counts[phrase] = counts.get(phrase, 0) + 1
    phrases = [_article(p) + (f" (x{n})" if n > 1 else "") for p, n in counts.items()]
    if len(phrases) <= 1:
        return "".join(phrases)
    return ", ".join(phrases[:-1]) + " and " + phrases[-1]


def _article(phrase: str) -> str:
    """'a acetyl ...' -> 'an acetyl ...'."""
    if phrase.startswith("a ") and phrase[2:3].lower() in "aeiou" and phrase[2:3]:
        return "an " + phrase[2:]
    return phrase


def _with_flag(match: ClassMatch, flag: str) -> ClassMatch:
    return ClassMatch(
        class_id=match.class_id,
        name=match.name,
        rule=match.rule,
        modifications=match.modifications,
        legal_member=match.legal_member,
        atoms=match.atoms,
        explanation=match.explanation,
        flags=(*match.flags, flag),
        designer=match.designer,
    )


def _describe(mol: Chem.Mol, group: Group, spec: AtomSpec) -> tuple[str, str]:
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
            ring = _aromatic_ring(mol, nbr.GetIdx())
            return len(ring) == 6 and all(mol.GetAtomWithIdx(i).GetAtomicNum() == 6 for i in ring)
    return False


def _alkyl_name(group: Group) -> str:
    return _ALKYLS.get(len(group.atoms), f"C{len(group.atoms)} alkyl")


def _fragment(mol: Chem.Mol, group: Group) -> str:
    return str(Chem.MolFragmentToSmiles(mol, atomsToUse=sorted(group.atoms), canonical=True))


def _ring_position(mol: Chem.Mol, anchor: int, atom: int) -> str:
    """ortho/meta/para of a ring atom relative to the ring atom that joins the core."""
    ring = _aromatic_ring(mol, anchor)
    if atom not in ring or len(ring) != 6:
        return "ring position unknown"
    steps = abs(ring.index(atom) - ring.index(anchor))
    return {1: "ortho", 2: "meta", 3: "para"}.get(min(steps, 6 - steps), "ipso")
