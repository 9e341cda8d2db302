"""Small graphs for the network tests, written out edge by edge."""

from __future__ import annotations

from chainbreaker.network.model import Edge, Graph, Node


def flow_graph(
    edges: list[tuple[str, str, float]], latent: list[tuple[str, str, float]] | None = None
) -> Graph:
    """Companies joined by shipped_to edges of the given weights (and latent ones)."""
    g = Graph()
    for u, v, w in edges + (latent or []):
        for n in (u, v):
            g.nodes.setdefault(n, Node(n, "company", n))
        g.edges.append(Edge(u, v, "shipped_to", w, "test", f"{u}->{v}"))
    for u, v, w in latent or []:
        g.edges.append(Edge(u, v, "shipped_to", w, "test", "", latent=True))
    g.edges = [e for e in g.edges if not (e.record == "" and not e.latent)]
    observed = {(u, v) for u, v, _ in edges}
    g.edges = [e for e in g.edges if e.latent or (e.src, e.dst) in observed]
    return g
