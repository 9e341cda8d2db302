"""The one record schema every reader produces and every detector reads.

A record is one shipment or order: its parties (shipper, consignee, buyer, notify...), its goods
lines, its route and totals, and where it came from (file and row). In Arrow it is a flat row
with two list-of-struct columns (`parties`, `goods`) and a list of strings (`transit`); in Python
it is a `Shipment`. Readers build Arrow batches with `SHIPMENT_SCHEMA`; detectors get `Shipment`
objects from `shipments_from_batch`.

`Shipment`, `Party` and `GoodsLine` are named tuples: immutable, with named fields, and built
about five times faster than frozen dataclasses (whose `__init__` sets each field through
`object.__setattr__`); every record of a run is built once per pass, ~20 fields a record.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple, TypeVar

import pyarrow as pa

T = TypeVar("T")

#: Roles a party may play in a record.
PARTY_ROLES = ("shipper", "consignee", "buyer", "seller", "notify", "importer", "exporter")

PARTY_TYPE = pa.struct(
    [
        ("role", pa.string()),
        ("name", pa.string()),
        ("address", pa.string()),
        ("city", pa.string()),
        ("country", pa.string()),  # ISO2 when the reader could tell, else as written
        ("phone", pa.string()),
        ("email", pa.string()),
        ("identifier", pa.string()),  # tax id / VAT / company number / account
    ]
)

GOODS_TYPE = pa.struct(
    [
        ("description", pa.string()),
        ("hs_code", pa.string()),  # digits only, 6-10 of them, as declared
        ("quantity", pa.float64()),
        ("unit", pa.string()),
        ("weight_kg", pa.float64()),
        ("value", pa.float64()),
        ("currency", pa.string()),
        ("origin_country", pa.string()),
        ("cas", pa.string()),  # a CAS RN when the order states one
    ]
)

SHIPMENT_SCHEMA = pa.schema(
    [
        ("record_id", pa.string()),  # the shipment's own id: S10 item id, HAWB, order number
        ("profile", pa.string()),  # postal, express, de_minimis, order, or a mapping's name
        ("source_file", pa.string()),
        ("source_row", pa.int64()),  # first data row of the record in its file (1-based)
        ("date", pa.string()),  # ISO date of posting / shipment / order when known
        ("category", pa.string()),  # CN23 category: gift, commercial sample, sale of goods...
        ("origin_country", pa.string()),
        ("destination_country", pa.string()),
        ("transit", pa.list_(pa.string())),  # transit points (countries or airports) in order
        ("total_weight_kg", pa.float64()),
        ("total_value", pa.float64()),
        ("currency", pa.string()),
        ("pieces", pa.int64()),
        ("master_id", pa.string()),  # master AWB / consolidation the record belongs to
        ("parties", pa.list_(PARTY_TYPE)),
        ("goods", pa.list_(GOODS_TYPE)),
    ]
)


class Party(NamedTuple):
    role: str
    name: str | None = None
    address: str | None = None
    city: str | None = None
    country: str | None = None
    phone: str | None = None
    email: str | None = None
    identifier: str | None = None


class GoodsLine(NamedTuple):
    description: str | None = None
    hs_code: str | None = None
    quantity: float | None = None
    unit: str | None = None
    weight_kg: float | None = None
    value: float | None = None
    currency: str | None = None
    origin_country: str | None = None
    cas: str | None = None


class Shipment(NamedTuple):
    record_id: str
    profile: str
    source_file: str
    source_row: int
    date: str | None = None
    category: str | None = None
    origin_country: str | None = None
    destination_country: str | None = None
    transit: tuple[str, ...] = ()
    total_weight_kg: float | None = None
    total_value: float | None = None
    currency: str | None = None
    pieces: int | None = None
    master_id: str | None = None
    parties: tuple[Party, ...] = ()
    goods: tuple[GoodsLine, ...] = ()

    def to_row(self) -> dict[str, Any]:
        """The record as an Arrow row (a dict matching SHIPMENT_SCHEMA)."""
        return {
            "record_id": self.record_id,
            "profile": self.profile,
            "source_file": self.source_file,
            "source_row": self.source_row,
            "date": self.date,
            "category": self.category,
            "origin_country": self.origin_country,
            "destination_country": self.destination_country,
            "transit": list(self.transit),
            "total_weight_kg": self.total_weight_kg,
            "total_value": self.total_value,
            "currency": self.currency,
            "pieces": self.pieces,
            "master_id": self.master_id,
            "parties": [_party_row(p) for p in self.parties],
            "goods": [_goods_row(g) for g in self.goods],
        }


def _party_row(p: Party) -> dict[str, Any]:
    return {name: getattr(p, name) for name in PARTY_TYPE.names}


def _goods_row(g: GoodsLine) -> dict[str, Any]:
    return {name: getattr(g, name) for name in GOODS_TYPE.names}


def batch_from_shipments(shipments: list[Shipment]) -> pa.RecordBatch:
    """An Arrow batch of records (SHIPMENT_SCHEMA)."""
    return pa.RecordBatch.from_pylist([s.to_row() for s in shipments], schema=SHIPMENT_SCHEMA)


def shipments_from_batch(batch: pa.RecordBatch) -> Iterator[Shipment]:
    """The records of an Arrow batch (SHIPMENT_SCHEMA) as Shipment objects.

    Column by column (each column converted to Python once, the parties and goods lines from
    their flattened struct fields), which is several times faster than row dictionaries.
    """
    n = batch.num_rows
    scalars = zip(*(batch.column(name).to_pylist() for name in _SCALARS), strict=True)
    transit = batch.column("transit").to_pylist()
    parties = _nested(batch.column("parties"), Party, n)
    goods = _nested(batch.column("goods"), GoodsLine, n)
    cut = _TRANSIT_AT
    for values, points, row_parties, row_goods in zip(
        scalars, transit, parties, goods, strict=True
    ):
        args: tuple[Any, ...] = (
            *values[:cut],
            tuple(points or ()),
            *values[cut:],
            row_parties,
            row_goods,
        )
        yield Shipment(*args)


def parties_by_record(batch: pa.RecordBatch) -> list[tuple[Party, ...]]:
    """Each record's parties (the `parties` column alone, as `shipments_from_batch` reads it)."""
    return _nested(batch.column("parties"), Party, batch.num_rows)


