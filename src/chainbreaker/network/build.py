"""Building the graph: read every input, resolve parties, key the rest, derive shared links.

    graph, report = build_graph(BuildInputs(edge_files=[Path("edges.csv")]))

Inputs: plain edge files (`sources.edge_files`), `chainbreaker screen` decisions in JSON lines
(`sources.screening`), watch lists in any format `parties` loads (`sources.watchlists`) and
STIX 2.1 bundles such as the exchange exports (`sources.stix`), and the exchange's incidents in
its CSV export (`sources.incidents`). Parties are resolved (see
`resolve`); addresses, phones, e-mails, company numbers, substances and places are keyed by
their normalised value. Parties that use the same address, phone or e-mail get a derived
`shares_address`, `same_phone` or `same_email` edge (for values used by at most
`SHARED_LINK_LIMIT` parties: a forwarder's address used by thousands is a hub, not a tie).
"""

from __future__ import annotations

import functools
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from chainbreaker.network.model import PARTY_TYPES, Edge, Graph, MergeDecision, Node
from chainbreaker.network.raw import Problem, RawBatch, Ref, keyed_id
from chainbreaker.network.resolve import (
    DEFAULT_THRESHOLD,
    Mentions,
    Overrides,
    mention_key,
    read_overrides,
    resolve,
)
from chainbreaker.network.sources.edge_files import read_edge_file
from chainbreaker.network.sources.incidents import read_incident_csv
from chainbreaker.network.sources.screening import read_decisions
from chainbreaker.network.sources.stix import read_stix_bundle
from chainbreaker.network.sources.watchlists import read_watchlist

SHARED_LINK_LIMIT = 50
_DERIVED = {"has_address": "shares_address", "has_phone": "same_phone", "has_email": "same_email"}


@dataclass(slots=True)
class BuildInputs:
    """What to build from, and how to resolve parties."""

    edge_files: list[Path] = field(default_factory=list)
    screening_files: list[Path] = field(default_factory=list)
    watchlists: list[str] = field(default_factory=list)  # "PATH" or "PATH:FORMAT"
    stix_files: list[Path] = field(default_factory=list)
    incident_files: list[Path] = field(default_factory=list)  # the exchange's CSV export
    overrides: Path | None = None
    threshold: float = DEFAULT_THRESHOLD
    fuzzy: bool = True  # merge by the parties matcher (identifiers merge always)


@dataclass(slots=True)
class BuildReport:
    """Counts and the records skipped."""

    records: dict[str, int] = field(default_factory=dict)  # per input file
    problems: list[Problem] = field(default_factory=list)
    mentions: int = 0
    merged: int = 0
    refused: int = 0
    seconds: float = 0.0


def build_graph(
    inputs: BuildInputs, progress: Callable[[str], None] | None = None
) -> tuple[Graph, BuildReport]:
    """Read the inputs and build the resolved graph."""
    start = time.perf_counter()
    report = BuildReport()
    batches: list[RawBatch] = []
    readers: list[tuple[str, Callable[[], RawBatch]]] = []
    readers += [(str(p), functools.partial(read_edge_file, p)) for p in inputs.edge_files]
    readers += [(str(p), functools.partial(read_decisions, p)) for p in inputs.screening_files]
    readers += [(s, functools.partial(read_watchlist, s)) for s in inputs.watchlists]
    readers += [(str(p), functools.partial(read_stix_bundle, p)) for p in inputs.stix_files]
    readers += [(str(p), functools.partial(read_incident_csv, p)) for p in inputs.incident_files]
    for name, read in readers:
        if progress:
            progress(f"reading {name}")
        batch = read()
        report.records[name] = batch.records
        report.problems += batch.problems
        batches.append(batch)
    overrides = Overrides()
    if inputs.overrides is not None:
        overrides = read_overrides(inputs.overrides)
        report.problems += overrides.problems
    graph, report = graph_from_batches(
        batches,
        threshold=inputs.threshold,
        fuzzy=inputs.fuzzy,
        overrides=overrides,
        report=report,
        progress=progress,
    )
    report.seconds = time.perf_counter() - start
    graph.meta["resolution"]["overrides"] = str(inputs.overrides) if inputs.overrides else None
    return graph, report


