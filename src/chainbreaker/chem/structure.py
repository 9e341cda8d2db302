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
`flat`, the copy the structure-class rules run on. The counter-ion and solvent tables and the
choice of the parent fragment are in `chem.salts`.
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

from chainbreaker.chem.salts import choose_parent_fragment, counted, split_known_salt
from chainbreaker.errors import InvalidStructure

__all__ = [
    "Standardised",
    "connectivity_key",
    "parse_structure",
    "standardise",
    "standardise_smiles",
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
# Any atom outside the usual organic set; only then is the slower metal check worth running.
_UNUSUAL_ELEMENT = Chem.MolFromSmarts(
    "[!#1;!#5;!#6;!#7;!#8;!#9;!#14;!#15;!#16;!#17;!#34;!#35;!#53]"
)
_METALS = frozenset(
    (3, 4, 11, 12, 13, 19, 20, *range(21, 31), 37, 38, *range(39, 49), 55, 56, *range(57, 81))
)
_CHARGED = Chem.MolFromSmarts("[!+0]")
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
        work, frag_steps = choose_parent_fragment(work)
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


def standardise_smiles(text: str) -> Standardised:
    """`standardise(parse_structure(text, "smiles"))`, with a fast path for salts as written.

    Most salts and hydrates are written with the counter-ion or water in its plain canonical
    form ('.Cl', '.O', '.OC(=O)C(=O)O'): such fragments are recognised in the text and left
    out before parsing, which saves splitting the molecule apart. The answer is the same as
    the general path's; anything else (several other fragments, ring bonds across a '.',
    unusual spellings) takes the general path.
    """
    if "." in text:
        salt = split_known_salt(text.strip())
        if salt is not None:
            kept, salt_steps = salt
            try:
                parent = standardise(parse_structure(kept, "smiles"))
            except InvalidStructure:
                pass  # e.g. a ring bond written across the '.': let the general path decide
            else:
                steps = (*salt_steps, *parent.steps)
                return dataclasses.replace(parent, steps=steps, changed=True)
    return standardise(parse_structure(text, "smiles"))


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
        steps.append("ignored isotope labels (" + counted(labels) + ")")
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
