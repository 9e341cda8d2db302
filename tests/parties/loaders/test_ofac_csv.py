"""The OFAC legacy CSV reader: small files written here with OFAC's quirks, and the real list."""

from __future__ import annotations

import collections
import hashlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chainbreaker.errors import DataError
from chainbreaker.parties.loaders.ofac_csv import read_ofac_csv
from chainbreaker.parties.models import Address, Identifier, ListedName

REAL_SDN = (
    Path(__file__).resolve().parents[3].parent / "shared/screening/data/ofac_sdn_2024-05-03/sdn.csv"
)

# Three entries as OFAC writes them: `-0- ` for empty, a remark cut at its end (continued in
# sdn_comments.csv), a vessel with a flag and a call sign.
SDN_ROWS = [
    '306,"BANCO NACIONAL DE CUBA",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"a.k.a. \'BNC\'."',
    '4107,"RODRIGUEZ OREJUELA, Gilberto Jose","individual","SDNT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
    '-0- ,"DOB 31 Jan 1939; alt. DOB circa 1940; Cedula No. 6068015 (Colombia); Passport T321642 '
    "(Colombia) issued 01 Jan 1990 expires 31 Dec 1999; nationality Colombia; citizen Venezuela; "
    "Gender Male; a.k.a. 'THE CHESS PLAYER'; a.k.a. 'LUCAS'; f.k.a. 'GILBERTO'; "
    'Linked To: CALI CARTEL; Brigadier General."',
    '27307,"LAZARUS GROUP",-0- ,"DPRK3] [CYBER2",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"Digital '
    "Currency Address - XBT 1Kuf2Rd8mDyAViwBozGTNYnvWL8uYFrkVo; a.k.a. 'WHOIS HACKIN\"",
    '4238,"MAR AZUL",vessel ,"CUBA",-0- ,"CL2192","General Cargo",-0- ,-0- ,"Cuba",-0- ,-0- ',
]


def write_crlf(path: Path, rows: list[str], eof: bool = True) -> Path:
    """Write rows as OFAC does: CR LF after each, then the DOS end-of-file byte 0x1A."""
    data = "".join(row + "\r\n" for row in rows).encode("ascii")
    path.write_bytes(data + (b"\x1a" if eof else b""))
    return path


@pytest.fixture
def sdn(tmp_path: Path) -> Path:
    return write_crlf(tmp_path / "sdn.csv", SDN_ROWS)


def test_main_file_alone(sdn: Path) -> None:
    loaded = read_ofac_csv(sdn)
    assert [e.entity_id for e in loaded.entities] == ["306", "4107", "27307", "4238"]
    assert loaded.problems == []
    bank, person, group, vessel = loaded.entities
    assert bank.schema == "Company" and bank.programs == ("CUBA",)
    assert bank.names == (ListedName("BANCO NACIONAL DE CUBA"), ListedName("BNC", kind="aka"))
    assert bank.remarks == "a.k.a. 'BNC'."
    assert person.schema == "Person"
    assert person.names[0] == ListedName(
        "RODRIGUEZ OREJUELA, Gilberto Jose",
        parts=(("last", "RODRIGUEZ OREJUELA"), ("first", "Gilberto Jose")),
    )
    assert [(n.full, n.kind) for n in person.names[1:]] == [
        ("THE CHESS PLAYER", "aka"),
        ("LUCAS", "aka"),
        ("GILBERTO", "fka"),
    ]
    assert person.birth_dates == ("1939-01-31", "1940")
    assert person.countries == ("CO", "VE")
    assert person.identifiers == (
        Identifier("Cedula No.", "6068015", "CO"),
        Identifier("Passport", "T321642", "CO"),
    )
    # Linked To and the free text stay in the remarks, whole
    assert person.remarks is not None and person.remarks.endswith(
        "Linked To: CALI CARTEL; Brigadier General."
    )
    assert group.programs == ("DPRK3", "CYBER2")
    assert group.identifiers == (
        Identifier("Digital Currency Address - XBT", "1Kuf2Rd8mDyAViwBozGTNYnvWL8uYFrkVo"),
    )
    # the alias cut at the column's end is not taken half
    assert [n.full for n in group.names] == ["LAZARUS GROUP"]
    assert vessel.schema == "Vessel"
    assert vessel.countries == ("CU",)
    assert vessel.identifiers == (Identifier("Call Sign", "CL2192"),)


def test_list_info(sdn: Path) -> None:
    info = read_ofac_csv(sdn).info
    assert info.list_id == "ofac-sdn" and info.title == "OFAC SDN list"
    assert info.format == "ofac-csv" and info.published is None
    assert info.entities == 4 and info.problems == 0
    assert info.sha256 == hashlib.sha256(sdn.read_bytes()).hexdigest()


