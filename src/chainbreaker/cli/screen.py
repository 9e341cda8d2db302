"""`chainbreaker screen`: screen shipments and orders, decisions out, hold list in a report."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn, TextIO

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from chainbreaker.errors import ChainbreakerError, DataError, InvalidInput
from chainbreaker.parties.store import ListStore
from chainbreaker.screen.engines.run import ProgressFn, RunStats
from chainbreaker.screen.models import BadRecord, Decision
from chainbreaker.screen.outputs import open_writer, output_format
from chainbreaker.screen.pipeline import ScreenConfig
from chainbreaker.screen.readers import PROFILES
from chainbreaker.screen.report import BAD_SHOWN, ListUsed, RunFacts, Tally, write_report
from chainbreaker.screen.scoring import check_thresholds, load_scoring

#: Bad rows shown in the summary before "... and N more".
_SHOWN_BAD = 5

_err = Console(stderr=True, highlight=False, soft_wrap=True)


class Engine(StrEnum):
    """Where the records are screened."""

    local = "local"
    spark = "spark"


class ProfileName(StrEnum):
    """Built-in input layouts."""

    postal = "postal"
    express = "express"
    de_minimis = "de_minimis"
    order = "order"


assert tuple(ProfileName) == PROFILES, "ProfileName must list the readers' profiles"

_Path = Annotated[Path | None, typer.Option(dir_okay=False)]


def screen_cmd(
    inputs: Annotated[
        list[Path],
        typer.Argument(
            metavar="INPUT",
            help="Manifests or orders: CSV/TSV, Parquet, JSON lines or Excel (.xlsx).",
            exists=True,
            dir_okay=False,
        ),
    ],
    profile: Annotated[
        ProfileName | None,
        typer.Option(help="The input layout; detected from each file's header when left out."),
    ] = None,
    mapping: Annotated[
        Path | None,
        typer.Option(
            metavar="PATH",
            exists=True,
            dir_okay=False,
            help="A YAML file naming the columns of any other layout (--profile is its base).",
        ),
    ] = None,
    lists: Annotated[
        list[str] | None,
        typer.Option(
            "--list",
            "-l",
            metavar="PATH[:FORMAT]",
            help="A watch list for the parties (repeat for several). Default: the lists "
            "fetched with `chainbreaker lists fetch`; none fetched: parties are not screened.",
        ),
    ] = None,
    with_fetched: Annotated[
        bool,
        typer.Option(
            "--with-fetched",
            help="Also screen against the lists fetched with `chainbreaker lists fetch`.",
        ),
    ] = False,
    indicators: Annotated[
        Path | None,
        typer.Option(metavar="PATH", exists=True, dir_okay=False, help="An indicator file (CSV)."),
    ] = None,
    rules: Annotated[
        Path | None,
        typer.Option(
            metavar="PATH",
            exists=True,
            dir_okay=False,
            help="Your rules (YAML), extending and overriding the built-in ones.",
        ),
    ] = None,
    engine: Annotated[Engine, typer.Option(help="Screen on this machine or on Spark.")] = (
        Engine.local
    ),
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="OUT",
            dir_okay=False,
            help="Write the decisions to OUT: .jsonl, .parquet or .csv (.gz after .jsonl or "
            ".csv compresses). Default: JSON lines on standard output.",
        ),
    ] = None,
    report: Annotated[
        Path | None,
        typer.Option(metavar="HTML", dir_okay=False, help="Write the HTML report to HTML."),
    ] = None,
    bad_rows: Annotated[
        Path | None,
        typer.Option(
            metavar="CSV", dir_okay=False, help="Write every bad row (file,row,field,why) to CSV."
        ),
    ] = None,
    threshold_review: Annotated[
        float | None,
        typer.Option(min=0.0, max=1.0, help="Risk from which a record goes to review."),
    ] = None,
    threshold_hold: Annotated[
        float | None,
        typer.Option(min=0.0, max=1.0, help="Risk from which a record is held."),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(min=1, help="Local engine: worker processes (default: every core)."),
    ] = None,
    master: Annotated[
        str,
        typer.Option(help="Spark engine: the master URL (local[*], spark://host:7077, yarn...)."),
    ] = "local[*]",
) -> None:
    """Screen shipments and orders: one decision per record (clear, review or hold, with the
    hits that made it), a summary at the end, and the hold list in an HTML report."""
    if output is not None:
        try:
            output_format(output)
        except InvalidInput as exc:
            raise typer.BadParameter(str(exc), param_hint="--output") from exc
    thresholds = _thresholds(threshold_review, threshold_hold)
    specs, used = _lists(lists, with_fetched)
    config = ScreenConfig(
        lists=specs,
        indicators=str(indicators.resolve()) if indicators else None,
        rules=str(rules.resolve()) if rules else None,
        thresholds=thresholds,
    )
    stats = RunStats()
    tally = Tally()
    bad_writer: Callable[[BadRecord], None] | None = None
    with ExitStack() as stack:
        if bad_rows is not None:
            handle = stack.enter_context(_create(bad_rows, "--bad-rows"))
            sheet = csv.writer(handle)
            sheet.writerow(["file", "row", "field", "why"])
            bad_writer = _keep_first(stats, sheet.writerow)
        try:
            writer = stack.enter_context(open_writer(output))
        except OSError as exc:
            _fail(f"{output}: cannot be written ({exc.strerror or exc})")
        advance = stack.enter_context(_progress())
        options = {
            "profile": profile.value if profile else None,
            "mapping": mapping,
            "stats": stats,
            "on_progress": advance,
            "on_bad": bad_writer,
        }
        try:
            for decision in _decisions(inputs, config, engine, options, workers, master):
                writer.write(decision)
                tally.add(decision)
        except ChainbreakerError as exc:
            _fail(str(exc))
        except (OSError, RuntimeError) as exc:
            _fail(f"{type(exc).__name__}: {exc}")
        except Exception as exc:  # Spark's errors (Py4J, PySpark) have no common base
            if engine is not Engine.spark:
                raise
            _fail(f"Spark: {type(exc).__name__}: {str(exc).strip().splitlines()[0]}")
    _summary(stats, tally, used, output, report, bad_rows)
    if report is not None:
        facts = RunFacts(
            inputs=stats.inputs,
            engine=stats.engine,
            workers=stats.workers,
            seconds=stats.seconds,
            bad_count=stats.bad_count,
            bad=stats.bad,
            pipeline_version=stats.pipeline_version,
            lists=used,
            indicators=config.indicators,
            rules=config.rules,
            thresholds=thresholds or _default_thresholds(),
            output=str(output) if output else None,
        )
        try:
            write_report(report, tally, facts)
        except OSError as exc:
            _fail(f"{report}: cannot be written ({exc.strerror or exc})")


def _decisions(
    inputs: list[Path],
    config: ScreenConfig,
    engine: Engine,
    options: dict[str, Any],
    workers: int | None,
    master: str,
) -> Iterator[Decision]:
    """The chosen engine's decisions (`options`: the keyword arguments both engines take)."""
    if engine is Engine.spark:
        from chainbreaker.screen.engines.spark import screen_spark

        return screen_spark(inputs, config, master=master, **options)
    from chainbreaker.screen.engines.local import screen_local

    return screen_local(inputs, config, workers=workers, **options)


