"""Country names and codes as lists write them, to ISO 3166-1 alpha-2 (upper case)."""

from __future__ import annotations

import functools

from rigour.territories import lookup_territory


@functools.lru_cache(maxsize=4096)
def country_code(text: str | None) -> str | None:
    """The ISO2 code (e.g. "CN") of a country name or code, or None when not recognised.

    >>> country_code("Korea, North"), country_code("mx"), country_code("Atlantis")
    ('KP', 'MX', None)
    """
    if not text or not text.strip():
        return None
    territory = lookup_territory(text.strip())
    if territory is None:
        return None
    code = str(territory.code)
    return code.upper() if len(code) == 2 else None
