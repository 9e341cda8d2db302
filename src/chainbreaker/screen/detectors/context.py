"""Cross-record facts: how many records share a consignee (per day, per address).

Some rules need facts about the whole input, not one record: "this consignee receives 12
parcels today". Those are counted in a first pass over ALL the input, before any record is
decided, so that the local and the Spark engines (which see the records in different batches
and orders) give identical decisions. A record contributes a few normalised *keys*
(`Context.keys`); the engine counts each key over the input (`context_from_batches` locally,
a group-by on Spark) and builds the `Context` with `Context.from_counts`.

Keys seen once are not stored (most consignees receive one parcel): `count` of a key that is
not stored is 1, since the rules only ask about keys of records that are in the input.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable, Mapping

import pyarrow as pa

from chainbreaker.screen.records import Party, Shipment
from chainbreaker.transliteration import ascii_words

__all__ = ["KEY_KINDS", "Context", "context_from_batches", "normal_key"]

#: The kinds of key a record contributes.
KEY_KINDS = ("consignee", "consignee_day", "address_day")


@functools.lru_cache(maxsize=16_384)
def normal_key(*parts: str | None) -> str:
    """Parts folded to ASCII lower-case words joined by single spaces ('' when all empty);
    a word is a run of letters a-z and digits.

    Cached: a record's consignee address is folded by the indicator detector and again for
    the context keys the rules read."""
    words: list[str] = []
    for part in parts:
        if part:
            words.extend(ascii_words(part))
    return " ".join(words)


class Context:
    """Counts of normalised keys over all the input records."""

    __slots__ = ("_counts",)

    def __init__(self, counts: dict[str, dict[str, int]] | None = None) -> None:
        self._counts: dict[str, dict[str, int]] = counts or {}

    @staticmethod
    def keys(shipment: Shipment) -> dict[str, str]:
        """The normalised keys a record contributes, by kind (none for a record without them).

        `consignee`: the consignee's name and address; `consignee_day`: that key and the date;
        `address_day`: the consignee's address (with city and country) and the date.
        """
        consignee = next((p for p in shipment.parties if p.role == "consignee"), None)
        if consignee is None:
            return {}
        out: dict[str, str] = {}
        name = normal_key(consignee.name)
        address = normal_key(consignee.address, consignee.city, consignee.country)
        if name:
            key = f"{name} | {address}"
            out["consignee"] = key
            if shipment.date:
                out["consignee_day"] = f"{key} | {shipment.date}"
        if consignee.address and address and shipment.date:
            out["address_day"] = f"{address} | {shipment.date}"
        return out

    @classmethod
    def from_counts(cls, counts: Mapping[str, Mapping[str, int]]) -> Context:
        """A context from key kind -> key -> number of records (keys counted once dropped)."""
        return cls(
            {kind: {k: n for k, n in keys.items() if n > 1} for kind, keys in counts.items()}
        )

    def count(self, kind: str, key: str) -> int:
        """How many input records contribute `key` of `kind` (1 for a key not stored)."""
        return self._counts.get(kind, {}).get(key, 1)

    def stores(self, kind: str) -> bool:
        """True when some key of that kind was counted more than once."""
        return bool(self._counts.get(kind))

    def __len__(self) -> int:
        return sum(len(keys) for keys in self._counts.values())

    def __repr__(self) -> str:
        sizes = ", ".join(f"{k}={len(v)}" for k, v in sorted(self._counts.items()))
        return f"Context({sizes})"


def context_from_batches(batches: Iterable[pa.RecordBatch]) -> Context:
    """The local first pass: count every record's keys over a stream of batches.

    Only the consignee columns and the date are read, so the pass is cheap; memory grows with
    the number of distinct keys.
    """
    counters: dict[str, Counter[str]] = {kind: Counter() for kind in KEY_KINDS}
    for batch in batches:
        for shipment in _light_shipments(batch):
            for kind, key in Context.keys(shipment).items():
                counters[kind][key] += 1
    return Context.from_counts(counters)


def _light_shipments(batch: pa.RecordBatch) -> Iterable[Shipment]:
    """Shipments carrying only what `Context.keys` reads (date and consignee)."""
    dates = batch.column("date").to_pylist()
    parties = batch.column("parties").to_pylist()
    for date, plist in zip(dates, parties, strict=True):
        consignee = next((p for p in plist or () if p and p.get("role") == "consignee"), None)
        yield Shipment(
            record_id="",
            profile="",
            source_file="",
            source_row=0,
            date=date,
            parties=(Party(**consignee),) if consignee else (),
        )
