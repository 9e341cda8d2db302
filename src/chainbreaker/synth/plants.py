"""Planted cases: which records of a chunk carry one, and how each kind is written.

Kinds (labels.csv): `disguised_precursor` (a controlled or designer precursor of the chem
catalog under a vague or false description, by CAS number only, or obfuscated, under a
catch-all or a wrong HS code), `fentanyl_analogue`, `listed_party` (a watch-list party under a
spelling variant), `indicator_reuse` (a value of the indicator file, exactly or in an
equivalent form) and `split_parcels` (one consignee, many small parcels of the same goods).
The disguises come from `data/plants.yaml`, each tied to a documented evasion.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from chainbreaker.chem.catalog import load_catalog
from chainbreaker.chem.models import Substance
from chainbreaker.synth.drafts import Draft, Line, Who
from chainbreaker.synth.goods import GoodsMaker, write_hs
from chainbreaker.synth.indicators import Indicator, written
from chainbreaker.synth.parties import PartyMaker, between, pick, weighted
from chainbreaker.synth.traffic import Traffic
from chainbreaker.synth.vocab import Vocab
from chainbreaker.synth.watchlist import Listed, Variants

__all__ = ["KINDS", "Group", "Planter"]

KINDS = (
    "disguised_precursor",
    "listed_party",
    "indicator_reuse",
    "split_parcels",
    "fentanyl_analogue",
)
_LEET = {"o": "0", "i": "1", "e": "3", "a": "4"}
_SUPPLIERS = ("CN", "CN", "CN", "CN", "HK", "HK", "IN")  # D3: origins of precursor seizures
_BUYERS = ("MX", "MX", "MX", "US", "US", "CA")


@dataclass(slots=True)
class Group:
    """A split-parcel group: one consignee, the goods on every parcel, the sender if shared."""

    id: str
    size: int
    receiver: Who
    text: str
    hs: str
    sender: Who | None


def obfuscate(rng: random.Random, name: str) -> str:
    """The name with digits for letters, its hyphens dropped, or its longest word spaced out."""
    way = rng.randrange(3)
    if way == 1 and "-" in name:
        return name.replace("-", "" if rng.random() < 0.5 else " ")
    if way == 2:
        words = name.split(" ")
        i = max(range(len(words)), key=lambda k: len(words[k]))
        if len(words[i]) >= 5:
            words[i] = " ".join(words[i])
            return " ".join(words)
    spots = [i for i, ch in enumerate(name) if ch.lower() in _LEET and i > 0]
    if not spots:
        return name.replace("-", " ")
    out = list(name)
    for i in rng.sample(spots, min(len(spots), pick(rng, (1, 2)))):
        out[i] = _LEET[out[i].lower()]
    return "".join(out)


class Planter:
    """Makes the planted drafts of each kind for a profile."""

    def __init__(
        self,
        vocab: Vocab,
        parties: PartyMaker,
        goods: GoodsMaker,
        listed: tuple[Listed, ...],
        indicators: tuple[Indicator, ...],
    ) -> None:
        plants = vocab.plants
        catalog = load_catalog()
        roles = set(plants["precursor_roles"])
        excluded = set(plants["analogue_excluded"])
        self.precursors = tuple(s for s in catalog.substances if s.role in roles)
        self.analogues = tuple(
            s
            for s in catalog.substances
            if s.role == "drug" and "fentan" in s.id and s.id not in excluded
        )
        self.parties = parties
        self.goods = goods
        self.listed = tuple(e for e in listed if e.planted)
        self.variants = Variants(vocab)
        self.indicators = indicators
        self.share = float(plants["share"])
        self.kinds = {p: weighted(k) for p, k in plants["kinds"].items()}
        self.vague = tuple(str(v["text"]) for v in plants["vague_chemical"])
        self.false_goods = tuple((str(v["text"]), str(v["hs"])) for v in plants["false_goods"])
        self.catch_all = tuple(plants["precursor_hs"]["catch_all"])
        self.own_hs = dict(plants["precursor_hs"]["own"])
        self.analogue_hs = tuple(plants["analogue_hs"])
        self.wrappers = tuple(plants["analogue_wrappers"])
        self.modes = weighted(plants["precursor_modes"])
        self.cas_cues = tuple(plants["cas_cues"])
        self.via = tuple(plants["transshipment_airports"])
        self.group_size = tuple(int(x) for x in plants["split_group"])
        self.mean_group = sum(self.group_size) / 2
        self.split_goods = tuple((str(v["text"]), str(v["hs"])) for v in plants["split_goods"])

    # --- the plan of a chunk -----------------------------------------------------------------

    def plan(
        self, rng: random.Random, profile: str, n: int, tag: str
    ) -> tuple[list[str], list[Group | None]]:
        """The kind planted in each of the chunk's n records ('' when clean) and its group."""
        kinds = [""] * n
        groups: list[Group | None] = [None] * n
        count = min(n, int(n * self.share + rng.random()))
        slots = rng.sample(range(n), count)
        at = 0
        group_no = 0
        while at < count:
            kind = pick(rng, self.kinds[profile])
            left = count - at
            if kind == "split_parcels":
                # the weights are shares of planted records: a group takes several records
                if left < self.group_size[0] or rng.random() * self.mean_group > 1:
                    continue
                size = min(left, between(rng, *self.group_size))
                group = self.new_group(rng, profile, f"{tag}-g{group_no}", size)
                group_no += 1
                for slot in slots[at : at + size]:
                    kinds[slot], groups[slot] = kind, group
                at += size
                continue
            kinds[slots[at]] = kind
            at += 1
        return kinds, groups

    def new_group(self, rng: random.Random, profile: str, gid: str, size: int) -> Group:
        """A split-parcel group: its consignee and goods."""
        code = "US" if profile == "de_minimis" else pick(rng, ("US", "US", "MX", "MX", "CA"))
        text, hs = pick(rng, self.split_goods)
        sender = self.supplier(rng) if rng.random() < 0.5 else None
        return Group(gid, size, self.parties.person(rng, code), text, hs, sender)

    # --- parts -------------------------------------------------------------------------------

    def supplier(self, rng: random.Random, code: str = "") -> Who:
        """A sender in a supplier country (D3: China, Hong Kong, India)."""
        code = code or pick(rng, _SUPPLIERS)
        if rng.random() < 0.7:
            return self.parties.company(rng, code)
        return self.parties.person(rng, code)

    def precursor_line(self, rng: random.Random, profile: str, currency: str) -> tuple[Line, str]:
        """A line carrying a disguised precursor, and the label's detail."""
        s = pick(rng, self.precursors)
        mode = pick(rng, self.modes)
        if not s.cas and mode in ("cas_only", "false_with_cas"):
            mode = "obfuscated"
        cue = pick(rng, self.cas_cues).format(cas=s.cas)
        false_text, false_hs = pick(rng, self.false_goods)
        if mode == "name":
            text = _names(s)[rng.randrange(len(_names(s)))]
            hs = self.own_hs.get(s.id) or pick(rng, self.catch_all)
        elif mode == "cas_only":
            text = cue + pick(rng, ("", " 99%", ", white powder", " 99% purity"))
            hs = pick(rng, self.catch_all)
        elif mode == "obfuscated":
            text = obfuscate(rng, pick(rng, _names(s)))
            hs = pick(rng, self.catch_all) if rng.random() < 0.6 else false_hs
        elif mode == "vague_catch_all":
            text, hs = pick(rng, self.vague), "293339"
        else:
            text, hs = f"{false_text}, {cue}", false_hs
        rate = self.parties.usd_rates.get(currency, 1.0)
        if profile == "order":
            kg = between(rng, 1, 25)
            line = Line(
                text, "", kg, "kg", kg * 1.1, round(kg * rng.uniform(80, 400) * rate, 2), ""
            )
            if mode in ("name", "cas_only", "false_with_cas") and s.cas:
                line.cas = s.cas if (mode != "name" or rng.random() < 0.7) else ""
            if mode in ("cas_only", "false_with_cas"):
                line.description = (
                    text.split(",")[0] if mode == "false_with_cas" else pick(rng, self.vague)
                )
        else:
            low, high = {"postal": (0.5, 2.0), "express": (1.0, 20.0)}.get(profile, (0.5, 3.0))
            weight = round(rng.uniform(low, high), 3)
            value = round(rng.uniform(5, 60) * rate, 2)
            line = Line(text, write_hs(rng, hs), 1, "pcs", weight, value, "CN")
        written_as = line.description + (f" + CAS column {line.cas}" if line.cas else "")
        detail = f"{s.name} (CAS {s.cas or 'none'}) written '{written_as}'"
        if line.hs:
            detail += f" under HS {line.hs}"
        return line, f"{detail} [{mode}]"

    def analogue_line(self, rng: random.Random, profile: str, currency: str) -> tuple[Line, str]:
        """A line carrying a fentanyl analogue, and the label's detail."""
        s = pick(rng, self.analogues)
        names = [n for n in (s.name, *s.synonyms) if len(n) <= 40]
        text = pick(rng, self.wrappers).format(name=pick(rng, names))
        rate = self.parties.usd_rates.get(currency, 1.0)
        grams = pick(rng, (1, 2, 5, 10, 25, 50))
        value = round(grams * rng.uniform(5, 40) * rate, 2)
        if profile == "order":
            line = Line(text, "", grams, "g", grams / 1000, value, "", s.cas or "")
            if rng.random() < 0.5:
                line.cas = ""
        else:
            hs = write_hs(rng, pick(rng, self.analogue_hs))
            line = Line(text, hs, 1, "pcs", round(grams / 1000 + 0.05, 3), value, "CN")
        cas = f" + CAS column {line.cas}" if line.cas else ""
        where = f" under HS {line.hs}" if line.hs else ""
        return line, f"{s.name} (CAS {s.cas or 'none'}) written '{text}'{cas}{where}"

    def cover_goods(self, rng: random.Random, sender: str, currency: str) -> list[Line]:
        """Goods of a record whose planted signal is its party: ordinary, or a vague chemical."""
        if rng.random() < 0.5:
            return self.goods.lines(rng, sender, currency)
        rate = self.parties.usd_rates.get(currency, 1.0)
        text = pick(rng, self.vague)
        value = round(rng.uniform(5, 60) * rate, 2)
        return [Line(text, write_hs(rng, pick(rng, self.catch_all)), 1, "pcs", 1.2, value, sender)]

    # --- planted drafts ----------------------------------------------------------------------

    def make(
        self, rng: random.Random, profile: str, kind: str, group: Group | None, traffic: Traffic
    ) -> Draft:
        """The planted draft of `kind` for `profile`."""
        if kind == "split_parcels" and group is not None:
            return self.split(rng, profile, group)
        if kind == "listed_party":
            return self.listed_party(rng, profile, traffic)
        if kind == "indicator_reuse":
            return self.indicator(rng, profile, traffic)
        return self.chemical(rng, profile, kind, traffic)

    def _receiver(self, rng: random.Random, profile: str, traffic: Traffic) -> Who:
        code = "US" if profile == "de_minimis" else pick(rng, _BUYERS)
        if profile == "order":
            return self.parties.company(rng, code, with_number=True)
        return traffic.receiver(rng, code)

    def chemical(self, rng: random.Random, profile: str, kind: str, traffic: Traffic) -> Draft:
        """A disguised precursor or a fentanyl analogue."""
        receiver = self._receiver(rng, profile, traffic)
        if profile == "order":
            sender = pick(rng, traffic.sellers) if rng.random() < 0.5 else self.supplier(rng)
            currency = "USD"
        else:
            sender = self.supplier(rng)
            currency = (
                "USD" if profile == "de_minimis" else self.parties.currency(rng, sender.country)
            )
        make = self.precursor_line if kind == "disguised_precursor" else self.analogue_line
        line, detail = make(rng, profile, currency)
        lines = [line]
        if profile != "order" and rng.random() < 0.2:  # hidden among ordinary goods
            lines.append(self.goods.line(rng, sender.country, currency, vague=0.0))
        via = ""
        if profile == "express" and receiver.country == "MX" and rng.random() < 0.4:
            via = pick(rng, self.via)
            detail += f", routed via {via}"
        return Draft(
            sender,
            receiver,
            lines,
            currency,
            pick(rng, ("gift", "commercial sample", "sale of goods")),
            via=via,
            ship_to=receiver.country,
            kind=kind,
            detail=detail,
        )

    def listed_party(self, rng: random.Random, profile: str, traffic: Traffic) -> Draft:
        """A record whose shipper, consignee, buyer or seller is a listed party, misspelt."""
        entry = pick(rng, self.listed)
        name, how = self.variants.written(rng, entry)
        supplier_side = entry.country in ("CN", "HK", "IN")
        if profile == "order":
            role = "seller" if supplier_side and entry.culture == "entity" else "buyer"
        else:
            role = "shipper" if supplier_side else "consignee"
        if role in ("shipper", "seller"):
            sender = self.supplier(rng, entry.country)
            sender.name = name
            receiver = self._receiver(rng, profile, traffic)
        else:
            code = "US" if profile == "de_minimis" else entry.country
            receiver = self.parties.person(rng, code)
            receiver.name = name
            if profile == "order":
                receiver.company_number = ""
            sender = pick(rng, traffic.sellers) if profile == "order" else self.supplier(rng)
        currency = (
            "USD"
            if profile in ("de_minimis", "order")
            else self.parties.currency(rng, sender.country)
        )
        detail = f"listed {entry.id} '{entry.name}' written '{name}' ({how}) as {role}"
        return self._covered(rng, profile, sender, receiver, currency, "listed_party", detail)

    def indicator(self, rng: random.Random, profile: str, traffic: Traffic) -> Draft:
        """A record carrying a value of the indicator file."""
        fields = {
            "de_minimis": ("address", "name"),
            "order": ("address", "phone", "email", "company_number", "name"),
        }.get(profile, ("address", "phone", "email", "name"))
        usable = [
            i
            for i in self.indicators
            if i.kind in fields and not (profile == "de_minimis" and i.country == "MX")
        ]
        ind = pick(rng, usable)
        value, how = written(rng, ind)
        supplier_side = ind.country in ("CN", "HK", "IN")
        party = (
            self.supplier(rng, ind.country)
            if supplier_side
            else self.parties.person(rng, ind.country)
        )
        if profile == "order":
            party = self.parties.company(rng, ind.country, with_number=True)
        if ind.kind == "address":
            party.address, party.city = value, ind.city or party.city
        elif ind.kind == "phone":
            party.phone = value
        elif ind.kind == "email":
            party.email = value
        elif ind.kind == "company_number":
            party.company_number = value
        else:
            party.name = value
        if profile == "order":
            role, sender, receiver = "buyer", pick(rng, traffic.sellers), party
        elif supplier_side:
            role, sender, receiver = "shipper", party, self._receiver(rng, profile, traffic)
        else:
            role, sender, receiver = "consignee", self.supplier(rng), party
        currency = (
            "USD"
            if profile in ("de_minimis", "order")
            else self.parties.currency(rng, sender.country)
        )
        detail = f"{ind.kind} '{ind.value}' ({ind.source}) written '{value}' ({how}) on {role}"
        return self._covered(rng, profile, sender, receiver, currency, "indicator_reuse", detail)

    def _covered(
        self,
        rng: random.Random,
        profile: str,
        sender: Who,
        receiver: Who,
        currency: str,
        kind: str,
        detail: str,
    ) -> Draft:
        """A sale of ordinary goods (lab chemicals for an order) carrying a planted party."""
        lines = (
            self.goods.lab_lines(rng, currency)
            if profile == "order"
            else self.cover_goods(rng, sender.country, currency)
        )
        return Draft(
            sender,
            receiver,
            lines,
            currency,
            "sale of goods",
            ship_to=receiver.country,
            kind=kind,
            detail=detail,
        )

    def split(self, rng: random.Random, profile: str, group: Group) -> Draft:
        """One parcel of a split-parcel group."""
        sender = group.sender or self.supplier(rng)
        currency = "USD"
        weight = round(rng.uniform(0.1, 0.5), 3)
        value = round(rng.uniform(2, 15), 2)
        line = Line(group.text, write_hs(rng, group.hs), 1, "pcs", weight, value, sender.country)
        detail = (
            f"group {group.id}: {group.size} parcels of '{group.text}' to '{group.receiver.name}'"
        )
        return Draft(
            sender,
            group.receiver,
            [line],
            currency,
            pick(rng, ("gift", "sale of goods")),
            kind="split_parcels",
            detail=detail,
        )


def _names(s: Substance) -> list[str]:
    """The names a seller would write for a substance (short enough for a manifest line)."""
    names = [n for n in s.synonyms if len(n) <= 45]
    if "(" not in s.name:
        names.append(s.name)
    return names or [s.name]
