"""The record fields a column can feed, and what kind of value each holds.

A field is named as in `SHIPMENT_SCHEMA`: a record-level column (`record_id`, `date`,
`total_weight_kg`...), a party field as `ROLE.FIELD` (`shipper.name`, `buyer.email`...) or a goods
field as `goods.FIELD` (`goods.hs_code`...). The kind says how a cell is read: text as written,
a country to ISO2, an HS code to digits, a number, a weight in kg, a date to ISO...

Two pseudo-fields name the column holding the unit of a weight column (the AWB's K or L):
`total_weight_kg.unit` and `goods.weight_kg.unit`.
"""

from __future__ import annotations

from chainbreaker.screen.records import GOODS_TYPE, PARTY_ROLES, PARTY_TYPE

__all__ = [
    "GOODS_FIELDS",
    "KINDS",
    "PARTY_FIELDS",
    "RECORD_FIELDS",
    "UNIT_FIELDS",
    "field_kind",
]

#: Record-level fields and their kinds (record_id is the grouping key).
RECORD_FIELDS: dict[str, str] = {
    "record_id": "id",
    "date": "date",
    "category": "category",
    "origin_country": "country",
    "destination_country": "country",
    "transit": "transit",
    "total_weight_kg": "weight",
    "total_value": "money",
    "currency": "currency",
    "pieces": "count",
    "master_id": "id",
}

#: Party fields (after `ROLE.`); an address given in several columns is joined.
PARTY_FIELDS: dict[str, str] = {
    "name": "text",
    "address": "address",
    "city": "text",
    "country": "country",
    "phone": "text",
    "email": "email",
    "identifier": "text",
}

#: Goods-line fields (after `goods.`).
GOODS_FIELDS: dict[str, str] = {
    "description": "text",
    "hs_code": "hs",
    "quantity": "quantity",
    "unit": "text",
    "weight_kg": "weight",
    "value": "money",
    "currency": "currency",
    "origin_country": "country",
    "cas": "text",
}

#: Columns holding the unit of a weight column, and the weight field they apply to.
UNIT_FIELDS: dict[str, str] = {
    "total_weight_kg.unit": "total_weight_kg",
    "goods.weight_kg.unit": "goods.weight_kg",
}

KINDS = frozenset(
    {"id", "text", "address", "email", "country", "transit", "category", "currency", "hs"}
    | {"date", "weight", "money", "quantity", "count", "unit"}
)

assert set(PARTY_FIELDS) == set(PARTY_TYPE.names) - {"role"}
assert set(GOODS_FIELDS) == set(GOODS_TYPE.names)


def field_kind(name: str) -> str | None:
    """The kind of a record field named as in a profile (`shipper.name` -> "text"), or None."""
    if name in RECORD_FIELDS:
        return RECORD_FIELDS[name]
    if name in UNIT_FIELDS:
        return "unit"
    head, _, tail = name.partition(".")
    if head == "goods":
        return GOODS_FIELDS.get(tail)
    if head in PARTY_ROLES:
        return PARTY_FIELDS.get(tail)
    return None
