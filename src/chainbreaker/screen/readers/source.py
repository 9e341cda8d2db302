"""What every format reader gives the assembler: a header and chunks of raw rows.

A source opens one file, knows its columns, and yields `RawChunk`s: rows as sequences aligned
with the columns (cells as the format gives them: text from CSV, numbers and dates from Parquet,
JSON or Excel), each with its row number, plus the rows the format itself could not split (a
CSV row over the field-size limit, a line that is not JSON), already reported as `BadRecord`s.

Row numbers: the first row after the header is row 1 (in a CSV without multi-line cells, row N
is on line N + 1; in a sheet whose header is in row 1, row N is sheet row N + 1); in JSON lines
the row is the line number. Empty rows are counted but are not data: they are skipped silently.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from chainbreaker.screen.models import BadRecord

__all__ = ["RawChunk", "RowSource"]


@dataclass
class RawChunk:
    """Up to batch_size input rows of one file."""

    rows: list[Sequence[Any]] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)
    bad: list[BadRecord] = field(default_factory=list)
    rows_read: int = 0
    bytes_read: int = 0


class RowSource(Protocol):
    """One open input file."""

    columns: list[str]

    def chunks(self, batch_size: int, wanted: set[int]) -> Iterator[RawChunk]:
        """The file's rows in chunks; `wanted` are the column indexes read (others may be None)."""
        ...

    def close(self) -> None:
        """Release the file."""
        ...
