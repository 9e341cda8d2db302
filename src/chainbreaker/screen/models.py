"""The vocabulary of screening results: hits, decisions, bad records.

A `Hit` says which detector fired, on what evidence (the text span, the list entry, the rule),
with what score, and why. A `Decision` is the risk of one record with its hits; it can always be
explained from its hits.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as _field
from typing import Any, Literal, NamedTuple

Verdict = Literal["clear", "review", "hold"]


@dataclass(frozen=True, slots=True)
class Hit:
    """One reason to look at a record."""

    detector: str  # "chemical", "hs_code", "party", "indicator", "rule"
    rule: str  # a stable id: "chem.controlled_mention", "party.listed", "rule.vague_description"...
    score: float  # in [0, 1]: how strongly this alone points to a record to stop
    reason: str  # one sentence for an officer
    where: str | None = None  # the field: "goods[0].description", "parties[consignee].name"...
    evidence: dict[str, Any] = _field(default_factory=dict)  # span, list entry, rule values...

    def __reduce__(self) -> tuple[type[Hit], tuple[Any, ...]]:
        # Rebuilt by position: several times faster to send between processes than the
        # field-by-field state of a frozen dataclass with slots (decisions cross per batch).
        return Hit, (self.detector, self.rule, self.score, self.reason, self.where, self.evidence)

    def to_dict(self) -> dict[str, Any]:
        return {
            "detector": self.detector,
            "rule": self.rule,
            "score": round(self.score, 4),
            "reason": self.reason,
            "field": self.where,
            "evidence": self.evidence,
        }


class Decision(NamedTuple):
    """The outcome for one record (a named tuple: one is built for every record in a worker and
    again in the process that reads it back, several times faster than a frozen dataclass)."""

    record_id: str
    profile: str
    source_file: str
    source_row: int
    risk: float  # in [0, 1]
    decision: Verdict
    hits: tuple[Hit, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "record_id": self.record_id,
            "profile": self.profile,
            "source_file": self.source_file,
            "source_row": self.source_row,
            "risk": round(self.risk, 4),
            "decision": self.decision,
            "hits": [h.to_dict() for h in self.hits],
        }


@dataclass(frozen=True, slots=True)
class BadRecord:
    """A row that could not be read: reported (file, row, field, why), skipped and counted."""

    file: str
    row: int
    field: str | None
    why: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.row}"
        if self.field:
            where += f" ({self.field})"
        return f"{where}: {self.why}"
