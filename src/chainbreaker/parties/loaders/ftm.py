"""Read FollowTheMoney entities, one JSON object per line (OpenSanctions `entities.ftm.json`,
`targets.nested.json`, or any export in that form).

Each line is `{"id", "schema", "properties": {prop: [values]}, "datasets", "target", ...}`.
Party schemata are read: Person -> Person; Company, Organization, LegalEntity, PublicBody ->
Company; Vessel -> Vessel; Airplane -> Aircraft. Other schemata (Sanction, Address, Ownership,
Identification...) and entities marked `"target": false` are not screened: they are skipped and
counted in the list's title, not reported as problems. What is read from a party:
- names: `name` (the first is the primary name; firstName/middleName/fatherName/lastName become
  its parts), `alias`, `weakAlias` (weak), `previousName` (former name);
- `birthDate`; countries from nationality, citizenship, country, jurisdiction, flag;
  identifiers (idNumber, passportNumber, registrationNumber, innCode, taxNumber...);
  `address` and nested `addressEntity`; programs from programId/program (also of nested
  `sanctions`) then `topics`; listed on from nested sanctions' listingDate/startDate; `notes`.
A line that is not JSON, not an object, or lacks id or schema is a LoadProblem with its line
number, as is a repeated id; an unreadable birth date is reported and left out.
"""

from __future__ import annotations

import collections
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

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
    NameKind,
    Schema,
)

__all__ = ["PARTY_SCHEMATA", "read_ftm"]

#: Reports a problem of the current line: (field, why).
_Report = Callable[[str | None, str], None]

#: FtM schemata screened, and the schema each becomes.
PARTY_SCHEMATA: dict[str, Schema] = {
    "Person": "Person",
    "Company": "Company",
    "Organization": "Company",
    "LegalEntity": "Company",
    "PublicBody": "Company",
    "Vessel": "Vessel",
    "Airplane": "Aircraft",
}
_ALIASES: tuple[tuple[str, NameKind, bool], ...] = (
    ("alias", "aka", False),
    ("weakAlias", "aka", True),
    ("previousName", "fka", False),
)
_NAME_PARTS = (
    ("firstName", "first"),
    ("middleName", "middle"),
    ("fatherName", "patronymic"),
    ("lastName", "last"),
)
_COUNTRIES = ("nationality", "citizenship", "country", "jurisdiction", "flag")
#: FtM identifier properties; the property name is the identifier's kind.
_IDENTIFIERS = (
    "idNumber",
    "passportNumber",
    "socialSecurityNumber",
    "registrationNumber",
    "taxNumber",
    "vatCode",
    "innCode",
    "ogrnCode",
    "okpoCode",
    "leiCode",
    "dunsCode",
    "swiftBic",
    "uniqueEntityId",
    "imoNumber",
    "mmsi",
    "callSign",
    "serialNumber",
)


def read_ftm(path: Path, list_id: str | None = None) -> LoadedList:
    """Read the FtM JSON lines file at `path`; `list_id` defaults to the file's stem.

    Raises DataError naming the file when it cannot be read; a bad line is a LoadProblem.
    """
    path = Path(path)
    reader = _Reader(path, list_id or path.stem)
    for number, line in _lines(path):
        reader.read(number, line)
    published = parse_dates(reader.last_seen)
    return finish_list(
        path,
        reader.list_id,
        _title(reader.datasets, reader.skipped),
        "ftm",
        published[0] if published else None,
        reader.entities,
        reader.problems,
    )


class _Reader:
    """The state of one file being read: entities, problems, what was skipped, ids seen."""

    def __init__(self, path: Path, list_id: str):
        self.path = path
        self.list_id = list_id
        self.entities: list[ListedEntity] = []
        self.problems: list[LoadProblem] = []
        self.skipped: collections.Counter[str] = collections.Counter()
        self.datasets: dict[str, None] = {}
        self.seen: dict[str, int] = {}  # id -> line number
        self.last_seen = ""

    def read(self, number: int, line: bytes) -> None:
        """Read one line: an entity, a skipped non-party entity, or a problem."""

        def problem(field: str | None, why: str) -> None:
            self.problems.append(LoadProblem(str(self.path), f"line {number}", field, why))

        data = _object(line, problem)
        if data is None:
            return
        ftm_id, schema = data.get("id"), data.get("schema")
        if not isinstance(ftm_id, str) or not ftm_id.strip():
            problem("id", "no id")
            return
        if not isinstance(schema, str) or not schema.strip():
            problem("schema", f"no schema (id {ftm_id})")
            return
        if schema not in PARTY_SCHEMATA or data.get("target") is False:
            self.skipped[schema if schema not in PARTY_SCHEMATA else f"non-target {schema}"] += 1
            return
        if ftm_id in self.seen:
            problem("id", f"id {ftm_id} repeated (first on line {self.seen[ftm_id]}): skipped")
            return
        self.seen[ftm_id] = number
        entity = _entity(data, ftm_id, PARTY_SCHEMATA[schema], self.list_id, problem)
        if entity is None:
            return
        self.entities.append(entity)
        self.datasets.update(dict.fromkeys(_strings(data.get("datasets"))))
        if isinstance(data.get("last_seen"), str):
            self.last_seen = max(self.last_seen, data["last_seen"][:10])


