"""The screening pipeline: every detector on each record, then the scoring.

    pipeline = Pipeline(ScreenConfig(lists=("sdn.csv",), indicators="ind.csv"), context)
    for decision in pipeline.decide_batch(batch):   # an Arrow batch in SHIPMENT_SCHEMA
        ...

`ScreenConfig` holds only paths and numbers, so a worker process (or a Spark executor) can
rebuild the same pipeline from it; the `Context` (cross-record counts) is computed once over all
the input before any record is decided, so every engine gives the same decisions.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

from chainbreaker.collector import collector_paused
from chainbreaker.parties.matching.settings import MatcherSettings, default_settings
from chainbreaker.parties.models import LoadProblem
from chainbreaker.parties.screening import Screener
from chainbreaker.parties.store import ListStore
from chainbreaker.screen.detectors import DATA_DIR
from chainbreaker.screen.detectors.chemical import ChemicalDetector, LineMentions
from chainbreaker.screen.detectors.context import Context, context_from_batches
from chainbreaker.screen.detectors.hs_codes import HsDetector, digits, load_hs_table
from chainbreaker.screen.detectors.indicators import IndicatorDetector, read_indicators
from chainbreaker.screen.detectors.parties import PartyDetector
from chainbreaker.screen.detectors.rules import RuleDetector, load_rules
from chainbreaker.screen.models import Decision, Hit
from chainbreaker.screen.records import Shipment, shipments_from_batch
from chainbreaker.screen.scoring import Scorer, load_scoring

__all__ = [
    "DETECTORS_VERSION",
    "Context",
    "Pipeline",
    "ScreenConfig",
    "context_from_batches",
    "context_minimums",
]

#: Bump when a detector's logic changes (the data files are hashed into `Pipeline.version`).
DETECTORS_VERSION = "1"


@dataclass(frozen=True)
class ScreenConfig:
    """Everything a worker process needs to rebuild the pipeline."""

    lists: tuple[str, ...] = ()  # list specs "PATH[:FORMAT]" (loaded via parties.store.ListStore)
    indicators: str | None = None  # path of an indicator file (csv: kind,value,source,note)
    rules: str | None = None  # path of a user rules YAML (extends/overrides the packaged one)
    thresholds: tuple[float, float] | None = None  # (review, hold); None: scoring.yaml's


class Pipeline:
    """The detectors and the scorer, loaded once; decides records one by one or by batch."""

    def __init__(self, config: ScreenConfig, context: Context | None = None) -> None:
        """Load the catalog, the lists (prepared copies via ListStore), indicators and rules."""
        self.config = config
        self.context = context
        scoring = load_scoring()
        self.scorer = Scorer(scoring, config.thresholds)
        self.chemical = ChemicalDetector(scoring.chemical, today=dt.date.today())
        table = load_hs_table()
        own = {
            s.id: digits(s.hs_code)
            for s in self.chemical.identifier.catalog.substances
            if s.hs_code
            and (entry := table.codes.get(digits(s.hs_code)[:6])) is not None
            and entry.rule != "hs.catch_all"
        }
        self.hs = HsDetector(table, own)
        self.rules = RuleDetector(load_rules(config.rules))
        #: Rows of the indicator file that were skipped (reported, counted).
        self.problems: list[LoadProblem] = []
        self.indicators: IndicatorDetector | None = None
        if config.indicators:
            found = read_indicators(config.indicators)
            self.problems.extend(found.problems)
            self.indicators = IndicatorDetector(found, scoring.indicators)
        self.parties: PartyDetector | None = None
        list_tags: list[str] = []
        matcher = "none"
        if config.lists:
            store = ListStore()
            loaded = [store.open(spec) for spec in config.lists]
            screener = Screener(
                loaded,
                threshold=scoring.party["threshold"],
                store=store,
                settings=_party_settings(scoring.party),
            )
            self.parties = PartyDetector(
                screener,
                candidate_min=scoring.party["candidate_min"],
                candidate_factor=scoring.party["candidate_factor"],
                compared=int(scoring.party["compared"]) if "compared" in scoring.party else None,
            )
            matcher = screener.version
            list_tags = [f"{x.info.list_id}@{x.info.sha256[:8]}" for x in loaded]
        self.lists_info = (
            [] if self.parties is None else [x.info for x in self.parties.screener.lists]
        )
        self.version = (
            f"detectors-{DETECTORS_VERSION}+data-{_data_hash(config.rules)}+matcher-{matcher}"
            + "".join(f"+{t}" for t in list_tags)
        )

    def decide(self, shipment: Shipment) -> Decision:
        """The decision for one record."""
        return self.decide_many([shipment])[0]

    def decide_batch(self, batch: pa.RecordBatch) -> list[Decision]:
        """The decisions for an Arrow batch (SHIPMENT_SCHEMA), in row order."""
        with collector_paused():
            return self.decide_many(list(shipments_from_batch(batch)))

    def decide_many(self, shipments: Sequence[Shipment]) -> list[Decision]:
        """The decisions for records, in order (the chemical scan runs once for all)."""
        with collector_paused():
            mentions = self.chemical.scan_many(shipments)
            return [self._decide(s, m) for s, m in zip(shipments, mentions, strict=True)]

    def hits(self, shipment: Shipment, mentions: LineMentions | None = None) -> list[Hit]:
        """Every detector's hits on one record."""
        if mentions is None:
            mentions = self.chemical.scan_many([shipment])[0]
        hits = self.chemical.detect(shipment, mentions)
        hits += self.hs.detect(shipment, mentions)
        if self.parties is not None:
            hits += self.parties.detect(shipment)
        if self.indicators is not None:
            hits += self.indicators.detect(shipment)
        hits += self.rules.detect(shipment, self.context)
        return hits

    def _decide(self, shipment: Shipment, mentions: LineMentions) -> Decision:
        try:
            hits = self.hits(shipment, mentions)
        except Exception as exc:
            hits = [
                Hit(
                    "screen",
                    "screen.error",
                    self.scorer.review,
                    f"The record could not be screened ({type(exc).__name__}: {exc}); "
                    "review it by hand.",
                    None,
                    {"error": repr(exc)},
                )
            ]
        return self.scorer.decide(shipment, hits)


def _party_settings(party: Mapping[str, Any]) -> MatcherSettings:
    """The matcher's settings with the screen's own country qualifier (data/scoring.yaml)."""
    settings = default_settings()
    if "country_conflict_factor" not in party:
        return settings
    qualifiers = settings.qualifiers.model_copy(
        update={"country_conflict_factor": float(party["country_conflict_factor"])}
    )
    return settings.model_copy(update={"qualifiers": qualifiers})


def context_minimums(config: ScreenConfig) -> dict[str, int]:
    """The fewest records a context key must count for some enabled rule to use it, by kind.

    Only keys counted at least that often need to be kept (a key of a kind no rule asks about,
    not at all): at ten million records most repeated keys repeat a few times, and every worker
    holds the context. Never below 2 (a key counted once is never kept).
    """
    out: dict[str, int] = {}
    for rule in load_rules(config.rules):
        if rule.enabled and rule.kind == "repeated_consignee":
            kind = str(rule.params["context_key"])
            least = max(2, int(rule.params["min_count"]))
            out[kind] = min(out.get(kind, least), least)
    return out


def _data_hash(user_rules: str | None) -> str:
    digest = hashlib.sha256()
    for name in ("hs_codes.yaml", "rules.yaml", "scoring.yaml"):
        digest.update((DATA_DIR / name).read_bytes())
    if user_rules:
        digest.update(Path(user_rules).read_bytes())
    return digest.hexdigest()[:8]
