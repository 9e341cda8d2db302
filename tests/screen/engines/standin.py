"""A small stand-in pipeline and reader with the real ones' methods, for the engine tests.

Reader: a CSV of `id,consignee,description,date` rows; a row without an id is a bad record.
Context: one key per record, the consignee's name and date ("the same consignee that day").
Pipeline: "fentanyl" in a description is a hit of 0.9 (hold); a consignee with 3 or more
records that day is a hit of 0.5 (review); the risk is the best hit's score.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from chainbreaker.screen.models import BadRecord, Decision, Hit
from chainbreaker.screen.records import (
    GoodsLine,
    Party,
    Shipment,
    batch_from_shipments,
    shipments_from_batch,
)

MODULE = __name__


@dataclass(frozen=True)
class StandinConfig:
    hold: float = 0.8
    review: float = 0.4
    lists: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReadResult:
    batch: pa.RecordBatch
    bad: list[BadRecord] = field(default_factory=list)
    rows_read: int = 0
    bytes_read: int = 0


def read_records(
    path: Path, *, profile: str | None = None, mapping: Any = None, batch_size: int = 10_000
) -> Iterator[ReadResult]:
    with Path(path).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    size = Path(path).stat().st_size
    for start in range(0, len(rows), batch_size):
        chunk = rows[start : start + batch_size]
        good: list[Shipment] = []
        bad: list[BadRecord] = []
        for number, row in enumerate(chunk, start=start + 1):
            if not row["id"]:
                bad.append(BadRecord(str(path), number, "id", "no record id"))
                continue
            good.append(
                Shipment(
                    record_id=row["id"],
                    profile=profile or "postal",
                    source_file=str(path),
                    source_row=number,
                    date=row["date"] or None,
                    parties=(Party("consignee", name=row["consignee"]),),
                    goods=(GoodsLine(description=row["description"]),),
                )
            )
        so_far = size * (start + len(chunk)) // len(rows)  # bytes from the start of the file
        yield ReadResult(batch_from_shipments(good), bad, len(chunk), so_far)


class Context:
    def __init__(self, counts: Mapping[str, Mapping[str, int]] | None = None) -> None:
        self.counts = {kind: dict(keys) for kind, keys in (counts or {}).items()}

    @staticmethod
    def keys(shipment: Shipment) -> dict[str, str]:
        names = [p.name for p in shipment.parties if p.role == "consignee" and p.name]
        if not names:
            return {}
        return {"consignee_day": f"{names[0].lower()}|{shipment.date}"}

    @classmethod
    def from_counts(cls, counts: Mapping[str, Mapping[str, int]]) -> Context:
        return cls(counts)

    def count(self, shipment: Shipment) -> int:
        keys = self.keys(shipment)
        if "consignee_day" not in keys:
            return 0
        return self.counts.get("consignee_day", {}).get(keys["consignee_day"], 0)


class Pipeline:
    def __init__(self, config: StandinConfig, context: Context | None = None) -> None:
        for path in config.lists:  # as the real pipeline loads its lists
            Path(path).read_bytes()
        self.config = config
        self.context = context or Context()
        self.version = "standin-1"

    def decide_batch(self, batch: pa.RecordBatch) -> list[Decision]:
        return [self._decide(s) for s in shipments_from_batch(batch)]

    def _decide(self, s: Shipment) -> Decision:
        hits: list[Hit] = []
        for i, line in enumerate(s.goods):
            if "fentanyl" in (line.description or "").lower():
                hits.append(
                    Hit(
                        "chemical",
                        "chem.controlled_mention",
                        0.9,
                        "mentions fentanyl",
                        f"goods[{i}].description",
                        {"span": [0, 8], "text": line.description},
                    )
                )
        seen = self.context.count(s)
        if seen >= 3:
            hits.append(
                Hit("rule", "rule.repeated_consignee", 0.5, f"{seen} parcels that day", None)
            )
        risk = max((h.score for h in hits), default=0.0)
        verdict = (
            "hold"
            if risk >= self.config.hold
            else "review"
            if risk >= self.config.review
            else "clear"
        )
        return Decision(
            s.record_id, s.profile, s.source_file, s.source_row, risk, verdict, tuple(hits)
        )
