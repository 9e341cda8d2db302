"""Exports: GraphML and GEXF (Gephi, yEd, Cytoscape) through networkx.

One edge per (src, dst, type) with the summed weight, the number of records and the first
records' provenance as text; nodes carry type, label, the spellings merged and whether a plan
chose them (`target`).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import networkx as nx

from chainbreaker.network.model import Graph

PROVENANCE_SHOWN = 5


def to_networkx(graph: Graph, targets: Iterable[str] = ()) -> nx.MultiDiGraph:
    """The graph as a networkx MultiDiGraph, one edge per (src, dst, type)."""
    chosen = set(targets)
    g = nx.MultiDiGraph()
    for node in graph.nodes.values():
        g.add_node(
            node.id,
            label=node.label,
            type=node.type,
            names=" | ".join(node.names[:10]),
            target=node.id in chosen,
        )
    grouped: dict[tuple[str, str, str], list[int]] = {}
    for i, e in enumerate(graph.edges):
        grouped.setdefault((e.src, e.dst, e.type), []).append(i)
    for (src, dst, kind), members in grouped.items():
        edges = [graph.edges[i] for i in members]
        provenance = "; ".join(
            f"{e.source_file}#{e.record} {e.date}".strip() for e in edges[:PROVENANCE_SHOWN]
        )
        g.add_edge(
            src,
            dst,
            key=kind,
            type=kind,
            weight=float(sum(e.weight for e in edges)),
            records=len(edges),
            latent=all(e.latent for e in edges),
            provenance=provenance,
            target=f"{src} -> {dst}" in chosen,
        )
    return g


def write_graphml(graph: Graph, path: Path, targets: Iterable[str] = ()) -> None:
    """GraphML (yEd, Cytoscape, Gephi)."""
    nx.write_graphml(to_networkx(graph, targets), path)


def write_gexf(graph: Graph, path: Path, targets: Iterable[str] = ()) -> None:
    """GEXF 1.2 (Gephi)."""
    nx.write_gexf(to_networkx(graph, targets), path)
