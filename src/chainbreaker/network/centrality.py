"""Degree and betweenness on the network's igraph form, exact or sampled with a stated error.

Betweenness is exact (Brandes, in igraph's C core) up to `EXACT_LIMIT` nodes. Beyond it, the
shortest paths from `samples` random sources are counted and scaled by n / samples (Brandes &
Pich 2007). By Hoeffding's inequality, each node's normalised betweenness (divided by
(n-1)(n-2)) is then within epsilon = n/(n-1) * sqrt(ln(2n / delta) / (2 * samples)) of the
exact value for every node at once, with probability at least 1 - delta: one sampled source s
contributes n * delta_s(v) / ((n-1)(n-2)), which lies in [0, n/(n-1)] and averages to the exact
normalised score (Hoeffding's bound holds for sampling without replacement too; a union bound
over the n nodes). The stated error is that epsilon with delta = 0.05.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

import igraph as ig

EXACT_LIMIT = 5_000
DEFAULT_SAMPLES = 500
DELTA = 0.05


@dataclass(frozen=True, slots=True)
class Betweenness:
    """Betweenness per node index, and how it was computed."""

    values: list[float]  # raw (not normalised) scores, scaled when sampled
    exact: bool
    samples: int
    epsilon: float | None  # bound on the error of the normalised score, w.p. 1 - DELTA


def betweenness(
    g: ig.Graph, *, exact_limit: int = EXACT_LIMIT, samples: int = DEFAULT_SAMPLES, seed: int = 0
) -> Betweenness:
    """Betweenness of every vertex of `g` (directed when `g` is)."""
    n = g.vcount()
    if n <= exact_limit or samples >= n:
        return Betweenness(
            [float(x) for x in g.betweenness(directed=g.is_directed())], True, n, None
        )
    rng = random.Random(seed)
    sources = rng.sample(range(n), samples)
    raw = g.betweenness(directed=g.is_directed(), sources=sources)
    scale = n / samples
    epsilon = n / (n - 1) * math.sqrt(math.log(2 * n / DELTA) / (2 * samples))
    return Betweenness([float(x) * scale for x in raw], False, samples, epsilon)


def degree(g: ig.Graph) -> list[int]:
    """Number of distinct neighbours (in or out) of every vertex."""
    simple = g.as_undirected().simplify() if g.is_directed() else g.copy().simplify()
    return [int(x) for x in simple.degree()]
