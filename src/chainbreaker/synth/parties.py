"""Fake parties: names, addresses, phones, e-mails and company numbers by country.

Names are drawn from the common given names and surnames of each naming culture
(`data/parties.yaml`), so a generated name is no one in particular; names that would coincide
with a listed party of the synthetic watch list are drawn again, so that only planted records
carry listed names. Phones use fictional ranges where a country has one; e-mails use the
reserved `.example` domain.
"""

from __future__ import annotations

import functools
import random
import string
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from chainbreaker.synth.drafts import Who
from chainbreaker.synth.vocab import Vocab

__all__ = ["PartyMaker", "between", "fill", "pick", "weighted"]

_T = TypeVar("_T")
_LETTERS = string.ascii_uppercase
_ALNUM = string.digits + string.ascii_uppercase


def weighted(table: dict[str, Any]) -> tuple[str, ...]:
    """The keys of a {key: weight} table, each repeated by its weight (for rng.choice)."""
    return tuple(key for key, weight in table.items() for _ in range(int(weight)))


def pick(rng: random.Random, seq: Sequence[_T]) -> _T:
    """A random element (rng.choice, about three times faster)."""
    return seq[int(rng.random() * len(seq))]


def between(rng: random.Random, low: int, high: int) -> int:
    """A random integer from low to high inclusive (rng.randint, faster)."""
    return low + int(rng.random() * (high - low + 1))


@functools.lru_cache(maxsize=2048)
def _digit_format(pattern: str) -> tuple[str, int] | None:
    """(the pattern as a format string with {} for each #, the number of #), when # is its
    only placeholder."""
    if "@" in pattern or "%" in pattern:
        return None
    escaped = pattern.replace("{", "{{").replace("}", "}}")
    return escaped.replace("#", "{}"), pattern.count("#")


@functools.lru_cache(maxsize=256)
def _fields(pattern: str) -> tuple[str, ...]:
    """The names of the {fields} of a format pattern, in order, each once."""
    names = [f for _, f, _, _ in string.Formatter().parse(pattern) if f]
    return tuple(dict.fromkeys(names))


def fill(rng: random.Random, pattern: str) -> str:
    """The pattern with each # replaced by a digit, @ by a letter, % by a digit or letter."""
    compiled = _digit_format(pattern)
    if compiled is not None:
        template, count = compiled
        if not count:
            return pattern
        return template.format(*f"{int(rng.random() * 10**count):0{count}d}")
    out = []
    for ch in pattern:
        if ch == "#":
            out.append(_ALNUM[int(rng.random() * 10)])
        elif ch == "@":
            out.append(_LETTERS[int(rng.random() * 26)])
        elif ch == "%":
            out.append(_ALNUM[int(rng.random() * 36)])
        else:
            out.append(ch)
    return "".join(out)


@dataclass(frozen=True, slots=True)
class _Country:
    code: str
    culture: str
    streets: tuple[str, ...]
    districts: tuple[str, ...]
    suffixes: tuple[str, ...]
    addresses: tuple[str, ...]
    cities: tuple[tuple[str, str, str], ...]  # name, postcode pattern, area code
    city: str
    phone: str
    mobile: tuple[str, ...]
    company_culture: str
    company_number: str
    currencies: tuple[str, ...]