#: The scalar columns, in the order of Shipment's fields.
_SCALARS = (
    "record_id",
    "profile",
    "source_file",
    "source_row",
    "date",
    "category",
    "origin_country",
    "destination_country",
    "total_weight_kg",
    "total_value",
    "currency",
    "pieces",
    "master_id",
)
#: Where `transit` stands among Shipment's fields (the scalars before it, then after it).
_TRANSIT_AT = _SCALARS.index("destination_country") + 1


def _nested(column: pa.Array | pa.ChunkedArray, kind: type[T], n: int) -> list[tuple[T, ...]]:
    """Per row, the objects of a list-of-struct column (an empty tuple for a null list)."""
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    flat = column.flatten()  # the structs of the rows' lists, slices and null lists respected
    if flat.null_count:
        # a null struct inside a list: no object can be built from it field by field
        raise ValueError(f"a {kind.__name__} entry of the batch is null")
    names: tuple[str, ...] = kind._fields  # type: ignore[attr-defined]
    values = [flat.field(name).to_pylist() for name in names]
    objects = [kind(*row) for row in zip(*values, strict=True)]
    lengths = column.value_lengths().fill_null(0).to_pylist()
    out: list[tuple[T, ...]] = []
    start = 0
    for length in lengths:
        out.append(tuple(objects[start : start + length]))
        start += length
    if len(out) != n:
        raise ValueError(f"{len(out)} lists for {n} rows")
    return out


def _check_field_order() -> None:
    # Objects are built positionally from the Arrow fields: the orders must agree.
    for kind, arrow in ((Party, PARTY_TYPE), (GoodsLine, GOODS_TYPE)):
        if list(kind._fields) != list(arrow.names):
            raise RuntimeError(f"{kind.__name__}'s fields are not in the Arrow struct's order")
    order = list(Shipment._fields)
    expected = [*_SCALARS[:_TRANSIT_AT], "transit", *_SCALARS[_TRANSIT_AT:], "parties", "goods"]
    if order != expected:
        raise RuntimeError("Shipment's fields are not in the order of _SCALARS")


_check_field_order()
