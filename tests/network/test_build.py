"""Building from edge files: entity resolution, merge decisions, overrides, problems, storage."""

from __future__ import annotations

from pathlib import Path

import pytest

from chainbreaker.errors import DataError
from chainbreaker.network.build import BuildInputs, build_graph
from chainbreaker.network.store import read_graph, write_graph

HEADER = "from,from_type,to,to_type,type,weight,date,record,note\n"


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_spellings_of_one_company_become_one_node(tmp_path: Path) -> None:
    edges = _write(
        tmp_path,
        "e.csv",
        HEADER
        + "Haosheng International Trading Co. Ltd,company,Lab One,company,shipped_to,10,,r1,\n"
        + "HAOSHENG INTERNATIONAL TRADING LIMITED,company,Lab One,company,shipped_to,5,,r2,\n",
    )
    graph, report = build_graph(BuildInputs(edge_files=[edges]))
    companies = [n for n in graph.nodes.values() if n.type == "company"]
    assert len(companies) == 2  # Haosheng (two spellings, one key) and Lab One
    haosheng = graph.nodes["company:haosheng international trading"]
    assert set(haosheng.names) == {
        "Haosheng International Trading Co. Ltd",
        "HAOSHENG INTERNATIONAL TRADING LIMITED",
    }
    assert graph.pairs(["shipped_to"]) == {
        ("company:haosheng international trading", "company:lab one"): 15.0
    }
    assert report.records == {str(edges): 2}


def test_shared_company_number_merges_and_is_recorded(tmp_path: Path) -> None:
    edges = _write(
        tmp_path,
        "e.csv",
        HEADER
        + "Xiuna Chemical,company,91130100MA0001,company_number,has_company_number,1,,r1,\n"
        + "Xiuna Trade Group,company,91130100MA0001,company_number,has_company_number,1,,r2,\n",
    )
    graph, report = build_graph(BuildInputs(edge_files=[edges], fuzzy=False))
    assert report.merged == 1
    [decision] = graph.merges
    assert decision.applied
    assert decision.reason == "same company_number 91130100MA0001"
    assert sum(1 for n in graph.nodes.values() if n.type == "company") == 1


def test_a_name_match_merges_and_do_not_merge_reverses_it(tmp_path: Path) -> None:
    edges = _write(
        tmp_path,
        "e.csv",
        HEADER
        + "Jiangsu Bluestar Pharmachem,company,Lab One,company,shipped_to,1,,r1,\n"
        + "Jiangsu Bluestar Pharmchem,company,Lab One,company,shipped_to,1,,r2,\n",
    )
    graph, _ = build_graph(BuildInputs(edge_files=[edges], threshold=0.8))
    merged = [m for m in graph.merges if m.applied]
    assert len(merged) == 1 and merged[0].reason.startswith("name match")
    assert sum(1 for n in graph.nodes.values() if n.type == "company") == 2
    overrides = _write(
        tmp_path,
        "o.csv",
        "action,left,right\ndo-not-merge,Jiangsu Bluestar Pharmachem,Jiangsu Bluestar Pharmchem\n",
    )
    graph, report = build_graph(BuildInputs(edge_files=[edges], threshold=0.8, overrides=overrides))
    assert sum(1 for n in graph.nodes.values() if n.type == "company") == 3
    assert report.refused == 1
    assert "do-not-merge override" in graph.merges[0].reason


def test_force_merge_and_company_number_conflict(tmp_path: Path) -> None:
    edges = _write(
        tmp_path,
        "e.csv",
        HEADER
        + "Alpha Chem,company,Lab One,company,shipped_to,1,,r1,\n"
        + "Omega Supplies,company,Lab One,company,shipped_to,1,,r2,\n"
        + "Jiangsu Bluestar Pharmachem,company,CN-1,company_number,has_company_number,1,,r3,\n"
        + "Jiangsu Bluestar Pharmchem,company,CN-2,company_number,has_company_number,1,,r4,\n",
    )
    overrides = _write(
        tmp_path, "o.csv", "action,left,right\nforce-merge,Alpha Chem,Omega Supplies\n"
    )
    graph, _ = build_graph(BuildInputs(edge_files=[edges], threshold=0.8, overrides=overrides))
    reasons = {m.reason.split(";")[0]: m for m in graph.merges}
    assert reasons["force-merge override"].applied
    refused = [m for m in graph.merges if not m.applied]
    assert len(refused) == 1 and "different company numbers" in refused[0].reason
    # Alpha+Omega, Lab One, and the two Bluestars kept apart
    assert sum(1 for n in graph.nodes.values() if n.type == "company") == 4


def test_bad_rows_are_reported_and_skipped(tmp_path: Path) -> None:
    edges = _write(
        tmp_path,
        "e.csv",
        HEADER
        + "A,company,B,company,shipped_to,10,,r1,\n"
        + "A,company,B,company,teleported,10,,r2,\n"
        + "A,company,B,company,shipped_to,lots,,r3,\n"
        + ",company,B,company,shipped_to,1,,r4,\n"
        + "A,planet,B,company,shipped_to,1,,r5,\n",
    )
    graph, report = build_graph(BuildInputs(edge_files=[edges]))
    assert len(graph.edges) == 1
    where = [(p.record, p.field) for p in report.problems]
    assert where == [
        ("line 3", "type"),
        ("line 4", "weight"),
        ("line 5", "from"),
        ("line 6", "from_type"),
    ]


def test_a_file_without_the_columns_is_a_data_error(tmp_path: Path) -> None:
    edges = _write(tmp_path, "e.csv", "a,b\n1,2\n")
    with pytest.raises(DataError, match="from,to,type"):
        build_graph(BuildInputs(edge_files=[edges]))


def test_shared_address_links_two_parties(tmp_path: Path) -> None:
    edges = _write(
        tmp_path,
        "e.csv",
        HEADER
        + 'A Co,company,"Unit 5, 21 Wai Yip Rd",address,has_address,1,,r1,\n'
        + "B Co,company,unit 5 21 wai yip rd,address,has_address,1,,r2,\n",
    )
    graph, _ = build_graph(BuildInputs(edge_files=[edges]))
    shared = [e for e in graph.edges if e.type == "shares_address"]
    assert [(e.src, e.dst) for e in shared] == [("company:a", "company:b")]


def test_store_round_trip(tmp_path: Path) -> None:
    edges = _write(
        tmp_path,
        "e.csv",
        HEADER + "A Co,company,B Co,company,shipped_to,2.5,2025-03-01,r1,by sea\n",
    )
    graph, _ = build_graph(BuildInputs(edge_files=[edges]))
    write_graph(graph, tmp_path / "G")
    again = read_graph(tmp_path / "G")
    assert again.nodes == graph.nodes
    assert again.edges == graph.edges
    assert again.merges == graph.merges
    [edge] = again.edges
    assert (edge.weight, edge.date, edge.record, edge.note) == (2.5, "2025-03-01", "r1", "by sea")


def test_reading_a_folder_that_is_not_a_graph(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="network build"):
        read_graph(tmp_path)
