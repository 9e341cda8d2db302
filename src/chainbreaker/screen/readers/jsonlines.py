"""JSON lines source: one JSON object per line, read line by line.

Nested objects are flattened ("shipper": {"name": ...} is the column "shipper_name"); the first
list of objects in a line ("items": [{...}, {...}]) gives one row per element, each with the
line's other fields, so the elements become the goods lines of one record. A line that is not
JSON, or not an object, is a bad row; an empty line is skipped. The row number is the line.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from chainbreaker.errors import DataError
from chainbreaker.screen.models import BadRecord
from chainbreaker.screen.readers.profiles import column_key
from chainbreaker.screen.readers.source import RawChunk

__all__ = ["JsonLinesSource"]

_SCAN_LINES = 1000  # lines read ahead to find the columns for profile detection


def _flatten(obj: dict[str, Any], prefix: str, out: dict[str, Any]) -> list[Any] | None:
    """Flatten `obj` into `out`; return the first list of objects found (not flattened)."""
    items: list[Any] | None = None
    for key, value in obj.items():
        name = f"{prefix}_{key}" if prefix else str(key)
        if isinstance(value, dict):
            found = _flatten(value, name, out)
            items = items if items is not None else found
        elif (
            isinstance(value, list)
            and value
            and all(isinstance(v, dict) for v in value)
            and items is None
        ):
            items = value
        else:
            out[column_key(name)] = value
    return items


def _rows(obj: dict[str, Any]) -> list[dict[str, Any]]:
    top: dict[str, Any] = {}
    items = _flatten(obj, "", top)
    if not items:
        return [top]
    rows = []
    for item in items:
        row = dict(top)
        _flatten(item, "", row)
        rows.append(row)
    return rows


def _pad(chunk: RawChunk, width: int) -> None:
    for row in chunk.rows:
        if len(row) < width:
            row.extend([None] * (width - len(row)))  # type: ignore[attr-defined]


class JsonLinesSource:
    """A JSON-lines file."""

    def __init__(self, path: Path, *, encoding: str | None = None) -> None:
        self.path = path
        self._encoding = encoding or "utf-8-sig"
        keys: dict[str, None] = {}
        try:
            with path.open(encoding=self._encoding, errors="surrogateescape") as fh:
                for n, line in enumerate(fh):
                    if n >= _SCAN_LINES:
                        break
                    try:
                        obj = json.loads(line)
                    except ValueError:
                        continue
                    if isinstance(obj, dict):
                        for row in _rows(obj):
                            keys.update(dict.fromkeys(row))
            self._raw = path.open("rb")
            self._fh = io.TextIOWrapper(
                self._raw, encoding=self._encoding, errors="surrogateescape"
            )
        except (OSError, LookupError) as exc:
            raise DataError(f"{path}: cannot be read ({exc})") from exc
        if not keys:
            self._fh.close()
            raise DataError(f"{path}: no JSON object in its first {_SCAN_LINES} lines")
        self.columns: list[str] = list(keys)
        self._readable: set[str] = set()
        self._size = path.stat().st_size

    def widen(self, names: Iterable[str]) -> None:
        """Column spellings a profile reads: a key first seen after the scan becomes a column."""
        self._readable = {column_key(n) for n in names}

    def chunks(self, batch_size: int, wanted: set[int]) -> Iterator[RawChunk]:
        """Rows of the file in chunks of `batch_size` lines."""
        index = {name: i for i, name in enumerate(self.columns)}
        chunk = RawChunk()
        for number, line in enumerate(self._fh, start=1):
            chunk.rows_read += 1
            if line.strip():
                try:
                    obj = json.loads(line)
                    if not isinstance(obj, dict):
                        raise ValueError(f"a JSON {type(obj).__name__}, not an object")
                except ValueError as exc:
                    why = f"not a JSON object: {exc}"
                    chunk.bad.append(BadRecord(str(self.path), number, None, why))
                else:
                    for flat in _rows(obj):
                        row: list[Any] = [None] * len(self.columns)
                        for key, value in flat.items():
                            i = index.get(key)
                            if i is None and key in self._readable:
                                i = index[key] = len(self.columns)  # a column first seen late
                                self.columns.append(key)
                                row.append(None)
                            if i is not None:
                                row[i] = value
                        chunk.rows.append(row)
                        chunk.numbers.append(number)
            if chunk.rows_read >= batch_size:
                _pad(chunk, len(self.columns))
                chunk.bytes_read = min(self._size, int(self._raw.tell()))
                yield chunk
                chunk = RawChunk()
        _pad(chunk, len(self.columns))
        chunk.bytes_read = self._size
        yield chunk

    def close(self) -> None:
        """Close the file."""
        self._fh.close()
