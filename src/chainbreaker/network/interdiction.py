"""Choosing what to cut: exact max-flow interdiction as a MILP (HiGHS), and greedy.

The MILP is Wood's (1993) budgeted min cut on the split network (see `flow`): alpha_v in [0, 1]
per vertex (1 = sink side), beta_a in [0, 1] per finite arc (cut and paid for by its capacity),
gamma_a in {0, 1} per interdictable arc (cut by the plan):

    min  sum_a u_a beta_a
    s.t. alpha_j - alpha_i - beta_a - gamma_a <= 0   for every arc a = (i, j)
         alpha_S = 0, alpha_T = 1,  sum_a r_a gamma_a <= budget

Only gamma needs to be integral: for fixed gamma the rest is a min-cut LP, whose matrix is
totally unimodular. The optimum is the least max flow any plan within budget leaves. HiGHS
gives the proven optimum, or within the time limit its best plan and a lower bound (dual bound)
on what any plan can leave.

Greedy removes, one at a time, the affordable candidate whose removal lowers max flow most per
unit of cost, recomputing max flow each time; candidates are the nodes (or edges) carrying flow
in the current solution, the heaviest first, plus those of the current min cut.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import highspy
import numpy as np

from chainbreaker.network.flow import FlowProblem


@dataclass(frozen=True, slots=True)
class Interdiction:
    """A set of cut arcs and what it leaves."""

    arcs: tuple[int, ...]
    remaining: float  # max flow left, recomputed with igraph
    method: str  # "milp", "greedy", ...
    status: str  # "optimal", "time limit", "heuristic", ...
    bound: float | None  # proven lower bound on the flow any plan within budget leaves
    seconds: float


def interdictable_arcs(problem: FlowProblem, mode: str, candidates: set[int] | None) -> list[int]:
    """Arcs a plan may cut: nodes' internal arcs (mode "nodes") or flow-edge arcs ("edges")."""
    if mode == "nodes":
        return [a for i, a in enumerate(problem.node_arc) if candidates is None or i in candidates]
    return sorted(problem.edge_arc.values())


def solve_milp(
    problem: FlowProblem,
    arcs: Sequence[int],
    costs: Sequence[float],
    budget: float,
    *,
    time_limit: float = 60.0,
    relax: bool = False,
    threads: int = 1,
) -> Interdiction:
    """Solve the interdiction MILP (or its LP relaxation when `relax`: a bound only)."""
    start = time.perf_counter()
    n_vert = problem.graph.vcount()
    m = len(problem.arcs)
    gamma_of = {a: k for k, a in enumerate(arcs)}
    finite = [a for a in range(m) if problem.capacity[a] < problem.infinite]
    beta_of = {a: k for k, a in enumerate(finite)}
    n_alpha, n_beta, n_gamma = n_vert, len(finite), len(arcs)
    n_col = n_alpha + n_beta + n_gamma
    cost = np.zeros(n_col)
    for a, k in beta_of.items():
        cost[n_alpha + k] = problem.capacity[a]
    lower = np.zeros(n_col)
    upper = np.ones(n_col)
    upper[problem.source_vertex] = 0.0
    lower[problem.sink_vertex] = 1.0
    # rows: one per arc, then the budget
    starts = [0]
    index: list[int] = []
    value: list[float] = []
    for a, (i, j) in enumerate(problem.arcs):
        index += [j, i]
        value += [1.0, -1.0]
        if a in beta_of:
            index.append(n_alpha + beta_of[a])
            value.append(-1.0)
        if a in gamma_of:
            index.append(n_alpha + n_beta + gamma_of[a])
            value.append(-1.0)
        starts.append(len(index))
    for k in range(n_gamma):
        index.append(n_alpha + n_beta + k)
        value.append(float(costs[k]))
    starts.append(len(index))
    inf = highspy.kHighsInf
    lp = highspy.HighsLp()
    lp.num_col_ = n_col
    lp.num_row_ = m + 1
    lp.col_cost_ = cost
    lp.col_lower_ = lower
    lp.col_upper_ = upper
    lp.row_lower_ = np.full(m + 1, -inf)
    row_upper = np.zeros(m + 1)
    row_upper[m] = budget
    lp.row_upper_ = row_upper
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = np.array(starts, dtype=np.int32)
    lp.a_matrix_.index_ = np.array(index, dtype=np.int32)
    lp.a_matrix_.value_ = np.array(value)
    if not relax:
        integrality = [highspy.HighsVarType.kContinuous] * (n_alpha + n_beta)
        integrality += [highspy.HighsVarType.kInteger] * n_gamma
        lp.integrality_ = integrality
    h = _quiet_highs()
    h.setOptionValue("time_limit", float(time_limit))
    h.setOptionValue("threads", int(threads))
    h.setOptionValue("random_seed", 0)
    h.passModel(lp)
    h.run()
    status = h.getModelStatus()
    info = h.getInfo()
    elapsed = time.perf_counter() - start
    optimal = status == highspy.HighsModelStatus.kOptimal
    if relax:
        bound = float(info.objective_function_value) if optimal else None
        return Interdiction(
            (), float("nan"), "lp", "optimal" if optimal else "no bound", bound, elapsed
        )
    chosen: tuple[int, ...] = ()
    if info.primal_solution_status == 2:  # feasible
        values = np.asarray(h.getSolution().col_value)
        chosen = tuple(a for k, a in enumerate(arcs) if values[n_alpha + n_beta + k] > 0.5)
    bound = float(info.mip_dual_bound) if np.isfinite(info.mip_dual_bound) else None
    if optimal:
        label = "optimal"
    elif status == highspy.HighsModelStatus.kTimeLimit:
        label = "time limit"
    else:
        label = h.modelStatusToString(status)
    remaining = problem.max_flow(chosen)
    return Interdiction(chosen, remaining, "milp", label, bound, time.perf_counter() - start)


