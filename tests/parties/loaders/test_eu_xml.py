"""The EU consolidated sanctions list reader, on small files written here in the FSF 1.1 form."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from chainbreaker.errors import DataError
from chainbreaker.parties.loaders.eu_xml import read_eu_xml
from chainbreaker.parties.models import Address, Identifier, ListedName

SMALL = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<export xmlns="http://eu.europa.ec/fpi/fsd/export" generationDate="2024-05-30T17:47:17.044+02:00"
        globalFileId="123456">
  <sanctionEntity designationDetails="" unitedNationId="" euReferenceNumber="EU.27.28"
                  logicalId="13" designationDate="2003-07-07">
    <remark>Son of the former leader.</remark>
    <regulation regulationType="amendment" organisationType="council"
                publicationDate="2019-03-18" entryIntoForceDate="2019-03-19"
                numberTitle="2019/440 (OJ L77)" programme="IRQ" logicalId="1001">
      <publicationUrl>https://eur-lex.europa.eu/example</publicationUrl>
    </regulation>
    <subjectType code="person" classificationCode="P"/>
    <nameAlias firstName="Saddam" middleName="" lastName="Hussein Al-Tikriti"
               wholeName="Saddam Hussein Al-Tikriti" function="" gender="M" title=""
               nameLanguage="" strong="true" regulationLanguage="en" logicalId="17">
      <regulationSummary regulationType="amendment" publicationDate="2019-03-18"/>
    </nameAlias>
    <nameAlias firstName="" middleName="" lastName="" wholeName="Abu Ali" nameLanguage=""
               strong="false" logicalId="18"/>
    <nameAlias firstName="Саддам" middleName="" lastName="Хусейн" wholeName="" nameLanguage="RU"
               strong="true" logicalId="19"/>
    <citizenship region="" countryIso2Code="IQ" countryDescription="IRAQ" logicalId="20"/>
    <birthdate circa="false" calendarType="GREGORIAN" city="al-Awja, near Tikrit" zipCode=""
               birthdate="1937-04-28" dayOfMonth="28" monthOfYear="4" year="1937" region=""
               place="" countryIso2Code="IQ" countryDescription="IRAQ" logicalId="21"/>
    <birthdate circa="false" year="1939" monthOfYear="6" logicalId="22"/>
    <birthdate circa="true" yearRangeFrom="1940" yearRangeTo="1942" logicalId="23"/>
    <identification diplomatic="false" knownExpired="false" knownFalse="false"
                    reportedLost="false" revokedByIssuer="false" logicalId="24"
                    identificationTypeCode="passport"
                    identificationTypeDescription="National passport" number="M1234567"
                    latinNumber="" issuedBy="" issueDate="1996-01-01" countryIso2Code="IQ"
                    countryDescription="IRAQ"/>
    <address city="Baghdad" street="Al-Mansour Street 5" poBox="" zipCode="10013" region=""
             place="" asAtListingTime="false" countryIso2Code="IQ" countryDescription="IRAQ"
             logicalId="25"/>
  </sanctionEntity>
  <sanctionEntity euReferenceNumber="EU.555.12" logicalId="4090" designationDate="">
    <regulation publicationDate="2014-07-31" programme="UKR" logicalId="2001"/>
    <regulation publicationDate="2011-01-01" programme="UKR" logicalId="2002"/>
    <regulation publicationDate="2020-02-02" programme="RUS" logicalId="2003"/>
    <subjectType code="enterprise" classificationCode="E"/>
    <nameAlias wholeName="Open Joint Stock Company Almaz-Antey" strong="true" logicalId="31"/>
    <nameAlias wholeName="ОАО Концерн ВКО Алмаз-Антей" nameLanguage="RU" strong="true"
               logicalId="32"/>
    <nameAlias wholeName="OPEN JOINT STOCK COMPANY ALMAZ-ANTEY" strong="true" logicalId="33"/>
    <identification identificationTypeCode="regnumber" number="1027739001993"
                    countryIso2Code="00" logicalId="34"/>
    <address street="41 ulitsa Vereiskaya" city="Moscow" zipCode="121471" countryIso2Code="RU"
             countryDescription="RUSSIAN FEDERATION" logicalId="35"/>
    <address countryIso2Code="00" countryDescription="UNKNOWN" logicalId="36"/>
  </sanctionEntity>
  <sanctionEntity euReferenceNumber="EU.1.1">
    <subjectType code="person" classificationCode="P"/>
    <nameAlias wholeName="Nobody Without Id" strong="true"/>
  </sanctionEntity>
  <sanctionEntity logicalId="77">
    <subjectType code="vessel"/>
    <nameAlias wholeName="SEA STAR" strong="true"/>
    <birthdate birthdate="1970-13-45"/>
  </sanctionEntity>
  <sanctionEntity logicalId="78">
    <subjectType code="person"/>
    <nameAlias wholeName="" firstName="" strong="true"/>
  </sanctionEntity>
</export>
"""


