"""The candidate index: ranking by shared evidence, and the pruned search for a minimum."""

from __future__ import annotations

import functools

from hypothesis import given, settings
from hypothesis import strategies as st

from chainbreaker.parties.matching.index import NameIndex, name_terms
from chainbreaker.parties.matching.representation import Reading, represent
from chainbreaker.parties.matching.settings import default_settings
from chainbreaker.parties.models import ListedEntity, ListedName

S = default_settings()
#: Words of the listed names: rare surnames, common ones, and "trading", which 2,600 names hold
#: (more than the index's 2,500 for a key it treats as shared by very many names).
RARE = ["okonkwo", "villalobos", "petrosyan", "nakamura", "fitzgerald", "abernathy"]
COMMON = ["garcia", "smith", "wang", "holdings"]
VOCABULARY = [*RARE, *COMMON, "trading", "jose", "maria", "limited", "zzyzx"]


def _entity(i: int, name: str) -> ListedEntity:
    return ListedEntity(list_id="t", entity_id=str(i), schema="Unknown", names=(ListedName(name),))


@functools.cache
def _index() -> NameIndex:
    names: list[str] = []
    for i in range(2_600):  # every name holds "trading"; common words often, rare ones seldom
        words = ["trading", COMMON[i % len(COMMON)]]
        if i % 97 == 0:
            words.append(RARE[(i // 97) % len(RARE)])
        if i % 5 == 0:
            words.append("maria" if i % 2 else "jose")
        names.append(" ".join(words))
    names += ["okonkwo villalobos", "petrosyan nakamura fitzgerald", "abernathy"]
    return NameIndex([_entity(i, n) for i, n in enumerate(names)], S)


def test_the_name_sharing_the_rarest_words_comes_first() -> None:
    index = _index()
    ranked = index.candidates(represent("Okonkwo Villalobos", "Unknown", S), 5)
    assert index.names[ranked[0][0]].name.full == "okonkwo villalobos"
    shared = [s for _, s in ranked]
    assert shared == sorted(shared, reverse=True)


def test_nothing_can_reach_a_minimum_above_all_the_evidence() -> None:
    index = _index()
    rep = represent("Garcia Trading", "Unknown", S)
    everything = index.candidates(rep, 10_000)
    top = everything[0][1]
    assert index.candidates(rep, 10_000, top + 0.01) == []
    assert index.candidates(rep, 10_000, top)[0] == everything[0]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=4),
    st.floats(min_value=0.05, max_value=25.0),
    st.sampled_from([1, 10, 10_000]),
)
def test_the_pruned_search_finds_what_scoring_every_name_finds(
    words: list[str], minimum: float, limit: int
) -> None:
    index = _index()
    rep = represent(" ".join(words), "Unknown", S)
    # every name hit scored, best first; those reaching the minimum are a prefix of it
    expected = [(n, s) for n, s in index.candidates(rep, limit) if s >= minimum]
    assert index.candidates(rep, limit, minimum) == expected


def test_a_full_unit_cache_forgets_its_older_half_with_the_same_answers() -> None:
    names = ["okonkwo villalobos", "petrosyan nakamura", "abernathy fitzgerald"]
    index = NameIndex([_entity(i, n) for i, n in enumerate(names)], S)
    fresh = NameIndex([_entity(i, n) for i, n in enumerate(names)], S)
    index.hits_most = 4
    queries = ["Okonkwo Villalobos", "Petrosyan Nakamura", "Abernathy Fitzgerald", "Okonkwo"]
    for query in queries * 2:
        rep = represent(query, "Unknown", S)
        assert index.candidates(rep, 5) == fresh.candidates(rep, 5)
        assert [index.weights(r) for r in rep.readings] == [fresh.weights(r) for r in rep.readings]
    # a query of two words looks up three units (the words and the two written together):
    # the cache never holds more than its bound
    assert len(index._hits) <= 4


def test_a_names_terms_and_lookup_keys() -> None:
    readings = [Reading(("li", "wei"), ("lee", None), False), Reading(("abcde",), (None,), False)]
    terms, lookups = name_terms(readings, typo_min=5)
    # terms: a unit's romanisation key where it has one, else the unit
    assert terms == {"lee", "wei", "abcde"}
    # exact units, the key, the two written together (joined and adjacent), and one-letter
    # deletions of units of typo_min letters or more
    assert lookups == {
        "t:li", "k:lee", "t:wei", "j:liwei", "t:liwei",
        "t:abcde", "d:bcde", "d:acde", "d:abde", "d:abce", "d:abcd",
    }  # fmt: skip
