"""The indicator detector: parties' addresses, phones, e-mails, company numbers and names
against an indicator file (the exchange server will publish these).

The file is CSV with a header `kind,value,source,note`; kind is `address`, `phone`, `email`,
`company_number` (also `company`, `identifier`, `registration`, `tax_id`, `vat`) or `name`
(`company_name`, `person_name` when the kind of party is known).
A row with an unknown kind or an empty value is a `LoadProblem` (line and field), skipped and
counted; a file without those columns is a `DataError`.

How each kind is compared (an exact match and a normalised one score differently, see
`data/scoring.yaml`, section `indicators`):

- address: exact = the same text up to case, spaces and punctuation; normalised = ASCII words
  with street words folded (road -> rd, room -> rm...) and a trailing country name dropped, the
  indicator's words found as a run of at least 3 words in the party's address and city;
- phone: digits only; exact = the same digits; normalised = the same number with or without a
  country code (up to 3 digits) or a trunk 0, at least 7 digits in common;
- email: exact = the same address in any case; normalised = Gmail dots and +tags ignored;
- company number: exact = the same text in any case; normalised = letters and digits only, a
  label before a colon ("VAT: ...") dropped;
- name: the `parties` matcher on a list made of the name indicators (match score x factor).
"""

from __future__ import annotations

import csv
import functools
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chainbreaker.errors import DataError
from chainbreaker.parties.loaders.countries import country_code
from chainbreaker.parties.models import (
    ListedEntity,
    ListedName,
    ListInfo,
    LoadedList,
    LoadProblem,
    Schema,
)
from chainbreaker.parties.names.normalise import normalise_name
from chainbreaker.parties.screening import Screener
from chainbreaker.screen.detectors.context import normal_key
from chainbreaker.screen.detectors.parties import PartyDetector
from chainbreaker.screen.models import Hit
from chainbreaker.screen.records import Party, Shipment

__all__ = ["Indicator", "IndicatorDetector", "IndicatorSet", "read_indicators"]

_KINDS = {
    "address": "address",
    "phone": "phone",
    "tel": "phone",
    "email": "email",
    "e-mail": "email",
    "company_number": "company_number",
    "company": "company_number",
    "identifier": "company_number",
    "registration": "company_number",
    "tax_id": "company_number",
    "vat": "company_number",
    "name": "name",
    "company_name": "name",
    "person_name": "name",
}
_NOT_DIGIT = re.compile(r"\D+")
_NOT_ALNUM = re.compile(r"[^0-9A-Z]+")
_MIN_ADDRESS_WORDS = 3
_MIN_PHONE_DIGITS = 7
#: The most words of a trailing country name `address_key` drops.
_COUNTRY_WORDS_MOST = 3


@dataclass(frozen=True, slots=True)
class Indicator:
    kind: str
    value: str
    source: str
    note: str
    line: int
    schema: str | None = None  # for names: "Company", "Person" when the file says


@dataclass(slots=True)
class IndicatorSet:
    """Indicators read from a file, by kind, and the rows skipped."""

    path: str
    items: list[Indicator]
    problems: list[LoadProblem]


