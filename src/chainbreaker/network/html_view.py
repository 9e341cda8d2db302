"""A self-contained interactive HTML view of the network: one file, inline script, no CDN.

The analyst searches by name, opens an entity, expands its neighbours by clicking, and clicks
an edge to see its provenance (which records said so, when). Targets chosen by a plan are drawn
in red. Larger graphs are cut to the neighbourhood (`HOPS` steps) of the targets, or of the
heaviest nodes, to at most `MAX_NODES` nodes; the page says so.

The page also reads its address's fragment, `#q=TEXT&open=NODE_ID&edge=N`, to search, open a
node and show an edge's provenance when it loads (links into the view, and headless tests).
"""

from __future__ import annotations

import html
import json
from collections import defaultdict
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any

from chainbreaker.network.model import Graph

MAX_NODES = 5_000
HOPS = 2
PROVENANCE_SHOWN = 20


def view_data(graph: Graph, targets: Iterable[str] = (), title: str = "") -> dict[str, Any]:
    """The JSON the page embeds: nodes, edges grouped per (src, dst, type) with provenance."""
    chosen = list(targets)
    keep = _keep(graph, chosen)
    ids = [n for n in graph.nodes if n in keep]
    pos = {n: i for i, n in enumerate(ids)}
    grouped: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for i, e in enumerate(graph.edges):
        if e.src in pos and e.dst in pos:
            grouped[(e.src, e.dst, e.type)].append(i)
    edges = []
    for (src, dst, kind), members in grouped.items():
        es = [graph.edges[i] for i in members]
        edges.append(
            {
                "s": pos[src],
                "d": pos[dst],
                "t": kind,
                "w": sum(e.weight for e in es),
                "n": len(es),
                "latent": all(e.latent for e in es),
                "target": f"{src} -> {dst}" in chosen,
                "p": [
                    {
                        "file": e.source_file,
                        "record": e.record,
                        "date": e.date,
                        "note": e.note,
                        "weight": e.weight,
                    }
                    for e in es[:PROVENANCE_SHOWN]
                ],
            }
        )
    nodes = [
        {
            "id": n,
            "label": graph.nodes[n].label,
            "type": graph.nodes[n].type,
            "names": list(graph.nodes[n].names[:10]),
            "target": n in chosen,
        }
        for n in ids
    ]
    return {
        "title": title or "chainbreaker network",
        "nodes": nodes,
        "edges": edges,
        "total_nodes": len(graph.nodes),
        "cut": len(ids) < len(graph.nodes),
    }


def _keep(graph: Graph, targets: list[str]) -> set[str]:
    if len(graph.nodes) <= MAX_NODES:
        return set(graph.nodes)
    neighbours: dict[str, set[str]] = defaultdict(set)
    weight: dict[str, float] = defaultdict(float)
    for e in graph.edges:
        neighbours[e.src].add(e.dst)
        neighbours[e.dst].add(e.src)
        weight[e.src] += e.weight
        weight[e.dst] += e.weight
    seeds = [t for t in targets if t in graph.nodes]
    seeds += [t.split(" -> ")[k] for t in targets if " -> " in t for k in (0, 1)]
    if not seeds:
        seeds = sorted(weight, key=lambda n: (-weight[n], n))[:20]
    keep = set(seeds)
    frontier = set(seeds)
    for _ in range(HOPS):
        nxt = {m for n in sorted(frontier) for m in neighbours[n]} - keep
        for m in sorted(nxt, key=lambda n: (-weight[n], n)):
            if len(keep) >= MAX_NODES:
                return keep
            keep.add(m)
        frontier = nxt
    return keep


def write_html(graph: Graph, path: Path, targets: Iterable[str] = (), title: str = "") -> None:
    """Write the view to `path`."""
    path.write_text(render_html(graph, targets, title), encoding="utf-8")


def render_html(graph: Graph, targets: Iterable[str] = (), title: str = "") -> str:
    """The view as one HTML page (what `write_html` writes; a server can send it as is)."""
    data = view_data(graph, targets, title)
    template = (
        resources.files("chainbreaker.network")
        .joinpath("data/view.html")
        .read_text(encoding="utf-8")
    )
    payload = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    return template.replace("{{TITLE}}", html.escape(data["title"])).replace("{{DATA}}", payload)
