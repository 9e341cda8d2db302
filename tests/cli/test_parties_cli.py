"""`chainbreaker parties screen` and `match`: the JSON-lines contract, lists, bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from chainbreaker.cli.app import app
from chainbreaker.parties.store import FetchedList, ListStore

runner = CliRunner()

# A member's own list (plain CSV) and a small OFAC sdn.csv, as their publishers write them.
MEMBER_CSV = (
    "id,name,schema,aliases,dob,country\n"
    "m1,HEBEI XIUNA TRADING CO. LTD.,Company,,,China\n"
    "m2,ZHENG Fujing,Person,Cheng Fu-ching,1984-09-09,China\n"
)
SDN_CSV = (
    b'6861,"GUZMAN LOERA, Joaquin","individual","SDNTK",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
    b'"DOB 25 Dec 1954; POB Mexico."\r\n'
    b'173,"ANGLO-CARIBBEAN CO., LTD.",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
    b"\x1a"
)


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test has its own, empty store."""
    monkeypatch.setenv("CHAINBREAKER_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


@pytest.fixture
def member(tmp_path: Path) -> Path:
    path = tmp_path / "member.csv"
    path.write_text(MEMBER_CSV, encoding="utf-8")
    return path


@pytest.fixture
def sdn(tmp_path: Path) -> Path:
    folder = tmp_path / "ofac"
    folder.mkdir()
    (folder / "sdn.csv").write_bytes(SDN_CSV)
    return folder / "sdn.csv"


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _rows(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def _check_contract(row: dict[str, Any], threshold: float) -> None:
    assert set(row) == {"id", "matches"}
    scores = [m["score"] for m in row["matches"]]
    assert scores == sorted(scores, reverse=True)
    for m in row["matches"]:
        assert set(m) == {
            "list",
            "entity_id",
            "name",
            "matched_name",
            "score",
            "match",
            "explanation",
        }
        assert 0.5 <= m["score"] <= 1.0
        assert m["match"] == (m["score"] >= threshold)


def test_screen_gives_one_json_line_per_row_in_order(
    tmp_path: Path, member: Path, sdn: Path
) -> None:
    queries = _write(
        tmp_path,
        "q.csv",
        "id,name,schema,country,dob\n"
        "r1,Hebei Xiuna Trading Co. Ltd.,Company,CN,\n"
        "r2,Joaquin Guzman Loera,Person,,1954\n"
        "r3,Oslo Fjord Fisheries AS,Company,NO,\n",
    )
    args = ["parties", "screen", str(queries), "--list", f"{member}:csv", "--list", str(sdn)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    rows = _rows(result.stdout)
    assert [r["id"] for r in rows] == ["r1", "r2", "r3"]
    for row in rows:
        _check_contract(row, 0.8)
    best = [(r["matches"][0]["entity_id"], r["matches"][0]["match"]) for r in rows[:2]]
    assert best == [("m1", True), ("6861", True)]
    assert rows[1]["matches"][0]["name"] == "GUZMAN LOERA, Joaquin"
    assert rows[2]["matches"] == []
    # the summary, on stderr
    assert "3 rows screened, 2 with a match" in result.stderr
    assert "queries/s" in result.stderr and "matcher " in result.stderr
    assert "ofac-sdn (ofac-csv, date not in the file, 2 entities)" in result.stderr


def test_threshold_decides_match(tmp_path: Path, member: Path) -> None:
    queries = _write(tmp_path, "q.csv", "id,name\n1,Zheng Fu Jing\n2,Hebei Xiuna Trading\n")
    for threshold in ("0.5", "0.99"):
        result = runner.invoke(
            app, ["parties", "screen", str(queries), "-l", str(member), "--threshold", threshold]
        )
        assert result.exit_code == 0, result.output
        rows = _rows(result.stdout)
        assert len(rows) == 2 and rows[0]["matches"]
        for row in rows:
            _check_contract(row, float(threshold))
    bad = runner.invoke(app, ["parties", "screen", str(queries), "-l", str(member), "-t", "1.5"])
    assert bad.exit_code == 2


def test_output_file_and_json_lines_from_stdin(tmp_path: Path, member: Path) -> None:
    out = tmp_path / "out.jsonl"
    result = runner.invoke(
        app,
        ["parties", "screen", "-", "--list", str(member), "--output", str(out)],
        input='{"id": "a", "name": "ZHENG Fujing", "schema": "Person"}\n',
    )
    assert result.exit_code == 0, result.output
    assert _rows(result.stdout) == []
    (row,) = _rows(out.read_text(encoding="utf-8"))
    assert row["id"] == "a" and row["matches"][0]["entity_id"] == "m2"
    assert row["matches"][0]["match"] is True


def test_bad_rows_are_reported_and_the_batch_goes_on(tmp_path: Path, member: Path) -> None:
    queries = _write(tmp_path, "q.csv", "id,name,dob\n1,ZHENG Fujing,\n,No Id,\n3,X Y,someday\n")
    result = runner.invoke(app, ["parties", "screen", str(queries), "--list", str(member)])
    assert result.exit_code == 0, result.output
    assert [r["id"] for r in _rows(result.stdout)] == ["1"]
    assert f"{queries}: line 3, field id" in result.stderr
    assert f"{queries}: line 4, field dob" in result.stderr
    assert "2 bad rows skipped" in result.stderr


def test_without_list_the_fetched_lists_are_used(tmp_path: Path, member: Path, home: Path) -> None:
    queries = _write(tmp_path, "q.csv", "id,name\n1,ZHENG Fujing\n")
    result = runner.invoke(app, ["parties", "screen", str(queries)])
    assert result.exit_code == 2
    assert "no --list given and no list fetched" in result.stderr
    assert "lists fetch" in result.stderr
    fetched = FetchedList(
        "un", "member", "Member list", "csv", str(member), (str(member),), ("http://x/m.csv",),
        None, "2026-03-01", "download", "2026-03-01T09:00:00+00:00", "00" * 32, 2, 0,
    )  # fmt: skip
    ListStore(home).record_fetch(fetched)
    result = runner.invoke(app, ["parties", "screen", str(queries)])
    assert result.exit_code == 0, result.output
    assert "No --list given: using the lists fetched into the store: member (2026-03-01)" in (
        result.stderr
    )
    assert _rows(result.stdout)[0]["matches"][0]["entity_id"] == "m2"


def test_list_errors(tmp_path: Path, member: Path) -> None:
    queries = _write(tmp_path, "q.csv", "id,name\n1,A\n")
    missing = runner.invoke(app, ["parties", "screen", str(queries), "-l", str(tmp_path / "n.x")])
    assert missing.exit_code == 1 and "no such list file" in missing.stderr
    fmt = runner.invoke(app, ["parties", "screen", str(queries), "-l", f"{member}:pdf"])
    assert fmt.exit_code == 2
    broken = _write(tmp_path, "broken.csv", "who,what\n1,2\n")
    bad = runner.invoke(app, ["parties", "screen", str(queries), "-l", f"{broken}:csv"])
    assert bad.exit_code == 1 and "broken.csv" in bad.stderr


def test_input_errors(tmp_path: Path, member: Path) -> None:
    missing = runner.invoke(app, ["parties", "screen", str(tmp_path / "none.csv"), "-l", "x"])
    assert missing.exit_code == 2
    ok = _write(tmp_path, "ok.csv", "id,name\n1,A\n")
    out = str(tmp_path / "no" / "such" / "dir.jsonl")
    unwritable = runner.invoke(app, ["parties", "screen", str(ok), "-l", str(member), "-o", out])
    assert unwritable.exit_code == 1 and "cannot be written" in unwritable.stderr
    no_name = _write(tmp_path, "q.csv", "id,party\n1,A\n")
    result = runner.invoke(app, ["parties", "screen", str(no_name), "-l", str(member)])
    assert result.exit_code == 1 and "no name column" in result.stderr


def test_match_prints_candidates_and_explains_the_best(member: Path) -> None:
    args = ["Zheng Fujing", "--schema", "Person", "--dob", "1984", "-l", str(member)]
    result = runner.invoke(app, ["parties", "match", *args])
    assert result.exit_code == 0, result.output
    assert "ZHENG Fujing" in result.stdout and "m2" in result.stdout
    assert "1. ZHENG Fujing (" in result.stdout
    assert "date of birth" in result.stdout  # a feature of the explanation, in words


def test_match_json_has_the_screen_shape(member: Path) -> None:
    result = runner.invoke(
        app, ["parties", "match", "HEBEI XIUNA TRADING", "--json", "-l", str(member)]
    )
    assert result.exit_code == 0, result.output
    (row,) = _rows(result.stdout)
    _check_contract(row, 0.8)
    assert row["id"] == "query" and row["matches"][0]["entity_id"] == "m1"


def test_match_with_no_candidate_says_so(member: Path) -> None:
    result = runner.invoke(app, ["parties", "match", "Oslo Fjord Fisheries", "-l", str(member)])
    assert result.exit_code == 0, result.output
    assert "No listed party scores 0.5 or more" in result.stdout


@pytest.mark.parametrize(
    ("option", "value"), [("--dob", "someday"), ("--country", "Atlantis"), ("--schema", "Ship")]
)
def test_match_rejects_bad_qualifiers(member: Path, option: str, value: str) -> None:
    result = runner.invoke(app, ["parties", "match", "X", option, value, "-l", str(member)])
    assert result.exit_code == 2
