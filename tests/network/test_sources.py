"""Building from screening decisions and STIX 2.1 bundles, on records written by hand."""

from __future__ import annotations

import json
from pathlib import Path

from chainbreaker.network.build import BuildInputs, build_graph


def test_screening_decisions(tmp_path: Path) -> None:
    hit_party = {
        "detector": "party",
        "rule": "party.listed",
        "score": 1.0,
        "reason": "",
        "field": "parties[shipper].name",
        "evidence": {
            "list": "ofac-sdn",
            "entity_id": "90104",
            "name": "Haosheng Trading Ltd",
            "listed_name": "HAOSHENG TRADING LIMITED",
        },
    }
    hit_phone = {
        "detector": "indicator",
        "rule": "indicator.phone",
        "score": 0.8,
        "reason": "",
        "field": "parties[consignee].phone",
        "evidence": {"value": "+52 33 1234 5678"},
    }
    lines = [
        {"record_id": "LP1", "decision": "hold", "risk": 1.0, "hits": [hit_party, hit_phone]},
        {"record_id": "LP2", "decision": "clear", "risk": 0.0, "hits": []},
    ]
    path = tmp_path / "d.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\nnot json\n", encoding="utf-8")
    graph, report = build_graph(BuildInputs(screening_files=[path]))
    kinds = {(graph.nodes[e.src].type, e.type, graph.nodes[e.dst].type) for e in graph.edges}
    assert kinds == {
        ("company", "sent", "shipment"),
        ("company", "listed_with", "listing"),
        ("shipment", "has_phone", "phone"),
    }
    assert "phone:523312345678" in graph.nodes
    assert [p.record for p in report.problems] == ["line 3"]


def test_stix_bundle(tmp_path: Path) -> None:
    bundle = {
        "type": "bundle",
        "id": "bundle--1",
        "objects": [
            {
                "type": "identity",
                "id": "identity--a",
                "name": "Hebei Xiuna Trading",
                "identity_class": "organization",
            },
            {
                "type": "identity",
                "id": "identity--b",
                "name": "Juan Perez",
                "identity_class": "individual",
            },
            {
                "type": "indicator",
                "id": "indicator--e",
                "pattern": "[email-addr:value = 'sales@xiuna.example']",
                "valid_from": "2025-03-01T00:00:00Z",
            },
            {
                "type": "relationship",
                "id": "relationship--1",
                "relationship_type": "officer-of",
                "source_ref": "identity--b",
                "target_ref": "identity--a",
            },
            {
                "type": "relationship",
                "id": "relationship--2",
                "relationship_type": "indicates",
                "source_ref": "indicator--e",
                "target_ref": "identity--a",
            },
            {
                "type": "relationship",
                "id": "relationship--3",
                "relationship_type": "shipped-to",
                "source_ref": "identity--a",
                "target_ref": "identity--zzz",
            },
            {
                "type": "sighting",
                "id": "sighting--s",
                "sighting_of_ref": "indicator--e",
                "first_seen": "2025-03-04T10:00:00Z",
            },
        ],
    }
    path = tmp_path / "b.json"
    path.write_text(json.dumps(bundle), encoding="utf-8")
    graph, report = build_graph(BuildInputs(stix_files=[path]))
    edges = {(e.src, e.type, e.dst, e.date) for e in graph.edges}
    assert edges == {
        ("person:juan perez", "officer_of", "company:hebei xiuna trading", ""),
        ("company:hebei xiuna trading", "has_email", "email:sales@xiuna.example", ""),
        ("shipment:sighting--s", "has_email", "email:sales@xiuna.example", "2025-03-04"),
    }
    assert [(p.field, p.why) for p in report.problems] == [
        ("target_ref", "not an object of this bundle")
    ]


def test_watchlist_entities_with_aliases_addresses_and_identifiers(tmp_path: Path) -> None:
    path = tmp_path / "own.csv"
    path.write_text(
        "id,name,schema,aliases,identifiers,address,program\n"
        'M-1,"ZHANG, Wei",Person,Wei Zhang,Passport:E12345678,"1 Luoyu Road, Wuhan",internal\n'
        "M-2,Hebei Xiuna Trading Co Ltd,Company,,USCC:91130104MA07T43608;Email:sales@xiuna.cn,,\n"
        "M-3,,Company,,,,\n",  # no name: reported by the loader, skipped
        encoding="utf-8",
    )
    graph, report = build_graph(BuildInputs(watchlists=[f"{path}:csv"], fuzzy=False))
    edges = {(graph.nodes[e.src].type, e.type, graph.nodes[e.dst].id) for e in graph.edges}
    # M-1: a person listed with its entry, with its address; the passport is neither an e-mail
    # nor a registration number, so it adds no node. M-2: a company with its USCC and e-mail.
    assert ("person", "listed_with", "listing:own/M-1") in edges  # list id: the file's stem
    assert ("company", "listed_with", "listing:own/M-2") in edges
    assert ("person", "has_address", "address:1 luoyu road wuhan") in edges
    assert ("company", "has_company_number", "company_number:91130104MA07T43608") in edges
    assert ("company", "has_email", "email:sales@xiuna.cn") in edges
    assert not any(d.startswith("company_number:E123") for _, _, d in edges)
    # the alias is the same party: one person node, not two
    assert sum(1 for n in graph.nodes.values() if n.type == "person") == 1
    assert [(p.record, p.field) for p in report.problems] == [("line 4", "name")]
