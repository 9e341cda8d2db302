"""The `chainbreaker chem` command line: its JSON contract, files, stdin and bad input."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from chainbreaker.cli.app import app

runner = CliRunner()


def _json_lines(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def test_identify_json_one_object_per_query() -> None:
    result = runner.invoke(app, ["chem", "identify", "fentanyl", "125541-22-3", "--json"])
    assert result.exit_code == 0, result.output
    rows = _json_lines(result.stdout)
    assert [r["query"] for r in rows] == ["fentanyl", "125541-22-3"]
    assert rows[0]["controlled"] is True and rows[0]["error"] is None
    assert rows[1]["error"] and "check digit" in str(rows[1]["error"])


def test_identify_reads_a_file_skipping_blanks_and_comments(tmp_path: Path) -> None:
    queries = tmp_path / "q.txt"
    queries.write_text("# my queries\n4-AP\n\n41661-47-6\n", encoding="utf-8")
    result = runner.invoke(app, ["chem", "identify", "--file", str(queries), "--json"])
    assert result.exit_code == 0, result.output
    assert [r["query"] for r in _json_lines(result.stdout)] == ["4-AP", "41661-47-6"]


def test_identify_reads_stdin() -> None:
    result = runner.invoke(app, ["chem", "identify", "--file", "-", "--json"], input="NPP\n")
    assert result.exit_code == 0, result.output
    (row,) = _json_lines(result.stdout)
    assert row["substance_id"] == "npp"


def test_as_of_changes_the_answer() -> None:
    before = runner.invoke(app, ["chem", "identify", "4-AP", "--as-of", "2016-01-01", "--json"])
    after = runner.invoke(app, ["chem", "identify", "4-AP", "--as-of", "2024-01-01", "--json"])
    assert _json_lines(before.stdout)[0]["controlled"] is False
    assert _json_lines(after.stdout)[0]["controlled"] is True


def test_bad_date_is_a_usage_error() -> None:
    result = runner.invoke(app, ["chem", "identify", "4-AP", "--as-of", "yesterday"])
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output


def test_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["chem", "identify", "--file", str(tmp_path / "none.txt")])
    assert result.exit_code == 2


def test_identify_table_names_the_substance() -> None:
    result = runner.invoke(app, ["chem", "identify", "4-ANPP"])
    assert result.exit_code == 0, result.output
    assert "ANPP" in result.stdout


def test_scan_json_gives_spans_and_identification(tmp_path: Path) -> None:
    text = tmp_path / "goods.txt"
    line = "cotton shirts\nsample: 1-boc-4-piperidone, CAS 79099-07-3\n"
    text.write_text(line, encoding="utf-8")
    result = runner.invoke(app, ["chem", "scan", str(text), "--json"])
    assert result.exit_code == 0, result.output
    (record,) = _json_lines(result.stdout)
    assert record["line"] == 2
    mentions = record["mentions"]
    assert isinstance(mentions, list) and len(mentions) == 2
    source = "sample: 1-boc-4-piperidone, CAS 79099-07-3"
    for m in mentions:
        start, end = m["span"]
        assert source[start:end] == m["text"]
        assert m["substance_id"] == "1-boc-4-piperidone"
        assert m["controlled"] is True


def test_tour_runs() -> None:
    result = runner.invoke(app, ["chem", "tour"])
    assert result.exit_code == 0, result.output
    assert "designer" in result.stdout.lower()


def test_invalid_utf8_line_is_reported_with_its_place_and_the_batch_goes_on(
    tmp_path: Path,
) -> None:
    queries = tmp_path / "q.txt"
    queries.write_bytes(b"fentanyl\nfen\xfftanyl\n4-AP\n")
    result = runner.invoke(app, ["chem", "identify", "--file", str(queries), "--json"])
    assert result.exit_code == 0, result.output
    rows = _json_lines(result.stdout)
    assert len(rows) == 3
    assert rows[1]["error"] == f"{queries}:2: not valid UTF-8 at byte 4 (ff); bad bytes replaced"
    assert rows[0]["error"] is None and rows[2]["error"] is None


def test_scan_reports_invalid_utf8_and_still_scans_the_line(tmp_path: Path) -> None:
    text = tmp_path / "goods.txt"
    text.write_bytes(b"\xef\xbb\xbfNPP 5kg \xff drum\nshirts\n")
    result = runner.invoke(app, ["chem", "scan", str(text), "--json"])
    assert result.exit_code == 0, result.output
    (record,) = _json_lines(result.stdout)
    assert record["line"] == 1
    assert [m["substance_id"] for m in record["mentions"]] == ["npp"]  # type: ignore[union-attr]
    assert f"{text}:1: not valid UTF-8" in result.stderr


def test_identify_table_escapes_bracket_atoms() -> None:
    # "[2H]" would be eaten as console markup if not escaped
    result = runner.invoke(app, ["chem", "identify", "[2H]C([2H])([2H])C(=O)N(c1ccccc1)C1CCNCC1"])
    assert result.exit_code == 0, result.output
    assert "[2H]" in result.stdout
