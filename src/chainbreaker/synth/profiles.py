"""The four manifest layouts: their columns, their record ids, and a draft's rows in them.

- postal: a CN23/ITMATT item, id an S10 item number with its check digit (`LX123456785CN`);
- express: a house manifest, id a house air waybill under a master AWB (`160-12345675`, check
  digit: serial mod 7) shared by the houses of one consolidation (same origin and destination);
- de_minimis: an ACE Entry Type 86 line, id the bill number, with an entry number in the
  filer-serial-check shape (check digit by Luhn here, not CBP's algorithm);
- order: a chemical vendor's order export, id the order number.

A record with several goods lines gives several rows repeating its id (and, in postal, its
totals). Values are per line in the record's currency.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from chainbreaker.synth.drafts import Draft, Who
from chainbreaker.synth.parties import between, pick
from chainbreaker.synth.vocab import DATA_DIR, read_yaml

__all__ = ["COLUMNS", "DAY", "NUMERIC", "PROFILES", "Layout", "s10_check_digit"]

#: The day the synthetic manifests describe.
DAY = date(2025, 6, 2)

PROFILES = ("postal", "express", "de_minimis", "order")


def _party(prefix: str, full: bool = True) -> list[str]:
    fields = ["name", "address", "city", "country", "phone", "email"] if full else []
    return [f"{prefix}_{f}" for f in fields]


COLUMNS: dict[str, tuple[str, ...]] = {
    "postal": (
        "item_id", "posting_date", "category", *_party("sender"), *_party("addressee"),
        "description", "quantity", "net_weight_kg", "value", "currency", "hs_code",
        "origin_country", "total_gross_weight_kg", "total_value",
    ),
    "express": (
        "hawb", "mawb", "ship_date", *_party("shipper"), *_party("consignee"), "description",
        "hs_code", "pieces", "weight_kg", "declared_value", "currency", "origin_airport",
        "destination_airport", "routing",
    ),
    "de_minimis": (
        "bill_number", "entry_number", "shipper_name", "shipper_address", "shipper_country",
        "consignee_name", "consignee_address", "consignee_country", "country_of_origin",
        "quantity", "fair_retail_value", "description", "hts_number", "port_of_entry",
    ),
    "order": (
        "order_id", "order_date", "buyer_name", "buyer_company_number", "buyer_address",
        "buyer_country", "buyer_email", "buyer_phone", "seller_name", "product", "cas_number",
        "quantity", "unit", "value", "currency", "ship_to_country",
    ),
}  # fmt: skip

#: Numeric columns (float) of each layout; every other column is text.
NUMERIC: dict[str, frozenset[str]] = {
    "postal": frozenset(
        {"quantity", "net_weight_kg", "value", "total_gross_weight_kg", "total_value"}
    ),
    "express": frozenset({"pieces", "weight_kg", "declared_value"}),
    "de_minimis": frozenset({"quantity", "fair_retail_value"}),
    "order": frozenset({"quantity", "value"}),
}

_S10_SERVICES = ("LX", "LY", "LP", "UA", "UB", "RB", "RR", "CP", "EE", "LZ")


def s10_check_digit(serial: str) -> int:
    """The UPU S10 check digit of an 8-digit serial number."""
    d = [int(ch) for ch in serial]
    total = 8 * d[0] + 6 * d[1] + 4 * d[2] + 2 * d[3] + 3 * d[4] + 5 * d[5] + 9 * d[6] + 7 * d[7]
    check = 11 - total % 11
    return 0 if check == 10 else 5 if check == 11 else check


def _luhn(digits: str) -> int:
    total = 0
    for i, d in enumerate(reversed(digits)):
        n = int(d) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return (10 - total % 10) % 10


def _number(value: float) -> float:
    """Integral quantities stay whole numbers in text (2.0 -> 2)."""
    return int(value) if float(value).is_integer() else value


class Layout:
    """Lays out drafts of one profile; `start_chunk` resets the per-chunk consolidations."""

    def __init__(self, profile: str, seed: int) -> None:
        routes = read_yaml(DATA_DIR / "routes.yaml")
        self.profile = profile
        self.airports: dict[str, list[str]] = routes["airports"]
        self.hubs: dict[str, list[str]] = routes["hubs"]
        self.region = {c: r for r, cs in routes["regions"].items() for c in cs}
        self.prefixes: dict[str, list[str]] = routes["awb_prefixes"]
        self.ports: list[str] = routes["ports_of_entry"]
        self.filers: list[str] = routes["filer_codes"]
        self.names: dict[str, str] = routes["country_names"]
        offset = random.Random(f"{seed}:{profile}:ids")
        self.offset = offset.randrange(10**8)
        self.consolidations: dict[tuple[str, str], list[Any]] = {}
        self.chunk = 0

    def start_chunk(self, chunk: int) -> None:
        """Begin a chunk: consolidations do not span chunks."""
        self.chunk = chunk
        self.consolidations = {}

    def rows(self, rng: random.Random, draft: Draft, index: int) -> tuple[str, list[list[Any]]]:
        """(record id, rows) of the draft as record `index` of its profile."""
        return getattr(self, f"_{self.profile}")(rng, draft, index)  # type: ignore[no-any-return]

    # --- layouts -----------------------------------------------------------------------------

    def _country(self, rng: random.Random, code: str) -> str:
        return self.names.get(code, code) if rng.random() < 0.1 else code

    def _postal(self, rng: random.Random, d: Draft, index: int) -> tuple[str, list[list[Any]]]:
        serial = f"{(index * 7919 + self.offset) % 10**8:08d}"
        item = f"{pick(rng, _S10_SERVICES)}{serial}{s10_check_digit(serial)}{d.sender.country}"
        posted = (DAY - timedelta(days=between(rng, 2, 6))).isoformat()
        s, r = d.sender, d.receiver
        head = [item, posted, d.category, s.name, s.address, s.city, self._country(rng, s.country)]
        head += [s.phone, s.email, r.name, r.address, r.city, self._country(rng, r.country)]
        head += [r.phone, r.email]
        net = sum(line.weight for line in d.lines)
        gross = round(net + rng.uniform(0.02, 0.15), 3)
        total = round(sum(line.value for line in d.lines), 2)
        hs_blank = d.category == "gift" and rng.random() < 0.5
        rows = [
            [*head, line.description, _number(line.quantity), line.weight, line.value,
             d.currency, "" if hs_blank else line.hs, line.origin, gross, total]
            for line in d.lines
        ]  # fmt: skip
        return item, rows

    def _route(self, rng: random.Random, d: Draft) -> tuple[str, str, str, str]:
        origin = pick(rng, self.airports[d.sender.country])
        destination = pick(rng, self.airports[d.receiver.country])
        key = (origin, destination)
        lane = self.consolidations.get(key)
        if lane is None or lane[1] <= 0:
            prefix = pick(rng, self.prefixes.get(d.sender.country, self.prefixes["default"]))
            serial = (self.chunk * 1009 + len(self.consolidations) * 7 + self.offset) % 10**7
            a = self.region.get(d.sender.country, "other")
            b = self.region.get(d.receiver.country, "other")
            hub = pick(rng, self.hubs.get(f"{a}>{b}", self.hubs["other"]))
            lane = [f"{prefix}-{serial:07d}{serial % 7}", between(rng, 20, 300), hub]
            self.consolidations[key] = lane
        lane[1] -= 1
        hub = d.via or lane[2]
        routing = "-".join(p for p in (origin, hub, destination) if p)
        return str(lane[0]), origin, destination, routing

    def _express(self, rng: random.Random, d: Draft, index: int) -> tuple[str, list[list[Any]]]:
        hawb = f"{(index * 7919 + self.offset * 101) % 10**10:010d}"
        mawb, origin, destination, routing = self._route(rng, d)
        shipped = (DAY - timedelta(days=between(rng, 0, 1))).isoformat()
        s, r = d.sender, d.receiver
        head = [hawb, mawb, shipped, s.name, s.address, s.city, s.country, s.phone, s.email]
        head += [r.name, r.address, r.city, r.country, r.phone, r.email]
        rows = [
            [*head, line.description, line.hs, _number(line.quantity), line.weight, line.value,
             d.currency, origin, destination, routing]
            for line in d.lines
        ]  # fmt: skip
        return hawb, rows

    def _de_minimis(self, rng: random.Random, d: Draft, index: int) -> tuple[str, list[list[Any]]]:
        serial = (index * 7919 + self.offset) % 10**7
        bill = f"{(index * 104729 + self.offset) % 10**12:012d}"
        entry = f"{pick(rng, self.filers)}-{serial:07d}-{_luhn(f'{serial:07d}')}"
        port = pick(rng, self.ports)
        s, r = d.sender, d.receiver
        head = [bill, entry, s.name, _joined(s), s.country, r.name, _joined(r), r.country]
        rows = []
        for line in d.lines:
            digits = "".join(ch for ch in line.hs if ch.isdigit())
            hts = (digits[:6] + "0000") if digits else ""
            rows.append(
                [*head, line.origin, _number(line.quantity), line.value, line.description, hts,
                 port]
            )  # fmt: skip
        return bill, rows

    def _order(self, rng: random.Random, d: Draft, index: int) -> tuple[str, list[list[Any]]]:
        order = f"SO-{DAY:%y%m%d}-{index + 1:07d}"
        b = d.receiver
        head = [order, DAY.isoformat(), b.name, b.company_number, _joined(b), b.country]
        head += [b.email, b.phone, d.sender.name]
        rows = [
            [*head, line.description, line.cas, _number(line.quantity), line.unit, line.value,
             d.currency, d.ship_to or b.country]
            for line in d.lines
        ]  # fmt: skip
        return order, rows


def _joined(who: Who) -> str:
    return ", ".join(p for p in (who.address, who.city) if p)
