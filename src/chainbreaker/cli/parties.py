"""`chainbreaker parties`: screen people and companies against sanctions and watch lists."""

from __future__ import annotations

import json
import sys
import time
from contextlib import ExitStack
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn, TextIO

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from chainbreaker.cli.text_input import check_input, progress
from chainbreaker.errors import ChainbreakerError, DataError, InvalidInput
from chainbreaker.parties.loaders.countries import country_code
from chainbreaker.parties.loaders.dates import parse_dates
from chainbreaker.parties.models import FORMATS, LoadedList, LoadProblem
from chainbreaker.parties.queries import QueryReader
from chainbreaker.parties.screening import DEFAULT_THRESHOLD, PartyMatch, PartyQuery, Screener
from chainbreaker.parties.store import ListStore

#: Candidates at least this good are reported (the command-line contract).
MIN_SCORE = 0.5
#: Problems shown per list or input file before "... and N more".
_SHOWN_PROBLEMS = 5

app = typer.Typer(
    help="Screen people and companies against sanctions and watch lists, with explained scores.",
    no_args_is_help=True,
)

_out = Console(highlight=False, soft_wrap=True)
_err = Console(stderr=True, highlight=False, soft_wrap=True)

_LIST_HELP = (
    f"A list file, with its format after a colon ({', '.join(FORMATS)}) or detected. "
    "Repeat for several lists. Default: the lists fetched with `chainbreaker lists fetch`."
)
_ListOption = Annotated[
    list[str] | None, typer.Option("--list", "-l", metavar="PATH[:FORMAT]", help=_LIST_HELP)
]
_ThresholdOption = Annotated[
    float,
    typer.Option(
        "--threshold",
        "-t",
        min=0.0,
        max=1.0,
        help="A candidate with a score at least this is a match.",
    ),
]


class QuerySchema(StrEnum):
    """Kinds of party a query may say it is."""

    Person = "Person"
    Company = "Company"


@app.command("screen")
def screen_cmd(
    input_path: Annotated[
        str,
        typer.Argument(
            metavar="INPUT",
            help="CSV with a header (id, name, and optionally schema, country, dob) or JSON "
            "lines with those keys ('-': standard input).",
        ),
    ],
    lists: _ListOption = None,
    threshold: _ThresholdOption = DEFAULT_THRESHOLD,
    output: Annotated[
        str | None,
        typer.Option("--output", "-o", metavar="OUT", help="Write the results to OUT."),
    ] = None,
) -> None:
    """Screen every row of INPUT: one JSON line per row with its candidates, best first."""
    size = check_input(input_path)
    store = ListStore()
    started = time.perf_counter()
    loaded = _load_lists(lists, store)
    screener = Screener(loaded, threshold=threshold, store=store)
    ready = time.perf_counter()
    counts = {"rows": 0, "matched": 0, "candidates": 0}
    with ExitStack() as stack:
        out: TextIO = sys.stdout
        if output is not None:
            try:
                out = stack.enter_context(Path(output).open("w", encoding="utf-8"))
            except OSError as exc:
                _fail(f"{output}: cannot be written ({exc.strerror or exc})")
        advance = stack.enter_context(progress(_err, "screen", size))
        reader = QueryReader(input_path, on_bytes=advance)
        try:
            for query in reader:
                matches = screener.screen(query, min_score=MIN_SCORE)
                record = {"id": query.id, "matches": [m.to_dict() for m in matches]}
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
                counts["rows"] += 1
                counts["matched"] += any(m.match for m in matches)
                counts["candidates"] += len(matches)
        except DataError as exc:
            _fail(str(exc))
    seconds = time.perf_counter() - ready
    _report("bad rows skipped", reader.problems)
    _report("fields ignored", reader.warnings)
    rate = f"{counts['rows'] / seconds:,.0f}" if seconds > 0 else "-"
    _err.print(
        f"{_count(counts['rows'], 'row')} screened, {counts['matched']:,} with a match "
        f"(score >= {threshold:g}), {counts['candidates']:,} candidates >= {MIN_SCORE:g}; "
        f"{_count(len(reader.problems), 'bad row')} skipped; {seconds:.2f} s, {rate} queries/s "
        f"(lists loaded and indexed in {ready - started:.2f} s)"
    )
    _err.print(f"matcher {escape(screener.version)}; {_lists_line(loaded)}")
    if output is not None:
        _err.print(f"results in {escape(output)}")