def read_indicators(path: str | Path) -> IndicatorSet:
    """Read an indicator CSV (see the module doc)."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise DataError(f"{p}: cannot be read ({exc.strerror})") from exc
    problems: list[LoadProblem] = []
    text = raw.decode("utf-8-sig", errors="replace")
    if "\ufffd" in text:
        problems.append(LoadProblem(str(p), "file", None, "bytes that are not UTF-8 replaced"))
    rows = csv.reader(io.StringIO(text))
    header = [h.strip().lower() for h in next(rows, [])]
    if "kind" not in header or "value" not in header:
        raise DataError(f"{p}: line 1: the header must name the columns kind,value,source,note")
    col = {
        name: header.index(name) for name in ("kind", "value", "source", "note") if name in header
    }
    items: list[Indicator] = []
    for n, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue

        def cell(name: str, row: list[str] = row) -> str:
            i = col.get(name)
            return row[i].strip() if i is not None and i < len(row) else ""

        kind = _KINDS.get(cell("kind").lower())
        if kind is None:
            problems.append(
                LoadProblem(str(p), f"line {n}", "kind", f"unknown kind {cell('kind')!r}")
            )
            continue
        if not cell("value"):
            problems.append(LoadProblem(str(p), f"line {n}", "value", "empty value"))
            continue
        schema = {"company_name": "Company", "person_name": "Person"}.get(cell("kind").lower())
        items.append(Indicator(kind, cell("value"), cell("source"), cell("note"), n, schema))
    return IndicatorSet(str(p), items, problems)


class IndicatorDetector:
    """Matches the parties of records against a set of indicators."""

    def __init__(self, indicators: IndicatorSet, settings: Mapping[str, Any]) -> None:
        self.indicators = indicators
        self.settings = settings
        self._words: dict[str, str] = {str(k): str(v) for k, v in settings["address_words"].items()}
        self._address: dict[str, list[Indicator]] = {}
        self._phone: dict[str, list[tuple[str, Indicator]]] = {}
        self._email: dict[str, list[Indicator]] = {}
        self._company: dict[str, list[Indicator]] = {}
        names: list[Indicator] = []
        for ind in indicators.items:
            if ind.kind == "address":
                key = self.address_key(ind.value)
                if key:
                    self._address.setdefault(key, []).append(ind)
            elif ind.kind == "phone":
                d = phone_digits(ind.value)
                if len(d) >= _MIN_PHONE_DIGITS:
                    self._phone.setdefault(d[-_MIN_PHONE_DIGITS:], []).append((d, ind))
            elif ind.kind == "email":
                self._email.setdefault(email_key(ind.value), []).append(ind)
            elif ind.kind == "company_number":
                self._company.setdefault(company_key(ind.value), []).append(ind)
            else:
                names.append(ind)
        self._by_line = {ind.line: ind for ind in names}
        self._address_matches = functools.lru_cache(maxsize=100_000)(self._address_matching)
        self._address_words = frozenset(w for key in self._address for w in key.split())
        #: Every 3 words in a row of an address indicator: a match holds one of them.
        self._address_runs = frozenset(
            " ".join(words[i : i + 3])
            for words in (key.split() for key in self._address)
            for i in range(len(words) - 2)
        )
        #: The first words of those runs: most words of an address start none, and are not
        #: joined with the next two to be looked up.
        self._run_starts = frozenset(run.split(" ", 1)[0] for run in self._address_runs)
        self._names: PartyDetector | None = None
        if names:
            screener = Screener(
                [_name_list(indicators.path, names)], threshold=settings["name_threshold"]
            )
            self._names = PartyDetector(screener, candidate_min=settings["name_threshold"])

    # -- normalisation ------------------------------------------------------------------------

    def address_key(self, *parts: str | None) -> str:
        """ASCII words, street words folded, a trailing country name dropped."""
        words = [self._words.get(w, w) for w in normal_key(*parts).split()]
        for n in range(_COUNTRY_WORDS_MOST, 0, -1):
            if len(words) > n and country_code(" ".join(words[-n:])):
                words = words[:-n]
                break
        return " ".join(words)

    # -- detection ----------------------------------------------------------------------------

    def detect(self, shipment: Shipment) -> list[Hit]:
        """Hits for every party field that matches an indicator."""
        hits: list[Hit] = []
        for p in shipment.parties:
            if p.address and self._address:
                hits.extend(self._address_hits(p))
            if p.phone and self._phone:
                hits.extend(self._phone_hits(p))
            if p.email and self._email:
                for ind in self._email.get(email_key(p.email), ()):
                    exact = p.email.strip().casefold() == ind.value.strip().casefold()
                    hits.append(self._hit("email", p, p.email, ind, exact))
            if p.identifier and self._company:
                for ind in self._company.get(company_key(p.identifier), ()):
                    exact = _plain(p.identifier).upper() == _plain(ind.value).upper()
                    hits.append(self._hit("company_number", p, p.identifier, ind, exact))
            if p.name and self._names is not None:
                m = self._names.best(p.name, None)
                if m is not None:
                    ind = self._by_line[int(m.entity_id)]
                    score = round(m.score * float(self.settings["name_factor"]), 4)
                    hits.append(self._hit("name", p, p.name, ind, m.score >= 0.999, score))
        return hits

    def _address_hits(self, p: Party) -> list[Hit]:
        found = self._address_matches(p.address, p.city, p.country)
        return [self._hit("address", p, p.address or "", ind, exact) for ind, exact in found]

    def _address_matching(
        self, address: str | None, city: str | None, country: str | None
    ) -> tuple[tuple[Indicator, bool], ...]:
        """The address indicators an address holds (any run of 3+ of its words), with whether
        the match is exact; memoised, as a day's manifests repeat their senders' addresses."""
        plain = [self._words.get(w, w) for w in normal_key(address, city, country).split()]
        runs, starts = self._address_runs, self._run_starts
        if not any(
            plain[i] in starts and " ".join(plain[i : i + 3]) in runs for i in range(len(plain) - 2)
        ):
            # no 3 words in a row of any indicator: only a short indicator (under 3 words) can
            # match, as the whole address once a trailing country name is dropped, and only
            # when the address has at most that many words that are in no indicator
            known = sum(w in self._address_words for w in plain)
            if len(plain) - known > _COUNTRY_WORDS_MOST:
                return ()
            short = self._address.get(self.address_key(address, city, country), ())
            return tuple((ind, False) for ind in short)
        whole = self.address_key(address, city, country)
        words = whole.split()
        seen: set[int] = set()
        found: list[tuple[Indicator, bool]] = []
        for i in range(len(words)):
            for j in range(i + _MIN_ADDRESS_WORDS, min(len(words), i + 40) + 1):
                for ind in self._address.get(" ".join(words[i:j]), ()):
                    if ind.line in seen:
                        continue
                    seen.add(ind.line)
                    found.append((ind, normal_key(address) == normal_key(ind.value)))
        if not found and whole in self._address:  # a short address (under 3 words), whole
            found.extend((ind, False) for ind in self._address[whole])
        return tuple(found)

    def _phone_hits(self, p: Party) -> list[Hit]:
        d = phone_digits(p.phone or "")
        if len(d) < _MIN_PHONE_DIGITS:
            return []
        hits: list[Hit] = []
        for other, ind in self._phone.get(d[-_MIN_PHONE_DIGITS:], ()):
            short, long_ = sorted((d, other), key=len)
            if short == long_:
                exact = _NOT_DIGIT.sub("", p.phone or "") == _NOT_DIGIT.sub("", ind.value)
                hits.append(self._hit("phone", p, p.phone or "", ind, exact))
            elif long_.endswith(short) and len(long_) - len(short) <= 3:
                hits.append(self._hit("phone", p, p.phone or "", ind, False))
        return hits

    def _hit(
        self,
        kind: str,
        p: Party,
        value: str,
        ind: Indicator,
        exact: bool,
        score: float | None = None,
    ) -> Hit:
        how = "exact" if exact else "normalised"
        if score is None:
            score = float(self.settings[kind][how])
        field = {"company_number": "identifier"}.get(kind, kind)
        source = (
            f" ({ind.source}" + (f": {ind.note}" if ind.note else "") + ")" if ind.source else ""
        )
        label = kind.replace("_", " ")
        return Hit(
            "indicator",
            f"indicator.{kind}",
            score,
            f"The {p.role}'s {label} {value!r} matches the indicator {ind.value!r}{source}.",
            f"parties[{p.role}].{field}",
            {
                "value": value,
                "indicator": ind.value,
                "match": how,
                "source": ind.source,
                "note": ind.note,
                "line": ind.line,
            },
        )


def phone_digits(text: str) -> str:
    """The digits of a phone number without an international prefix (00) or trunk zeros."""
    return _NOT_DIGIT.sub("", text).lstrip("0")


def email_key(text: str) -> str:
    """An e-mail address in lower case; for Gmail, dots and a +tag of the local part removed."""
    e = text.strip().casefold()
    local, at, domain = e.partition("@")
    if at and domain in ("gmail.com", "googlemail.com"):
        local = local.split("+", 1)[0].replace(".", "")
        domain = "gmail.com"
    return f"{local}{at}{domain}"


def company_key(text: str) -> str:
    """Letters and digits in upper case, after the last colon ("VAT: CN123" -> "CN123")."""
    return _NOT_ALNUM.sub("", text.rsplit(":", 1)[-1].upper())


def _plain(text: str) -> str:
    return " ".join(text.split())


def _name_schema(ind: Indicator) -> Schema:
    """The kind of a name indicator: as the file says, else Company when it ends in a legal form
    (so that the legal form is set aside as it is in the parties' names), else Unknown."""
    if ind.schema == "Person":
        return "Person"
    if ind.schema == "Company":
        return "Company"
    dropped = normalise_name(ind.value, "Company").dropped
    return "Company" if any(d.startswith("legal form") for d in dropped) else "Unknown"


def _name_list(path: str, names: list[Indicator]) -> LoadedList:
    entities = [
        ListedEntity(
            list_id="indicators",
            entity_id=str(ind.line),
            schema=_name_schema(ind),
            names=(ListedName(ind.value),),
        )
        for ind in names
    ]
    info = ListInfo("indicators", "indicator names", "csv", path, "", None, len(entities), 0)
    return LoadedList(info, entities)
