"""Plain edge files: CSV with a header naming at least `from`, `to` and `type`.

    from,from_type,to,to_type,type,weight,date,record,note,latent
    Hebei Xiuna Trading,company,Port of Manzanillo,place,shipped_to,120,2025-03-01,BL-778,,

`from_type`/`to_type` default to `company`; `weight` to 1; `record` to the line number; `latent`
is true for an alternative link that was not used (ground truth of `synth network`). A row with
an unknown type, an empty end or a weight that is not a number is reported and skipped.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from chainbreaker.errors import DataError
from chainbreaker.network.model import EDGE_TYPES
from chainbreaker.network.raw import Problem, RawBatch, RawEdge, Ref, node_type

_TRUE = {"true", "1", "yes", "y"}


def read_edge_file(path: Path) -> RawBatch:
    """Read an edge CSV (see the module doc)."""
    try:
        text = path.read_text(encoding="utf-8-sig", errors="replace")
    except OSError as exc:
        raise DataError(f"{path}: cannot be read ({exc.strerror})") from exc
    rows = csv.reader(io.StringIO(text))
    header = [h.strip().lower() for h in next(rows, [])]
    missing = [c for c in ("from", "to", "type") if c not in header]
    if missing:
        raise DataError(
            f"{path}: line 1: the header must name the columns from,to,type "
            f"(missing: {', '.join(missing)})"
        )
    col = {name: i for i, name in enumerate(header)}
    batch = RawBatch()
    name = str(path)
    for line, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        batch.records += 1

        def cell(column: str, row: list[str] = row) -> str:
            i = col.get(column)
            return row[i].strip() if i is not None and i < len(row) else ""

        where = f"line {line}"
        kind = cell("type").lower()
        if kind not in EDGE_TYPES:
            batch.problems.append(Problem(name, where, "type", f"unknown edge type {kind!r}"))
            continue
        ends: list[Ref] = []
        for side in ("from", "to"):
            value = cell(side)
            typed = cell(f"{side}_type") or "company"
            t = node_type(typed)
            if not value:
                batch.problems.append(Problem(name, where, side, "empty"))
                break
            if t is None:
                batch.problems.append(
                    Problem(name, where, f"{side}_type", f"unknown node type {typed!r}")
                )
                break
            ends.append(Ref(t, value))
        if len(ends) != 2:
            continue
        raw_weight = cell("weight")
        try:
            weight = float(raw_weight) if raw_weight else 1.0
        except ValueError:
            batch.problems.append(Problem(name, where, "weight", f"not a number: {raw_weight!r}"))
            continue
        if weight < 0 or weight != weight:
            batch.problems.append(Problem(name, where, "weight", f"must be >= 0: {raw_weight!r}"))
            continue
        batch.edges.append(
            RawEdge(
                ends[0],
                ends[1],
                kind,
                weight,
                name,
                cell("record") or where,
                cell("date"),
                cell("note"),
                cell("latent").lower() in _TRUE,
            )
        )
    return batch