@app.command("match")
def match_cmd(
    name: Annotated[str, typer.Argument(help="The name to screen.")],
    lists: _ListOption = None,
    schema: Annotated[
        QuerySchema | None, typer.Option("--schema", help="Person or Company.")
    ] = None,
    dob: Annotated[
        str | None,
        typer.Option("--dob", metavar="DATE", help="Date or year of birth (e.g. 1957-04-04)."),
    ] = None,
    country: Annotated[
        str | None,
        typer.Option("--country", metavar="COUNTRY", help="Country: a name or ISO code."),
    ] = None,
    threshold: _ThresholdOption = DEFAULT_THRESHOLD,
    limit: Annotated[
        int, typer.Option("--limit", min=1, help="Show at most this many candidates.")
    ] = 10,
    explain: Annotated[
        int, typer.Option("--explain", min=0, help="Explain this many of the best candidates.")
    ] = 3,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the result as `parties screen` does.")
    ] = False,
) -> None:
    """Screen one name and show the candidates, with the best ones explained in words."""
    born = None
    if dob is not None:
        dates = parse_dates(dob)
        if not dates:
            raise typer.BadParameter(f"{dob!r} is not a date or year of birth", param_hint="--dob")
        born = dates[0]
    code = None
    if country is not None:
        code = country_code(country)
        if code is None:
            raise typer.BadParameter(f"{country!r} is not a known country", param_hint="--country")
    if not name.strip():
        raise typer.BadParameter("the name is empty", param_hint="NAME")
    store = ListStore()
    loaded = _load_lists(lists, store)
    screener = Screener(loaded, threshold=threshold, store=store)
    query = PartyQuery("query", name, schema.value if schema else None, code, born)
    matches = screener.screen(query, min_score=MIN_SCORE, limit=limit)
    if as_json:
        record = {"id": query.id, "matches": [m.to_dict() for m in matches]}
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    elif not matches:
        _out.print(f"No listed party scores {MIN_SCORE:g} or more against {escape(name)!r}.")
    else:
        _out.print(_match_table(matches))
        for rank, match in enumerate(matches[:explain], start=1):
            _out.print(_explained(rank, match))
    _err.print(f"matcher {escape(screener.version)}; {_lists_line(loaded)}")


def _load_lists(specs: list[str] | None, store: ListStore) -> list[LoadedList]:
    """The lists named on the command line, else those fetched into the store."""
    if not specs:
        try:
            fetched = store.fetched()
        except ChainbreakerError as exc:
            _fail(str(exc))
        if not fetched:
            _err.print(
                f"[red]error[/]: no --list given and no list fetched into "
                f"{escape(str(store.root))}; give --list PATH[:FORMAT] or run "
                "`chainbreaker lists fetch ofac` (or un, eu) first"
            )
            raise typer.Exit(2)
        names = ", ".join(f"{f.list_id} ({f.published})" for f in fetched)
        _err.print(f"No --list given: using the lists fetched into the store: {names}")
        specs = [f"{f.path}:{f.format}" for f in fetched]
    loaded: list[LoadedList] = []
    for spec in specs:
        head, colon, tail = spec.rpartition(":")
        unknown = tail.strip().lower() not in FORMATS
        if colon and unknown and not Path(spec).exists() and Path(head).exists():
            why = f"{tail!r} is not a list format; use one of {', '.join(FORMATS)}"
            raise typer.BadParameter(why, param_hint="--list")
        try:
            one = store.open(spec)
        except InvalidInput as exc:
            raise typer.BadParameter(str(exc), param_hint="--list") from exc
        except ChainbreakerError as exc:
            _fail(f"{exc} (from --list {spec})")
        _report(f"records skipped in {one.info.path}", one.problems)
        loaded.append(one)
    for note in store.notes:
        _err.print(f"[yellow]note[/]: {escape(note)}")
    return loaded


def _lists_line(loaded: list[LoadedList]) -> str:
    parts = []
    for one in loaded:
        info = one.info
        published = info.published or "date not in the file"
        parts.append(f"{info.list_id} ({info.format}, {published}, {info.entities:,} entities)")
    return "lists: " + escape("; ".join(parts))


def _report(what: str, problems: list[LoadProblem]) -> None:
    if not problems:
        return
    _err.print(f"[yellow]{len(problems):,} {escape(what)}[/]:")
    for problem in problems[:_SHOWN_PROBLEMS]:
        _err.print(f"  {escape(str(problem))}")
    if len(problems) > _SHOWN_PROBLEMS:
        _err.print(f"  ... and {len(problems) - _SHOWN_PROBLEMS:,} more")


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


def _fail(message: str) -> NoReturn:
    _err.print(f"[red]error[/]: {escape(message)}")
    raise typer.Exit(1)


def _match_table(matches: list[PartyMatch]) -> Table:
    table = Table()
    for column in ("Score", "Match", "List", "Entity", "Listed name", "Matched name"):
        table.add_column(column, overflow="fold")
    for m in matches:
        table.add_row(
            f"{m.score:.2f}",
            "[bold red]yes[/]" if m.match else "no",
            escape(m.list_id),
            escape(m.entity_id),
            escape(m.name),
            escape(m.matched_name),
        )
    return table


def _explained(rank: int, match: PartyMatch) -> str:
    """A candidate's explanation in words: the summary, then each feature and its effect."""
    explanation = match.explanation
    lines = [
        f"[bold]{rank}. {escape(match.name)}[/] ({escape(match.list_id)} "
        f"{escape(match.entity_id)}), score {match.score:.2f}: "
        + escape(str(explanation.get("summary", "")))
    ]
    for feature in explanation.get("features", []):
        effect = []
        if "value" in feature:
            effect.append(f"= {feature['value']:.2f}")
        if feature.get("factor", 1) != 1:
            effect.append(f"x{feature['factor']:g}")
        if feature.get("added"):
            effect.append(f"{feature['added']:+g}")
        label = f"{feature.get('feature', '?')} {' '.join(effect)}".strip()
        lines.append(f"   - {escape(label)}: {escape(str(feature.get('detail', '')))}")
    return "\n".join(lines)
