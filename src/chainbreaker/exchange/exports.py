"""Export and import: STIX 2.1 bundles (built and checked by the `stix2` library) and CSV.

STIX: each incident is a `report` (id `report--<incident uid>`) created by an `identity` (the
reporting member) and marked with its TLP (`marking-definition` of TLP 1.0 as STIX 2.1 defines
them; TLP:CLEAR is TLP:WHITE, TLP:AMBER+STRICT is TLP:AMBER with `x_chainbreaker_tlp`
saying "amber+strict"). Its indicators are `indicator` objects with STIX patterns
(`email-addr:value`, and the custom object paths `x-chainbreaker-party:name|address|phone|
company_number` and `x-chainbreaker-substance:id`). The whole report rides along as the custom
property `x_chainbreaker_incident`, which the importer reads.

CSV: one incident per row; substances, parties, route and attachments as JSON in their cells.

Imports create new incidents of the importing member (sharing chosen by the importer); a
record that cannot be read is reported (line or object, field, why), skipped and counted.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from dataclasses import dataclass, field
from typing import Any

import stix2  # type: ignore[import-untyped]  # the library ships no type hints
from pydantic import ValidationError
from sqlalchemy.orm import Session

from chainbreaker.errors import InvalidInput
from chainbreaker.exchange.identities import Viewer
from chainbreaker.exchange.incidents import create_incident
from chainbreaker.exchange.models import Incident, Indicator, Member
from chainbreaker.exchange.schemas import IncidentIn

__all__ = ["ImportResult", "export_csv", "export_stix", "import_csv", "import_stix"]

_NS = uuid.UUID("6f1c2a53-3c1e-4c61-9a57-2b2f4d3c8e10")
_TLP = {
    "clear": stix2.TLP_WHITE,
    "green": stix2.TLP_GREEN,
    "amber": stix2.TLP_AMBER,
    "amber+strict": stix2.TLP_AMBER,
    "red": stix2.TLP_RED,
}
_TLP_FROM_ID = {m.id: name for name, m in reversed(_TLP.items())}
_PATHS = {
    "email": "email-addr:value",
    "name": "x-chainbreaker-party:name",
    "address": "x-chainbreaker-party:address",
    "phone": "x-chainbreaker-party:phone",
    "company_number": "x-chainbreaker-party:company_number",
    "substance": "x-chainbreaker-substance:id",
}
CSV_COLUMNS = (
    "uid",
    "member",
    "kind",
    "occurred_on",
    "country",
    "location",
    "reporting_authority",
    "conveyance",
    "concealment",
    "declared_description",
    "hs_code",
    "modus_operandi",
    "narrative",
    "tlp",
    "substances",
    "parties",
    "route",
    "attachments",
)
_JSON_COLUMNS = ("substances", "parties", "route", "attachments")
_SUBSTANCE_INPUT = ("name", "quantity", "unit", "form")


@dataclass
class ImportResult:
    """What an import did: the new incidents' ids and each record skipped, with why."""

    ids: list[int] = field(default_factory=list)
    problems: list[dict[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "imported": len(self.ids),
            "skipped": len(self.problems),
            "ids": self.ids,
            "problems": self.problems,
        }


def _quote(value: str) -> str:
    return value.replace("\\", "\\\\").replace("'", "\\'")


def _portable(incident: Incident) -> dict[str, Any]:
    """The incident body as an import reads it (substances without what chem resolved)."""
    body = dict(incident.body)
    body["substances"] = [
        {k: s[k] for k in _SUBSTANCE_INPUT if s.get(k) is not None} for s in body["substances"]
    ]
    return body


def export_stix(
    session: Session, viewer: Viewer, incidents: list[Incident], indicators: list[Indicator]
) -> str:
    """A STIX 2.1 bundle (JSON) of incidents the caller already filtered with `visible`."""
    del viewer  # the caller filtered the incidents through entitlement.visible(viewer, "export")
    by_incident: dict[int, list[Indicator]] = {}
    for ind in indicators:
        by_incident.setdefault(ind.incident_id, []).append(ind)
    objects: list[Any] = []
    identities: dict[int, stix2.Identity] = {}
    markings = set()
    for inc in incidents:
        if inc.member_id not in identities:
            member = session.get_one(Member, inc.member_id)
            identities[inc.member_id] = stix2.Identity(
                id=f"identity--{uuid.uuid5(_NS, 'member:' + member.code)}",
                name=member.code,
                description=member.name,
                identity_class="organization",
                created="2020-01-01T00:00:00Z",
                modified="2020-01-01T00:00:00Z",
            )
        creator = identities[inc.member_id]
        marking = _TLP[inc.tlp]
        markings.add(inc.tlp)
        refs = []
        for ind in by_incident.get(inc.id, []):
            literal = _quote(ind.key if ind.kind == "substance" else ind.value)
            stix_ind = stix2.Indicator(
                id=f"indicator--{uuid.uuid5(_NS, f'{inc.uid}:{ind.kind}:{ind.key}')}",
                name=f"{ind.kind}: {ind.value}"[:250],
                description=ind.note,
                pattern=f"[{_PATHS[ind.kind]} = '{literal}']",
                pattern_type="stix",
                valid_from=inc.created_at,
                created=inc.created_at,
                modified=inc.updated_at,
                created_by_ref=creator.id,
                object_marking_refs=[marking.id],
            )
            objects.append(stix_ind)
            refs.append(stix_ind.id)
        body = inc.body
        report = stix2.Report(
            id=f"report--{inc.uid}",
            name=f"{inc.kind.replace('_', ' ')} on {inc.occurred_on.isoformat()} ({creator.name})",
            description=body.get("narrative") or body.get("modus_operandi") or "",
            report_types=["threat-report"],
            published=inc.created_at,
            created=inc.created_at,
            modified=inc.updated_at,
            created_by_ref=creator.id,
            object_refs=refs or [creator.id],
            object_marking_refs=[marking.id],
            allow_custom=True,
            x_chainbreaker_tlp=inc.tlp,
            x_chainbreaker_incident=_portable(inc),
        )
        objects.append(report)
    objects[:0] = list(identities.values())
    objects[:0] = [_TLP[t] for t in sorted(markings)]
    bundle = stix2.Bundle(objects=objects, allow_custom=True) if objects else stix2.Bundle()
    return str(bundle.serialize(pretty=False))


def import_stix(
    session: Session, viewer: Viewer, text: str, sharing: str, recipients: list[str]
) -> ImportResult:
    """Incidents from the reports of a STIX 2.1 bundle written by `export_stix`."""
    try:
        bundle = stix2.parse(text, allow_custom=True)
    except (stix2.exceptions.STIXError, ValueError, TypeError, KeyError) as exc:
        raise InvalidInput(f"not a STIX 2.1 bundle: {exc}") from exc
    if getattr(bundle, "type", None) != "bundle":
        raise InvalidInput("not a STIX 2.1 bundle: the top object must be of type 'bundle'")
    result = ImportResult()
    for obj in getattr(bundle, "objects", []):
        if getattr(obj, "type", None) != "report":
            continue
        where = str(obj.id)
        raw = obj.get("x_chainbreaker_incident")
        if not isinstance(raw, dict):
            result.problems.append(
                {"record": where, "field": "x_chainbreaker_incident", "why": "missing"}
            )
            continue
        tlp = obj.get("x_chainbreaker_tlp") or _tlp_of(obj)
        _add(session, viewer, result, where, dict(raw), sharing, recipients, tlp)
    return result


def _tlp_of(obj: Any) -> str:
    for ref in obj.get("object_marking_refs", []):
        if ref in _TLP_FROM_ID:
            return _TLP_FROM_ID[ref]
    return "amber"


def _add(
    session: Session,
    viewer: Viewer,
    result: ImportResult,
    where: str,
    body: dict[str, Any],
    sharing: str,
    recipients: list[str],
    tlp: str,
) -> None:
    data = {**body, "sharing": sharing, "recipients": recipients, "tlp": tlp}
    try:
        incident_in = IncidentIn.model_validate(data)
        with session.begin_nested():
            result.ids.append(create_incident(session, viewer, incident_in).id)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(x) for x in err["loc"])
        result.problems.append({"record": where, "field": loc, "why": err["msg"]})
    except InvalidInput as exc:
        result.problems.append({"record": where, "field": "", "why": str(exc)})