def _thresholds(review: float | None, hold: float | None) -> tuple[float, float] | None:
    if review is None and hold is None:
        return None
    default_review, default_hold = _default_thresholds()
    chosen = (default_review if review is None else review, default_hold if hold is None else hold)
    try:
        check_thresholds(*chosen)
    except DataError as exc:
        raise typer.BadParameter(
            str(exc), param_hint="--threshold-review/--threshold-hold"
        ) from None
    return chosen


def _default_thresholds() -> tuple[float, float]:
    settings = load_scoring()
    return settings.review, settings.hold


def _lists(
    specs: list[str] | None, with_fetched: bool = False
) -> tuple[tuple[str, ...], list[ListUsed]]:
    """The list specs for the pipeline (absolute paths) and what each list is.

    Each list is opened once here: a list that cannot be read stops the run before any record
    is read, and its prepared copy is ready for the workers. `with_fetched` adds the fetched
    lists to those given.
    """
    store = ListStore()
    if specs and with_fetched:
        try:
            fetched_specs = [f"{f.path}:{f.format}" for f in store.fetched()]
        except ChainbreakerError as exc:
            _fail(str(exc))
        if fetched_specs:
            _err.print(f"Also screening against {len(fetched_specs)} fetched list(s).")
        specs = [*specs, *fetched_specs]
    if not specs:
        try:
            fetched = store.fetched()
        except ChainbreakerError as exc:
            _fail(str(exc))
        if not fetched:
            _err.print(
                "[yellow]note[/]: no --list given and no list fetched: parties are not screened "
                "against any watch list (`chainbreaker lists fetch ofac` fetches one)"
            )
            return (), []
        specs = [f"{f.path}:{f.format}" for f in fetched]
        names = ", ".join(f"{f.list_id} ({f.published})" for f in fetched)
        _err.print(f"No --list given: using the lists fetched into the store: {escape(names)}")
    resolved: list[str] = []
    used: list[ListUsed] = []
    for spec in specs:
        try:
            loaded = store.open(spec)
        except InvalidInput as exc:
            raise typer.BadParameter(str(exc), param_hint="--list") from exc
        except ChainbreakerError as exc:
            _fail(f"{exc} (from --list {spec})")
        info = loaded.info
        fmt = info.format
        resolved.append(f"{Path(info.path).resolve()}:{fmt}")
        used.append(ListUsed(info.list_id, info.title, info.published, info.entities))
    return tuple(resolved), used


