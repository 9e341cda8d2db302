"""The OFAC SDN.XML reader, on small files written here."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from chainbreaker.errors import DataError
from chainbreaker.parties.loaders.ofac_csv import read_ofac_csv
from chainbreaker.parties.loaders.ofac_xml import read_ofac_xml
from chainbreaker.parties.models import Address, Identifier, ListedName

NS = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/XML"

ENTRIES = """
  <sdnEntry>
    <uid>4107</uid>
    <firstName>Gilberto Jose</firstName>
    <lastName>RODRIGUEZ OREJUELA</lastName>
    <sdnType>Individual</sdnType>
    <remarks>Linked To: CALI CARTEL.</remarks>
    <programList><program>SDNT</program><program>SDNTK</program></programList>
    <idList>
      <id><uid>1</uid><idType>Cedula No.</idType><idNumber>6068015</idNumber>
        <idCountry>Colombia</idCountry></id>
      <id><uid>2</uid><idType>Passport</idType><idNumber>T321642</idNumber>
        <idCountry>Colombia</idCountry><issueDate>01 Jan 1990</issueDate></id>
      <id><uid>3</uid><idType>Gender</idType><idNumber>Male</idNumber></id>
    </idList>
    <akaList>
      <aka><uid>11</uid><type>a.k.a.</type><category>strong</category>
        <lastName>THE CHESS PLAYER</lastName></aka>
      <aka><uid>12</uid><type>a.k.a.</type><category>weak</category>
        <lastName>LUCAS</lastName></aka>
      <aka><uid>13</uid><type>f.k.a.</type><category>strong</category>
        <lastName>RODRIGUEZ</lastName><firstName>Gilberto</firstName></aka>
      <aka><uid>14</uid><type>a.k.a.</type><category>strong</category>
        <lastName>the chess  player</lastName></aka>
    </akaList>
    <addressList>
      <address><uid>21</uid><address1>Calle 5 No. 10</address1><city>Cali</city>
        <country>Colombia</country></address>
    </addressList>
    <nationalityList>
      <nationality><uid>31</uid><country>Colombia</country><mainEntry>true</mainEntry></nationality>
    </nationalityList>
    <citizenshipList>
      <citizenship><uid>32</uid><country>Venezuela</country><mainEntry>true</mainEntry></citizenship>
    </citizenshipList>
    <dateOfBirthList>
      <dateOfBirthItem><uid>41</uid><dateOfBirth>31 Jan 1939</dateOfBirth>
        <mainEntry>true</mainEntry></dateOfBirthItem>
      <dateOfBirthItem><uid>42</uid><dateOfBirth>circa 1940</dateOfBirth>
        <mainEntry>false</mainEntry></dateOfBirthItem>
    </dateOfBirthList>
  </sdnEntry>
  <sdnEntry>
    <uid>4238</uid>
    <lastName>MAR AZUL</lastName>
    <sdnType>Vessel</sdnType>
    <programList><program>CUBA</program></programList>
    <vesselInfo><callSign>CL2192</callSign><vesselType>General Cargo</vesselType>
      <vesselFlag>Cuba</vesselFlag></vesselInfo>
  </sdnEntry>
  <sdnEntry>
    <uid>36</uid>
    <lastName>AEROCARIBBEAN AIRLINES</lastName>
    <sdnType>Entity</sdnType>
    <programList><program>CUBA</program></programList>
    <akaList><aka><uid>12</uid><type>a.k.a.</type><category>strong</category>
      <lastName>AERO-CARIBBEAN</lastName></aka></akaList>
  </sdnEntry>