def export_csv(session: Session, incidents: list[Incident]) -> str:
    """One row per incident (already filtered with `visible`)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    codes = {m.id: m.code for m in session.query(Member).all()}
    for inc in incidents:
        body = _portable(inc)
        row = {k: body.get(k) or "" for k in CSV_COLUMNS}
        row.update(uid=inc.uid, member=codes.get(inc.member_id, ""), tlp=inc.tlp)
        for k in _JSON_COLUMNS:
            row[k] = json.dumps(body.get(k) or ([] if k != "route" else {}), ensure_ascii=False)
        writer.writerow(row)
    return out.getvalue()


def import_csv(
    session: Session, viewer: Viewer, text: str, sharing: str, recipients: list[str]
) -> ImportResult:
    """Incidents from CSV rows in the `export_csv` layout."""
    rows = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if not rows.fieldnames or "kind" not in rows.fieldnames:
        raise InvalidInput("line 1: the header must name the columns of an export (kind, ...)")
    result = ImportResult()
    for n, row in enumerate(rows, start=2):
        body: dict[str, Any] = {}
        bad = None
        for k in CSV_COLUMNS:
            if k in ("uid", "member", "tlp") or not (row.get(k) or "").strip():
                continue
            if k in _JSON_COLUMNS:
                try:
                    body[k] = json.loads(row[k])
                except json.JSONDecodeError as exc:
                    bad = {"record": f"line {n}", "field": k, "why": f"not JSON ({exc.msg})"}
                    break
            else:
                body[k] = row[k].strip()
        if bad:
            result.problems.append(bad)
            continue
        tlp = (row.get("tlp") or "amber").strip()
        _add(session, viewer, result, f"line {n}", body, sharing, recipients, tlp)
    return result
