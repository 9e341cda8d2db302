"""The vocabulary of the chem package: substances, controls, structure-class matches, results.

These are plain frozen dataclasses so every layer (catalog, structure rules, text scan, command
line, later the screening detectors) speaks the same language. JSON shapes are produced by
`to_dict` methods and are part of the command-line contract.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

InputKind = Literal["name", "cas", "smiles", "inchi", "inchikey", "empty"]

ROLES = (
    "drug",
    "precursor",
    "immediate precursor",
    "pre-precursor",
    "masked precursor",
    "designer precursor",
    "intermediate",
    "reagent",
    "salt form",
)


@dataclass(frozen=True, slots=True)
class Source:
    """Where a fact comes from."""

    id: str
    title: str
    url: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Control:
    """One legal control of a substance (or a class) in one jurisdiction.

    `effective` is None where the date could not be verified; `verified` is False where the
    control itself is reported but not confirmed from its instrument; `ended` is set for
    controls that lapsed (temporary orders) or were replaced.
    """

    jurisdiction: str  # "UN", "US", "EU", "CN", "MX", "CA"
    instrument: str  # e.g. "1988 Convention", "21 CFR 1310.02(a)"
    category: str  # e.g. "Table I", "List I", "Schedule II", "Category 1"
    effective: date | None
    sources: tuple[str, ...]
    verified: bool = True
    ended: date | None = None
    note: str | None = None
    via_class: str | None = None  # set when the control reaches the substance through a class

    def in_force(self, on: date) -> bool | None:
        """True/False on the date; None when the effective date is unknown."""
        if self.ended is not None and on >= self.ended:
            return False
        if self.effective is None:
            return None
        return self.effective <= on

    def to_dict(self, on: date | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {
            "jurisdiction": self.jurisdiction,
            "instrument": self.instrument,
            "category": self.category,
            "effective": self.effective.isoformat() if self.effective else None,
            "ended": self.ended.isoformat() if self.ended else None,
            "verified": self.verified,
            "sources": list(self.sources),
        }
        if self.via_class:
            out["via_class"] = self.via_class
        if self.note:
            out["note"] = self.note
        if on is not None:
            out["in_force"] = self.in_force(on)
        return out


@dataclass(frozen=True, slots=True)
class Substance:
    """A catalog entry: a named substance with its identifiers and controls."""

    id: str
    name: str
    role: str
    synonyms: tuple[str, ...] = ()
    cas: str | None = None
    other_cas: tuple[str, ...] = ()  # CAS RNs of salts/hydrates that resolve to this entry
    smiles: str | None = None
    inchikey: str | None = None
    hs_code: str | None = None
    parent: str | None = None  # id of the free base / parent entry for salt and hydrate forms
    controls: tuple[Control, ...] = ()
    sources: tuple[str, ...] = ()  # sources of the identity facts (names, CAS, structure)
    notes: str | None = None
    individually_listed: tuple[str, ...] = ()  # jurisdictions that name this substance itself


@dataclass(frozen=True, slots=True)
class ClassMatch:
    """A structure-class rule that fired, with the atoms that made it fire.

    `atoms` maps a region or feature name to atom indices of the standardised parent.
    `legal_member` is None where the class has no notion of exclusion; otherwise False when
    the substance matches the class structurally but is excluded in law (scheduled separately).
    """

    class_id: str  # "us-frs", "cn-fentanyl-class", "precursor-family:4-ap", ...
    name: str
    rule: str  # the rule in words, citing the legal text
    modifications: tuple[str, ...] = ()
    legal_member: bool | None = None
    atoms: dict[str, tuple[int, ...]] = field(default_factory=dict)
    explanation: str = ""
    flags: tuple[str, ...] = ()  # ambiguities the user should know about
    designer: bool = False  # a precursor-family member that no list names

    def to_dict(self) -> dict[str, Any]:
        return {
            "class": self.class_id,
            "name": self.name,
            "rule": self.rule,
            "modifications": list(self.modifications),
            "legal_member": self.legal_member,
            "designer": self.designer,
            "atoms": {k: list(v) for k, v in self.atoms.items()},
            "explanation": self.explanation,
            "flags": list(self.flags),
        }
