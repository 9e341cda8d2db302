"""Reading the parties to screen: CSV and JSON lines, bad rows reported with file, line, field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chainbreaker.errors import DataError
from chainbreaker.parties.queries import QueryReader, read_queries
from chainbreaker.parties.screening import PartyQuery


def _write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_csv_with_every_column(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "q.csv",
        "id,name,schema,country,dob\n"
        "s1,ZHENG Fujing,Person,China,1983\n"
        's2,"HEBEI XIUNA TRADING CO., LTD.",company,cn,\n'
        "s3,Juan Perez,,,03 Jan 1976\n",
    )
    assert list(read_queries(path)) == [
        PartyQuery("s1", "ZHENG Fujing", "Person", "CN", "1983"),
        PartyQuery("s2", "HEBEI XIUNA TRADING CO., LTD.", "Company", "CN", None),
        PartyQuery("s3", "Juan Perez", None, None, "1976-01-03"),
    ]


def test_csv_only_id_and_name_columns_in_any_order_and_case(tmp_path: Path) -> None:
    path = _write(tmp_path, "q.csv", "\ufeffName , ID\nAcme Ltd,7\n")
    assert list(read_queries(path)) == [PartyQuery("7", "Acme Ltd")]


def test_json_lines(tmp_path: Path) -> None:
    rows = [
        {"id": "a", "name": "Guzman Loera, Joaquin", "schema": "individual", "dob": "1957-04-04"},
        {"id": 12, "name": "Los Zetas", "schema": "Organization", "country": "Mexico"},
    ]
    path = _write(tmp_path, "q.jsonl", "".join(json.dumps(r) + "\n" for r in rows) + "\n")
    assert list(read_queries(path)) == [
        PartyQuery("a", "Guzman Loera, Joaquin", "Person", None, "1957-04-04"),
        PartyQuery("12", "Los Zetas", "Company", "MX", None),
    ]


def test_json_lines_are_recognised_by_content(tmp_path: Path) -> None:
    path = _write(tmp_path, "queries.txt", '{"id": "x", "name": "Wei Zhang"}\n')
    assert list(read_queries(path)) == [PartyQuery("x", "Wei Zhang")]


def test_bad_rows_are_reported_with_line_and_field_and_skipped(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "q.csv",
        "id,name,schema,dob\n"  # line 1
        "1,Good One,,\n"  # 2
        ",No Id,,\n"  # 3
        "3,,,\n"  # 4
        "4,Bad Schema,Vessel,\n"  # 5
        "5,Bad Dob,,yesterday\n"  # 6
        "6,Too,many,values,here\n"  # 7
        "7,Good Two,company,1990\n",  # 8
    )
    reader = QueryReader(path)
    assert [q.id for q in reader] == ["1", "7"]
    assert reader.rows == 7
    where = [(p.file, p.record, p.field) for p in reader.problems]
    assert where == [
        (path, "line 3", "id"),
        (path, "line 4", "name"),
        (path, "line 5", "schema"),
        (path, "line 6", "dob"),
        (path, "line 7", None),
    ]
    assert "yesterday" in reader.problems[3].why


def test_unknown_country_is_a_warning_and_the_row_is_kept(tmp_path: Path) -> None:
    path = _write(tmp_path, "q.csv", "id,name,country\n1,Acme,Atlantis\n")
    reader = QueryReader(path)
    assert list(reader) == [PartyQuery("1", "Acme")]
    assert reader.problems == []
    assert [(w.record, w.field) for w in reader.warnings] == [("line 2", "country")]


def test_bad_json_lines_are_reported(tmp_path: Path) -> None:
    path = _write(tmp_path, "q.jsonl", '{"id": "1", "name": "A"}\n{"id": \n[1, 2]\n')
    reader = QueryReader(path)
    assert [q.id for q in reader] == ["1"]
    assert [p.record for p in reader.problems] == ["line 2", "line 3"]


def test_invalid_utf8_is_replaced_and_reported(tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    path.write_bytes(b"id,name\n1,Caf\xe9 Ltd\n")
    reader = QueryReader(str(path))
    assert list(reader) == [PartyQuery("1", "Caf\ufffd Ltd")]
    assert [w.record for w in reader.warnings] == ["line 2"]


def test_a_quoted_name_over_two_lines_is_one_row(tmp_path: Path) -> None:
    path = _write(tmp_path, "q.csv", 'id,name\n1,"ACME\nTRADING"\n2,B\n')
    reader = QueryReader(path)
    assert [q.name for q in reader] == ["ACME\nTRADING", "B"]


def test_a_header_without_name_is_a_file_error(tmp_path: Path) -> None:
    path = _write(tmp_path, "q.csv", "id,party\n1,Acme\n")
    with pytest.raises(DataError, match=r"q\.csv: line 1: .*no name column"):
        list(read_queries(path))


def test_a_missing_file_is_a_file_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="no such file"):
        list(read_queries(str(tmp_path / "none.csv")))


def test_an_empty_file_has_no_queries(tmp_path: Path) -> None:
    assert list(read_queries(_write(tmp_path, "q.csv", ""))) == []


def test_bytes_are_reported_for_the_progress_bar(tmp_path: Path) -> None:
    text = "id,name\n1,A\n2,B\n"
    seen: list[int] = []
    list(QueryReader(_write(tmp_path, "q.csv", text), on_bytes=seen.append))
    assert sum(seen) == len(text.encode())


_names = st.text(
    st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=30
).filter(lambda s: s.strip() == s and s != "")


@settings(max_examples=50)
@given(st.lists(st.tuples(_names, _names), min_size=1, max_size=5))
def test_any_id_and_name_round_trip_through_csv_and_json(
    tmp_path_factory: pytest.TempPathFactory, rows: list[tuple[str, str]]
) -> None:
    import csv

    folder = tmp_path_factory.mktemp("q")
    with (folder / "q.csv").open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["id", "name"])
        writer.writerows(rows)
    lines = [json.dumps({"id": i, "name": n}, ensure_ascii=False) for i, n in rows]
    (folder / "q.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    expected = [PartyQuery(i, n) for i, n in rows]
    assert list(read_queries(str(folder / "q.csv"))) == expected
    assert list(read_queries(str(folder / "q.jsonl"))) == expected
