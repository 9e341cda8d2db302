"""Read the precursor-family definitions (`data/families.yaml`).

Each family has a parent, core SMARTS in several forms (ketone, acetal, amine, imine, anilide)
whose mapped atoms are named, the role of each named atom (which decides what its substituents
are called), and exclusion patterns. The SMARTS are compiled once, when first asked for.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from rdkit import Chem

from chainbreaker.chem.data_files import DATA_DIR, read_entries
from chainbreaker.errors import DataError

__all__ = ["AtomSpec", "CoreForm", "Exclusion", "Family", "load_families"]


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
    entries = read_entries(DATA_DIR / "families.yaml", "families")
    try:
        return tuple(_family(raw) for raw in entries)
    except (KeyError, TypeError, ValueError) as err:
        raise DataError(f"families.yaml: malformed family definition: {err!r}") from err
