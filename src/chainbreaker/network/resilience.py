"""How the network reroutes after a plan: the flow it moves again once it has adapted.

Two models, named in every report:

- `latent`: the graph holds latent alternative edges (suppliers a broker could switch to,
  forwarders a route could use; `synth network` writes them as ground truth). After the cut,
  every latent flow edge whose two ends survive and one end lost a partner (was next to a
  removed node, or at an end of a removed edge) comes into use. Partners replace what was
  lost, no more: the new edges of a node carry at most the flow it moved through the lost
  links in the max flow before the cut (in the edges' order, each at most its stated
  capacity).

Under both models the network recovers at most to its flow before the cut (a rerouted network
can be more efficient than the original, as Duijn et al. saw; the simulation does not credit
the cut with that).
- `rewire` (when no latent edges are known; after Duijn et al. 2014's recovery rules): every
  flow edge lost with a removed node v is, with probability `recovery`, replaced by an edge to
  (or from) a surviving peer of v, a node of the same type that shares a supplier or customer
  with v (any node of that type when v has no such peer), picked with probability
  proportional to its degree; the new edge keeps the lost edge's capacity. The mean over
  `runs` seeded draws is reported.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from chainbreaker.network.flow import build_problem
from chainbreaker.network.model import FLOW_TYPES, Graph

MODELS = ("auto", "latent", "rewire", "none")


@dataclass(frozen=True, slots=True)
class Rerouted:
    """Max flow after the network adapted to a cut."""

    flow: float  # mean over runs for `rewire`
    model: str
    added_edges: float  # mean number of edges that came into use


def choose_model(graph: Graph, model: str, flow_types: Sequence[str] = FLOW_TYPES) -> str:
    """`auto` -> `latent` when the graph has latent flow edges, else `rewire`."""
    if model != "auto":
        return model
    return "latent" if graph.pairs(flow_types, latent=True) else "rewire"


def reroute(
    graph: Graph,
    sources: Sequence[str],
    sinks: Sequence[str],
    removed_nodes: Sequence[str],
    removed_edges: Sequence[tuple[str, str]],
    *,
    model: str,
    flow_types: Sequence[str] = FLOW_TYPES,
    recovery: float = 0.5,
    runs: int = 10,
    seed: int = 0,
) -> Rerouted:
    """Max flow S -> T after the cut and the network's adaptation under `model`."""
    pairs = graph.pairs(flow_types)
    gone = set(removed_nodes)
    gone_edges = set(removed_edges)
    base = build_problem(graph, sources, sinks, flow_types=flow_types)
    solution = base.flow()
    before = float(solution.value)
    carried = solution.flow
    lost: dict[str, float] = defaultdict(float)
    for (u, v), arc in base.edge_arc.items():
        if u in gone or v in gone or (u, v) in gone_edges:
            lost[u] += carried[arc]
            lost[v] += carried[arc]
    touched = {x for x, f in lost.items() if f > 0} - gone

    def flow_with(extra: dict[tuple[str, str], float]) -> float:
        problem = build_problem(graph, sources, sinks, flow_types=flow_types, extra_pairs=extra)
        arcs = [problem.node_arc[problem.index[v]] for v in gone if v in problem.index]
        arcs += [problem.edge_arc[e] for e in gone_edges if e in problem.edge_arc]
        return problem.max_flow(arcs)

    if model == "none" or (not gone and not gone_edges):
        return Rerouted(flow_with({}), model, 0.0)
    if model == "latent":
        left = {x: lost[x] for x in touched}
        extra: dict[tuple[str, str], float] = {}
        for (u, v), w in sorted(graph.pairs(flow_types, latent=True).items()):
            if u in gone or v in gone or not (u in touched or v in touched):
                continue
            room = max(left.get(u, 0.0), left.get(v, 0.0))
            cap = min(w, room)
            if cap <= 0:
                continue
            for x in (u, v):
                if x in left:
                    left[x] = max(0.0, left[x] - cap)
            extra[(u, v)] = cap
        return Rerouted(min(before, flow_with(extra)), model, float(len(extra)))
    rewired = _rewire(graph, pairs, gone, flow_with, recovery, runs, seed)
    return Rerouted(min(before, rewired.flow), rewired.model, rewired.added_edges)


def _rewire(
    graph: Graph,
    pairs: dict[tuple[str, str], float],
    gone: set[str],
    flow_with: Callable[[dict[tuple[str, str], float]], float],
    recovery: float,
    runs: int,
    seed: int,
) -> Rerouted:
    succ: dict[str, set[str]] = defaultdict(set)
    pred: dict[str, set[str]] = defaultdict(set)
    for u, v in pairs:
        succ[u].add(v)
        pred[v].add(u)
    degree = {x: len(succ[x]) + len(pred[x]) for x in set(succ) | set(pred)}
    by_type: dict[str, list[str]] = defaultdict(list)
    for x in degree:
        if x not in gone:
            by_type[_type(graph, x)].append(x)
    peers: dict[str, list[str]] = {}
    for v in gone:
        near = {p for u in pred[v] for p in succ[u]} | {p for s in succ[v] for p in pred[s]}
        kind = _type(graph, v)
        same = sorted(p for p in near if p not in gone and _type(graph, p) == kind)
        peers[v] = same or by_type.get(kind, [])
    total_flow = 0.0
    total_added = 0
    for run in range(max(1, runs)):
        rng = random.Random(seed * 1_000_003 + run)
        extra: dict[tuple[str, str], float] = {}
        for v in sorted(gone):
            candidates = peers[v]
            if not candidates:
                continue
            weights = [degree.get(p, 0) + 1 for p in candidates]
            for u in sorted(pred[v]):
                if u not in gone and rng.random() < recovery:
                    w = rng.choices(candidates, weights)[0]
                    if w != u:
                        extra[(u, w)] = extra.get((u, w), 0.0) + pairs[(u, v)]
            for s in sorted(succ[v]):
                if s not in gone and rng.random() < recovery:
                    w = rng.choices(candidates, weights)[0]
                    if w != s:
                        extra[(w, s)] = extra.get((w, s), 0.0) + pairs[(v, s)]
        total_flow += flow_with(extra)
        total_added += len(extra)
    n = max(1, runs)
    return Rerouted(total_flow / n, "rewire", total_added / n)


def _type(graph: Graph, node: str) -> str:
    found = graph.nodes.get(node)
    return found.type if found is not None else "unknown"
