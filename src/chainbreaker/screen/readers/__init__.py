"""Reading manifests and orders into the record schema, any size, bad rows reported.

```python
for result in read_records(Path("day.csv")):          # profile detected from the header
    engine.screen(result.batch)                        # rows of SHIPMENT_SCHEMA
    problems.extend(result.bad)                        # BadRecord(file, row, field, why)
```

Formats by extension: .csv, .tsv/.tab, .txt (delimiter sniffed), .parquet/.pq, .jsonl/.ndjson/
.json (JSON lines), .xlsx/.xlsm. Built-in profiles: postal, express, de_minimis, order (see
`data/profiles/*.yaml` and docs/manifests.md); a mapping file names the columns of any other
layout. Rows sharing a record id CONSECUTIVELY make one record with several goods lines.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from chainbreaker.collector import collector_paused
from chainbreaker.errors import DataError
from chainbreaker.screen.models import BadRecord
from chainbreaker.screen.readers.assemble import RecordAssembler
from chainbreaker.screen.readers.columnar import ParquetSource
from chainbreaker.screen.readers.jsonlines import JsonLinesSource
from chainbreaker.screen.readers.layout import Layout, choose_profile, compile_layout
from chainbreaker.screen.readers.mapping import load_mapping
from chainbreaker.screen.readers.profiles import PROFILES, Profile, builtin_profile
from chainbreaker.screen.readers.source import RowSource
from chainbreaker.screen.readers.tabular import CsvSource, ExcelSource

__all__ = [
    "FORMATS",
    "PROFILES",
    "ReadResult",
    "detect_profile",
    "load_mapping",
    "open_layout",
    "read_records",
]

#: File extensions read, and the format each stands for.
FORMATS: dict[str, str] = {
    ".csv": "csv",
    ".txt": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".xlsx": "excel",
    ".xlsm": "excel",
}


@dataclass(frozen=True)
class ReadResult:
    """What the reader yields, batch by batch."""

    batch: pa.RecordBatch  # rows of SHIPMENT_SCHEMA, one per shipment/order
    bad: list[BadRecord]  # rows skipped in this chunk (file, row, field, why)
    rows_read: int  # input rows consumed in this chunk (for progress)
    bytes_read: int  # input bytes consumed so far in this file, when known (for progress)
    profile: str = ""  # the profile (or mapping name) the file was read with


def _open(path: Path, encoding: str | None) -> RowSource:
    if not path.is_file():
        raise DataError(f"{path}: no such file")
    suffix = path.suffix.lower()
    kind = FORMATS.get(suffix)
    if kind is None:
        if suffix == ".xls":
            raise DataError(f"{path}: old Excel format (.xls): save it as .xlsx or CSV")
        raise DataError(
            f"{path}: unknown format {suffix or '(no extension)'!r}; "
            f"read: {', '.join(sorted(FORMATS))}"
        )
    if kind == "csv":
        return CsvSource(path, encoding=encoding)
    if kind == "tsv":
        return CsvSource(path, tab=True, encoding=encoding)
    if kind == "parquet":
        return ParquetSource(path)
    if kind == "excel":
        return ExcelSource(path)
    with path.open("rb") as fh:
        if fh.read(64).lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"["):
            raise DataError(f"{path}: a JSON array; write one JSON object per line (JSON lines)")
    return JsonLinesSource(path, encoding=encoding)


def _profile(profile: str | None, mapping: Path | None) -> Profile | None:
    if mapping is not None:
        return load_mapping(Path(mapping), base=profile)
    if profile is not None:
        return builtin_profile(profile)
    return None


def open_layout(
    path: Path, *, profile: str | None = None, mapping: Path | None = None
) -> tuple[RowSource, Layout]:
    """The open source of a file and the layout it is read with (the caller closes the source)."""
    path = Path(path)
    chosen = _profile(profile, mapping)
    source = _open(path, chosen.encoding if chosen else None)
    try:
        if chosen is None:
            chosen = choose_profile(source.columns, str(path))
        if isinstance(source, JsonLinesSource):
            source.widen(chosen.columns)
        return source, compile_layout(source.columns, chosen, str(path))
    except BaseException:
        source.close()
        raise


def detect_profile(path: Path) -> str:
    """The built-in profile that fits the file's header; DataError when none does."""
    source = _open(Path(path), None)
    try:
        return choose_profile(source.columns, str(path)).name
    finally:
        source.close()


def read_records(
    path: Path,
    *,
    profile: str | None = None,
    mapping: Path | None = None,
    batch_size: int = 10_000,
) -> Iterator[ReadResult]:
    """The records of a manifest or order file, batch by batch, with the bad rows of each.

    `profile`: "postal", "express", "de_minimis" or "order", or None to detect it from the
    header; `mapping`: a YAML file naming the input's columns (for any other layout; `profile`
    is then its base). Memory stays bounded by `batch_size` rows whatever the file's size.
    Raises DataError, naming the file, for an unreadable file, an unknown format or profile,
    or a header that fits no profile.
    """
    if batch_size < 1:
        raise DataError(f"{path}: batch_size must be at least 1, not {batch_size}")
    source, layout = open_layout(Path(path), profile=profile, mapping=mapping)
    try:
        assembler = RecordAssembler(layout, str(path))
        wanted = {i for sources in layout.plan.values() for i, _ in sources}
        chunks = source.chunks(batch_size, wanted)
        with collector_paused():
            chunk = next(chunks, None)
        while chunk is not None:
            with collector_paused():  # the reader's own work on a chunk makes no cycles
                following = next(chunks, None)
                if len(source.columns) != len(layout.columns):  # JSON keys first seen late
                    layout = compile_layout(source.columns, layout.profile, str(path))
                    assembler.relayout(layout)
                    width = len(layout.columns)
                    chunk.rows = [[*r, *[None] * (width - len(r))] for r in chunk.rows]
                batch, bad = assembler.feed(chunk.rows, chunk.numbers, final=following is None)
                if chunk.bad:
                    bad = sorted(chunk.bad + bad, key=lambda b: b.row)
                result = ReadResult(
                    batch, bad, chunk.rows_read, chunk.bytes_read, layout.profile.name
                )
            yield result
            chunk = following
    finally:
        source.close()