def test_companions(sdn: Path) -> None:
    folder = sdn.parent
    write_crlf(
        folder / "ADD.CSV",  # OFAC's upper-case download name
        [
            '306,129,"Calle Cuba 402","Havana","Cuba",-0- ',
            '4107,130,-0- ,"Cali","Colombia",-0- ',
            "4107,131,-0- ,-0- ,-0- ,-0- ",
        ],
    )
    write_crlf(
        folder / "alt.csv",
        [
            '4107,12,"aka","RODRIGUEZ, Gilberto",-0- ',
            '4107,13,"aka","LUCAS",-0- ',  # also in the remarks: once
            '27307,14,"fka","APPLEWORM",-0- ',
        ],
    )
    write_crlf(folder / "sdn_comments.csv", ["27307,\"G TEAM'; a.k.a. 'RED DOT'.\""])
    loaded = read_ofac_csv(sdn)
    assert loaded.problems == []
    found = {e.entity_id: e for e in loaded.entities}
    assert found["306"].addresses == (Address("Calle Cuba 402, Havana, Cuba", "CU"),)
    assert found["306"].countries == ("CU",)
    person = found["4107"]
    assert person.addresses == (Address("Cali, Colombia", "CO"),)
    assert person.countries == ("CO", "VE")
    assert [n.full for n in person.names] == [
        "RODRIGUEZ OREJUELA, Gilberto Jose",
        "RODRIGUEZ, Gilberto",
        "LUCAS",
        "THE CHESS PLAYER",
        "GILBERTO",
    ]
    assert person.names[1].parts == (("last", "RODRIGUEZ"), ("first", "Gilberto"))
    group = found["27307"]
    # the cut remark is joined without a space: 'WHOIS HACKIN' + "G TEAM'"
    assert [(n.full, n.kind) for n in group.names] == [
        ("LAZARUS GROUP", "primary"),
        ("APPLEWORM", "fka"),
        ("WHOIS HACKING TEAM", "aka"),
        ("RED DOT", "aka"),
    ]
    assert group.remarks is not None and group.remarks.endswith(
        "'WHOIS HACKING TEAM'; a.k.a. 'RED DOT'."
    )
    expected = hashlib.sha256()
    for name in ("sdn.csv", "ADD.CSV", "alt.csv", "sdn_comments.csv"):
        expected.update((folder / name).read_bytes())
    assert loaded.info.sha256 == expected.hexdigest()


def test_malformed_rows_are_reported_with_their_line(tmp_path: Path) -> None:
    rows = [
        SDN_ROWS[0],
        '12,"TOO FEW COLUMNS",-0- ,"CUBA"',
        'X1,"NOT A NUMBER",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ',
        '13,"BROKEN "QUOTE",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ',
        '306,"REPEATED",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ',
        '14,-0- ,-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ',
        SDN_ROWS[3],
    ]
    path = write_crlf(tmp_path / "sdn.csv", rows)
    loaded = read_ofac_csv(path)
    assert [e.entity_id for e in loaded.entities] == ["306", "4238"]
    where = [(p.record, p.field) for p in loaded.problems]
    assert where == [
        ("line 2", None),
        ("line 3", None),
        ("line 4", None),
        ("line 5", "ent_num"),
        ("line 6", "SDN_Name"),
    ]
    whys = [p.why for p in loaded.problems]
    assert whys[0] == "expected 12 columns, found 4"
    assert whys[1] == "ent_num 'X1' is not a number"
    assert "broken quoting" in whys[2]
    assert whys[3] == "ent_num 306 repeated (first on line 1)"
    assert loaded.info.problems == 5
    assert all(p.file == str(path) for p in loaded.problems)


def test_companion_problems(sdn: Path) -> None:
    write_crlf(
        sdn.parent / "alt.csv",
        [
            '4107,12,"xyz","SOMEONE",-0- ',  # unknown alias type
            '999,13,"aka","NOBODY",-0- ',  # no such entry
            '4107,"broken',
        ],
    )
    loaded = read_ofac_csv(sdn)
    alt = str(sdn.parent / "alt.csv")
    assert {(p.file, p.record, p.field) for p in loaded.problems} == {
        (alt, "line 1", "alt_type"),
        (alt, "line 2", "Ent_num"),
        (alt, "line 3", None),
    }
    assert "SOMEONE" not in [n.full for e in loaded.entities for n in e.names]


