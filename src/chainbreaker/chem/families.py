"""Precursor-family classifier: 4-piperidone, 4-AP, NPP, ANPP and norfentanyl derivatives.

The families are data (`data/families.yaml`): a parent, core SMARTS with named atoms, the role
of each named atom, and exclusions. This module finds each core in a standardised flat parent,
looks at every group hanging off it and names it by where it sits (an alkoxycarbonyl on the
piperidine N is a carbamate, a halogen on a scaffold ring a halide, an alkyl on a ring carbon
ring-alkyl, ...), and reports the modifications with the atoms that carry them. The
definitions are read by `family_definitions`, the groups found and named by `family_groups`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from rdkit import Chem

from chainbreaker.chem.catalog_schema import MODIFICATION_KINDS
from chainbreaker.chem.family_definitions import AtomSpec, Family, load_families
from chainbreaker.chem.family_groups import (
    HALOGENS,
    aromatic_ring,
    component,
    describe,
    groups_off,
    ring_position,
)
from chainbreaker.chem.models import ClassMatch
from chainbreaker.errors import DataError

__all__ = ["VOCABULARY", "Family", "classify_precursor_families", "load_families"]

# The family modification vocabulary, in the order modifications are reported.
VOCABULARY = (*MODIFICATION_KINDS, "other")
# Every family core is a piperidine whose C4 carries N or O: molecules without one are skipped.
_PREFILTER = Chem.MolFromSmarts("[N;X3;!a]1-[C;X4]-[C;X4]-[C](~[#7,#8])-[C;X4]-[C;X4]-1")


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
        ring = aromatic_ring(mol, mapped[m])
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

    for group in groups_off(mol, core):
        spec = role_of[group.attached_to]
        if spec.role == "c4-oxygen":
            continue  # alkyl of an acetal: handled above
        if spec.role == "aryl" and group.is_halogen(mol):
            _add(mods, "halide", group.atoms)
            pos = ring_position(mol, _aryl_anchor(mapped, family, spec), group.attached_to)
            element = HALOGENS[mol.GetAtomWithIdx(group.first).GetAtomicNum()]
            phrases.append(f"a {element} on the {spec.ring} ring ({pos})")
            continue
        if spec.role == "acyl-carbon" and group.is_ethyl(mol):
            core.update(group.atoms)  # the propionyl of norfentanyl itself
            continue
        kind, words = describe(mol, group, spec)
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
                alkyl.update(component(mol, nbr.GetIdx(), core | set(oxygens)))
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


def _aryl_anchor(mapped: dict[int, int], family: Family, spec: AtomSpec) -> int:
    for m, other in family.atoms.items():
        if other is spec and m in mapped:
            return mapped[m]
    raise DataError(f"families.yaml: {family.id}: aryl ring {spec.ring} has no mapped atom")


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
    return dataclasses.replace(match, flags=(*match.flags, flag))
