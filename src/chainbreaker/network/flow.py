"""The flow network behind interdiction: nodes split in two, a super source and a super sink.

Each node v becomes v_in -> v_out; the arc between them carries v's throughput (unbounded unless
the node has a `capacity` attribute), so removing a company, person or route is cutting that
arc. Each flow edge u -> v (summed weights of the observed `shipped_to`/`supplies` edges) becomes
u_out -> v_in with the weight as capacity. S -> s_in for every source and t_out -> T for every
sink are unbounded. Max flow S -> T is what the sources can still move to the sinks.

Max flow is computed by igraph (push-relabel in C).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import igraph as ig

from chainbreaker.errors import InvalidInput
from chainbreaker.network.model import FLOW_TYPES, Graph
from chainbreaker.network.resolve import mention_key


@dataclass(slots=True)
class FlowProblem:
    """A node-split flow network with its candidates for interdiction."""

    names: list[str]  # node ids, index i
    index: dict[str, int]
    arcs: list[tuple[int, int]]  # split-vertex endpoints
    capacity: list[float]
    infinite: float  # the capacity standing for "unbounded"
    node_arc: list[int]  # arc index of node i's internal arc
    edge_arc: dict[tuple[str, str], int]  # (src, dst) -> arc index of the flow edge
    sources: list[int]
    sinks: list[int]
    source_vertex: int
    sink_vertex: int
    graph: ig.Graph = field(repr=False)

    def max_flow(self, removed_arcs: Iterable[int] = ()) -> float:
        """Max flow S -> T with the given arcs cut (capacity 0)."""
        caps = self.capacity
        removed = list(removed_arcs)
        if removed:
            caps = list(caps)
            for a in removed:
                caps[a] = 0.0
        return float(self.graph.maxflow_value(self.source_vertex, self.sink_vertex, caps))

    def flow(self, removed_arcs: Iterable[int] = ()) -> ig.Flow:
        """The igraph Flow object (value, per-arc flow, cut) with the given arcs cut."""
        caps = list(self.capacity)
        for a in removed_arcs:
            caps[a] = 0.0
        return self.graph.maxflow(self.source_vertex, self.sink_vertex, caps)

    def throughput(self, flow: ig.Flow) -> list[float]:
        """Flow through each node (its internal arc) in a max-flow solution."""
        values = flow.flow
        return [float(values[a]) for a in self.node_arc]


def resolve_refs(graph: Graph, refs: Sequence[str], what: str) -> list[str]:
    """Node ids for ids/labels/names; InvalidInput naming the ones not found."""
    found: dict[str, None] = {}  # in the order given, each once (a set would lose the order)
    missing: list[str] = []
    for ref in refs:
        node = graph.find(ref)
        for kind in ("company", "person"):
            if node is None:  # a spelling not seen, with the same normalised words
                node = graph.find(mention_key(kind, ref))
        if node is None:
            missing.append(ref)
        else:
            found[node] = None
    if missing:
        shown = ", ".join(repr(m) for m in missing[:5])
        raise InvalidInput(f"{what}: no node with the id, name or label {shown}")
    if not found:
        raise InvalidInput(f"{what}: give at least one node")
    return list(found)


def build_problem(
    graph: Graph,
    sources: Sequence[str],
    sinks: Sequence[str],
    *,
    flow_types: Sequence[str] = FLOW_TYPES,
    extra_pairs: dict[tuple[str, str], float] | None = None,
) -> FlowProblem:
    """The split flow network of `graph`'s flow edges (plus `extra_pairs`, e.g. rerouted edges)."""
    src_ids = resolve_refs(graph, sources, "sources")
    sink_ids = resolve_refs(graph, sinks, "sinks")
    both = set(src_ids) & set(sink_ids)
    if both:
        raise InvalidInput(f"a node cannot be both source and sink: {sorted(both)[0]!r}")
    pairs = graph.pairs(flow_types)
    if extra_pairs:
        for key, w in extra_pairs.items():
            pairs[key] = pairs.get(key, 0.0) + w
    names: list[str] = []
    index: dict[str, int] = {}
    for node in [*src_ids, *sink_ids, *(x for pair in pairs for x in pair)]:
        if node not in index:
            index[node] = len(names)
            names.append(node)
    n = len(names)
    infinite = float(sum(pairs.values()) + 1.0)
    arcs: list[tuple[int, int]] = []
    capacity: list[float] = []
    node_arc: list[int] = []
    for i, name in enumerate(names):
        found = graph.nodes.get(name)
        cap = found.attrs.get("capacity") if found is not None else None
        node_arc.append(len(arcs))
        arcs.append((2 * i, 2 * i + 1))
        capacity.append(float(cap) if isinstance(cap, int | float) and cap >= 0 else infinite)
    edge_arc: dict[tuple[str, str], int] = {}
    for (u, v), w in pairs.items():
        edge_arc[(u, v)] = len(arcs)
        arcs.append((2 * index[u] + 1, 2 * index[v]))
        capacity.append(max(0.0, w))
    s_vertex, t_vertex = 2 * n, 2 * n + 1
    for s in src_ids:
        arcs.append((s_vertex, 2 * index[s]))
        capacity.append(infinite)
    for t in sink_ids:
        arcs.append((2 * index[t] + 1, t_vertex))
        capacity.append(infinite)
    g = ig.Graph(n=2 * n + 2, edges=arcs, directed=True)
    return FlowProblem(
        names,
        index,
        arcs,
        capacity,
        infinite,
        node_arc,
        edge_arc,
        [index[s] for s in src_ids],
        [index[t] for t in sink_ids],
        s_vertex,
        t_vertex,
        g,
    )
