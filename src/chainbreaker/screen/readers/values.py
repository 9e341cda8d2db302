"""Reading one cell: text, numbers with units, dates, HS codes, countries, categories.

Each reader takes what the file gave (a string from CSV, a number or date from Parquet, JSON or
Excel) and returns the normalised value or None for an empty cell; an impossible cell raises
`ValueError` with a reason an officer can read ("not a date: '31/02/2024'"). The tables (null
tokens, weight units, currency signs, CN 23 categories) live in `data/profiles/_values.yaml`.
"""

from __future__ import annotations

import functools
import math
import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from chainbreaker.errors import DataError
from chainbreaker.parties.loaders.countries import country_code
from chainbreaker.parties.loaders.dates import MONTHS as _MONTHS

__all__ = [
    "ValueTables",
    "as_text",
    "category",
    "country",
    "hs_code",
    "parse_date",
    "parse_number",
    "tables",
    "transit",
]

VALUES_FILE = Path(__file__).resolve().parent.parent / "data" / "profiles" / "_values.yaml"


class ValueTables:
    """The tables of `_values.yaml`, checked."""

    def __init__(self, doc: dict[str, Any]) -> None:
        self.null_tokens = frozenset(str(t).casefold() for t in doc["null_tokens"])
        self.weight_units = {
            str(u["unit"]).casefold(): float(u["factor"]) for u in doc["weight_units"]
        }
        self.currency_signs = {str(s["sign"]): str(s["code"]) for s in doc["currency_signs"]}
        self.categories = {
            str(spelling).casefold(): str(name)
            for name, spellings in doc["categories"].items()
            for spelling in spellings
        }
        low, high = doc["date_years"]
        self.date_years = (int(low), int(high))
        self.max_weight_kg = float(doc["max_weight_kg"])


@functools.cache
def tables() -> ValueTables:
    """The value tables (read once)."""
    try:
        doc = yaml.safe_load(VALUES_FILE.read_text(encoding="utf-8"))
        return ValueTables(doc)
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError) as exc:
        raise DataError(f"{VALUES_FILE}: cannot be read as the value tables ({exc})") from exc


