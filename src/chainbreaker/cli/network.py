"""`chainbreaker network`: build the network, analyse it, plan interdictions, export it."""

from __future__ import annotations

import json
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from chainbreaker.errors import ChainbreakerError, InvalidInput
from chainbreaker.network.analysis import analyse, paths_between, supply_chains
from chainbreaker.network.build import BuildInputs, build_graph
from chainbreaker.network.export import write_gexf, write_graphml
from chainbreaker.network.flow import resolve_refs
from chainbreaker.network.html_view import write_html
from chainbreaker.network.model import FLOW_TYPES, Graph
from chainbreaker.network.plan import PlanOptions, plan_interdiction
from chainbreaker.network.resolve import DEFAULT_THRESHOLD
from chainbreaker.network.store import read_graph, write_graph

app = typer.Typer(
    help="Build the trafficking network, find its weak points, plan interdictions.",
    no_args_is_help=True,
)
_out = Console(highlight=False, soft_wrap=True)
_err = Console(stderr=True, highlight=False, soft_wrap=True)
_SHOWN_PROBLEMS = 10
T = TypeVar("T")

_GraphArg = Annotated[Path, typer.Argument(help="The graph folder written by `network build`.")]
_JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]
_NODES_HELP = "Node ids or names, separated by commas, or a file (FILE or @FILE) with one a line."


class Target(StrEnum):
    """What a plan cuts."""

    nodes = "nodes"
    edges = "edges"


class Method(StrEnum):
    """How a plan is found."""

    auto = "auto"
    milp = "milp"
    greedy = "greedy"


class Reroute(StrEnum):
    """How the network adapts after the cut."""

    auto = "auto"
    latent = "latent"
    rewire = "rewire"
    none = "none"


class ExportFormat(StrEnum):
    """Export formats."""

    graphml = "graphml"
    gexf = "gexf"
    html = "html"


def _fail(message: str) -> NoReturn:
    _err.print(f"[red]error:[/red] {escape(message)}")
    raise typer.Exit(1)


def _run(work: Callable[[], T]) -> T:
    try:
        return work()
    except ChainbreakerError as exc:
        _fail(str(exc))
    except OSError as exc:
        _fail(f"{exc.filename or ''}: {exc.strerror or exc}")


def _refs(text: str) -> list[str]:
    if text.startswith("@") or ("," not in text and Path(text).is_file()):
        path = Path(text.removeprefix("@"))
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise InvalidInput(f"{path}: cannot be read ({exc.strerror})") from exc
        return [line.strip() for line in lines if line.strip()]
    return [part.strip() for part in text.split(",") if part.strip()]


def _print_json(data: Any) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False))