def graph_from_batches(
    batches: list[RawBatch],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    fuzzy: bool = True,
    overrides: Overrides | None = None,
    report: BuildReport | None = None,
    progress: Callable[[str], None] | None = None,
) -> tuple[Graph, BuildReport]:
    """The resolved graph of what readers produced (`build_graph` reads the files first; a
    caller holding records in memory, such as the exchange, adds them to a `RawBatch`)."""
    start = time.perf_counter()
    report = report if report is not None else BuildReport()
    overrides = overrides if overrides is not None else Overrides()
    # 1. party mentions and their identifiers
    mentions = Mentions()
    for batch in batches:
        for e in batch.edges:
            keys: list[str | None] = [
                mentions.add(r.type, r.value, _where(e.source_file, e.record))
                if r.type in PARTY_TYPES
                else None
                for r in (e.src, e.dst)
            ]
            if keys[0] is not None and e.dst.type in ("company_number", "email"):
                ident = keyed_id(e.dst.type, e.dst.value)
                if ident:
                    mentions.identifiers[keys[0]].add(ident)
        for ref, where in batch.nodes:
            if ref.type in PARTY_TYPES:
                mentions.add(ref.type, ref.value, where)
        for left, right, why in batch.same:
            if left.type in PARTY_TYPES and right.type in PARTY_TYPES:
                a = mentions.add(left.type, left.value, why)
                b = mentions.add(right.type, right.value, why)
                overrides.asserted.append((a, b, why))
    report.mentions = len(mentions.spellings)
    if progress:
        progress(f"resolving {report.mentions:,} party mentions")
    roots, decisions = resolve(mentions, threshold=threshold, fuzzy=fuzzy, overrides=overrides)
    # 2. nodes of resolved parties
    members: dict[str, list[str]] = defaultdict(list)
    for key, root_key in roots.items():
        members[root_key].append(key)
    node_of_key: dict[str, str] = {}
    graph = Graph()
    for group in members.values():
        spellings: Counter[str] = Counter()
        for k in group:
            spellings.update(mentions.spellings[k])
        canonical = min(group, key=lambda k: (-mentions.spellings[k].total(), k))
        party_id = canonical.replace("|", ":", 1)
        records = tuple(r for k in sorted(group) for r in mentions.records.get(k, []))[:200]
        graph.nodes[party_id] = Node(
            party_id,
            canonical.split("|", 1)[0],
            spellings.most_common(1)[0][0],
            tuple(s for s, _ in spellings.most_common()),
            records,
            {"mentions": len(group), "keys": sorted(group)[:50]},
        )
        for k in group:
            node_of_key[k] = party_id
    graph.merges = [
        MergeDecision(
            node_of_key.get(d.left, ""), d.left, d.right, d.score, d.reason, d.applied, d.records
        )
        for d in decisions
    ]
    report.merged = sum(d.applied for d in decisions)
    report.refused = len(decisions) - report.merged

    # 3. edges, with keyed nodes made on the way
    def node_id(ref: Ref) -> str | None:
        if ref.type in PARTY_TYPES:
            return node_of_key[mentions_key(ref)]
        nid = keyed_id(ref.type, ref.value)
        if nid is None:
            return None
        if nid not in graph.nodes:
            graph.nodes[nid] = Node(nid, ref.type, ref.value, (ref.value,), (), dict(ref.attrs))
        return nid

    keys_cache: dict[tuple[str, str], str] = {}

    def mentions_key(ref: Ref) -> str:
        got = keys_cache.get((ref.type, ref.value))
        if got is None:
            got = keys_cache[(ref.type, ref.value)] = mention_key(ref.type, ref.value)
        return got

    for batch in batches:
        for e in batch.edges:
            src, dst = node_id(e.src), node_id(e.dst)
            if src is None or dst is None:
                report.problems.append(
                    Problem(
                        e.source_file, e.record, None, "an end's value is empty once normalised"
                    )
                )
                continue
            graph.edges.append(
                Edge(src, dst, e.type, e.weight, e.source_file, e.record, e.date, e.note, e.latent)
            )
        for ref, _where_found in batch.nodes:
            node_id(ref)
    _derive_shared(graph)
    report.seconds = time.perf_counter() - start
    graph.meta = {
        "inputs": sorted(report.records),
        "resolution": {"threshold": threshold, "fuzzy": fuzzy, "overrides": None},
        "problems": len(report.problems),
    }
    return graph, report


def _where(file: str, record: str) -> str:
    return f"{file}#{record}" if record else file


def _derive_shared(graph: Graph) -> None:
    users: dict[tuple[str, str], set[str]] = defaultdict(set)
    for e in graph.edges:
        if e.type in _DERIVED and not e.latent and graph.nodes[e.src].type in PARTY_TYPES:
            users[(_DERIVED[e.type], e.dst)].add(e.src)
    for (kind, value), parties in sorted(users.items()):
        if len(parties) < 2 or len(parties) > SHARED_LINK_LIMIT:
            continue
        ordered = sorted(parties)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1 :]:
                graph.edges.append(Edge(a, b, kind, 1.0, "derived", value, "", f"both use {value}"))
