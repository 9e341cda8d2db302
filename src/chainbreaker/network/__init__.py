"""The trafficking network: built from what is known, analysed, and cut where it hurts most.

    from chainbreaker.network import build_graph, BuildInputs, read_graph, plan_interdiction

    graph, report = build_graph(BuildInputs(edge_files=[Path("edges.csv")]))
    write_graph(graph, Path("G"))
    plan = plan_interdiction(read_graph(Path("G")), ["supplier a"], ["lab b"], PlanOptions())

See docs/network.md for the commands, the file formats and the limits.
"""

from __future__ import annotations

from chainbreaker.network.analysis import analyse
from chainbreaker.network.build import BuildInputs, build_graph
from chainbreaker.network.model import EDGE_TYPES, NODE_TYPES, Edge, Graph, MergeDecision, Node
from chainbreaker.network.plan import PlanOptions, plan_interdiction
from chainbreaker.network.store import read_graph, write_graph

__all__ = [
    "EDGE_TYPES",
    "NODE_TYPES",
    "BuildInputs",
    "Edge",
    "Graph",
    "MergeDecision",
    "Node",
    "PlanOptions",
    "analyse",
    "build_graph",
    "plan_interdiction",
    "read_graph",
    "write_graph",
]
