"""The US class of fentanyl-related substances (21 U.S.C. 812(c) Schedule I(e), modifications A–E).

A molecule is structurally a fentanyl-related substance when it contains the 4-anilidopiperidine
anchor and every difference from fentanyl is one of (A)–(E) (`classify_us_frs`). When the anchor
is there but a region is changed in a way no modification allows, `near_miss_us_frs` says which
region and why. Whether a structural member is a *legal* member (or excluded because it is
scheduled on its own) is decided by the caller from the catalog.

China's class (`classify_cn_fentanyl`) and the similarity alert (`analogue_alert`) are re-exported
here so callers have one module for all fentanyl-class rules.

All functions expect a standardised flat parent: no salts, neutral, no stereo, no isotopes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdkit import Chem

from chainbreaker.chem.analogue import AnalogueReferences, analogue_alert, prepare_references
from chainbreaker.chem.china_class import classify_cn_fentanyl
from chainbreaker.chem.fentanyl_class_data import load
from chainbreaker.chem.fentanyl_regions import Analysis, analyse, piperidine_verdict
from chainbreaker.chem.fentanyl_scaffold import has_anilinopiperidine
from chainbreaker.chem.fragment_smiles import fragment_smiles
from chainbreaker.chem.models import ClassMatch
from chainbreaker.chem.phenethyl import check_phenethyl

__all__ = [
    "AnalogueReferences",
    "analogue_alert",
    "classify_cn_fentanyl",
    "classify_us_frs",
    "near_miss_us_frs",
    "prepare_references",
]


@dataclass(slots=True)
class _Evaluation:
    failures: list[str] = field(default_factory=list)
    mods: dict[str, tuple[str, tuple[int, ...]]] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)
    atoms: dict[str, tuple[int, ...]] = field(default_factory=dict)


def classify_us_frs(mol: Chem.Mol) -> ClassMatch | None:
    """Match `mol` against the US FRS definition; None when it is outside it.

    Returns a ClassMatch with class_id "us-frs", the modification letters (sorted; empty for
    fentanyl itself), the atoms of each region and modification, an explanation in words and
    the ambiguity flags that apply. `legal_member` is left None for the caller.
    """
    for an in analyse(mol):
        ev = _evaluate(mol, an)
        if not ev.failures:
            return _match(ev)
    return None


def near_miss_us_frs(mol: Chem.Mol) -> str | None:
    """Which region takes a fentanyl-like molecule out of the US class, and why, in words.

    A lower-case clause list ending in a full stop (the caller prefixes e.g. "Not a US
    fentanyl-related substance: "). None when the molecule is in the class or has nothing of
    the fentanyl core.
    """
    analyses = analyse(mol)
    if not analyses:
        return _missing_acyl_reason(mol)
    first: _Evaluation | None = None
    for an in analyses:
        ev = _evaluate(mol, an)
        if not ev.failures:
            return None
        first = first or ev
    if first is None:  # pragma: no cover - analyse() returns placements only with failures here
        return None
    text = "; ".join(first.failures) + "."
    unclear = [load().flags[f] for f in dict.fromkeys(first.flags)]
    if unclear:
        text += " Unclear in law: " + " ".join(unclear)
    return text


def _evaluate(mol: Chem.Mol, an: Analysis) -> _Evaluation:
    data = load().us
    sc = an.scaffold
    ev = _Evaluation()
    ev.atoms["anchor"] = (*sc.core, sc.ipso)
    ev.atoms["piperidine"] = sc.piperidine_atoms
    for group in sc.crosslinks:
        smiles = fragment_smiles(mol, group, group[0])
        ev.failures.append(
            f"an extra ring joins the regions of the fentanyl skeleton ({smiles}): the skeleton "
            "itself differs from fentanyl"
        )
    if ev.failures:
        return ev
    pe = check_phenethyl(mol, sc, data.lists["B"])
    ev.failures.extend(pe.failures)
    ev.flags.extend(pe.flags)
    ev.mods.update(pe.mods)
    if pe.ring:
        ev.atoms["phenethyl_ring"] = pe.ring
    if pe.linker:
        ev.atoms["linker"] = pe.linker
    for letter, verdict in (
        ("C", piperidine_verdict(mol, sc, data.lists["C"])),
        ("D", an.aniline),
        ("E", an.acyl),
    ):
        ev.flags.extend(verdict.flags)
        if not verdict.ok:
            ev.failures.append(verdict.text)
        elif verdict.modified:
            ev.mods[letter] = (verdict.text, verdict.atoms)
    if sc.aniline is not None:
        ev.atoms["aniline_ring"] = sc.aniline.atoms
    ev.atoms["acyl"] = (sc.acyl_centre, *sc.acyl_terminal, *(sc.acyl.atoms if sc.acyl else ()))
    return ev


def _match(ev: _Evaluation) -> ClassMatch:
    data = load()
    letters = tuple(sorted(ev.mods))
    atoms = dict(ev.atoms)
    for letter in letters:
        atoms[letter] = ev.mods[letter][1]
    if letters:
        explanation = "; ".join(f"({k}) {ev.mods[k][0]}" for k in letters)
    else:
        explanation = "fentanyl itself"
    flags = tuple(data.flag(f) for f in dict.fromkeys(ev.flags))
    return ClassMatch(
        class_id=data.us.id,
        name=data.us.name,
        rule=data.us.rule,
        modifications=letters,
        atoms=atoms,
        explanation=explanation,
        flags=flags,
    )


def _missing_acyl_reason(mol: Chem.Mol) -> str | None:
    """For a 4-anilinopiperidine without the N-acyl group (ANPP type), say so; else None."""
    if not has_anilinopiperidine(mol):
        return None
    return (
        "the anilide nitrogen carries no acyl group "
        "(4-anilinopiperidine/ANPP type); (E) replaces the N-propionyl with another acyl group "
        "but does not allow removing it or replacing it with a non-acyl group."
    )
