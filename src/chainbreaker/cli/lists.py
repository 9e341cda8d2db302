"""`chainbreaker lists`: download the official sanctions lists and see what is stored."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from chainbreaker.errors import ChainbreakerError, InvalidInput
from chainbreaker.parties.fetch import fetch_list
from chainbreaker.parties.store import FetchedList, ListStore

app = typer.Typer(
    help="Download the official sanctions lists (OFAC, UN, EU) and see what is stored.",
    no_args_is_help=True,
)

_out = Console(highlight=False, soft_wrap=True)
_err = Console(stderr=True, highlight=False, soft_wrap=True)


class Source(StrEnum):
    """The publishers `lists fetch` knows."""

    ofac = "ofac"
    un = "un"
    eu = "eu"


@app.command("fetch")
def fetch_cmd(
    source: Annotated[Source, typer.Argument(help="Which list: ofac (SDN), un or eu.")],
    url: Annotated[
        str | None,
        typer.Option(
            "--url",
            metavar="URL",
            help="Download from URL instead of the publisher's address (required for eu, whose "
            "address carries a personal token). A URL ending in '/' is a folder holding the "
            "publisher's file names.",
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option("--force", help="Store the list even if it has far fewer entities."),
    ] = False,
) -> None:
    """Download a list from its publisher, check it and store it with its date."""
    store = ListStore()
    _err.print(f"Downloading the {source.value} list into {escape(str(store.lists_dir))} ...")
    try:
        got = fetch_list(source.value, store, url=url, force=force)
    except InvalidInput as exc:
        raise typer.BadParameter(str(exc)) from exc
    except ChainbreakerError as exc:
        _err.print(f"[red]error[/]: {escape(str(exc))}")
        raise typer.Exit(1) from exc
    when = got.published + (
        " (the download date: the file carries none)" if got.published_from == "download" else ""
    )
    skipped = f"; {got.problems} records skipped (see `lists show`)" if got.problems else ""
    _out.print(
        f"Stored {escape(got.title)} ({got.list_id}): {got.entities:,} entities{skipped}, "
        f"published {when}, sha256 {got.sha256[:12]}, in {escape(str(got.path))}"
    )


@app.command("show")
def show_cmd(
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON object per stored list per line.")
    ] = False,
) -> None:
    """Show the lists fetched into the store: source, dates, size, hash and file."""
    store = ListStore()
    try:
        fetched = store.fetched()
    except ChainbreakerError as exc:
        _err.print(f"[red]error[/]: {escape(str(exc))}")
        raise typer.Exit(1) from exc
    if as_json:
        for item in fetched:
            sys.stdout.write(json.dumps(item.to_dict(), ensure_ascii=False) + "\n")
        return
    if not fetched:
        _err.print(
            f"No list fetched into {escape(str(store.root))} yet; "
            "run `chainbreaker lists fetch ofac` (or un, eu)."
        )
        return
    _out.print(_table(fetched, store.root))


def _table(fetched: list[FetchedList], root: Path) -> Table:
    notes = [f"paths under {escape(str(root))}"]
    if any(item.published_from == "download" for item in fetched):
        notes.append("* the download date: the file carries no date")
    table = Table(caption="; ".join(notes))
    table.add_column("List", overflow="fold")
    table.add_column("Source", overflow="fold")
    table.add_column("Published", no_wrap=True)
    table.add_column("Fetched at", overflow="fold", max_width=16)
    table.add_column("Entities", justify="right", overflow="fold")
    table.add_column("sha256", overflow="fold")
    table.add_column("Path", overflow="fold", min_width=20)
    for item in fetched:
        entities = f"{item.entities:,}"
        if item.problems:
            entities += f" ({item.problems:,} skipped)"
        path = Path(item.path)
        table.add_row(
            escape(item.list_id),
            escape(item.source),
            item.published + ("*" if item.published_from == "download" else ""),
            item.fetched_at[:16].replace("T", " "),
            entities,
            item.sha256[:10],
            escape(str(path.relative_to(root) if path.is_relative_to(root) else path)),
        )
    return table
