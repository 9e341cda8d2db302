"""The answer to one identify query, and its JSON shape (a command-line contract)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from chainbreaker.chem.models import ClassMatch, Control, InputKind, Substance


@dataclass(frozen=True, slots=True)
class Identification:
    """What a query is, what it resolved to, which structure classes fired and its controls.

    `controls` are those in force on `as_of` (or whose start date is unverified but which the
    catalog reports as current); `other_controls` are the rest (not yet in force, or ended).
    """

    query: str
    input_kind: InputKind
    as_of: date
    substance: Substance | None = None
    resolved_by: str | None = None
    smiles: str | None = None
    inchikey: str | None = None
    standardisation: tuple[str, ...] = ()
    classes: tuple[ClassMatch, ...] = ()
    controls: tuple[Control, ...] = ()
    other_controls: tuple[Control, ...] = ()
    controlled: bool = False
    explanation: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()  # the explanation without its sentences about controls
    error: str | None = None
    warnings: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """The JSON object printed by `chainbreaker chem identify --json`."""
        sub = self.substance
        return {
            "query": self.query,
            "input_kind": self.input_kind,
            "substance": sub.name if sub else None,
            "substance_id": sub.id if sub else None,
            "role": sub.role if sub else None,
            "cas": sub.cas if sub else None,
            "resolved_by": self.resolved_by,
            "smiles": self.smiles,
            "inchikey": self.inchikey,
            "standardisation": list(self.standardisation),
            "classes": [c.to_dict() for c in self.classes],
            "controls": [c.to_dict(self.as_of) for c in self.controls],
            "other_controls": [c.to_dict(self.as_of) for c in self.other_controls],
            "controlled": self.controlled,
            "as_of": self.as_of.isoformat(),
            "explanation": " ".join(self.explanation),
            "reasons": list(self.reasons),
            "warnings": list(self.warnings),
            "error": self.error,
        }
