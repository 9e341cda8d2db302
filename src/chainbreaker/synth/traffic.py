"""Clean records: the day's ordinary parcels and lab orders, per profile.

Senders are mostly companies (marketplace shops) when in China or Hong Kong, mixed elsewhere;
consignees are mostly private persons in the destination market. A small share of consignees
receive two or three parcels in the day with different goods, as real buyers do: the
repeated-consignee rule must tell them from planted split parcels. A de minimis entry is always
for a consignee in the United States (ACE Entry Type 86 is a US entry).
"""

from __future__ import annotations

import random

from chainbreaker.synth.drafts import Draft, Who
from chainbreaker.synth.goods import GoodsMaker
from chainbreaker.synth.parties import PartyMaker, pick

__all__ = ["CATEGORIES", "Traffic"]

#: CN23 categories of item with their shares in the day's clean parcels.
CATEGORIES = (
    ("sale of goods", 78),
    ("gift", 12),
    ("commercial sample", 5),
    ("returned goods", 2),
    ("other", 3),
)
_CATEGORY_POOL = tuple(name for name, weight in CATEGORIES for _ in range(weight))
_REPEAT_SHARE = 0.02  # clean parcels whose consignee already received one today
_REPEAT_MAX = 3


class Traffic:
    """Makes clean drafts; one instance per chunk keeps that chunk's repeat consignees."""

    def __init__(self, parties: PartyMaker, goods: GoodsMaker, sellers: list[Who]) -> None:
        self.parties = parties
        self.goods = goods
        self.sellers = sellers
        self.recent: list[Who] = []
        self.uses: dict[int, int] = {}

    def sender(self, rng: random.Random, code: str) -> Who:
        """A shop or a private sender in `code`."""
        company_share = 0.65 if code in ("CN", "HK") else 0.4
        if rng.random() < company_share:
            return self.parties.company(rng, code)
        return self.parties.person(rng, code)

    def receiver(self, rng: random.Random, code: str) -> Who:
        """A consignee in `code`: a person mostly; sometimes one who already got a parcel."""
        if self.recent and rng.random() < _REPEAT_SHARE:
            who = pick(rng, self.recent)
            if who.country == code:
                count = self.uses.get(id(who), 1) + 1
                self.uses[id(who)] = count
                if count >= _REPEAT_MAX:
                    self.recent.remove(who)
                return who
        who = (
            self.parties.company(rng, code)
            if rng.random() < 0.08
            else self.parties.person(rng, code)
        )
        self.recent.append(who)
        if len(self.recent) > 200:
            self.recent.pop(0)
        return who

    def countries(self, rng: random.Random, profile: str) -> tuple[str, str]:
        """(sender country, consignee country) of a clean parcel, never the same."""
        parties = self.parties
        while True:
            sender = parties.pick(rng, parties.senders)
            receiver = "US" if profile == "de_minimis" else parties.pick(rng, parties.consignees)
            if sender != receiver:
                return sender, receiver

    def parcel(self, rng: random.Random, profile: str) -> Draft:
        """A clean postal item, express consignment or de minimis shipment."""
        origin, destination = self.countries(rng, profile)
        currency = "USD" if profile == "de_minimis" else self.parties.currency(rng, origin)
        lines = self.goods.lines(rng, origin, currency)
        if profile == "de_minimis":
            total = sum(line.value for line in lines)
            if total > 800:  # Section 321: fair retail value at most $800 per person per day
                lines = lines[:1]
        return Draft(
            sender=self.sender(rng, origin),
            receiver=self.receiver(rng, destination),
            lines=lines,
            currency=currency,
            category=pick(rng, _CATEGORY_POOL),
        )

    def order(self, rng: random.Random) -> Draft:
        """A clean lab order: a lab or company buying ordinary reagents."""
        parties = self.parties
        seller = pick(rng, self.sellers)
        code = parties.pick(rng, parties.buyers)
        if rng.random() < 0.85:
            buyer = parties.company(rng, code, with_number=True)
        else:
            buyer = parties.person(rng, code)
        currency = parties.currency(rng, seller.country)
        ship_to = code if rng.random() < 0.97 else parties.pick(rng, parties.buyers)
        return Draft(
            sender=seller,
            receiver=buyer,
            lines=self.goods.lab_lines(rng, currency),
            currency=currency,
            ship_to=ship_to,
        )


def make_sellers(rng: random.Random, parties: PartyMaker, count: int = 12) -> list[Who]:
    """The marketplace's chemical sellers (made once per run from the seed)."""
    codes = ("DE", "US", "US", "IN", "CN", "GB", "DE", "US", "IN", "CN", "FR", "US")
    return [parties.company(rng, codes[i % len(codes)], with_number=True) for i in range(count)]
