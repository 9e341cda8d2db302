"""What the readers produce before entity resolution: references to entities and raw edges.

A `Ref` names an entity as one record wrote it ("company", "Haosheng Intl Trading Co"). Keyed
kinds (address, phone, e-mail, company number, substance, place, shipment, listing) become a node
by their normalised value; parties (company, person) go through entity resolution first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from chainbreaker.network.model import NODE_TYPES, PARTY_TYPES

_NOT_DIGIT = re.compile(r"\D+")
_NOT_ALNUM = re.compile(r"[^0-9A-Z]+")
_NOT_WORD = re.compile(r"[^\w]+")

#: Other spellings of node types accepted in files.
TYPE_ALIASES = {
    "organization": "company",
    "organisation": "company",
    "org": "company",
    "individual": "person",
    "tel": "phone",
    "telephone": "phone",
    "e-mail": "email",
    "email-addr": "email",
    "registration": "company_number",
    "identifier": "company_number",
    "location": "place",
    "port": "place",
    "chemical": "substance",
}


@dataclass(frozen=True, slots=True)
class Ref:
    """An entity as one record names it."""

    type: str
    value: str
    attrs: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class RawEdge:
    """An edge between two references, with its provenance."""

    src: Ref
    dst: Ref
    type: str
    weight: float = 1.0
    source_file: str = ""
    record: str = ""
    date: str = ""
    note: str = ""
    latent: bool = False


@dataclass(slots=True)
class Problem:
    """A record that could not be read: reported, skipped and counted."""

    file: str
    record: str
    field: str | None
    why: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.record}"
        if self.field:
            where += f", field {self.field}"
        return f"{where}: {self.why}"


@dataclass(slots=True)
class RawBatch:
    """What one reader got from one file."""

    edges: list[RawEdge] = field(default_factory=list)
    nodes: list[tuple[Ref, str]] = field(default_factory=list)  # lone entities, with provenance
    problems: list[Problem] = field(default_factory=list)
    records: int = 0
    same: list[tuple[Ref, Ref, str]] = field(default_factory=list)  # asserted the same (aliases)


def node_type(text: str) -> str | None:
    """The node type a file's word stands for, or None when unknown."""
    t = text.strip().lower().replace(" ", "_")
    t = TYPE_ALIASES.get(t, t)
    return t if t in NODE_TYPES else None


def key_value(kind: str, value: str) -> str:
    """The normalised value that keys a non-party node."""
    v = value.strip()
    if kind == "phone":
        return _NOT_DIGIT.sub("", v)
    if kind == "email":
        return v.casefold()
    if kind == "company_number":
        return _NOT_ALNUM.sub("", v.upper())
    if kind in ("address", "place", "substance"):
        return " ".join(_NOT_WORD.sub(" ", v.casefold()).split())
    return v


def keyed_id(kind: str, value: str) -> str | None:
    """The node id of a non-party reference; None when its value normalises to nothing."""
    if kind in PARTY_TYPES:
        raise ValueError("parties are resolved, not keyed")
    key = key_value(kind, value)
    return f"{kind}:{key}" if key else None
