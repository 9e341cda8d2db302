"""Salts, solvates and mixtures: which fragment of a structure is the parent, and what the rest is.

The counter-ion and solvent tables name the small fragments that salts and solvates of drugs and
precursors are sold with. `choose_parent_fragment` keeps the largest organic fragment that is
none of them; `split_known_salt` recognises, in the SMILES text itself, a salt written with its
counter-ions and solvents in their plain canonical form (the fast path of `standardise_smiles`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from rdkit import Chem
from rdkit.Chem.MolStandardize import rdMolStandardize

__all__ = ["choose_parent_fragment", "counted", "sort_fragments", "split_known_salt"]

_UNCHARGER = rdMolStandardize.Uncharger()
_CHARGED = Chem.MolFromSmarts("[!+0]")
_CARBON = Chem.MolFromSmarts("[#6]")

# Counter-ions (as their neutral acid or base) and solvents of crystallisation that salts and
# solvates of drugs and precursors are sold with. Acetone, toluene and diethyl ether are left out
# on purpose: they are controlled precursors themselves (1988 Convention, Table II).
_COUNTER_IONS: dict[str, tuple[str, ...]] = {
    "HCl": ("Cl",),
    "HBr": ("Br",),
    "HI": ("I",),
    "HF": ("F",),
    "sulfate": ("OS(=O)(=O)O", "OS(=O)(=O)[O-]"),
    "hydrogen sulfate": ("[O-]S(=O)(=O)O",),
    "phosphate": ("OP(=O)(O)O",),
    "nitrate": ("O=[N+]([O-])O",),
    "perchlorate": ("OCl(=O)(=O)=O",),
    "citrate": ("OC(=O)CC(O)(CC(=O)O)C(=O)O",),
    "oxalate": ("OC(=O)C(=O)O",),
    "tartrate": ("OC(C(O)C(=O)O)C(=O)O",),
    "maleate/fumarate": ("OC(=O)C=CC(=O)O",),
    "succinate": ("OC(=O)CCC(=O)O",),
    "malate": ("OC(=O)CC(O)C(=O)O",),
    "lactate": ("CC(O)C(=O)O",),
    "acetate": ("CC(=O)O",),
    "formate": ("OC=O",),
    "trifluoroacetate": ("OC(=O)C(F)(F)F",),
    "mesylate": ("CS(=O)(=O)O",),
    "tosylate": ("Cc1ccc(S(=O)(=O)O)cc1",),
    "besylate": ("OS(=O)(=O)c1ccccc1",),
    "camsylate": ("CC1(C)C2CCC1(CS(=O)(=O)O)C(=O)C2",),
    "sodium": ("[Na+]", "[Na]"),
    "potassium": ("[K+]", "[K]"),
    "lithium": ("[Li+]", "[Li]"),
    "calcium": ("[Ca+2]", "[Ca]"),
    "magnesium": ("[Mg+2]", "[Mg]"),
    "ammonium": ("N",),
}
_SOLVENTS: dict[str, tuple[str, ...]] = {
    "water": ("O",),
    "methanol": ("CO",),
    "ethanol": ("CCO",),
    "isopropanol": ("CC(C)O",),
    "dichloromethane": ("ClCCl",),
    "chloroform": ("ClC(Cl)Cl",),
    "ethyl acetate": ("CCOC(C)=O",),
    "acetonitrile": ("CC#N",),
    "tetrahydrofuran": ("C1CCOC1",),
    "dimethylformamide": ("CN(C)C=O",),
    "dimethyl sulfoxide": ("CS(C)=O",),
}


def _smiles_table(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, smiles_list in table.items():
        for smiles in smiles_list:
            mol = Chem.MolFromSmiles(smiles)
            out[Chem.MolToSmiles(mol, isomericSmiles=False)] = name
    return out


_COUNTER_ION_KEYS = _smiles_table(_COUNTER_IONS)
_SOLVENT_KEYS = _smiles_table(_SOLVENTS)
_LARGEST_KNOWN_SMALL_FRAGMENT = max(
    Chem.MolFromSmiles(key).GetNumHeavyAtoms() for key in (*_COUNTER_ION_KEYS, *_SOLVENT_KEYS)
)


def sort_fragments(keys: Iterable[str]) -> tuple[Counter[str], Counter[str], list[str]]:
    """Sort fragment keys (non-isomeric canonical SMILES) into counter-ions, solvents and others.

    Counter-ions and solvents are counted by name; the other keys are returned in their order.
    """
    counter_ions: Counter[str] = Counter()
    solvents: Counter[str] = Counter()
    others: list[str] = []
    for key in keys:
        ion = _COUNTER_ION_KEYS.get(key)
        solvent = _SOLVENT_KEYS.get(key)
        if ion:
            counter_ions[ion] += 1
        elif solvent:
            solvents[solvent] += 1
        else:
            others.append(key)
    return counter_ions, solvents, others


def choose_parent_fragment(mol: Chem.Mol) -> tuple[Chem.Mol, list[str]]:
    """Keep the largest organic fragment that is not a counter-ion or solvent.

    Returns the parent (a new, sanitised molecule) and the words for what was removed.
    """
    frags = Chem.GetMolFrags(mol, asMols=True, sanitizeFrags=False)
    sizes = [frag.GetNumHeavyAtoms() for frag in frags]
    largest = max(sizes)
    # Writing a SMILES key costs as much as the rest together: a fragment larger than every
    # known counter-ion and solvent needs one only when it ties with another for the parent.
    unique_largest = sizes.count(largest) == 1 and largest > _LARGEST_KNOWN_SMALL_FRAGMENT
    candidates: list[tuple[tuple[int, int, int, float, str], Chem.Mol, str]] = []
    for frag, heavy in zip(frags, sizes, strict=True):
        if unique_largest and heavy == largest:
            candidates.append(((1, 1, heavy, 0.0, ""), frag, ""))
            continue
        neutral = _UNCHARGER.uncharge(frag) if frag.HasSubstructMatch(_CHARGED) else frag
        key = Chem.MolToSmiles(neutral, isomericSmiles=False)
        known = key in _COUNTER_ION_KEYS or key in _SOLVENT_KEYS
        rank = (
            0 if known else 1,
            0 if _inorganic(frag) else 1,
            heavy,
            sum(a.GetMass() for a in frag.GetAtoms()),
            key,
        )
        candidates.append((rank, frag, key))
    candidates.sort(key=lambda c: c[0], reverse=True)
    _rank, parent, parent_key = candidates[0]
    if not parent_key:
        parent_key = Chem.MolToSmiles(parent, isomericSmiles=False)
    # Another copy of the parent (a hemi-salt) is not worth a word.
    counter_ions, solvents, others = sort_fragments(
        key for _rank, _frag, key in candidates[1:] if key != parent_key
    )
    steps = _fragment_steps(counter_ions, solvents, Counter(others), parent_key)
    out = Chem.Mol(parent)
    out.UpdatePropertyCache(strict=False)
    Chem.SanitizeMol(out)
    return out, steps


def split_known_salt(text: str) -> tuple[str, list[str]] | None:
    """Split a dotted SMILES whose every fragment but one is a known counter-ion or solvent.

    Only fragments written in their canonical form are recognised ('.Cl', '.O'). Returns the
    one remaining fragment's SMILES and the words for what was removed, or None when the text
    is not such a salt (no other fragment or several, or ring-bond digits across a '.').
    """
    counter_ions, solvents, kept = sort_fragments(text.split("."))
    if len(kept) != 1 or "%" in text:
        return None
    return kept[0], _fragment_steps(counter_ions, solvents, Counter(), "")


def _fragment_steps(
    counter_ions: Counter[str], solvents: Counter[str], others: Counter[str], parent_key: str
) -> list[str]:
    """The words for what removing the other fragments did."""
    steps: list[str] = []
    if counter_ions:
        steps.append("removed counter-ion(s): " + counted(counter_ions))
    water = solvents.pop("water", 0)
    if water:
        steps.append("removed water" + (f" (x{water})" if water > 1 else ""))
    if solvents:
        steps.append("removed solvent(s): " + counted(solvents))
    if others:
        organic_others = [k for k in others if "C" in k or "c" in k]
        if organic_others:
            steps.append(
                f"mixture of {len(organic_others) + 1} organic components: kept the largest "
                f"({parent_key}), dropped " + counted(others)
            )
        else:
            steps.append("removed inorganic fragment(s): " + counted(others))
    return steps


def counted(counts: Counter[str]) -> str:
    """'HCl, water x2': each name once, with its count when above one."""
    return ", ".join(f"{name} x{n}" if n > 1 else name for name, n in counts.items())


def _inorganic(mol: Chem.Mol) -> bool:
    return not mol.HasSubstructMatch(_CARBON)
