"""Country names and codes as lists write them, to ISO 3166-1 alpha-2 (upper case).

Looked up in a table built once from rigour's territories (names, full names, codes) and the list
spellings of `parties/data/country_names.yaml`. rigour's fuzzy lookup is not used: it takes
seconds to prepare, and lists' country fields also hold cities and numbers it would guess at.
A spelling not known is None (the caller keeps the text); add it to the YAML file.
"""

from __future__ import annotations

import functools
from pathlib import Path

from rigour.territories import get_territories

from chainbreaker.yaml_files import load_yaml_file

_SPELLINGS = Path(__file__).resolve().parent.parent / "data" / "country_names.yaml"


@functools.cache
def _table() -> dict[str, str]:
    table: dict[str, str] = {}
    for territory in get_territories():
        code = str(territory.code)
        if len(code) != 2:
            continue
        for name in (territory.name, territory.full_name, code, territory.alpha3):
            if name:
                table.setdefault(str(name).casefold(), code.upper())
    data = load_yaml_file(_SPELLINGS)
    for name, code in data["country_names"].items():
        table[str(name).casefold()] = str(code).upper()
    return table


@functools.lru_cache(maxsize=4096)
def country_code(text: str | None) -> str | None:
    """The ISO2 code (e.g. "CN") of a country name or code, or None when not recognised.

    >>> country_code("Korea, North"), country_code("mx"), country_code("Atlantis")
    ('KP', 'MX', None)
    """
    if not text or not text.strip():
        return None
    return _table().get(" ".join(text.split()).casefold())
