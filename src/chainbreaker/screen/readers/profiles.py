"""Profiles: which input columns feed which record fields, kept as data.

A profile (`data/profiles/NAME.yaml`) lists, for each record field, the column spellings that
feed it, most trusted first, and the source of the field list. Columns are compared by
`column_key` ("Sender's Name" and "sender_name" are the same column). A mapping file
(`mapping.py`) makes a profile of the same shape for any other layout.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from chainbreaker.errors import DataError
from chainbreaker.screen.readers.fields import field_kind

__all__ = ["PROFILES", "ColumnRule", "Profile", "builtin_profile", "column_key", "profile_from_doc"]

PROFILE_DIR = Path(__file__).resolve().parent.parent / "data" / "profiles"

#: The built-in profiles, in the order detection prefers them on a tie.
PROFILES: tuple[str, ...] = ("postal", "express", "de_minimis", "order")

_APOSTROPHES = re.compile(r"['’`]")
_SEPARATORS = re.compile(r"[\W_]+")


@functools.lru_cache(maxsize=4096)
def column_key(name: str) -> str:
    """A column name compared loosely: "Weight (kg)" -> "weight_kg".

    Case, punctuation and spacing do not count; apostrophes vanish.
    """
    return _SEPARATORS.sub("_", _APOSTROPHES.sub("", name.casefold())).strip("_")


@dataclass(frozen=True, slots=True)
class ColumnRule:
    """What one column feeds: a record field, with a factor for its unit (g -> kg: 0.001)."""

    field: str
    scale: float = 1.0


@dataclass(frozen=True)
class Profile:
    """Column spellings (by `column_key`, most trusted first) to record fields."""

    name: str
    title: str
    columns: dict[str, ColumnRule]
    markers: frozenset[str] = frozenset()
    month_first: bool = False
    defaults: dict[str, str] = field(default_factory=dict)
    ignored: frozenset[str] = frozenset()
    encoding: str | None = None
    sources: tuple[str, ...] = ()

    def rule(self, column: str) -> ColumnRule | None:
        """The rule of an input column, or None when the profile does not read it."""
        key = column_key(column)
        if key in self.ignored:
            return None
        return self.columns.get(key)


def _rule(place: str, target: str, spec: Any) -> tuple[str, ColumnRule]:
    if isinstance(spec, str):
        return column_key(spec), ColumnRule(target)
    if isinstance(spec, dict) and isinstance(spec.get("column"), str):
        try:
            scale = float(spec.get("scale", 1.0))
        except (TypeError, ValueError):
            raise DataError(f"{place}: field {target}: scale must be a number") from None
        return column_key(spec["column"]), ColumnRule(target, scale)
    raise DataError(f"{place}: field {target}: a column is a name or {{column: NAME, scale: X}}")


def profile_from_doc(doc: Any, place: str) -> Profile:
    """A profile from its YAML document; DataError naming `place` when it is malformed."""
    if not isinstance(doc, dict) or not isinstance(doc.get("fields"), dict):
        raise DataError(f"{place}: expected a mapping with 'profile' and 'fields'")
    name = doc.get("profile")
    if not isinstance(name, str) or not name:
        raise DataError(f"{place}: 'profile' must name the profile")
    columns: dict[str, ColumnRule] = {}
    for target, entry in doc["fields"].items():
        if field_kind(str(target)) is None:
            raise DataError(f"{place}: unknown record field {target!r}")
        specs = entry.get("columns") if isinstance(entry, dict) else None
        if not isinstance(specs, list) or not specs:
            raise DataError(f"{place}: field {target}: 'columns' must list column names")
        for spec in specs:
            key, rule = _rule(place, str(target), spec)
            if key in columns and columns[key].field != rule.field:
                raise DataError(
                    f"{place}: column {key!r} feeds both {columns[key].field} and {rule.field}"
                )
            columns.setdefault(key, rule)
    dates = doc.get("slash_dates", "day_first")
    if dates not in ("day_first", "month_first"):
        raise DataError(f"{place}: slash_dates must be day_first or month_first")
    defaults = doc.get("defaults") or {}
    for target in defaults:
        if field_kind(str(target)) is None:
            raise DataError(f"{place}: default for unknown record field {target!r}")
    return Profile(
        name=name,
        title=str(doc.get("title", name)),
        columns=columns,
        markers=frozenset(column_key(str(m)) for m in doc.get("markers") or ()),
        month_first=dates == "month_first",
        defaults={str(k): str(v) for k, v in defaults.items()},
        sources=tuple(str(s) for s in doc.get("sources") or ()),
    )


@functools.cache
def builtin_profile(name: str) -> Profile:
    """A built-in profile by name; DataError for an unknown one."""
    if name not in PROFILES:
        raise DataError(f"unknown profile {name!r}: choose one of {', '.join(PROFILES)}")
    path = PROFILE_DIR / f"{name}.yaml"
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DataError(f"{path}: cannot be read ({exc})") from exc
    profile = profile_from_doc(doc, str(path))
    if profile.name != name:
        raise DataError(f"{path}: says profile {profile.name!r}, expected {name!r}")
    return profile


def profile_markdown(name: str) -> str:
    """A built-in profile as a Markdown table (field, column spellings) for docs/manifests.md."""
    profile = builtin_profile(name)
    by_field: dict[str, list[str]] = {}
    for key, rule in profile.columns.items():
        spelling = key if rule.scale == 1.0 else f"{key} (x{rule.scale:g})"
        by_field.setdefault(rule.field, []).append(f"`{spelling}`")
    lines = [
        f"### `{profile.name}`: {profile.title}",
        "",
        "| record field | column spellings (most trusted first) |",
        "|---|---|",
    ]
    lines += [f"| `{field}` | {', '.join(spellings)} |" for field, spellings in by_field.items()]
    extras = []
    if profile.month_first:
        extras.append("slash dates are read month first (03/04/2024 is 4 March)")
    extras += [f"`{k}` is `{v}` when the file does not say" for k, v in profile.defaults.items()]
    if extras:
        lines += ["", "Also: " + "; ".join(extras) + "."]
    lines += ["", "Sources:", ""] + [f"- {s}" for s in profile.sources]
    return "\n".join(lines) + "\n"
