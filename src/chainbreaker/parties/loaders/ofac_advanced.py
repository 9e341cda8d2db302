"""OFAC's SDN Advanced XML (`sdn_advanced.xml`, the UN "Advanced Sanctions List Standard").

A normalised format: most values are ids into the reference tables of `ReferenceValueSets`
(alias types, name part types, scripts, countries, feature types...), addresses are in
`Locations`, identity documents in `IDRegDocuments`, programs and listing dates in
`SanctionsEntries`, all linked by id to the `DistinctParties`. The file is streamed: each of
those records is read into a plain form (`ofac_advanced_records`) and cleared, and the
entities are put together at the end, so the sections may come in any order.

- names: every `Alias` (the primary `Name` first, then A.K.A., F.K.A., N.K.A.), one name per
  `DocumentedName` (a name may be documented in several scripts: the Latin one first), with its
  typed parts and script; `LowQuality="true"` aliases are weak. A person's Latin name is
  written `LAST, Given Names` as in sdn.csv. The primary name written in another script is
  also of kind "primary".
- features: Birthdate (date periods), Nationality / Citizenship Country, Vessel Flag and
  Nationality of Registration (countries), Location (addresses); features whose type is one of
  the identifier labels of `data/ofac_facts.yaml` (Email Address, Website, Digital Currency
  Address - XBT...) are identifiers, as are the identity documents (IDRegDocuments).
- remarks: the party's Comment, the documents that are not identifiers, and its relations to
  other parties written as sdn.csv writes them ("Linked To: NAME").

A party without a numeric id or without a name is reported as a LoadProblem and skipped.
"""

from __future__ import annotations

from pathlib import Path

from chainbreaker.errors import DataError
from chainbreaker.parties.loaders.countries import country_code
from chainbreaker.parties.loaders.ofac_advanced_records import (
    RawDocumentedName,
    RawFeature,
    RawParty,
    Records,
    read_records,
)
from chainbreaker.parties.loaders.ofac_facts import (
    date_span,
    is_identifier_kind,
    is_listed_identifier,
)
from chainbreaker.parties.loaders.ofac_lists import ALIAS_KINDS, SCHEMAS, list_title, xml_list_id
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

__all__ = ["read_ofac_advanced"]

_PART_TYPES = {
    "last name": "last",
    "first name": "first",
    "middle name": "middle",
    "maiden name": "maiden",
    "patronymic": "patronymic",
    "matronymic": "matronymic",
    "nickname": "nickname",
    "entity name": "entity",
    "vessel name": "vessel",
    "aircraft name": "aircraft",
}
_WHOLE_NAME_PARTS = {"entity", "vessel", "aircraft"}
#: ISO 15924 codes and OFAC's script names, to the script names of ListedName.script.
_SCRIPTS = {
    "latn": "Latin",
    "latin": "Latin",
    "hani": "Han",
    "hans": "Han",
    "hant": "Han",
    "han": "Han",
    "chinese simplified": "Han",
    "chinese traditional": "Han",
    "chinese": "Han",
    "cyrl": "Cyrillic",
    "cyrillic": "Cyrillic",
    "arab": "Arabic",
    "arabic": "Arabic",
}
_COUNTRY_FEATURES = {
    "nationality country",
    "citizenship country",
    "nationality",
    "citizenship",
    "vessel flag",
    "nationality of registration",
}
_LOCATION_ORDER = (
    "ADDRESS1",
    "ADDRESS2",
    "ADDRESS3",
    "CITY",
    "STATE/PROVINCE",
    "POSTAL CODE",
    "REGION",
)


