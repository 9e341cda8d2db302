"""Bounded memos that forget their older half when full.

The screen's caches of names and words (the party detector's answers, the candidate index's unit
hits, the comparer's word-similarity memos) are plain dicts with a most size. When one is full,
dropping the entries put in first (a dict keeps insertion order) keeps what was met since, and
what is met again and again comes back at once; clearing it all made every common word or busy
sender miss at the same moment, and clearing a large dict is itself slow.
"""

from __future__ import annotations

import itertools
from typing import TypeVar

__all__ = ["forget_older_half"]

K = TypeVar("K")
V = TypeVar("V")


def forget_older_half(memo: dict[K, V]) -> list[V]:
    """Remove the older half of `memo`'s entries (the first put in); the values removed."""
    older = list(itertools.islice(memo, len(memo) // 2))
    return [memo.pop(key) for key in older]
