"""Document noise around a party's name: attention and care-of lines, phone numbers, e-mail,
order-of labels, and a country written after the name ("…/ATTN SALES", "… C/O FREIGHT AGENT",
"…, MEXICO"). The patterns are data (`data/document_noise.yaml`)."""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

from chainbreaker.errors import DataError
from chainbreaker.parties.loaders.countries import country_code
from chainbreaker.parties.names.tables import DATA_DIR, entries, field, str_list

__all__ = ["CountryWords", "country_words", "strip_noise"]

_FILE = "document_noise.yaml"
_COUNTRY_TAIL = re.compile(r",\s*([A-Za-z][A-Za-z .'()-]*?)[\s.]*$")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def _compile(key: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    out = []
    for entry in entries(_FILE, key):
        why = field(_FILE, key, entry, "why", str)
        pattern = field(_FILE, key, entry, "pattern", str)
        try:
            out.append((why, re.compile(pattern, re.IGNORECASE)))
        except re.error as exc:
            raise DataError(f"{DATA_DIR / _FILE}: '{key}' pattern {pattern!r}: {exc}") from exc
    return tuple(out)


_Rules = tuple[tuple[str, re.Pattern[str]], ...]


@functools.cache
def _rules() -> tuple[_Rules, _Rules, frozenset[str], tuple[str, ...]]:
    """(cut-from rules, label rules, country words, strings that any rule needs)."""
    always = frozenset(_plain(c) for c in str_list(_FILE, "country_suffix_always"))
    triggers = tuple(t.lower() for t in str_list(_FILE, "triggers"))
    return _compile("cut_from"), _compile("labels"), always, triggers


def _plain(text: str) -> str:
    return _NON_ALNUM.sub(" ", text.lower()).strip()


class CountryWords(NamedTuple):
    """The country names always treated as noise after a name ("china", "p r china"...)."""

    names: frozenset[str]
    last_words: frozenset[str]


@functools.cache
def country_words() -> CountryWords:
    """The country names always treated as noise after a name, and their last words."""
    names = _rules()[2]
    return CountryWords(names, frozenset(n.split()[-1] for n in names))


def strip_noise(text: str, company: bool) -> tuple[str, list[str]]:
    """(`text` without document noise, what was removed and why). `text` is ASCII."""
    cut_from, labels, always, triggers = _rules()
    dropped: list[str] = []
    lower = text.lower()
    if not any(t in lower for t in triggers):  # the usual case: no rule can match
        labels = cut_from = ()
    for why, pattern in labels:
        match = pattern.match(text)
        if match and match.end() < len(text.rstrip()):
            dropped.append(f"{why} '{match.group().strip()}'")
            text = text[match.end() :]
    for why, pattern in cut_from:
        match = pattern.search(text)
        if match:  # with nothing before the marker, the whole field is noise
            dropped.append(f"{why} '{match.group().strip(' ,;|')}'")
            text = text[: match.start()]
    match = _COUNTRY_TAIL.search(text) if "," in text else None
    if match and text[: match.start()].strip():
        country = _plain(match.group(1))
        if country in always or (
            company and len(country.replace(" ", "")) >= 4 and country_code(country) is not None
        ):
            dropped.append(f"country '{match.group().strip(' ,')}'")
            text = text[: match.start()]
    return text, dropped
