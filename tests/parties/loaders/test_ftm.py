"""The FollowTheMoney JSON lines reader, on small files written here."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from chainbreaker.errors import DataError
from chainbreaker.parties.loaders.ftm import read_ftm
from chainbreaker.parties.models import Address, Identifier, ListedName

PERSON = {
    "id": "ofac-12345",
    "caption": "Joaquin Guzman Loera",
    "schema": "Person",
    "properties": {
        "name": ["Joaquin Guzman Loera"],
        "firstName": ["Joaquin"],
        "lastName": ["Guzman Loera"],
        "alias": ["El Chapo", "JOAQUIN GUZMAN LOERA"],
        "weakAlias": ["Chapo"],
        "previousName": ["Joaquin Archivaldo Guzman"],
        "birthDate": ["1957-04-04", "1954"],
        "nationality": ["mx"],
        "country": ["mx", "us"],
        "passportNumber": ["A1234567"],
        "idNumber": ["GULJ570404HSLZRQ02"],
        "address": ["Culiacan, Sinaloa, Mexico"],
        "topics": ["sanction", "crime.traffick.drug"],
        "notes": ["Leader of the Sinaloa cartel."],
    },
    "datasets": ["us_ofac_sdn"],
    "target": True,
    "last_seen": "2024-06-01T10:57:03",
}
COMPANY = {
    "id": "NK-abc",
    "schema": "Organization",
    "properties": {
        "name": ["HEBEI XIUNA TRADING CO., LTD.", "河北秀娜贸易有限公司"],
        "registrationNumber": ["91130104MA07T43608"],
        "jurisdiction": ["cn"],
        "addressEntity": [
            {
                "id": "addr-1",
                "schema": "Address",
                "properties": {"full": ["Shijiazhuang, China"], "country": ["cn"]},
            }
        ],
        "sanctions": [
            {
                "id": "s-1",
                "schema": "Sanction",
                "properties": {"program": ["ILLICIT-DRUGS-EO14059"], "listingDate": ["2023-10-03"]},
            },
            {
                "id": "s-2",
                "schema": "Sanction",
                "properties": {"programId": ["SDNTK"], "startDate": ["2021-12-15"]},
            },
        ],
    },
    "datasets": ["us_ofac_sdn", "eu_fsf"],
    "last_seen": "2024-05-30T08:00:00",
}


def _write(path: Path, lines: list[Any]) -> Path:
    text = "\n".join(x if isinstance(x, str) else json.dumps(x, ensure_ascii=False) for x in lines)
    path.write_text(text + "\n", encoding="utf-8")
    return path


def test_person(tmp_path: Path) -> None:
    loaded = read_ftm(_write(tmp_path / "entities.ftm.json", [PERSON]))
    person = loaded.entities[0]
    assert (person.list_id, person.entity_id, person.schema) == (
        "entities.ftm",
        "ofac-12345",
        "Person",
    )
    assert person.names == (
        ListedName("Joaquin Guzman Loera", parts=(("first", "Joaquin"), ("last", "Guzman Loera"))),
        ListedName("El Chapo", kind="aka"),  # the upper-case repeat of the name is read once
        ListedName("Chapo", kind="aka", weak=True),
        ListedName("Joaquin Archivaldo Guzman", kind="fka"),
    )
    assert person.birth_dates == ("1957-04-04", "1954")
    assert person.countries == ("MX", "US")
    assert person.identifiers == (
        Identifier("idNumber", "GULJ570404HSLZRQ02"),
        Identifier("passportNumber", "A1234567"),
    )
    assert person.addresses == (Address("Culiacan, Sinaloa, Mexico"),)
    assert person.programs == ("sanction", "crime.traffick.drug")
    assert person.remarks == "Leader of the Sinaloa cartel."
    assert (loaded.info.format, loaded.info.published, loaded.problems) == ("ftm", "2024-06-01", [])


def test_nested_company(tmp_path: Path) -> None:
    company = read_ftm(_write(tmp_path / "t.json", [COMPANY]), list_id="os").entities[0]
    assert (company.list_id, company.schema) == ("os", "Company")
    assert [(n.full, n.kind) for n in company.names] == [
        ("HEBEI XIUNA TRADING CO., LTD.", "primary"),
        ("河北秀娜贸易有限公司", "aka"),
    ]
    assert company.identifiers == (Identifier("registrationNumber", "91130104MA07T43608"),)
    assert company.countries == ("CN",)
    assert company.addresses == (Address("Shijiazhuang, China", "CN"),)
    assert company.programs == ("ILLICIT-DRUGS-EO14059", "SDNTK")
    assert company.listed_on == "2021-12-15"  # the earlier of the two sanctions


@pytest.mark.parametrize(
    ("ftm_schema", "schema"),
    [
        ("Company", "Company"),
        ("LegalEntity", "Company"),
        ("PublicBody", "Company"),
        ("Vessel", "Vessel"),
        ("Airplane", "Aircraft"),
    ],
)
def test_schema_mapping(tmp_path: Path, ftm_schema: str, schema: str) -> None:
    line = {"id": "x", "schema": ftm_schema, "properties": {"name": ["X"]}}
    assert read_ftm(_write(tmp_path / "s.json", [line])).entities[0].schema == schema


def test_non_parties_are_counted_not_reported(tmp_path: Path) -> None:
    lines = [
        PERSON,
        {"id": "s-1", "schema": "Sanction", "properties": {"program": ["SDNTK"]}},
        {"id": "a-1", "schema": "Address", "properties": {"full": ["Somewhere"]}},
        {"id": "a-2", "schema": "Address", "properties": {"full": ["Elsewhere"]}},
        {"id": "p-9", "schema": "Person", "properties": {"name": ["A Relative"]}, "target": False},
    ]
    loaded = read_ftm(_write(tmp_path / "e.json", lines))
    assert [e.entity_id for e in loaded.entities] == ["ofac-12345"]
    assert loaded.problems == []
    assert loaded.info.title == (
        "FollowTheMoney entities (us_ofac_sdn); not screened: Address 2, Sanction 1, "
        "non-target Person 1"
    )


def test_bad_lines_are_problems_with_line_numbers(tmp_path: Path) -> None:
    lines = [
        "\ufeff" + json.dumps(PERSON),  # a byte order mark on the first line is tolerated
        "",
        "{not json",
        '["a", "list"]',
        {"schema": "Person", "properties": {"name": ["No Id"]}},
        {"id": "y", "properties": {"name": ["No Schema"]}},
        {"id": "z", "schema": "Person", "properties": {"name": []}},
        {"id": "w", "schema": "Person", "properties": {"name": ["W"], "birthDate": ["someday"]}},
        {"id": "ofac-12345", "schema": "Person", "properties": {"name": ["Again"]}},
        {"id": "v", "schema": "Person", "properties": ["not", "an", "object"]},
    ]
    path = _write(tmp_path / "bad.json", lines)
    loaded = read_ftm(path)
    assert [e.entity_id for e in loaded.entities] == ["ofac-12345", "w"]
    assert [(p.record, p.field) for p in loaded.problems] == [
        ("line 3", None),
        ("line 4", None),
        ("line 5", "id"),
        ("line 6", "schema"),
        ("line 7", "name"),
        ("line 8", "birthDate"),
        ("line 9", "id"),
        ("line 10", "properties"),
    ]
    assert "not JSON" in loaded.problems[0].why
    assert "first on line 1" in loaded.problems[6].why
    assert loaded.entities[1].birth_dates == ()  # the bad date is left out, the entity kept


def test_bad_utf8_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.json"
    good = json.dumps({"id": "a", "schema": "Person", "properties": {"name": ["A"]}})
    path.write_bytes(
        good.encode() + b'\n{"id": "b", "schema": "Person", "properties": {"name": ["Mu\xf1oz"]}}\n'
    )
    loaded = read_ftm(path)
    assert [e.entity_id for e in loaded.entities] == ["a"]
    assert [(p.record, p.why) for p in loaded.problems] == [("line 2", "not UTF-8 (byte 60)")]
    assert loaded.info.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_name_from_parts_and_caption(tmp_path: Path) -> None:
    lines = [
        {"id": "a", "schema": "Person", "properties": {"firstName": ["Li"], "lastName": ["Wei"]}},
        {"id": "b", "schema": "Company", "caption": "Only Caption Ltd", "properties": {}},
    ]
    loaded = read_ftm(_write(tmp_path / "p.json", lines))
    assert [e.name for e in loaded.entities] == ["Li Wei", "Only Caption Ltd"]


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"nothing\.json: cannot be read"):
        read_ftm(tmp_path / "nothing.json")
