"""Reading a file the tests wrote into shipments and bad rows."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from chainbreaker.screen.models import BadRecord
from chainbreaker.screen.readers import ReadResult, read_records
from chainbreaker.screen.records import Shipment, shipments_from_batch


def read_all(path: Path, **options: Any) -> tuple[list[Shipment], list[BadRecord]]:
    """Every record and bad row of a file."""
    shipments: list[Shipment] = []
    bad: list[BadRecord] = []
    for result in read_records(path, **options):
        shipments.extend(shipments_from_batch(result.batch))
        bad.extend(result.bad)
    return shipments, bad


def results(path: Path, **options: Any) -> list[ReadResult]:
    """The ReadResults of a file."""
    return list(read_records(path, **options))


def write_csv(path: Path, rows: list[list[Any]], delimiter: str = ",") -> Path:
    """A CSV file (first row the header)."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, delimiter=delimiter).writerows(rows)
    return path
