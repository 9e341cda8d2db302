"""Reading line-oriented input files for the command line: any size, bad bytes reported.

A line that is not valid UTF-8 is not dropped: it is decoded with replacement characters and
carries a `problem` naming the file, the line and the byte offset, for the caller to report
and count.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import typer
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn


@dataclass(frozen=True, slots=True)
class InputLine:
    """One line of input, without its line ending."""

    number: int  # 1-based
    text: str
    size: int  # bytes read, line ending included
    problem: str | None = None


def check_input(path: str) -> int | None:
    """Fail early, as a usage error, on a missing file; its size in bytes (None for stdin)."""
    if path == "-":
        return None
    p = Path(path)
    if not p.is_file():
        raise typer.BadParameter(f"{path}: no such file")
    return p.stat().st_size


def read_lines(path: str) -> Iterator[InputLine]:
    """The lines of a file ('-': standard input), decoded as UTF-8 (a leading BOM is dropped)."""
    check_input(path)
    if path == "-":
        yield from _decode(sys.stdin.buffer, "<stdin>")
        return
    with Path(path).open("rb") as handle:
        yield from _decode(handle, path)


def _decode(handle: BinaryIO, name: str) -> Iterator[InputLine]:
    for number, raw in enumerate(handle, start=1):
        body = raw.rstrip(b"\r\n")
        if number == 1 and body.startswith(b"\xef\xbb\xbf"):
            body = body[3:]
        try:
            yield InputLine(number, body.decode("utf-8"), len(raw))
        except UnicodeDecodeError as exc:
            problem = (
                f"{name}:{number}: not valid UTF-8 at byte {exc.start + 1} "
                f"({body[exc.start : exc.start + 1].hex()}); bad bytes replaced"
            )
            yield InputLine(number, body.decode("utf-8", "replace"), len(raw), problem)


@contextmanager
def progress(console: Console, label: str, total: int | None) -> Iterator[Callable[[int], None]]:
    """A progress bar by bytes on the console when it is a terminal; otherwise nothing."""
    if not console.is_terminal or total is None or total < 1_000_000:
        yield lambda _n: None
        return
    columns = (
        TextColumn(label),
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(label, total=total)
        yield lambda n: bar.advance(task, n)