"""


def write_sdn_xml(path: Path, entries: str = ENTRIES, ns: str = NS, count: int = 3) -> Path:
    path.write_text(
        f'<?xml version="1.0" standalone="yes"?>\r\n'
        f'<sdnList xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns="{ns}">\r\n'
        f"  <publshInformation><Publish_Date>05/03/2024</Publish_Date>"
        f"<Record_Count>{count}</Record_Count></publshInformation>{entries}</sdnList>\r\n",
        encoding="utf-8",
    )
    return path


def test_entries(tmp_path: Path) -> None:
    path = write_sdn_xml(tmp_path / "SDN.XML")
    loaded = read_ofac_xml(path)
    assert loaded.problems == []
    person, vessel, airline = loaded.entities
    assert person.entity_id == "4107" and person.schema == "Person"
    assert person.names == (
        ListedName(
            "RODRIGUEZ OREJUELA, Gilberto Jose",
            parts=(("last", "RODRIGUEZ OREJUELA"), ("first", "Gilberto Jose")),
        ),
        ListedName("THE CHESS PLAYER", kind="aka"),
        ListedName("LUCAS", kind="aka", weak=True),
        ListedName(
            "RODRIGUEZ, Gilberto",
            kind="fka",
            parts=(("last", "RODRIGUEZ"), ("first", "Gilberto")),
        ),
    )
    assert person.programs == ("SDNT", "SDNTK")
    assert person.identifiers == (
        Identifier("Cedula No.", "6068015", "CO"),
        Identifier("Passport", "T321642", "CO"),
    )
    assert person.remarks == "Linked To: CALI CARTEL.; Gender Male"
    assert person.addresses == (Address("Calle 5 No. 10, Cali, Colombia", "CO"),)
    assert person.countries == ("CO", "VE")
    assert person.birth_dates == ("1939-01-31", "1940")
    assert vessel.schema == "Vessel"
    assert vessel.identifiers == (Identifier("Call Sign", "CL2192"),)
    assert vessel.countries == ("CU",)
    assert airline.schema == "Company"
    assert [n.full for n in airline.names] == ["AEROCARIBBEAN AIRLINES", "AERO-CARIBBEAN"]
    assert airline.remarks is None


def test_list_info(tmp_path: Path) -> None:
    path = write_sdn_xml(tmp_path / "SDN.XML")
    info = read_ofac_xml(path).info
    assert info.published == "2024-05-03"  # MM/DD/YYYY
    assert info.format == "ofac-xml" and info.list_id == "ofac-sdn"
    assert info.title == "OFAC SDN list"
    assert info.entities == 3 and info.problems == 0
    assert info.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("ns", ["http://tempuri.org/sdnList.xsd", ""])
def test_any_namespace(tmp_path: Path, ns: str) -> None:
    loaded = read_ofac_xml(write_sdn_xml(tmp_path / "sdn.xml", ns=ns))
    assert [e.entity_id for e in loaded.entities] == ["4107", "4238", "36"]


def test_bad_entries_are_reported(tmp_path: Path) -> None:
    entries = (
        "<sdnEntry><lastName>NO UID</lastName><sdnType>Entity</sdnType></sdnEntry>"
        "<sdnEntry><uid>A7</uid><lastName>BAD UID</lastName></sdnEntry>"
        "<sdnEntry><uid>8</uid><sdnType>Entity</sdnType></sdnEntry>" + ENTRIES
    )
    path = write_sdn_xml(tmp_path / "SDN.XML", entries, count=6)
    loaded = read_ofac_xml(path)
    assert [e.entity_id for e in loaded.entities] == ["4107", "4238", "36"]
    assert [(p.record, p.field, p.why) for p in loaded.problems] == [
        ("entry 1", "uid", "no uid"),
        ("entry 2 (uid A7)", "uid", "uid 'A7' is not a number"),
        ("entry 3 (uid 8)", "lastName", "no name"),
    ]


def test_record_count_mismatch_is_reported(tmp_path: Path) -> None:
    loaded = read_ofac_xml(write_sdn_xml(tmp_path / "SDN.XML", count=5))
    assert len(loaded.entities) == 3
    assert [(p.record, p.field) for p in loaded.problems] == [("publshInformation", "Record_Count")]


def test_consolidated_xml(tmp_path: Path) -> None:
    info = read_ofac_xml(write_sdn_xml(tmp_path / "CONSOLIDATED.XML")).info
    assert info.list_id == "ofac-cons"
    assert info.title == "OFAC consolidated (non-SDN) list"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("<sdnList><sdnEntry><uid>1</uid>", "not well-formed XML at line 1"),
        ("<Sanctions/>", "root element is <Sanctions>"),
        (f'<sdnList xmlns="{NS}"><publshInformation/></sdnList>', "holds no sdnEntry"),
        ("36,AEROCARIBBEAN", "not well-formed"),
    ],
)
def test_malformed_files_raise(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "SDN.XML"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DataError, match=message) as caught:
        read_ofac_xml(path)
    assert str(path) in str(caught.value)


def test_missing_file_raises(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="cannot be read"):
        read_ofac_xml(tmp_path / "SDN.XML")


def test_same_listing_as_the_csv_files(tmp_path: Path) -> None:
    """The XML entry and the same listing in sdn.csv + alt.csv + add.csv read alike."""
    crlf = "\r\n"
    (tmp_path / "sdn.csv").write_bytes(
        (
            '4107,"RODRIGUEZ OREJUELA, Gilberto Jose","individual","SDNT] [SDNTK",-0- ,-0- ,-0- ,'
            '-0- ,-0- ,-0- ,-0- ,"DOB 31 Jan 1939; alt. DOB circa 1940; Cedula No. 6068015 '
            "(Colombia); Passport T321642 (Colombia) issued 01 Jan 1990; nationality Colombia; "
            'citizen Venezuela; Gender Male; Linked To: CALI CARTEL."' + crlf
        ).encode()
        + b"\x1a"
    )
    alt_rows = [
        '4107,11,"aka","THE CHESS PLAYER",-0- ',
        '4107,12,"aka","LUCAS",-0- ',
        '4107,13,"fka","RODRIGUEZ, Gilberto",-0- ',
    ]
    (tmp_path / "alt.csv").write_bytes("".join(r + crlf for r in alt_rows).encode())
    (tmp_path / "add.csv").write_bytes(
        ('4107,21,"Calle 5 No. 10","Cali","Colombia",-0- ' + crlf).encode()
    )
    from_csv = read_ofac_csv(tmp_path / "sdn.csv").entities[0]
    from_xml = read_ofac_xml(write_sdn_xml(tmp_path / "SDN.XML")).entities[0]
    assert [(n.full, n.kind, n.parts) for n in from_csv.names] == [
        (n.full, n.kind, n.parts) for n in from_xml.names
    ]
    for field in ("entity_id", "schema", "birth_dates", "countries", "identifiers", "addresses"):
        assert getattr(from_csv, field) == getattr(from_xml, field), field
    assert from_csv.programs == from_xml.programs
