"""Read the EU consolidated financial sanctions list (FSF XML, root `export`, namespaced).

One `sanctionEntity` per listing, streamed. What is read:
- `logicalId` (the entity id), `subjectType@code` ("person" -> Person, "enterprise" -> Company);
- every `nameAlias`: `wholeName` (or firstName middleName lastName, kept as parts); the first is
  the primary name, the others aliases; `strong="false"` -> a weak alias; a name in another
  script than Latin carries its script;
- `birthdate` (`birthdate`, or `year`/`monthOfYear`/`dayOfMonth`, or every year
  `yearRangeFrom`..`yearRangeTo`), `citizenship@countryIso2Code` and address countries (ISO2),
  `identification` (type, number, country), `address`, `regulation@programme` (the programs),
  `designationDate` or the earliest `regulation@publicationDate` (listed on), `remark`;
- the root's `generationDate` (the published date).
A listing without a logicalId or without any name is reported and skipped; an unreadable date
of birth or an unknown subject type is reported and the listing kept.
"""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree as ET

from chainbreaker.parties.loaders.countries import country_code
from chainbreaker.parties.loaders.dates import parse_dates
from chainbreaker.parties.loaders.results import finish_list
from chainbreaker.parties.loaders.xml_lists import (
    ListingReader,
    name_script,
    root_date,
    stream_records,
    texts_of,
)
from chainbreaker.parties.models import (
    Address,
    Identifier,
    ListedEntity,
    ListedName,
    LoadedList,
    LoadProblem,
    Schema,
)

__all__ = ["read_eu_xml"]

_SUBJECT_TYPES: dict[str, Schema] = {"person": "Person", "enterprise": "Company"}
_NAME_PARTS = (("firstName", "first"), ("middleName", "middle"), ("lastName", "last"))
_ADDRESS_FIELDS = ("street", "poBox", "zipCode", "city", "region", "place", "countryDescription")
#: The EU writes "00" (UNKNOWN) when it does not know the country.
_NO_COUNTRY = frozenset({"", "00"})


def read_eu_xml(path: Path, list_id: str = "eu-fsf") -> LoadedList:
    """Read the EU consolidated sanctions list XML at `path` into a LoadedList.

    Raises DataError naming the file (and line) when it is not readable, well-formed XML
    with an `export` root; a bad listing is a LoadProblem.
    """
    path = Path(path)
    entities: list[ListedEntity] = []
    problems: list[LoadProblem] = []
    published: str | None = None
    number = 0
    for elem in stream_records(path, "export", ("sanctionEntity",)):
        if elem.tag == "export":
            published = root_date(elem, "generationDate")
            continue
        number += 1
        entity = _Listing(path, elem, number, problems).entity(list_id)
        if entity is not None:
            entities.append(entity)
    title = "EU consolidated financial sanctions list"
    return finish_list(path, list_id, title, "eu-xml", published, entities, problems)


def _attr(elem: ET.Element, name: str) -> str | None:
    value = (elem.get(name) or "").strip()
    return value or None


def _country(elem: ET.Element) -> str | None:
    code = (elem.get("countryIso2Code") or "").strip()
    return None if code in _NO_COUNTRY else country_code(code)


