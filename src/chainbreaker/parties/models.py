"""The vocabulary of the parties package: listed entities, their names, loaded lists, problems.

Loaders of every list format produce these; the matcher, the prepared index on disk and the
command line consume them. They are plain frozen dataclasses with JSON-able fields so that the
prepared index can be stored as JSON (never pickle).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

#: The kinds of listed party. FollowTheMoney's Organization/LegalEntity map to Company.
Schema = Literal["Person", "Company", "Vessel", "Aircraft", "Unknown"]
SCHEMAS: tuple[Schema, ...] = ("Person", "Company", "Vessel", "Aircraft", "Unknown")

#: How a name belongs to its entity: the primary name or an alias (also/formerly/now known as).
NameKind = Literal["primary", "aka", "fka", "nka"]

#: List formats a loader exists for (the `--list PATH:FORMAT` vocabulary).
FORMATS = ("ofac-csv", "ofac-xml", "ofac-advanced", "un-xml", "eu-xml", "ftm", "csv")


@dataclass(frozen=True, slots=True)
class ListedName:
    """One name of a listed entity, as the list writes it."""

    full: str  # e.g. "GUZMAN LOERA, Joaquin" or "HEBEI XIUNA TRADING CO., LTD."
    kind: NameKind = "primary"
    weak: bool = False  # a "weak" alias (OFAC weak a.k.a., FtM weakAlias): counts less
    script: str | None = None  # "Latin", "Han", "Cyrillic", "Arabic"... when the list says
    # Typed parts when the list gives them, e.g. (("last", "GUZMAN LOERA"), ("first", "Joaquin"))
    parts: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Identifier:
    """An identifier of a listed entity: passport, national ID, registration number, e-mail..."""

    kind: str  # as the list names it, e.g. "Passport", "Unified Social Credit Code (USCC)"
    value: str
    country: str | None = None  # ISO 3166-1 alpha-2 when known


@dataclass(frozen=True, slots=True)
class Address:
    """A postal address of a listed entity."""

    text: str  # the address on one line, as listed
    country: str | None = None  # ISO 3166-1 alpha-2 when known


@dataclass(frozen=True, slots=True)
class ListedEntity:
    """One entry of a watch list."""

    list_id: str  # e.g. "ofac-sdn", "un-consolidated", "eu-fsf", or a member's own id
    entity_id: str  # the list's own id (OFAC: ent_num as a string)
    schema: Schema
    names: tuple[ListedName, ...]  # the primary name first
    birth_dates: tuple[str, ...] = ()  # ISO "YYYY-MM-DD", "YYYY-MM" or "YYYY"
    countries: tuple[str, ...] = ()  # ISO2: nationality, citizenship, residence, address
    identifiers: tuple[Identifier, ...] = ()
    addresses: tuple[Address, ...] = ()
    programs: tuple[str, ...] = ()  # e.g. ("SDNTK", "ILLICIT-DRUGS-EO14059")
    listed_on: str | None = None  # ISO date the entity was listed, when known
    remarks: str | None = None

    @property
    def name(self) -> str:
        """The primary name."""
        return self.names[0].full if self.names else ""


@dataclass(frozen=True, slots=True)
class LoadProblem:
    """A record that could not be read: reported, skipped and counted, never silently lost."""

    file: str
    record: str  # "line 12", "record 5 (uid 1234)", "entry 7"
    field: str | None
    why: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.record}"
        if self.field:
            where += f", field {self.field}"
        return f"{where}: {self.why}"


@dataclass(frozen=True, slots=True)
class ListInfo:
    """What a loaded list is and where it came from."""

    list_id: str
    title: str  # e.g. "OFAC SDN list"
    format: str  # one of FORMATS
    path: str  # the main file
    sha256: str  # of the main file's bytes (and companions', in order, for OFAC CSV)
    published: str | None  # the list's own publication date (ISO), when the file carries it
    entities: int
    problems: int


@dataclass(slots=True)
class LoadedList:
    """A list read from its file(s): the entities, and the records that were skipped."""

    info: ListInfo
    entities: list[ListedEntity] = field(default_factory=list)
    problems: list[LoadProblem] = field(default_factory=list)
