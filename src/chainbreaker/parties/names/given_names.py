"""Given names: abbreviations ("Ma." = Maria, "Fco." = Francisco), familiar forms ("Pepe" =
Jose), spelling groups ("Mohammed" / "Muhammad"), and name particles ("de", "del", "y").
The tables are data (`data/given_names.yaml`)."""

from __future__ import annotations

import functools

from chainbreaker.errors import DataError
from chainbreaker.parties.names.tables import DATA_DIR, read_yaml, str_list, str_map

__all__ = ["SPANISH_PARTICLES", "given_name_forms", "is_particle"]

_FILE = "given_names.yaml"


@functools.cache
def _forms() -> dict[str, tuple[str, ...]]:
    forms: dict[str, list[str]] = {}

    def add(token: str, others: list[str]) -> None:
        bucket = forms.setdefault(token, [])
        bucket.extend(o for o in others if o != token and o not in bucket)

    for key in ("abbreviations", "familiar"):
        for token, full in str_map(_FILE, key).items():
            add(token, full)
    groups = read_yaml(_FILE).get("spelling_groups")
    if not isinstance(groups, list):
        raise DataError(f"{DATA_DIR / _FILE}: 'spelling_groups' must be a list of lists")
    for group in groups:
        if not isinstance(group, list) or not all(isinstance(g, str) for g in group):
            raise DataError(f"{DATA_DIR / _FILE}: spelling group {group!r} must list strings")
        for token in group:
            add(token, group)
    return {k: tuple(v) for k, v in forms.items()}


def given_name_forms(token: str) -> tuple[str, ...]:
    """Other forms of a given name: the full names an abbreviation or familiar form stands for,
    and the other spellings of its group. "ma" -> ("maria",), "fco" -> ("francisco",),
    "mohammed" -> ("muhammad", ...). An initial ("j") gives (): the matcher treats initials.
    """
    if len(token) < 2:
        return ()
    return _forms().get(token.lower(), ())


SPANISH_PARTICLES: frozenset[str] = frozenset(str_list(_FILE, "particles"))


def is_particle(token: str) -> bool:
    """True for a particle of a compound surname or name: "de", "del", "y", "van", "al"..."""
    return token.lower() in SPANISH_PARTICLES
