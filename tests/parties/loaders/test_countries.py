"""Country names and codes to ISO2."""

from __future__ import annotations

import pytest

from chainbreaker.parties.loaders.countries import country_code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("China", "CN"),
        ("Korea, North", "KP"),
        ("Burma", "MM"),
        ("mx", "MX"),
        ("Hong Kong", "HK"),
        ("Atlantis", None),
        ("", None),
        (None, None),
    ],
)
def test_codes(text: str | None, code: str | None) -> None:
    assert country_code(text) == code
