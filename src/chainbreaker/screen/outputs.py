"""Writing decisions: JSON lines, Parquet or CSV, chosen from the output file's extension.

Every writer streams: JSON lines and CSV write a line per decision, Parquet a row group per
`ROW_GROUP` decisions. JSON lines hold `Decision.to_dict()` exactly. Parquet has the flat
columns and the hits as a nested list (detector, rule, score, reason, field, evidence as JSON
text). CSV is flat, for a spreadsheet: one row per decision with the number of hits, the rules
that fired and the top reasons joined. A `.gz` after `.jsonl` or `.csv` compresses the file.
"""

from __future__ import annotations

import csv
import gzip
import json
import sys
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol, Self, TextIO

import pyarrow as pa
import pyarrow.parquet as pq

from chainbreaker.errors import InvalidInput
from chainbreaker.screen.models import Decision, Hit

#: Output formats by file extension.
EXTENSIONS = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".csv": "csv",
}
#: Decisions per Parquet row group (and most held in memory by the Parquet writer).
ROW_GROUP = 10_000
#: Reasons given in a CSV row (the strongest first).
CSV_REASONS = 3
CSV_COLUMNS = (
    "record_id",
    "profile",
    "source_file",
    "source_row",
    "decision",
    "risk",
    "hits",
    "rules",
    "reasons",
)

HIT_TYPE = pa.struct(
    [
        ("detector", pa.string()),
        ("rule", pa.string()),
        ("score", pa.float64()),
        ("reason", pa.string()),
        ("field", pa.string()),
        ("evidence", pa.string()),  # JSON text
    ]
)
DECISION_SCHEMA = pa.schema(
    [
        ("record_id", pa.string()),
        ("profile", pa.string()),
        ("source_file", pa.string()),
        ("source_row", pa.int64()),
        ("risk", pa.float64()),
        ("decision", pa.string()),
        ("hits", pa.list_(HIT_TYPE)),
    ]
)


class DecisionWriter(Protocol):
    """Writes decisions one by one; `close` finishes the file."""

    def write(self, decision: Decision) -> None: ...

    def close(self) -> None: ...

    def __enter__(self) -> DecisionWriter: ...

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None: ...


def output_format(path: Path) -> str:
    """jsonl, parquet or csv, from the extension of `path` (a trailing .gz ignored)."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
        if suffixes and EXTENSIONS.get(suffixes[-1]) == "parquet":
            raise InvalidInput(f"{path}: Parquet is compressed already; drop the .gz")
    fmt = EXTENSIONS.get(suffixes[-1]) if suffixes else None
    if fmt is None:
        known = ", ".join(EXTENSIONS)
        raise InvalidInput(f"{path}: unknown output format; name it with one of {known}")
    return fmt


def open_writer(path: Path | None) -> DecisionWriter:
    """A writer for `path` (format from its extension), or JSON lines on stdout for None.

    Raises InvalidInput for an unknown extension and OSError when the file cannot be created.
    """
    if path is None:
        return _JsonLines(sys.stdout, close=False)
    fmt = output_format(path)
    if fmt == "parquet":
        return _Parquet(path)
    text = _open_text(path)
    if fmt == "csv":
        return _Csv(text)
    return _JsonLines(text, close=True)


def _open_text(path: Path) -> TextIO:
    if path.suffix.lower() == ".gz":
        return gzip.open(path, "wt", encoding="utf-8", newline="")
    return path.open("w", encoding="utf-8", newline="")


class _Writer:
    def write(self, decision: Decision) -> None:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()


class _JsonLines(_Writer):
    def __init__(self, out: TextIO, *, close: bool) -> None:
        self._out = out
        self._close = close

    def write(self, decision: Decision) -> None:
        self._out.write(json.dumps(decision.to_dict(), ensure_ascii=False) + "\n")

    def close(self) -> None:
        if self._close:
            self._out.close()
        else:
            self._out.flush()


class _Csv(_Writer):
    def __init__(self, out: TextIO) -> None:
        self._out = out
        self._csv = csv.writer(out)
        self._csv.writerow(CSV_COLUMNS)

    def write(self, decision: Decision) -> None:
        self._csv.writerow(csv_row(decision))

    def close(self) -> None:
        self._out.close()


def csv_row(decision: Decision) -> list[Any]:
    """A decision as a flat CSV row (CSV_COLUMNS)."""
    strongest = sorted(decision.hits, key=lambda h: -h.score)
    rules = list(dict.fromkeys(h.rule for h in strongest))
    reasons = [h.reason for h in strongest[:CSV_REASONS]]
    return [
        decision.record_id,
        decision.profile,
        decision.source_file,
        decision.source_row,
        decision.decision,
        f"{decision.risk:.4f}",
        len(decision.hits),
        " ".join(rules),
        " | ".join(reasons),
    ]


class _Parquet(_Writer):
    def __init__(self, path: Path) -> None:
        self._writer = pq.ParquetWriter(str(path), DECISION_SCHEMA, compression="zstd")
        self._rows: list[dict[str, Any]] = []

    def write(self, decision: Decision) -> None:
        self._rows.append(parquet_row(decision))
        if len(self._rows) >= ROW_GROUP:
            self._flush()

    def _flush(self) -> None:
        if self._rows:
            batch = pa.RecordBatch.from_pylist(self._rows, schema=DECISION_SCHEMA)
            self._writer.write_batch(batch)
            self._rows = []

    def close(self) -> None:
        self._flush()
        self._writer.close()


def parquet_row(decision: Decision) -> dict[str, Any]:
    """A decision as a row of DECISION_SCHEMA."""
    return {
        "record_id": decision.record_id,
        "profile": decision.profile,
        "source_file": decision.source_file,
        "source_row": decision.source_row,
        "risk": decision.risk,
        "decision": decision.decision,
        "hits": [_hit_row(h) for h in decision.hits],
    }


def _hit_row(hit: Hit) -> dict[str, Any]:
    return {
        "detector": hit.detector,
        "rule": hit.rule,
        "score": hit.score,
        "reason": hit.reason,
        "field": hit.where,
        "evidence": json.dumps(hit.evidence, ensure_ascii=False, sort_keys=True),
    }
