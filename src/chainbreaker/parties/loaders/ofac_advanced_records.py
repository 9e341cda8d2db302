"""The records of OFAC's SDN Advanced XML, read into plain forms while the file is streamed.

`read_records` keeps the reference tables, locations, identity documents, distinct parties and
sanctions entries as small frozen records whose links are still ids; `ofac_advanced` resolves
them into entities. Each XML record is cleared as soon as it is read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from xml.etree import ElementTree as ET

from chainbreaker.parties.loaders.xml_lists import stream_records, text_of

__all__ = [
    "RawAlias",
    "RawDocument",
    "RawDocumentedName",
    "RawEntry",
    "RawFeature",
    "RawLocation",
    "RawParty",
    "Records",
    "iso_date",
    "read_records",
]


@dataclass(frozen=True, slots=True)
class RawDocumentedName:
    """One written form of a name: (NamePartGroupID, ScriptID, value) of each part, in order."""

    parts: tuple[tuple[str | None, str | None, str], ...]


@dataclass(frozen=True, slots=True)
class RawAlias:
    """An Alias: its AliasTypeID, whether it is the primary name or a weak alias, its forms."""

    type_id: str | None
    primary: bool
    weak: bool
    names: tuple[RawDocumentedName, ...]


@dataclass(frozen=True, slots=True)
class RawFeature:
    """A Feature: its FeatureTypeID and the values of its versions."""

    type_id: str | None
    details: tuple[tuple[str | None, str | None], ...]  # (text, DetailReferenceID)
    periods: tuple[tuple[str, str], ...]  # (earliest, latest) ISO dates of each DatePeriod
    location_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RawParty:
    """A DistinctParty (its single Profile flattened)."""

    number: int  # its place in the file, for problems
    fixed_ref: str
    profile_id: str
    sub_type_id: str | None
    comment: str | None
    identity_ids: tuple[str, ...]
    aliases: tuple[RawAlias, ...]
    groups: dict[str, str]  # NamePartGroup ID -> NamePartTypeID
    features: tuple[RawFeature, ...]


@dataclass(frozen=True, slots=True)
class RawLocation:
    """A Location: the ids of its countries, and (LocPartTypeID, value) of each part."""

    country_ids: tuple[str, ...]
    parts: tuple[tuple[str | None, str], ...]


@dataclass(frozen=True, slots=True)
class RawDocument:
    """An IDRegDocument: its type, number and issuing country (ids)."""

    type_id: str | None
    number: str | None
    country_id: str | None


@dataclass(frozen=True, slots=True)
class RawEntry:
    """A SanctionsEntry: (SanctionsTypeID, Comment) of each measure, and its event dates."""

    measures: tuple[tuple[str | None, str | None], ...]
    dates: tuple[str, ...]


@dataclass(slots=True)
class Records:
    """Everything read from one file, linked by ids."""

    path: str
    published: str | None = None
    # table ("Country", "FeatureType"...) -> ID -> (text, attributes)
    refs: dict[str, dict[str, tuple[str, dict[str, str]]]] = field(default_factory=dict)
    locations: dict[str, RawLocation] = field(default_factory=dict)
    documents: dict[str, list[RawDocument]] = field(default_factory=dict)  # by IdentityID
    parties: list[RawParty] = field(default_factory=list)
    entries: dict[str, list[RawEntry]] = field(default_factory=dict)  # by ProfileID
    # From-ProfileID -> (RelationTypeID, To-ProfileID) of each ProfileRelationship
    relations: dict[str, list[tuple[str | None, str]]] = field(default_factory=dict)


def _true(value: str | None) -> bool:
    return (value or "").strip().lower() == "true"


def iso_date(elem: ET.Element | None) -> str | None:
    """The ISO date of an element with Year, Month?, Day? children, at the precision given."""
    if elem is None:
        return None
    year, month, day = (text_of(elem, tag) for tag in ("Year", "Month", "Day"))
    if not year or not year.isdigit():
        return None
    try:
        if month and day:
            return date(int(year), int(month), int(day)).isoformat()
        if month:
            return date(int(year), int(month), 1).isoformat()[:7]
        return f"{int(year):04d}"
    except ValueError:
        return None


def _period(elem: ET.Element) -> tuple[str, str] | None:
    lo = iso_date(elem.find("Start/From")) or iso_date(elem.find("Start/To"))
    hi = iso_date(elem.find("End/To")) or iso_date(elem.find("End/From"))
    if lo is None and hi is None:
        return None
    return (lo or hi or "", hi or lo or "")


def _reference_sets(elem: ET.Element, records: Records) -> None:
    for table in elem:
        for item in table:
            ref_id = item.get("ID")
            if ref_id is not None:
                entry = ((item.text or "").strip(), dict(item.attrib))
                records.refs.setdefault(item.tag, {})[ref_id] = entry


def _location(elem: ET.Element, records: Records) -> None:
    countries = tuple(
        cid for c in elem.iterfind("LocationCountry") if (cid := c.get("CountryID")) is not None
    )
    parts = tuple(
        (part.get("LocPartTypeID"), value)
        for part in elem.iterfind("LocationPart")
        if (value := text_of(part, "LocationPartValue/Value"))
    )
    records.locations[elem.get("ID") or ""] = RawLocation(countries, parts)


def _document(elem: ET.Element, records: Records) -> None:
    doc = RawDocument(
        elem.get("IDRegDocTypeID"),
        text_of(elem, "IDRegistrationNo"),
        elem.get("IssuedBy-CountryID"),
    )
    records.documents.setdefault(elem.get("IdentityID") or "", []).append(doc)


def _entry(elem: ET.Element, records: Records) -> None:
    measures = tuple(
        (m.get("SanctionsTypeID"), text_of(m, "Comment")) for m in elem.iterfind("SanctionsMeasure")
    )
    dates = tuple(d for e in elem.iterfind("EntryEvent") if (d := iso_date(e.find("Date"))))
    records.entries.setdefault(elem.get("ProfileID") or "", []).append(RawEntry(measures, dates))


def _alias(elem: ET.Element) -> RawAlias:
    names = tuple(
        RawDocumentedName(
            tuple(
                (v.get("NamePartGroupID"), v.get("ScriptID"), text)
                for v in doc.iterfind("DocumentedNamePart/NamePartValue")
                if (text := (v.text or "").strip())
            )
        )
        for doc in elem.iterfind("DocumentedName")
    )
    return RawAlias(
        elem.get("AliasTypeID"), _true(elem.get("Primary")), _true(elem.get("LowQuality")), names
    )


def _feature(elem: ET.Element) -> RawFeature:
    details = tuple(
        ((d.text or "").strip() or None, d.get("DetailReferenceID"))
        for d in elem.iter("VersionDetail")
    )
    periods = tuple(p for d in elem.iter("DatePeriod") if (p := _period(d)))
    locations = tuple(
        lid for v in elem.iter("VersionLocation") if (lid := v.get("LocationID")) is not None
    )
    return RawFeature(elem.get("FeatureTypeID"), details, periods, locations)


def _party(elem: ET.Element, records: Records) -> None:
    profile = elem.find("Profile")
    if profile is None:
        profile = ET.Element("Profile")
    identities = profile.findall("Identity")
    groups = {
        g.get("ID") or "": g.get("NamePartTypeID") or ""
        for identity in identities
        for g in identity.iterfind("NamePartGroups/MasterNamePartGroup/NamePartGroup")
    }
    records.parties.append(
        RawParty(
            number=len(records.parties) + 1,
            fixed_ref=(elem.get("FixedRef") or "").strip(),
            profile_id=(profile.get("ID") or "").strip(),
            sub_type_id=profile.get("PartySubTypeID"),
            comment=text_of(elem, "Comment"),
            identity_ids=tuple(i.get("ID") or "" for i in identities),
            aliases=tuple(_alias(a) for identity in identities for a in identity.iterfind("Alias")),
            groups=groups,
            features=tuple(_feature(f) for f in profile.iterfind("Feature")),
        )
    )


def _relation(elem: ET.Element, records: Records) -> None:
    source, target = elem.get("From-ProfileID"), elem.get("To-ProfileID")
    if source and target:
        records.relations.setdefault(source, []).append((elem.get("RelationTypeID"), target))


def _date_of_issue(elem: ET.Element, records: Records) -> None:
    records.published = iso_date(elem)


_READERS = {
    "DateOfIssue": _date_of_issue,
    "ReferenceValueSets": _reference_sets,
    "Location": _location,
    "IDRegDocument": _document,
    "DistinctParty": _party,
    "SanctionsEntry": _entry,
    "ProfileRelationship": _relation,
}


def read_records(path: Path) -> Records:
    """The records of the advanced XML file at `path`, streamed.

    Raises DataError (from `stream_records`) naming the file for unreadable or malformed XML or
    a root that is not `Sanctions`.
    """
    records = Records(str(path))
    stream = stream_records(path, "Sanctions", _READERS.keys())
    next(stream)  # the root
    for elem in stream:
        _READERS[elem.tag](elem, records)
    return records
