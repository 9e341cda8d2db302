"""A cheap upper bound on the name score of two readings, to skip full comparisons.

Most candidates of a query share one common word with it and nothing else ("Mary Wilson" and
"WILSON, James"): the names disagree, and the full alignment only confirms a low score. The
bound looks at which words have any similarity at all across the two names (the same test the
alignment uses, cached per pair of words): a word similar to no word of the other name can only
be paired by being written together with its neighbours, which is checked, so it is certainly
unpaired. From the evidence that is certainly unpaired on each side the best possible score
follows; when it is below what is asked for, the alignment is skipped. The bound never
underestimates (tests check it against the alignment).
"""

from __future__ import annotations

from chainbreaker.parties.matching.compare import TokenComparer
from chainbreaker.parties.matching.representation import Reading
from chainbreaker.parties.matching.settings import MatcherSettings


def _runs_join(single: tuple[str, ...], runs: tuple[str, ...]) -> bool:
    """True when some word of `single` (4 letters or more) is 2-3 adjacent words of `runs`
    written together (tested in place: a word must begin with the first of the run)."""
    count = len(runs)
    if count < 2:
        return False
    for word in single:
        size = len(word)
        if size < 4:
            continue
        for k in range(count - 1):
            first = runs[k]
            if len(first) > size or not word.startswith(first):
                continue
            two = first + runs[k + 1]
            if two == word:
                return True
            if k + 2 < count and len(two) <= size and two + runs[k + 2] == word:
                return True
    return False


def name_score_bound(
    query: Reading,
    listed: Reading,
    qweights: tuple[float, ...],
    lweights: tuple[float, ...],
    comparer: TokenComparer,
    settings: MatcherSettings,
) -> float:
    """An upper bound on `quick_score` of the two readings (1.0 when nothing can be told).

    Not for a query whose last word may be cut short (that pairing is not checked here).
    """
    bound = _unpaired_bound(query, listed, qweights, lweights, comparer, settings)
    if bound < 1.0 and _written_together(query, listed):
        return 1.0  # words written together pair beyond what was counted: no bound
    return bound


def cannot_reach(
    needed: float,
    query: Reading,
    listed: Reading,
    qweights: tuple[float, ...],
    lweights: tuple[float, ...],
    comparer: TokenComparer,
    settings: MatcherSettings,
) -> bool:
    """True when `quick_score` of the two readings is certainly below `needed`: what
    `name_score_bound(...) < needed` says, with the test for words written together made only
    when the rest of the bound is below `needed` (it rarely is)."""
    if _unpaired_bound(query, listed, qweights, lweights, comparer, settings) >= needed:
        return False
    return not _written_together(query, listed)


def _written_together(query: Reading, listed: Reading) -> bool:
    """True when a word of one reading is 2-3 adjacent words of the other written together."""
    return _runs_join(query.units, listed.units) or _runs_join(listed.units, query.units)


def _unpaired_bound(
    query: Reading,
    listed: Reading,
    qweights: tuple[float, ...],
    lweights: tuple[float, ...],
    comparer: TokenComparer,
    settings: MatcherSettings,
) -> float:
    """The bound from the words certainly unpaired, words written together not considered."""
    qu, lu = query.units, listed.units
    qkeys, lkeys = query.keys, listed.keys
    n, m = len(qu), len(lu)
    paired_l = [False] * m
    # a query word and a listed word can pair exactly when they are equal, share a
    # romanisation key, or have any similarity (the comparer's memo, per query word); plain
    # loops and running sums: this runs for every candidate of every query
    extra = 0.0  # evidence of the query words certainly unpaired
    query_total = 0.0
    possible_q = 0
    for i in range(n):
        q = qu[i]
        qk = qkeys[i]
        memo = comparer.related(q)
        paired = False
        for j in range(m):
            c = lu[j]
            found = memo.get(c)
            if found is None:
                found = comparer.remember_related(memo, q, c)
            if found or (qk is not None and qk == lkeys[j]):
                paired = True
                paired_l[j] = True
        weight = qweights[i]
        query_total += weight
        if paired:
            possible_q += 1
        else:
            extra += weight
    missing = 0.0  # evidence of the listed words certainly unpaired
    listed_total = 0.0
    candidates_l: list[float] = []
    for j in range(m):
        weight = lweights[j]
        listed_total += weight
        if paired_l[j]:
            candidates_l.append(weight)
        else:
            missing += weight
    if possible_q == n and len(candidates_l) == m:
        return 1.0  # nothing certainly unpaired: nothing to tell
    # one listed word per query word at most: the lightest of the rest stay unpaired
    if len(candidates_l) > possible_q:
        candidates_l.sort()
        for weight in candidates_l[: len(candidates_l) - possible_q]:
            missing += weight
    s = settings.score
    most = ((query_total - extra) + (listed_total - missing)) / 2
    if most <= 0.0:
        return 0.0
    bound = most / (most + s.extra_query_weight * extra + s.missing_listed_weight * missing)
    if extra > 1.0 and missing > 1.0:
        bound *= s.conflict_factor
    return bound