@app.command("build")
def build_cmd(
    output: Annotated[Path, typer.Option("--output", "-o", help="Graph folder to write.")],
    edges: Annotated[
        list[Path] | None,
        typer.Option("--edges", help="Edge CSV (from,from_type,to,to_type,type,weight,...)."),
    ] = None,
    screening: Annotated[
        list[Path] | None,
        typer.Option("--screening", help="Decisions of `chainbreaker screen` (JSON lines)."),
    ] = None,
    lists: Annotated[
        list[str] | None,
        typer.Option("--list", metavar="PATH[:FORMAT]", help="A watch list (any parties format)."),
    ] = None,
    stix: Annotated[
        list[Path] | None, typer.Option("--stix", help="A STIX 2.1 bundle (exchange export).")
    ] = None,
    incidents: Annotated[
        list[Path] | None,
        typer.Option("--incidents", help="Incidents of the exchange (its CSV export)."),
    ] = None,
    overrides: Annotated[
        Path | None,
        typer.Option("--overrides", help="CSV action,left,right: do-not-merge / force-merge."),
    ] = None,
    threshold: Annotated[
        float,
        typer.Option("--threshold", min=0.0, max=1.0, help="Name score that merges two parties."),
    ] = DEFAULT_THRESHOLD,
    fuzzy: Annotated[
        bool,
        typer.Option("--fuzzy/--no-fuzzy", help="Merge parties by name match (not only by ids)."),
    ] = True,
) -> None:
    """Build the graph from edge files, screening results, watch lists, STIX bundles and the
    exchange's incidents."""
    inputs = BuildInputs(
        edge_files=edges or [],
        screening_files=screening or [],
        watchlists=lists or [],
        stix_files=stix or [],
        incident_files=incidents or [],
        overrides=overrides,
        threshold=threshold,
        fuzzy=fuzzy,
    )
    given = (inputs.edge_files, inputs.screening_files, inputs.watchlists, inputs.stix_files)
    if not any(given) and not inputs.incident_files:
        _fail("give at least one input: --edges, --screening, --list, --stix or --incidents")

    def work() -> None:
        graph, report = build_graph(inputs, lambda m: _err.print(escape(m)))
        write_graph(graph, output)
        for problem in report.problems[:_SHOWN_PROBLEMS]:
            _err.print(f"[yellow]skipped:[/yellow] {escape(str(problem))}")
        if len(report.problems) > _SHOWN_PROBLEMS:
            _err.print(f"... and {len(report.problems) - _SHOWN_PROBLEMS:,} more skipped")
        _err.print(
            f"{escape(str(output))}: {len(graph.nodes):,} nodes, {len(graph.edges):,} edges from "
            f"{sum(report.records.values()):,} records; {report.mentions:,} party mentions, "
            f"{report.merged:,} merges, {report.refused:,} refused; "
            f"{len(report.problems):,} records skipped; {report.seconds:.1f} s"
        )

    _run(work)


@app.command("merges")
def merges_cmd(
    graph_dir: _GraphArg,
    refused: Annotated[bool, typer.Option("--refused", help="Only refused merges.")] = False,
    as_json: _JsonOption = False,
) -> None:
    """Show the merge decisions of entity resolution (reverse one with --overrides)."""
    graph = _run(lambda: read_graph(graph_dir))
    decisions = [m for m in graph.merges if not refused or not m.applied]
    if as_json:
        _print_json([m.to_dict() for m in decisions])
        return
    table = Table("node", "left", "right", "score", "applied", "reason")
    for m in decisions:
        table.add_row(
            escape(m.node),
            escape(m.left),
            escape(m.right),
            f"{m.score:.2f}",
            "yes" if m.applied else "no",
            escape(m.reason),
        )
    _out.print(table)


@app.command("analyse")
def analyse_cmd(
    graph_dir: _GraphArg,
    top: Annotated[int, typer.Option("--top", min=1, help="Entries per ranking.")] = 10,
    between: Annotated[
        str | None, typer.Option("--between", metavar="A,B", help="Paths between two entities.")
    ] = None,
    max_length: Annotated[
        int, typer.Option("--max-length", min=1, help="Longest simple path listed (edges).")
    ] = 4,
    sources: Annotated[
        str | None, typer.Option("--sources", help=f"Supply chains from these. {_NODES_HELP}")
    ] = None,
    sinks: Annotated[str | None, typer.Option("--sinks", help="...to these.")] = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed of sampling and Leiden.")] = 0,
    as_json: _JsonOption = False,
) -> None:
    """Degree, betweenness, brokers, Leiden communities; paths; supply chains."""
    graph = _run(lambda: read_graph(graph_dir))

    def work() -> dict[str, Any]:
        result = analyse(graph, top=top, seed=seed)
        if between:
            ends = [x.strip() for x in between.split(",")]
            if len(ends) != 2:
                raise InvalidInput("--between takes two entities: A,B")
            result["paths"] = paths_between(graph, ends[0], ends[1], max_length=max_length)
        if sources or sinks:
            if not (sources and sinks):
                raise InvalidInput("supply chains need both --sources and --sinks")
            result["supply_chains"] = supply_chains(graph, _refs(sources), _refs(sinks), limit=top)
        return result

    result = _run(work)
    if as_json:
        _print_json(result)
        return
    _print_analysis(graph, result)


