"""China's class definition of fentanyl-related substances (in force 1 May 2019).

The acyl, N-aryl and piperidine items read as US (E), (D) and (C). The fourth item is broader
than US (A)/(B): the phenethyl group may be replaced by any group other than a hydrogen atom. So
benzylfentanyl and N-alkyl norfentanyls are in; norfentanyl (N–H) is out. The skeleton itself
(the 4-anilidopiperidine anchor, with no extra ring joining its regions) must still be intact.
"""

from __future__ import annotations

from rdkit import Chem

from chainbreaker.chem.fentanyl_class_data import load
from chainbreaker.chem.fentanyl_regions import (
    Verdict,
    acyl_verdict,
    aniline_verdict,
    piperidine_verdict,
)
from chainbreaker.chem.fentanyl_scaffold import Scaffold, has_anchor, scaffolds
from chainbreaker.chem.models import ClassMatch
from chainbreaker.chem.substituents import canonical, fragment_smiles

_PHENETHYL = canonical("CCc1ccccc1")


def classify_cn_fentanyl(mol: Chem.Mol) -> ClassMatch | None:
    """Match `mol` against China's fentanyl-class definition; None when it is outside it.

    Modifications are named by China's items ("acyl", "n-aryl", "piperidine", "n-substituent"),
    in that order; fentanyl itself gives no modification and the explanation "fentanyl itself".
    """
    if not has_anchor(mol):
        return None
    for sc in scaffolds(mol):
        match = _evaluate(mol, sc)
        if match is not None:
            return match
    return None


def _n_substituent(mol: Chem.Mol, sc: Scaffold) -> Verdict:
    region = sc.n_substituent
    if region is None:
        return Verdict(False, True, "the piperidine nitrogen carries hydrogen only")
    smiles = fragment_smiles(mol, region.atoms, region.root)
    if region.bond_order == 1.0 and canonical(smiles) == _PHENETHYL:
        return Verdict(True, False, "phenethyl (as in fentanyl)", region.atoms)
    return Verdict(True, True, f"phenethyl replaced by another group ({smiles})", region.atoms)


def _evaluate(mol: Chem.Mol, sc: Scaffold) -> ClassMatch | None:
    data = load()
    text = data.cn
    if sc.crosslinks:
        return None
    verdicts = {
        "acyl": acyl_verdict(mol, sc),
        "n-aryl": aniline_verdict(mol, sc),
        "piperidine": piperidine_verdict(mol, sc, text.lists["piperidine"]),
        "n-substituent": _n_substituent(mol, sc),
    }
    if not all(v.ok for v in verdicts.values()):
        return None
    mods = tuple(k for k in text.items if verdicts[k].modified)
    atoms: dict[str, tuple[int, ...]] = {
        "anchor": (*sc.core, sc.ipso),
        "piperidine": sc.piperidine_atoms,
        "acyl": (sc.acyl_centre, *sc.acyl_terminal, *(sc.acyl.atoms if sc.acyl else ())),
    }
    if sc.aniline is not None:
        atoms["aniline_ring"] = sc.aniline.atoms
    if sc.n_substituent is not None:
        atoms["n_substituent"] = sc.n_substituent.atoms
    for k in mods:
        atoms[k] = verdicts[k].atoms
    flags = tuple(
        data.flag(f) for f in dict.fromkeys(f for v in verdicts.values() for f in v.flags)
    )
    explanation = "; ".join(f"({k}) {verdicts[k].text}" for k in mods) or "fentanyl itself"
    return ClassMatch(
        class_id=text.id,
        name=text.name,
        rule=text.rule,
        modifications=mods,
        atoms=atoms,
        explanation=explanation,
        flags=flags,
    )
