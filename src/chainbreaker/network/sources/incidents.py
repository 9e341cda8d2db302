"""Incident reports of the exchange (`chainbreaker serve`) as network nodes and edges.

Read from the exchange's two export forms: its CSV (one incident a row, parties, substances and
route as JSON cells) and its STIX 2.1 bundles (a `report` per incident carrying the report in
`x_chainbreaker_incident`; see `sources.stix`). Each incident becomes a `shipment` node (its
uid) and adds:

- for each party: the sender roles (consignor, seller) `sent` the incident, the incident was
  `consigned_to` the receiving roles (consignee, buyer, notify), other roles (carrier, broker,
  suspect, other) are `related_to` it with the role in the note; each sender `shipped_to`
  each receiver (the flow the interdiction plans measure; weight 1 an incident); the party
  `has_address`, `has_phone`, `has_email` and `has_company_number` its identifiers;
- each substance: the incident `contains` it (quantity and unit in the note);
- a seizure's place (location, else country) as `seized_at`; the route's origin, transit and
  destination countries as `related_to` places (the leg in the note).

Parties are companies unless the report says person. An incident without a uid, or a cell
that is not the JSON it should be, is reported (file, line or object, field, why) and skipped.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from chainbreaker.errors import DataError
from chainbreaker.network.raw import Problem, RawBatch, RawEdge, Ref

__all__ = ["add_incident", "read_incident_csv"]

_SENDERS = frozenset({"consignor", "seller"})
_RECEIVERS = frozenset({"consignee", "buyer", "notify"})
_IDENTIFIERS = (("address", "has_address"), ("phone", "has_phone"), ("email", "has_email"))
_JSON_CELLS = ("substances", "parties", "route")


def add_incident(
    batch: RawBatch, source: str, uid: str, body: Mapping[str, Any], where: str
) -> None:
    """Add one incident report (the exchange's `IncidentIn` fields) to `batch`.

    `where` names the record in problems ("line 4", "object 7"); the caller counts records.
    """
    date = str(body.get("occurred_on") or "")
    incident = Ref("shipment", uid, (("kind", str(body.get("kind") or "")),))
    batch.nodes.append((incident, f"{source}#{uid}"))  # a node even when nothing links to it

    def edge(src: Ref, dst: Ref, kind: str, note: str = "") -> None:
        batch.edges.append(RawEdge(src, dst, kind, 1.0, source, uid, date, note))

    parties = body.get("parties") or []
    if not isinstance(parties, list):
        batch.problems.append(Problem(source, where, "parties", "not a list"))
        parties = []
    senders: list[Ref] = []
    receivers: list[Ref] = []
    for party in parties:
        if not isinstance(party, Mapping) or not str(party.get("name") or "").strip():
            batch.problems.append(Problem(source, where, "parties", "a party without a name"))
            continue
        kind = "person" if party.get("kind") == "person" else "company"
        ref = Ref(kind, str(party["name"]))
        role = str(party.get("role") or "other")
        if role in _SENDERS:
            senders.append(ref)
            edge(ref, incident, "sent")
        elif role in _RECEIVERS:
            receivers.append(ref)
            edge(incident, ref, "consigned_to")
        else:
            edge(ref, incident, "related_to", role)
        for field, edge_type in _IDENTIFIERS:
            value = str(party.get(field) or "").strip()
            if value:
                edge(ref, Ref(field, value), edge_type)
        for number in party.get("company_numbers") or []:
            if str(number).strip():
                edge(ref, Ref("company_number", str(number)), "has_company_number")
    for sender in senders:
        for receiver in receivers:
            edge(sender, receiver, "shipped_to", f"incident {uid}")
    for substance in body.get("substances") or []:
        if isinstance(substance, Mapping) and str(substance.get("name") or "").strip():
            amount = " ".join(
                str(substance[k]) for k in ("quantity", "unit") if substance.get(k) is not None
            )
            edge(incident, Ref("substance", str(substance["name"])), "contains", amount)
    place = str(body.get("location") or body.get("country") or "").strip()
    if place and body.get("kind") == "seizure":
        edge(incident, Ref("place", place), "seized_at")
    route = body.get("route") or {}
    if isinstance(route, Mapping):
        legs = [("origin", route.get("origin")), ("destination", route.get("destination"))]
        legs += [("transit", point) for point in route.get("transit") or []]
        for leg, country in legs:
            if country:
                edge(incident, Ref("place", str(country)), "related_to", leg)


def read_incident_csv(path: Path) -> RawBatch:
    """Read the exchange's CSV export (see the module doc)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise DataError(f"{path}: cannot be read ({exc.strerror})") from exc
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: not UTF-8 text ({exc.reason})") from exc
    rows = csv.DictReader(io.StringIO(text))
    if not rows.fieldnames or "uid" not in rows.fieldnames:
        raise DataError(f"{path}: line 1: not an exchange incident export (no `uid` column)")
    batch = RawBatch()
    source = str(path)
    for n, row in enumerate(rows, start=2):
        batch.records += 1
        where = f"line {n}"
        uid = (row.get("uid") or "").strip()
        if not uid:
            batch.problems.append(Problem(source, where, "uid", "missing"))
            continue
        body: dict[str, Any] = {k: v for k, v in row.items() if k not in _JSON_CELLS}
        try:
            for cell in _JSON_CELLS:
                body[cell] = json.loads(row.get(cell) or "null")
        except json.JSONDecodeError as exc:
            batch.problems.append(Problem(source, where, cell, f"not JSON ({exc.msg})"))
            continue
        add_incident(batch, source, uid, body, where)
    return batch
