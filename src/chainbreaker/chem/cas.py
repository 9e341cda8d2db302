"""CAS Registry Numbers: parse, validate the check digit, format.

A CAS RN is 2-7 digits, 2 digits and one check digit. The check digit is the sum of each
digit (from the right, excluding the check digit) times its position, modulo 10.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chainbreaker.errors import InvalidCAS

_HYPHENATED = re.compile(r"^\s*(\d{2,7})-(\d{2})-(\d)\s*$")
_DIGITS = re.compile(r"^\s*(\d{5,10})\s*$")


@dataclass(frozen=True, slots=True)
class CAS:
    """A CAS Registry Number whose check digit is correct."""

    number: str  # canonical form, e.g. "437-38-7"

    def __str__(self) -> str:
        return self.number


def check_digit(body: str) -> int:
    """The check digit for the digits of a CAS RN without its check digit."""
    return sum(int(d) * i for i, d in enumerate(reversed(body), start=1)) % 10


def split_digits(digits: str) -> tuple[str, str, str]:
    """Split a run of 5-10 digits into the three CAS parts."""
    return digits[:-3], digits[-3:-1], digits[-1]


def looks_like_cas(text: str) -> bool:
    """True when the text has the shape of a CAS RN (hyphenated, or 5-10 bare digits)."""
    return bool(_HYPHENATED.match(text) or _DIGITS.match(text))


def parse_cas(text: str) -> CAS:
    """Parse a CAS RN written with or without hyphens; raise InvalidCAS when it is wrong.

    >>> parse_cas("437387").number
    '437-38-7'
    """
    m = _HYPHENATED.match(text)
    if m:
        first, second, check = m.groups()
    else:
        m = _DIGITS.match(text)
        if not m:
            raise InvalidCAS(
                f"{text!r} is not a CAS Registry Number: expected 2-7 digits, 2 digits and a "
                "check digit, e.g. 437-38-7"
            )
        first, second, check = split_digits(m.group(1))
    if first.startswith("0"):
        raise InvalidCAS(f"{text!r} is not a CAS Registry Number: the first part has a leading 0")
    expected = check_digit(first + second)
    if expected != int(check):
        raise InvalidCAS(
            f"{text!r} has a bad CAS check digit: {check} given, {expected} expected "
            f"({first}-{second}-{expected} would be valid); check for a typing error"
        )
    return CAS(f"{first}-{second}-{check}")


def is_valid_cas(text: str) -> bool:
    """True when the text is a CAS RN with a correct check digit."""
    try:
        parse_cas(text)
    except InvalidCAS:
        return False
    return True
