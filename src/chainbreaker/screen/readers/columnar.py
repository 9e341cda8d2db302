"""Parquet source: row groups stream through `ParquetFile.iter_batches`, read columns only."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from chainbreaker.errors import DataError
from chainbreaker.screen.readers.source import RawChunk

__all__ = ["ParquetSource"]


class ParquetSource:
    """A Parquet file; columns no field reads are not even decoded."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self._file = pq.ParquetFile(path)
        except (OSError, pa.ArrowException) as exc:
            raise DataError(f"{path}: cannot be read as Parquet ({exc})") from exc
        self.columns: list[str] = list(self._file.schema_arrow.names)
        self._total = self._file.metadata.num_rows
        self._size = path.stat().st_size

    def chunks(self, batch_size: int, wanted: set[int]) -> Iterator[RawChunk]:
        """Rows of the file in chunks of `batch_size`."""
        names = [self.columns[i] for i in sorted(wanted)]
        done = 0
        try:
            for batch in self._file.iter_batches(batch_size=batch_size, columns=names):
                by_name = dict(zip(names, batch.columns, strict=True))
                cells: list[Any] = [
                    by_name[name].to_pylist() if name in by_name else itertools.repeat(None)
                    for name in self.columns
                ]
                rows = list(zip(*cells, strict=False))  # repeat(None) is endless
                numbers = list(range(done + 1, done + len(rows) + 1))
                done += batch.num_rows
                size = int(self._size * done / self._total) if self._total else self._size
                yield RawChunk(rows, numbers, [], batch.num_rows, size)  # type: ignore[arg-type]
        except (OSError, pa.ArrowException) as exc:
            raise DataError(
                f"{self.path}: cannot be read as Parquet after row {done} ({exc})"
            ) from exc

    def close(self) -> None:
        """Close the file."""
        self._file.close()