def _print_analysis(graph: Graph, result: dict[str, Any]) -> None:
    _out.print(
        f"{result['nodes']:,} nodes, {result['edges']:,} edges ({result['pairs']:,} linked pairs)"
    )
    btw = result["betweenness"]
    how = (
        "exact"
        if btw["exact"]
        else f"sampled ({btw['samples']} sources, error ±{btw['error']:.3f})"
    )
    for title, rows in (
        ("degree", result["degree"]),
        (f"betweenness, {how}", btw["top"]),
        ("brokers (Burt's constraint, lowest first)", result["brokers"]["top"]),
    ):
        table = Table("node", "label", "value", title=title)
        for row in rows:
            table.add_row(escape(row["id"]), escape(row["label"]), f"{row['value']:.4g}")
        _out.print(table)
    com = result["communities"]
    table = Table("community", "size", "members", title=f"Leiden, modularity {com['modularity']}")
    for c in com["top"]:
        shown = ", ".join(graph.nodes[m].label for m in c["members"][:5])
        table.add_row(str(c["community"]), str(c["size"]), escape(shown))
    _out.print(table)
    if "paths" in result:
        p = result["paths"]
        _out.print(f"shortest: {escape(' -> '.join(p['shortest'] or ['(none)']))}")
        for path in p["paths"]:
            _out.print(escape(" -> ".join(path)))
    if "supply_chains" in result:
        sc = result["supply_chains"]
        _out.print(f"max flow {sc['max_flow']:g}")
        for c in sc["chains"]:
            _out.print(f"{c['flow']:g}: {escape(' -> '.join(c['nodes']))}")


