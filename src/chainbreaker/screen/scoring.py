"""From hits to a risk and a decision: noisy-OR with per-rule and per-group caps.

    risk = 1 - prod(1 - s) over the rules that fired

- a rule that fired several times in a record counts once, at its highest score;
- the rules of a capped group (`data/scoring.yaml`, `groups`: glob patterns on rule ids) are
  first combined among themselves, and the group counts at most its cap: the weak-signal
  group is capped under the hold threshold, so weak signals alone never make a hold;
- decision: `hold` when risk >= the hold threshold, `review` when >= the review threshold,
  else `clear`; the explanation is the hits, highest score first.

The settings file also holds the scores of the chemical, party and indicator detectors.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chainbreaker.errors import DataError
from chainbreaker.screen.detectors import DATA_DIR, load_yaml
from chainbreaker.screen.models import Decision, Hit, Verdict
from chainbreaker.screen.records import Shipment

__all__ = ["Group", "Scorer", "ScoringSettings", "load_scoring", "noisy_or"]


@dataclass(frozen=True, slots=True)
class Group:
    name: str
    cap: float
    patterns: tuple[str, ...]

    def holds(self, rule: str) -> bool:
        """True when the rule id matches one of the group's patterns."""
        return any(fnmatch.fnmatchcase(rule, p) for p in self.patterns)


@dataclass(frozen=True, slots=True)
class ScoringSettings:
    """The contents of scoring.yaml."""

    review: float
    hold: float
    groups: tuple[Group, ...]
    chemical: dict[str, float]
    party: dict[str, float]
    indicators: dict[str, Any]


def load_scoring(path: Path | None = None) -> ScoringSettings:
    """Read scoring.yaml (DataError naming the file when malformed)."""
    path = path or DATA_DIR / "scoring.yaml"
    try:
        t = load_yaml(path, "thresholds")
        groups = tuple(
            Group(str(g["name"]), float(g["cap"]), tuple(str(p) for p in g["rules"]))
            for g in load_yaml(path, "groups")
        )
        settings = ScoringSettings(
            review=float(t["review"]),
            hold=float(t["hold"]),
            groups=groups,
            chemical={str(k): float(v) for k, v in load_yaml(path, "chemical").items()},
            party={str(k): float(v) for k, v in load_yaml(path, "party").items()},
            indicators=dict(load_yaml(path, "indicators")),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise DataError(f"{path}: malformed scoring settings ({exc!r})") from exc
    check_thresholds(settings.review, settings.hold)
    return settings


def check_thresholds(review: float, hold: float) -> None:
    """DataError unless 0 <= review <= hold <= 1."""
    if not 0.0 <= review <= hold <= 1.0:
        raise DataError(f"thresholds must satisfy 0 <= review <= hold <= 1 (got {review}, {hold})")


def noisy_or(scores: Iterable[float]) -> float:
    """1 - prod(1 - s): the chance at least one of independent signals is right."""
    miss = 1.0
    for s in scores:
        miss *= 1.0 - min(1.0, max(0.0, s))
    return 1.0 - miss


class Scorer:
    """Turns a record's hits into its risk and decision."""

    def __init__(
        self, settings: ScoringSettings, thresholds: tuple[float, float] | None = None
    ) -> None:
        self.settings = settings
        self.review, self.hold = thresholds or (settings.review, settings.hold)
        check_thresholds(self.review, self.hold)
        self._group_of: dict[str, int | None] = {}

    def group_of(self, rule: str) -> int | None:
        """The index of the first group holding a rule id, or None."""
        if rule not in self._group_of:
            self._group_of[rule] = next(
                (i for i, g in enumerate(self.settings.groups) if g.holds(rule)), None
            )
        return self._group_of[rule]

    def risk(self, hits: Iterable[Hit]) -> float:
        """The record's risk from its hits (see the module doc)."""
        best: dict[str, float] = {}
        for h in hits:
            if h.score > best.get(h.rule, 0.0):
                best[h.rule] = h.score
        grouped: dict[int, list[float]] = {}
        single: list[float] = []
        for rule, score in best.items():
            g = self.group_of(rule)
            if g is None:
                single.append(score)
            else:
                grouped.setdefault(g, []).append(score)
        for g, scores in grouped.items():
            single.append(min(self.settings.groups[g].cap, noisy_or(scores)))
        return round(noisy_or(single), 6)

    def verdict(self, risk: float) -> Verdict:
        """hold, review or clear by the thresholds."""
        if risk >= self.hold:
            return "hold"
        if risk >= self.review:
            return "review"
        return "clear"

    def decide(self, shipment: Shipment, hits: Iterable[Hit]) -> Decision:
        """The decision for a record: risk, verdict and the hits sorted by score."""
        ordered = tuple(sorted(hits, key=_order))
        risk = self.risk(ordered)
        return Decision(
            record_id=shipment.record_id,
            profile=shipment.profile,
            source_file=shipment.source_file,
            source_row=shipment.source_row,
            risk=risk,
            decision=self.verdict(risk),
            hits=ordered,
        )


def _order(h: Hit) -> tuple[float, str, str]:
    return (-h.score, h.rule, h.where or "")


def summary_settings(settings: ScoringSettings) -> Mapping[str, Any]:
    """The thresholds and groups as a dict (for reports)."""
    return {
        "review": settings.review,
        "hold": settings.hold,
        "groups": [
            {"name": g.name, "cap": g.cap, "rules": list(g.patterns)} for g in settings.groups
        ],
    }
