"""What an engine needs from the pipeline, in a form that travels to worker processes.

Engines never hold a pipeline object across processes: they hold a `PipelineSpec` (the module
that defines `Pipeline` and `Context`), the picklable `ScreenConfig` and the context's key counts,
and every worker builds its own pipeline from those once.
"""

from __future__ import annotations

import importlib
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Protocol

import pyarrow as pa

from chainbreaker.collector import collector_paused, freeze_loaded
from chainbreaker.screen.models import Decision
from chainbreaker.screen.records import Shipment, parties_by_record, shipments_from_batch

#: Fields `PipelineSpec.key_fields` may name (the others need whole records).
_LIGHT_FIELDS = frozenset(
    {"date", "category", "origin_country", "destination_country", "master_id", "parties"}
)

#: Cross-record key counts: {kind: {key: number of records}} (the Context's whole state).
KeyCounts = dict[str, dict[str, int]]


class BatchPipeline(Protocol):
    """The part of `chainbreaker.screen.pipeline.Pipeline` the engines use."""

    @property
    def version(self) -> str: ...

    def decide_batch(self, batch: pa.RecordBatch) -> list[Decision]: ...


@dataclass(frozen=True, slots=True)
class PipelineSpec:
    """The module defining `Pipeline(config, context)` and `Context` (keys, from_counts)."""

    module: str = "chainbreaker.screen.pipeline"
    #: The record fields `Context.keys` reads; the first pass fills only these.
    key_fields: tuple[str, ...] = ("date", "parties")

    def _load(self) -> ModuleType:
        return importlib.import_module(self.module)

    def build(self, config: Any, counts: Mapping[str, Mapping[str, int]]) -> BatchPipeline:
        """A pipeline for `config` whose context holds `counts`."""
        module = self._load()
        # Loading the lists and the catalog makes a million objects that all live on: with the
        # collector on, their allocation set off hundreds of collections walking them (about a
        # second per worker with the OFAC list). One collection once they are loaded frees any
        # cycle, and what lives on is then frozen out of the collector's sight: the pipeline's
        # tables live as long as the process (a few % of deciding a record).
        with collector_paused():
            context = module.Context.from_counts(counts)
            pipeline: BatchPipeline = module.Pipeline(config, context)
        freeze_loaded()
        return pipeline

    def minimums(self, config: Any) -> dict[str, int] | None:
        """The least count a key of each kind needs to be kept (the module's
        `context_minimums(config)`; None when it has none: keep every key counted twice+)."""
        module = self._load()
        if not hasattr(module, "context_minimums"):
            return None
        found: dict[str, int] = module.context_minimums(config)
        return found

    def key_counts(self, batch: pa.RecordBatch) -> KeyCounts:
        """How many records of `batch` share each context key, by kind."""
        keys = self._load().Context.keys
        counts: dict[str, Counter[str]] = {}
        with collector_paused():  # records and keys made and dropped: no cycles
            for shipment in self._key_shipments(batch):
                for kind, key in keys(shipment).items():
                    counts.setdefault(kind, Counter())[key] += 1
            return {kind: dict(counter) for kind, counter in counts.items()}

    def _key_shipments(self, batch: pa.RecordBatch) -> Iterator[Shipment]:
        """Records with only `key_fields` filled: cheaper to build than whole ones."""
        if not set(self.key_fields) <= _LIGHT_FIELDS:
            yield from shipments_from_batch(batch)
            return
        columns: dict[str, list[Any]] = {
            name: parties_by_record(batch) if name == "parties" else batch.column(name).to_pylist()
            for name in self.key_fields
        }
        for i in range(batch.num_rows):
            yield Shipment("", "", "", 0, **{name: column[i] for name, column in columns.items()})


#: The real pipeline.
DEFAULT_SPEC = PipelineSpec()


def count_rows(rows: Iterable[tuple[str, str, int]]) -> KeyCounts:
    """Key counts from (kind, key, count) rows, as a Spark aggregation returns them."""
    total: KeyCounts = {}
    for kind, key, n in rows:
        into = total.setdefault(kind, {})
        into[key] = into.get(key, 0) + int(n)
    return total


def decide_checked(pipeline: BatchPipeline, batch: pa.RecordBatch) -> list[Decision]:
    """The pipeline's decisions for `batch`: exactly one per record, in record order."""
    decisions = pipeline.decide_batch(batch)
    if len(decisions) != batch.num_rows:
        raise RuntimeError(
            f"the pipeline returned {len(decisions)} decisions for {batch.num_rows} records"
        )
    ids = batch.column("record_id").to_pylist()
    for decision, record_id in zip(decisions, ids, strict=True):
        if decision.record_id != record_id:
            raise RuntimeError(
                f"the pipeline's decisions are out of order: {decision.record_id!r} "
                f"where {record_id!r} was expected"
            )
    return decisions
