"""Comparing two readings: token similarity, and the alignment of one reading's units to another's.

The alignment pairs each query unit with at most one listed unit (greedy by similarity times
weight), then lets an unpaired unit match a run of two or three adjacent unpaired units on the
other side written together ("CLANDEL" / "CLAN DEL", "Song Yan" / "Songyan").
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from rapidfuzz.distance import OSA

from chainbreaker.memos import forget_older_half
from chainbreaker.parties.matching.representation import Reading
from chainbreaker.parties.matching.settings import MatcherSettings
from chainbreaker.parties.names import given_name_forms


@dataclass(frozen=True, slots=True)
class Pair:
    """Query units matched to listed units, with the similarity and how it was found."""

    query: tuple[int, ...]
    listed: tuple[int, ...]
    similarity: float
    how: str


@dataclass(frozen=True, slots=True)
class Alignment:
    pairs: tuple[Pair, ...]
    unmatched_query: tuple[int, ...]
    unmatched_listed: tuple[int, ...]


#: Pairs of units the `related` memo holds at most (about 50 bytes each).
_RELATED_MOST = 1_000_000


@functools.lru_cache(maxsize=65_536)
def _forms(token: str) -> frozenset[str]:
    return frozenset((token, *given_name_forms(token)))


class TokenComparer:
    """Similarity of two units under the matcher's settings (cached per pair of tokens)."""

    def __init__(self, settings: MatcherSettings) -> None:
        self.s = settings.token_similarity
        self._abbreviations = settings.company_abbreviations
        self._groups: dict[str, frozenset[str]] = {}
        for group in settings.equivalent_words:
            members = frozenset(group)
            for word in group:
                self._groups[word] = members
        #: Every word an equivalence or a company abbreviation can apply to (a quick test).
        self._special = frozenset(
            [*self._groups, *self._abbreviations]
            + [w for words in self._abbreviations.values() for w in words]
        )
        self.similarity: Callable[[str, str], tuple[float, str]] = functools.lru_cache(
            maxsize=262_144
        )(self._similarity)
        self._related: dict[str, dict[str, bool]] = {}
        self._related_size = 0
        #: The most pairs the `related` memos hold in all.
        self.related_most = _RELATED_MOST

    def related(self, q: str) -> dict[str, bool]:
        """The memo of which units have any similarity to `q` (unit -> similarity above 0).

        For the bound, which asks it of every pair of words of a query and its candidates: a
        plain dictionary per query unit, filled by the caller (`remember_related`), costs a
        fraction of a call through the similarity's cache. The older half of its query
        units forgotten when it holds `related_most` pairs in all."""
        memo = self._related.get(q)
        if memo is None:
            if self._related_size >= self.related_most:
                self._forget_older_half()
            memo = self._related[q] = {}
        return memo

    def _forget_older_half(self) -> None:
        """Drop the memos of the older half of the query units (a dict keeps insertion order):
        the words met again and again stay; clearing it all was slow and made all miss."""
        for memo in forget_older_half(self._related):
            self._related_size -= len(memo)

    def remember_related(self, memo: dict[str, bool], q: str, c: str) -> bool:
        """Whether `q` and `c` have any similarity, stored in `memo` (from `related(q)`)."""
        found = q == c or self._similarity(q, c)[0] > 0.0  # the memo is the cache here
        memo[c] = found
        self._related_size += 1
        return found

    def _similarity(self, q: str, c: str) -> tuple[float, str]:
        s = self.s
        if q == c:
            return s.exact, "exact"
        if (q in self._special or c in self._special) and self._equivalent(q, c):
            return s.abbreviation, "abbreviation"
        if len(q) == 1 or len(c) == 1:
            short, long_ = (q, c) if len(q) == 1 else (c, q)
            if len(long_) > 1 and long_.startswith(short):
                return s.initial, "initial"
            return 0.0, ""
        forms_q, forms_c = _forms(q), _forms(c)
        if (len(forms_q) > 1 or len(forms_c) > 1) and forms_q & forms_c:
            return s.abbreviation, "abbreviation"
        shortest, longest = sorted((len(q), len(c)))
        if shortest >= 4 and q.rstrip("s") == c.rstrip("s"):
            return s.plural, "plural"
        if longest >= 5 and shortest >= 4 and longest - shortest <= 2:
            # optimal string alignment: a swap of two adjacent letters is one edit
            d = OSA.distance(q, c, score_cutoff=2)
            if d == 1:
                return s.one_edit, "one edit"
            if d == 2 and shortest >= 8:
                return s.two_edits, "two edits"
        return 0.0, ""

    def _equivalent(self, q: str, c: str) -> bool:
        group = self._groups.get(q)
        if group is not None and c in group:
            return True
        return c in self._abbreviations.get(q, ()) or q in self._abbreviations.get(c, ())

    def unit(self, q: str, qkey: str | None, c: str, ckey: str | None) -> tuple[float, str]:
        """Similarity of two units, romanisation keys included."""
        sim, how = self.similarity(q, c)
        if sim < self.s.romanisation and qkey is not None and qkey == ckey:
            return self.s.romanisation, "romanisation"
        return sim, how


