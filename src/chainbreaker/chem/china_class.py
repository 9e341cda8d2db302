"""China's class definition of fentanyl-related substances (in force 1 May 2019).

The acyl, N-aryl and piperidine items read as US (E), (D) and (C). The fourth item is broader
than US (A)/(B): the phenethyl group may be replaced by any group other than a hydrogen atom. So
benzylfentanyl and N-alkyl norfentanyls are in; norfentanyl (N–H) is out. The skeleton itself
(the 4-anilidopiperidine anchor, with no extra ring joining its regions) must still be intact.
"""

from __future__ import annotations

from rdkit import Chem

from chainbreaker.chem.fentanyl_class_data import load
from chainbreaker.chem.fentanyl_regions import Analysis, Verdict, analyse, piperidine_verdict
from chainbreaker.chem.fentanyl_scaffold import Region, Scaffold
from chainbreaker.chem.fragment_smiles import fragment_smiles
from chainbreaker.chem.models import ClassMatch


def classify_cn_fentanyl(mol: Chem.Mol) -> ClassMatch | None:
    """Match `mol` against China's fentanyl-class definition; None when it is outside it.

    Modifications are named by China's items ("acyl", "n-aryl", "piperidine", "n-substituent"),
    in that order; fentanyl itself gives no modification and the explanation "fentanyl itself".
    """
    for an in analyse(mol):
        match = _evaluate(mol, an)
        if match is not None:
            return match
    return None


def _n_substituent(mol: Chem.Mol, sc: Scaffold) -> Verdict:
    region = sc.n_substituent
    if region is None:
        return Verdict(False, True, "the piperidine nitrogen carries hydrogen only")
    if _is_plain_phenethyl(mol, region):
        return Verdict(True, False, "phenethyl (as in fentanyl)", region.atoms)
    smiles = fragment_smiles(mol, region.atoms, region.root)
    return Verdict(True, True, f"phenethyl replaced by another group ({smiles})", region.atoms)


def _is_plain_phenethyl(mol: Chem.Mol, region: Region) -> bool:
    """Is the region exactly CH2–CH2–C6H5 (two sp3 carbons, then an unsubstituted phenyl)?"""
    if len(region.atoms) != 8 or region.bond_order != 1.0:
        return False
    atoms = [mol.GetAtomWithIdx(i) for i in region.atoms]
    if any(a.GetSymbol() != "C" or a.GetFormalCharge() for a in atoms):
        return False
    chain = [a for a in atoms if not a.GetIsAromatic()]
    if len(chain) != 2 or chain[0].GetIdx() != region.root:
        return False
    ca, cb = chain
    bond = mol.GetBondBetweenAtoms(ca.GetIdx(), cb.GetIdx())
    info = mol.GetRingInfo()
    return (
        bond is not None
        and bond.GetBondType() == Chem.BondType.SINGLE
        and ca.GetDegree() == 2
        and cb.GetDegree() == 2
        and not info.NumAtomRings(ca.GetIdx())
        and not info.NumAtomRings(cb.GetIdx())
        and all(info.NumAtomRings(a.GetIdx()) == 1 for a in atoms[2:] if a.GetIsAromatic())
    )


def _evaluate(mol: Chem.Mol, an: Analysis) -> ClassMatch | None:
    data = load()
    sc = an.scaffold
    text = data.cn
    if sc.crosslinks:
        return None
    verdicts = {
        "acyl": an.acyl,
        "n-aryl": an.aniline,
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
