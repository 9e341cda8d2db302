"""From an alignment to a name score, and from a name score to a party score with qualifiers.

The name score is the weighted share of evidence the two names have in common:

    base = M / (P + extra_query_weight * Uq + missing_listed_weight * Ul)

where P is the evidence (weight) of the paired units, M the same weighted by each pair's
similarity, and Uq, Ul the evidence of the query's and the listed name's unpaired units. When
both sides keep unpaired evidence the names disagree, and `conflict_factor` applies; a name with
little evidence in all (only common tokens) is scaled towards `common_floor`. Qualifiers (date
of birth, country, kind of party) then move the score; each step is recorded in the explanation
with its effect.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from chainbreaker.parties.matching.compare import Alignment
from chainbreaker.parties.matching.representation import Reading
from chainbreaker.parties.matching.settings import MatcherSettings

#: Countries treated as one for the country qualifier (lists and trade data mix them).
_RELATED_COUNTRIES = ({"CN", "HK", "MO", "TW"},)


@dataclass(slots=True)
class NameScore:
    score: float
    features: list[dict[str, Any]] = field(default_factory=list)
    pairs: list[dict[str, Any]] = field(default_factory=list)
    unmatched_query: list[str] = field(default_factory=list)
    unmatched_listed: list[str] = field(default_factory=list)


def _components(
    alignment: Alignment, qweights: tuple[float, ...], lweights: tuple[float, ...]
) -> tuple[float, float, float, float]:
    """(similarity-weighted evidence, paired evidence, query-only, listed-only evidence)."""
    matched = paired = 0.0
    for pair in alignment.pairs:
        w = (
            sum((qweights[i] for i in pair.query), 0.0)
            + sum((lweights[j] for j in pair.listed), 0.0)
        ) / 2
        matched += pair.similarity * w
        paired += w
    extra = sum((qweights[i] for i in alignment.unmatched_query), 0.0)
    missing = sum((lweights[j] for j in alignment.unmatched_listed), 0.0)
    return matched, paired, extra, missing


def _combine(
    matched: float, paired: float, extra: float, missing: float, settings: MatcherSettings
) -> tuple[float, float, float, float]:
    """(score, base, conflict factor, common-name factor) of the evidence."""
    s = settings.score
    denominator = paired + s.extra_query_weight * extra + s.missing_listed_weight * missing
    base = matched / denominator if denominator > 0 else 0.0
    conflict = s.conflict_factor if extra > 1.0 and missing > 1.0 else 1.0
    common = 1.0
    if matched < s.distinctive_mass:
        common = s.common_floor + (1 - s.common_floor) * matched / s.distinctive_mass
    return base * conflict * common, base, conflict, common


def quick_score(
    alignment: Alignment,
    qweights: tuple[float, ...],
    lweights: tuple[float, ...],
    settings: MatcherSettings,
) -> float:
    """The name score alone (what `name_score` gives, without building the explanation)."""
    return _combine(*_components(alignment, qweights, lweights), settings)[0]


def name_score(
    query: Reading,
    listed: Reading,
    qweights: tuple[float, ...],
    lweights: tuple[float, ...],
    alignment: Alignment,
    settings: MatcherSettings,
) -> NameScore:
    """The name score of an alignment, with its features for the explanation."""
    matched, paired, extra, missing = _components(alignment, qweights, lweights)
    score, base, conflict, common = _combine(matched, paired, extra, missing, settings)
    pairs: list[dict[str, Any]] = []
    for pair in alignment.pairs:
        w = (
            sum((qweights[i] for i in pair.query), 0.0)
            + sum((lweights[j] for j in pair.listed), 0.0)
        ) / 2
        pairs.append(
            {
                "query": " ".join(query.units[i] for i in pair.query),
                "listed": " ".join(listed.units[j] for j in pair.listed),
                "similarity": round(pair.similarity, 3),
                "how": pair.how,
                "weight": round(w, 2),
            }
        )
    features: list[dict[str, Any]] = [
        {
            "feature": "name",
            "value": round(base, 4),
            "detail": (
                f"shared evidence {matched:.2f} of {paired:.2f}; query-only {extra:.2f}; "
                f"listed-only {missing:.2f}"
            ),
        }
    ]
    if conflict != 1.0:
        features.append(
            {
                "feature": "conflict",
                "factor": conflict,
                "detail": "each name has words the other lacks",
            }
        )
    if common != 1.0:
        features.append(
            {
                "feature": "common name",
                "factor": round(common, 4),
                "detail": (
                    f"little distinctive evidence ({matched:.2f} < "
                    f"{settings.score.distinctive_mass})"
                ),
            }
        )
    return NameScore(
        score,
        features,
        pairs,
        [query.units[i] for i in alignment.unmatched_query],
        [listed.units[j] for j in alignment.unmatched_listed],
    )


def _parse(value: str) -> tuple[int, int | None, int | None]:
    parts = [int(p) for p in value.split("-")]
    return parts[0], parts[1] if len(parts) > 1 else None, parts[2] if len(parts) > 2 else None


def dob_effect(
    query_dob: str | None, listed: tuple[str, ...], settings: MatcherSettings
) -> tuple[float, float, str] | None:
    """(added, factor, detail) of the date-of-birth qualifier, None when it does not apply."""
    if not query_dob or not listed:
        return None
    q = settings.qualifiers
    try:
        qy, qm, qd = _parse(query_dob)
    except ValueError:
        return None
    best: tuple[float, float, str] | None = None
    for value in listed:
        try:
            ly, lm, ld = _parse(value)
        except ValueError:
            continue
        if qm and qd and lm and ld:
            try:
                days = abs((date(qy, qm, qd) - date(ly, lm, ld)).days)
            except ValueError:
                continue
            if days == 0:
                return q.dob_same, 1.0, f"date of birth {query_dob} = listed {value}"
            if days <= 2:
                effect = (
                    q.dob_close,
                    1.0,
                    f"date of birth {query_dob} within {days} day(s) of {value}",
                )
                best = effect
                continue
        if qy == ly:
            if best is None or best[0] < q.dob_same_year:
                best = (q.dob_same_year, 1.0, f"year of birth {qy} = listed {value}")
        elif abs(qy - ly) <= 1 and best is None:
            best = (0.0, 1.0, f"year of birth {qy} one off listed {value}")
    if best is not None:
        return best
    shown = ", ".join(listed[:3])
    return 0.0, q.dob_conflict_factor, f"date of birth {query_dob} differs from listed {shown}"


def country_effect(
    query_country: str | None, listed: tuple[str, ...], settings: MatcherSettings
) -> tuple[float, float, str] | None:
    """(added, factor, detail) of the country qualifier, None when it does not apply."""
    if not query_country or not listed:
        return None
    q = settings.qualifiers
    code = query_country.upper()
    related = {code}
    for group in _RELATED_COUNTRIES:
        if code in group:
            related |= group
    if related & set(listed):
        return q.country_same, 1.0, f"country {code} among listed {', '.join(listed[:4])}"
    return (
        0.0,
        q.country_conflict_factor,
        f"country {code} not among listed {', '.join(listed[:4])}",
    )


def schema_effect(
    query_schema: str | None, listed_schema: str, settings: MatcherSettings
) -> tuple[float, float, str] | None:
    """(added, factor, detail) of the kind-of-party qualifier, None when it does not apply."""
    if query_schema in (None, "Unknown") or listed_schema == "Unknown":
        return None
    if query_schema == listed_schema:
        return 0.0, 1.0, f"both are {listed_schema}"
    return (
        0.0,
        settings.qualifiers.schema_conflict_factor,
        f"query is a {query_schema}, listed is a {listed_schema}",
    )
