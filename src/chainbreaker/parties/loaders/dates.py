"""Dates as watch lists write them, to ISO 8601 at the precision given.

Forms seen: "03 Jan 1976", "3 January 1976", "Jan 1976", "1976", "circa 1976", "1976-01-03",
"03/01/1976" (day first, as the UN and EU write it), "01/03/1976 (MM/DD/YYYY)" is not guessed:
a slash date is read day first. "1970 to 1972" gives both years.
"""

from __future__ import annotations

import re
from datetime import date

#: Month names and their usual abbreviations (English), to month numbers.
MONTHS = {
    m: i
    for i, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for m in names
}
_DMY_WORDS = re.compile(r"^(?:(\d{1,2})\s+)?([A-Za-z]{3,9})\.?\s+(\d{4})$")
_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_SLASH = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")
_RANGE = re.compile(r"^(\d{4})\s*(?:to|-|–)\s*(\d{4})$")
_QUALIFIERS = re.compile(r"^(?:circa|approximately|approx\.?|about|ca\.?|c\.)\s+", re.I)


def _iso(year: int, month: int | None = None, day: int | None = None) -> str | None:
    if not 1800 <= year <= 2100:
        return None
    if month is None:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        return None
    if day is None:
        return f"{year:04d}-{month:02d}"
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def parse_dates(text: str | None) -> tuple[str, ...]:
    """The ISO dates a list's date text stands for (usually one; a year range gives each end).

    An unreadable text gives (); the caller reports it.
    """
    if not text:
        return ()
    value = _QUALIFIERS.sub("", text.strip()).strip()
    if not value:
        return ()
    m = _ISO.match(value)
    if m:
        y, mo, d = m.groups()
        out = _iso(int(y), int(mo) if mo else None, int(d) if d else None)
        return (out,) if out else ()
    m = _DMY_WORDS.match(value)
    if m:
        d, month_word, y = m.groups()
        month = MONTHS.get(month_word.lower())
        if month is None:
            return ()
        out = _iso(int(y), month, int(d) if d else None)
        return (out,) if out else ()
    m = _SLASH.match(value)
    if m:
        d, mo, y = m.groups()
        out = _iso(int(y), int(mo), int(d))
        return (out,) if out else ()
    m = _RANGE.match(value)
    if m:
        years = [_iso(int(g)) for g in m.groups()]
        return tuple(y for y in years if y)
    return ()