def as_text(value: Any) -> str | None:
    """A cell as stripped text, None when empty; 12.0 from a spreadsheet reads "12"."""
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (int, Decimal, date)):
        return str(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", "surrogateescape").strip() or None
    if isinstance(value, (list, tuple)):
        parts = [t for t in (as_text(v) for v in value) if t]
        return "; ".join(parts) or None
    return str(value).strip() or None


_NUMBER = re.compile(r"[-+]?(?:\d[\d,.'’ ]*\d|\d)|[-+]?[.,]\d+")
_PREFIX = re.compile(r"^(?:[A-Za-z]{3}|US\$|[$€£¥~]|ca\.?|approx\.?|about)?\s*$", re.I)
_SUFFIX = re.compile(r"^[^\W\d_]{0,12}\.?$|^[$€£¥%]$")


def _decimal_text(token: str) -> str:
    token = token.replace(" ", "").replace("'", "").replace("’", "")
    sign = token[0] if token[0] in "+-" else ""
    body = token[len(sign) :]
    if "," in body and "." in body:
        decimal = "," if body.rfind(",") > body.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        body = body.replace(thousands, "").replace(decimal, ".")
    elif "," in body:
        head, _, tail = body.rpartition(",")
        one_comma = body.count(",") == 1
        if one_comma and (len(tail) != 3 or head in ("", "0", "-0")):
            body = head + "." + tail  # decimal comma: "12,5", "0,500"
        else:
            body = body.replace(",", "")  # thousands: "1,234", "1,234,567"
    elif body.count(".") > 1:
        body = body.replace(".", "")  # "1.234.567"
    return sign + body


def parse_number(value: Any) -> tuple[float | None, str]:
    """A number and the word written with it: "1,234.50" -> (1234.5, ""), "12 kg" -> (12.0, "kg").

    A currency code or sign before the number is returned as the word ("USD 12" -> (12.0, "USD")).
    Thousands separators "," "." "'" and spaces are read; a single comma followed by other than
    three digits is a decimal comma ("12,5"). Raises ValueError for text that is not a number.
    """
    if value is None or isinstance(value, bool):
        return None, ""
    if isinstance(value, (int, float, Decimal)):
        number = float(value)
        if math.isnan(number):
            return None, ""
        if math.isinf(number):
            raise ValueError(f"not a finite number: {value!r}")
        return number, ""
    text = value.strip() if isinstance(value, str) else (as_text(value) or "")
    if not text or text.casefold() in tables().null_tokens:
        return None, ""
    try:
        number = float(text)
    except ValueError:
        pass
    else:
        if math.isnan(number):
            return None, ""
        if not math.isinf(number):
            return number, ""
        raise ValueError(f"not a finite number: {text!r}")
    match = _NUMBER.search(text)
    if match is None:
        raise ValueError(f"not a number: {text!r}")
    before, after = text[: match.start()].strip(), text[match.end() :].strip()
    if not _PREFIX.match(before) or not _SUFFIX.match(after):
        raise ValueError(f"not a number: {text!r}")
    try:
        number = float(_decimal_text(match.group().strip()))
    except ValueError:
        raise ValueError(f"not a number: {text!r}") from None
    return number, (after or before).rstrip(".")


def weight_factor(unit: str) -> float:
    """The factor from a weight unit to kg ("g" -> 0.001); ValueError for an unknown unit."""
    factor = tables().weight_units.get(unit.strip().casefold())
    if factor is None:
        raise ValueError(f"unknown weight unit: {unit!r}")
    return factor


def currency(value: Any) -> str | None:
    """A currency as an upper-case code ("usd" -> "USD"); a sign in the tables -> its code."""
    text = as_text(value)
    if text is None:
        return None
    return tables().currency_signs.get(text, text.upper())


@functools.lru_cache(maxsize=4096)
def country(text: str) -> str:
    """A country as ISO2 when recognised ("China" -> "CN"), else the text as written."""
    return country_code(text) or text


def category(value: Any) -> str | None:
    """A CN 23 category by its standard name ("Gift" -> "gift"), else the text in lower case."""
    text = as_text(value)
    if text is None:
        return None
    folded = " ".join(text.casefold().split())
    return tables().categories.get(folded, folded)


_NON_DIGITS = re.compile(r"\D")


def hs_code(value: Any) -> str | None:
    """An HS / HTS code as its digits ("2933.39" -> "293339"); None when it has none.

    A number from a spreadsheet or Parquet file lost its leading zero and its trailing zeros:
    2933.3 reads "293330" and 101.21 (heading 0101) reads "010121": the decimals are padded to
    pairs and an odd number of digits gets its leading zero back. Text keeps its digits as written.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float, Decimal)):
        if isinstance(value, float) and not math.isfinite(value):
            return None
        whole, _, decimals = f"{value}".partition(".")
        decimals = decimals.rstrip("0") if isinstance(value, float) else decimals
        if decimals and len(decimals) % 2:
            decimals += "0"
        digits = _NON_DIGITS.sub("", whole) + decimals
        return ("0" + digits if len(digits) % 2 else digits) or None
    text = as_text(value)
    if text is None:
        return None
    return _NON_DIGITS.sub("", text) or None


_SPLIT_TRANSIT = re.compile(r"\s*(?:[,;|/>→]|\s-\s|\s+to\s+)\s*")
_AIRPORT_ROUTE = re.compile(r"^[A-Za-z]{3}(?:-[A-Za-z]{3})+$")


def transit(value: Any) -> list[str]:
    """Transit points in order: "HKG-ANC-ORD" -> [HKG, ANC, ORD], "Belgium; NL" -> [BE, NL].

    Three-letter codes are kept as written (upper case): they are usually airports (FRA is
    Frankfurt, not France). Longer names and two-letter codes are read as countries.
    """
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        parts = [t for t in (as_text(v) for v in value) if t]
    else:
        text = as_text(value)
        if text is None:
            return []
        parts = text.split("-") if _AIRPORT_ROUTE.match(text) else _SPLIT_TRANSIT.split(text)
    out: list[str] = []
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if len(part) == 3 and part.isalpha():
            out.append(part.upper())
        else:
            out.append(country(part))
    return out


_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:\d{4,6})?$")
_NUMERIC = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[T ,].*)?$")
_YMD_SLASH = re.compile(r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})(?:[T ].*)?$")
_WORDS = re.compile(r"^(\d{1,2})[\s-]+([A-Za-z]{3,9})\.?[\s,-]+(\d{4})$")
_WORDS_US = re.compile(r"^([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})$")


def _iso(text: str, year: int, month: int, day: int) -> str:
    low, high = tables().date_years
    try:
        if not low <= year <= high:
            raise ValueError
        return date(year, month, day).isoformat()
    except ValueError:
        raise ValueError(f"not a date: {text!r}") from None


@functools.lru_cache(maxsize=8192)
def _parse_date_text(text: str, month_first: bool) -> str | None:
    if text.casefold() in tables().null_tokens:
        return None
    for pattern in (_ISO_DATE, _COMPACT, _YMD_SLASH):
        m = pattern.match(text)
        if m:
            return _iso(text, int(m[1]), int(m[2]), int(m[3]))
    m = _NUMERIC.match(text)
    if m:
        first, second, year = int(m[1]), int(m[2]), int(m[3])
        if first > 12 or (not month_first and second <= 12):
            return _iso(text, year, second, first)  # day first
        return _iso(text, year, first, second)
    m = _WORDS.match(text)
    if m and m[2].casefold() in _MONTHS:
        return _iso(text, int(m[3]), _MONTHS[m[2].casefold()], int(m[1]))
    m = _WORDS_US.match(text)
    if m and m[1].casefold() in _MONTHS:
        return _iso(text, int(m[3]), _MONTHS[m[1].casefold()], int(m[2]))
    raise ValueError(f"not a date: {text!r}")


def parse_date(value: Any, *, month_first: bool = False) -> str | None:
    """A date as ISO 8601 ("05/03/2024" -> "2024-03-05"); ValueError for text that is no date.

    Read: ISO dates and date-times, yyyymmdd (ITMATT), yyyy/mm/dd, dd/mm/yyyy (or mm/dd/yyyy
    when `month_first`; a first number over 12 is always the day), "5 Mar 2024", "Mar 5, 2024".
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = as_text(value)
    if text is None:
        return None
    return _parse_date_text(text, month_first)
