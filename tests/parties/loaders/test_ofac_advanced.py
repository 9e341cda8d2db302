"""The OFAC SDN Advanced XML reader, on small files written here."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from chainbreaker.errors import DataError
from chainbreaker.parties.loaders.ofac_advanced import read_ofac_advanced
from chainbreaker.parties.models import Address, Identifier, ListedName

NS = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/ADVANCED_XML"

REFERENCES = """
  <ReferenceValueSets>
    <AliasTypeValues>
      <AliasType ID="1400">A.K.A.</AliasType><AliasType ID="1401">F.K.A.</AliasType>
      <AliasType ID="1402">N.K.A.</AliasType><AliasType ID="1403">Name</AliasType>
    </AliasTypeValues>
    <CountryValues>
      <Country ID="11082" ISO2="CN">China</Country>
      <Country ID="11083" ISO2="MX">Mexico</Country>
      <Country ID="11084">Colombia</Country>
    </CountryValues>
    <DetailReferenceValues>
      <DetailReference ID="91526">Male</DetailReference>
    </DetailReferenceValues>
    <FeatureTypeValues>
      <FeatureType ID="1" FeatureTypeGroupID="1">Vessel Call Sign</FeatureType>
      <FeatureType ID="3" FeatureTypeGroupID="1">Vessel Flag</FeatureType>
      <FeatureType ID="8" FeatureTypeGroupID="1">Birthdate</FeatureType>
      <FeatureType ID="9" FeatureTypeGroupID="1">Place of Birth</FeatureType>
      <FeatureType ID="10" FeatureTypeGroupID="1">Nationality Country</FeatureType>
      <FeatureType ID="11" FeatureTypeGroupID="1">Citizenship Country</FeatureType>
      <FeatureType ID="14" FeatureTypeGroupID="1">Website</FeatureType>
      <FeatureType ID="25" FeatureTypeGroupID="1">Location</FeatureType>
      <FeatureType ID="224" FeatureTypeGroupID="1">Gender</FeatureType>
      <FeatureType ID="344" FeatureTypeGroupID="1">Digital Currency Address - XBT</FeatureType>
    </FeatureTypeValues>
    <IDRegDocTypeValues>
      <IDRegDocType ID="1571">Passport</IDRegDocType>
      <IDRegDocType ID="91761">Unified Social Credit Code (USCC)</IDRegDocType>
      <IDRegDocType ID="92000">Secondary sanctions risk:</IDRegDocType>
    </IDRegDocTypeValues>
    <LocPartTypeValues>
      <LocPartType ID="1451">ADDRESS1</LocPartType><LocPartType ID="1454">CITY</LocPartType>
    </LocPartTypeValues>
    <NamePartTypeValues>
      <NamePartType ID="1520">Last Name</NamePartType>
      <NamePartType ID="1521">First Name</NamePartType>
      <NamePartType ID="1522">Middle Name</NamePartType>
      <NamePartType ID="1525">Entity Name</NamePartType>
      <NamePartType ID="1526">Vessel Name</NamePartType>
    </NamePartTypeValues>
    <PartySubTypeValues>
      <PartySubType ID="1" PartyTypeID="3">Vessel</PartySubType>
      <PartySubType ID="3" PartyTypeID="2">Unknown</PartySubType>
      <PartySubType ID="4" PartyTypeID="1">Unknown</PartySubType>
    </PartySubTypeValues>
    <PartyTypeValues>
      <PartyType ID="1">Individual</PartyType><PartyType ID="2">Entity</PartyType>
      <PartyType ID="3">Vessel</PartyType>
    </PartyTypeValues>
    <SanctionsTypeValues>
      <SanctionsType ID="1">Program</SanctionsType><SanctionsType ID="2">Block</SanctionsType>
    </SanctionsTypeValues>
    <RelationTypeValues><RelationType ID="1555">Linked To</RelationType></RelationTypeValues>
    <ScriptValues>
      <Script ID="215" ScriptCode="Latn">Latin</Script>
      <Script ID="220" ScriptCode="Hani">Chinese Simplified</Script>
    </ScriptValues>
  </ReferenceValueSets>"""

LOCATIONS = """
  <Locations>
    <Location ID="100">
      <LocationCountry CountryID="11082" CountryRelevanceID="1"/>
      <LocationPart LocPartTypeID="1454"><LocationPartValue Primary="true"><Value>Wuhan</Value>
        </LocationPartValue></LocationPart>
      <LocationPart LocPartTypeID="1451"><LocationPartValue Primary="true">
        <Value>No. 8 Huanghe Road</Value></LocationPartValue></LocationPart>
    </Location>
    <Location ID="101"><LocationCountry CountryID="11082"/></Location>
    <Location ID="102"><LocationCountry CountryID="11083"/></Location>
    <Location ID="103"><LocationCountry CountryID="11084"/></Location>
    <Location ID="104"><LocationCountry CountryID="99999"/></Location>
    <Location ID="105"><LocationPart LocPartTypeID="1"><LocationPartValue Primary="true">
      <Value>Mexico</Value></LocationPartValue></LocationPart></Location>
  </Locations>
  <IDRegDocuments>
    <IDRegDocument ID="500" IDRegDocTypeID="1571" IdentityID="9001" IssuedBy-CountryID="11082">
      <IDRegistrationNo>G23851362</IDRegistrationNo></IDRegDocument>
    <IDRegDocument ID="501" IDRegDocTypeID="91761" IdentityID="9002" IssuedBy-CountryID="11082">
      <IDRegistrationNo>91420112711981060J</IDRegistrationNo></IDRegDocument>
    <IDRegDocument ID="502" IDRegDocTypeID="92000" IdentityID="9002">
      <IDRegistrationNo>section 1(b) of Executive Order 13224</IDRegistrationNo></IDRegDocument>
  </IDRegDocuments>"""


def ymd(year: int, month: int, day: int) -> str:
    return f"<Year>{year}</Year><Month>{month}</Month><Day>{day}</Day>"


def period(lo: str, hi: str) -> str:
    return (
        '<DatePeriod CalendarTypeID="1" YearFixed="false" MonthFixed="false" DayFixed="false">'
        f'<Start Approximate="false"><From>{lo}</From><To>{lo}</To></Start>'
        f'<End Approximate="false"><From>{hi}</From><To>{hi}</To></End></DatePeriod>'
    )


def part(group: str, text: str, script: str = "215") -> str:
    return (
        f'<DocumentedNamePart><NamePartValue NamePartGroupID="{group}" ScriptID="{script}" '
        f'ScriptStatusID="1" Acronym="false">{text}</NamePartValue></DocumentedNamePart>'
    )


def alias(type_id: str, primary: bool, weak: bool, *names: str) -> str:
    documented = "".join(
        f'<DocumentedName ID="1" DocNameStatusID="1">{n}</DocumentedName>' for n in names
    )
    return (
        f'<Alias AliasTypeID="{type_id}" Primary="{str(primary).lower()}" '
        f'LowQuality="{str(weak).lower()}">{documented}</Alias>'
    )


def groups(*pairs: tuple[str, str]) -> str:
    inner = "".join(
        f'<MasterNamePartGroup><NamePartGroup ID="{g}" NamePartTypeID="{t}"/></MasterNamePartGroup>'
        for g, t in pairs
    )
    return f"<NamePartGroups>{inner}</NamePartGroups>"


def feature(type_id: str, version: str) -> str:
    return (
        f'<Feature ID="1" FeatureTypeID="{type_id}"><FeatureVersion ID="1" ReliabilityID="1">'
        f'{version}</FeatureVersion><IdentityReference IdentityID="1"/></Feature>'
    )


PERSON = f"""
    <DistinctParty FixedRef="30001">
      <Comment>Test person.</Comment>
      <Profile ID="30001" PartySubTypeID="4">
        <Identity ID="9001" FixedRef="30001" Primary="true" False="false">
          {
    alias(
        "1403",
        True,
        False,
        part("7001", "ZHANG") + part("7002", "Wei"),
        part("7001", "张", "220") + part("7002", "伟", "220"),
    )
}
          {alias("1400", False, True, part("7001", "LAO ZHANG"))}
          {
    alias("1401", False, False, part("7001", "ZHANG") + part("7002", "Wei") + part("7003", "Ming"))
}
          {alias("1400", False, False, part("7001", "zhang") + part("7002", "wei"))}
          {groups(("7001", "1520"), ("7002", "1521"), ("7003", "1522"))}
        </Identity>
        {feature("8", period(ymd(1984, 9, 9), ymd(1984, 9, 9)))}
        {feature("8", period(ymd(1970, 1, 1), ymd(1972, 12, 31)))}
        {feature("10", '<VersionLocation LocationID="101"/>')}
        {feature("11", '<VersionLocation LocationID="102"/>')}
        {feature("224", '<VersionDetail DetailTypeID="1432" DetailReferenceID="91526"/>')}
        {feature("9", '<VersionDetail DetailTypeID="1432">Wuhan, China</VersionDetail>')}
        {feature("25", '<VersionLocation LocationID="100"/>')}
        {feature("14", '<VersionDetail DetailTypeID="1432">www.example.cn</VersionDetail>')}
      </Profile>
    </DistinctParty>"""

COMPANY = f"""
    <DistinctParty FixedRef="30002">
      <Profile ID="30002" PartySubTypeID="3">
        <Identity ID="9002" FixedRef="30002" Primary="true" False="false">
          {alias("1403", True, False, part("7101", "HUBEI TRADING CO., LTD."))}
          {alias("1400", False, False, part("7101", "HUBEI TRADE"))}
          {groups(("7101", "1525"))}
        </Identity>
        {
    feature(
        "344",
        '<VersionDetail DetailTypeID="1432">1Kuf2Rd8mDyAViwBozGTNYnvWL8uYFrkVo</VersionDetail>',
    )
}
      </Profile>
    </DistinctParty>"""

VESSEL = f"""
    <DistinctParty FixedRef="30003">
      <Profile ID="30003" PartySubTypeID="1">
        <Identity ID="9003" FixedRef="30003" Primary="true" False="false">
          {alias("1403", True, False, part("7201", "MAR AZUL"))}
          {groups(("7201", "1526"))}
        </Identity>
        {feature("3", '<VersionLocation LocationID="103"/>')}
        {feature("1", '<VersionDetail DetailTypeID="1432">CL2192</VersionDetail>')}
        {feature("25", '<VersionLocation LocationID="104"/><VersionLocation LocationID="105"/>')}
      </Profile>
    </DistinctParty>"""

BAD_PARTIES = """
    <DistinctParty FixedRef="X9"><Profile ID="X9" PartySubTypeID="3"/></DistinctParty>
    <DistinctParty FixedRef="30005"><Profile ID="30005" PartySubTypeID="3">
      <Identity ID="9005"/></Profile></DistinctParty>"""


def entry(profile: str, program: str, date: str) -> str:
    return (
        f'<SanctionsEntry ID="1" ProfileID="{profile}" ListID="1550">'
        f'<EntryEvent ID="1" EntryEventTypeID="1" LegalBasisID="1"><Date CalendarTypeID="1">{date}'
        f"</Date><Comment/></EntryEvent>"
        f'<SanctionsMeasure ID="1" SanctionsTypeID="1"><Comment>{program}</Comment>'
        f'</SanctionsMeasure><SanctionsMeasure ID="2" SanctionsTypeID="2"><Comment/>'
        f"</SanctionsMeasure></SanctionsEntry>"
    )


ENTRIES = (
    "<SanctionsEntries>"
    + entry("30001", "ILLICIT-DRUGS-EO14059", ymd(2021, 12, 15))
    + entry("30001", "SDNTK", ymd(2023, 4, 14))
    + entry("30002", "SDNTK", ymd(2023, 4, 14))
    + entry("30003", "CUBA", ymd(1996, 1, 1))
    + "</SanctionsEntries>"
    + "<ProfileRelationships>"
    + '<ProfileRelationship ID="1" From-ProfileID="30003" To-ProfileID="30002"'
    + ' RelationTypeID="1555" RelationQualityID="1" Former="false"/></ProfileRelationships>'
)


def document(*sections: str) -> str:
    return (
        f'<?xml version="1.0" encoding="utf-8"?>\n<Sanctions xmlns="{NS}">\n'
        f'  <DateOfIssue CalendarTypeID="1">{ymd(2024, 5, 3)}</DateOfIssue>'
        + "".join(sections)
        + "\n</Sanctions>\n"
    )


PARTIES = f"<DistinctParties>{PERSON}{COMPANY}{VESSEL}{BAD_PARTIES}</DistinctParties>"


@pytest.fixture
def advanced(tmp_path: Path) -> Path:
    path = tmp_path / "sdn_advanced.xml"
    path.write_text(document(REFERENCES, LOCATIONS, PARTIES, ENTRIES), encoding="utf-8")
    return path


def test_person(advanced: Path) -> None:
    person = read_ofac_advanced(advanced).entities[0]
    assert person.entity_id == "30001" and person.schema == "Person"
    assert person.names == (
        ListedName("ZHANG, Wei", "primary", False, "Latin", (("last", "ZHANG"), ("first", "Wei"))),
        ListedName("张伟", "primary", False, "Han", (("last", "张"), ("first", "伟"))),
        ListedName("LAO ZHANG", "aka", True, "Latin", (("last", "LAO ZHANG"),)),
        ListedName(
            "ZHANG, Wei Ming",
            "fka",
            False,
            "Latin",
            (("last", "ZHANG"), ("first", "Wei"), ("middle", "Ming")),
        ),
    )  # "zhang, wei" repeats the primary name: once
    assert person.birth_dates == ("1984-09-09", "1970", "1971", "1972")
    assert person.countries == ("CN", "MX")
    assert person.addresses == (Address("No. 8 Huanghe Road, Wuhan, China", "CN"),)
    assert person.identifiers == (
        Identifier("Website", "www.example.cn"),
        Identifier("Passport", "G23851362", "CN"),
    )
    assert person.programs == ("ILLICIT-DRUGS-EO14059", "SDNTK")
    assert person.listed_on == "2021-12-15"
    assert person.remarks == "Test person."


def test_company_and_vessel(advanced: Path) -> None:
    _, company, vessel = read_ofac_advanced(advanced).entities
    assert company.schema == "Company"
    assert company.names == (
        ListedName("HUBEI TRADING CO., LTD.", script="Latin"),
        ListedName("HUBEI TRADE", "aka", script="Latin"),
    )
    assert company.identifiers == (
        Identifier("Digital Currency Address - XBT", "1Kuf2Rd8mDyAViwBozGTNYnvWL8uYFrkVo"),
        Identifier("Unified Social Credit Code (USCC)", "91420112711981060J", "CN"),
    )
    assert company.remarks == "Secondary sanctions risk: section 1(b) of Executive Order 13224"
    assert company.programs == ("SDNTK",) and company.listed_on == "2023-04-14"
    assert vessel.schema == "Vessel"
    assert vessel.name == "MAR AZUL"
    # a country without ISO2 is read by its name; an unknown location part naming a country
    # gives the address its country; a location whose country id is unknown gives nothing
    assert vessel.countries == ("CO", "MX")
    assert vessel.addresses == (Address("Mexico", "MX"),)
    assert vessel.identifiers == (Identifier("Vessel Call Sign", "CL2192"),)
    assert vessel.remarks == "Linked To: HUBEI TRADING CO., LTD."  # as sdn.csv writes it


def test_bad_parties_are_reported(advanced: Path) -> None:
    loaded = read_ofac_advanced(advanced)
    assert [(p.record, p.field, p.why) for p in loaded.problems] == [
        ("party 4 (FixedRef X9)", "FixedRef", "id 'X9' is not a number"),
        ("party 5 (FixedRef 30005)", "Alias", "no name"),
    ]
    assert all(p.file == str(advanced) for p in loaded.problems)


def test_list_info(advanced: Path) -> None:
    info = read_ofac_advanced(advanced).info
    assert info.published == "2024-05-03"
    assert info.format == "ofac-advanced" and info.list_id == "ofac-sdn"
    assert info.entities == 3 and info.problems == 2
    assert info.sha256 == hashlib.sha256(advanced.read_bytes()).hexdigest()


def test_sections_in_any_order(tmp_path: Path, advanced: Path) -> None:
    shuffled = tmp_path / "other.xml"
    shuffled.write_text(document(ENTRIES, PARTIES, LOCATIONS, REFERENCES), encoding="utf-8")
    assert read_ofac_advanced(shuffled).entities == read_ofac_advanced(advanced).entities


def test_without_namespace(tmp_path: Path, advanced: Path) -> None:
    plain = tmp_path / "plain.xml"
    plain.write_text(advanced.read_text(encoding="utf-8").replace(f' xmlns="{NS}"', ""))
    assert read_ofac_advanced(plain).entities == read_ofac_advanced(advanced).entities


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (document(REFERENCES) + "<", "not well-formed XML"),
        ("<sdnList/>", "root element is <sdnList>"),
        (document(REFERENCES, LOCATIONS), "holds no DistinctParty"),
        (document(LOCATIONS, PARTIES), "has no ReferenceValueSets"),
    ],
)
def test_malformed_files_raise(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "sdn_advanced.xml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DataError, match=message) as caught:
        read_ofac_advanced(path)
    assert str(path) in str(caught.value)
