"""CSV / TSV / text and Excel sources.

CSV is read with the `csv` module from a text stream (C speed, any size, constant memory).
Bytes that are not valid UTF-8 are kept as escapes and reported on the rows that hold them in a
column that is read; a UTF-8 or UTF-16 byte-order mark is honoured; a mapping file may name
another encoding. The delimiter of .csv and .txt files is the most frequent of , ; TAB | in the
header line; .tsv and .tab are tab-separated. Excel (.xlsx) is read with openpyxl in read-only
mode, first sheet, header in its first non-empty row.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from chainbreaker.errors import DataError
from chainbreaker.screen.models import BadRecord
from chainbreaker.screen.readers.source import RawChunk

__all__ = ["CsvSource", "ExcelSource"]

_DELIMITERS = (",", ";", "\t", "|")


def _encoding(path: Path, given: str | None) -> str:
    if given:
        return given
    with path.open("rb") as fh:
        head = fh.read(4)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    return "utf-8-sig"


class CsvSource:
    """A delimited text file."""

    def __init__(self, path: Path, *, tab: bool = False, encoding: str | None = None) -> None:
        self.path = path
        try:
            enc = _encoding(path, encoding)
            self._raw = path.open("rb")
            self._fh = io.TextIOWrapper(
                self._raw, encoding=enc, errors="surrogateescape", newline=""
            )
            first = self._fh.readline()
        except (OSError, LookupError) as exc:
            raise DataError(f"{path}: cannot be read ({exc})") from exc
        if not first.strip():
            self._fh.close()
            raise DataError(f"{path}: empty file, or no header in its first line")
        self.delimiter = "\t" if tab else max(_DELIMITERS, key=first.count)
        header = next(csv.reader([first], delimiter=self.delimiter), [])
        self.columns = [h.strip() for h in header]
        self._size = path.stat().st_size

    def _position(self) -> int:
        try:
            return min(int(self._raw.tell()), self._size)
        except (OSError, ValueError, AttributeError):
            return 0

    def chunks(self, batch_size: int, wanted: set[int]) -> Iterator[RawChunk]:
        """Rows of the file in chunks of `batch_size`."""
        width = len(self.columns)
        reader = csv.reader(self._fh, delimiter=self.delimiter)
        chunk = RawChunk()
        number = 0
        while True:
            try:
                row: Sequence[Any] = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                number += 1
                chunk.rows_read += 1
                why = f"cannot be split into cells: {exc}"
                chunk.bad.append(BadRecord(str(self.path), number, None, why))
                continue
            number += 1
            chunk.rows_read += 1
            if not row or (len(row) == 1 and not row[0].strip()):
                pass  # an empty line is not data
            elif len(row) == width:
                chunk.rows.append(row)
                chunk.numbers.append(number)
            elif len(row) < width:
                chunk.rows.append(list(row) + [None] * (width - len(row)))
                chunk.numbers.append(number)
            elif not any(c.strip() for c in row[width:]):
                chunk.rows.append(row[:width])
                chunk.numbers.append(number)
            else:
                why = f"{len(row)} cells where the header has {width} (a delimiter inside a cell?)"
                chunk.bad.append(BadRecord(str(self.path), number, None, why))
            if chunk.rows_read >= batch_size:
                chunk.bytes_read = self._position()
                yield chunk
                chunk = RawChunk()
        chunk.bytes_read = self._size
        yield chunk

    def close(self) -> None:
        """Close the file."""
        self._fh.close()


class ExcelSource:
    """The first sheet of an .xlsx workbook (read-only: rows stream from the file)."""

    def __init__(self, path: Path) -> None:
        import openpyxl  # slow to import: only when an Excel file is read
        from openpyxl.utils.exceptions import InvalidFileException

        self.path = path
        try:
            self._book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except (OSError, InvalidFileException, KeyError, ValueError) as exc:
            raise DataError(f"{path}: cannot be read as an Excel workbook ({exc})") from exc
        except Exception as exc:  # zipfile.BadZipFile and openpyxl's parse errors
            raise DataError(f"{path}: cannot be read as an Excel workbook ({exc})") from exc
        sheet = self._book.worksheets[0]
        self._rows: Iterator[tuple[Any, ...]] = sheet.iter_rows(values_only=True)
        self._total = sheet.max_row if isinstance(sheet.max_row, int) else None
        self._size = path.stat().st_size
        self.columns: list[str] = []
        self._header_row = 0
        for values in self._rows:
            self._header_row += 1
            if any(v is not None and str(v).strip() for v in values):
                self.columns = [("" if v is None else str(v)).strip() for v in values]
                break
        if not self.columns:
            self.close()
            raise DataError(f"{path}: the first sheet is empty (no header row)")

    def chunks(self, batch_size: int, wanted: set[int]) -> Iterator[RawChunk]:
        """Rows of the sheet in chunks of `batch_size`."""
        width = len(self.columns)
        chunk = RawChunk()
        for number, values in enumerate(self._rows, start=1):
            chunk.rows_read += 1
            if any(v is not None and (not isinstance(v, str) or v.strip()) for v in values):
                row = list(values[:width])
                if len(row) < width:
                    row.extend([None] * (width - len(row)))
                chunk.rows.append(row)
                chunk.numbers.append(number)
            if chunk.rows_read >= batch_size:
                if self._total:
                    done = (self._header_row + number) / self._total
                    chunk.bytes_read = min(self._size, int(self._size * done))
                yield chunk
                chunk = RawChunk()
        chunk.bytes_read = self._size
        yield chunk

    def close(self) -> None:
        """Close the workbook."""
        self._book.close()
