"""Analysis of a built graph: who matters, who brokers, which cells, which chains.

- degree: distinct neighbours over every edge type;
- betweenness: exact up to `centrality.EXACT_LIMIT` nodes, sampled beyond with a stated error;
- brokerage: Burt's constraint (low constraint = a broker spanning structural holes; Burt
  1992), on the undirected graph of all observed edges, weighted by summed weights;
- communities: Leiden (Traag et al. 2019, igraph's implementation) maximising modularity;
- paths between two entities: the shortest, and all simple paths up to a length;
- supply chains: a max flow from the sources to the sinks cut into source-to-sink paths, the
  heaviest first (flow decomposition).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import igraph as ig
import networkx as nx

from chainbreaker.errors import InvalidInput
from chainbreaker.network.centrality import betweenness, degree
from chainbreaker.network.flow import build_problem, resolve_refs
from chainbreaker.network.model import FLOW_TYPES, Graph


@dataclass(frozen=True, slots=True)
class Indexed:
    """The observed graph as igraph, with node ids by vertex index."""

    ids: list[str]
    directed: ig.Graph
    weights: list[float]


def indexed(graph: Graph) -> Indexed:
    """All observed edges (weights summed per pair) as a directed igraph graph."""
    ids = list(graph.nodes)
    pos = {n: i for i, n in enumerate(ids)}
    pairs = graph.pairs()
    g = ig.Graph(n=len(ids), edges=[(pos[u], pos[v]) for u, v in pairs], directed=True)
    return Indexed(ids, g, list(pairs.values()))


def analyse(
    graph: Graph,
    *,
    top: int = 10,
    seed: int = 0,
    resolution: float = 1.0,
) -> dict[str, Any]:
    """Counts, top degree, top betweenness, top brokers and Leiden communities."""
    ix = indexed(graph)
    g = ix.directed
    label = {n.id: n.label for n in graph.nodes.values()}

    def ranked(values: Sequence[float], reverse: bool = True) -> list[dict[str, Any]]:
        order = sorted(
            range(len(values)), key=lambda i: (-values[i] if reverse else values[i], ix.ids[i])
        )
        return [
            {"id": ix.ids[i], "label": label[ix.ids[i]], "value": round(float(values[i]), 6)}
            for i in order[:top]
        ]

    deg = degree(g)
    btw = betweenness(g, seed=seed)
    und = g.as_undirected(combine_edges="sum") if g.ecount() else g.as_undirected()
    und_weights = None
    if g.ecount():
        g.es["weight"] = ix.weights
        und = g.as_undirected(combine_edges={"weight": "sum"})
        und_weights = und.es["weight"]
    constraint = und.constraint(weights=und_weights) if und.vcount() else []
    connected = [i for i in range(und.vcount()) if und.degree(i) >= 2]
    brokers = ranked(
        [constraint[i] if i in set(connected) else float("inf") for i in range(len(constraint))],
        reverse=False,
    )
    brokers = [b for b in brokers if b["value"] != float("inf")]
    communities: list[dict[str, Any]] = []
    modularity = None
    if und.ecount():
        ig.set_random_number_generator(__import__("random").Random(seed))
        parts = und.community_leiden(
            objective_function="modularity",
            weights=und_weights,
            resolution=resolution,
            n_iterations=-1,
        )
        modularity = round(float(und.modularity(parts, weights=und_weights)), 6)
        sizes = sorted(enumerate(parts), key=lambda x: (-len(x[1]), x[0]))
        for k, members in sizes[:top]:
            ordered = sorted(members, key=lambda i: (-deg[i], ix.ids[i]))
            communities.append(
                {
                    "community": k,
                    "size": len(members),
                    "members": [ix.ids[i] for i in ordered[:top]],
                }
            )
    return {
        "nodes": len(graph.nodes),
        "edges": len(graph.edges),
        "pairs": g.ecount(),
        "node_types": dict(Counter(n.type for n in graph.nodes.values()).most_common()),
        "edge_types": dict(Counter(e.type for e in graph.edges).most_common()),
        "degree": ranked([float(d) for d in deg]),
        "betweenness": {
            "exact": btw.exact,
            "samples": btw.samples,
            "error": btw.epsilon,
            "error_meaning": None
            if btw.exact
            else "bound on the error of each normalised score, with probability 0.95",
            "top": ranked(btw.values),
        },
        "brokers": {"measure": "Burt's constraint (lowest first)", "top": brokers},
        "communities": {
            "method": "Leiden (modularity)",
            "modularity": modularity,
            "top": communities,
        },
    }


def paths_between(
    graph: Graph, a: str, b: str, *, max_length: int = 4, limit: int = 100
) -> dict[str, Any]:
    """The shortest path and all simple paths of at most `max_length` edges between a and b
    (edges of any type, either direction)."""
    if max_length < 1:
        raise InvalidInput("max length must be at least 1")
    u = resolve_refs(graph, [a], "from")[0]
    v = resolve_refs(graph, [b], "to")[0]
    g = nx.Graph()
    g.add_nodes_from(graph.nodes)
    g.add_edges_from(graph.pairs())
    try:
        shortest: list[str] | None = nx.shortest_path(g, u, v)
    except nx.NetworkXNoPath:
        shortest = None
    found: list[list[str]] = []
    for path in nx.all_simple_paths(g, u, v, cutoff=max_length):
        found.append(list(path))
        if len(found) >= limit:
            break
    found.sort(key=lambda p: (len(p), p))
    return {
        "from": u,
        "to": v,
        "shortest": shortest,
        "paths": found,
        "limited": len(found) >= limit,
    }


def supply_chains(
    graph: Graph,
    sources: Sequence[str],
    sinks: Sequence[str],
    *,
    flow_types: Sequence[str] = FLOW_TYPES,
    limit: int = 20,
) -> dict[str, Any]:
    """Max flow from sources to sinks, cut into source-to-sink chains, the heaviest first."""
    problem = build_problem(graph, sources, sinks, flow_types=flow_types)
    flow = problem.flow()
    values = list(flow.flow)
    n = len(problem.names)
    out_arcs: dict[int, list[int]] = {}
    for a, (i, _) in enumerate(problem.arcs):
        out_arcs.setdefault(i, []).append(a)
    chains: list[dict[str, Any]] = []
    while len(chains) < limit:
        # follow positive flow from S to T, taking the heaviest arc at each step
        vertex, arcs_used, seen = problem.source_vertex, [], {problem.source_vertex}
        while vertex != problem.sink_vertex:
            options = [a for a in out_arcs.get(vertex, []) if values[a] > 1e-9]
            options = [a for a in options if problem.arcs[a][1] not in seen]
            if not options:
                break
            best = max(options, key=lambda a: values[a])
            arcs_used.append(best)
            vertex = problem.arcs[best][1]
            seen.add(vertex)
        if vertex != problem.sink_vertex or not arcs_used:
            break
        amount = min(values[a] for a in arcs_used)
        for a in arcs_used:
            values[a] -= amount
        nodes: list[str] = []
        for a in arcs_used:
            j = problem.arcs[a][1]
            if j < 2 * n and j % 2 == 0:
                nodes.append(problem.names[j // 2])
        chains.append({"flow": amount, "nodes": nodes})
    return {"max_flow": float(flow.value), "chains": chains}
