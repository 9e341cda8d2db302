"""`chainbreaker screen`: decisions out, bad rows reported, lists, the report, usage errors."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from chainbreaker.cli.app import app

runner = CliRunner()

# A day of postal items (CN 23 fields). Worked out by hand: CP001 declares 4-ANPP (a fentanyl
# precursor) under the 2933.39 catch-all and comes from a listed shipper: hold. CP002 is books:
# clear. CP003 is a "chemical sample" that names no chemical: review. Row 4 has no item id:
# a bad row. CP005 is tea: clear.
POSTAL = (
    "item_id,sender_name,sender_country,addressee_name,addressee_address,addressee_city,"
    "addressee_country,posting_date,category,description,hs_tariff_number,quantity,net_weight,"
    "value,currency\n"
    "CP001,Hebei Xiuna Trading Co Ltd,CN,John Smith,1 Main St,Austin,US,2024-05-01,"
    "commercial sample,4-ANPP powder,293339,1,0.5,20,USD\n"
    "CP002,Acme Books,GB,Mary Jones,2 Oak Rd,Leeds,GB,2024-05-01,sale of goods,"
    "paperback novels,490199,3,1.2,30,GBP\n"
    "CP003,Chem Co,CN,Jane Roe,5 Elm St,Austin,US,2024-05-01,gift,chemical sample,"
    "293399,1,0.2,5,USD\n"
    ",Nobody,CN,X,Y,Z,US,2024-05-01,gift,broken,,1,1,1,USD\n"
    "CP005,Tea House,CN,Bob Lee,9 Pine,Austin,US,2024-05-02,sale of goods,green tea,090210,"
    "2,1,12,USD\n"
)
MEMBER = "id,name,schema,aliases,dob,country\nm1,HEBEI XIUNA TRADING CO. LTD.,Company,,,China\n"
EXPECTED = {"CP001": "hold", "CP002": "clear", "CP003": "review", "CP005": "clear"}


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test has its own, empty store (so no fetched list is used by default)."""
    monkeypatch.setenv("CHAINBREAKER_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


@pytest.fixture
def postal(tmp_path: Path) -> Path:
    path = tmp_path / "postal.csv"
    path.write_text(POSTAL, encoding="utf-8")
    return path


@pytest.fixture
def member(tmp_path: Path) -> Path:
    path = tmp_path / "member.csv"
    path.write_text(MEMBER, encoding="utf-8")
    return path


def _rows(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def test_decisions_go_to_stdout_as_json_lines(postal: Path) -> None:
    result = runner.invoke(app, ["screen", str(postal), "--workers", "1"])
    assert result.exit_code == 0, result.output
    rows = _rows(result.stdout)
    assert {r["record_id"]: r["decision"] for r in rows} == EXPECTED
    assert [r["source_row"] for r in rows] == [1, 2, 3, 5]
    cp001 = rows[0]
    assert "chem.controlled_mention" in {h["rule"] for h in cp001["hits"]}
    assert not any(h["detector"] == "party" for h in cp001["hits"])  # no list loaded
    err = result.stderr
    assert "no --list given and no list fetched" in err
    assert "1 bad row skipped" in err
    assert f"{postal}:4 (item_id): no record id" in err
    assert "4 records screened: 2 clear (50.0%), 1 review (25.0%), 1 hold (25.0%)" in err
    assert "records/s" in err and "decisions on standard output" in err


def test_listed_shipper_output_file_report_and_bad_rows(
    postal: Path, member: Path, tmp_path: Path
) -> None:
    out, report, bad = tmp_path / "out.parquet", tmp_path / "report.html", tmp_path / "bad.csv"
    args = ["screen", str(postal), "--list", f"{member}:csv", "--workers", "2"]
    args += ["--output", str(out), "--report", str(report), "--bad-rows", str(bad)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    table = pq.read_table(out)
    assert dict(
        zip(table["record_id"].to_pylist(), table["decision"].to_pylist(), strict=True)
    ) == (EXPECTED)
    cp001_rules = {h["rule"] for h in table["hits"].to_pylist()[0]}
    assert "party.listed" in cp001_rules
    with bad.open(encoding="utf-8", newline="") as handle:
        assert list(csv.reader(handle)) == [
            ["file", "row", "field", "why"],
            [str(postal), "4", "item_id", "no record id"],
        ]
    html = report.read_text(encoding="utf-8")
    hold = html[html.index('<section id="hold">') : html.index('<section id="review">')]
    assert "<td>CP001</td>" in hold and "Hebei Xiuna Trading Co Ltd" in hold
    assert "published date not in the file, 1 entities" in html
    assert f"decisions in {out}; report in {report}; bad rows in {bad}" in result.stderr


def test_csv_output_and_thresholds(postal: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    # a hold threshold above CP001's risk and a review threshold above CP003's: one review.
    # CP003's risk: 1 - (1 - 0.4)(1 - 0.2) = 0.52, a vague chemical description (0.4) declared
    # under a chemical HS chapter (29: 0.2), combined in the weak-signal group
    args = ["screen", str(postal), "--workers", "1", "-o", str(out)]
    result = runner.invoke(app, [*args, "--threshold-review", "0.55", "--threshold-hold", "0.99"])
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8", newline="") as handle:
        rows = {r["record_id"]: r["decision"] for r in csv.DictReader(handle)}
    assert rows == {"CP001": "review", "CP002": "clear", "CP003": "clear", "CP005": "clear"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.csv"], "does not exist"),
        (["{postal}", "-o", "out.txt"], "unknown output format"),
        (["{postal}", "--threshold-review", "0.9", "--threshold-hold", "0.5"], "review <= hold"),
        (["{postal}", "--engine", "dask"], "dask"),
        (["{postal}", "--profile", "pallets"], "pallets"),
    ],
)
def test_usage_errors_exit_2(postal: Path, args: list[str], message: str) -> None:
    result = runner.invoke(app, ["screen", *[a.format(postal=postal) for a in args]])
    assert result.exit_code == 2
    assert message in " ".join(result.stderr.split())


def test_a_file_that_fits_no_profile_exits_1(tmp_path: Path) -> None:
    odd = tmp_path / "odd.csv"
    odd.write_text("colour,size\nred,9\n", encoding="utf-8")
    result = runner.invoke(app, ["screen", str(odd), "--workers", "1"])
    assert result.exit_code == 1
    assert "error" in result.stderr and "odd.csv" in result.stderr


def test_an_unreadable_list_exits_1_before_reading(postal: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.xml"
    broken.write_text("<not a list", encoding="utf-8")
    result = runner.invoke(app, ["screen", str(postal), "--list", f"{broken}:ofac-xml"])
    assert result.exit_code == 1
    assert "broken.xml" in result.stderr


@pytest.mark.skipif(shutil.which("java") is None, reason="the Spark engine needs Java")
def test_spark_engine_gives_the_same_decisions(postal: Path) -> None:
    local = runner.invoke(app, ["screen", str(postal), "--workers", "1"])
    spark = runner.invoke(app, ["screen", str(postal), "--engine", "spark", "--master", "local[2]"])
    assert spark.exit_code == 0, spark.output
    assert _rows(spark.stdout) == _rows(local.stdout)
    assert "spark engine" in spark.stderr


def test_with_fetched_adds_the_fetched_lists_to_those_given(
    postal: Path, member: Path, tmp_path: Path, home: Path
) -> None:
    from chainbreaker.parties.store import FetchedList, ListStore

    # the member list is given as --list; a second list (naming the same shipper) is fetched
    fetched_file = tmp_path / "fetched.csv"
    fetched_file.write_text(
        "id,name,schema\nf1,HEBEI XIUNA TRADING CO. LTD.,Company\n", encoding="utf-8"
    )
    fetched = FetchedList(
        "un", "fetched", "Fetched list", "csv", str(fetched_file), (str(fetched_file),),
        ("http://x/f.csv",), None, "2026-03-01", "download", "2026-03-01T09:00:00+00:00",
        "00" * 32, 1, 0,
    )  # fmt: skip
    ListStore(home).record_fetch(fetched)
    base = ["screen", str(postal), "--list", f"{member}:csv", "--workers", "1"]
    without = runner.invoke(app, base)
    with_fetched = runner.invoke(app, [*base, "--with-fetched"])
    assert without.exit_code == 0 and with_fetched.exit_code == 0, with_fetched.output

    def lists_line(result: Any) -> str:
        return next(line for line in result.stderr.splitlines() if "lists: " in line)

    assert "member" in lists_line(without) and "fetched" not in lists_line(without)
    assert "member" in lists_line(with_fetched) and "fetched" in lists_line(with_fetched)
    assert "Also screening against 1 fetched list(s)." in with_fetched.stderr
    # the shipper is still found (the best match per party is reported, from either list)
    cp001 = next(r for r in _rows(with_fetched.stdout) if r["record_id"] == "CP001")
    assert any(h["rule"] == "party.listed" for h in cp001["hits"])
