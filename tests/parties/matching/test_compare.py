"""Token similarity and alignment of two readings, worked out by hand."""

from __future__ import annotations

import pytest

from chainbreaker.parties.matching.compare import TokenComparer, align
from chainbreaker.parties.matching.representation import Reading
from chainbreaker.parties.matching.settings import default_settings

S = default_settings()
SIM = S.token_similarity


@pytest.fixture(scope="module")
def comparer() -> TokenComparer:
    return TokenComparer(S)


@pytest.mark.parametrize(
    ("q", "c", "expected", "how"),
    [
        ("guzman", "guzman", SIM.exact, "exact"),
        ("jroge", "jorge", SIM.one_edit, "one edit"),  # two letters swapped: one edit (OSA)
        ("floers", "flores", SIM.one_edit, "one edit"),
        ("chag", "chang", SIM.one_edit, "one edit"),  # a letter lost from a 5-letter word
        ("holding", "holdings", SIM.plural, "plural"),
        ("inv", "inversiones", SIM.abbreviation, "abbreviation"),
        ("intl", "international", SIM.abbreviation, "abbreviation"),
        ("and", "y", SIM.abbreviation, "abbreviation"),
        ("j", "jorge", SIM.initial, "initial"),
        ("barrrea", "barrera", SIM.one_edit, "one edit"),  # "re" / "er": one swap
        ("barrrae", "barrera", 0.0, ""),  # 7 letters: two edits are too many
        ("ana", "ano", 0.0, ""),  # short words need to be equal
    ],
)
def test_token_similarity(
    comparer: TokenComparer, q: str, c: str, expected: float, how: str
) -> None:
    assert comparer.similarity(q, c) == (expected, how)


def test_romanisation_keys_make_pinyin_and_wade_giles_equal(comparer: TokenComparer) -> None:
    # the keys are given: how they are made is the normaliser's business
    assert comparer.unit("hsia", "xia", "xia", "xia") == (SIM.romanisation, "romanisation")
    assert comparer.unit("hsia", None, "xia", "xia") == (0.0, "")


def _reading(*units: str) -> Reading:
    return Reading(units, tuple(None for _ in units))


def test_words_written_together_pair_with_the_run(comparer: TokenComparer) -> None:
    q, c = _reading("clandel", "golfo"), _reading("clan", "del", "golfo")
    a = align(q, c, (5.0, 6.0), (4.0, 1.0, 6.0), comparer)
    assert a.unmatched_query == () and a.unmatched_listed == ()
    joined = [p for p in a.pairs if p.how == "written together"]
    assert [(p.query, p.listed) for p in joined] == [((0,), (0, 1))]


def test_exact_words_pair_first_and_leftovers_stay_unmatched(comparer: TokenComparer) -> None:
    q, c = _reading("olivas", "rosales", "juan"), _reading("olivas", "ojeda", "juan")
    a = align(q, c, (7.0, 6.0, 3.0), (7.0, 7.0, 3.0), comparer)
    assert sorted((p.query, p.listed) for p in a.pairs) == [((0,), (0,)), ((2,), (2,))]
    assert a.unmatched_query == (1,) and a.unmatched_listed == (1,)


def test_a_cut_last_word_pairs_as_a_prefix_only_when_asked(comparer: TokenComparer) -> None:
    q, c = _reading("allyrise", "technology", "gro"), _reading("allyrise", "technology", "group")
    weights = (9.0, 3.0, 2.0)
    assert align(q, c, weights, weights, comparer).unmatched_query == (2,)
    cut = align(q, c, weights, weights, comparer, truncated_last=True)
    assert cut.unmatched_query == () and any(p.how == "cut short" for p in cut.pairs)


def test_the_related_memo_says_whether_words_have_any_similarity(
    comparer: TokenComparer,
) -> None:
    memo = comparer.related("wilson")
    assert comparer.related("wilson") is memo  # one memo per query word
    # one edit (wilsen), a swap (wislon), the same word: similar; james: nothing in common
    assert comparer.remember_related(memo, "wilson", "wilsen") is True
    assert comparer.remember_related(memo, "wilson", "wislon") is True
    assert comparer.remember_related(memo, "wilson", "wilson") is True
    assert comparer.remember_related(memo, "wilson", "james") is False
    assert memo == {"wilsen": True, "wislon": True, "wilson": True, "james": False}


def test_a_full_related_memo_forgets_its_older_half() -> None:
    comparer = TokenComparer(S)
    comparer.related_most = 4
    for word in ("ann", "bob", "cid", "dan"):
        comparer.remember_related(comparer.related(word), word, "eve")
    ann, dan = comparer.related("ann"), comparer.related("dan")
    # four pairs held: the next new word drops the older half (ann, bob), keeps cid and dan
    comparer.related("fay")
    assert comparer.related("dan") is dan
    assert comparer.related("ann") is not ann  # forgotten: a new, empty memo
    assert comparer.related("ann") == {}