class _Resolver:
    """Turns the plain records into entities, looking ids up in the reference tables."""

    def __init__(self, records: Records, list_id: str) -> None:
        self.r = records
        self.list_id = list_id
        self.party_names: dict[int, list[ListedName]] = {}  # party number -> names
        self.primary_names: dict[str, str] = {}  # profile id -> primary name, for relations

    def ref(self, table: str, ref_id: str | None) -> str | None:
        value = self.r.refs.get(table, {}).get(ref_id or "")
        return value[0] if value else None

    def ref_attr(self, table: str, ref_id: str | None, attr: str) -> str | None:
        value = self.r.refs.get(table, {}).get(ref_id or "")
        return value[1].get(attr) if value else None

    def country(self, country_id: str | None) -> str | None:
        iso2 = self.ref_attr("Country", country_id, "ISO2")
        if iso2 and len(iso2) == 2:
            return iso2.upper()
        return country_code(self.ref("Country", country_id))

    def script(self, script_id: str | None) -> str | None:
        code = self.ref_attr("Script", script_id, "ScriptCode")
        text = self.ref("Script", script_id)
        for key in (code, text):
            if key and key.strip().lower() in _SCRIPTS:
                return _SCRIPTS[key.strip().lower()]
        return text

    def schema(self, sub_type_id: str | None) -> Schema:
        text = (self.ref("PartySubType", sub_type_id) or "").strip().lower()
        if text in ("", "unknown"):
            party_type = self.ref_attr("PartySubType", sub_type_id, "PartyTypeID")
            text = (self.ref("PartyType", party_type) or "").strip().lower()
        return SCHEMAS.get(text, "Unknown")

    def address(self, location_id: str) -> Address | None:
        location = self.r.locations.get(location_id)
        if location is None:
            return None
        parts: dict[str, list[str]] = {}
        for type_id, value in location.parts:
            kind = (self.ref("LocPartType", type_id) or "Unknown").upper()
            parts.setdefault(kind, []).append(value)
        ordered = [v for kind in _LOCATION_ORDER for v in parts.pop(kind, [])]
        ordered += [v for values in parts.values() for v in values]
        codes = [c for cid in location.country_ids if (c := self.country(cid))]
        names = [n for cid in location.country_ids if (n := self.ref("Country", cid))]
        names = [n for n in names if n.lower() != "undetermined"]
        text = ", ".join(dict.fromkeys(ordered + names))
        if not text:
            return None
        if codes:
            return Address(text, codes[0])
        return Address(text, country_code(ordered[-1]) if ordered else None)

    def documented_name(
        self, doc: RawDocumentedName, groups: dict[str, str], schema: Schema
    ) -> tuple[str, str | None, tuple[tuple[str, str], ...]]:
        """The full name, script and typed parts of one DocumentedName."""
        parts: list[tuple[str, str]] = []
        script = None
        for group_id, script_id, value in doc.parts:
            type_text = self.ref("NamePartType", groups.get(group_id or "")) or "name"
            parts.append((_PART_TYPES.get(type_text.lower(), type_text.lower()), value))
            script = script or self.script(script_id)
        values = [v for _, v in parts]
        last = [v for kind, v in parts if kind == "last"]
        given = [v for kind, v in parts if kind not in ("last", *_WHOLE_NAME_PARTS)]
        if script == "Han":
            full = "".join(values)
        elif schema == "Person" and last and given and script in (None, "Latin"):
            full = f"{' '.join(last)}, {' '.join(given)}"
        else:
            full = " ".join(values)
        whole = all(kind in _WHOLE_NAME_PARTS for kind, _ in parts)
        return full, script, (() if whole else tuple(parts))

    def names(self, party: RawParty, schema: Schema) -> list[ListedName]:
        primary: list[ListedName] = []
        others: list[ListedName] = []
        for alias in party.aliases:
            type_text = (self.ref("AliasType", alias.type_id) or "").strip().lower()
            is_primary = alias.primary and type_text in ("name", "")
            kind: NameKind = "primary" if is_primary else ALIAS_KINDS.get(type_text, "aka")
            found = []
            for doc in alias.names:
                full, script, parts = self.documented_name(doc, party.groups, schema)
                if full.strip():
                    found.append(ListedName(full, kind, alias.weak, script, parts))
            found.sort(key=lambda n: n.script not in (None, "Latin"))  # Latin first
            (primary if is_primary else others).extend(found)
        out: dict[str, ListedName] = {}
        for name in primary + others:
            out.setdefault(" ".join(name.full.casefold().split()), name)
        return list(out.values())

    def feature_facts(self, party: RawParty, entity: _Facts) -> None:
        for feature in party.features:
            label = (self.ref("FeatureType", feature.type_id) or "").strip()
            low = label.lower()
            if low == "birthdate":
                entity.dates += [d for lo, hi in feature.periods for d in date_span(lo, hi)]
            elif low in _COUNTRY_FEATURES:
                entity.countries += self.feature_countries(feature)
            elif low == "location":
                entity.addresses += [a for i in feature.location_ids if (a := self.address(i))]
            elif is_listed_identifier(label):
                entity.identifiers += [Identifier(label, v) for v in self.details(feature)]

    def details(self, feature: RawFeature) -> list[str]:
        out = []
        for text, reference_id in feature.details:
            value = self.ref("DetailReference", reference_id) if reference_id else text
            if value and value.strip():
                out.append(value.strip())
        return out

    def feature_countries(self, feature: RawFeature) -> list[str]:
        codes = []
        for location_id in feature.location_ids:
            location = self.r.locations.get(location_id)
            if location is not None:
                codes += [c for cid in location.country_ids if (c := self.country(cid))]
        codes += [c for value in self.details(feature) if (c := country_code(value))]
        return codes

    def name_parties(self) -> None:
        """Remember each party's primary name, to write relations as "Linked To: NAME"."""
        for party in self.r.parties:
            names = self.names(party, self.schema(party.sub_type_id))
            self.party_names[party.number] = names
            if party.profile_id and names:
                self.primary_names[party.profile_id] = names[0].full

    def entity(self, party: RawParty) -> ListedEntity | LoadProblem:
        where = f"party {party.number}" + (
            f" (FixedRef {party.fixed_ref})" if party.fixed_ref else ""
        )
        entity_id = party.fixed_ref or party.profile_id
        if not entity_id.isdigit():
            why = f"id {entity_id!r} is not a number" if entity_id else "no FixedRef"
            return LoadProblem(self.r.path, where, "FixedRef", why)
        schema = self.schema(party.sub_type_id)
        names = self.party_names.get(party.number) or self.names(party, schema)
        if not names:
            return LoadProblem(self.r.path, where, "Alias", "no name")
        facts = _Facts()
        self.feature_facts(party, facts)
        remarks = [c for c in (party.comment,) if c]
        for identity_id in party.identity_ids:
            for doc in self.r.documents.get(identity_id, ()):
                kind = (self.ref("IDRegDocType", doc.type_id) or "").strip()
                if kind and doc.number and is_identifier_kind(kind):
                    country = self.country(doc.country_id)
                    facts.identifiers.append(Identifier(kind, doc.number, country))
                elif kind and doc.number:
                    remarks.append(f"{kind} {doc.number}")
        for type_id, target in self.r.relations.get(party.profile_id or entity_id, ()):
            relation = self.ref("RelationType", type_id) or "Linked To"
            remarks.append(f"{relation}: {self.primary_names.get(target, target)}")
        entries = self.r.entries.get(party.profile_id or entity_id, [])
        programs = [
            comment
            for entry in entries
            for type_id, comment in entry.measures
            if comment and (self.ref("SanctionsType", type_id) or "").lower() == "program"
        ]
        listed = sorted(d for entry in entries for d in entry.dates)
        facts.countries += [a.country for a in facts.addresses if a.country]
        return ListedEntity(
            list_id=self.list_id,
            entity_id=entity_id,
            schema=schema,
            names=tuple(names),
            birth_dates=tuple(dict.fromkeys(facts.dates)),
            countries=tuple(dict.fromkeys(facts.countries)),
            identifiers=tuple(dict.fromkeys(facts.identifiers)),
            addresses=tuple(dict.fromkeys(facts.addresses)),
            programs=tuple(dict.fromkeys(programs)),
            listed_on=listed[0] if listed else None,
            remarks="; ".join(remarks) or None,
        )


