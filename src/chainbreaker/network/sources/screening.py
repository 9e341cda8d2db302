"""`chainbreaker screen` decisions (JSON lines, `Decision.to_dict()`) as network edges.

A decision with hits becomes a `shipment` node (its record id); its hits add what they name:

- party hits (`party.listed`): the party (as a company) `sent` the shipment (shipper, sender)
  or the shipment was `consigned_to` it (other roles), and the party is `listed_with` the list
  entry (`listing` node: list/entry id);
- indicator hits: the shipment `has_address`/`has_phone`/`has_email`/`has_company_number` the
  value that matched (the indicator's source in the note);
- chemical hits: the shipment `contains` the substance.

Other hits (rules, HS codes) name no entity and add nothing. Decisions without hits are counted
and skipped. A line that is not JSON or has no record id is reported and skipped.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from chainbreaker.errors import DataError
from chainbreaker.network.raw import Problem, RawBatch, RawEdge, Ref

_ROLE = re.compile(r"parties\[(\w+)\]")
_SENDERS = {"shipper", "sender", "seller", "exporter", "consignor"}
_INDICATOR_EDGE = {
    "indicator.address": ("address", "has_address"),
    "indicator.phone": ("phone", "has_phone"),
    "indicator.email": ("email", "has_email"),
    "indicator.company_number": ("company_number", "has_company_number"),
}


def read_decisions(path: Path) -> RawBatch:
    """Read a decisions file (see the module doc)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise DataError(f"{path}: cannot be read ({exc.strerror})") from exc
    batch = RawBatch()
    name = str(path)
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        batch.records += 1
        try:
            d = json.loads(line)
        except json.JSONDecodeError as exc:
            batch.problems.append(Problem(name, f"line {n}", None, f"not JSON ({exc.msg})"))
            continue
        if not isinstance(d, dict) or not d.get("record_id"):
            batch.problems.append(Problem(name, f"line {n}", "record_id", "missing"))
            continue
        hits = d.get("hits") or []
        if not hits:
            continue
        record = str(d["record_id"])
        shipment = Ref(
            "shipment",
            record,
            (("decision", str(d.get("decision", ""))), ("risk", str(d.get("risk", "")))),
        )
        note = f"{d.get('source_file', '')} row {d.get('source_row', '')}".strip()
        for hit in hits:
            if isinstance(hit, dict):
                _hit(batch, name, record, note, shipment, hit)
    return batch


def _hit(
    batch: RawBatch, name: str, record: str, note: str, shipment: Ref, hit: dict[str, Any]
) -> None:
    rule = str(hit.get("rule", ""))
    ev = hit.get("evidence") or {}
    if not isinstance(ev, dict):
        return
    role_match = _ROLE.search(str(hit.get("field") or ""))
    role = role_match.group(1) if role_match else ""

    def add(src: Ref, dst: Ref, kind: str, extra: str = "") -> None:
        batch.edges.append(
            RawEdge(src, dst, kind, 1.0, name, record, "", "; ".join(x for x in (note, extra) if x))
        )

    if rule.startswith("party.") and ev.get("name"):
        party = Ref("company", str(ev["name"]))
        if role in _SENDERS:
            add(party, shipment, "sent", role)
        else:
            add(shipment, party, "consigned_to", role)
        if ev.get("list") and ev.get("entity_id"):
            listing = Ref("listing", f"{ev['list']}/{ev['entity_id']}")
            add(party, listing, "listed_with", f"as {ev.get('listed_name', '')}")
    elif rule in _INDICATOR_EDGE and ev.get("value"):
        kind, edge = _INDICATOR_EDGE[rule]
        source = f"indicator from {ev.get('source', '')}: {ev.get('note', '')}".strip(": ")
        add(shipment, Ref(kind, str(ev["value"])), edge, f"{role} {source}".strip())
    elif rule.startswith("chem.") and (ev.get("substance") or ev.get("matched")):
        substance = str(ev.get("substance") or ev.get("matched"))
        add(shipment, Ref("substance", substance), "contains", str(ev.get("text", "")))
