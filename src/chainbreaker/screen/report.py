"""The HTML report a supervisor reads: summary figures, the hold list, charts, bad rows.

One self-contained file: inline CSS, charts as inline SVG (`report_charts`), no script and
nothing fetched, so it opens on a machine without a network. Every value from the data is
escaped. `Tally` collects what the report needs while the decisions stream past (counts, the
strongest holds and reviews, hits per rule, decisions per profile, the risk histogram), so a
run of any size keeps only a bounded part of it in memory.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from chainbreaker.screen.models import BadRecord, Decision
from chainbreaker.screen.report_charts import bar_chart, histogram, stacked_bars
from chainbreaker.screen.report_style import CSS

VERDICTS = ("clear", "review", "hold")
#: Records listed in full, strongest first (the rest are counted).
HOLDS_SHOWN = 1_000
REVIEWS_SHOWN = 200
#: Bad rows listed (the rest are counted).
BAD_SHOWN = 100
#: Rules shown in the hits chart.
RULES_SHOWN = 25
RISK_BINS = 20


@dataclass(slots=True)
class Tally:
    """What the report shows, accumulated one decision at a time."""

    holds_shown: int = HOLDS_SHOWN
    reviews_shown: int = REVIEWS_SHOWN
    verdicts: Counter[str] = field(default_factory=Counter)
    profiles: dict[str, Counter[str]] = field(default_factory=dict)
    rules: Counter[str] = field(default_factory=Counter)  # records on which a rule fired
    risk_bins: list[int] = field(default_factory=lambda: [0] * RISK_BINS)  # risk above 0
    zero_risk: int = 0  # records without a hit (most of them: not drawn)
    _holds: list[tuple[float, int, Decision]] = field(default_factory=list)
    _reviews: list[tuple[float, int, Decision]] = field(default_factory=list)

    def add(self, decision: Decision) -> None:
        """Count one decision (and keep it if it is among the strongest holds or reviews)."""
        seq = self.records
        self.verdicts[decision.decision] += 1
        self.profiles.setdefault(decision.profile, Counter())[decision.decision] += 1
        self.rules.update({h.rule for h in decision.hits})
        risk = min(max(decision.risk, 0.0), 1.0)
        if risk > 0:
            self.risk_bins[min(int(risk * RISK_BINS), RISK_BINS - 1)] += 1
        else:
            self.zero_risk += 1
        kept = {
            "hold": (self._holds, self.holds_shown),
            "review": (self._reviews, self.reviews_shown),
        }
        if decision.decision in kept:
            heap, cap = kept[decision.decision]
            item = (decision.risk, -seq, decision)  # ties: the earlier record is stronger
            if len(heap) < cap:
                heapq.heappush(heap, item)
            elif cap and item[:2] > heap[0][:2]:
                heapq.heapreplace(heap, item)

    @property
    def records(self) -> int:
        """Decisions counted."""
        return sum(self.verdicts.values())

    def holds(self) -> list[Decision]:
        """The strongest holds kept, highest risk first (input order among equals)."""
        return [d for *_, d in sorted(self._holds, key=lambda t: (-t[0], -t[1]))]

    def reviews(self) -> list[Decision]:
        """The strongest reviews kept, highest risk first (input order among equals)."""
        return [d for *_, d in sorted(self._reviews, key=lambda t: (-t[0], -t[1]))]


@dataclass(frozen=True, slots=True)
class ListUsed:
    """A watch list the run screened against."""

    list_id: str
    title: str
    published: str | None
    entities: int


@dataclass(slots=True)
class RunFacts:
    """What the run was: inputs, engine, time, bad rows, lists, versions, outputs."""

    inputs: Sequence[str] = ()
    engine: str = "local"
    workers: int = 1
    seconds: float = 0.0
    bad_count: int = 0
    bad: Sequence[BadRecord] = ()  # the first ones (at least BAD_SHOWN when there are)
    pipeline_version: str | None = None
    lists: Sequence[ListUsed] = ()
    indicators: str | None = None
    rules: str | None = None
    thresholds: tuple[float, float] | None = None  # (review, hold)
    output: str | None = None
    generated: str = field(default_factory=lambda: dt.datetime.now().isoformat(timespec="seconds"))


def write_report(path: Path, tally: Tally, facts: RunFacts) -> None:
    """Write the report to `path` (UTF-8)."""
    path.write_text(render_report(tally, facts), encoding="utf-8")


def render_report(tally: Tally, facts: RunFacts) -> str:
    """The report as one HTML document."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>chainbreaker screening report</title>",
        f"<style>{CSS}</style></head><body>",
        "<h1>Screening report</h1>",
        f'<p class="meta">Generated {escape(facts.generated)} by chainbreaker screen.</p>',
        _summary(tally, facts),
        _decision_list("Hold", tally.holds(), tally.verdicts["hold"], "hold"),
        _decision_list("Review", tally.reviews(), tally.verdicts["review"], "review"),
        _charts(tally, facts),
        _bad_rows(facts),
        "</body></html>",
    ]
    return "\n".join(parts)


def _share(n: int, total: int) -> str:
    return f"{100 * n / total:.1f}%" if total else "-"