@pytest.fixture
def small(tmp_path: Path) -> Path:
    path = tmp_path / "eu.xml"
    path.write_text(SMALL, encoding="utf-8")
    return path


def test_list_info(small: Path) -> None:
    loaded = read_eu_xml(small)
    info = loaded.info
    assert (info.list_id, info.format, info.published) == ("eu-fsf", "eu-xml", "2024-05-30")
    assert info.sha256 == hashlib.sha256(SMALL.encode("utf-8")).hexdigest()
    assert [e.entity_id for e in loaded.entities] == ["13", "4090", "77"]
    assert (info.entities, info.problems) == (3, 4)


def test_person(small: Path) -> None:
    person = read_eu_xml(small).entities[0]
    assert person.schema == "Person"
    assert person.names == (
        ListedName(
            "Saddam Hussein Al-Tikriti",
            parts=(("first", "Saddam"), ("last", "Hussein Al-Tikriti")),
        ),
        ListedName("Abu Ali", kind="aka", weak=True),
        ListedName(
            "Саддам Хусейн",
            kind="aka",
            script="Cyrillic",
            parts=(("first", "Саддам"), ("last", "Хусейн")),
        ),
    )
    assert person.birth_dates == ("1937-04-28", "1939-06", "1940", "1941", "1942")
    assert person.countries == ("IQ",)
    assert person.identifiers == (Identifier("National passport", "M1234567", "IQ"),)
    assert person.addresses == (Address("Al-Mansour Street 5, 10013, Baghdad, IRAQ", "IQ"),)
    assert (person.programs, person.listed_on) == (("IRQ",), "2003-07-07")
    assert person.remarks == "Son of the former leader."


def test_enterprise(small: Path) -> None:
    company = read_eu_xml(small).entities[1]
    assert company.schema == "Company"
    # the upper-case repeat of the first name is the same name, read once
    assert [(n.full, n.script) for n in company.names] == [
        ("Open Joint Stock Company Almaz-Antey", None),
        ("ОАО Концерн ВКО Алмаз-Антей", "Cyrillic"),
    ]
    # "00" is the EU's unknown country: no country, and the empty address is left out
    assert company.identifiers == (Identifier("regnumber", "1027739001993", None),)
    assert company.addresses == (
        Address("41 ulitsa Vereiskaya, 121471, Moscow, RUSSIAN FEDERATION", "RU"),
    )
    assert company.countries == ("RU",)
    # programs in order, once each; no designation date: the earliest publication
    assert (company.programs, company.listed_on) == (("UKR", "RUS"), "2011-01-01")


def test_problems(small: Path) -> None:
    loaded = read_eu_xml(small)
    assert [(p.record, p.field) for p in loaded.problems] == [
        ("sanctionEntity 3 (euReferenceNumber EU.1.1)", "logicalId"),
        ("sanctionEntity 4 (logicalId 77)", "subjectType"),
        ("sanctionEntity 4 (logicalId 77)", "birthdate@birthdate"),
        ("sanctionEntity 5 (logicalId 78)", "nameAlias"),
    ]
    vessel = loaded.entities[2]
    assert (vessel.schema, vessel.birth_dates) == ("Unknown", ())


def test_malformed_and_wrong_root(tmp_path: Path) -> None:
    broken = tmp_path / "broken.xml"
    broken.write_text('<export xmlns="http://eu.europa.ec/fpi/fsd/export">\n<sanctionEntity>')
    with pytest.raises(DataError, match=r"broken\.xml: not well-formed XML at line 2"):
        read_eu_xml(broken)
    other = tmp_path / "un.xml"
    other.write_text("<CONSOLIDATED_LIST/>")
    with pytest.raises(DataError, match=r"un\.xml: the root element is <CONSOLIDATED_LIST>"):
        read_eu_xml(other)
