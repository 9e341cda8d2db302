"""`chainbreaker chem`: identify chemicals and find chemical mentions in text."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from datetime import date
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from chainbreaker.chem.identification import Identification
from chainbreaker.chem.identify import Identifier
from chainbreaker.chem.scan import Mention, Scanner
from chainbreaker.cli.text_input import InputLine, check_input, progress, read_lines
from chainbreaker.cli.tour import run_tour

#: Lines scanned together (the scanner is faster on batches); output keeps line order.
_SCAN_BATCH = 5_000

app = typer.Typer(
    help="Identify controlled precursors and fentanyl-related substances; scan text for them.",
    no_args_is_help=True,
)

_out = Console(highlight=False)
_err = Console(stderr=True, highlight=False, soft_wrap=True)


def _parse_date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date; write it as YYYY-MM-DD") from None


def _queries(
    args: list[str], file: str | None, advance: Callable[[int], None]
) -> Iterator[tuple[str, str | None]]:
    """(query, problem reading it) from the arguments, then from the file's lines."""
    for arg in args:
        yield arg, None
    if file is None:
        return
    for line in read_lines(file):
        advance(line.size)
        text = line.text.strip()
        if text and not text.startswith("#"):
            yield text, line.problem


def _classes_cell(result: Identification) -> str:
    parts = []
    for c in result.classes:
        text = c.class_id
        if c.modifications:
            text += " " + "+".join(c.modifications)
        if c.legal_member is False:
            text += " (excluded)"
        if c.designer:
            text += " (designer)"
        parts.append(text)
    return "\n".join(parts) or "-"


def _controls_cell(result: Identification) -> str:
    seen: list[str] = []
    for c in result.controls:
        label = f"{c.jurisdiction} {c.category}"
        if label not in seen:
            seen.append(label)
    return "\n".join(seen) or "-"


def _print_table(results: list[Identification], explain: bool) -> None:
    table = Table(show_lines=True)
    for column in ("Query", "Kind", "Substance", "Controlled", "Classes", "Controls in force"):
        table.add_column(column, overflow="fold")
    for r in results:
        substance = "[red]error[/]" if r.error else "-"
        if r.substance:
            substance = escape(r.substance.name)
        table.add_row(
            escape(r.query),
            r.input_kind,
            substance,
            "[bold red]yes[/]" if r.controlled else "no",
            escape(_classes_cell(r)),
            escape(_controls_cell(r)),
        )
    _out.print(table)
    for r in results:
        if r.error:
            _out.print(f"[red]{escape(r.query)}[/]: {escape(r.error)}")
        elif explain:
            _out.print(f"[bold]{escape(r.query)}[/]: " + escape(" ".join(r.explanation)))


@app.command("identify")
def identify_cmd(
    queries: Annotated[
        list[str] | None, typer.Argument(help="Names, CAS RNs, SMILES, InChI or InChIKeys.")
    ] = None,
    file: Annotated[
        str | None,
        typer.Option(
            "--file",
            "-f",
            metavar="PATH",
            help="Read one query per line from PATH ('-' for standard input).",
        ),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", metavar="DATE", help="Legal status on this date (YYYY-MM-DD)."),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON object per query per line.")
    ] = False,
    explain: Annotated[
        bool | None,
        typer.Option(
            "--explain/--no-explain",
            help="Print the reasons under the table (default: when 20 queries or fewer).",
        ),
    ] = None,
) -> None:
    """Identify chemicals: what each query is, its structure classes and its controls."""
    on = _parse_date(as_of)
    if not queries and file is None:
        raise typer.BadParameter("give at least one QUERY or --file PATH")
    size = check_input(file) if file is not None else None
    identifier = Identifier()
    counts = {"queries": 0, "resolved": 0, "controlled": 0, "errors": 0}
    results: list[Identification] = []
    with progress(_err, "identify", size) as advance:
        for query, problem in _queries(queries or [], file, advance):
            if problem is None:
                result = identifier.identify(query, on)
            else:
                result = Identification(query, "name", on or date.today(), error=problem)
            counts["queries"] += 1
            counts["resolved"] += bool(result.substance or result.classes)
            counts["controlled"] += result.controlled
            counts["errors"] += result.error is not None
            if as_json:
                sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
            else:
                results.append(result)
    if not as_json:
        _print_table(results, explain if explain is not None else len(results) <= 20)
    _err.print(
        f"{counts['queries']} queries: {counts['resolved']} identified, "
        f"{counts['controlled']} controlled, {counts['errors']} could not be read"
    )