class PartyMaker:
    """Makes fake persons and companies for a country; deterministic for a given rng."""

    def __init__(self, vocab: Vocab, reserved: set[tuple[str, str]] | None = None) -> None:
        raw = vocab.parties
        self.cultures: dict[str, Any] = raw["cultures"]
        self.companies: dict[str, Any] = raw["companies"]
        self.reserved = reserved or set()
        self.cn_surnames = tuple(self.cultures["cn"]["surnames"])
        self.cn_syllables = tuple(self.cultures["cn"]["syllables"])
        self.domains: dict[str, tuple[str, ...]] = {
            k: tuple(v) for k, v in raw["email_domains"].items()
        }
        self.usd_rates: dict[str, float] = {k: float(v) for k, v in raw["usd_rates"].items()}
        currencies = raw["currencies"]
        self.countries: dict[str, _Country] = {}
        for code, c in raw["countries"].items():
            culture = str(c["culture"])
            self.countries[code] = _Country(
                code=code,
                culture=culture,
                streets=tuple(c["streets"]),
                districts=tuple(c.get("districts", ("Centro",))),
                suffixes=tuple(c.get("suffixes", ("",))),
                addresses=tuple(c["address"]),
                cities=tuple(
                    (str(x[0]), str(x[1]), str(x[2]) if len(x) > 2 else "") for x in c["cities"]
                ),
                city=str(c["city"]),
                phone=str(c["phone"]),
                mobile=tuple(str(m) for m in c.get("mobile", ("",))),
                company_culture=culture if culture in self.companies else "en",
                company_number=str(raw["company_numbers"].get(code, "##########")),
                currencies=weighted(currencies.get(code, currencies["default"])),
            )
        self.senders = weighted(raw["senders"])
        self.consignees = weighted(raw["consignees"])
        self.buyers = weighted(raw["buyers"])

    # --- names -------------------------------------------------------------------------------

    def cn_given(self, rng: random.Random) -> list[str]:
        """One or two pinyin syllables of a given name."""
        first = pick(rng, self.cn_syllables)
        if rng.random() < 0.2:
            return [first]
        return [first, pick(rng, self.cn_syllables)]

    def person_name(self, rng: random.Random, culture: str) -> str:
        """A person's name as a sender writes it, never one of the reserved (listed) names."""
        for _ in range(20):
            if culture == "cn":
                surname = pick(rng, self.cn_surnames)
                given = "".join(self.cn_given(rng)).capitalize()
                if (surname.lower(), given.lower()) in self.reserved:
                    continue
                roll = rng.random()
                if roll < 0.45:
                    return f"{given} {surname}"
                if roll < 0.9:
                    return f"{surname} {given}"
                return f"{surname.upper()} {given}"
            pools = self.cultures[culture]
            given = pick(rng, pools["given"])
            surname = pick(rng, pools["surnames"])
            if culture == "es":
                surname = f"{surname} {pick(rng, pools['surnames'])}"
                if rng.random() < 0.3:
                    surname = surname.split(" ")[0]
            if (surname.lower(), given.lower()) in self.reserved:
                continue
            return f"{given} {surname}"
        return "Li Na"

    def company_name(self, rng: random.Random, country: _Country, city: str) -> tuple[str, str]:
        """A company name in the country's style, and its distinctive word."""
        table = self.companies[country.company_culture]
        word = pick(rng, table["words"])
        name = str(table["pattern"]).format(
            city=city.split(" ")[0],
            word=word,
            activity=pick(rng, table["activities"]),
            form=pick(rng, table["forms"]),
        )
        return name.strip(), word

    # --- contact details ---------------------------------------------------------------------

    def place(self, rng: random.Random, code: str) -> tuple[str, str, str]:
        """(street address, city line, area code) of a random place in the country."""
        c = self.countries[code]
        city, postcode, area = pick(rng, c.cities)
        pattern = pick(rng, c.addresses)
        values: dict[str, object] = {}
        for name in _fields(pattern):
            if name == "n":
                values[name] = between(rng, 1, 2999 if code in ("US", "CA") else 260)
            elif name == "m":
                values[name] = (
                    between(rng, 1, 40) if rng.random() < 0.5 else between(rng, 101, 2508)
                )
            elif name == "b":
                values[name] = between(rng, 1, 12)
            elif name == "floor":
                values[name] = between(rng, 1, 30)
            elif name == "street":
                values[name] = pick(rng, c.streets)
            elif name == "suffix":
                values[name] = pick(rng, c.suffixes)
            else:
                values[name] = pick(rng, c.districts)
        line = c.city.format(city=city, postcode=fill(rng, postcode)).strip()
        return pattern.format(**values), line, area

    def phone(self, rng: random.Random, code: str, area: str = "") -> str:
        """A phone number in the country's format (fictional ranges for NANP and the UK)."""
        c = self.countries[code]
        pattern = c.phone.replace("{area}", area or "55").replace("{mobile}", pick(rng, c.mobile))
        return fill(rng, pattern)

    def email(self, rng: random.Random, name: str, code: str, domain: str = "") -> str:
        """An e-mail address made from the name, on a reserved `.example` domain."""
        words = [w for w in name.lower().replace(",", " ").split() if w.isascii() and w.isalpha()]
        local = ".".join(words[:2]) if words and rng.random() < 0.6 else (words or ["user"])[0]
        if rng.random() < 0.6:
            local += str(between(rng, 1, 9999))
        if not domain:
            pool = self.domains["cn"] if code in ("CN", "HK") else self.domains["default"]
            domain = pick(rng, pool)
        return f"{local}@{domain}"

    def company_number(self, rng: random.Random, code: str) -> str:
        """A company registration number in the country's shape (not a real number)."""
        return fill(rng, self.countries[code].company_number)

    def currency(self, rng: random.Random, code: str) -> str:
        """The currency a sender in the country declares in."""
        return pick(rng, self.countries[code].currencies)

    # --- parties -----------------------------------------------------------------------------

    def person(self, rng: random.Random, code: str) -> Who:
        """A fake private person living in the country."""
        c = self.countries[code]
        name = self.person_name(rng, c.culture)
        address, city, area = self.place(rng, code)
        email = self.email(rng, name, code) if rng.random() < 0.85 else ""
        return Who(name, address, city, code, self.phone(rng, code, area), email)

    def company(self, rng: random.Random, code: str, with_number: bool = False) -> Who:
        """A fake company established in the country."""
        c = self.countries[code]
        address, city, area = self.place(rng, code)
        name, word = self.company_name(rng, c, city)
        domain = "".join(ch for ch in word.lower() if ch.isascii() and ch.isalpha()) + ".example"
        email = self.email(rng, pick(rng, ("sales", "info", "order", "service")), code, domain)
        number = self.company_number(rng, code) if with_number else ""
        return Who(name, address, city, code, self.phone(rng, code, area), email, number)

    def pick(self, rng: random.Random, table: Sequence[str]) -> str:
        """A country code from a weighted table (`senders`, `consignees`, `buyers`)."""
        return pick(rng, table)
