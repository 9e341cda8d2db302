"""Read the UN Security Council Consolidated List (XML, root `CONSOLIDATED_LIST`).

One `INDIVIDUAL` (-> Person) or `ENTITY` (-> Company) per listing, streamed. What is read:
- names: FIRST_NAME..FOURTH_NAME joined (the primary name, with its parts), every
  INDIVIDUAL_ALIAS / ENTITY_ALIAS (QUALITY "Low" -> a weak alias, "f.k.a." -> a former name,
  "Good", "a.k.a." or empty -> an alias) and NAME_ORIGINAL_SCRIPT (script from its characters);
  an entity name written "A ; B" also gives A and B as aliases;
- INDIVIDUAL_DATE_OF_BIRTH (DATE, YEAR, or every year FROM_YEAR..TO_YEAR) and an alias's
  DATE_OF_BIRTH; NATIONALITY/VALUE and address countries (ISO2); INDIVIDUAL_DOCUMENT;
  addresses; REFERENCE_NUMBER (the entity id, e.g. "QDi.001"); UN_LIST_TYPE (the program);
  LISTED_ON; COMMENTS1 (remarks); the root's `dateGenerated` (the published date).
A listing without a reference number or without any name is reported and skipped; a date of
birth that cannot be read is reported and left out (the listing is kept).
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
    text_of,
    texts_of,
)
from chainbreaker.parties.models import (
    Address,
    Identifier,
    ListedEntity,
    ListedName,
    LoadedList,
    LoadProblem,
    NameKind,
)

__all__ = ["read_un_xml"]

_NAME_FIELDS = (
    ("FIRST_NAME", "first"),
    ("SECOND_NAME", "second"),
    ("THIRD_NAME", "third"),
    ("FOURTH_NAME", "fourth"),
)
_ADDRESS_FIELDS = ("STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE", "COUNTRY")


def read_un_xml(path: Path, list_id: str = "un-consolidated") -> LoadedList:
    """Read the UN consolidated list XML at `path` into a LoadedList.

    Raises DataError naming the file (and line) when it is not readable, well-formed XML
    with a CONSOLIDATED_LIST root; a bad listing is a LoadProblem.
    """
    path = Path(path)
    entities: list[ListedEntity] = []
    problems: list[LoadProblem] = []
    published: str | None = None
    counts = {"INDIVIDUAL": 0, "ENTITY": 0}
    records = stream_records(path, "CONSOLIDATED_LIST", ("INDIVIDUAL", "ENTITY"))
    for elem in records:
        if elem.tag == "CONSOLIDATED_LIST":
            published = root_date(elem, "dateGenerated")
            continue
        counts[elem.tag] += 1
        reader = _Listing(path, elem, counts[elem.tag], problems)
        entity = reader.entity(list_id)
        if entity is not None:
            entities.append(entity)
    title = "UN Security Council Consolidated List"
    return finish_list(path, list_id, title, "un-xml", published, entities, problems)


class _Listing(ListingReader):
    """One INDIVIDUAL or ENTITY element being read; problems go to the shared list."""

    def __init__(self, path: Path, elem: ET.Element, number: int, problems: list[LoadProblem]):
        self.person = elem.tag == "INDIVIDUAL"
        self.ref = text_of(elem, "REFERENCE_NUMBER")
        ident = f"REFERENCE_NUMBER {self.ref}" if self.ref else f"DATAID {text_of(elem, 'DATAID')}"
        super().__init__(path, elem, f"{elem.tag.lower()} {number} ({ident})", problems)

    def entity(self, list_id: str) -> ListedEntity | None:
        """The listed entity, or None (and a problem) when it has no id or no name."""
        if self.ref is None:
            self.problem("REFERENCE_NUMBER", "no reference number: the listing has no id")
            return None
        names = self.names()
        if not names:
            self.problem("FIRST_NAME", "no name")
            return None
        elem = self.elem
        birth_dates = self.birth_dates()
        countries = [c for c in map(country_code, texts_of(elem, "NATIONALITY/VALUE")) if c]
        addresses = self.addresses()
        countries += [a.country for a in addresses if a.country]
        listed = parse_dates(text_of(elem, "LISTED_ON"))
        program = text_of(elem, "UN_LIST_TYPE")
        return ListedEntity(
            list_id=list_id,
            entity_id=self.ref,
            schema="Person" if self.person else "Company",
            names=tuple(names),
            birth_dates=tuple(dict.fromkeys(birth_dates)),
            countries=tuple(dict.fromkeys(countries)),
            identifiers=tuple(self.documents()),
            addresses=tuple(addresses),
            programs=(program,) if program else (),
            listed_on=listed[0] if listed else None,
            remarks=text_of(elem, "COMMENTS1"),
        )

    def names(self) -> list[ListedName]:
        """The primary name (from the name fields), the aliases and the original-script name."""
        parts = [(label, text) for tag, label in _NAME_FIELDS if (text := text_of(self.elem, tag))]
        names: list[ListedName] = []
        seen: set[str] = set()

        def add(name: ListedName) -> None:
            key = name.full.casefold()
            if key not in seen:
                seen.add(key)
                names.append(name)

        if parts:
            full = " ".join(text for _, text in parts)
            add(ListedName(full, parts=tuple(parts) if self.person else ()))
            if not self.person and " ; " in full:
                for piece in full.split(" ; "):
                    if piece.strip():
                        add(ListedName(piece.strip(), kind="aka"))
        alias_tag = "INDIVIDUAL_ALIAS" if self.person else "ENTITY_ALIAS"
        for alias in self.elem.iterfind(alias_tag):
            text = text_of(alias, "ALIAS_NAME")
            if text is None:
                continue
            quality = (text_of(alias, "QUALITY") or "").casefold()
            kind: NameKind = "fka" if quality == "f.k.a." else "aka"
            add(ListedName(text, kind=kind, weak=quality == "low"))
        original = text_of(self.elem, "NAME_ORIGINAL_SCRIPT")
        if original:
            add(ListedName(original, kind="aka", script=name_script(original)))
        return names

    def birth_dates(self) -> list[str]:
        """ISO dates of birth: of the listing and of its aliases."""
        out: list[str] = []
        for dob in self.elem.iterfind("INDIVIDUAL_DATE_OF_BIRTH"):
            date, year = text_of(dob, "DATE"), text_of(dob, "YEAR")
            start, end = text_of(dob, "FROM_YEAR"), text_of(dob, "TO_YEAR")
            if date or year:
                field = "INDIVIDUAL_DATE_OF_BIRTH/" + ("DATE" if date else "YEAR")
                out += self.dates(field, date or year)
            elif start or end:
                out += self.year_range("INDIVIDUAL_DATE_OF_BIRTH/FROM_YEAR..TO_YEAR", start, end)
        for alias in self.elem.iterfind("INDIVIDUAL_ALIAS"):
            text = text_of(alias, "DATE_OF_BIRTH")
            if text:
                out += self.dates("INDIVIDUAL_ALIAS/DATE_OF_BIRTH", text)
        return out

    def documents(self) -> list[Identifier]:
        out = []
        for doc in self.elem.iterfind("INDIVIDUAL_DOCUMENT"):
            number = text_of(doc, "NUMBER")
            if number is None:
                continue
            kind = text_of(doc, "TYPE_OF_DOCUMENT") or "Document"
            detail = text_of(doc, "TYPE_OF_DOCUMENT2")
            if detail:
                kind = f"{kind} ({detail})"
            issuer = text_of(doc, "ISSUING_COUNTRY") or text_of(doc, "COUNTRY_OF_ISSUE")
            out.append(Identifier(kind, number, country_code(issuer)))
        return out

    def addresses(self) -> list[Address]:
        out = []
        tag = "INDIVIDUAL_ADDRESS" if self.person else "ENTITY_ADDRESS"
        for address in self.elem.iterfind(tag):
            parts = [text for field in _ADDRESS_FIELDS if (text := text_of(address, field))]
            if parts:
                out.append(Address(", ".join(parts), country_code(text_of(address, "COUNTRY"))))
        return out
