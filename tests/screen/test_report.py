"""The HTML report: summary figures, the hold list with reasons, charts, bad rows, escaping."""

from __future__ import annotations

import re
from pathlib import Path

from chainbreaker.screen.models import BadRecord, Decision, Hit
from chainbreaker.screen.report import ListUsed, RunFacts, Tally, render_report, write_report

ANPP = Hit(
    "chemical",
    "chem.controlled_mention",
    0.9,
    "Names 4-ANPP, a fentanyl precursor.",
    "goods[0].description",
)
LISTED = Hit(
    "party", "party.listed", 0.95, "Shipper matches OFAC SDN entry 12345.", "parties[shipper].name"
)
VAGUE = Hit("rule", "rule.vague_description", 0.4, "Vague description: 'sample'.")
EVIL = Hit("party", "party.listed", 0.95, "Matches <img src=x onerror=alert(1)>", "parties[0]")

DECISIONS = [
    Decision("R1", "postal", "day.csv", 2, 0.0, "clear"),
    Decision("R2", "postal", "day.csv", 3, 0.4, "review", (VAGUE,)),
    Decision("R3", "express", "awb.xlsx", 9, 0.91, "hold", (ANPP, VAGUE)),
    Decision("R4", "express", "awb.xlsx", 10, 0.4, "review", (VAGUE, VAGUE)),
    Decision("<script>alert('x')</script>", "order", "o&d.csv", 5, 1.0, "hold", (EVIL, LISTED)),
]


def _tally(decisions: list[Decision] = DECISIONS, **caps: int) -> Tally:
    tally = Tally(**caps)
    for d in decisions:
        tally.add(d)
    return tally


def _facts(**changes: object) -> RunFacts:
    facts = RunFacts(
        inputs=["day.csv", "awb.xlsx", "o&d.csv"],
        seconds=2.0,
        bad_count=1,
        bad=[BadRecord("day.csv", 7, "weight", "weight '<none>' is not a number")],
        pipeline_version="detectors-1+data-abc",
        lists=[ListUsed("ofac-sdn", "OFAC SDN list", "2024-05-01", 17_890)],
        thresholds=(0.35, 0.75),
        generated="2024-05-02T08:00:00",
    )
    for key, value in changes.items():
        setattr(facts, key, value)
    return facts


def _section(html: str, name: str) -> str:
    match = re.search(rf'<section id="{name}">(.*?)</section>', html, re.S)
    assert match, name
    return match.group(1)


def test_tally_counts_verdicts_profiles_rules_and_risks() -> None:
    tally = _tally()
    assert tally.records == 5
    assert dict(tally.verdicts) == {"clear": 1, "review": 2, "hold": 2}
    assert dict(tally.profiles["express"]) == {"hold": 1, "review": 1}
    # R4's two VAGUE hits count once: three records had the vague-description rule.
    assert tally.rules["rule.vague_description"] == 3
    assert tally.rules["party.listed"] == 1
    # 20 bins of 0.05 for risks above 0: 0.4 -> bin 8, 0.91 -> bin 18, 1.0 -> the last bin.
    assert tally.zero_risk == 1
    assert tally.risk_bins[8] == 2
    assert tally.risk_bins[18] == 1
    assert tally.risk_bins[19] == 1
    assert sum(tally.risk_bins) == 4


def test_kept_holds_are_the_strongest_first() -> None:
    holds = [
        Decision(f"H{i}", "postal", "f", i, risk, "hold")
        for i, risk in enumerate([0.8, 0.95, 0.8, 0.9])
    ]
    tally = _tally(holds, holds_shown=3)
    # 0.95, 0.9, then the earlier of the two 0.8s
    assert [d.record_id for d in tally.holds()] == ["H1", "H3", "H0"]


def test_summary_shows_counts_shares_time_lists_and_version() -> None:
    summary = _section(render_report(_tally(), _facts()), "summary")
    text = re.sub(r"<[^>]+>", " ", summary)
    assert "Records screened" in text and " 5 " in text
    assert "40.0%" in text  # 2 of 5 held, 2 of 5 to review
    assert "20.0%" in text  # 1 of 5 clear
    assert "2.0 s" in text and "2 records/s" in text
    assert "OFAC SDN list (ofac-sdn): published 2024-05-01, 17,890 entities" in text
    assert "detectors-1+data-abc" in text
    assert "review at risk &gt;= 0.35, hold at risk &gt;= 0.75" in summary


def test_hold_list_has_each_record_with_its_reasons_strongest_first() -> None:
    hold = _section(render_report(_tally(), _facts()), "hold")
    assert "Hold list (2)" in hold
    rows = re.findall(r"<tr><td>(.*?)</td>", hold)
    assert rows == ["&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;", "R3"]
    r3 = hold[hold.index("<td>R3</td>") :]
    assert r3.index("Names 4-ANPP") < r3.index("Vague description")
    assert "awb.xlsx:9" in r3
    assert "goods[0].description" in r3


def test_everything_from_the_data_is_escaped() -> None:
    html = render_report(_tally(), _facts())
    assert "<script" not in html
    assert "<img" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "o&amp;d.csv" in html
    assert "weight &#x27;&lt;none&gt;&#x27; is not a number" in html


def test_the_report_stands_alone() -> None:
    html = render_report(_tally(), _facts())
    assert "<script" not in html
    links = re.findall(r"""<[^>]*\s(?:src|href)=["']?([^"' >]+)""", html)
    assert links == []
    assert re.findall(r"https?://[^\s\"']+", html) == ["http://www.w3.org/2000/svg"] * 3
    assert html.count("<svg") == 3


def test_long_lists_are_capped_with_a_note() -> None:
    reviews = [Decision(f"V{i}", "postal", "f", i, 0.5, "review") for i in range(5)]
    html = render_report(_tally(reviews, reviews_shown=2), _facts())
    review = _section(html, "review")
    assert "The 2 of 5 records with the highest risk are listed here" in review
    assert re.findall(r"<tr><td>(V\d)</td>", review) == ["V0", "V1"]


def test_bad_rows_are_listed_with_file_row_and_why() -> None:
    bad = _section(render_report(_tally(), _facts()), "bad")
    assert "Bad rows (1)" in bad
    assert "<td>day.csv</td><td>7</td><td>weight</td>" in bad


def test_an_empty_run_still_makes_a_report(tmp_path: Path) -> None:
    path = tmp_path / "report.html"
    write_report(path, Tally(), RunFacts(generated="now"))
    html = path.read_text(encoding="utf-8")
    assert "No record to hold." in html
    assert "Every row was read." in html
    assert "nothing to show" in html
