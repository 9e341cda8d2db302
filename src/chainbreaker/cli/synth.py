"""`chainbreaker synth`: synthetic manifests with planted cases, for demos and benchmarks."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from chainbreaker.errors import ChainbreakerError
from chainbreaker.synth.manifests import write_manifests
from chainbreaker.synth.network import write_network

app = typer.Typer(
    help="Make synthetic manifests with planted cases and their labels.",
    no_args_is_help=True,
)

_err = Console(stderr=True, highlight=False, soft_wrap=True)


class ProfileChoice(StrEnum):
    """The manifest layouts `synth manifests` writes."""

    all = "all"
    postal = "postal"
    express = "express"
    de_minimis = "de_minimis"
    order = "order"


class FormatChoice(StrEnum):
    """The file formats of the manifests."""

    csv = "csv"
    parquet = "parquet"
    jsonl = "jsonl"


@app.command("manifests")
def manifests_cmd(
    rows: Annotated[
        int, typer.Option("--rows", min=0, help="Number of records (shipments and orders) in all.")
    ],
    seed: Annotated[
        int, typer.Option("--seed", help="Random seed: the same seed gives the same files.")
    ],
    output: Annotated[
        Path, typer.Option("--output", help="Folder to write into (created when missing).")
    ],
    profile: Annotated[
        ProfileChoice,
        typer.Option("--profile", help="Which layout; 'all' splits the records 35/20/35/10."),
    ] = ProfileChoice.all,
    fmt: Annotated[
        FormatChoice, typer.Option("--format", help="File format of the manifests.")
    ] = FormatChoice.csv,
) -> None:
    """Write a day's manifests (postal, express, de minimis, orders), labels.csv, watchlist.csv
    (OFAC sdn.csv form) and indicators.csv into OUTPUT."""
    try:
        if _err.is_terminal and rows >= 100_000:
            columns = (
                TextColumn("records"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
            )
            with Progress(*columns, console=_err, transient=True) as bar:
                task = bar.add_task("records", total=rows)
                result = write_manifests(
                    output, rows, seed, profile.value, fmt.value, lambda n: bar.advance(task, n)
                )
        else:
            result = write_manifests(output, rows, seed, profile.value, fmt.value)
    except ChainbreakerError as exc:
        _err.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(1) from exc
    except OSError as exc:
        _err.print(f"[red]error:[/red] {escape(str(output))}: {escape(exc.strerror or str(exc))}")
        raise typer.Exit(1) from exc
    total = sum(result.records.values())
    planted = sum(result.planted.values())
    rate = total / result.seconds if result.seconds else 0.0
    for name, path in result.files.items():
        extra = ""
        if name in result.records:
            extra = f": {result.records[name]:,} records, {result.rows[name]:,} rows"
        _err.print(f"{escape(str(path))}{extra}")
    kinds = ", ".join(f"{k} {v:,}" for k, v in sorted(result.planted.items()))
    share = planted / total if total else 0.0
    _err.print(
        f"{total:,} records in {result.seconds:.1f} s ({rate:,.0f} records/s); "
        f"planted {planted:,} ({share:.1%}){': ' + kinds if kinds else ''}"
    )


@app.command("network")
def network_cmd(
    edges: Annotated[
        int, typer.Option("--edges", min=10, help="About how many observed edge records.")
    ],
    seed: Annotated[int, typer.Option("--seed", help="Random seed: same seed, same files.")],
    output: Annotated[Path, typer.Option("--output", help="Folder to write into.")],
    variants: Annotated[
        float,
        typer.Option(
            "--variants", min=0.0, max=1.0, help="Share of records spelling a name differently."
        ),
    ] = 0.0,
) -> None:
    """Write a layered supply network (suppliers -> brokers -> forwarders -> labs) with ground
    truth: edges.csv (with latent alternative links), truth.csv, sources.txt, sinks.txt."""
    try:
        result = write_network(output, edges, seed, variants)
    except OSError as exc:
        _err.print(f"[red]error:[/red] {escape(str(output))}: {escape(exc.strerror or str(exc))}")
        raise typer.Exit(1) from exc
    for path in result.files.values():
        _err.print(escape(str(path)))
    _err.print(
        f"{result.nodes:,} companies, {result.edges:,} edge records, {result.latent:,} latent "
        f"alternatives in {result.seconds:.1f} s"
    )
