"""The network built from the exchange's incidents: its CSV and STIX exports, from a real store."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select

from chainbreaker.exchange.database import Store
from chainbreaker.exchange.exports import export_csv, export_stix
from chainbreaker.exchange.identities import add_member, add_user, authenticate_password
from chainbreaker.exchange.incidents import create_incident
from chainbreaker.exchange.models import Incident, Indicator
from chainbreaker.exchange.schemas import IncidentIn
from chainbreaker.network.build import BuildInputs, build_graph
from chainbreaker.network.model import Graph

# Two seizures: the same supplier sends to two consignees; the second consignee shares the
# first one's phone (written differently).
FIRST = {
    "kind": "seizure",
    "occurred_on": date(2024, 3, 1),
    "location": "Memphis hub",
    "substances": [{"name": "4-AP", "quantity": 2, "unit": "kg"}],
    "parties": [
        {"role": "consignor", "name": "Hebei Xiuna Trading Co", "company_numbers": ["91130104"]},
        {"role": "consignee", "name": "Juan Perez", "kind": "person", "phone": "+52 33 1234 5678"},
        {"role": "carrier", "name": "Fast Courier"},
    ],
    "route": {"origin": "CN", "transit": ["HK"], "destination": "MX"},
}
SECOND = {
    "kind": "suspicious_shipment",
    "occurred_on": date(2024, 3, 9),
    "parties": [
        {"role": "consignor", "name": "Hebei Xiuna Trading Co"},
        {"role": "buyer", "name": "Ana Ruiz", "kind": "person", "phone": "523312345678"},
    ],
}


def _exports(tmp_path: Path) -> tuple[Path, Path, list[str]]:
    store = Store(f"sqlite:///{tmp_path / 'exchange.db'}")
    with store.writing() as s:
        add_member(s, "MX", "Mexico")
        add_user(s, "MX", "mx-analyst", "analyst", "a long enough password")
    with store.reading() as s:
        viewer = authenticate_password(s, "mx-analyst", "a long enough password")
    assert viewer is not None
    with store.writing() as s:
        for body in (FIRST, SECOND):
            create_incident(s, viewer, IncidentIn.model_validate(body))
    with store.reading() as s:
        incidents = list(s.scalars(select(Incident).order_by(Incident.id)))
        indicators = list(s.scalars(select(Indicator)))
        csv_path, stix_path = tmp_path / "incidents.csv", tmp_path / "incidents.json"
        csv_path.write_text(export_csv(s, incidents), encoding="utf-8")
        stix_path.write_text(export_stix(s, viewer, incidents, indicators), encoding="utf-8")
        uids = [i.uid for i in incidents]
    store.dispose()
    return csv_path, stix_path, uids


def _edges(graph: Graph) -> set[tuple[str, str, str]]:
    return {(e.src, e.type, e.dst) for e in graph.edges}


def _check(graph: Graph, first: str, second: str) -> None:
    edges = _edges(graph)
    supplier = "company:hebei xiuna trading"  # the legal form "Co" is not part of the key
    assert (supplier, "sent", f"shipment:{first}") in edges
    assert (f"shipment:{first}", "consigned_to", "person:juan perez") in edges
    assert (supplier, "shipped_to", "person:juan perez") in edges  # the flow plans measure
    assert (supplier, "shipped_to", "person:ana ruiz") in edges  # a buyer receives too
    assert ("company:fast courier", "related_to", f"shipment:{first}") in edges  # a carrier
    assert (f"shipment:{first}", "contains", "substance:4 ap") in edges
    assert (f"shipment:{first}", "seized_at", "place:memphis hub") in edges
    assert (f"shipment:{first}", "related_to", "place:hk") in edges  # transit
    assert (supplier, "has_company_number", "company_number:91130104") in edges
    # the same phone written two ways: one node, and the two consignees are tied by it
    assert ("person:juan perez", "has_phone", "phone:523312345678") in edges
    assert ("person:ana ruiz", "has_phone", "phone:523312345678") in edges
    assert any(e.type == "same_phone" for e in graph.edges)
    assert (supplier, "sent", f"shipment:{second}") in edges


def test_network_from_the_exchange_csv_export(tmp_path: Path) -> None:
    csv_path, _, (first, second) = _exports(tmp_path)
    graph, report = build_graph(BuildInputs(incident_files=[csv_path], fuzzy=False))
    assert report.problems == []
    assert report.records == {str(csv_path): 2}
    _check(graph, first, second)


def test_network_from_the_exchange_stix_export_is_the_same(tmp_path: Path) -> None:
    csv_path, stix_path, (first, second) = _exports(tmp_path)
    from_csv, _ = build_graph(BuildInputs(incident_files=[csv_path], fuzzy=False))
    from_stix, report = build_graph(BuildInputs(stix_files=[stix_path], fuzzy=False))
    assert report.problems == []
    _check(from_stix, first, second)
    # the bundle's indicators add only nodes the reports already hold (or lone ones)
    assert _edges(from_csv) <= _edges(from_stix)


def test_bad_rows_of_an_incident_export_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "uid,kind,occurred_on,parties,substances,route\n"
        ",seizure,2024-01-01,[],[],{}\n"
        "u2,seizure,2024-01-02,[not json,[],{}\n"
        'u3,seizure,2024-01-03,"[{""role"": ""consignee""}]",[],{}\n',
        encoding="utf-8",
    )
    graph, report = build_graph(BuildInputs(incident_files=[path], fuzzy=False))
    assert "shipment:u3" in graph.nodes  # the incident stays; only its nameless party is skipped
    problems = [(p.record, p.field, p.why) for p in report.problems]
    assert problems[0] == ("line 2", "uid", "missing")
    assert problems[1][:2] == ("line 3", "parties")
    assert problems[2] == ("line 4", "parties", "a party without a name")
    assert report.records == {str(path): 3}
