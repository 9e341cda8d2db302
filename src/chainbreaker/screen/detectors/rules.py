"""The rules kept as data: `data/rules.yaml`, extended or overridden by a user's `--rules` file.

A rule is an id, a kind (the check below), a description, a score, parameters, a reason
template and a source. The kinds are the code; everything else is data. A user file has the
same shape: an entry whose id is already known replaces the fields it gives (`params` are
merged key by key), a new id adds a rule, `enabled: false` switches one off.

Kinds: vague_description, missing_description, low_value, weight_per_unit, transshipment,
repeated_consignee (reads the `Context`), gift_commercial, shipper_origin. `data/rules.yaml`
describes each kind's parameters.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chainbreaker.errors import DataError
from chainbreaker.screen.detectors import DATA_DIR, load_yaml
from chainbreaker.screen.detectors.context import Context
from chainbreaker.screen.detectors.rule_checks import CHECKS, Finding
from chainbreaker.screen.models import Hit
from chainbreaker.screen.records import Shipment

__all__ = ["Rule", "RuleDetector", "load_rules"]

_REQUIRED = ("kind", "description", "score", "reason")


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    kind: str
    description: str
    score: float
    params: dict[str, Any]
    reason: str
    source: str
    enabled: bool = True


def load_rules(user: str | Path | None = None) -> list[Rule]:
    """The packaged rules, extended and overridden by a user rules file when given."""
    merged: dict[str, dict[str, Any]] = {}
    origin: dict[str, Path] = {}
    paths = [DATA_DIR / "rules.yaml", *([Path(user)] if user else [])]
    for path in paths:
        entries = load_yaml(path, "rules")
        if not isinstance(entries, list):
            raise DataError(f"{path}: 'rules' must be a list of rules")
        for n, entry in enumerate(entries, start=1):
            if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
                raise DataError(f"{path}: rule {n}: a rule must be a mapping with an 'id'")
            rid = entry["id"]
            if rid in merged:
                base = merged[rid]
                params = {**base.get("params", {}), **(entry.get("params") or {})}
                merged[rid] = {**base, **entry, "params": params}
            else:
                merged[rid] = copy.deepcopy(entry)
            origin[rid] = path
    return [_rule(origin[rid], data) for rid, data in merged.items()]


def _rule(path: Path, data: dict[str, Any]) -> Rule:
    rid = data["id"]
    missing = [k for k in _REQUIRED if k not in data]
    if missing:
        raise DataError(f"{path}: rule {rid}: missing {', '.join(missing)}")
    if data["kind"] not in CHECKS:
        known = ", ".join(sorted(CHECKS))
        raise DataError(f"{path}: rule {rid}: unknown kind {data['kind']!r} (known: {known})")
    try:
        score = float(data["score"])
    except (TypeError, ValueError) as exc:
        raise DataError(f"{path}: rule {rid}: score must be a number") from exc
    if not 0.0 <= score <= 1.0:
        raise DataError(f"{path}: rule {rid}: score {score} is outside 0..1")
    params = data.get("params") or {}
    if not isinstance(params, dict):
        raise DataError(f"{path}: rule {rid}: params must be a mapping")
    return Rule(
        id=rid,
        kind=str(data["kind"]),
        description=" ".join(str(data["description"]).split()),
        score=score,
        params=params,
        reason=str(data["reason"]),
        source=str(data.get("source", "")),
        enabled=bool(data.get("enabled", True)),
    )


class _Blank(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


class RuleDetector:
    """Runs the enabled rules on records."""

    def __init__(self, rules: list[Rule]) -> None:
        self.rules = [r for r in rules if r.enabled]
        self._checks: list[tuple[Rule, Callable[[Shipment, Context | None], list[Finding]]]] = []
        for rule in self.rules:
            try:
                self._checks.append((rule, CHECKS[rule.kind](rule.params)))
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                raise DataError(
                    f"rule {rule.id}: bad params for kind {rule.kind}: {exc!r}"
                ) from exc

    def detect(self, shipment: Shipment, context: Context | None = None) -> list[Hit]:
        """The hits of every enabled rule on one record."""
        hits: list[Hit] = []
        for rule, check in self._checks:
            for where, evidence in check(shipment, context):
                hits.append(
                    Hit(
                        "rule",
                        rule.id,
                        rule.score,
                        format_reason(rule.reason, evidence),
                        where,
                        evidence,
                    )
                )
        return hits


def format_reason(template: str, evidence: Mapping[str, Any]) -> str:
    """The reason template filled from the evidence (unknown {names} are left as written)."""
    try:
        return template.format_map(_Blank(evidence))
    except (ValueError, IndexError, AttributeError):
        return template
