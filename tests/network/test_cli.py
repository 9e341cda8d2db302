"""The `network` and `synth network` commands end to end, and the HTML view in Chromium."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chainbreaker.cli.app import app
from tests.headless_chromium import flags

runner = CliRunner()

# s1 -> a (10), s2 -> a (10), s1 -> b (5), a -> t (15), b -> t (5): cutting a leaves 5.
EDGES = (
    "from,from_type,to,to_type,type,weight,date,record,note\n"
    "S1 Chem,company,Broker A,company,shipped_to,10,2025-03-01,BL-1,by sea\n"
    "S2 Chem,company,Broker A,company,shipped_to,10,2025-03-02,BL-2,\n"
    "S1 Chem,company,Broker B,company,shipped_to,5,2025-03-03,BL-3,\n"
    "Broker A,company,Lab T,company,shipped_to,15,2025-03-04,BL-4,\n"
    "Broker B,company,Lab T,company,shipped_to,5,2025-03-05,BL-5,\n"
)


@pytest.fixture
def graph_dir(tmp_path: Path) -> Path:
    edges = tmp_path / "edges.csv"
    edges.write_text(EDGES, encoding="utf-8")
    result = runner.invoke(
        app, ["network", "build", "--edges", str(edges), "-o", str(tmp_path / "G")]
    )
    assert result.exit_code == 0, result.output
    return tmp_path / "G"


def test_plan_json(graph_dir: Path) -> None:
    result = runner.invoke(
        app,
        [
            "network",
            "plan",
            str(graph_dir),
            "--sources",
            "S1 Chem,S2 Chem",
            "--sinks",
            "Lab T",
            "--budget",
            "1",
            "--protect-terminals",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    assert plan["targets"] == ["company:broker a"]
    assert (plan["flow_before"], plan["flow_after"]) == (20, 5)
    assert plan["method"] == "milp" and plan["status"] == "optimal"


def test_plan_with_an_unknown_sink_fails_cleanly(graph_dir: Path) -> None:
    result = runner.invoke(
        app, ["network", "plan", str(graph_dir), "--sources", "S1 Chem", "--sinks", "Nowhere"]
    )
    assert result.exit_code == 1
    assert "Nowhere" in result.output


def test_analyse_paths_and_chains(graph_dir: Path) -> None:
    result = runner.invoke(
        app,
        [
            "network",
            "analyse",
            str(graph_dir),
            "--between",
            "S2 Chem,Broker B",
            "--sources",
            "S1 Chem,S2 Chem",
            "--sinks",
            "Lab T",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    # S2 - A - S1 - B and S2 - A - T - B, both of 3 edges (undirected)
    assert data["paths"]["shortest"][0] == "company:s2 chem"
    assert len(data["paths"]["shortest"]) == 4
    assert len(data["paths"]["paths"]) == 2
    chains = data["supply_chains"]
    assert chains["max_flow"] == 20
    assert sum(c["flow"] for c in chains["chains"]) == 20
    assert data["degree"][0]["id"] == "company:broker a"  # S1, S2, T


def test_merges_lists_decisions(tmp_path: Path) -> None:
    edges = tmp_path / "e.csv"
    edges.write_text(
        "from,from_type,to,to_type,type\n"
        "Alpha Chem,company,CN-1,company_number,has_company_number\n"
        "Alpha Chemical Industry,company,CN-1,company_number,has_company_number\n",
        encoding="utf-8",
    )
    assert (
        runner.invoke(
            app, ["network", "build", "--edges", str(edges), "-o", str(tmp_path / "G")]
        ).exit_code
        == 0
    )
    result = runner.invoke(app, ["network", "merges", str(tmp_path / "G"), "--json"])
    [decision] = json.loads(result.stdout)
    assert decision["reason"] == "same company_number CN1"
    assert decision["applied"] is True


def test_exports(graph_dir: Path, tmp_path: Path) -> None:
    import networkx as nx

    for ext in ("graphml", "gexf"):
        out = tmp_path / f"g.{ext}"
        result = runner.invoke(app, ["network", "export", str(graph_dir), "-o", str(out)])
        assert result.exit_code == 0, result.output
        g = nx.read_graphml(out) if ext == "graphml" else nx.read_gexf(out)
        assert g.number_of_nodes() == 5
        assert g.number_of_edges() == 5


def test_synth_network_builds_and_plans(tmp_path: Path) -> None:
    out = tmp_path / "syn"
    result = runner.invoke(
        app, ["synth", "network", "--edges", "300", "--seed", "4", "--output", str(out)]
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader((out / "edges.csv").read_text(encoding="utf-8").splitlines()))
    latent = [r for r in rows if r["latent"] == "true"]
    assert latent and all(not r["record"] for r in latent)
    truth = list(csv.DictReader((out / "truth.csv").read_text(encoding="utf-8").splitlines()))
    assert {r["role"] for r in truth} == {"supplier", "broker", "forwarder", "lab"}
    sources = set((out / "sources.txt").read_text().split())
    assert sources
    assert (
        runner.invoke(
            app, ["network", "build", "--edges", str(out / "edges.csv"), "-o", str(tmp_path / "G")]
        ).exit_code
        == 0
    )
    result = runner.invoke(
        app,
        [
            "network",
            "plan",
            str(tmp_path / "G"),
            "--sources",
            f"@{out / 'sources.txt'}",
            "--sinks",
            f"@{out / 'sinks.txt'}",
            "--budget",
            "3",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    assert plan["reroute_model"] == "latent"
    mine = plan["outcomes"][0]
    assert mine["flow_after"] <= mine["flow_rerouted"] <= mine["flow_before"]
    # a plain path to a file is read as @FILE is
    plain = [
        "network", "plan", str(tmp_path / "G"), "--sources", str(out / "sources.txt"),
        "--sinks", str(out / "sinks.txt"), "--budget", "3", "--json",
    ]  # fmt: skip
    again = runner.invoke(app, plain)
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout)["targets"] == plan["targets"]


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.skip("chromium is not installed (Debian package `chromium`)")
    return found


def test_html_view_in_headless_chromium(graph_dir: Path, tmp_path: Path) -> None:
    browser = _chromium()
    page = tmp_path / "view.html"
    result = runner.invoke(
        app, ["network", "export", str(graph_dir), "-o", str(page), "--targets", "Broker A"]
    )
    assert result.exit_code == 0, result.output
    text = page.read_text(encoding="utf-8")
    assert "<script src" not in text and "http" not in text.split("<script")[1]
    # edge 0 is S1 Chem -> Broker A (the first record, BL-1)
    url = page.as_uri() + "#q=broker&open=company%3As1%20chem&edge=0"
    dom = subprocess.run(
        [browser, *flags(tmp_path / "profile"), "--dump-dom", url],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    assert 'data-ready="yes"' in dom
    # search: both brokers listed
    assert dom.count('class="result"') == 2
    assert 'data-node="company:broker a"' in dom and 'data-node="company:broker b"' in dom
    # the chosen target is highlighted and listed
    assert 'class="node target" data-node="company:broker a"' in dom
    # opening S1 Chem drew its neighbours (Broker A, Broker B)
    assert 'id="selected-label">S1 Chem<' in dom
    # the edge's provenance: the record, its date and note
    assert "<td>BL-1</td><td>2025-03-01</td><td>10</td><td>by sea</td>" in dom
