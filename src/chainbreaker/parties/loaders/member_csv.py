"""Read a member's own list: a plain CSV file with a header (described in docs/lists.md).

Columns (header names are case-insensitive; unknown columns are ignored and named in the
list's title): `id` and `name` (required); `schema` (Person, Company, Vessel, Aircraft or
Unknown; also Individual, Organization/Organisation, Entity, LegalEntity, Airplane; empty ->
Unknown), `aliases` and `weak_aliases` (`;`-separated), `dob` (`;`-separated dates in any form
the list dates reader takes: 1976-01-03, 03 Jan 1976, 1976, 03/01/1976 day first...),
`country` (`;`-separated names or codes), `identifiers` (`kind:value;...`), `address`,
`program` (`;`-separated), `remarks`.

UTF-8 with or without a byte order mark; comma or semicolon delimited (whichever the header
line holds more of). A row with a missing id or name, an unknown schema, a date or country that
cannot be read, an identifier without `kind:`, a repeated id, bytes that are not UTF-8 or more
cells than the header is a LoadProblem (line and field) and is skipped: every row becomes an
entity or one or more problems. A file without a usable header is a DataError.
"""

from __future__ import annotations

import csv
import itertools
import re
from pathlib import Path

from chainbreaker.errors import DataError
from chainbreaker.parties.loaders.countries import country_code
from chainbreaker.parties.loaders.dates import parse_dates
from chainbreaker.parties.loaders.results import finish_list
from chainbreaker.parties.models import (
    Address,
    Identifier,
    ListedEntity,
    ListedName,
    LoadedList,
    LoadProblem,
    Schema,
)

__all__ = ["COLUMNS", "REQUIRED", "read_member_csv"]

REQUIRED = ("id", "name")
COLUMNS = (
    *REQUIRED,
    "schema",
    "aliases",
    "weak_aliases",
    "dob",
    "country",
    "identifiers",
    "address",
    "program",
    "remarks",
)
#: Bytes that are not UTF-8, as surrogateescape decodes them.
_NOT_UTF8 = re.compile("[\udc80-\udcff]")
_SCHEMAS: dict[str, Schema] = {
    "person": "Person",
    "individual": "Person",
    "company": "Company",
    "organization": "Company",
    "organisation": "Company",
    "entity": "Company",
    "legalentity": "Company",
    "vessel": "Vessel",
    "aircraft": "Aircraft",
    "airplane": "Aircraft",
    "unknown": "Unknown",
    "": "Unknown",
}


def read_member_csv(path: Path, list_id: str | None = None) -> LoadedList:
    """Read the member list CSV at `path`; `list_id` defaults to the file's stem.

    Raises DataError naming the file when it cannot be read or its header lacks id or name;
    a bad row is a LoadProblem.
    """
    path = Path(path)
    list_id = list_id or path.stem
    entities: list[ListedEntity] = []
    problems: list[LoadProblem] = []
    try:
        with path.open(encoding="utf-8-sig", errors="surrogateescape", newline="") as handle:
            first = handle.readline()
            delimiter = ";" if first.count(";") > first.count(",") else ","
            reader = csv.reader(itertools.chain([first], handle), delimiter=delimiter)
            header = _header(path, next(reader, []))
            seen: dict[str, int] = {}
            line = reader.line_num
            for cells in reader:
                start, line = line + 1, reader.line_num
                if not cells:
                    continue  # a blank line
                row = _Row(path, start, header, cells)
                entity = row.entity(list_id, seen)
                if entity is None:
                    problems += row.problems
                else:
                    entities.append(entity)
    except OSError as exc:
        raise DataError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    except csv.Error as exc:
        raise DataError(f"{path}: line {reader.line_num}: not readable as CSV ({exc})") from exc
    ignored = [name for name in header if name not in COLUMNS]
    title = f"member list {list_id}"
    if ignored:
        title += f" (ignored columns: {', '.join(ignored)})"
    return finish_list(path, list_id, title, "csv", None, entities, problems)


