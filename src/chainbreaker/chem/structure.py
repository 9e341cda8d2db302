"""Parse structures (SMILES, InChI) and standardise them to the parent the rules work on.

Standardisation does the least work that can change the answer, because identify must run at
thousands of structures per second: the fragment chooser runs only when there is more than one
fragment, the uncharger and normaliser only when an atom carries a charge, the metal
disconnector only when a metal is present, the gem-diol rule only when its pattern matches.
At most one InChIKey is computed per structure, on first use (and remembered per canonical
SMILES).

What the parent is: the largest organic fragment that is not a known counter-ion or solvent,
neutralised (quaternary ammonium kept), normalised (nitro, N-oxide), with a ketone hydrate
(gem-diol) turned back into the ketone; stereo and isotopes are kept in `mol` and dropped in
`flat`, the copy the structure-class rules run on.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections import Counter
from dataclasses import dataclass
from typing import Literal

from rdkit import Chem, rdBase
from rdkit.Chem import rdinchi
from rdkit.Chem.MolStandardize import rdMolStandardize

from chainbreaker.errors import InvalidStructure

__all__ = [
    "Standardised",
    "connectivity_key",
    "parse_structure",
    "standardise",
    "standardise_text",
]

_UNCHARGER = rdMolStandardize.Uncharger()
_NORMALIZER = rdMolStandardize.Normalizer()
_METAL_DISCONNECTOR = rdMolStandardize.MetalDisconnector()

# A ketone hydrate: C(OH)(OH) whose two other neighbours are sp3 carbons without a halogen.
# Stable hydrates of activated carbonyls (chloral hydrate and other aldehyde hydrates, ninhydrin,
# hexafluoroacetone hydrate) are substances in their own right and do not match; hemiacetals
# and ketals do not match because both oxygens must carry a hydrogen.
_GEM_DIOL = Chem.MolFromSmarts(
    "[OX2H1][CX4]([OX2H1])([CX4;!$(C[F,Cl,Br,I])])[CX4;!$(C[F,Cl,Br,I])]"
)
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
# Any atom outside the usual organic set; only then is the slower metal check worth running.
_UNUSUAL_ELEMENT = Chem.MolFromSmarts(
    "[!#1;!#5;!#6;!#7;!#8;!#9;!#14;!#15;!#16;!#17;!#34;!#35;!#53]"
)
_METALS = frozenset(
    (3, 4, 11, 12, 13, 19, 20, *range(21, 31), 37, 38, *range(39, 49), 55, 56, *range(57, 81))
)
_CHARGED = Chem.MolFromSmarts("[!+0]")
_CARBON = Chem.MolFromSmarts("[#6]")
_LARGEST_KNOWN_SMALL_FRAGMENT = max(
    Chem.MolFromSmiles(key).GetNumHeavyAtoms() for key in (*_COUNTER_ION_KEYS, *_SOLVENT_KEYS)
)
_ISOTOPE_RE = re.compile(r"\[\d")
_INCHIKEY_CACHE: dict[str, tuple[str, str]] = {}
_INCHIKEY_CACHE_MAX = 200_000


@dataclass(frozen=True)
class Standardised:
    """A standardised parent structure and what was done to reach it.

    `mol` keeps stereo and isotopes; its atom i is the i-th atom written in `smiles`.
    `flat` has the same atoms in the same order with stereo and isotope labels removed; a
    hydrogen that carried an isotope label (deuterium) stays an explicit atom in `flat` so that
    indices line up -- rules should count hydrogens with SMARTS H/X, not D.

    `inchikey` (the standard InChIKey of `mol`) is computed on first use, once: the InChI is
    the most expensive step, and a caller that finds the parent by its SMILES may not need it.
    It is "" when InChI cannot represent the structure; `inchikey_problem` then says why.
    """

    mol: Chem.Mol
    smiles: str
    flat: Chem.Mol
    steps: tuple[str, ...]
    changed: bool

    @functools.cached_property
    def _inchi_result(self) -> tuple[str, str]:
        return _inchikey(self.mol, self.smiles)

    @property
    def inchikey(self) -> str:
        """Standard InChIKey of the parent (`mol`, stereo and isotopes included)."""
        return self._inchi_result[0]

    @property
    def inchikey_problem(self) -> str:
        """InChI's message when no InChIKey could be computed (or a warning), else ""."""
        return self._inchi_result[1]


