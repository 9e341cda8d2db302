"""The file schema of the catalog's YAML data, as pydantic models.

One model per kind of entry (source, substance, control, class). `chem.catalog` validates each
entry of each file against these models and turns them into the dataclasses of `chem.models`.
The vocabularies (jurisdictions, class ids, family modification kinds) live here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from chainbreaker.chem.cas import parse_cas
from chainbreaker.chem.models import ROLES
from chainbreaker.errors import InvalidCAS

JURISDICTIONS = ("UN", "US", "EU", "CN", "MX", "CA")
CLASS_IDS = (
    "us-frs",
    "cn-fentanyl-class",
    "family:4-piperidone",
    "family:4-ap",
    "family:npp",
    "family:anpp",
    "family:norfentanyl",
)
# The kinds of modification a precursor family names (chem.families reports them in this order).
MODIFICATION_KINDS = (
    "carbamate",
    "amide",
    "halide",
    "acetal",
    "n-alkyl",
    "n-benzyl",
    "ring-alkyl",
)
# What a class control may say it reaches: the parent, modification kinds, salts, or anything.
COVERS = ("parent", *MODIFICATION_KINDS, "salt", "any")
_ID = r"^[a-z0-9][a-z0-9-]*$"
_INCHIKEY = r"^[A-Z]{14}-[A-Z]{10}-[A-Z]$"


class Entry(BaseModel):
    """Base of every file entry: unknown fields are errors; entries are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceEntry(Entry):
    """One entry of sources.yaml."""

    id: str = Field(pattern=_ID)
    title: str = Field(min_length=1)
    url: str | None = None
    note: str | None = None


class ControlEntry(Entry):
    """One control of a substance or a class."""

    jurisdiction: Literal["UN", "US", "EU", "CN", "MX", "CA"]
    instrument: str = Field(min_length=1)
    category: str = Field(min_length=1)
    effective: date | None
    verified: bool = True
    ended: date | None = None
    sources: tuple[str, ...] = Field(min_length=1)
    note: str | None = None
    via_class: str | None = None  # set when a substance's control reaches it only through a class


class ClassControlEntry(ControlEntry):
    """A control of a structure class, with the modification kinds it reaches."""

    covers: tuple[str, ...] = Field(min_length=1)

    @field_validator("covers")
    @classmethod
    def _known_covers(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [c for c in value if c not in COVERS]
        if unknown:
            raise ValueError(f"unknown kind(s) {unknown}; allowed: {', '.join(COVERS)}")
        return value


class SubstanceEntry(Entry):
    """One entry of a substances/*.yaml file."""

    id: str = Field(pattern=_ID)
    name: str = Field(min_length=1)
    role: str
    synonyms: tuple[str, ...] = ()
    cas: str | None = None
    other_cas: tuple[str, ...] = ()
    smiles: str | None = None
    inchikey: str | None = Field(default=None, pattern=_INCHIKEY)
    hs_code: str | None = None
    parent: str | None = None
    sources: tuple[str, ...] = Field(min_length=1)
    notes: str | None = None
    controls: tuple[ControlEntry, ...] = ()

    @field_validator("role")
    @classmethod
    def _known_role(cls, value: str) -> str:
        return _one_of(value, ROLES, "role")

    @field_validator("cas")
    @classmethod
    def _valid_cas(cls, value: str | None) -> str | None:
        return None if value is None else _canonical_cas(value)

    @field_validator("other_cas")
    @classmethod
    def _valid_other_cas(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(_canonical_cas(v) for v in value)


class ClassEntry(Entry):
    """One entry of classes.yaml."""

    id: str
    name: str = Field(min_length=1)
    rule: str = Field(min_length=1)
    controls: tuple[ClassControlEntry, ...] = ()

    @field_validator("id")
    @classmethod
    def _known_class(cls, value: str) -> str:
        return _one_of(value, CLASS_IDS, "class id")


def _one_of(value: str, allowed: Sequence[str], what: str) -> str:
    if value not in allowed:
        raise ValueError(f"unknown {what} {value!r}; allowed: {', '.join(allowed)}")
    return value


def _canonical_cas(value: str) -> str:
    try:
        return parse_cas(value).number
    except InvalidCAS as exc:
        raise ValueError(str(exc)) from None