def _summary(tally: Tally, facts: RunFacts) -> str:
    total = tally.records
    rate = f"{total / facts.seconds:,.0f}" if facts.seconds > 0 else "-"
    cards = [("Records screened", f"{total:,}", "")]
    for verdict in VERDICTS:
        n = tally.verdicts[verdict]
        cards.append((verdict.capitalize(), f"{n:,}", _share(n, total)))
    cards.append(("Bad rows skipped", f"{facts.bad_count:,}", ""))
    cards.append(("Time", f"{facts.seconds:,.1f} s", f"{rate} records/s"))
    html = ['<section id="summary"><h2>Summary</h2><div class="cards">']
    for label, value, sub in cards:
        cls = label.lower() if label.lower() in VERDICTS else ""
        html.append(
            f'<div class="card {cls}"><div class="value">{escape(value)}</div>'
            f'<div class="label">{escape(label)}</div><div class="sub">{escape(sub)}</div></div>'
        )
    html.append('</div><table class="facts">')
    rows = [
        ("Inputs", ", ".join(facts.inputs) or "-"),
        ("Engine", f"{facts.engine} ({facts.workers} workers)"),
        ("Pipeline version", facts.pipeline_version or "-"),
        ("Indicators", facts.indicators or "none"),
        ("Rules", facts.rules or "built-in"),
        ("Decisions written to", facts.output or "standard output"),
    ]
    if facts.thresholds:
        review, hold = facts.thresholds
        rows.insert(3, ("Thresholds", f"review at risk >= {review:g}, hold at risk >= {hold:g}"))
    lists = [
        f"{x.title or x.list_id} ({x.list_id}): published {x.published or 'date not in the file'}, "
        f"{x.entities:,} entities"
        for x in facts.lists
    ]
    rows.insert(3, ("Lists", "; ".join(lists) or "none (parties not screened)"))
    for key, value in rows:
        html.append(f"<tr><th>{escape(key)}</th><td>{escape(value)}</td></tr>")
    html.append("</table></section>")
    return "".join(html)


def _decision_list(title: str, shown: list[Decision], total: int, verdict: str) -> str:
    html = [f'<section id="{verdict}"><h2>{escape(title)} list ({total:,})</h2>']
    if not total:
        html.append(f'<p class="none">No record to {verdict}.</p></section>')
        return "".join(html)
    if len(shown) < total:
        html.append(
            f'<p class="note">The {len(shown):,} of {total:,} records with the highest risk are '
            "listed here; every decision is in the output file.</p>"
        )
    html.append(
        f'<table class="list {verdict}"><thead><tr><th>Record</th><th>Profile</th>'
        "<th>Source</th><th>Risk</th><th>Reasons</th></tr></thead><tbody>"
    )
    for d in shown:
        reasons = "".join(
            f'<li><span class="rule">{escape(h.rule)}</span> {escape(h.reason)}'
            + (f' <span class="field">({escape(h.where)})</span>' if h.where else "")
            + "</li>"
            for h in sorted(d.hits, key=lambda h: -h.score)
        )
        html.append(
            f"<tr><td>{escape(d.record_id)}</td><td>{escape(d.profile)}</td>"
            f"<td>{escape(d.source_file)}:{d.source_row}</td><td>{d.risk:.2f}</td>"
            f"<td><ul>{reasons}</ul></td></tr>"
        )
    html.append("</tbody></table></section>")
    return "".join(html)


def _charts(tally: Tally, facts: RunFacts) -> str:
    rules = tally.rules.most_common(RULES_SHOWN)
    profiles = sorted(tally.profiles.items())
    marks = []
    if facts.thresholds:
        marks = [(facts.thresholds[0], "review"), (facts.thresholds[1], "hold")]
    more = len(tally.rules) - len(rules)
    note = f'<p class="note">{more:,} rarer rules not shown.</p>' if more > 0 else ""
    return (
        '<section id="charts"><h2>What fired</h2>'
        "<h3>Records on which each rule fired</h3>"
        + bar_chart(rules, "Records on which each rule fired")
        + note
        + "<h3>Decisions per profile</h3>"
        + stacked_bars(profiles, "Decisions per profile")
        + "<h3>Risk of the records with a hit</h3>"
        + f'<p class="note">{tally.zero_risk:,} records with risk 0 (no hit) are not drawn.</p>'
        + histogram(tally.risk_bins, "Risk histogram", marks)
        + "</section>"
    )


def _bad_rows(facts: RunFacts) -> str:
    html = [f'<section id="bad"><h2>Bad rows ({facts.bad_count:,})</h2>']
    if not facts.bad_count:
        html.append('<p class="none">Every row was read.</p></section>')
        return "".join(html)
    shown = list(facts.bad[:BAD_SHOWN])
    if len(shown) < facts.bad_count:
        html.append(f'<p class="note">The first {len(shown):,} of {facts.bad_count:,}.</p>')
    html.append(
        '<table class="bad"><thead><tr><th>File</th><th>Row</th><th>Field</th><th>Why</th>'
        "</tr></thead><tbody>"
    )
    for b in shown:
        html.append(
            f"<tr><td>{escape(b.file)}</td><td>{b.row}</td><td>{escape(b.field or '')}</td>"
            f"<td>{escape(b.why)}</td></tr>"
        )
    html.append("</tbody></table></section>")
    return "".join(html)
