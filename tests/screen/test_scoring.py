"""Scoring arithmetic: noisy-OR, one count per rule, group caps, thresholds, ordering."""

from __future__ import annotations

import pytest

from chainbreaker.errors import DataError
from chainbreaker.screen.models import Hit
from chainbreaker.screen.records import Shipment
from chainbreaker.screen.scoring import Scorer, load_scoring, noisy_or

RECORD = Shipment("r1", "postal", "f.csv", 7)


@pytest.fixture(scope="module")
def scorer() -> Scorer:
    return Scorer(load_scoring())


def hit(rule: str, score: float, where: str | None = None) -> Hit:
    return Hit(rule.split(".")[0], rule, score, "why", where)


def test_noisy_or_by_hand() -> None:
    assert noisy_or([]) == 0.0
    assert noisy_or([0.5, 0.5]) == pytest.approx(0.75)
    assert noisy_or([0.9, 0.2]) == pytest.approx(1 - 0.1 * 0.8)
    assert noisy_or([1.5]) == 1.0  # clipped to [0, 1]


def test_packaged_thresholds(scorer: Scorer) -> None:
    assert (scorer.review, scorer.hold) == (0.35, 0.75)


def test_no_hits_is_clear(scorer: Scorer) -> None:
    d = scorer.decide(RECORD, [])
    assert (d.risk, d.decision, d.hits) == (0.0, "clear", ())
    assert (d.record_id, d.source_file, d.source_row) == ("r1", "f.csv", 7)


def test_a_strong_hit_holds_alone(scorer: Scorer) -> None:
    d = scorer.decide(RECORD, [hit("chem.controlled_mention", 0.9)])
    assert (d.risk, d.decision) == (0.9, "hold")


def test_two_medium_hits_hold(scorer: Scorer) -> None:
    d = scorer.decide(RECORD, [hit("chem.obfuscated", 0.5), hit("chem.derivative_hint", 0.5)])
    assert (d.risk, d.decision) == (0.75, "hold")


def test_two_weak_hits_review(scorer: Scorer) -> None:
    # 1 - 0.8 * 0.8 = 0.36 >= 0.35
    d = scorer.decide(RECORD, [hit("rule.vague_description", 0.2), hit("rule.low_value", 0.2)])
    assert (d.risk, d.decision) == (pytest.approx(0.36), "review")


def test_a_rule_counts_once(scorer: Scorer) -> None:
    hits = [hit("rule.vague_description", 0.2, f"goods[{i}].description") for i in range(5)]
    d = scorer.decide(RECORD, hits)
    assert (d.risk, d.decision) == (0.2, "clear")
    assert len(d.hits) == 5  # all kept in the explanation


def test_many_weak_signals_never_hold(scorer: Scorer) -> None:
    # six weak rules at 0.3: noisy-OR 1 - 0.7**6 = 0.88, capped at the group's 0.6
    hits = [hit(f"rule.r{i}", 0.3) for i in range(6)]
    d = scorer.decide(RECORD, hits)
    assert (d.risk, d.decision) == (0.6, "review")
    # party candidates and the HS catch-all are weak signals too: 1 - 0.4 * 0.85 * 0.76 -> 0.6
    more = [*hits, hit("hs.catch_all", 0.15), hit("party.candidate", 0.24)]
    assert scorer.risk(more) == 0.6


def test_group_then_strong_hit(scorer: Scorer) -> None:
    hits = [hit(f"rule.r{i}", 0.3) for i in range(6)] + [hit("indicator.phone", 0.5)]
    # 1 - (1 - 0.6) * (1 - 0.5) = 0.8
    assert scorer.risk(hits) == pytest.approx(0.8)


def test_explanation_sorted_by_score(scorer: Scorer) -> None:
    d = scorer.decide(
        RECORD,
        [hit("rule.low_value", 0.2), hit("party.listed", 0.93), hit("hs.catch_all", 0.15)],
    )
    assert [h.rule for h in d.hits] == ["party.listed", "rule.low_value", "hs.catch_all"]


def test_custom_thresholds() -> None:
    scorer = Scorer(load_scoring(), (0.1, 0.2))
    assert scorer.verdict(0.05) == "clear"
    assert scorer.verdict(0.1) == "review"
    assert scorer.verdict(0.2) == "hold"
    with pytest.raises(DataError, match="thresholds"):
        Scorer(load_scoring(), (0.8, 0.5))
    with pytest.raises(DataError, match="thresholds"):
        Scorer(load_scoring(), (0.1, 1.5))
