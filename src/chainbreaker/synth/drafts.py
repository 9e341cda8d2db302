"""A synthetic record before it is laid out in a profile's columns.

The generators (`goods`, `parties`, `plants`) build `Draft`s; `profiles` turns a draft into the
rows of one manifest layout (postal, express, de minimis, order) and gives it its id.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Draft", "Line", "Who"]


@dataclass(slots=True)
class Who:
    """A party as a manifest writes it (every field may be empty)."""

    name: str
    address: str = ""
    city: str = ""
    country: str = ""
    phone: str = ""
    email: str = ""
    company_number: str = ""


@dataclass(slots=True)
class Line:
    """One goods line: description, HS code as written, amounts and origin."""

    description: str
    hs: str
    quantity: float
    unit: str
    weight: float  # kg
    value: float  # in the draft's currency
    origin: str
    cas: str = ""


@dataclass(slots=True)
class Draft:
    """One shipment or order: its parties, goods and, when planted, its label."""

    sender: Who  # shipper / seller
    receiver: Who  # addressee / consignee / buyer
    lines: list[Line]
    currency: str
    category: str = "sale of goods"
    via: str = ""  # a transit airport forced by a planted case
    ship_to: str = ""  # orders: the country the goods go to
    kind: str = ""  # planted kind, "" when clean
    detail: str = ""
    extra_parties: list[Who] = field(default_factory=list)
