"""The network's vocabulary: typed nodes, typed edges with provenance, merge decisions.

An `Edge` is one observation: which record said that `src` relates to `dst`, in which file, on
which date, with what weight (volume, count or value). The same pair seen in ten records is ten
edges; analysis adds their weights (`Graph.pairs`). A `latent` edge is an alternative link that
was not used (a supplier a broker could switch to): synthetic ground truth for the rerouting
simulation, never counted as observed flow.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

#: Kinds of node. Parties (company, person) go through entity resolution; the others are keyed
#: by their normalised value.
NODE_TYPES = (
    "company",
    "person",
    "address",
    "phone",
    "email",
    "company_number",
    "substance",
    "place",
    "shipment",
    "listing",
    "unknown",
)
PARTY_TYPES = frozenset({"company", "person", "unknown"})
#: Identifiers that make two party records the same party when both carry the same value.
IDENTIFIER_TYPES = frozenset({"company_number", "email"})

#: Kinds of edge and what they say (src -> dst).
EDGE_TYPES: dict[str, str] = {
    "shipped_to": "src shipped goods to dst (weight: volume)",
    "paid": "src paid dst (weight: value)",
    "sent": "party src sent shipment dst",
    "consigned_to": "shipment src was addressed to party dst",
    "contains": "shipment src contains substance dst",
    "supplies": "src supplies substance or goods dst",
    "has_address": "src uses address dst",
    "has_phone": "src uses phone dst",
    "has_email": "src uses e-mail dst",
    "has_company_number": "src is registered under dst",
    "shares_address": "src and dst use the same address (derived)",
    "same_phone": "src and dst use the same phone (derived)",
    "same_email": "src and dst use the same e-mail (derived)",
    "officer_of": "person src is an officer or owner of company dst",
    "listed_with": "src is on watch-list entry dst",
    "seized_at": "shipment or goods src were seized at place dst",
    "located_in": "src is located in place dst",
    "related_to": "any other stated relation (the note says which)",
}
#: Edges that carry goods from src to dst: what max flow and interdiction measure by default.
FLOW_TYPES = ("shipped_to", "supplies")


@dataclass(frozen=True, slots=True)
class Node:
    """One entity after resolution."""

    id: str  # "company:haosheng international trading", "phone:8613800138000"
    type: str
    label: str  # the name or value shown
    names: tuple[str, ...] = ()  # every spelling seen
    records: tuple[str, ...] = ()  # "file#record" of the mentions merged into it
    attrs: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Edge:
    """One observed (or latent) relation with its provenance."""

    src: str
    dst: str
    type: str
    weight: float = 1.0
    source_file: str = ""
    record: str = ""
    date: str = ""
    note: str = ""
    latent: bool = False


@dataclass(frozen=True, slots=True)
class MergeDecision:
    """Why two mentions became (or, refused, did not become) one node."""

    node: str  # the node they form (for a refused merge: the left mention's node)
    left: str  # mention keys: "company|haosheng international trading"
    right: str
    score: float
    reason: str
    applied: bool
    records: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "node": self.node,
            "left": self.left,
            "right": self.right,
            "score": self.score,
            "reason": self.reason,
            "applied": self.applied,
            "records": list(self.records),
        }


@dataclass(slots=True)
class Graph:
    """Nodes, edges (observations) and the merge decisions that made the nodes."""

    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    merges: list[MergeDecision] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    _lookup: tuple[int, dict[str, str]] | None = field(default=None, repr=False, compare=False)

    def pairs(
        self, types: Iterable[str] | None = None, *, latent: bool = False
    ) -> dict[tuple[str, str], float]:
        """(src, dst) -> summed weight over the edges of `types` (all when None); latent edges
        only when `latent` (then only them)."""
        wanted = None if types is None else frozenset(types)
        out: dict[tuple[str, str], float] = {}
        for e in self.edges:
            if e.latent != latent or (wanted is not None and e.type not in wanted):
                continue
            if e.src == e.dst:
                continue
            key = (e.src, e.dst)
            out[key] = out.get(key, 0.0) + e.weight
        return out

    def find(self, ref: str) -> str | None:
        """The node id for an id, a label or a name (case and spacing ignored), else None."""
        if ref in self.nodes:
            return ref
        if self._lookup is None or self._lookup[0] != len(self.nodes):
            index: dict[str, str] = {}
            for node in self.nodes.values():
                for text in (*node.names, node.label):  # the label wins over other spellings
                    index[" ".join(text.casefold().split())] = node.id
                for key in node.attrs.get("keys", ()):  # party mention keys: "company|words"
                    index.setdefault(key, node.id)
            self._lookup = (len(self.nodes), index)
        return self._lookup[1].get(" ".join(ref.casefold().split()))
