"""Interdiction quality and time on synthetic supply networks of 10^3 to 10^6 edges.

For each size: `synth network` writes a layered network (suppliers -> brokers -> forwarders ->
labs, latent alternative links as ground truth), `network build` reads it, and
`plan_interdiction` chooses k nodes. Printed per size:

- plan: which method answered (MILP / greedy), its time, the proven bound and gap;
- quality: share of the max flow cut by the plan, by greedy alone, by degree, betweenness and
  random targeting, at once and after the network reroutes (latent model); ratio of each to
  the MILP optimum where the MILP proved it;
- NetworkX measured in the same run on the same networks: max flow (preflow-push) beside
  igraph's, and betweenness (pivot sampling, the same number of sources) beside igraph's.

    python benchmarks/network_interdiction.py            # 10^3, 10^4, 10^5 edges
    python benchmarks/network_interdiction.py --large    # and 10^6 (several minutes)
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

from chainbreaker.network.build import BuildInputs, build_graph
from chainbreaker.network.flow import build_problem
from chainbreaker.network.interdiction import greedy, interdictable_arcs
from chainbreaker.network.plan import PlanOptions, plan_interdiction
from chainbreaker.synth.network import write_network


def _lines(path: Path) -> list[str]:
    return [x for x in path.read_text(encoding="utf-8").splitlines() if x]


def run(
    edges: int, k: int, seed: int, time_limit: float, samples: int, plan_only: bool = False
) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        write_network(out, edges, seed)
        t0 = time.perf_counter()
        graph, _ = build_graph(BuildInputs(edge_files=[out / "edges.csv"], fuzzy=False))
        build_s = time.perf_counter() - t0
        sources, sinks = _lines(out / "sources.txt"), _lines(out / "sinks.txt")
    opts = PlanOptions(budget=k, time_limit=time_limit, protect_terminals=True, runs=10, seed=seed)
    # the plan alone (what an analyst waits for), then with the baselines and rerouting runs
    t0 = time.perf_counter()
    alone = plan_interdiction(graph, sources, sinks, dataclasses.replace(opts, baselines=False))
    alone_s = time.perf_counter() - t0
    if plan_only:
        t0 = time.perf_counter()
        build_problem(graph, sources, sinks).max_flow()
        return {
            "edges": len(graph.edges),
            "nodes": len(graph.nodes),
            "build_s": build_s,
            "alone_s": alone_s,
            "method": f"{alone.method} ({alone.status})",
            "bound": alone.bound,
            "before": alone.flow_before,
            "after": alone.flow_after,
            "rerouted": alone.outcomes[0].flow_rerouted if alone.outcomes else None,
            "maxflow_igraph_s": time.perf_counter() - t0,
        }
    t0 = time.perf_counter()
    plan = plan_interdiction(graph, sources, sinks, opts)
    plan_s = time.perf_counter() - t0
    by = {o.strategy: o for o in plan.outcomes}
    # greedy alone, to compare with the MILP optimum
    problem = build_problem(graph, sources, sinks)
    cands = set(range(len(problem.names))) - set(problem.sources) - set(problem.sinks)
    arcs = interdictable_arcs(problem, "nodes", cands)
    g_res = greedy(problem, arcs, [1.0] * len(arcs), k)
    # networkx beside igraph on the same split network
    nxg = nx.DiGraph()
    for a, (i, j) in enumerate(problem.arcs):
        if problem.capacity[a] < problem.infinite:
            nxg.add_edge(i, j, capacity=problem.capacity[a])
        else:
            nxg.add_edge(i, j)  # no capacity attribute: unbounded in networkx
    t0 = time.perf_counter()
    ig_flow = problem.max_flow()
    ig_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    nx_flow = nx.maximum_flow_value(
        nxg,
        problem.source_vertex,
        problem.sink_vertex,
        flow_func=nx.algorithms.flow.preflow_push,
    )
    nx_s = time.perf_counter() - t0
    assert abs(nx_flow - ig_flow) < 1e-6, (nx_flow, ig_flow)
    import igraph as ig

    pairs = list(graph.pairs(["shipped_to"]))
    ids = sorted({x for p in pairs for x in p})
    pos = {n: i for i, n in enumerate(ids)}
    ig_g = ig.Graph(n=len(ids), edges=[(pos[u], pos[v]) for u, v in pairs], directed=True)
    nx_g = nx.DiGraph((pos[u], pos[v]) for u, v in pairs)
    s = min(samples, len(ids))
    chosen = random.Random(seed).sample(range(len(ids)), s)
    t0 = time.perf_counter()
    ig_g.betweenness(directed=True, sources=chosen)
    ig_b = time.perf_counter() - t0
    t0 = time.perf_counter()
    nx.betweenness_centrality(nx_g, k=s, seed=seed, normalized=False)
    nx_b = time.perf_counter() - t0
    optimum = plan.flow_after if plan.method == "milp" and plan.status == "optimal" else None
    before = plan.flow_before

    def ratio(left: float) -> str:
        if optimum is None or before == optimum:
            return "-"
        return f"{(before - left) / (before - optimum):.3f}"

    return {
        "edges": len(graph.edges),
        "flow_pairs": len(pairs),
        "nodes": len(graph.nodes),
        "build_s": build_s,
        "plan_s": plan_s,
        "alone_s": alone_s,
        "method": f"{plan.method} ({plan.status})",
        "gap": plan.gap,
        "plan_cut": by["plan"].cut_share,
        "plan_rerouted": by["plan"].rerouted_cut_share,
        "greedy_cut": 1 - g_res.remaining / before,
        "greedy_ratio": ratio(g_res.remaining),
        "greedy_s": g_res.seconds,
        "degree": (by["degree"].cut_share, by["degree"].rerouted_cut_share),
        "betweenness": (by["betweenness"].cut_share, by["betweenness"].rerouted_cut_share),
        "random": (by["random"].cut_share, by["random"].rerouted_cut_share),
        "ratios": {s: ratio(by[s].flow_after) for s in ("degree", "betweenness", "random")},
        "maxflow_igraph_s": ig_s,
        "maxflow_networkx_s": nx_s,
        "btw_igraph_s": ig_b,
        "btw_networkx_s": nx_b,
        "btw_samples": s,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--large", action="store_true", help="also 10^6 edges")
    parser.add_argument("--k", type=int, default=5, help="nodes to cut")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=60.0, help="MILP seconds")
    parser.add_argument("--samples", type=int, default=100, help="betweenness sources")
    parser.add_argument(
        "--plan-only",
        action="store_true",
        help="time only building and the plan (no baselines, no NetworkX): for 10^6 edges",
    )
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=None, help="edge counts to run (default 10^3-10^5)"
    )
    args = parser.parse_args()
    sizes = [1_000, 10_000, 100_000] + ([1_000_000] if args.large else [])
    if args.sizes:
        sizes = args.sizes
    if args.plan_only:
        print(
            "| edges | nodes | build s | plan s | answered by | bound | flow before | after | "
            "after rerouting | one max flow s |"
        )
        print("|" + "---:|" * 10)
        for size in sizes:
            r = run(size, args.k, args.seed, args.time_limit, args.samples, plan_only=True)
            print(
                f"| {r['edges']:,} | {r['nodes']:,} | {r['build_s']:.1f} | {r['alone_s']:.1f} | "
                f"{r['method']} | {r['bound']} | {r['before']:.0f} | {r['after']:.0f} | "
                f"{r['rerouted']} | {r['maxflow_igraph_s']:.2f} |",
                flush=True,
            )
        return
    print(
        "| edges | nodes | build s | plan alone s | plan and baselines s | answered by | gap | "
        "plan cut (rerouted) | "
        "greedy cut (ratio to opt, s) | degree cut (rerouted) | betweenness cut (rerouted) | "
        "random cut (rerouted) | max flow igraph / networkx s | betweenness igraph / networkx s |"
    )
    print("|" + "---:|" * 14)
    for size in sizes:
        r = run(size, args.k, args.seed, args.time_limit, args.samples)

        def pair(x: object) -> str:
            a, b = x  # type: ignore[misc]
            return f"{a:.3f} ({b:.3f})"

        gap = "-" if r["gap"] is None else f"{r['gap']:.2%}"
        ratios = r["ratios"]
        print(
            f"| {r['edges']:,} | {r['nodes']:,} | {r['build_s']:.1f} | {r['alone_s']:.1f} | "
            f"{r['plan_s']:.1f} | "
            f"{r['method']} | {gap} | {r['plan_cut']:.3f} ({r['plan_rerouted']:.3f}) | "
            f"{r['greedy_cut']:.3f} ({r['greedy_ratio']}, {r['greedy_s']:.1f}) | "
            f"{pair(r['degree'])} [{ratios['degree']}] | "  # type: ignore[index]
            f"{pair(r['betweenness'])} [{ratios['betweenness']}] | "  # type: ignore[index]
            f"{pair(r['random'])} [{ratios['random']}] | "  # type: ignore[index]
            f"{r['maxflow_igraph_s']:.3f} / {r['maxflow_networkx_s']:.2f} "
            f"({r['maxflow_networkx_s'] / max(r['maxflow_igraph_s'], 1e-9):.0f}x) | "  # type: ignore[operator]
            f"{r['btw_igraph_s']:.3f} / {r['btw_networkx_s']:.2f} ({r['btw_samples']} sources) |",
            flush=True,
        )
    sys.exit(0)


if __name__ == "__main__":
    main()
