"""OFAC's SDN.XML (the legacy XML: the same content as the CSV files, structured), streamed.

Root `<sdnList>` in any namespace (the Sanctions List Service's, or the older
`http://tempuri.org/sdnList.xsd`); `publshInformation/Publish_Date` (MM/DD/YYYY) is the list's
date; one `sdnEntry` per listing, its `uid` the ent_num. Each entry is cleared once read.

An entry without a numeric uid or without a name is reported as a LoadProblem and skipped.
`idList/id` items whose idType is not an identifier (Gender, Secondary sanctions risk:,
Organization Established Date...; see `data/ofac_facts.yaml`) are kept in the remarks as
"idType idNumber" facts, as sdn.csv writes them.
"""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree import ElementTree as ET

from chainbreaker.errors import DataError
from chainbreaker.parties.loaders.countries import country_code
from chainbreaker.parties.loaders.ofac_facts import birth_dates, is_identifier_kind
from chainbreaker.parties.loaders.ofac_lists import ALIAS_KINDS, SCHEMAS, list_title, xml_list_id
from chainbreaker.parties.loaders.results import finish_list
from chainbreaker.parties.loaders.xml_lists import stream_records, text_of
from chainbreaker.parties.models import (
    Address,
    Identifier,
    ListedEntity,
    ListedName,
    LoadedList,
    LoadProblem,
    Schema,
)

__all__ = ["read_ofac_xml"]

_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_ADDRESS_PARTS = (
    "address1",
    "address2",
    "address3",
    "city",
    "stateOrProvince",
    "postalCode",
    "country",
)


def _us_date(text: str | None) -> str | None:
    """ "05/03/2024" (month first, as OFAC writes Publish_Date) -> "2024-05-03"."""
    m = _US_DATE.match((text or "").strip())
    if not m:
        return None
    month, day, year = (int(g) for g in m.groups())
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def _full_name(elem: ET.Element) -> tuple[str | None, tuple[tuple[str, str], ...]]:
    """The name of an sdnEntry or aka, `LAST, First` as in sdn.csv, and its typed parts."""
    last, first = text_of(elem, "lastName"), text_of(elem, "firstName")
    if last and first:
        return f"{last}, {first}", (("last", last), ("first", first))
    return last or first, ()


def _names(entry: ET.Element, primary: str, parts: tuple[tuple[str, str], ...]) -> list[ListedName]:
    names = [ListedName(primary, parts=parts)]
    seen = {" ".join(primary.casefold().split()): 0}
    for aka in entry.iterfind("akaList/aka"):
        full, aka_parts = _full_name(aka)
        if not full:
            continue
        kind = ALIAS_KINDS.get((text_of(aka, "type") or "a.k.a.").lower(), "aka")
        weak = (text_of(aka, "category") or "").lower() == "weak"
        key = " ".join(full.casefold().split())
        if key in seen:
            if names[seen[key]].weak and not weak:  # a strong repeat of a weak alias
                names[seen[key]] = ListedName(full, kind, parts=aka_parts)
            continue
        seen[key] = len(names)
        names.append(ListedName(full, kind, weak=weak, parts=aka_parts))
    return names


def _address(elem: ET.Element) -> Address | None:
    values = [text_of(elem, part) for part in _ADDRESS_PARTS]
    text = ", ".join(v for v in values if v)
    return Address(text, country_code(values[-1])) if text else None


def _entity(entry: ET.Element, list_id: str, uid: str, primary: str) -> ListedEntity:
    _, parts = _full_name(entry)
    sdn_type = (text_of(entry, "sdnType") or "").lower()
    schema: Schema = SCHEMAS.get(sdn_type, "Unknown")
    facts: list[str] = []
    identifiers: list[Identifier] = []
    for item in entry.iterfind("idList/id"):
        kind, number = text_of(item, "idType"), text_of(item, "idNumber")
        if not kind or not number:
            continue
        if is_identifier_kind(kind):
            identifiers.append(Identifier(kind, number, country_code(text_of(item, "idCountry"))))
        else:
            facts.append(f"{kind} {number}")
    call_sign = text_of(entry, "vesselInfo/callSign")
    if call_sign:
        identifiers.insert(0, Identifier("Call Sign", call_sign))
    countries = [
        code
        for path in ("nationalityList/nationality", "citizenshipList/citizenship")
        for item in entry.iterfind(path)
        if (code := country_code(text_of(item, "country")))
    ]
    if schema == "Vessel" and (flag := country_code(text_of(entry, "vesselInfo/vesselFlag"))):
        countries.append(flag)
    addresses = [a for item in entry.iterfind("addressList/address") if (a := _address(item))]
    countries += [a.country for a in addresses if a.country]
    dates = [
        date
        for item in entry.iterfind("dateOfBirthList/dateOfBirthItem")
        for date in birth_dates(text_of(item, "dateOfBirth"))
    ]
    programs = [(p.text or "").strip() for p in entry.iterfind("programList/program")]
    remarks = "; ".join([r for r in [text_of(entry, "remarks")] if r] + facts)
    return ListedEntity(
        list_id=list_id,
        entity_id=uid,
        schema=schema,
        names=tuple(_names(entry, primary, parts)),
        birth_dates=tuple(dict.fromkeys(dates)),
        countries=tuple(dict.fromkeys(countries)),
        identifiers=tuple(dict.fromkeys(identifiers)),
        addresses=tuple(dict.fromkeys(addresses)),
        programs=tuple(p for p in dict.fromkeys(programs) if p),
        remarks=remarks or None,
    )


def read_ofac_xml(path: Path, list_id: str = "ofac-sdn") -> LoadedList:
    """Read OFAC's SDN.XML (or the consolidated list's XML, same layout), streamed.

    Entries without a numeric uid or a name are reported in `LoadedList.problems` and skipped;
    DataError when the file cannot be read, is not well-formed, is not an `sdnList` or holds no
    entry.
    """
    path = Path(path)
    list_id = xml_list_id(path, list_id)
    entities: list[ListedEntity] = []
    problems: list[LoadProblem] = []
    published: str | None = None
    record_count: str | None = None
    number = 0
    records = stream_records(path, "sdnList", {"sdnEntry", "publshInformation"})
    next(records)  # the root
    for elem in records:
        if elem.tag == "publshInformation":
            published = _us_date(text_of(elem, "Publish_Date"))
            record_count = text_of(elem, "Record_Count")
            continue
        number += 1
        uid = text_of(elem, "uid") or ""
        full, _ = _full_name(elem)
        where = f"entry {number}" + (f" (uid {uid})" if uid else "")
        if not uid.isdigit():
            why = f"uid {uid!r} is not a number" if uid else "no uid"
            problems.append(LoadProblem(str(path), where, "uid", why))
        elif not full:
            problems.append(LoadProblem(str(path), where, "lastName", "no name"))
        else:
            entities.append(_entity(elem, list_id, uid, full))
    if number == 0:
        raise DataError(f"{path}: holds no sdnEntry (an empty or failed download?)")
    if record_count and record_count.isdigit() and int(record_count) != number:
        why = f"Record_Count says {record_count} entries, the file holds {number}"
        problems.append(LoadProblem(str(path), "publshInformation", "Record_Count", why))
    title = list_title(list_id)
    return finish_list(path, list_id, title, "ofac-xml", published, entities, problems)
