"""The name-score bound never underestimates what the full comparison finds."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chainbreaker.parties.matching.bound import _runs_join, cannot_reach, name_score_bound
from chainbreaker.parties.matching.compare import TokenComparer, align
from chainbreaker.parties.matching.representation import Reading
from chainbreaker.parties.matching.score import quick_score
from chainbreaker.parties.matching.settings import default_settings

S = default_settings()
COMPARER = TokenComparer(S)
# Words that pair in every way the comparer knows: equal, one edit, swaps, plural, initials,
# abbreviations, words written together, and words that pair with nothing.
WORDS = [
    "wilson", "wilsen", "wislon", "mary", "maria", "ma", "m", "james", "jame", "clan", "del",
    "clandel", "golfo", "holding", "holdings", "intl", "international", "and", "y", "zhang",
    "guoyunnian", "guo", "yunnian", "barrera", "barrrea", "x",
]  # fmt: skip


def _reading(words: list[str]) -> Reading:
    return Reading(tuple(words), tuple(None for _ in words))


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=4),
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=4),
    st.data(),
)
def test_bound_is_never_below_the_score(q: list[str], c: list[str], data: st.DataObject) -> None:
    weight = st.floats(min_value=0.05, max_value=12.0)
    qw = tuple(data.draw(weight) for _ in q)
    cw = tuple(data.draw(weight) for _ in c)
    query, listed = _reading(q), _reading(c)
    score = quick_score(align(query, listed, qw, cw, COMPARER), qw, cw, S)
    assert name_score_bound(query, listed, qw, cw, COMPARER, S) >= score - 1e-9


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=4),
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=4),
    st.floats(min_value=0.0, max_value=1.0),
    st.data(),
)
def test_cannot_reach_says_what_the_bound_says(
    q: list[str], c: list[str], needed: float, data: st.DataObject
) -> None:
    weight = st.floats(min_value=0.05, max_value=12.0)
    qw = tuple(data.draw(weight) for _ in q)
    cw = tuple(data.draw(weight) for _ in c)
    query, listed = _reading(q), _reading(c)
    bound = name_score_bound(query, listed, qw, cw, COMPARER, S)
    assert cannot_reach(needed, query, listed, qw, cw, COMPARER, S) == (bound < needed)


def test_cannot_reach_keeps_words_written_together() -> None:
    # alone, "clandel golfo" / "clan del golfo" pairs only golfo; written together it all pairs
    query, listed = _reading(["clandel", "golfo"]), _reading(["clan", "del", "golfo"])
    assert not cannot_reach(0.9, query, listed, (5.0, 6.0), (4.0, 1.0, 6.0), COMPARER, S)
    # "Mary Wilson" / "WILSON, James Earl" is bounded at 0.285 (the test below): pruned at 0.5
    mary, wilson = _reading(["mary", "wilson"]), _reading(["wilson", "james", "earl"])
    assert cannot_reach(0.5, mary, wilson, (5.0, 6.0), (6.0, 5.0, 7.0), COMPARER, S)
    assert not cannot_reach(0.2, mary, wilson, (5.0, 6.0), (6.0, 5.0, 7.0), COMPARER, S)


def test_one_shared_common_word_is_bounded_below_a_candidate() -> None:
    # "Mary Wilson" against "WILSON, James Earl": only wilson pairs; the names disagree
    query, listed = _reading(["mary", "wilson"]), _reading(["wilson", "james", "earl"])
    bound = name_score_bound(query, listed, (5.0, 6.0), (6.0, 5.0, 7.0), COMPARER, S)
    # most = ((11 - 5) + (18 - 12)) / 2 = 6; 6 / (6 + 5 + 0.45 * 12) = 0.366; x conflict 0.78
    expected = 6 / (6 + 5 + S.score.missing_listed_weight * 12) * S.score.conflict_factor
    assert bound == pytest.approx(expected)
    assert bound < 0.5


def test_words_written_together_are_never_bounded() -> None:
    query, listed = _reading(["clandel", "golfo"]), _reading(["clan", "del", "golfo"])
    assert name_score_bound(query, listed, (5.0, 6.0), (4.0, 1.0, 6.0), COMPARER, S) == 1.0


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        (["clandel"], ["clan", "del"]),  # nothing pairs word for word: only written together
        (["julia", "smit"], ["ju", "lia"]),  # a listed name read as syllables
        (["clan", "del"], ["clandel"]),
    ],
)
def test_a_name_paired_only_by_words_written_together_is_not_bounded(
    query: list[str], listed: list[str]
) -> None:
    qw = tuple(5.0 for _ in query)
    lw = tuple(5.0 for _ in listed)
    q, c = _reading(query), _reading(listed)
    score = quick_score(align(q, c, qw, lw, COMPARER), qw, lw, S)
    assert score > 0.0
    assert name_score_bound(q, c, qw, lw, COMPARER, S) == 1.0


@pytest.mark.parametrize(
    ("single", "runs", "expected"),
    [
        (("clandel",), ("clan", "del"), True),  # two words written together
        (("abcdef",), ("ab", "cd", "ef"), True),  # three
        (("abcd",), ("ab", "cd", "ef"), True),  # the first two of three
        (("cdef",), ("ab", "cd", "ef"), True),  # the last two
        (("abef",), ("ab", "cd", "ef"), False),  # not adjacent
        (("abc",), ("ab", "c"), False),  # under 4 letters: never
        (("abcdefgh",), ("ab", "cd", "ef", "gh"), False),  # four words: more than a run of 3
        (("clandel",), ("clandel",), False),  # one word has no run
    ],
)
def test_runs_join(single: tuple[str, ...], runs: tuple[str, ...], expected: bool) -> None:
    assert _runs_join(single, runs) is expected
