"""Reading a chunk of rows column by column into record-field values, with the bad cells.

Each planned field gets one list of values (one per row of the chunk) and each impossible cell
marks its row bad with the column and the reason. Working on whole columns keeps the per-cell
cost at one list-comprehension step for clean data (a CSV column of numbers is read with one
`float` per cell) and only falls back to cell-by-cell reading when a cell needs it.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Sequence
from typing import Any

from chainbreaker.screen.readers.layout import Layout
from chainbreaker.screen.readers.values import (
    as_text,
    category,
    country,
    currency,
    hs_code,
    parse_date,
    parse_number,
    tables,
    transit,
    weight_factor,
)

__all__ = ["ColumnValues", "read_columns"]

#: Field -> values (one per row); row index -> (column, why) for the first bad cell of a row.
ColumnValues = dict[str, list[Any]]
Errors = dict[int, tuple[str, str]]

_SURROGATES = re.compile("[\ud800-\udfff]")
#: A word written with an amount or a quantity feeds this field when the file gives none.
_HINTS = {
    "total_value": "currency",
    "goods.value": "goods.currency",
    "goods.quantity": "goods.unit",
}
_CURRENCY_WORD = re.compile(r"^(?:[A-Za-z]{3}|[€£]|US\$)$")


def _texts(cells: Sequence[Any]) -> list[str | None]:
    try:
        return [c.strip() or None for c in cells]  # CSV: all text
    except AttributeError:
        return [(c.strip() or None) if type(c) is str else as_text(c) for c in cells]


def _mark(errors: Errors, row: int, column: str, why: str) -> None:
    errors.setdefault(row, (column, why))


def _check_encoding(cells: Sequence[Any], column: str, errors: Errors) -> None:
    try:
        joined = "\x00".join(cells)
    except TypeError:
        joined = "\x00".join(c for c in cells if type(c) is str)
    if not _SURROGATES.search(joined):
        return
    for row, cell in enumerate(cells):
        if type(cell) is str and _SURROGATES.search(cell):
            bad = cell.encode("utf-8", "surrogateescape") if cell else b""
            _mark(errors, row, column, f"broken encoding: bytes that are not UTF-8 in {bad[:60]!r}")


def _numbers(
    cells: Sequence[Any], column: str, errors: Errors
) -> tuple[list[float | None], list[str]]:
    try:
        values: list[float | None] = [None if c is None or c == "" else float(c) for c in cells]
        if all(v is None or -1e300 < v < 1e300 for v in values):  # no nan, no inf
            return values, []
    except (ValueError, TypeError):
        pass
    values, words = [], []
    for row, cell in enumerate(cells):
        try:
            number, word = parse_number(cell)
        except ValueError as exc:
            _mark(errors, row, column, str(exc))
            number, word = None, ""
        values.append(number)
        words.append(word)
    return values, words


def _read_numeric(
    layout: Layout, target: str, cells: Sequence[Any], column: str, scale: float, errors: Errors
) -> tuple[list[Any], list[str]]:
    kind = layout.kind(target)
    values, words = _numbers(cells, column, errors)
    if kind == "weight":
        if words:
            for row, word in enumerate(words):
                if word and values[row] is not None:
                    try:
                        values[row] = values[row] * weight_factor(word)  # type: ignore[operator]
                    except ValueError as exc:
                        _mark(errors, row, column, str(exc))
        if scale != 1.0:
            values = [None if v is None else v * scale for v in values]
    limit = tables().max_weight_kg if kind == "weight" else math.inf
    for row in [r for r, v in enumerate(values) if v is not None and not 0 <= v <= limit]:
        value = values[row]
        assert value is not None
        if value < 0:
            _mark(errors, row, column, f"negative {target}: {cells[row]!r}")
        else:
            _mark(errors, row, column, f"impossible weight over {limit:,.0f} kg: {cells[row]!r}")
    if kind == "count":
        for row, value in enumerate(values):
            if value is not None and not value.is_integer():
                _mark(errors, row, column, f"not a whole number of pieces: {cells[row]!r}")
        return [None if v is None or not v.is_integer() else int(v) for v in values], words
    return values, words


def _email(text: str) -> str:
    return text.lower()


#: Kinds read from the cell's text by a function of the text alone (cached where it repeats).
_TEXT_READERS: dict[str, Callable[[str], Any]] = {
    "country": country,
    "email": _email,
    "hs": functools.lru_cache(maxsize=8192)(hs_code),
    "category": functools.lru_cache(maxsize=1024)(category),
    "currency": functools.lru_cache(maxsize=1024)(currency),
    "transit": functools.lru_cache(maxsize=8192)(transit),
}


def _by_text(kind: str, cells: Sequence[Any]) -> list[Any]:
    """Cells of a text kind; numbers and lists (from Parquet, JSON) go to the full reader."""
    read = _TEXT_READERS[kind]
    if kind == "hs" or kind == "transit":
        return [
            (None if not (t := c.strip()) else read(t)) if type(c) is str else _FULL[kind](c)
            for c in cells
        ]
    return [None if t is None else read(t) for t in _texts(cells)]


_FULL: dict[str, Callable[[Any], Any]] = {"hs": hs_code, "transit": transit}


def _read_column(
    layout: Layout,
    target: str,
    index: int,
    scale: float,
    cells: list[Any],
    errors: Errors,
    hints: ColumnValues,
) -> list[Any]:
    column = layout.columns[index]
    _check_encoding(cells, column, errors)
    kind = layout.kind(target)
    if kind in ("weight", "money", "quantity", "count"):
        values, words = _read_numeric(layout, target, cells, column, scale, errors)
        if words and kind in ("money", "quantity"):
            hint = _HINTS.get(target, "")
            if not hint:
                return values
            if kind == "money":
                words = [(currency(w) or "") if _CURRENCY_WORD.match(w) else "" for w in words]
            hints.setdefault(hint, [w or None for w in words])
        return values
    if kind in ("id", "text", "address", "unit"):
        return _texts(cells)
    if kind in _TEXT_READERS:
        return _by_text(kind, cells)
    month_first = layout.profile.month_first
    values = []
    for row, cell in enumerate(cells):
        try:
            values.append(parse_date(cell, month_first=month_first))
        except ValueError as exc:
            _mark(errors, row, column, str(exc))
            values.append(None)
    return values


def _first(columns: list[list[Any]]) -> list[Any]:
    if len(columns) == 1:
        return columns[0]
    return [
        next((v for v in vs if v is not None and v != []), None)
        for vs in zip(*columns, strict=True)
    ]


def read_columns(layout: Layout, rows: Sequence[Sequence[Any]]) -> tuple[ColumnValues, Errors]:
    """The values of every planned field for these rows, and the rows' first bad cells."""
    errors: Errors = {}
    hints: ColumnValues = {}
    out: ColumnValues = {}
    for target, sources in layout.plan.items():
        if target.endswith(".unit") and target != "goods.unit":
            continue
        columns = []
        for index, scale in sources:
            cells = [r[index] for r in rows]
            if cells.count(None) < len(cells):  # a column a JSON line never gave is skipped
                columns.append(_read_column(layout, target, index, scale, cells, errors, hints))
        if not columns:
            out[target] = [None] * len(rows)
        elif layout.kind(target) == "address" and len(columns) > 1:
            out[target] = [
                ", ".join(v for v in vs if v) or None for vs in zip(*columns, strict=True)
            ]
        else:
            out[target] = _first(columns)
    for unit_target, weight_target in (
        ("total_weight_kg.unit", "total_weight_kg"),
        ("goods.weight_kg.unit", "goods.weight_kg"),
    ):
        if unit_target in layout.plan and weight_target in out:
            _apply_units(layout, unit_target, weight_target, rows, out, errors)
    for target, words in hints.items():
        given = out.get(target)
        out[target] = (
            words if given is None else [g or w for g, w in zip(given, words, strict=True)]
        )
    return out, errors


def _apply_units(
    layout: Layout,
    unit_target: str,
    weight_target: str,
    rows: Sequence[Sequence[Any]],
    out: ColumnValues,
    errors: Errors,
) -> None:
    index = layout.plan[unit_target][0][0]
    column = layout.columns[index]
    weights = out[weight_target]
    limit = tables().max_weight_kg
    for row, unit in enumerate(_texts([r[index] for r in rows])):
        if unit is None or weights[row] is None:
            continue
        try:
            weights[row] = weights[row] * weight_factor(unit)
        except ValueError as exc:
            _mark(errors, row, column, str(exc))
            continue
        if weights[row] > limit:
            _mark(errors, row, column, f"impossible weight over {limit:,.0f} kg")
