"""Rows to records: bad rows out, consecutive rows with the same id into one record.

Grouping streams: a record is the run of CONSECUTIVE rows with the same record id (after
stripping spaces); a row with another id, even a bad one, ends the run. The last run of a chunk
is held back and read with the next chunk, so a record split across chunks comes out whole
(up to MAX_RECORD_ROWS rows: a longer run of one id is cut into several records).

A bad row (no record id, an impossible cell, broken bytes) is skipped with a `BadRecord`; a
record whose rows give neither a party name nor a goods description has nothing to screen and
each of its rows is reported. Every row ends up in a record or in a BadRecord.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import Any

import pyarrow as pa

from chainbreaker.screen.models import BadRecord
from chainbreaker.screen.readers.columns import ColumnValues, read_columns
from chainbreaker.screen.readers.fields import GOODS_FIELDS, PARTY_FIELDS, RECORD_FIELDS
from chainbreaker.screen.readers.layout import Layout
from chainbreaker.screen.readers.values import as_text
from chainbreaker.screen.records import GOODS_TYPE, PARTY_ROLES, PARTY_TYPE, SHIPMENT_SCHEMA

__all__ = ["MAX_RECORD_ROWS", "RecordAssembler"]

#: A run of rows with one id longer than this is cut into several records (memory stays bounded).
MAX_RECORD_ROWS = 10_000
_NOTHING = "no party name and no goods description: nothing to screen"
#: Where a record's own countries come from when the file does not give them.
_ORIGIN_FROM = ("shipper.country", "seller.country", "exporter.country")
_DESTINATION_FROM = ("consignee.country", "buyer.country", "importer.country")


class RecordAssembler:
    """Turns chunks of raw rows of one file into record batches (SHIPMENT_SCHEMA)."""

    def __init__(self, layout: Layout, file: str) -> None:
        self.file = file
        self.profile = layout.profile.name
        self._carry_rows: list[Sequence[Any]] = []
        self._carry_numbers: list[int] = []
        self.relayout(layout)

    def relayout(self, layout: Layout) -> None:
        """Read with a layout of more columns (a JSON key first seen late); held rows padded."""
        self.layout = layout
        width = len(layout.columns)
        self._carry_rows = [[*r, *[None] * (width - len(r))] for r in self._carry_rows]
        self._id_columns = [i for i, _ in layout.plan["record_id"]]
        planned = set(layout.plan)
        self._record_fields = [f for f in RECORD_FIELDS if f in planned and f != "record_id"]
        self._goods_fields = [f for f in GOODS_FIELDS if f"goods.{f}" in planned]
        self._roles = [
            (role, [f for f in PARTY_FIELDS if f"{role}.{f}" in planned])
            for role in PARTY_ROLES
            if any(f"{role}.{f}" in planned for f in PARTY_FIELDS)
        ]
        self._names = [f"{role}.name" for role, fields in self._roles if "name" in fields]

    def _ids(self, rows: Sequence[Sequence[Any]]) -> list[str | None]:
        columns = [[r[i] for r in rows] for i in self._id_columns]
        ids = [(c.strip() or None) if type(c) is str else as_text(c) for c in columns[0]]
        for more in columns[1:]:
            ids = [i or as_text(c) for i, c in zip(ids, more, strict=True)]
        return ids

    def feed(
        self, rows: list[Sequence[Any]], numbers: list[int], *, final: bool
    ) -> tuple[pa.RecordBatch, list[BadRecord]]:
        """The records completed by these rows and the bad rows among them.

        `numbers` are the rows' numbers in the file. With `final`, every held row is flushed.
        """
        rows = self._carry_rows + rows
        numbers = self._carry_numbers + numbers
        self._carry_rows, self._carry_numbers = [], []
        ids = self._ids(rows)
        if not final and rows:
            start = len(rows) - 1
            while start > 0 and ids[start - 1] == ids[-1]:
                start -= 1
            if len(rows) - start <= MAX_RECORD_ROWS:
                self._carry_rows, self._carry_numbers = rows[start:], numbers[start:]
                rows, numbers, ids = rows[:start], numbers[:start], ids[:start]
        if not rows:
            return _empty(), []
        values, errors = read_columns(self.layout, rows)
        bad: list[BadRecord] = []
        id_column = self.layout.columns[self._id_columns[0]]
        groups: list[list[int]] = []
        group: list[int] = []
        for i, record_id in enumerate(ids):
            if record_id is None:
                bad.append(BadRecord(self.file, numbers[i], id_column, "no record id"))
            elif i in errors:
                column, why = errors[i]
                bad.append(BadRecord(self.file, numbers[i], column, why))
            else:
                group.append(i)
            if group and (i + 1 == len(ids) or ids[i + 1] != record_id):
                groups.append(group)
                group = []
        groups = self._screenable(groups, values, numbers, bad)
        bad.sort(key=lambda b: b.row)
        return self._batch(groups, ids, numbers, values), bad

    def _screenable(
        self,
        groups: list[list[int]],
        values: ColumnValues,
        numbers: list[int],
        bad: list[BadRecord],
    ) -> list[list[int]]:
        """The groups with a party name or a goods description; the others' rows are bad."""
        columns = [values[n] for n in self._names]
        if "goods.description" in values:
            columns.append(values["goods.description"])
        useful = _any_given(columns) if columns else [False] * len(numbers)
        kept = []
        for group in groups:
            if any(useful[i] for i in group):
                kept.append(group)
            else:
                bad.extend(BadRecord(self.file, numbers[i], None, _NOTHING) for i in group)
        return kept

    def _batch(
        self,
        groups: list[list[int]],
        ids: list[str | None],
        numbers: list[int],
        values: ColumnValues,
    ) -> pa.RecordBatch:
        n = len(groups)
        single = all(len(g) == 1 for g in groups)
        firsts = [g[0] for g in groups]

        several = [k for k, g in enumerate(groups) if len(g) > 1]

        def pick(column: list[Any]) -> list[Any]:
            """Each record's value: its first row's, or for a record of several rows (goods
            lines) the first row's that is given."""
            picked = [column[i] for i in firsts]
            for k in several:
                picked[k] = next(
                    (column[i] for i in groups[k] if column[i] is not None and column[i] != []),
                    None,
                )
            return picked

        record: dict[str, Any] = {f: pick(values[f]) for f in self._record_fields}
        parties = {
            role: {f: pick(values[f"{role}.{f}"]) for f in fields} for role, fields in self._roles
        }
        self._derive(record, parties, pick, values, n)
        columns: dict[str, Any] = {
            "record_id": [ids[i] for i in firsts],
            "profile": [self.profile] * n,
            "source_file": [self.file] * n,
            "source_row": [numbers[i] for i in firsts],
            "transit": record.pop("transit", None) or [[]] * n,
            "parties": _parties_array(parties, n),
            "goods": self._goods_array(groups, values, single),
        }
        columns.update(record)
        arrays = [
            columns[f.name]
            if isinstance(columns.get(f.name), pa.Array)
            else _array(columns.get(f.name, [None] * n), f.type)
            for f in SHIPMENT_SCHEMA
        ]
        return pa.RecordBatch.from_arrays(arrays, schema=SHIPMENT_SCHEMA)

    def _goods_array(self, groups: list[list[int]], values: ColumnValues, single: bool) -> pa.Array:
        rows = [g[0] for g in groups] if single else [i for g in groups for i in g]
        fields = {f: values[f"goods.{f}"] for f in self._goods_fields}
        if not fields:
            return pa.array([[] for _ in groups], pa.list_(GOODS_TYPE))
        present = _any_given(list(fields.values()))
        take = [k for k, i in enumerate(rows) if present[i]]
        if single:
            counts = [int(present[g[0]]) for g in groups]
        else:
            counts = [sum(present[i] for i in g) for g in groups]
        offsets = [0, *itertools.accumulate(counts)]
        struct = _struct(
            GOODS_TYPE, {f: [col[i] for i in rows] for f, col in fields.items()}, len(rows)
        )
        return pa.ListArray.from_arrays(
            pa.array(offsets, pa.int32()), struct.take(pa.array(take, pa.int64()))
        )

    def _derive(
        self,
        record: dict[str, Any],
        parties: dict[str, dict[str, list[Any]]],
        pick: Callable[[list[Any]], list[Any]],
        values: ColumnValues,
        n: int,
    ) -> None:
        """Countries from the parties, currency from the goods, then the profile's defaults."""
        for target, sources in (
            ("origin_country", _ORIGIN_FROM),
            ("destination_country", _DESTINATION_FROM),
        ):
            candidates = [
                parties[r][f] for r, f in (s.split(".") for s in sources) if f in parties.get(r, {})
            ]
            if target in record:
                candidates.insert(0, record[target])
            if candidates:
                record[target] = _coalesce(candidates)
        if "goods.currency" in values:
            goods_currency = pick(values["goods.currency"])
            record["currency"] = _coalesce([record.get("currency", [None] * n), goods_currency])
        for target, value in self.layout.profile.defaults.items():
            column = record.get(target, [None] * n)
            record[target] = [value if v is None else v for v in column]


