"""STIX 2.1 bundles (what the exchange exports) as network nodes and edges.

Objects read (standard STIX 2.1; others are counted and skipped):

- `identity`: a person (identity_class `individual`) or a company (any other class);
- `location`: a place (its name, else city and country);
- cyber observables `email-addr` (value), and custom ones whose type names a phone,
  address or company number (`x-phone`, `x-address`, `x-company-number`: value);
- `indicator`: the value of its pattern's first comparison, e.g. `[email-addr:value = 'a@b.c']`
  -> e-mail a@b.c (`x-*phone*:value` -> phone, `x-*address*:value` -> address,
  `x-*company*:value` -> company number, `identity:name` -> company);
- `relationship`: an edge between the objects it names; `relationship_type` with `-` read as
  `_` when it is one of the network's edge types (`shipped-to`, `officer-of`...), `indicates`
  and `related-to` between an indicator's value and a party as `has_<kind>`, else `related_to`
  with the STIX type in the note;
- `sighting`: an incident (`shipment` node, the sighting's id) that `has_<kind>` the value of
  the indicator it sights, and every observable of its observed-data; first_seen is the date;
- `observed-data`: its `object_refs` (or embedded `objects`) as values of an incident;
- `report` with the custom property `x_chainbreaker_incident` (an incident exported by the
  exchange): the incident, its parties, identifiers, substances and route (`sources.incidents`).

A relationship whose ends are not in the bundle, or an object without an id, is reported and
skipped.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from chainbreaker.errors import DataError
from chainbreaker.network.model import EDGE_TYPES
from chainbreaker.network.raw import Problem, RawBatch, RawEdge, Ref
from chainbreaker.network.sources.incidents import add_incident

_COMPARISON = re.compile(r"\[\s*([\w-]+):([\w.]+)\s*=\s*'((?:[^'\\]|\\.)*)'")
_HAS = {
    "email": "has_email",
    "phone": "has_phone",
    "address": "has_address",
    "company_number": "has_company_number",
    "place": "located_in",
}


#: Properties of custom objects that name what their value is.
_PROPERTY_KINDS = {
    "phone": "phone",
    "address": "address",
    "email": "email",
    "company_number": "company_number",
}


def _observable(kind: str, value: str, prop: str = "value") -> Ref | None:
    """A Ref for a STIX object type (and the property holding the value), or None when it is
    not one the network keeps. A custom object's property may say what the value is
    (`x-chainbreaker-party:phone`, as the exchange writes its indicators)."""
    k = kind.lower()
    if not value:
        return None
    if k.startswith("x-") and prop in _PROPERTY_KINDS:
        return Ref(_PROPERTY_KINDS[prop], value)
    if k == "email-addr":
        return Ref("email", value)
    if k.startswith("x-") and "phone" in k:
        return Ref("phone", value)
    if k.startswith("x-") and "address" in k:
        return Ref("address", value)
    if k.startswith("x-") and "company" in k:
        return Ref("company_number", value)
    if k == "identity":
        return Ref("company", value)
    return None


def read_stix_bundle(path: Path) -> RawBatch:
    """Read a STIX 2.1 bundle (see the module doc)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise DataError(f"{path}: cannot be read ({exc.strerror})") from exc
    except json.JSONDecodeError as exc:
        raise DataError(f"{path}: not JSON: line {exc.lineno}: {exc.msg}") from exc
    objects = data.get("objects") if isinstance(data, dict) else None
    if not isinstance(objects, list):
        raise DataError(f"{path}: not a STIX bundle (no `objects` list)")
    batch = RawBatch()
    name = str(path)
    refs: dict[str, Ref] = {}
    later: list[tuple[int, dict[str, Any]]] = []
    for n, obj in enumerate(objects, start=1):
        if not isinstance(obj, dict) or not obj.get("id") or not obj.get("type"):
            batch.problems.append(Problem(name, f"object {n}", "id", "missing id or type"))
            continue
        batch.records += 1
        kind = str(obj["type"])
        ref: Ref | None = None
        if kind == "identity" and obj.get("name"):
            person = obj.get("identity_class") == "individual"
            ref = Ref("person" if person else "company", str(obj["name"]))
        elif kind == "location":
            text = obj.get("name") or ", ".join(
                str(obj[k]) for k in ("city", "country") if obj.get(k)
            )
            ref = Ref("place", str(text)) if text else None
        elif kind == "indicator":
            match = _COMPARISON.search(str(obj.get("pattern", "")))
            if match:
                value = match.group(3).replace("\\'", "'")
                ref = _observable(match.group(1), value, match.group(2))
        elif kind == "report" and isinstance(obj.get("x_chainbreaker_incident"), dict):
            uid = str(obj["id"]).removeprefix("report--")
            add_incident(batch, name, uid, obj["x_chainbreaker_incident"], f"object {n}")
        elif kind in ("relationship", "sighting", "observed-data"):
            later.append((n, obj))
        else:
            ref = _observable(kind, str(obj.get("value", "")))
        if ref is not None:
            refs[str(obj["id"])] = ref
            batch.nodes.append((ref, f"{name}#{obj['id']}"))
    embedded: dict[str, Ref] = {}
    for n, obj in later:
        if obj["type"] == "relationship":
            _relationship(batch, name, n, obj, refs)
        elif obj["type"] == "observed-data":
            found = _observed(obj, refs)
            incident = Ref("shipment", str(obj["id"]))
            for value in found:
                _add(batch, name, str(obj["id"]), incident, value, _date(obj))
            if found:
                embedded[str(obj["id"])] = incident
    for n, obj in later:
        if obj["type"] != "sighting":
            continue
        incident = Ref("shipment", str(obj["id"]))
        values: list[Ref] = []
        sighted = refs.get(str(obj.get("sighting_of_ref", "")))
        if sighted is None:
            batch.problems.append(
                Problem(name, f"object {n}", "sighting_of_ref", "not an indicator of this bundle")
            )
            continue
        values.append(sighted)
        by_id = {str(o["id"]): o for _, o in later if o["type"] == "observed-data"}
        for ref_id in obj.get("observed_data_refs") or []:
            if str(ref_id) in by_id:
                values += _observed(by_id[str(ref_id)], refs)
        for value in values:
            _add(batch, name, str(obj["id"]), incident, value, _date(obj))
    return batch


