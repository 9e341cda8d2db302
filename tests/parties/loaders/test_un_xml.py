"""The UN consolidated list reader: on small files written here, and on the real list if present."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from chainbreaker.errors import DataError
from chainbreaker.parties.loaders.un_xml import read_un_xml
from chainbreaker.parties.models import Address, Identifier, ListedName

REAL_UN = (
    Path(__file__).resolve().parents[3].parent
    / "shared/screening/data/un_consolidated_2026-02-27/UN_consolidated.xml"
)

SMALL = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<CONSOLIDATED_LIST xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    dateGenerated="2026-02-27T00:00:09.554Z">
  <INDIVIDUALS>
    <INDIVIDUAL>
      <DATAID>1001</DATAID>
      <FIRST_NAME>AHMAD</FIRST_NAME>
      <SECOND_NAME>KHALIL</SECOND_NAME>
      <THIRD_NAME>AL-HASSAN</THIRD_NAME>
      <UN_LIST_TYPE>Al-Qaida</UN_LIST_TYPE>
      <REFERENCE_NUMBER>QDi.901</REFERENCE_NUMBER>
      <LISTED_ON>2005-03-14</LISTED_ON>
      <COMMENTS1>Test entry.</COMMENTS1>
      <NAME_ORIGINAL_SCRIPT>أحمد خليل الحسن</NAME_ORIGINAL_SCRIPT>
      <NATIONALITY><VALUE>Syrian Arab Republic</VALUE><VALUE>Iraq</VALUE></NATIONALITY>
      <INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>Ahmed Khalil Hassan</ALIAS_NAME>
      </INDIVIDUAL_ALIAS>
      <INDIVIDUAL_ALIAS><QUALITY>Low</QUALITY><ALIAS_NAME>Abu Khalil</ALIAS_NAME>
      </INDIVIDUAL_ALIAS>
      <INDIVIDUAL_ALIAS><QUALITY>f.k.a.</QUALITY><ALIAS_NAME>Ahmad al-Hasan</ALIAS_NAME>
        <DATE_OF_BIRTH>1971-05-02</DATE_OF_BIRTH></INDIVIDUAL_ALIAS>
      <INDIVIDUAL_ALIAS><QUALITY/><ALIAS_NAME/></INDIVIDUAL_ALIAS>
      <INDIVIDUAL_ADDRESS><STREET>12 Rue X</STREET><CITY>Aleppo</CITY>
        <COUNTRY>Syrian Arab Republic</COUNTRY><NOTE>as of 2010</NOTE></INDIVIDUAL_ADDRESS>
      <INDIVIDUAL_ADDRESS><COUNTRY/></INDIVIDUAL_ADDRESS>
      <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><DATE>1970-05-02</DATE>
      </INDIVIDUAL_DATE_OF_BIRTH>
      <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>APPROXIMATELY</TYPE_OF_DATE><YEAR>1969</YEAR>
      </INDIVIDUAL_DATE_OF_BIRTH>
      <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>BETWEEN</TYPE_OF_DATE><FROM_YEAR>1965</FROM_YEAR>
        <TO_YEAR>1967</TO_YEAR></INDIVIDUAL_DATE_OF_BIRTH>
      <INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>Passport</TYPE_OF_DOCUMENT>
        <NUMBER> N 123456 </NUMBER><ISSUING_COUNTRY>Syrian Arab Republic</ISSUING_COUNTRY>
      </INDIVIDUAL_DOCUMENT>
      <INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>National Identification Number</TYPE_OF_DOCUMENT>
        <TYPE_OF_DOCUMENT2>Civil ID</TYPE_OF_DOCUMENT2><NUMBER>0987</NUMBER>
      </INDIVIDUAL_DOCUMENT>
      <INDIVIDUAL_DOCUMENT/>
    </INDIVIDUAL>
    <INDIVIDUAL>
      <DATAID>1002</DATAID>
      <FIRST_NAME>NO REFERENCE</FIRST_NAME>
      <UN_LIST_TYPE>DRC</UN_LIST_TYPE>
    </INDIVIDUAL>
    <INDIVIDUAL>
      <DATAID>1003</DATAID>
      <FIRST_NAME>IVAN</FIRST_NAME>
      <SECOND_NAME>PETROV</SECOND_NAME>
      <REFERENCE_NUMBER>CDi.902</REFERENCE_NUMBER>
      <NAME_ORIGINAL_SCRIPT>Иван Петров</NAME_ORIGINAL_SCRIPT>
      <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><DATE>31 Feb 1970</DATE>
      </INDIVIDUAL_DATE_OF_BIRTH>
    </INDIVIDUAL>
  </INDIVIDUALS>
  <ENTITIES>
    <ENTITY>
      <DATAID>2001</DATAID>
      <FIRST_NAME>RED SEA TRADING CO. ; BLUE NILE IMPORTS</FIRST_NAME>
      <UN_LIST_TYPE>Somalia</UN_LIST_TYPE>
      <REFERENCE_NUMBER>SOe.901</REFERENCE_NUMBER>
      <LISTED_ON>2012-07-01</LISTED_ON>
      <ENTITY_ALIAS><QUALITY>a.k.a.</QUALITY><ALIAS_NAME>RST</ALIAS_NAME></ENTITY_ALIAS>
      <ENTITY_ADDRESS><CITY>Mogadishu</CITY><COUNTRY>Somalia</COUNTRY></ENTITY_ADDRESS>
    </ENTITY>
    <ENTITY>
      <DATAID>2002</DATAID>
      <FIRST_NAME/>
      <REFERENCE_NUMBER>SOe.902</REFERENCE_NUMBER>
    </ENTITY>
  </ENTITIES>
</CONSOLIDATED_LIST>
"""


