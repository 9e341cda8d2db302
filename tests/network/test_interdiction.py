"""Interdiction on graphs small enough to check on paper (and by brute force)."""

from __future__ import annotations

import itertools
import random

import networkx as nx
import pytest

from chainbreaker.errors import InvalidInput
from chainbreaker.network.flow import build_problem
from chainbreaker.network.plan import PlanOptions, plan_interdiction
from tests.network.helpers import flow_graph

# s1 -> a (10), s2 -> a (10), s1 -> b (5), a -> t (15), b -> t (5)
# Max flow 20: a passes 15 of its 20, b passes 5. Min cut 20 (a->t and b->t).
# Cutting a leaves 5 (s1 -> b -> t); cutting b leaves 15; cutting both leaves 0.
DIAMOND = [("s1", "a", 10), ("s2", "a", 10), ("s1", "b", 5), ("a", "t", 15), ("b", "t", 5)]


def test_max_flow_and_min_cut_of_the_diamond() -> None:
    g = flow_graph(DIAMOND)
    problem = build_problem(g, ["s1", "s2"], ["t"])
    assert problem.max_flow() == 20
    flow = problem.flow()
    cut_capacity = sum(problem.capacity[a] for a in flow.cut)
    assert cut_capacity == 20


@pytest.mark.parametrize(
    ("budget", "targets", "left"),
    [(1, {"a"}, 5), (2, {"a", "b"}, 0), (0, set(), 20)],
)
def test_optimal_node_interdiction(budget: int, targets: set[str], left: float) -> None:
    g = flow_graph(DIAMOND)
    plan = plan_interdiction(
        g, ["s1", "s2"], ["t"], PlanOptions(budget=budget, protect_terminals=True)
    )
    assert plan.method == "milp" and plan.status == "optimal"
    assert set(plan.targets) == targets
    assert plan.flow_before == 20
    assert plan.flow_after == left
    assert plan.bound == pytest.approx(left)
    assert plan.gap == 0


def test_greedy_finds_the_same_on_the_diamond() -> None:
    g = flow_graph(DIAMOND)
    plan = plan_interdiction(
        g, ["s1", "s2"], ["t"], PlanOptions(budget=1, method="greedy", protect_terminals=True)
    )
    assert plan.method == "greedy"
    assert plan.targets == ("a",)
    assert plan.flow_after == 5
    assert plan.bound is not None and plan.bound <= 5  # the LP relaxation's bound


def test_edge_interdiction_cuts_a_to_t() -> None:
    # cutting a->t leaves b's 5; cutting s1->a leaves s2's 10 through a plus b's 5 = 15
    g = flow_graph(DIAMOND)
    plan = plan_interdiction(g, ["s1", "s2"], ["t"], PlanOptions(budget=1, target="edges"))
    assert plan.targets == ("a -> t",)
    assert plan.flow_after == 5


def test_costs_keep_an_expensive_node_out_of_reach() -> None:
    # a costs 3, the budget is 2: the best affordable cut is b (leaves 15)
    g = flow_graph(DIAMOND)
    opts = PlanOptions(budget=2, costs={"a": 3}, protect_terminals=True)
    plan = plan_interdiction(g, ["s1", "s2"], ["t"], opts)
    assert plan.targets == ("b",)
    assert plan.flow_after == 15


def test_the_sink_itself_is_the_cut_when_terminals_are_not_protected() -> None:
    g = flow_graph(DIAMOND)
    plan = plan_interdiction(g, ["s1", "s2"], ["t"], PlanOptions(budget=1))
    assert plan.targets == ("t",)
    assert plan.flow_after == 0


def test_baselines_are_measured_beside_the_plan() -> None:
    g = flow_graph(DIAMOND)
    plan = plan_interdiction(
        g, ["s1", "s2"], ["t"], PlanOptions(budget=1, protect_terminals=True, reroute="none")
    )
    by = {o.strategy: o for o in plan.outcomes}
    assert set(by) == {"plan", "degree", "betweenness", "random"}
    # degree: a has 3 neighbours (s1, s2, t), b has 2: degree cuts a, as the plan does
    assert by["degree"].targets == ("a",)
    assert by["plan"].flow_after == 5
    # random over the two candidates a (5 left) and b (15 left) averages between them
    assert 5 <= by["random"].flow_after <= 15


def test_unknown_source_is_reported() -> None:
    g = flow_graph(DIAMOND)
    with pytest.raises(InvalidInput, match="nowhere"):
        plan_interdiction(g, ["nowhere"], ["t"])


def _brute_force(edges: list[tuple[str, str, float]], src: str, dst: str, k: int) -> float:
    """The least max flow over every set of k inner nodes removed (networkx max flow)."""
    inner = sorted({x for u, v, _ in edges for x in (u, v)} - {src, dst})
    best = float("inf")
    for chosen in itertools.combinations(inner, min(k, len(inner))):
        g = nx.DiGraph()
        g.add_nodes_from([src, dst])
        for u, v, w in edges:
            if u not in chosen and v not in chosen:
                g.add_edge(u, v, capacity=w)
        best = min(best, nx.maximum_flow_value(g, src, dst))
    return best


@pytest.mark.parametrize("seed", range(6))
def test_milp_matches_brute_force_on_random_layered_graphs(seed: int) -> None:
    rng = random.Random(seed)
    layers = [["s"], [f"a{i}" for i in range(3)], [f"b{i}" for i in range(3)], ["t"]]
    edges: dict[tuple[str, str], float] = {}
    for here, nxt in itertools.pairwise(layers):
        for u in here:
            for v in rng.sample(nxt, min(len(nxt), 2)):
                edges[(u, v)] = rng.randint(1, 9)
    listed = [(u, v, w) for (u, v), w in edges.items()]
    g = flow_graph(listed)
    for k in (1, 2):
        plan = plan_interdiction(
            g, ["s"], ["t"], PlanOptions(budget=k, protect_terminals=True, baselines=False)
        )
        assert plan.flow_after == _brute_force(listed, "s", "t", k)


@pytest.mark.parametrize("seed", range(6))
def test_greedy_first_step_is_the_best_single_cut(seed: int) -> None:
    # With a budget of 1, greedy tries every node carrying flow (under 30 here) and keeps the
    # one that lowers the max flow most; evaluating them by the flow they carry, best bound
    # first, must not change that: the answer is the brute-force best single removal.
    rng = random.Random(100 + seed)
    layers = [["s"], [f"a{i}" for i in range(4)], [f"b{i}" for i in range(4)], ["t"]]
    edges: dict[tuple[str, str], float] = {}
    for here, nxt in itertools.pairwise(layers):
        for u in here:
            for v in rng.sample(nxt, min(len(nxt), 3)):
                edges[(u, v)] = rng.randint(1, 9)
    listed = [(u, v, w) for (u, v), w in edges.items()]
    plan = plan_interdiction(
        flow_graph(listed),
        ["s"],
        ["t"],
        PlanOptions(budget=1, method="greedy", protect_terminals=True, baselines=False),
    )
    assert plan.method == "greedy"
    assert plan.flow_after == _brute_force(listed, "s", "t", 1)