def parse_structure(text: str, kind: Literal["smiles", "inchi"]) -> Chem.Mol:
    """Parse a SMILES or InChI string into a sanitised RDKit molecule.

    RDKit's log is silenced; its message is put into the InvalidStructure raised on failure.
    """
    text = text.strip()
    if not text:
        raise InvalidStructure(f"empty {kind}: nothing to parse")
    if kind == "smiles":
        with rdBase.BlockLogs(), rdBase.CaptureErrorLog() as capture:
            mol = Chem.MolFromSmiles(text)
        if mol is None:
            raise InvalidStructure(
                f"invalid SMILES {text!r}: {_rdkit_reason(capture.messages, text)}"
            )
        if mol.GetNumAtoms() == 0:
            raise InvalidStructure(f"invalid SMILES {text!r}: no atoms")
        return mol
    if kind == "inchi":
        if not text.startswith("InChI="):
            raise InvalidStructure(f"invalid InChI {text!r}: it must start with 'InChI='")
        with rdBase.BlockLogs(), rdBase.CaptureErrorLog() as capture:
            result = rdinchi.InchiToMol(text, True, True)
        inchi_mol: Chem.Mol | None = result[0]
        code, message, log = result[1], str(result[2] or ""), str(result[3] or "")
        if inchi_mol is None or inchi_mol.GetNumAtoms() == 0:
            reason = message or _last_line(log) or _rdkit_reason(capture.messages)
            raise InvalidStructure(f"invalid InChI {text!r}: {reason} (InChI code {code})")
        return inchi_mol
    raise InvalidStructure(f"unknown structure kind {kind!r}: use 'smiles' or 'inchi'")


def standardise(mol: Chem.Mol) -> Standardised:
    """Reduce a parsed structure to its parent and say, in words, what was done.

    The input molecule is not modified.
    """
    steps: list[str] = []
    changed = False
    work = mol  # every step below returns a new molecule; the input is never modified
    if work.HasSubstructMatch(_UNUSUAL_ELEMENT) and any(
        atom.GetAtomicNum() in _METALS for atom in work.GetAtoms()
    ):
        before = Chem.MolToSmiles(work)
        with rdBase.BlockLogs():
            work = _METAL_DISCONNECTOR.Disconnect(work)
        if Chem.MolToSmiles(work) != before:
            steps.append("disconnected metal-organic bonds")
            changed = True
    if len(Chem.GetMolFrags(work)) > 1:
        work, frag_steps = _choose_parent_fragment(work)
        steps.extend(frag_steps)
        changed = True
    if work.HasSubstructMatch(_CHARGED):
        work, charge_changed = _neutralise(work)
        if charge_changed:
            steps.append("neutralised charges")
            changed = True
    if work.HasSubstructMatch(_GEM_DIOL):
        work, gem_steps = _gem_diol_to_ketone(work)
        steps.extend(gem_steps)
        changed = True

    smiles = Chem.MolToSmiles(work)
    order = [int(i) for i in work.GetProp("_smilesAtomOutputOrder").strip("[],").split(",")]
    parent = Chem.RenumberAtoms(work, order)
    flat, flat_steps = _flatten(parent, smiles)
    steps.extend(flat_steps)
    return Standardised(
        mol=parent,
        smiles=smiles,
        flat=flat,
        steps=tuple(steps),
        changed=changed,
    )


@functools.lru_cache(maxsize=65_536)
def standardise_text(text: str, kind: Literal["smiles", "inchi"]) -> Standardised:
    """`standardise(parse_structure(text, kind))`, remembered for repeated inputs.

    Manifests and batch files repeat the same structures many times; the result is shared
    between calls, so treat its molecules as read-only.
    """
    return standardise(parse_structure(text, kind))


def connectivity_key(inchikey: str) -> str:
    """The first block of an InChIKey (14 characters): the skeleton without stereo or isotopes."""
    return inchikey.strip().upper()[:14]


