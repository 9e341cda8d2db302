"""The member list CSV reader, on small files written here; hypothesis on arbitrary cells."""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chainbreaker.errors import DataError
from chainbreaker.parties.loaders.member_csv import COLUMNS, read_member_csv
from chainbreaker.parties.models import Address, Identifier, ListedName

GOOD = (
    "id,name,schema,aliases,weak_aliases,dob,country,identifiers,address,program,remarks\n"
    'M-1,"ZHANG, Wei",Person,Zhang Wei;張偉,Big Zhang,1976-01-03;circa 1977,China;HK,'
    'Passport:E12345678;National ID:110101197601030011,"1 Road, Wuhan",fentanyl;internal,'
    "seen 2024\n"
    "M-2,HEBEI XIUNA TRADING CO. LTD.,company,,,,cn,USCC:91130104MA07T43608,,,\n"
    "M-3,Somebody,,,,,,,,,\n"
)


def _write(tmp_path: Path, text: str, name: str = "members.csv", bom: bool = False) -> Path:
    path = tmp_path / name
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def test_full_rows(tmp_path: Path) -> None:
    loaded = read_member_csv(_write(tmp_path, GOOD))
    assert loaded.problems == []
    person, company, unknown = loaded.entities
    assert (person.list_id, person.entity_id, person.schema) == ("members", "M-1", "Person")
    assert person.names == (
        ListedName("ZHANG, Wei"),
        ListedName("Zhang Wei", kind="aka"),
        ListedName("張偉", kind="aka"),
        ListedName("Big Zhang", kind="aka", weak=True),
    )
    assert person.birth_dates == ("1976-01-03", "1977")
    assert person.countries == ("CN", "HK")
    assert person.identifiers == (
        Identifier("Passport", "E12345678"),
        Identifier("National ID", "110101197601030011"),
    )
    assert person.addresses == (Address("1 Road, Wuhan"),)
    assert (person.programs, person.remarks) == (("fentanyl", "internal"), "seen 2024")
    assert (company.schema, company.countries) == ("Company", ("CN",))
    assert company.identifiers == (Identifier("USCC", "91130104MA07T43608"),)
    assert (unknown.schema, unknown.names, unknown.remarks) == (
        "Unknown",
        (ListedName("Somebody"),),
        None,
    )
    info = loaded.info
    assert (info.format, info.entities, info.problems, info.published) == ("csv", 3, 0, None)
    assert info.sha256 == hashlib.sha256(GOOD.encode()).hexdigest()


def test_semicolon_delimiter_bom_and_header_case(tmp_path: Path) -> None:
    text = '\ufeffID; Name ;Country;Aliases\r\nX1;Acme Ltd;Mexico;"Acme; Acme SA"\r\n'
    loaded = read_member_csv(_write(tmp_path, text.lstrip("\ufeff"), bom=True), list_id="own")
    (entity,) = loaded.entities
    assert (entity.list_id, entity.entity_id, entity.name) == ("own", "X1", "Acme Ltd")
    assert entity.countries == ("MX",)
    assert [n.full for n in entity.names] == ["Acme Ltd", "Acme", "Acme SA"]


def test_bad_rows_are_problems_with_line_and_field(tmp_path: Path) -> None:
    text = (
        "id,name,schema,dob,country,identifiers\n"
        ",No Id,,,,\n"  # line 2
        "A2,,,,,\n"  # line 3
        "A3,Ship,boat,,,\n"  # line 4
        "A4,Late,,31/02/1980,,\n"  # line 5
        'A5,"Two\nLines",,,Atlantis,\n'  # lines 6-7
        "A6,Ok,,,,passport 123\n"  # line 8
        "A6,Again,,,,\n"  # line 9: the id of a row that was skipped is free
        "A6,Thrice,,,,\n"  # line 10: repeated
        "A7,x,,,,,extra\n"  # line 11
        "A8,---,,,,\n"  # line 12
        "\n"  # line 13: blank, not a row
        "A9,Fine,person,1970,,\n"  # line 14
    )
    loaded = read_member_csv(_write(tmp_path, text))
    assert [e.entity_id for e in loaded.entities] == ["A6", "A9"]
    assert [e.name for e in loaded.entities] == ["Again", "Fine"]
    assert [(p.record, p.field) for p in loaded.problems] == [
        ("line 2", "id"),
        ("line 3", "name"),
        ("line 4", "schema"),
        ("line 5", "dob"),
        ("line 6", "country"),
        ("line 8", "identifiers"),
        ("line 10", "id"),
        ("line 11", None),
        ("line 12", "name"),
    ]
    assert "first on line 9" in loaded.problems[6].why
    assert "'31/02/1980'" in loaded.problems[3].why


def test_bad_utf8_row(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes(b"id,name\n1,Mu\xf1oz\n2,Munoz\n")
    loaded = read_member_csv(path)
    assert [e.entity_id for e in loaded.entities] == ["2"]
    assert [(p.record, p.why) for p in loaded.problems] == [("line 2", "not UTF-8")]


def test_ignored_columns_are_named(tmp_path: Path) -> None:
    loaded = read_member_csv(_write(tmp_path, "id,name,alias,notes\n1,A,B,C\n"))
    assert loaded.info.title == "member list members (ignored columns: alias, notes)"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", r"line 1 \(header\): no column id or name \(found: nothing\)"),
        ("ident,name\n1,A\n", r"line 1 \(header\): no column id \(found: ident, name\)"),
        ("id,name,name\n1,A,B\n", r"line 1 \(header\): column name repeated"),
    ],
)
def test_bad_header_is_a_data_error_naming_the_file(
    tmp_path: Path, text: str, message: str
) -> None:
    with pytest.raises(DataError, match=r"members\.csv: " + message):
        read_member_csv(_write(tmp_path, text))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"gone\.csv: cannot be read"):
        read_member_csv(tmp_path / "gone.csv")


# A cell is arbitrary text one time in four, else a value that reads well in its column, so
# that rows are a mix of entities and problems.
_ARBITRARY = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)
_GOOD = {
    "id": ["A1", "B2", "C3"],
    "name": ["Zhang Wei", "Acme S.A. de C.V.", "Ivanov"],
    "schema": ["", "Person", "company"],
    "dob": ["", "1976", "03 Jan 1976;1977"],
    "country": ["", "cn", "Mexico;US"],
    "identifiers": ["", "Passport:X1", "USCC:9113;Tax:1"],
}


def _cell(column: str) -> st.SearchStrategy[str]:
    good = st.sampled_from(_GOOD.get(column, ["", "x;y", "Some text"]))
    return st.one_of(good, good, good, _ARBITRARY)


_row = st.tuples(*(_cell(column) for column in COLUMNS)).map(list)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(_row, max_size=6),
    delimiter=st.sampled_from([",", ";"]),
)
def test_never_raises_and_every_row_is_an_entity_or_a_problem(
    tmp_path: Path, rows: list[list[str]], delimiter: str
) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    path = tmp_path / "fuzz.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8", newline="")
    loaded = read_member_csv(path)
    rows_with_problems = {p.record for p in loaded.problems}
    assert len(loaded.entities) + len(rows_with_problems) == len(rows)
    for entity in loaded.entities:
        assert entity.entity_id and entity.name
    assert len({e.entity_id for e in loaded.entities}) == len(loaded.entities)
