"""Streaming table writers: CSV, Parquet or JSON lines, one chunk of rows at a time.

Memory holds one chunk; the files grow as chunks arrive. Numeric columns are floats in
Parquet and numbers in JSON; CSV writes Python's shortest form of each number.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

import pyarrow as pa
import pyarrow.parquet as pq

__all__ = ["FORMATS", "TableWriter", "extension"]

FORMATS = ("csv", "parquet", "jsonl")


def extension(fmt: str) -> str:
    """The file extension of a format."""
    return {"csv": "csv", "parquet": "parquet", "jsonl": "jsonl"}[fmt]


class TableWriter:
    """Writes rows of fixed columns to one file in one format."""

    def __init__(
        self, path: Path, columns: Sequence[str], numeric: frozenset[str], fmt: str
    ) -> None:
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
        self.path = path
        self.columns = tuple(columns)
        self.fmt = fmt
        self.rows = 0
        self._handle: IO[str] | None = None
        self._csv: Any = None
        self._parquet: pq.ParquetWriter | None = None
        self._numeric = [c in numeric for c in self.columns]
        if fmt == "parquet":
            fields = [
                pa.field(c, pa.float64() if n else pa.string())
                for c, n in zip(self.columns, self._numeric, strict=True)
            ]
            self._schema = pa.schema(fields)
            self._parquet = pq.ParquetWriter(path, self._schema, compression="zstd")
        else:
            self._handle = path.open("w", encoding="utf-8", newline="")
            if fmt == "csv":
                self._csv = csv.writer(self._handle, lineterminator="\n")
                self._csv.writerow(self.columns)

    def write(self, rows: list[list[Any]]) -> None:
        """Append rows (each a list in column order)."""
        if not rows:
            return
        self.rows += len(rows)
        if self._csv is not None:
            self._csv.writerows(rows)
        elif self._parquet is not None:
            arrays = []
            for i, column in enumerate(zip(*rows, strict=True)):
                if self._numeric[i]:
                    arrays.append(
                        pa.array([None if v == "" else float(v) for v in column], pa.float64())
                    )
                else:
                    arrays.append(pa.array([str(v) for v in column], pa.string()))
            self._parquet.write_table(pa.Table.from_arrays(arrays, schema=self._schema))
        elif self._handle is not None:
            names = self.columns
            dumps = json.dumps
            self._handle.write(
                "".join(
                    dumps(dict(zip(names, row, strict=True)), ensure_ascii=False) + "\n"
                    for row in rows
                )
            )

    def close(self) -> None:
        """Finish the file."""
        if self._parquet is not None:
            self._parquet.close()
        if self._handle is not None:
            self._handle.close()
