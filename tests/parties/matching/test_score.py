"""The name score and the qualifiers, with the arithmetic done by hand."""

from __future__ import annotations

import pytest

from chainbreaker.parties.matching.compare import Alignment, Pair
from chainbreaker.parties.matching.representation import Reading
from chainbreaker.parties.matching.score import (
    country_effect,
    dob_effect,
    name_score,
    quick_score,
    schema_effect,
)
from chainbreaker.parties.matching.settings import default_settings

S = default_settings()


def _reading(*units: str) -> Reading:
    return Reading(units, tuple(None for _ in units))


def test_missing_listed_word_costs_less_than_an_extra_query_word() -> None:
    # query (juan, giraldo) against listed (giraldo, franco, juan); weights 3, 8 / 8, 7, 3
    q, listed = _reading("juan", "giraldo"), _reading("giraldo", "franco", "juan")
    a = Alignment((Pair((0,), (2,), 1.0, "exact"), Pair((1,), (0,), 1.0, "exact")), (), (1,))
    scored = name_score(q, listed, (3.0, 8.0), (8.0, 7.0, 3.0), a, S)
    # M = P = (3+3)/2 + (8+8)/2 = 11; base = 11 / (11 + 0.45 * 7) = 11 / 14.15
    assert scored.score == pytest.approx(11 / (11 + S.score.missing_listed_weight * 7))
    assert scored.unmatched_listed == ["franco"]
    assert quick_score(a, (3.0, 8.0), (8.0, 7.0, 3.0), S) == pytest.approx(scored.score)


def test_both_sides_with_unmatched_words_is_a_conflict() -> None:
    # (olivas, rosales) against (olivas, ojeda): 7, 6 / 7, 7
    q, listed = _reading("olivas", "rosales"), _reading("olivas", "ojeda")
    a = Alignment((Pair((0,), (0,), 1.0, "exact"),), (1,), (1,))
    scored = name_score(q, listed, (7.0, 6.0), (7.0, 7.0), a, S)
    base = 7 / (7 + 6 + S.score.missing_listed_weight * 7)
    common = S.score.common_floor + (1 - S.score.common_floor) * 7 / S.score.distinctive_mass
    assert scored.score == pytest.approx(base * S.score.conflict_factor * common)
    assert [f["feature"] for f in scored.features] == ["name", "conflict", "common name"]


def test_similarity_lowers_the_score_of_a_full_pairing() -> None:
    q, listed = _reading("hsia", "fengping"), _reading("xia", "fengbing")
    pairs = (Pair((0,), (0,), 0.95, "romanisation"), Pair((1,), (1,), 0.95, "romanisation"))
    a = Alignment(pairs, (), ())
    # M = 0.95 * (5 + 9), P = 5 + 9: base = 0.95, evidence 13.3 >= 9: no common-name factor
    assert name_score(q, listed, (5.0, 9.0), (5.0, 9.0), a, S).score == pytest.approx(0.95)


def test_date_of_birth() -> None:
    q = S.qualifiers
    same = dob_effect("1984-09-09", ("1984-09-09",), S)
    assert same is not None and same[:2] == (q.dob_same, 1.0)
    one_day = dob_effect("1984-09-10", ("1980-01-01", "1984-09-09"), S)
    assert one_day is not None and one_day[:2] == (q.dob_close, 1.0)
    year = dob_effect("1984", ("1984-09-09",), S)
    assert year is not None and year[:2] == (q.dob_same_year, 1.0)
    other = dob_effect("1962-02-01", ("1984-09-09",), S)
    assert other is not None and other[:2] == (0.0, q.dob_conflict_factor)
    assert dob_effect(None, ("1984-09-09",), S) is None
    assert dob_effect("1984", (), S) is None


def test_country_counts_mainland_hong_kong_and_taiwan_as_one() -> None:
    q = S.qualifiers
    hk = country_effect("HK", ("CN",), S)
    assert hk is not None and hk[:2] == (q.country_same, 1.0)
    mx = country_effect("MX", ("CN",), S)
    assert mx is not None and mx[:2] == (0.0, q.country_conflict_factor)
    assert country_effect(None, ("CN",), S) is None


def test_person_against_company_is_a_conflict() -> None:
    effect = schema_effect("Person", "Company", S)
    assert effect is not None and effect[1] == S.qualifiers.schema_conflict_factor
    assert schema_effect(None, "Company", S) is None
    same = schema_effect("Company", "Company", S)
    assert same is not None and same[:2] == (0.0, 1.0)
