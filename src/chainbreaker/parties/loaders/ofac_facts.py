"""The facts OFAC writes about a listed party, shared by the three OFAC loaders.

- The Remarks mini-grammar of sdn.csv: `; `-separated facts such as `DOB 09 Sep 1984`,
  `nationality China`, `Passport G23851362 (China) issued 01 Jan 2010`, `a.k.a. 'NAME'`.
- The labels that are identifiers (and those that are not), from `data/ofac_facts.yaml`: the
  same labels are SDN.XML's `idType`s and the advanced XML's document and feature types.
- Dates of birth as OFAC writes them, ranges included (`01 Jan 1961 to 31 Dec 1963`).

A fact that cannot be read is kept in `RemarkFacts.unread` (the remarks text keeps it too);
it is never an error.
"""

from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from chainbreaker.errors import DataError
from chainbreaker.parties.loaders.countries import country_code
from chainbreaker.parties.loaders.dates import parse_dates
from chainbreaker.parties.models import Identifier, ListedName, NameKind

__all__ = [
    "FACTS_FILE",
    "RemarkFacts",
    "birth_dates",
    "date_span",
    "is_identifier_kind",
    "is_listed_identifier",
    "read_identifier",
    "read_remarks",
    "split_person_name",
]

FACTS_FILE = Path(__file__).resolve().parents[1] / "data" / "ofac_facts.yaml"

#: A year range of at most this many years is given year by year; a longer one by its ends
#: (the same bound as the UN and EU readers' year ranges, loaders/xml_lists.py).
MAX_YEAR_SPAN = 20

_ALT = re.compile(r"^alt\.\s+", re.I)
_ALIAS = re.compile(r"^([afn])\.k\.a\.,?\s*(.*)$", re.I | re.S)
_DOB = re.compile(r"^DOB\b:?\s*(.*)$", re.S)
_NATIONALITY = re.compile(r"^(nationality|citizen)\s+(.+)$", re.I)
_REGISTRATION = re.compile(r"^Nationality of Registration\s+(.+)$", re.I)
_KNOWN_WITHOUT_VALUE = re.compile(r"^(?:POB|Gender|Linked To)\b", re.I)
_SPLIT = re.compile(r";\s*")
_DATE_TAIL = re.compile(r"\s*,?\s+(?:issued|expires|expired)\b.*$", re.I | re.S)
_BRACKET_TAIL = re.compile(r"\s*\(([^()]*)\)$")
_QUALIFIER = re.compile(r"^(?:circa|approximately|approx\.?|about|ca\.?|c\.)\s+", re.I)
_RANGE = re.compile(r"^(.+?)\s+(?:to|-|–)\s+(.+)$")
_YEARS = re.compile(r"^(\d{4})\s*[-–]\s*(\d{4})$")
_KINDS: dict[str, NameKind] = {"a": "aka", "f": "fka", "n": "nka"}


@dataclass(slots=True)
class RemarkFacts:
    """What the Remarks of one sdn.csv entry say, in the order written."""

    aliases: list[ListedName] = field(default_factory=list)
    birth_dates: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)  # nationality, citizen (ISO2)
    identifiers: list[Identifier] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)  # facts not understood (kept in remarks)


@dataclass(frozen=True, slots=True)
class _Labels:
    identifier: re.Pattern[str]  # LABEL (group 1) at the start of a fact
    identifier_kinds: frozenset[str]  # labels without a code (exact kinds)
    coded_prefixes: tuple[str, ...]  # labels followed by a code ("Digital Currency Address -")
    others: tuple[str, ...]  # labels of facts that are not identifiers


def _entries(doc: Any, top: str, path: Path) -> list[dict[str, Any]]:
    entries = doc.get(top) if isinstance(doc, dict) else None
    if not isinstance(entries, list) or not all(
        isinstance(e, dict) and isinstance(e.get("label"), str) for e in entries
    ):
        raise DataError(f"{path}: expected a list of entries with a 'label' under '{top}'")
    return entries


@functools.cache
def _labels(path: Path = FACTS_FILE) -> _Labels:
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DataError(f"{path}: cannot be read as YAML ({exc})") from exc
    idents = _entries(doc, "identifiers", path)
    others = _entries(doc, "other_facts", path)
    plain = sorted((e["label"] for e in idents if not e.get("with_code")), key=len, reverse=True)
    coded = tuple(e["label"] for e in idents if e.get("with_code"))
    alternatives = [re.escape(c) + r"\s*[A-Za-z0-9]+" for c in coded]
    alternatives += [re.escape(label) for label in plain]
    pattern = re.compile(r"^(" + "|".join(alternatives) + r"):?(?=\s|$)")
    return _Labels(pattern, frozenset(plain), coded, tuple(e["label"] for e in others))


def is_identifier_kind(kind: str) -> bool:
    """Whether an SDN.XML idType / advanced-XML document or feature type names an identifier.

    Known non-identifier facts (Gender, Secondary sanctions risk:, Listing Date...) are not.
    """
    labels = _labels()
    return not kind.strip().startswith(labels.others)


