"""`SubsetScreener`: the scores of a `Screener` built on the same names, without building one."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chainbreaker.parties import subset as subset_module
from chainbreaker.parties.models import ListedEntity, ListedName, ListInfo, LoadedList
from chainbreaker.parties.screening import PartyQuery, Screener
from chainbreaker.parties.subset import SubsetScreener

#: Words of party names: common ones, Chinese syllables (readings with romanisation keys),
#: places, particles, legal forms, near spellings (typo keys), Han characters, digits.
WORDS = [
    "trading",
    "tradeing",
    "company",
    "compnay",
    "co",
    "ltd",
    "gmbh",
    "s.a.",
    "hebei",
    "xiuna",
    "golfo",
    "clan",
    "del",
    "al",
    "shipping",
    "zhang",
    "jian",
    "xia",
    "hsia",
    "feng",
    "ping",
    "fengbing",
    "guoyunnian",
    "juan",
    "carlos",
    "giraldo",
    "maria",
    "hernandez",
    "rotterdam",
    "harbour",
    "chemicals",
    "pharma",
    "王",
    "张建",
    "17",
    "4051",
]

_name = st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map(" ".join)


def _screener_scores(
    query: PartyQuery, names: list[tuple[str, str]], min_score: float
) -> list[tuple[str, float]]:
    entities = [ListedEntity("x", i, "Unknown", (ListedName(v),)) for i, v in names]
    info = ListInfo("x", "x", "csv", "", "", None, len(entities), 0)
    screener = Screener([LoadedList(info, entities)])
    return [(m.entity_id, m.score) for m in screener.screen(query, min_score=min_score)]


def _subset_scores(
    subset: SubsetScreener, query: PartyQuery, names: list[tuple[str, str]], min_score: float
) -> list[tuple[str, float]]:
    return [(m.id, m.score) for m in subset.screen(query, names, min_score=min_score)]


SHARED = SubsetScreener()  # long-lived, as in a server: its memos carry over between examples


@settings(max_examples=300, deadline=None)
@given(
    names=st.lists(_name, min_size=1, max_size=45),
    query=_name,
    schema=st.sampled_from([None, "Company", "Person"]),
    min_score=st.sampled_from([0.0, 0.5, 0.85]),
    pick=st.integers(min_value=-1, max_value=44),
)
def test_scores_are_those_of_a_screener_built_on_the_names(
    names: list[str], query: str, schema: str | None, min_score: float, pick: int
) -> None:
    listed = [(str(100 + i), v) for i, v in enumerate(names)]
    text = names[pick] if 0 <= pick < len(names) else query  # a listed name itself, or not
    q = PartyQuery("q", text, schema)
    expected = _screener_scores(q, listed, min_score)
    assert _subset_scores(SHARED, q, listed, min_score) == expected
    assert _subset_scores(SubsetScreener(), q, listed, min_score) == expected  # memos empty


def test_a_listed_name_itself_scores_one_and_an_unrelated_one_nothing() -> None:
    subset = SubsetScreener()
    names = [("1", "Hebei Xiuna Trading Co., Ltd."), ("2", "Clan del Golfo")]
    found = subset.screen(PartyQuery("q", "Clan del Golfo"), names, min_score=0.85)
    assert [(m.id, m.name, m.score) for m in found] == [("2", "Clan del Golfo", 1.0)]
    assert subset.screen(PartyQuery("q", "Maria Hernandez"), names, min_score=0.5) == []


def test_word_weights_are_the_subsets() -> None:
    """'Trading' is in every name of the first subset, so it weighs little there and the
    query's rare word decides; in a subset of one name it weighs as much as that word.
    The same query and listed name therefore score differently in the two subsets."""
    subset = SubsetScreener()
    target = ("1", "Golfo Trading")
    many = [target, *((str(i), f"Trading {w}") for i, w in enumerate(WORDS[8:20], start=2))]
    query = PartyQuery("q", "Golfo Shipping Trading")
    in_many = {m.id: m.score for m in subset.screen(query, many, min_score=0.0)}
    alone = {m.id: m.score for m in subset.screen(query, [target], min_score=0.0)}
    assert in_many["1"] != alone["1"]
    assert in_many["1"] == dict(_screener_scores(query, many, 0.0))["1"]
    assert alone["1"] == dict(_screener_scores(query, [target], 0.0))["1"]


def test_empty_subsets_and_names_without_words_find_nothing() -> None:
    subset = SubsetScreener()
    assert subset.screen(PartyQuery("q", "Golfo"), []) == []
    assert subset.screen(PartyQuery("q", "Golfo"), [("1", "...")]) == []
    assert subset.screen(PartyQuery("q", "..."), [("1", "Golfo")]) == []


def test_ties_are_ordered_by_id_and_limited() -> None:
    subset = SubsetScreener()
    names = [("b", "Clan del Golfo"), ("a", "Clan del Golfo"), ("c", "Clan del Golfo")]
    found = subset.screen(PartyQuery("q", "Clan del Golfo"), names, min_score=0.85, limit=2)
    assert [(m.id, m.score) for m in found] == [("a", 1.0), ("b", 1.0)]


def test_a_subset_too_large_for_it_is_screened_by_a_screener(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    names = [("1", "Golfo Trading"), ("2", "Clan del Golfo"), ("3", "Golfo Shipping")]
    query = PartyQuery("q", "Clan del Golfo")
    expected = _screener_scores(query, names, 0.5)
    monkeypatch.setattr(subset_module, "_COMMON_POSTINGS", 2)
    built: list[int] = []
    original = subset_module.SubsetScreener._with_screener

    def spy(self: SubsetScreener, *args: object, **kwargs: object) -> object:
        built.append(1)
        return original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(subset_module.SubsetScreener, "_with_screener", spy)
    assert _subset_scores(SubsetScreener(), query, names, 0.5) == expected
    assert built == [1]


def test_memos_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(subset_module, "_NAMES_MOST", 4)
    monkeypatch.setattr(subset_module, "_UNITS_MOST", 3)
    monkeypatch.setattr(subset_module, "_HITS_MOST", 2)
    subset = SubsetScreener()
    names = [(str(i), f"{w} Trading") for i, w in enumerate(WORDS[:12])]
    for w in WORDS[:10]:
        query = PartyQuery("q", f"{w} Trading Company")
        assert _subset_scores(subset, query, names, 0.5) == _screener_scores(query, names, 0.5)
    assert len(subset._names) <= 4
    assert len(subset._units) <= 3
    assert len(subset._terms) <= 3


def test_only_the_candidates_sharing_most_evidence_are_compared_as_in_a_screener() -> None:
    """40 names share the query's word 'golfo' and 10 of them its rarer word 'xiuna' too: a
    screener compares only its `candidates.per_query` (30) sharing the most evidence, the
    earlier first among equals, so 10 of the 30 names holding only "golfo" are never scored."""
    extra = [f"{w}{k}" for w in ("alpha", "beta", "gamma", "delta") for k in range(10)]
    names = [
        (f"{i:02d}", f"Golfo {w}" + (" Xiuna" if i % 4 == 0 else "")) for i, w in enumerate(extra)
    ]
    query = PartyQuery("q", "Golfo Xiuna")
    expected = _screener_scores(query, names, 0.0)
    found = _subset_scores(SubsetScreener(), query, names, 0.0)
    assert found == expected
    assert len(found) == 30
    assert {i for i, _s in found} >= {f"{i:02d}" for i in range(0, 40, 4)}
