"""Which input column feeds which record field: a profile applied to a file's header.

Detection scores each built-in profile on the header: a column it reads counts 1, a column only
that profile's data uses (its markers) counts 3 more; a profile that finds no record-id column
is out. The highest score wins, ties going to the first in `PROFILES`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from chainbreaker.errors import DataError
from chainbreaker.screen.readers.fields import field_kind
from chainbreaker.screen.readers.profiles import (
    PROFILES,
    Profile,
    builtin_profile,
    column_key,
)

__all__ = ["Layout", "choose_profile", "compile_layout", "profile_score"]

_MARKER_WEIGHT = 3


@dataclass(frozen=True)
class Layout:
    """A profile applied to a header: for each field, its columns (index, scale) by priority."""

    profile: Profile
    columns: tuple[str, ...]
    plan: dict[str, list[tuple[int, float]]]
    unread: tuple[str, ...]  # columns no field reads

    def kind(self, target: str) -> str:
        """The kind of a planned field."""
        kind = field_kind(target)
        assert kind is not None
        return kind


def compile_layout(columns: Sequence[str], profile: Profile, file: str) -> Layout:
    """The layout of `profile` on this header; DataError when no column gives the record id."""
    order = {key: i for i, key in enumerate(profile.columns)}
    found: dict[str, list[tuple[int, int, float]]] = {}
    unread: list[str] = []
    for index, name in enumerate(columns):
        rule = profile.rule(name)
        if rule is None:
            unread.append(name)
            continue
        priority = order[column_key(name)]
        found.setdefault(rule.field, []).append((priority, index, rule.scale))
    plan: dict[str, list[tuple[int, float]]] = {}
    for target, hits in found.items():
        if field_kind(target) == "address":
            hits.sort(key=lambda h: h[1])  # street, postcode... in the file's own order
        else:
            hits.sort()
        plan[target] = [(index, scale) for _, index, scale in hits]
    if "record_id" not in plan:
        spellings = [k for k, r in profile.columns.items() if r.field == "record_id"]
        raise DataError(
            f"{file}: no record-id column for profile {profile.name!r} in the header "
            f"{list(columns)[:30]}; expected one of {spellings[:12]}, or give a mapping file"
        )
    return Layout(profile, tuple(columns), plan, tuple(unread))


def profile_score(columns: Sequence[str], profile: Profile) -> int:
    """How well a header fits a profile (0 when it has no record-id column)."""
    keys = {column_key(c) for c in columns}
    fields = {rule.field for k in keys if (rule := profile.rule(k)) is not None}
    if "record_id" not in fields:
        return 0
    return len(fields) + _MARKER_WEIGHT * len(keys & profile.markers)


def choose_profile(columns: Sequence[str], file: str) -> Profile:
    """The built-in profile that fits the header best; DataError when none does."""
    best: Profile | None = None
    best_score = 0
    for name in PROFILES:
        profile = builtin_profile(name)
        score = profile_score(columns, profile)
        if score > best_score:
            best, best_score = profile, score
    if best is None:
        raise DataError(
            f"{file}: the header {list(columns)[:30]} fits no profile ({', '.join(PROFILES)}): "
            "no record-id column (item id, house AWB, bill number, order id...); "
            "name the profile with --profile or give a mapping file"
        )
    return best
