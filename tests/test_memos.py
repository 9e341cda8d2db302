"""A full memo forgets the entries put in first, half of them."""

from __future__ import annotations

from chainbreaker.memos import forget_older_half


def test_the_older_half_goes_and_its_values_come_back() -> None:
    memo = {"a": 1, "b": 2, "c": 3, "d": 4, "e": 5}
    memo["a"] = 10  # a new value does not move a key: "a" is still the oldest
    assert forget_older_half(memo) == [10, 2]
    assert list(memo) == ["c", "d", "e"]


def test_nothing_to_forget_in_a_memo_of_one_or_none() -> None:
    one = {"a": 1}
    assert forget_older_half(one) == [] and one == {"a": 1}
    assert forget_older_half({}) == []
