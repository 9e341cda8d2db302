"""An interdiction plan: what to cut, what it cuts, and how it compares with the usual rankings.

`plan_interdiction` answers "which k companies, brokers or routes, if stopped, cut the most flow
from the sources to the sinks", exactly (MILP) when it solves within the time limit, greedily
beyond, and measures every strategy (the plan, degree, betweenness, random) the same way:
flow cut at once, and flow cut after the network reroutes (`resilience`).
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import igraph as ig

from chainbreaker.errors import InvalidInput
from chainbreaker.network.centrality import betweenness, degree
from chainbreaker.network.flow import FlowProblem, build_problem
from chainbreaker.network.interdiction import Interdiction, greedy, interdictable_arcs, solve_milp
from chainbreaker.network.model import FLOW_TYPES, Graph
from chainbreaker.network.resilience import choose_model, reroute

STRATEGIES = ("plan", "degree", "betweenness", "random")


@dataclass(frozen=True, slots=True)
class PlanOptions:
    """How to plan. `budget` counts nodes (or edges) at unit cost, else cost units."""

    budget: float = 5
    target: str = "nodes"  # or "edges"
    method: str = "auto"  # auto (MILP, greedy when too big or not proven), milp, greedy
    time_limit: float = 60.0
    milp_max_arcs: int = 400_000  # beyond this many arcs the MILP is not tried
    costs: Mapping[str, float] = field(default_factory=dict)  # node id -> cost (default 1)
    candidate_types: tuple[str, ...] = ()  # node types that may be cut (all when empty)
    protect_terminals: bool = False  # sources and sinks may not be cut
    flow_types: tuple[str, ...] = FLOW_TYPES
    reroute: str = "auto"  # auto, latent, rewire, none
    recovery: float = 0.5
    runs: int = 10  # rewiring draws, and random-targeting draws
    baselines: bool = True
    seed: int = 0


@dataclass(frozen=True, slots=True)
class Outcome:
    """One strategy measured: flow before, after the cut, after rerouting."""

    strategy: str
    targets: tuple[str, ...]
    cost: float
    flow_before: float
    flow_after: float
    flow_rerouted: float
    seconds: float

    @property
    def cut_share(self) -> float:
        return 1 - self.flow_after / self.flow_before if self.flow_before else 0.0

    @property
    def rerouted_cut_share(self) -> float:
        return 1 - self.flow_rerouted / self.flow_before if self.flow_before else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "strategy": self.strategy,
            "targets": list(self.targets),
            "cost": self.cost,
            "flow_before": self.flow_before,
            "flow_after": self.flow_after,
            "flow_cut": self.flow_before - self.flow_after,
            "cut_share": round(self.cut_share, 6),
            "flow_rerouted": self.flow_rerouted,
            "rerouted_cut_share": round(self.rerouted_cut_share, 6),
            "seconds": round(self.seconds, 4),
        }


@dataclass(frozen=True, slots=True)
class Plan:
    """The chosen targets, who answered, its bound, and every strategy measured."""

    targets: tuple[str, ...]
    target: str
    method: str  # "milp" or "greedy"
    status: str  # "optimal", "time limit", "heuristic"
    why: str  # why this method answered
    flow_before: float
    flow_after: float
    bound: float | None  # no plan within budget leaves less flow than this
    gap: float | None  # (flow_after - bound) / flow_after
    reroute_model: str
    outcomes: tuple[Outcome, ...]
    min_cut: tuple[str, ...]  # the cheapest complete cut of nodes/edges (no budget)
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "targets": list(self.targets),
            "target": self.target,
            "method": self.method,
            "status": self.status,
            "why": self.why,
            "flow_before": self.flow_before,
            "flow_after": self.flow_after,
            "bound": self.bound,
            "gap": self.gap,
            "reroute_model": self.reroute_model,
            "min_cut": list(self.min_cut),
            "seconds": round(self.seconds, 4),
            "outcomes": [o.to_dict() for o in self.outcomes],
        }


def plan_interdiction(
    graph: Graph,
    sources: Sequence[str],
    sinks: Sequence[str],
    options: PlanOptions | None = None,
) -> Plan:
    """Plan the cut of `options.budget` nodes (or edges) from `sources` to `sinks`."""
    opts = options or PlanOptions()
    if opts.target not in ("nodes", "edges"):
        raise InvalidInput(f"target must be nodes or edges, not {opts.target!r}")
    if opts.method not in ("auto", "milp", "greedy"):
        raise InvalidInput(f"method must be auto, milp or greedy, not {opts.method!r}")
    if opts.budget < 0:
        raise InvalidInput("the budget cannot be negative")
    start = time.perf_counter()
    problem = build_problem(graph, sources, sinks, flow_types=opts.flow_types)
    candidates = _candidates(graph, problem, opts)
    arcs = interdictable_arcs(problem, opts.target, candidates)
    arc_costs = [_cost(problem, a, opts) for a in arcs]
    before = problem.max_flow()
    chosen, why = _solve(problem, arcs, arc_costs, opts)
    targets = _labels(problem, chosen.arcs)
    model = choose_model(graph, opts.reroute, opts.flow_types)
    outcomes = [_measure(graph, problem, "plan", targets, opts, model, before, chosen.seconds)]
    if opts.baselines:
        outcomes += _baselines(graph, problem, arcs, arc_costs, opts, model, before)
    bound = chosen.bound
    gap = None
    if bound is not None:
        gap = max(0.0, (chosen.remaining - bound) / chosen.remaining) if chosen.remaining else 0.0
    cut = problem.flow()
    min_cut = _labels(problem, [a for a in cut.cut if a < len(problem.capacity)])
    return Plan(
        targets,
        opts.target,
        chosen.method,
        chosen.status,
        why,
        before,
        chosen.remaining,
        bound,
        gap,
        model,
        tuple(outcomes),
        min_cut,
        time.perf_counter() - start,
    )


def _solve(
    problem: FlowProblem, arcs: list[int], costs: list[float], opts: PlanOptions
) -> tuple[Interdiction, str]:
    size = len(problem.arcs)
    if opts.method == "greedy":
        result = greedy(problem, arcs, costs, opts.budget)
        return _with_lp_bound(problem, arcs, costs, opts, result), "greedy asked for"
    if opts.method == "auto" and size > opts.milp_max_arcs:
        result = greedy(problem, arcs, costs, opts.budget)
        why = f"{size:,} arcs, more than the MILP limit of {opts.milp_max_arcs:,}"
        return _with_lp_bound(problem, arcs, costs, opts, result), why
    exact = solve_milp(problem, arcs, costs, opts.budget, time_limit=opts.time_limit)
    if exact.status == "optimal" or opts.method == "milp":
        return exact, "MILP solved within the time limit" if exact.status == "optimal" else (
            f"MILP asked for; stopped: {exact.status}"
        )
    fallback = greedy(problem, arcs, costs, opts.budget)
    best = exact if exact.arcs and exact.remaining <= fallback.remaining else fallback
    bound = exact.bound
    why = f"MILP not proven optimal ({exact.status}); best of MILP and greedy"
    return (
        Interdiction(
            best.arcs,
            best.remaining,
            best.method,
            best.status,
            bound,
            exact.seconds + fallback.seconds,
        ),
        why,
    )


def _with_lp_bound(
    problem: FlowProblem,
    arcs: list[int],
    costs: list[float],
    opts: PlanOptions,
    result: Interdiction,
) -> Interdiction:
    """Greedy's answer with the LP relaxation's bound when the LP solves in the time limit."""
    if len(problem.arcs) > opts.milp_max_arcs * 4:
        return result
    lp = solve_milp(problem, arcs, costs, opts.budget, time_limit=opts.time_limit, relax=True)
    return Interdiction(
        result.arcs,
        result.remaining,
        result.method,
        result.status,
        lp.bound,
        result.seconds + lp.seconds,
    )


def _candidates(graph: Graph, problem: FlowProblem, opts: PlanOptions) -> set[int] | None:
    if not opts.candidate_types and not opts.protect_terminals:
        return None
    terminals = set(problem.sources) | set(problem.sinks) if opts.protect_terminals else set()
    out: set[int] = set()
    for i, name in enumerate(problem.names):
        node = graph.nodes.get(name)
        kind = node.type if node is not None else "unknown"
        if i in terminals or (opts.candidate_types and kind not in opts.candidate_types):
            continue
        out.add(i)
    return out


def _cost(problem: FlowProblem, arc: int, opts: PlanOptions) -> float:
    label = _labels(problem, [arc])[0]
    cost = float(opts.costs.get(label, 1.0))
    if cost <= 0:
        raise InvalidInput(f"cost of {label!r} must be positive, not {cost}")
    return cost


def _labels(problem: FlowProblem, arcs: Sequence[int]) -> tuple[str, ...]:
    """Node ids for internal arcs, "src -> dst" for edge arcs; super arcs skipped."""
    out: list[str] = []
    n = len(problem.names)
    for a in arcs:
        i, j = problem.arcs[a]
        if i >= 2 * n or j >= 2 * n:
            continue
        if i % 2 == 0 and j == i + 1:
            out.append(problem.names[i // 2])
        else:
            out.append(f"{problem.names[i // 2]} -> {problem.names[j // 2]}")
    return tuple(out)


def _split(targets: Sequence[str]) -> tuple[list[str], list[tuple[str, str]]]:
    nodes: list[str] = []
    edges: list[tuple[str, str]] = []
    for t in targets:
        if " -> " in t:
            u, v = t.split(" -> ", 1)
            edges.append((u, v))
        else:
            nodes.append(t)
    return nodes, edges


def _measure(
    graph: Graph,
    problem: FlowProblem,
    strategy: str,
    targets: Sequence[str],
    opts: PlanOptions,
    model: str,
    before: float,
    seconds: float,
) -> Outcome:
    nodes, edges = _split(targets)
    arcs = [problem.node_arc[problem.index[v]] for v in nodes]
    arcs += [problem.edge_arc[e] for e in edges]
    after = problem.max_flow(arcs)
    sources = [problem.names[i] for i in problem.sources]
    sinks = [problem.names[i] for i in problem.sinks]
    rerouted = reroute(
        graph,
        sources,
        sinks,
        nodes,
        edges,
        model=model,
        flow_types=opts.flow_types,
        recovery=opts.recovery,
        runs=opts.runs,
        seed=opts.seed,
    )
    cost = sum(_cost(problem, a, opts) for a in arcs)
    return Outcome(strategy, tuple(targets), cost, before, after, rerouted.flow, seconds)


def _baselines(
    graph: Graph,
    problem: FlowProblem,
    arcs: list[int],
    costs: list[float],
    opts: PlanOptions,
    model: str,
    before: float,
) -> list[Outcome]:
    n = len(problem.names)
    pairs = [(problem.index[u], problem.index[v]) for (u, v) in problem.edge_arc]
    g = ig.Graph(n=n, edges=pairs, directed=True)
    out: list[Outcome] = []
    t0 = time.perf_counter()
    deg = degree(g)
    ranked = _rank_arcs(problem, arcs, opts.target, deg, g)
    picked = _within_budget(ranked, dict(zip(arcs, costs, strict=True)), opts.budget)
    out.append(
        _measure(
            graph,
            problem,
            "degree",
            _labels(problem, picked),
            opts,
            model,
            before,
            time.perf_counter() - t0,
        )
    )
    t0 = time.perf_counter()
    btw = betweenness(g, seed=opts.seed)
    edge_btw = g.edge_betweenness(directed=True) if opts.target == "edges" else None
    ranked = _rank_arcs(problem, arcs, opts.target, btw.values, g, edge_btw)
    picked = _within_budget(ranked, dict(zip(arcs, costs, strict=True)), opts.budget)
    out.append(
        _measure(
            graph,
            problem,
            "betweenness",
            _labels(problem, picked),
            opts,
            model,
            before,
            time.perf_counter() - t0,
        )
    )
    t0 = time.perf_counter()
    rng = random.Random(opts.seed)
    draws: list[Outcome] = []
    for _ in range(max(1, opts.runs)):
        order = list(arcs)
        rng.shuffle(order)
        picked = _within_budget(order, dict(zip(arcs, costs, strict=True)), opts.budget)
        draws.append(
            _measure(graph, problem, "random", _labels(problem, picked), opts, model, before, 0.0)
        )
    out.append(
        Outcome(
            "random",
            (),
            statistics.fmean(d.cost for d in draws),
            before,
            statistics.fmean(d.flow_after for d in draws),
            statistics.fmean(d.flow_rerouted for d in draws),
            time.perf_counter() - t0,
        )
    )
    return out


def _rank_arcs(
    problem: FlowProblem,
    arcs: list[int],
    target: str,
    score: Sequence[float],
    g: ig.Graph,
    edge_score: Sequence[float] | None = None,
) -> list[int]:
    if target == "nodes":
        node_of = {a: i for i, a in enumerate(problem.node_arc)}
        return sorted(arcs, key=lambda a: (-score[node_of[a]], a))
    # edges: an edge's own betweenness when known, else the sum of its ends' scores
    eid = {(problem.index[u], problem.index[v]): k for k, (u, v) in enumerate(problem.edge_arc)}
    ends = {a: (problem.arcs[a][0] // 2, problem.arcs[a][1] // 2) for a in arcs}

    def key(a: int) -> tuple[float, int]:
        i, j = ends[a]
        if edge_score is not None:
            return (-edge_score[eid[(i, j)]], a)
        return (-(score[i] + score[j]), a)

    return sorted(arcs, key=key)


def _within_budget(ranked: Sequence[int], cost: dict[int, float], budget: float) -> list[int]:
    picked: list[int] = []
    spent = 0.0
    for a in ranked:
        if spent + cost[a] <= budget + 1e-9:
            picked.append(a)
            spent += cost[a]
    return picked