def _choose_parent_fragment(mol: Chem.Mol) -> tuple[Chem.Mol, list[str]]:
    """Keep the largest organic fragment that is not a counter-ion or solvent."""
    frags = Chem.GetMolFrags(mol, asMols=True, sanitizeFrags=False)
    counter_ions: Counter[str] = Counter()
    solvents: Counter[str] = Counter()
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
        ion = _COUNTER_ION_KEYS.get(key)
        solvent = _SOLVENT_KEYS.get(key)
        rank = (
            0 if (ion or solvent) else 1,
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
    others: Counter[str] = Counter()
    for _rank, _frag, key in candidates[1:]:
        if key == parent_key:
            continue  # another copy of the parent (a hemi-salt): nothing to say
        ion = _COUNTER_ION_KEYS.get(key)
        solvent = _SOLVENT_KEYS.get(key)
        if ion:
            counter_ions[ion] += 1
        elif solvent:
            solvents[solvent] += 1
        else:
            others[key] += 1
    steps = _fragment_steps(counter_ions, solvents, others, parent_key)
    out = Chem.Mol(parent)
    out.UpdatePropertyCache(strict=False)
    Chem.SanitizeMol(out)
    return out, steps


def _fragment_steps(
    counter_ions: Counter[str], solvents: Counter[str], others: Counter[str], parent_key: str
) -> list[str]:
    """The words for what removing the other fragments did."""
    steps: list[str] = []
    if counter_ions:
        steps.append("removed counter-ion(s): " + _counted(counter_ions))
    water = solvents.pop("water", 0)
    if water:
        steps.append("removed water" + (f" (x{water})" if water > 1 else ""))
    if solvents:
        steps.append("removed solvent(s): " + _counted(solvents))
    if others:
        organic_others = [k for k in others if "C" in k or "c" in k]
        if organic_others:
            steps.append(
                f"mixture of {len(organic_others) + 1} organic components: kept the largest "
                f"({parent_key}), dropped " + _counted(others)
            )
        else:
            steps.append("removed inorganic fragment(s): " + _counted(others))
    return steps


def standardise_smiles(text: str) -> Standardised:
    """`standardise(parse_structure(text, "smiles"))`, with a fast path for salts as written.

    Most salts and hydrates are written with the counter-ion or water in its plain canonical
    form ('.Cl', '.O', '.OC(=O)C(=O)O'): such fragments are recognised in the text and left
    out before parsing, which saves splitting the molecule apart. The answer is the same as
    the general path's; anything else (several other fragments, ring bonds across a '.',
    unusual spellings) takes the general path.
    """
    if "." in text:
        fast = _standardise_known_salt(text.strip())
        if fast is not None:
            return fast
    return standardise(parse_structure(text, "smiles"))


def _standardise_known_salt(text: str) -> Standardised | None:
    counter_ions: Counter[str] = Counter()
    solvents: Counter[str] = Counter()
    kept: list[str] = []
    for part in text.split("."):
        ion = _COUNTER_ION_KEYS.get(part)
        solvent = _SOLVENT_KEYS.get(part)
        if ion:
            counter_ions[ion] += 1
        elif solvent:
            solvents[solvent] += 1
        else:
            kept.append(part)
    if len(kept) != 1 or "%" in text:
        return None
    try:
        parent = standardise(parse_structure(kept[0], "smiles"))
    except InvalidStructure:
        return None  # e.g. a ring bond written across the '.': let the general path decide
    steps = _fragment_steps(counter_ions, solvents, Counter(), parent.smiles)
    return dataclasses.replace(parent, steps=(*steps, *parent.steps), changed=True)


def _neutralise(mol: Chem.Mol) -> tuple[Chem.Mol, bool]:
    """Normalise charge-separated groups and neutralise what can be neutralised."""
    before = Chem.MolToSmiles(mol)
    with rdBase.BlockLogs():
        out = _NORMALIZER.normalize(mol)
        out = _UNCHARGER.uncharge(out)
    return out, Chem.MolToSmiles(out) != before


def _gem_diol_to_ketone(mol: Chem.Mol) -> tuple[Chem.Mol, list[str]]:
    """Turn every ketone hydrate C(OH)(OH) into C=O."""
    rw = Chem.RWMol(mol)
    steps: list[str] = []
    to_remove: list[int] = []
    seen: set[int] = set()
    for o1, carbon, o2, _c1, _c2 in mol.GetSubstructMatches(_GEM_DIOL):
        if carbon in seen:
            continue
        seen.add(carbon)
        rw.GetBondBetweenAtoms(carbon, o1).SetBondType(Chem.BondType.DOUBLE)
        rw.GetAtomWithIdx(o1).SetNumExplicitHs(0)
        rw.GetAtomWithIdx(o1).SetNoImplicit(False)
        to_remove.append(o2)
        locant = _locant(mol, carbon)
        steps.append("hydrate gem-diol converted to ketone" + (f" ({locant})" if locant else ""))
    for idx in sorted(to_remove, reverse=True):
        rw.RemoveAtom(idx)
    out = rw.GetMol()
    Chem.SanitizeMol(out)
    return out, steps


def _locant(mol: Chem.Mol, carbon: int) -> str:
    """Name the hydrate carbon by its ring position in a piperidine (C4); empty otherwise."""
    ring_info = mol.GetRingInfo()
    for ring in ring_info.AtomRings():
        if carbon in ring and len(ring) == 6:
            nitrogens = [i for i in ring if mol.GetAtomWithIdx(i).GetAtomicNum() == 7]
            if len(nitrogens) == 1:
                pos = ring.index(carbon) - ring.index(nitrogens[0])
                return f"C{min(pos % 6, -pos % 6) + 1}"
    return ""


def _flatten(parent: Chem.Mol, smiles: str) -> tuple[Chem.Mol, list[str]]:
    """The parent without stereo and isotope labels, same atom order."""
    has_stereo = "@" in smiles or "/" in smiles or "\\" in smiles
    has_isotope = "[" in smiles and _ISOTOPE_RE.search(smiles) is not None
    if not has_stereo and not has_isotope:
        return parent, []
    flat = Chem.Mol(parent)
    steps: list[str] = []
    if has_stereo:
        Chem.RemoveStereochemistry(flat)
        steps.append("ignored stereo for class rules")
    if has_isotope:
        labels: Counter[str] = Counter()
        for atom in flat.GetAtoms():
            isotope = atom.GetIsotope()
            if isotope:
                labels[f"{isotope}{atom.GetSymbol()}"] += 1
                atom.SetIsotope(0)
        steps.append("ignored isotope labels (" + _counted(labels) + ")")
    flat.UpdatePropertyCache(strict=False)
    return flat, steps


def _inchikey(mol: Chem.Mol, smiles: str) -> tuple[str, str]:
    """Standard InChIKey of the parent, remembered per canonical SMILES."""
    hit = _INCHIKEY_CACHE.get(smiles)
    if hit is not None:
        return hit
    with rdBase.BlockLogs():
        inchi, _code, message, _log, _aux = rdinchi.MolToInchi(mol, "/AuxNone")
        key = rdinchi.InchiToInchiKey(inchi) if inchi else ""
    result = (key or "", message or "")
    if len(_INCHIKEY_CACHE) >= _INCHIKEY_CACHE_MAX:
        _INCHIKEY_CACHE.clear()
    _INCHIKEY_CACHE[smiles] = result
    return result


def _inorganic(mol: Chem.Mol) -> bool:
    return not mol.HasSubstructMatch(_CARBON)


def _counted(counts: Counter[str]) -> str:
    return ", ".join(f"{name} x{n}" if n > 1 else name for name, n in counts.items())


def _rdkit_reason(messages: str, text: str = "") -> str:
    """The useful part of RDKit's log: no timestamps, no echoed input, no ~~^ marker."""
    lines: list[str] = []
    for raw in messages.splitlines():
        line = re.sub(r"^\[\d\d:\d\d:\d\d\]\s*", "", raw).strip()
        line = line.removeprefix("SMILES Parse Error: ").rstrip(":")
        if not line or line == text or set(line) <= {"~", "^"}:
            continue
        if line.startswith("Failed parsing SMILES") or line in lines:
            continue
        lines.append(line)
    return "; ".join(lines) if lines else "RDKit could not read it"


def _last_line(log: str) -> str:
    lines = [line.strip() for line in log.splitlines() if line.strip()]
    return lines[-1] if lines else ""
