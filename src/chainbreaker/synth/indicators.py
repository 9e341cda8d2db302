"""The synthetic indicator file and the ways a planted record reuses one of its values.

`data/indicators.yaml` holds the invented indicators; `write_indicators` writes them as
`indicators.csv` (columns kind, value, source, note). `Reuse.written` gives a value as a
planted record writes it: exactly, or in another but equivalent form (a phone with other
spacing or its international prefix as 00, an e-mail in other letter case, an address with
abbreviations, a company number with or without separators, a name in capitals).
"""

from __future__ import annotations

import csv
import random
import re
from dataclasses import dataclass
from pathlib import Path

from chainbreaker.synth.vocab import Vocab

__all__ = ["INDICATOR_COLUMNS", "Indicator", "indicator_entries", "write_indicators", "written"]

INDICATOR_COLUMNS = ("kind", "value", "source", "note")

# Address words and the abbreviations senders write for them.
_ABBREVIATIONS = (
    ("Road", "Rd."),
    ("Room", "Rm"),
    ("District", "Dist."),
    ("Building", "Bldg"),
    ("Industrial", "Ind."),
    ("Calle", "C."),
    ("Boulevard", "Blvd"),
    ("Blvd", "Boulevard"),
    ("Av.", "Avenida"),
    ("Col.", "Colonia"),
    ("Plot No.", "Plot"),
)


@dataclass(frozen=True, slots=True)
class Indicator:
    """One indicator: its kind, value and where it belongs."""

    kind: str  # address, phone, email, company_number, name
    value: str
    country: str
    city: str
    source: str
    note: str


def indicator_entries(vocab: Vocab) -> tuple[Indicator, ...]:
    """The invented indicators, in file order."""
    return tuple(
        Indicator(
            kind=row["kind"],
            value=row["value"],
            country=row["country"],
            city=row.get("city", ""),
            source=row["source"],
            note=row["note"],
        )
        for row in vocab.indicators
    )


def write_indicators(path: Path, entries: tuple[Indicator, ...]) -> None:
    """Write the indicator file (UTF-8 CSV with a header row)."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(INDICATOR_COLUMNS)
        for e in entries:
            out.writerow((e.kind, e.value, e.source, e.note))


def _phone(rng: random.Random, value: str) -> tuple[str, str]:
    digits = re.sub(r"\D", "", value)
    roll = rng.randrange(3)
    if roll == 0:
        return "+" + digits, "without spaces"
    if roll == 1:
        return "00" + digits, "international prefix written 00"
    code = 1 if digits.startswith("1") else 3 if digits.startswith("852") else 2
    return digits[code:], "without the country code"


def _address(rng: random.Random, value: str) -> tuple[str, str]:
    found = [(a, b) for a, b in _ABBREVIATIONS if a in value]
    if found and rng.random() < 0.7:
        text = value
        for a, b in found:
            text = text.replace(a, b)
        return text, "with abbreviations"
    return value.upper(), "in capitals"


def _company_number(value: str) -> tuple[str, str]:
    if "-" in value:
        return value.replace("-", ""), "without separators"
    if len(value) == 12:  # Mexican RFC: letters, date, homoclave
        return f"{value[:3]}-{value[3:9]}-{value[9:]}", "with separators"
    return " ".join(value[i : i + 4] for i in range(0, len(value), 4)), "in groups of four"


def written(rng: random.Random, ind: Indicator) -> tuple[str, str]:
    """(the value as a planted record writes it, how): exact about half the time."""
    if rng.random() < 0.5:
        return ind.value, "exact"
    if ind.kind == "phone":
        return _phone(rng, ind.value)
    if ind.kind == "email":
        if rng.random() < 0.5:
            return ind.value.upper(), "in capitals"
        local, _, domain = ind.value.partition("@")
        return f"{local.title()}@{domain}", "in mixed case"
    if ind.kind == "address":
        return _address(rng, ind.value)
    if ind.kind == "company_number":
        return _company_number(ind.value)
    return ind.value.upper(), "in capitals"