def test_eof_byte_and_line_endings(tmp_path: Path) -> None:
    crlf = write_crlf(tmp_path / "a.csv", SDN_ROWS[:1], eof=True)
    no_eof = tmp_path / "b.csv"
    no_eof.write_bytes(SDN_ROWS[0].encode() + b"\n")
    glued = tmp_path / "c.csv"
    glued.write_bytes(SDN_ROWS[0].encode() + b"\x1a")
    for path in (crlf, no_eof, glued):
        loaded = read_ofac_csv(path)
        assert [e.name for e in loaded.entities] == ["BANCO NACIONAL DE CUBA"], path
        assert loaded.problems == []


def test_byte_order_mark_and_windows_letters(tmp_path: Path) -> None:
    path = tmp_path / "sdn.csv"
    row = '7,"PE\xd1A, Jos\xe9",individual,"SDNT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- '
    path.write_bytes(b"\xef\xbb\xbf" + row.encode("cp1252") + b"\r\n\x1a")
    loaded = read_ofac_csv(path)
    assert loaded.problems == []
    assert loaded.entities[0].entity_id == "7"
    assert loaded.entities[0].name == "PE\u00d1A, Jos\u00e9"


def test_unreadable_companion_raises(sdn: Path) -> None:
    (sdn.parent / "add.csv").write_text("<html>Not Found</html>\r\n", encoding="ascii")
    with pytest.raises(DataError, match=r"add\.csv: no line is an OFAC add\.csv record"):
        read_ofac_csv(sdn)


def test_consolidated_list(tmp_path: Path) -> None:
    path = write_crlf(tmp_path / "CONS_PRIM.CSV", SDN_ROWS[:1])
    write_crlf(tmp_path / "cons_alt.csv", ['306,1,"aka","BANCO CUBA",-0- '])
    write_crlf(tmp_path / "alt.csv", ['306,1,"aka","NOT THIS ONE",-0- '])
    loaded = read_ofac_csv(path)
    assert loaded.info.list_id == "ofac-cons"
    assert loaded.entities[0].list_id == "ofac-cons"
    assert [n.full for n in loaded.entities[0].names] == [
        "BANCO NACIONAL DE CUBA",
        "BANCO CUBA",
        "BNC",
    ]
    assert read_ofac_csv(tmp_path).info.list_id == "ofac-cons"  # the folder


def test_folder_holding_sdn_csv(sdn: Path) -> None:
    assert read_ofac_csv(sdn.parent).info.entities == 4


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "holds no records"),
        (b"\x1a", "holds no records"),
        (b'<?xml version="1.0"?>\r\n<sdnList/>', "XML"),
        (b"ent_num,SDN_Name\r\n", "no line is an OFAC record"),
    ],
)
def test_malformed_files_raise(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "sdn.csv"
    path.write_bytes(content)
    with pytest.raises(DataError, match=message) as caught:
        read_ofac_csv(path)
    assert str(path) in str(caught.value)


def test_missing_file_raises(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="no such file"):
        read_ofac_csv(tmp_path / "sdn.csv")


@pytest.mark.skipif(not REAL_SDN.is_file(), reason="shared OFAC sdn.csv not present")
def test_real_sdn_csv() -> None:
    loaded = read_ofac_csv(REAL_SDN)
    assert loaded.info.entities == 14965
    assert loaded.problems == []
    kinds = collections.Counter(e.schema for e in loaded.entities)
    assert kinds == {"Person": 6854, "Company": 6884, "Vessel": 851, "Aircraft": 376}
    found = {e.entity_id: e for e in loaded.entities}
    gilberto = found["4107"]
    assert gilberto.name == "RODRIGUEZ OREJUELA, Gilberto Jose"
    assert {n.full for n in gilberto.names[1:]} == {"THE CHESS PLAYER", "LUCAS"}
    assert gilberto.birth_dates == ("1939-01-31",)
    assert gilberto.programs == ("SDNT",)
    assert found["36"].name == "AEROCARIBBEAN AIRLINES"
    assert loaded.info.sha256 == hashlib.sha256(REAL_SDN.read_bytes()).hexdigest()


_CELL = st.text(alphabet=st.sampled_from("AB1 ,\"-0;'"), max_size=12)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(_CELL, min_size=1, max_size=14).map(",".join), max_size=8))
def test_every_line_is_an_entity_or_a_problem(tmp_path: Path, noise: list[str]) -> None:
    """Never silently lost: each non-blank line gives one entity or one problem naming it."""
    rows = [SDN_ROWS[0], *noise]
    path = write_crlf(tmp_path / "sdn.csv", rows)
    loaded = read_ofac_csv(path)
    numbered = [n for n, row in enumerate(rows, start=1) if row.strip()]
    problem_lines = [p.record for p in loaded.problems]
    assert len(loaded.entities) + len(problem_lines) == len(numbered)
    assert len(set(problem_lines)) == len(problem_lines)
    assert loaded.entities[0].entity_id == "306"
