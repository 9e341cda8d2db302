"""The chemical detector: chemical mentions in goods descriptions and in CAS fields.

Every goods description goes through the `chem` text scanner (names, synonyms, obfuscated
spellings, CAS numbers); each mention that resolves to a catalog substance is identified
(`chem.identify.Identifier`, on the record's date) for its controls and structure classes. A
goods line's `cas` field (orders state one) is identified directly.

Rules (scores in `data/scoring.yaml`, section `chemical`), one per mention, the first that
applies:

- `chem.derivative_hint`: the name is the tail of a longer chemical word ("N-Phenyl-4-
  piperidinone" around "4-piperidinone"): a derivative may be meant, identify it by structure;
- `chem.designer_precursor`: a precursor-family member no list names (a designer precursor);
- `chem.controlled_mention`: a substance controlled on the record's date;
- `chem.structure_class`: a member of a fentanyl structure class (US FRS, China's class);
- `chem.uncontrolled_mention`: a catalog chemical under no control (aniline...).

and, besides: `chem.obfuscated` (the name was disguised: adds to the mention's hit),
`chem.bad_cas` (a CAS number whose check digit is wrong), `chem.cas_only` (a description that
identifies its goods by a CAS number and no name: a FinCEN red flag), `chem.cas_name_conflict`
(the line's CAS field and its description name different substances).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from chainbreaker.chem.identify import Identifier
from chainbreaker.chem.mention import Mention
from chainbreaker.chem.scan import Scanner, default_scanner
from chainbreaker.screen.models import Hit
from chainbreaker.screen.records import Shipment

__all__ = ["ChemicalDetector", "LineMentions", "SubstanceFacts"]

#: Goods-line index -> the chemical mentions of its description.
LineMentions = dict[int, tuple[Mention, ...]]
_CLASS_RULES = ("us-frs", "cn-fentanyl-class")
_CACHE_LIMIT = 200_000


@dataclass(frozen=True, slots=True)
class SubstanceFacts:
    """What a catalog substance is, on one date: enough for a hit and its reason."""

    substance_id: str
    name: str
    role: str
    parent: str
    controlled: bool
    controls: tuple[str, ...]  # "UN Table I", "US List I"...
    designer: bool
    classes: tuple[str, ...]  # structure classes it is a legal member of
    hs_code: str | None


class ChemicalDetector:
    """Chemical mentions in the goods of records, as hits."""

    def __init__(
        self,
        scores: Mapping[str, float],
        scanner: Scanner | None = None,
        identifier: Identifier | None = None,
        today: dt.date | None = None,
    ) -> None:
        self.scores = dict(scores)
        self.scanner = scanner or default_scanner()
        self.identifier = identifier or Identifier()
        self.today = today or dt.date.today()
        self._scanned: dict[str, tuple[Mention, ...]] = {}
        self._facts: dict[tuple[str, dt.date], SubstanceFacts] = {}

    # -- scanning -----------------------------------------------------------------------------

    def scan_many(self, shipments: Sequence[Shipment]) -> list[LineMentions]:
        """The mentions in every goods description of the records (one scan for the batch)."""
        todo = {
            g.description
            for s in shipments
            for g in s.goods
            if g.description and g.description not in self._scanned
        }
        if todo:
            lines = sorted(todo)
            if len(self._scanned) + len(lines) > _CACHE_LIMIT:
                self._scanned.clear()
            for line, scanned in zip(lines, self.scanner.scan_lines(lines), strict=True):
                self._scanned[line] = tuple(scanned)
        out: list[LineMentions] = []
        for s in shipments:
            per_line: LineMentions = {}
            for i, g in enumerate(s.goods):
                found = self._scanned.get(g.description or "", ())
                if found:
                    per_line[i] = found
            out.append(per_line)
        return out

    def facts(self, substance_id: str, on: dt.date) -> SubstanceFacts:
        """The facts of a catalog substance on a date (cached)."""
        key = (substance_id, on)
        cached = self._facts.get(key)
        if cached is None:
            cached = self._facts[key] = _facts(self.identifier, substance_id, on)
        return cached

    # -- hits ---------------------------------------------------------------------------------

    def detect(self, shipment: Shipment, mentions: LineMentions | None = None) -> list[Hit]:
        """The chemical hits of one record (`mentions` from `scan_many`, else scanned now)."""
        if mentions is None:
            mentions = self.scan_many([shipment])[0]
        on = _record_date(shipment.date) or self.today
        hits: list[Hit] = []
        for i, found in sorted(mentions.items()):
            where = f"goods[{i}].description"
            named = [m for m in found if m.kind == "name"]
            for m in found:
                hits.extend(self._mention_hits(m, where, on))
            cas = [m for m in found if m.kind == "cas" and not m.cas_error]
            if cas and not named:
                hits.append(
                    Hit(
                        detector="chemical",
                        rule="chem.cas_only",
                        score=self.scores["cas_only"],
                        reason=f"The goods are identified by CAS number {cas[0].matched} alone, "
                        "with no name (a FinCEN red flag).",
                        where=where,
                        evidence={"cas": [m.matched for m in cas]},
                    )
                )
        for i, g in enumerate(shipment.goods):
            if g.cas and g.cas.strip():
                hits.extend(self._cas_field_hits(g.cas.strip(), i, mentions.get(i, ()), on))
        return hits

    def _mention_hits(self, m: Mention, where: str, on: dt.date) -> list[Hit]:
        evidence: dict[str, Any] = {
            "text": m.text,
            "span": [m.start, m.end],
            "kind": m.kind,
            "matched": m.matched,
            "how": m.how,
        }
        hits: list[Hit] = []
        if m.cas_error:
            hits.append(
                Hit(
                    "chemical",
                    "chem.bad_cas",
                    self.scores["bad_cas"],
                    f"CAS number {m.text} has a wrong check digit ({m.cas_error}).",
                    where,
                    evidence | {"error": m.cas_error},
                )
            )
        if m.substance_id is None:
            return hits
        facts = self.facts(m.substance_id, on)
        hits.append(self._substance_hit(facts, m.text, where, evidence, m.in_longer_name))
        if m.obfuscated:
            hits.append(
                Hit(
                    "chemical",
                    "chem.obfuscated",
                    self.scores["obfuscated"],
                    f"{facts.name} is written in disguise as {m.text!r}.",
                    where,
                    evidence,
                )
            )
        return hits

    def _substance_hit(
        self,
        facts: SubstanceFacts,
        text: str,
        where: str,
        evidence: dict[str, Any],
        longer: str | None = None,
    ) -> Hit:
        ev = evidence | {
            "substance_id": facts.substance_id,
            "substance": facts.name,
            "role": facts.role,
            "controls": list(facts.controls),
            "classes": list(facts.classes),
        }
        controls = "; ".join(facts.controls) or "no control"
        if longer:
            rule = "derivative_hint"
            reason = (
                f"{longer!r} contains {facts.name} ({controls}): a derivative may be meant; "
                "identify it by its structure."
            )
            ev["in_longer_name"] = longer
        elif facts.designer:
            rule = "designer_precursor"
            reason = f"{text!r} is {facts.name}, a designer precursor of fentanyl ({controls})."
        elif facts.controlled:
            rule = "controlled_mention"
            reason = f"{text!r} is {facts.name}, a controlled {facts.role} ({controls})."
        elif facts.classes:
            rule = "structure_class"
            reason = f"{text!r} is {facts.name}, in the class {', '.join(facts.classes)}."
        else:
            rule = "uncontrolled_mention"
            reason = f"{text!r} is {facts.name}, a {facts.role} under no control found."
        return Hit("chemical", f"chem.{rule}", self.scores[rule], reason, where, ev)

    def _cas_field_hits(
        self, cas: str, i: int, described: tuple[Mention, ...], on: dt.date
    ) -> list[Hit]:
        where = f"goods[{i}].cas"
        result = self.identifier.identify(cas, on)
        if result.input_kind != "cas":
            return []
        if result.error:
            return [
                Hit(
                    "chemical",
                    "chem.bad_cas",
                    self.scores["bad_cas"],
                    f"CAS number {cas} has a wrong check digit or form ({result.error}).",
                    where,
                    {"text": cas, "error": result.error},
                )
            ]
        if result.substance is None:
            return []
        facts = self.facts(result.substance.id, on)
        hits = [self._substance_hit(facts, cas, where, {"text": cas, "kind": "cas"})]
        named = {
            self.facts(m.substance_id, on).parent
            for m in described
            if m.substance_id and m.kind == "name"
        }
        if named and facts.parent not in named:
            hits.append(
                Hit(
                    "chemical",
                    "chem.cas_name_conflict",
                    self.scores["cas_name_conflict"],
                    f"The CAS number {cas} is {facts.name} but the description names "
                    f"{', '.join(sorted(named))}.",
                    where,
                    {"cas": cas, "cas_substance": facts.substance_id, "described": sorted(named)},
                )
            )
        return hits


def _facts(identifier: Identifier, substance_id: str, on: dt.date) -> SubstanceFacts:
    r = identifier.identify_substance(substance_id, on)
    sub = r.substance
    assert sub is not None  # a catalog id always resolves
    controls: list[str] = []
    for c in r.controls:
        if c.in_force(on) is False or not c.verified:
            continue
        label = f"{c.jurisdiction} {c.category}"
        if label not in controls:
            controls.append(label)
    designer = sub.role == "designer precursor" or any(c.designer for c in r.classes)
    classes = tuple(
        c.name for c in r.classes if c.class_id in _CLASS_RULES and c.legal_member is not False
    )
    return SubstanceFacts(
        substance_id=sub.id,
        name=sub.name,
        role=sub.role,
        parent=sub.parent or sub.id,
        # in force on the date, or with an unknown start (the catalog reports current law)
        controlled=r.controlled or bool(controls),
        controls=tuple(controls),
        designer=designer,
        classes=classes,
        hs_code=sub.hs_code,
    )


def _record_date(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None