def is_listed_identifier(kind: str) -> bool:
    """Whether `kind` is one of the identifier labels of the data file (advanced-XML features)."""
    labels = _labels()
    kind = kind.strip()
    return kind in labels.identifier_kinds or kind.startswith(labels.coded_prefixes)


def read_identifier(fact: str) -> Identifier | None:
    """The identifier a remark fact states (`Passport G23851362 (China)`), or None."""
    body = _ALT.sub("", fact.strip())
    m = _labels().identifier.match(body)
    if not m:
        return None
    kind = re.sub(r"\s+", " ", m.group(1))
    value = _DATE_TAIL.sub("", body[m.end() :]).strip().rstrip(",").strip()
    country = None
    tail = _BRACKET_TAIL.search(value)
    if tail:
        country = country_code(tail.group(1))
        if country:
            value = value[: tail.start()].strip()
    if not value:
        return None
    return Identifier(kind=kind, value=value, country=country)


def date_span(lo: str, hi: str) -> tuple[str, ...]:
    """The ISO dates a range from `lo` to `hi` stands for, at the precision it means.

    Whole years give each year (up to MAX_YEAR_SPAN of them, else both ends): "1961".."1963"
    and "1961-01-01".."1963-12-31" give 1961, 1962, 1963; a whole month gives the month
    ("1960-02-01".."1960-02-29" -> "1960-02"); any other range gives both ends.
    """
    if lo == hi:
        return (lo,)
    y_lo, y_hi = lo[:4], hi[:4]
    if lo in (y_lo, f"{y_lo}-01", f"{y_lo}-01-01") and hi in (y_hi, f"{y_hi}-12", f"{y_hi}-12-31"):
        first, last = int(y_lo), int(y_hi)
        if first == last:
            return (y_lo,)
        if 0 < last - first <= MAX_YEAR_SPAN:
            return tuple(str(y) for y in range(first, last + 1))
        return (y_lo, y_hi)
    if len(lo) == len(hi) == 10 and lo[:7] == hi[:7] and lo.endswith("-01"):
        year, month = int(lo[:4]), int(lo[5:7])
        if int(hi[8:]) == calendar.monthrange(year, month)[1]:
            return (lo[:7],)
    return (lo, hi)


def birth_dates(text: str | None) -> tuple[str, ...]:
    """The ISO dates of a date of birth as OFAC writes it; () when unreadable.

    `09 Sep 1984`, `Sep 1984`, `1984`, `circa 1970`, `1970 to 1972`, `circa 1965-1969`,
    `01 Jan 1961 to 31 Dec 1963` (see date_span).
    """
    if not text or not text.strip():
        return ()
    value = _QUALIFIER.sub("", text.strip().rstrip(".")).strip()
    m = _YEARS.match(value) or _RANGE.match(value)
    if m:
        lo, hi = parse_dates(m.group(1)), parse_dates(m.group(2))
        if len(lo) == 1 and len(hi) == 1:
            return date_span(lo[0], hi[0])
        return ()
    return parse_dates(value)


def split_person_name(full: str) -> tuple[tuple[str, str], ...]:
    """The parts of a person's name written `LAST NAME(S), Given Names`; () without a comma."""
    last, sep, given = full.partition(",")
    if not sep or not last.strip() or not given.strip():
        return ()
    return (("last", last.strip()), ("first", given.strip()))


def _alias(kind_letter: str, text: str) -> ListedName | None:
    text = text.strip()
    if text.startswith("'"):
        if len(text) < 3 or not text.rstrip(".").endswith("'"):
            return None  # an unclosed quote: the remark was cut (continued in sdn_comments.csv)
        text = text.rstrip(".")[1:-1].strip()
    if not text:
        return None
    return ListedName(full=text, kind=_KINDS[kind_letter.lower()])


def _read_fact(fact: str, out: RemarkFacts) -> bool:
    """Add what one fact says to `out`; False when the fact is not understood."""
    body = _ALT.sub("", fact)
    m = _ALIAS.match(body)
    if m:
        name = _alias(m.group(1), m.group(2))
        if name:
            out.aliases.append(name)
        return name is not None
    m = _DOB.match(body)
    if m:
        dates = birth_dates(m.group(1))
        out.birth_dates.extend(dates)
        return bool(dates)
    m = _REGISTRATION.match(body) or _NATIONALITY.match(body)
    if m:
        code = country_code(m.group(m.lastindex or 1))
        if code:
            out.countries.append(code)
        return code is not None
    if _KNOWN_WITHOUT_VALUE.match(body):
        return True
    ident = read_identifier(body)
    if ident:
        out.identifiers.append(ident)
        return True
    return body.startswith(_labels().others)


def read_remarks(text: str | None) -> RemarkFacts:
    """The facts of an sdn.csv Remarks text (Remarks and sdn_comments.csv joined)."""
    out = RemarkFacts()
    if not text:
        return out
    text = text.strip()
    if text.endswith("."):
        text = text[:-1]
    for fact in _SPLIT.split(text):
        fact = fact.strip()
        if fact and not _read_fact(fact, out):
            out.unread.append(fact)
    return out