class _Listing(ListingReader):
    """One sanctionEntity element being read; problems go to the shared list."""

    def __init__(self, path: Path, elem: ET.Element, number: int, problems: list[LoadProblem]):
        self.logical_id = _attr(elem, "logicalId")
        ref = _attr(elem, "euReferenceNumber")
        label = f"logicalId {self.logical_id}" if self.logical_id else f"euReferenceNumber {ref}"
        super().__init__(path, elem, f"sanctionEntity {number} ({label})", problems)

    def entity(self, list_id: str) -> ListedEntity | None:
        """The listed entity, or None (and a problem) when it has no id or no name."""
        elem = self.elem
        if self.logical_id is None:
            self.problem("logicalId", "no logicalId: the listing has no id")
            return None
        names = self.names()
        if not names:
            self.problem("nameAlias", "no name")
            return None
        addresses = self.addresses()
        countries = [c for c in map(_country, elem.iterfind("citizenship")) if c]
        countries += [a.country for a in addresses if a.country]
        regulations = list(elem.iterfind("regulation"))
        programs = [p for r in regulations if (p := _attr(r, "programme"))]
        published = sorted(
            d for r in regulations for d in parse_dates(_attr(r, "publicationDate")) if len(d) == 10
        )
        designated = parse_dates(_attr(elem, "designationDate"))
        listed_on = designated[0] if designated else (published[0] if published else None)
        remarks = texts_of(elem, "remark")
        return ListedEntity(
            list_id=list_id,
            entity_id=self.logical_id,
            schema=self.schema(),
            names=tuple(names),
            birth_dates=tuple(dict.fromkeys(self.birth_dates())),
            countries=tuple(dict.fromkeys(countries)),
            identifiers=tuple(self.identifiers()),
            addresses=tuple(addresses),
            programs=tuple(dict.fromkeys(programs)),
            listed_on=listed_on,
            remarks="\n".join(remarks) or None,
        )

    def schema(self) -> Schema:
        subject = self.elem.find("subjectType")
        code = (subject.get("code") or "").strip() if subject is not None else ""
        schema = _SUBJECT_TYPES.get(code.casefold())
        if schema is None:
            self.problem("subjectType", f"unknown subject type {code!r}: kept as Unknown")
            return "Unknown"
        return schema

    def names(self) -> list[ListedName]:
        """Every nameAlias, the first as the primary name."""
        names: list[ListedName] = []
        seen: set[str] = set()
        for alias in self.elem.iterfind("nameAlias"):
            parts = tuple((label, v) for attr, label in _NAME_PARTS if (v := _attr(alias, attr)))
            full = _attr(alias, "wholeName") or " ".join(v for _, v in parts)
            if not full or full.casefold() in seen:
                continue
            seen.add(full.casefold())
            script = name_script(full)
            names.append(
                ListedName(
                    full,
                    kind="aka" if names else "primary",
                    weak=(alias.get("strong") or "").strip().casefold() == "false",
                    script=None if script in (None, "Latin") else script,
                    parts=parts,
                )
            )
        return names

    def birth_dates(self) -> list[str]:
        out: list[str] = []
        for birth in self.elem.iterfind("birthdate"):
            full, year = _attr(birth, "birthdate"), _attr(birth, "year")
            start, end = _attr(birth, "yearRangeFrom"), _attr(birth, "yearRangeTo")
            if full:
                out += self.dates("birthdate@birthdate", full)
            elif year:
                month, day = _attr(birth, "monthOfYear"), _attr(birth, "dayOfMonth")
                text = year
                if month and month.isdigit():
                    text += f"-{int(month):02d}"
                    if day and day.isdigit():
                        text += f"-{int(day):02d}"
                out += self.dates("birthdate@year", text)
            elif start or end:
                out += self.year_range("birthdate@yearRangeFrom..yearRangeTo", start, end)
        return out

    def identifiers(self) -> list[Identifier]:
        out = []
        for ident in self.elem.iterfind("identification"):
            number = _attr(ident, "number") or _attr(ident, "latinNumber")
            if number is None:
                continue
            kind = (
                _attr(ident, "identificationTypeDescription")
                or _attr(ident, "identificationTypeCode")
                or "Identification"
            )
            out.append(Identifier(kind, number, _country(ident)))
        return out

    def addresses(self) -> list[Address]:
        out = []
        for address in self.elem.iterfind("address"):
            parts = [v for field in _ADDRESS_FIELDS if (v := _attr(address, field))]
            parts = [p for p in parts if p.casefold() != "unknown"]
            if parts:
                out.append(Address(", ".join(parts), _country(address)))
        return out