def _keep_first(
    stats: RunStats, write: Callable[[list[object]], object]
) -> Callable[[BadRecord], None]:
    """Write each bad row out, keeping the first ones for the summary and the report."""

    def take(bad: BadRecord) -> None:
        write([bad.file, bad.row, bad.field or "", bad.why])
        if len(stats.bad) < BAD_SHOWN:
            stats.bad.append(bad)

    return take


@contextmanager
def _create(path: Path, option: str) -> Iterator[TextIO]:
    try:
        handle = path.open("w", encoding="utf-8", newline="")
    except OSError as exc:
        _fail(f"{path} ({option}): cannot be written ({exc.strerror or exc})")
    with handle:
        yield handle


@contextmanager
def _progress() -> Iterator[ProgressFn]:
    """Bars for reading (bytes) then screening (records), when standard error is a terminal."""
    if not _err.is_terminal:
        yield lambda _phase, _done, _total: None
        return
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=_err, transient=True) as bar:
        tasks: dict[str, object] = {}

        def advance(phase: str, done: int, total: int | None) -> None:
            if phase not in tasks:
                label = "reading (bytes)" if phase == "read" else "screening (records)"
                tasks[phase] = bar.add_task(label, total=total)
            bar.update(tasks[phase], completed=done, total=total)  # type: ignore[arg-type]

        yield advance


def _summary(
    stats: RunStats,
    tally: Tally,
    used: list[ListUsed],
    output: Path | None,
    report: Path | None,
    bad_rows: Path | None,
) -> None:
    if stats.bad_count:
        _err.print(f"[yellow]{_count(stats.bad_count, 'bad row')} skipped[/]:")
        for bad in stats.bad[:_SHOWN_BAD]:
            _err.print(f"  {escape(str(bad))}")
        if stats.bad_count > _SHOWN_BAD:
            more = f"  ... and {stats.bad_count - _SHOWN_BAD:,} more"
            where = f" (all in {bad_rows})" if bad_rows else ""
            _err.print(escape(more + where))
    total = tally.records
    shares = ", ".join(
        f"{tally.verdicts[v]:,} {v}"
        + (f" ({100 * tally.verdicts[v] / total:.1f}%)" if total else "")
        for v in ("clear", "review", "hold")
    )
    rate = stats.records_per_second
    speed = f"{rate:,.0f} records/s" if rate else "-"
    _err.print(
        f"{_count(total, 'record')} screened: {shares}; {_count(stats.bad_count, 'bad row')} "
        f"skipped; {stats.seconds:.2f} s ({stats.read_seconds:.2f} s reading, "
        f"{stats.setup_seconds:.2f} s loading the pipeline), {speed}; "
        f"{stats.engine} engine, {_count(stats.workers, 'worker')}"
    )
    lists = "; ".join(f"{x.list_id} ({x.published or 'date not in the file'})" for x in used)
    _err.print(escape(f"pipeline {stats.pipeline_version or '-'}; lists: {lists or 'none'}"))
    outputs = [f"decisions in {output}" if output else "decisions on standard output"]
    if report:
        outputs.append(f"report in {report}")
    if bad_rows:
        outputs.append(f"bad rows in {bad_rows}")
    _err.print(escape("; ".join(outputs)))


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


def _fail(message: str) -> NoReturn:
    _err.print(f"[red]error[/]: {escape(message)}")
    raise typer.Exit(1)
