"""The shared labelled dev set of the eval (read when present; tests skip cleanly otherwise)."""

from __future__ import annotations

import csv
from pathlib import Path

EVAL = Path(__file__).resolve().parents[3].parent / "shared" / "eval" / "names"
PRESENT = (EVAL / "dev_queries.csv").is_file() and (EVAL / "dev_labels.csv").is_file()


def _rows(name: str) -> list[dict[str, str]]:
    with (EVAL / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def labelled_queries() -> list[tuple[dict[str, str], dict[str, str]]]:
    """(query row, label row) for every dev query."""
    queries = {r["id"]: r for r in _rows("dev_queries.csv")}
    return [(queries[label["id"]], label) for label in _rows("dev_labels.csv")]


def schema(row: dict[str, str]) -> str | None:
    """The query's schema as normalise_name takes it ("unknown" -> None)."""
    return None if row["schema"] == "unknown" else row["schema"]