def _coalesce(columns: list[list[Any]]) -> list[Any]:
    out = columns[0]
    for more in columns[1:]:
        out = [a if a is not None else b for a, b in zip(out, more, strict=True)]
    return out


def _any_given(columns: list[list[Any]]) -> list[bool]:
    """Per row: is any of these columns given (not None)?"""
    if len(columns) == 1:
        return [v is not None for v in columns[0]]
    nothing = (None,) * len(columns)
    return [vs != nothing for vs in zip(*columns, strict=True)]


def _struct(kind: pa.StructType, columns: dict[str, list[Any]], n: int) -> pa.StructArray:
    arrays = [
        _array(columns[f.name], f.type) if f.name in columns else pa.nulls(n, f.type) for f in kind
    ]
    return pa.StructArray.from_arrays(arrays, fields=list(kind))


def _parties_array(parties: dict[str, dict[str, list[Any]]], n: int) -> pa.Array:
    """One list of parties per record, in PARTY_ROLES order, a party where any field is given."""
    structs = []
    presence = []
    for role, fields in parties.items():
        presence.append(_any_given(list(fields.values())))
        structs.append(_struct(PARTY_TYPE, {"role": [role] * n, **fields}, n))
    if not presence:
        return pa.array([[] for _ in range(n)], pa.list_(PARTY_TYPE))
    roles = range(len(presence))
    by_record = list(zip(*presence, strict=True))
    take = [r * n + i for i, given in enumerate(by_record) for r in roles if given[r]]
    offsets = [0, *itertools.accumulate(map(sum, by_record))]
    chunked = pa.concat_arrays(structs) if structs else pa.array([], PARTY_TYPE)
    return pa.ListArray.from_arrays(
        pa.array(offsets, pa.int32()), chunked.take(pa.array(take, pa.int64()))
    )


def _array(values: list[Any], kind: pa.DataType) -> pa.Array:
    """An Arrow array of values already of the right Python type."""
    return pa.array(values, type=kind)


def _empty() -> pa.RecordBatch:
    return pa.RecordBatch.from_pylist([], schema=SHIPMENT_SCHEMA)