def _header(path: Path, cells: list[str]) -> list[str]:
    """The normalised column names; DataError when id or name is missing or a name repeats."""
    header = [c.strip().casefold().replace(" ", "_").replace("-", "_") for c in cells]
    if any(_NOT_UTF8.search(c) for c in header):
        raise DataError(f"{path}: line 1 (header): not UTF-8")
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        found = ", ".join(h for h in header if h) or "nothing"
        raise DataError(
            f"{path}: line 1 (header): no column {' or '.join(missing)} (found: {found}); "
            f"a member list needs a header with at least {', '.join(REQUIRED)}"
        )
    repeated = sorted({h for h in header if h and header.count(h) > 1})
    if repeated:
        raise DataError(f"{path}: line 1 (header): column {', '.join(repeated)} repeated")
    return header


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


class _Row:
    """One data row being read; its problems are kept until the row is known to be bad."""

    def __init__(self, path: Path, line: int, header: list[str], cells: list[str]):
        self.path = path
        self.line = line
        self.problems: list[LoadProblem] = []
        self.cells = {name: cell.strip() for name, cell in zip(header, cells, strict=False)}
        extra = [c for c in cells[len(header) :] if c.strip()]
        if extra:
            self.problem(None, f"{len(cells)} cells, the header has {len(header)}")
        if any(_NOT_UTF8.search(cell) for cell in cells):
            self.problem(None, "not UTF-8")

    def problem(self, field: str | None, why: str) -> None:
        record = f"line {self.line}"
        self.problems.append(LoadProblem(str(self.path), record, field, why))

    def entity(self, list_id: str, seen: dict[str, int]) -> ListedEntity | None:
        """The listed entity, or None when the row has any problem (kept in self.problems)."""
        get = self.cells.get
        entity_id, name = get("id", ""), get("name", "")
        if not entity_id:
            self.problem("id", "no id")
        elif entity_id in seen:
            self.problem("id", f"id {entity_id!r} repeated (first on line {seen[entity_id]})")
        if not name:
            self.problem("name", "no name")
        elif not any(ch.isalnum() for ch in name):
            self.problem("name", f"no letter or digit in the name {name!r}")
        schema = _SCHEMAS.get(get("schema", "").casefold().replace(" ", ""))
        if schema is None:
            known = "Person, Company, Vessel, Aircraft, Unknown"
            self.problem("schema", f"unknown schema {get('schema')!r} (one of {known})")
        names = [ListedName(name)]
        names += [ListedName(alias, kind="aka") for alias in _split(get("aliases", ""))]
        names += [ListedName(a, kind="aka", weak=True) for a in _split(get("weak_aliases", ""))]
        birth_dates = self.birth_dates()
        countries = self.countries()
        identifiers = self.identifiers()
        if self.problems or schema is None:
            return None
        seen[entity_id] = self.line
        address = get("address", "")
        return ListedEntity(
            list_id=list_id,
            entity_id=entity_id,
            schema=schema,
            names=tuple(names),
            birth_dates=tuple(dict.fromkeys(birth_dates)),
            countries=tuple(dict.fromkeys(countries)),
            identifiers=tuple(identifiers),
            addresses=(Address(address),) if address else (),
            programs=tuple(dict.fromkeys(_split(get("program", "")))),
            remarks=get("remarks") or None,
        )

    def birth_dates(self) -> list[str]:
        out: list[str] = []
        for text in _split(self.cells.get("dob", "")):
            dates = parse_dates(text)
            if not dates:
                self.problem("dob", f"unreadable date {text!r}")
            out += dates
        return out

    def countries(self) -> list[str]:
        out = []
        for text in _split(self.cells.get("country", "")):
            code = country_code(text)
            if code is None:
                self.problem("country", f"unknown country {text!r}")
            else:
                out.append(code)
        return out

    def identifiers(self) -> list[Identifier]:
        out = []
        for item in _split(self.cells.get("identifiers", "")):
            kind, colon, value = item.partition(":")
            if not colon or not kind.strip() or not value.strip():
                self.problem("identifiers", f"{item!r} is not kind:value")
            else:
                out.append(Identifier(kind.strip(), value.strip()))
        return out