def align(
    query: Reading,
    listed: Reading,
    qweights: tuple[float, ...],
    lweights: tuple[float, ...],
    comparer: TokenComparer,
    *,
    truncated_last: bool = False,
) -> Alignment:
    """Pair the units of two readings (see the module docstring).

    Equal units pair first; the rest pair greedily by similarity times weight.
    """
    qu, lu = query.units, listed.units
    used_q: set[int] = set()
    used_l: set[int] = set()
    pairs: list[Pair] = []
    for i, q in enumerate(qu):
        for j, c in enumerate(lu):
            if j not in used_l and q == c:
                used_q.add(i)
                used_l.add(j)
                pairs.append(Pair((i,), (j,), 1.0, "exact"))
                break
    if len(used_q) < len(qu) and len(used_l) < len(lu):
        scored: list[tuple[float, float, int, int, str]] = []
        for i, (q, qk) in enumerate(zip(qu, query.keys, strict=True)):
            if i in used_q:
                continue
            for j, (c, ck) in enumerate(zip(lu, listed.keys, strict=True)):
                if j in used_l:
                    continue
                sim, how = comparer.unit(q, qk, c, ck)
                if sim > 0.0:
                    scored.append((sim * (qweights[i] + lweights[j]), sim, i, j, how))
        scored.sort(reverse=True)
        for _, sim, i, j, how in scored:
            if i in used_q or j in used_l:
                continue
            used_q.add(i)
            used_l.add(j)
            pairs.append(Pair((i,), (j,), sim, how))
        _join_runs(qu, lu, used_q, used_l, pairs, query_side=True)
        _join_runs(lu, qu, used_l, used_q, pairs, query_side=False)
        if truncated_last:
            _truncated(query, listed, used_q, used_l, pairs, comparer.s.truncated)
    n, m = len(qu), len(lu)
    return Alignment(
        tuple(pairs),
        tuple(i for i in range(n) if i not in used_q),
        tuple(j for j in range(m) if j not in used_l),
    )


def _join_runs(
    single: tuple[str, ...],
    runs: tuple[str, ...],
    used_single: set[int],
    used_runs: set[int],
    pairs: list[Pair],
    *,
    query_side: bool,
) -> None:
    """An unpaired unit equal to 2-3 adjacent unpaired units of the other side, written together."""
    if len(used_single) == len(single) or len(runs) - len(used_runs) < 2:
        return
    initials = tuple(run[:1] for k, run in enumerate(runs) if k not in used_runs and run)
    for i, token in enumerate(single):
        if i in used_single or len(token) < 4 or not token.startswith(initials):
            continue
        for width in (2, 3):
            for start in range(len(runs) - width + 1):
                span = range(start, start + width)
                if any(k in used_runs for k in span):
                    continue
                if "".join(runs[k] for k in span) == token:
                    used_single.add(i)
                    used_runs.update(span)
                    joined = (i,), tuple(span)
                    q, l_ = joined if query_side else joined[::-1]
                    pairs.append(Pair(q, l_, 0.97, "written together"))
                    break
            if i in used_single:
                break


def _truncated(
    query: Reading,
    listed: Reading,
    used_q: set[int],
    used_l: set[int],
    pairs: list[Pair],
    similarity: float,
) -> None:
    """The last query token cut short (fixed-width EDI fields) as a prefix of a listed token."""
    last = len(query.units) - 1
    if last in used_q or len(query.units[last]) < 3:
        return
    for j, unit in enumerate(listed.units):
        if j not in used_l and unit.startswith(query.units[last]) and unit != query.units[last]:
            used_q.add(last)
            used_l.add(j)
            pairs.append(Pair((last,), (j,), similarity, "cut short"))
            return