def _lines(path: Path) -> Iterator[tuple[int, bytes]]:
    """(line number, bytes) of each non-blank line; DataError when the file cannot be read."""
    try:
        with path.open("rb") as handle:
            for number, line in enumerate(handle, start=1):
                if number == 1:
                    line = line.removeprefix(b"\xef\xbb\xbf")
                if line.strip():
                    yield number, line
    except OSError as exc:
        raise DataError(f"{path}: cannot be read ({exc.strerror or exc})") from exc


def _object(line: bytes, problem: _Report) -> dict[str, Any] | None:
    try:
        data = json.loads(line.decode("utf-8"))
    except UnicodeDecodeError as exc:
        problem(None, f"not UTF-8 (byte {exc.start + 1})")
        return None
    except json.JSONDecodeError as exc:
        problem(None, f"not JSON ({exc.msg} at column {exc.colno})")
        return None
    if not isinstance(data, dict):
        problem(None, f"a JSON {type(data).__name__}, not an entity object")
        return None
    return data


def _title(datasets: dict[str, None], skipped: collections.Counter[str]) -> str:
    title = "FollowTheMoney entities"
    if datasets:
        title += f" ({', '.join(datasets)})"
    if skipped:
        counts = ", ".join(f"{name} {count}" for name, count in sorted(skipped.items()))
        title += f"; not screened: {counts}"
    return title


def _strings(value: Any) -> list[str]:
    """The non-empty strings of a property value (a list of strings; a lone string is accepted)."""
    if value is None:  # the usual case: most properties are absent
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return []
    return [v.strip() for v in value if isinstance(v, str) and v.strip()]


def _nested(value: Any) -> list[dict[str, Any]]:
    """The properties of nested entities in a property value (targets.nested.json)."""
    if not isinstance(value, list):
        return []
    return [
        v["properties"]
        for v in value
        if isinstance(v, dict) and isinstance(v.get("properties"), dict)
    ]


def _entity(
    data: dict[str, Any], ftm_id: str, schema: Schema, list_id: str, problem: _Report
) -> ListedEntity | None:
    props = data.get("properties")
    if props is None:
        props = {}
    if not isinstance(props, dict):
        problem("properties", "properties is not an object")
        return None
    names = _names(props, data)
    if not names:
        problem("name", f"no name (id {ftm_id})")
        return None
    birth_dates: list[str] = []
    for text in _strings(props.get("birthDate")):
        dates = parse_dates(text[:10])
        if not dates:
            problem("birthDate", f"unreadable date {text!r} (id {ftm_id}): left out")
        birth_dates += dates
    countries = [
        c for prop in _COUNTRIES for v in _strings(props.get(prop)) if (c := country_code(v))
    ]
    identifiers = [Identifier(prop, v) for prop in _IDENTIFIERS for v in _strings(props.get(prop))]
    addresses = [Address(text) for text in _strings(props.get("address"))]
    for nested in _nested(props.get("addressEntity")):
        text = ", ".join(_strings(nested.get("full"))) or ", ".join(
            v for p in ("street", "city", "postalCode", "country") for v in _strings(nested.get(p))
        )
        country = next((c for v in _strings(nested.get("country")) if (c := country_code(v))), None)
        if text and all(a.text != text for a in addresses):
            addresses.append(Address(text, country))
    sanctions = _nested(props.get("sanctions"))
    programs = [
        v for s in [props, *sanctions] for p in ("programId", "program") for v in _strings(s.get(p))
    ]
    programs += _strings(props.get("topics"))
    listed = sorted(
        d
        for s in sanctions
        for p in ("listingDate", "startDate")
        for v in _strings(s.get(p))
        for d in parse_dates(v[:10])
    )
    notes = _strings(props.get("notes"))
    return ListedEntity(
        list_id=list_id,
        entity_id=ftm_id,
        schema=schema,
        names=tuple(names),
        birth_dates=tuple(dict.fromkeys(birth_dates)),
        countries=tuple(dict.fromkeys(countries)),
        identifiers=tuple(dict.fromkeys(identifiers)),
        addresses=tuple(addresses),
        programs=tuple(dict.fromkeys(programs)),
        listed_on=listed[0] if listed else None,
        remarks="\n".join(notes) or None,
    )


def _names(props: dict[str, Any], data: dict[str, Any]) -> list[ListedName]:
    parts = []
    for prop, label in _NAME_PARTS:
        values = _strings(props.get(prop))
        if len(values) == 1:
            parts.append((label, values[0]))
    primary = _strings(props.get("name"))
    if not primary:
        built = " ".join(v for _, v in parts)
        caption = data.get("caption")
        primary = [built] if built else _strings(caption)
    names: list[ListedName] = []
    seen: set[str] = set()

    def add(name: ListedName) -> None:
        if name.full.casefold() not in seen:
            seen.add(name.full.casefold())
            names.append(name)

    for i, full in enumerate(primary):
        if i == 0:
            add(ListedName(full, parts=tuple(parts)))
        else:
            add(ListedName(full, kind="aka"))
    for prop, kind, weak in _ALIASES:
        for full in _strings(props.get(prop)):
            add(ListedName(full, kind=kind, weak=weak))
    return names