def greedy(
    problem: FlowProblem,
    arcs: Sequence[int],
    costs: Sequence[float],
    budget: float,
    *,
    breadth: int = 30,
) -> Interdiction:
    """Greedy interdiction (see the module doc); `breadth` candidates tried per step."""
    start = time.perf_counter()
    cost_of = dict(zip(arcs, costs, strict=True))
    chosen: list[int] = []
    spent = 0.0
    flow = problem.flow()
    current = float(flow.value)
    while current > 0:
        values = flow.flow
        carrying = sorted(
            (a for a in cost_of if a not in chosen and values[a] > 0),
            key=lambda a: -values[a],
        )[:breadth]
        cut = [a for a in flow.cut if a in cost_of and a not in chosen]
        tried = list(dict.fromkeys([*cut, *carrying]))
        # Cutting an arc lowers the max flow by at most the flow it carries in any max flow
        # (take that flow away along its paths: what is left is still a flow). So candidates are
        # tried by that bound per cost, best first, and the search stops once no untried one
        # can beat the best gain found: the same choice as trying them all, with far fewer
        # max-flow runs on large networks.
        bound = {a: float(values[a]) / max(cost_of[a], 1e-9) for a in tried}
        order = sorted(range(len(tried)), key=lambda i: (-bound[tried[i]], i))
        best: tuple[float, int, int] | None = None  # (gain, position in `tried`, arc)
        for i in order:
            a = tried[i]
            if best is not None and bound[a] < best[0] - 1e-12:
                break
            if spent + cost_of[a] > budget + 1e-9:
                continue
            left = problem.max_flow([*chosen, a])
            gain = (current - left) / max(cost_of[a], 1e-9)
            # ties go to the candidate first in `tried` (cut arcs, then the heaviest carriers)
            if best is None or gain > best[0] + 1e-12 or (gain > best[0] - 1e-12 and i < best[1]):
                best = (gain, i, a)
        if best is None or best[0] <= 0:
            # No single cut lowers the flow (parallel routes): take the heaviest affordable
            # carrier, which may pay off with the next one.
            spare = [a for a in carrying if spent + cost_of[a] <= budget + 1e-9]
            if not spare:
                break
            best = (0.0, -1, spare[0])
        chosen.append(best[2])
        spent += cost_of[best[2]]
        flow = problem.flow(chosen)
        current = float(flow.value)
    return Interdiction(
        tuple(chosen), current, "greedy", "heuristic", None, time.perf_counter() - start
    )


def _quiet_highs() -> highspy.Highs:
    """A Highs instance with its log off; the banner its constructor writes straight to the
    process's standard output (not through Python) is sent to /dev/null, so that `--json`
    output stays clean."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with Path(os.devnull).open("wb") as null:
            os.dup2(null.fileno(), 1)
            h = highspy.Highs()  # type: ignore[no-untyped-call]
            h.setOptionValue("output_flag", False)
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    return h