@pytest.fixture
def small(tmp_path: Path) -> Path:
    path = tmp_path / "un.xml"
    path.write_text(SMALL, encoding="utf-8")
    return path


def test_list_info(small: Path) -> None:
    loaded = read_un_xml(small)
    info = loaded.info
    assert (info.list_id, info.format, info.published) == (
        "un-consolidated",
        "un-xml",
        "2026-02-27",
    )
    assert info.sha256 == hashlib.sha256(SMALL.encode("utf-8")).hexdigest()
    assert (info.entities, info.problems) == (3, 3)
    assert [e.entity_id for e in loaded.entities] == ["QDi.901", "CDi.902", "SOe.901"]
    assert read_un_xml(small, list_id="un").info.list_id == "un"


def test_individual(small: Path) -> None:
    person = read_un_xml(small).entities[0]
    assert person.schema == "Person"
    assert person.names == (
        ListedName(
            "AHMAD KHALIL AL-HASSAN",
            parts=(("first", "AHMAD"), ("second", "KHALIL"), ("third", "AL-HASSAN")),
        ),
        ListedName("Ahmed Khalil Hassan", kind="aka"),
        ListedName("Abu Khalil", kind="aka", weak=True),
        ListedName("Ahmad al-Hasan", kind="fka"),
        ListedName("أحمد خليل الحسن", kind="aka", script="Arabic"),
    )
    # the listing's dates, then the alias's date of birth; a BETWEEN range gives every year
    assert person.birth_dates == ("1970-05-02", "1969", "1965", "1966", "1967", "1971-05-02")
    assert person.countries == ("SY", "IQ")
    assert person.identifiers == (
        Identifier("Passport", "N 123456", "SY"),
        Identifier("National Identification Number (Civil ID)", "0987", None),
    )
    assert person.addresses == (Address("12 Rue X, Aleppo, Syrian Arab Republic", "SY"),)
    assert person.programs == ("Al-Qaida",)
    assert (person.listed_on, person.remarks) == ("2005-03-14", "Test entry.")


def test_entity_and_cyrillic(small: Path) -> None:
    loaded = read_un_xml(small)
    ivan, company = loaded.entities[1], loaded.entities[2]
    assert ivan.names[1] == ListedName("Иван Петров", kind="aka", script="Cyrillic")
    assert ivan.birth_dates == ()  # "31 Feb 1970" is no date: reported, the listing kept
    assert company.schema == "Company"
    assert [n.full for n in company.names] == [
        "RED SEA TRADING CO. ; BLUE NILE IMPORTS",
        "RED SEA TRADING CO.",
        "BLUE NILE IMPORTS",
        "RST",
    ]
    assert company.names[0].parts == ()
    assert company.countries == ("SO",)
    assert company.programs == ("Somalia",)


