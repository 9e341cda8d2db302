"""Indicators drawn from an incident, each with the normalised key correlation compares.

The keys are those of the screening indicator detector (`chainbreaker.screen.detectors.
indicators`), so a value the feed publishes and a value the exchange correlates are the same
thing: addresses by their folded ASCII words (street words folded, a trailing country dropped),
phones by their digits without prefixes (at least 7), e-mails in lower case (Gmail dots and
+tags ignored), company numbers by their letters and digits, names by the words of their
normalised form (`parties`), substances by the catalog id `chem` resolved them to.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from chainbreaker.parties.names.normalise import normalise_name
from chainbreaker.screen.detectors.indicators import (
    IndicatorDetector,
    IndicatorSet,
    company_key,
    email_key,
    phone_digits,
)
from chainbreaker.screen.scoring import load_scoring

__all__ = ["DrawnIndicator", "draw_indicators", "indicator_key", "name_tokens"]

_MIN_PHONE_DIGITS = 7
_KEY_LENGTH = 400


@dataclass(frozen=True, slots=True)
class DrawnIndicator:
    kind: str
    value: str
    key: str
    note: str
    schema: str | None = None  # for names: "Company" or "Person" when the report says


@functools.cache
def _addresses() -> IndicatorDetector:
    return IndicatorDetector(IndicatorSet("exchange", [], []), load_scoring().indicators)


def _schema(kind: str | None) -> str | None:
    return {"company": "Company", "person": "Person"}.get(kind or "")


def indicator_key(kind: str, value: str, schema: str | None = None) -> str:
    """The normalised form of a value of a kind ('' when nothing is left to compare)."""
    if kind == "address":
        key = _addresses().address_key(value)
    elif kind == "phone":
        digits = phone_digits(value)
        key = digits if len(digits) >= _MIN_PHONE_DIGITS else ""
    elif kind == "email":
        key = email_key(value)
    elif kind == "company_number":
        key = company_key(value)
    elif kind == "name":
        key = " ".join(normalise_name(value, schema).tokens)
    else:  # substance: the resolved id when there is one, else the text folded
        key = " ".join(value.casefold().split())
    return key[:_KEY_LENGTH]


def name_tokens(value: str, schema: str | None = None) -> set[str]:
    """The words of a name's normalised form (the candidates' index of the party matcher)."""
    return {t[:100] for t in normalise_name(value, schema).tokens}


def draw_indicators(body: dict[str, Any]) -> list[DrawnIndicator]:
    """The indicators of an incident body (parties' values and resolved substances)."""
    drawn: list[DrawnIndicator] = []

    def add(
        kind: str, value: str | None, note: str, schema: str | None = None, key: str = ""
    ) -> None:
        if not value:
            return
        key = key or indicator_key(kind, value, schema)
        if key and all((d.kind, d.key) != (kind, key) for d in drawn):
            drawn.append(DrawnIndicator(kind, value, key, note, schema))

    for party in body.get("parties", []):
        role = party.get("role", "other")
        schema = _schema(party.get("kind"))
        add("name", party["name"], role, schema)
        add("address", party.get("address"), f"{role} address")
        add("phone", party.get("phone"), f"{role} phone")
        add("email", party.get("email"), f"{role} e-mail")
        for number in party.get("company_numbers", []):
            add("company_number", number, f"{role} company number")
    for sub in body.get("substances", []):
        sid = sub.get("substance_id")
        label = sub.get("substance_name") or sub["name"]
        if sid:
            add("substance", label, sub.get("status", ""), key=sid)
        else:
            add("substance", sub["name"], "not resolved by chem")
    return drawn