@app.command("plan")
def plan_cmd(
    graph_dir: _GraphArg,
    sources: Annotated[str, typer.Option("--sources", help=f"Suppliers. {_NODES_HELP}")],
    sinks: Annotated[str, typer.Option("--sinks", help=f"Labs or markets. {_NODES_HELP}")],
    budget: Annotated[
        float, typer.Option("--budget", "-k", min=0, help="Nodes (or edges) to cut, or cost.")
    ] = 5,
    target: Annotated[Target, typer.Option("--target", help="Cut nodes or edges.")] = Target.nodes,
    method: Annotated[Method, typer.Option("--method", help="auto: MILP, greedy beyond.")] = (
        Method.auto
    ),
    time_limit: Annotated[
        float, typer.Option("--time-limit", min=0.1, help="Seconds for the MILP.")
    ] = 60.0,
    costs: Annotated[
        Path | None, typer.Option("--costs", help="CSV node,cost (default cost 1).")
    ] = None,
    protect_terminals: Annotated[
        bool, typer.Option("--protect-terminals", help="Sources and sinks may not be cut.")
    ] = False,
    candidate_types: Annotated[
        str | None, typer.Option("--candidate-types", help="Node types that may be cut: a,b.")
    ] = None,
    flow_types: Annotated[
        str, typer.Option("--flow-types", help="Edge types that carry goods.")
    ] = ",".join(FLOW_TYPES),
    reroute: Annotated[
        Reroute, typer.Option("--reroute", help="How the network adapts (see docs).")
    ] = Reroute.auto,
    runs: Annotated[int, typer.Option("--runs", min=1, help="Random and rewiring draws.")] = 10,
    html_out: Annotated[
        Path | None, typer.Option("--html", help="Also write the HTML view with the targets.")
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed of random draws.")] = 0,
    as_json: _JsonOption = False,
) -> None:
    """Choose what to cut to minimise the flow from sources to sinks, and compare baselines."""
    graph = _run(lambda: read_graph(graph_dir))

    def work() -> Any:
        options = PlanOptions(
            budget=budget,
            target=target.value,
            method=method.value,
            time_limit=time_limit,
            costs=_read_costs(graph, costs) if costs else {},
            candidate_types=tuple(_refs(candidate_types)) if candidate_types else (),
            protect_terminals=protect_terminals,
            flow_types=tuple(_refs(flow_types)),
            reroute=reroute.value,
            runs=runs,
            seed=seed,
        )
        plan = plan_interdiction(graph, _refs(sources), _refs(sinks), options)
        if html_out is not None:
            write_html(graph, html_out, plan.targets, title="interdiction plan")
        return plan

    plan = _run(work)
    if as_json:
        _print_json(plan.to_dict())
        return
    bound = "" if plan.bound is None else f"; no plan leaves less than {plan.bound:g}"
    gap = "" if plan.gap is None else f" (gap {plan.gap:.1%})"
    _out.print(
        f"{plan.method} ({plan.status}{gap}): {plan.why}{bound}\n"
        f"flow {plan.flow_before:g} -> {plan.flow_after:g}; rerouting model: {plan.reroute_model}"
    )
    table = Table("target", "label")
    for t in plan.targets:
        node = graph.nodes.get(t)
        table.add_row(escape(t), escape(node.label if node else t))
    _out.print(table)
    table = Table("strategy", "flow cut", "share", "after rerouting", "share", "seconds")
    for o in plan.outcomes:
        table.add_row(
            o.strategy,
            f"{o.flow_before - o.flow_after:g}",
            f"{o.cut_share:.1%}",
            f"{o.flow_before - o.flow_rerouted:g}",
            f"{o.rerouted_cut_share:.1%}",
            f"{o.seconds:.2f}",
        )
    _out.print(table)


def _read_costs(graph: Graph, path: Path) -> dict[str, float]:
    import csv

    out: dict[str, float] = {}
    try:
        rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot be read ({exc.strerror})") from exc
    for n, row in enumerate(rows[1:], start=2):
        if len(row) < 2 or not row[0].strip():
            continue
        node = graph.find(row[0].strip())
        if node is None:
            raise InvalidInput(f"{path}: line {n}: no node {row[0].strip()!r}")
        try:
            out[node] = float(row[1])
        except ValueError as exc:
            raise InvalidInput(f"{path}: line {n}, field cost: not a number: {row[1]!r}") from exc
    return out


@app.command("export")
def export_cmd(
    graph_dir: _GraphArg,
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write.")],
    fmt: Annotated[
        ExportFormat | None, typer.Option("--format", help="Default: from the extension.")
    ] = None,
    targets: Annotated[
        str | None,
        typer.Option("--targets", help=f"Highlight these (or a `plan --json` file). {_NODES_HELP}"),
    ] = None,
) -> None:
    """Export to GraphML, GEXF (Gephi) or a self-contained interactive HTML view."""
    graph = _run(lambda: read_graph(graph_dir))

    def work() -> None:
        chosen = fmt.value if fmt else output.suffix.lstrip(".").lower()
        if chosen not in ExportFormat.__members__:
            raise InvalidInput(f"{output}: say --format graphml, gexf or html")
        marked = _targets(graph, targets) if targets else []
        if chosen == "graphml":
            write_graphml(graph, output, marked)
        elif chosen == "gexf":
            write_gexf(graph, output, marked)
        else:
            write_html(graph, output, marked)
        _err.print(f"{escape(str(output))}: {len(graph.nodes):,} nodes, {len(graph.edges):,} edges")

    _run(work)


def _targets(graph: Graph, text: str) -> list[str]:
    path = Path(text[1:] if text.startswith("@") else text)
    if path.suffix == ".json" and path.exists():
        data = json.loads(path.read_text(encoding="utf-8"))
        return [str(t) for t in data.get("targets", [])]
    refs = _refs(text)
    edges = [r for r in refs if " -> " in r]
    nodes = (
        resolve_refs(graph, [r for r in refs if " -> " not in r], "targets")
        if len(edges) < len(refs)
        else []
    )
    return nodes + edges