class _Facts:
    """What the features and documents of one party say."""

    def __init__(self) -> None:
        self.dates: list[str] = []
        self.countries: list[str] = []
        self.addresses: list[Address] = []
        self.identifiers: list[Identifier] = []


def read_ofac_advanced(path: Path, list_id: str = "ofac-sdn") -> LoadedList:
    """Read OFAC's SDN Advanced XML (or the consolidated list's advanced XML), streamed.

    Parties without a numeric id or a name are reported in `LoadedList.problems` and skipped;
    DataError when the file cannot be read, is not well-formed, is not a `Sanctions` document,
    has no reference value sets or holds no party.
    """
    path = Path(path)
    list_id = xml_list_id(path, list_id)
    records = read_records(path)
    if not records.parties:
        raise DataError(f"{path}: holds no DistinctParty (an empty or failed download?)")
    if not records.refs:
        raise DataError(f"{path}: has no ReferenceValueSets: its ids cannot be read")
    resolver = _Resolver(records, list_id)
    resolver.name_parties()
    entities: list[ListedEntity] = []
    problems: list[LoadProblem] = []
    for party in records.parties:
        result = resolver.entity(party)
        if isinstance(result, LoadProblem):
            problems.append(result)
        else:
            entities.append(result)
    title = list_title(list_id)
    published = records.published
    return finish_list(path, list_id, title, "ofac-advanced", published, entities, problems)