def test_problems_name_the_record_and_field(small: Path) -> None:
    problems = read_un_xml(small).problems
    assert [(p.record, p.field) for p in problems] == [
        ("individual 2 (DATAID 1002)", "REFERENCE_NUMBER"),
        ("individual 3 (REFERENCE_NUMBER CDi.902)", "INDIVIDUAL_DATE_OF_BIRTH/DATE"),
        ("entity 2 (REFERENCE_NUMBER SOe.902)", "FIRST_NAME"),
    ]
    assert all(p.file == str(small) for p in problems)
    assert "31 Feb 1970" in problems[1].why


def test_implausible_year_range(tmp_path: Path) -> None:
    path = tmp_path / "range.xml"
    path.write_text(
        "<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><FIRST_NAME>A</FIRST_NAME>"
        "<REFERENCE_NUMBER>X.1</REFERENCE_NUMBER><INDIVIDUAL_DATE_OF_BIRTH>"
        "<FROM_YEAR>1990</FROM_YEAR><TO_YEAR>1950</TO_YEAR></INDIVIDUAL_DATE_OF_BIRTH>"
        "</INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>",
        encoding="utf-8",
    )
    loaded = read_un_xml(path)
    assert loaded.entities[0].birth_dates == ()
    assert "1990..1950" in loaded.problems[0].why


def test_malformed_file_names_the_place(tmp_path: Path) -> None:
    path = tmp_path / "broken.xml"
    path.write_text("<CONSOLIDATED_LIST>\n<INDIVIDUALS>\n<INDIVIDUAL></INDIV>", encoding="utf-8")
    with pytest.raises(DataError, match=r"broken\.xml: not well-formed XML at line 3"):
        read_un_xml(path)


def test_wrong_root_and_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "other.xml"
    path.write_text("<sdnList><sdnEntry/></sdnList>", encoding="utf-8")
    with pytest.raises(DataError, match=r"other\.xml: the root element is <sdnList>"):
        read_un_xml(path)
    with pytest.raises(DataError, match=r"absent\.xml: cannot be read"):
        read_un_xml(tmp_path / "absent.xml")


@pytest.mark.skipif(not REAL_UN.is_file(), reason="the shared UN list is not present")
def test_real_list() -> None:
    loaded = read_un_xml(REAL_UN)
    persons = [e for e in loaded.entities if e.schema == "Person"]
    companies = [e for e in loaded.entities if e.schema == "Company"]
    assert (len(persons), len(companies), len(loaded.problems)) == (730, 273, 0)
    assert loaded.info.published == "2026-02-27"
    by_id = {e.entity_id: e for e in loaded.entities}
    # Checked by hand against the file: IQi.001 has three name fields, one Low alias,
    # an Arabic original-script name, nationality Iraq and one exact date of birth.
    saddam = by_id["IQi.001"]
    assert [(n.full, n.kind, n.weak, n.script) for n in saddam.names] == [
        ("SADDAM HUSSEIN AL-TIKRITI", "primary", False, None),
        ("Abu Ali", "aka", True, None),
        ("صدام حسين التكريتي", "aka", False, "Arabic"),
    ]
    assert (saddam.birth_dates, saddam.countries) == (("1937-04-28",), ("IQ",))
    assert (saddam.programs, saddam.listed_on) == (("Iraq",), "2003-06-27")
    # CDi.002: two name fields, three Good aliases, an address in Kinshasa, no date of birth.
    kakolele = by_id["CDi.002"]
    assert [n.full for n in kakolele.names] == [
        "FRANK KAKOLELE BWAMBALE",
        "FRANK KAKORERE",
        "FRANK KAKORERE BWAMBALE",
        "AIGLE BLANC",
    ]
    assert kakolele.birth_dates == ()
    assert kakolele.addresses == (Address("Kinshasa, Democratic Republic of the Congo", "CD"),)
