"""The party detector: the record's parties against the loaded watch lists.

Every named party (shipper, consignee, buyer, seller, notify, importer, exporter) is screened
with `parties.screening.Screener`, with the party's country (schema unknown: manifests do not
say whether a party is a person or a company). One hit per party:

- `party.listed`: the best listed entity scoring at least the matcher threshold (0.8); the
  hit's score is the match score;
- `party.candidate`: the best candidate between 0.5 and the threshold, scored at match score x
  the candidate factor (data/scoring.yaml): a close name worth a look, not a match.

Party names repeat a lot in a day's manifests (the same shippers, forwarders, marketplaces):
results are memoised per normalised name and country.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from chainbreaker.memos import forget_older_half
from chainbreaker.parties.loaders.countries import country_code
from chainbreaker.parties.screening import PartyMatch, PartyQuery, Screener
from chainbreaker.screen.models import Hit
from chainbreaker.screen.records import Party, Shipment

__all__ = ["PartyDetector", "party_country"]

#: Names memoised per detector (the older half forgotten when full): bounds a worker's memory
#: on long runs.
_CACHE_LIMIT = 100_000


def party_country(text: str | None) -> str | None:
    """A party's country as ISO2 (the readers' code, or a name read), else None."""
    if not text:
        return None
    text = text.strip()
    if len(text) == 2 and text.isalpha():
        return text.upper()
    return country_code(text)


class PartyDetector:
    """Screens the parties of records; memoises per normalised name and country."""

    def __init__(
        self,
        screener: Screener,
        *,
        candidate_min: float = 0.5,
        candidate_factor: float = 0.5,
        compared: int | None = None,
        rule_prefix: str = "party",
        detector: str = "party",
        memo_limit: int = _CACHE_LIMIT,
    ) -> None:
        self.screener = screener
        self.threshold = screener.threshold
        self.candidate_min = candidate_min
        self.candidate_factor = candidate_factor
        self.compared = compared  # listed names compared in full per name (None: the matcher's)
        self.rule_prefix = rule_prefix
        self.detector = detector
        self._cache: dict[tuple[str, str | None], PartyMatch | None] = {}
        self._memo_limit = max(2, memo_limit)
        #: Queries sent to the matcher and those answered from the memo (for reports).
        self.queries = 0
        self.memo_hits = 0

    def best(self, name: str, country: str | None) -> PartyMatch | None:
        """The best listed candidate (>= candidate_min) for a name and country, memoised."""
        key = (" ".join(name.split()).casefold(), country)
        if key in self._cache:
            self.memo_hits += 1
            return self._cache[key]
        self.queries += 1
        found = self.screener.screen(
            PartyQuery("q", name, None, country),
            min_score=self.candidate_min,
            limit=1,
            candidates=self.compared,
        )
        match = found[0] if found else None
        if len(self._cache) >= self._memo_limit:
            # forget the older half (a dict keeps insertion order): the names of the day's
            # busy senders, met again and again, are back at once; clearing it all would
            # screen every one of them again
            forget_older_half(self._cache)
        self._cache[key] = match
        return match

    def detect(self, shipment: Shipment) -> list[Hit]:
        """One hit per party of the record with a listed candidate (see the module doc)."""
        return self.detect_parties(shipment.parties)

    def detect_parties(self, parties: Sequence[Party]) -> list[Hit]:
        """One hit per party with a listed candidate."""
        hits: list[Hit] = []
        for p in parties:
            if not p.name or not p.name.strip():
                continue
            match = self.best(p.name, party_country(p.country))
            if match is not None:
                hits.append(self._hit(p, match))
        return hits

    def _hit(self, party: Party, m: PartyMatch) -> Hit:
        evidence: dict[str, Any] = {
            "list": m.list_id,
            "entity_id": m.entity_id,
            "listed_name": m.name,
            "matched_name": m.matched_name,
            "name": party.name,
            "match_score": m.score,
            "explanation": m.explanation.get("summary", ""),
        }
        where = f"parties[{party.role}].name"
        if m.score >= self.threshold:
            return Hit(
                self.detector,
                f"{self.rule_prefix}.listed",
                m.score,
                f"The {party.role} {party.name!r} matches {m.name!r} on {m.list_id} "
                f"(entry {m.entity_id}, score {m.score:.2f}).",
                where,
                evidence,
            )
        return Hit(
            self.detector,
            f"{self.rule_prefix}.candidate",
            round(m.score * self.candidate_factor, 4),
            f"The {party.role} {party.name!r} is close to {m.name!r} on {m.list_id} "
            f"(entry {m.entity_id}, score {m.score:.2f}, under the match threshold).",
            where,
            evidence,
        )