def _date(obj: dict[str, Any]) -> str:
    for key in ("first_seen", "first_observed", "valid_from", "created"):
        if obj.get(key):
            return str(obj[key])[:10]
    return ""


def _add(batch: RawBatch, name: str, record: str, src: Ref, dst: Ref, date: str) -> None:
    edge = "officer_of" if dst.type == "person" else _HAS.get(dst.type, "related_to")
    if dst.type == "company":
        edge = "consigned_to"
    batch.edges.append(RawEdge(src, dst, edge, 1.0, name, record, date))


def _observed(obj: dict[str, Any], refs: dict[str, Ref]) -> list[Ref]:
    out: list[Ref] = []
    for ref_id in obj.get("object_refs") or []:
        if str(ref_id) in refs:
            out.append(refs[str(ref_id)])
    embedded = obj.get("objects")
    if isinstance(embedded, dict):
        for inner in embedded.values():
            if isinstance(inner, dict):
                ref = _observable(str(inner.get("type", "")), str(inner.get("value", "")))
                if ref is not None:
                    out.append(ref)
    return out


def _relationship(
    batch: RawBatch, name: str, n: int, obj: dict[str, Any], refs: dict[str, Ref]
) -> None:
    src = refs.get(str(obj.get("source_ref", "")))
    dst = refs.get(str(obj.get("target_ref", "")))
    if src is None or dst is None:
        side = "source_ref" if src is None else "target_ref"
        batch.problems.append(
            Problem(name, f"object {n} ({obj['id']})", side, "not an object of this bundle")
        )
        return
    stix_type = str(obj.get("relationship_type", "related-to"))
    kind = stix_type.lower().replace("-", "_")
    note = ""
    if kind in ("indicates", "related_to", "attributed_to", "uses", "located_at"):
        # value -> party: the party has the value
        party, value = (dst, src) if src.type not in ("company", "person") else (src, dst)
        if value.type in _HAS and party.type in ("company", "person"):
            src, dst, kind = party, value, _HAS[value.type]
        else:
            kind, note = "related_to", stix_type
    elif kind not in EDGE_TYPES:
        kind, note = "related_to", stix_type
    batch.edges.append(
        RawEdge(
            src,
            dst,
            kind,
            1.0,
            name,
            str(obj["id"]),
            _date(obj),
            note or obj.get("description", "") or "",
        )
    )
