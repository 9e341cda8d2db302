"""Goods lines of clean records: a day's e-commerce mix and a lab vendor's orders.

Each e-commerce line takes a category of `data/goods.yaml` by its share, a description in the
sender's language (English mostly, some Spanish and Chinese), the category's true HS code as
senders write it (six digits, dotted, or padded to eight), and a quantity, value and weight in
the category's plausible range. Lab orders take the chemicals of `data/lab_chemicals.yaml`.
"""

from __future__ import annotations

import random

from chainbreaker.synth.drafts import Line
from chainbreaker.synth.parties import PartyMaker, between, pick
from chainbreaker.synth.vocab import GoodsCategory, LabChemical, Vocab

__all__ = ["GoodsMaker", "write_hs"]

# Where the goods of a sender in these countries are made, when not in the sender's country.
_MADE_IN_CHINA = {"HK": 0.7, "US": 0.5, "DE": 0.4, "GB": 0.5, "FR": 0.4, "IT": 0.3, "ES": 0.4}
_MADE_IN_CHINA.update({"NL": 0.5, "PL": 0.5, "CA": 0.5, "MX": 0.4, "KR": 0.2, "TR": 0.2})


def write_hs(rng: random.Random, hs6: str) -> str:
    """An HS code as senders write it: mostly six digits, sometimes dotted or padded."""
    if not hs6:
        return ""
    roll = rng.random()
    if roll < 0.8:
        return hs6
    if roll < 0.95:
        return f"{hs6[:4]}.{hs6[4:]}"
    return hs6 + "00"


class GoodsMaker:
    """Makes goods lines; deterministic for a given rng."""

    def __init__(self, vocab: Vocab, parties: PartyMaker) -> None:
        self.parties = parties
        self.categories: tuple[GoodsCategory, ...] = tuple(
            c for c in vocab.goods for _ in range(c.share)
        )
        self.vague = vocab.vague
        self.chemicals: tuple[LabChemical, ...] = vocab.chemicals

    def origin(self, rng: random.Random, sender: str) -> str:
        """The country the goods were made in."""
        return "CN" if rng.random() < _MADE_IN_CHINA.get(sender, 0.0) else sender

    def description(self, rng: random.Random, cat: GoodsCategory, culture: str) -> str:
        """A description of the category in the sender's language."""
        texts = cat.descriptions
        roll = rng.random()
        if culture == "cn" and "zh" in texts and roll < 0.12:
            return pick(rng, texts["zh"])
        if culture == "es" and "es" in texts and roll < 0.5:
            return pick(rng, texts["es"])
        return pick(rng, texts["en"])

    def line(self, rng: random.Random, sender: str, currency: str, vague: float = 0.005) -> Line:
        """One e-commerce goods line sent from `sender` (ISO2), valued in `currency`."""
        cat = pick(rng, self.categories)
        culture = self.parties.countries[sender].culture
        quantity = between(rng, *cat.quantity)
        unit_value = rng.uniform(*cat.unit_value)
        text = (
            pick(rng, self.vague) if rng.random() < vague else self.description(rng, cat, culture)
        )
        rate = self.parties.usd_rates.get(currency, 1.0)
        return Line(
            description=text,
            hs=write_hs(rng, cat.hs),
            quantity=quantity,
            unit="pcs",
            weight=round(quantity * rng.uniform(*cat.unit_weight), 3),
            value=round(quantity * unit_value * rate, 2),
            origin=self.origin(rng, sender),
        )

    def lines(self, rng: random.Random, sender: str, currency: str) -> list[Line]:
        """One to four goods lines (most parcels hold one)."""
        roll = rng.random()
        count = 1 if roll < 0.72 else 2 if roll < 0.9 else 3 if roll < 0.97 else 4
        return [self.line(rng, sender, currency) for _ in range(count)]

    def lab_line(self, rng: random.Random, currency: str = "USD") -> Line:
        """One line of a lab vendor's order: a clean chemical, its CAS number, packs, price."""
        chem = pick(rng, self.chemicals)
        pack = pick(rng, chem.packs)
        packs = pick(rng, (1, 1, 1, 2, 2, 3, 4, 5, 6, 10))
        amount = pack * packs
        rate = self.parties.usd_rates.get(currency, 1.0)
        value = round(amount / 100 * rng.uniform(*chem.price) * rate, 2)
        unit = chem.unit
        quantity: float = amount
        if amount >= 1000:
            quantity, unit = amount / 1000, "kg" if chem.unit == "g" else "L"
        return Line(
            description=chem.name,
            hs="",
            quantity=quantity,
            unit=unit,
            weight=round(amount / 1000 * 1.25, 3),
            value=value,
            origin="",
            cas=chem.cas if rng.random() < 0.93 else "",
        )

    def lab_lines(self, rng: random.Random, currency: str = "USD") -> list[Line]:
        """One to four order lines."""
        roll = rng.random()
        count = 1 if roll < 0.6 else 2 if roll < 0.85 else 3 if roll < 0.95 else 4
        return [self.lab_line(rng, currency) for _ in range(count)]