def _mention_dict(mention: Mention, identifier: Identifier, on: date | None) -> dict[str, object]:
    if mention.substance_id is not None:
        out = identifier.identify_substance(mention.substance_id, on).to_dict()
    else:
        out = identifier.identify(mention.matched, on).to_dict()
        if mention.cas_error:
            out["error"] = mention.cas_error
    out["query"] = mention.text
    out["span"] = [mention.start, mention.end]
    out["text"] = mention.text
    out["mention_kind"] = mention.kind
    out["matched"] = mention.matched
    out["obfuscated"] = mention.obfuscated
    out["how"] = mention.how
    out["in_longer_name"] = mention.in_longer_name
    return out


@app.command("scan")
def scan_cmd(
    path: Annotated[
        str, typer.Argument(help="Text file to scan, one record per line ('-': stdin).")
    ] = "-",
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON object per line with mentions.")
    ] = False,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", metavar="DATE", help="Legal status on this date (YYYY-MM-DD)."),
    ] = None,
    all_lines: Annotated[
        bool, typer.Option("--all-lines", help="With --json, also print lines without mentions.")
    ] = False,
) -> None:
    """Find chemical names, synonyms and CAS numbers (also obfuscated) in free text."""
    on = _parse_date(as_of)
    size = check_input(path)
    identifier = Identifier()
    scanner = Scanner(identifier.catalog)
    counts = {"lines": 0, "mentions": 0, "controlled": 0, "bad": 0}
    table = Table(show_lines=False)
    for column in ("Line", "Span", "As written", "Resolved to", "Controlled", "How"):
        table.add_column(column, overflow="fold")

    def emit(batch: list[InputLine]) -> None:
        for line, found in zip(batch, scanner.scan_lines([b.text for b in batch]), strict=True):
            if line.problem:
                counts["bad"] += 1
                _err.print(escape(line.problem))
            if not found and not (as_json and all_lines):
                continue
            dicts = [_mention_dict(m, identifier, on) for m in found]
            counts["mentions"] += len(dicts)
            counts["controlled"] += sum(bool(d["controlled"]) for d in dicts)
            if as_json:
                record = {"line": line.number, "text": line.text, "mentions": dicts}
                sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
                continue
            for m, d in zip(found, dicts, strict=True):
                table.add_row(
                    str(line.number),
                    f"{m.start}-{m.end}",
                    escape(m.text),
                    escape(str(d["substance"] or d["error"] or "not in catalog")),
                    "[bold red]yes[/]" if d["controlled"] else "no",
                    escape(m.how),
                )

    batch: list[InputLine] = []
    with progress(_err, "scan", size) as advance:
        for line in read_lines(path):
            counts["lines"] += 1
            advance(line.size)
            batch.append(line)
            if len(batch) >= _SCAN_BATCH:
                emit(batch)
                batch = []
        emit(batch)
    if not as_json:
        _out.print(table)
    _err.print(
        f"{counts['lines']} lines: {counts['mentions']} mentions, {counts['controlled']} of "
        f"controlled substances, {counts['bad']} lines with invalid UTF-8 (replaced, scanned)"
    )


@app.command("tour")
def tour_cmd() -> None:
    """A short guided tour of chainbreaker chem on built-in examples."""
    run_tour(_out)
