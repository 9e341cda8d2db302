"""Entity resolution: the same company or person across records and spellings -> one node.

Mentions are keyed by kind and normalised name (`parties` normalisation: case, accents,
transliteration, legal forms dropped), so "HAOSHENG INT'L TRADING CO., LTD" and "Haosheng Intl
Trading Limited" share a key when their words do. Mentions with different keys are then merged
when

1. they carry the same identifier (company number or e-mail), or
2. the `parties` matcher scores their names at least `threshold` (default 0.92),

unless the two sides carry different company numbers (refused), or an override says
do-not-merge. An override file can also force a merge. Every decision (applied or refused) is
kept with its score, reason and the records involved: `network merges G` shows them, and a
rebuild with an override file reverses any of them.

Override file: CSV with a header `action,left,right[,note]`; action `do-not-merge` or
`force-merge`; left and right are names as written in the records (or `company:NAME`,
`person:NAME` to say the kind).
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from chainbreaker.errors import DataError
from chainbreaker.network.model import MergeDecision
from chainbreaker.network.raw import Problem
from chainbreaker.parties.models import ListedEntity, ListedName, ListInfo, LoadedList
from chainbreaker.parties.names.normalise import normalise_name
from chainbreaker.parties.screening import PartyQuery, Screener

DEFAULT_THRESHOLD = 0.92
_SCHEMA = {"company": "Company", "person": "Person"}


def mention_key(kind: str, name: str) -> str:
    """kind|normalised words of the name."""
    normal = normalise_name(name, _SCHEMA.get(kind))
    words = " ".join(normal.tokens) or " ".join(name.casefold().split())
    return f"{kind}|{words}"


@dataclass(slots=True)
class Overrides:
    """do-not-merge and force-merge pairs of mention keys."""

    never: list[tuple[str, str]] = field(default_factory=list)
    always: list[tuple[str, str]] = field(default_factory=list)
    asserted: list[tuple[str, str, str]] = field(default_factory=list)  # aliases: (a, b, why)
    problems: list[Problem] = field(default_factory=list)


def read_overrides(path: Path, kinds: Iterable[str] = ("company", "person")) -> Overrides:
    """Read an override file (see the module doc)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise DataError(f"{path}: cannot be read ({exc.strerror})") from exc
    rows = csv.reader(io.StringIO(text))
    header = [h.strip().lower() for h in next(rows, [])]
    if not {"action", "left", "right"} <= set(header):
        raise DataError(f"{path}: line 1: the header must name the columns action,left,right")
    col = {name: i for i, name in enumerate(header)}
    out = Overrides()
    for line, row in enumerate(rows, start=2):
        if not any(c.strip() for c in row):
            continue
        cells = {k: (row[i].strip() if i < len(row) else "") for k, i in col.items()}
        action = cells["action"].lower()
        if action not in ("do-not-merge", "force-merge"):
            out.problems.append(
                Problem(str(path), f"line {line}", "action", f"unknown action {action!r}")
            )
            continue
        if not cells["left"] or not cells["right"]:
            out.problems.append(Problem(str(path), f"line {line}", "left/right", "empty"))
            continue
        for left in _keys(cells["left"], kinds):
            for right in _keys(cells["right"], kinds):
                (out.never if action == "do-not-merge" else out.always).append((left, right))
    return out


def _keys(text: str, kinds: Iterable[str]) -> list[str]:
    head, sep, rest = text.partition(":")
    if sep and head.strip().lower() in ("company", "person", "unknown"):
        return [mention_key(head.strip().lower(), rest)]
    return [mention_key(k, text) for k in kinds]


@dataclass(slots=True)
class Mentions:
    """Party mentions: key -> spellings seen (with counts), records, identifiers."""

    spellings: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    records: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    identifiers: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def add(self, kind: str, name: str, record: str) -> str:
        key = mention_key(kind, name)
        self.spellings[key][name] += 1
        if record and len(self.records[key]) < 50:
            self.records[key].append(record)
        return key


class _Clusters:
    """Union-find over mention keys with cannot-link pairs and company-number conflicts."""

    def __init__(self, keys: Iterable[str], numbers: dict[str, set[str]]) -> None:
        self.parent = {k: k for k in keys}
        self.members: dict[str, set[str]] = {k: {k} for k in self.parent}
        self.numbers = {k: set(numbers.get(k, set())) for k in self.parent}
        self.never: dict[str, set[str]] = defaultdict(set)

    def find(self, k: str) -> str:
        root = k
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[k] != root:
            self.parent[k], k = root, self.parent[k]
        return root

    def blocked(self, a: str, b: str) -> str | None:
        """Why the clusters of a and b may not merge, or None."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return None
        small, big = sorted((ra, rb), key=lambda r: len(self.members[r]))
        for k in self.members[small]:
            if self.never[k] & self.members[big]:
                return "do-not-merge override"
        na, nb = self.numbers[ra], self.numbers[rb]
        if na and nb and not (na & nb):
            return f"different company numbers ({sorted(na)[0]} / {sorted(nb)[0]})"
        return None

    def union(self, a: str, b: str) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        if len(self.members[ra]) < len(self.members[rb]):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.members[ra] |= self.members.pop(rb)
        self.numbers[ra] |= self.numbers.pop(rb)
        return True


def resolve(
    mentions: Mentions,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    fuzzy: bool = True,
    overrides: Overrides | None = None,
) -> tuple[dict[str, str], list[MergeDecision]]:
    """Mention key -> cluster root key, and the merge decisions."""
    keys = sorted(mentions.spellings)
    numbers = {
        k: {i for i in ids if i.startswith("company_number:")}
        for k, ids in mentions.identifiers.items()
    }
    clusters = _Clusters(keys, numbers)
    pending: list[tuple[str, str, float, str]] = []
    for left, right in overrides.never if overrides else []:
        if left in clusters.parent and right in clusters.parent:
            clusters.never[left].add(right)
            clusters.never[right].add(left)
    for left, right in overrides.always if overrides else []:
        if left in clusters.parent and right in clusters.parent:
            pending.append((left, right, 1.0, "force-merge override"))
    for left, right, said in overrides.asserted if overrides else []:
        pending.append((left, right, 1.0, said))
    by_identifier: dict[str, list[str]] = defaultdict(list)
    for k in keys:
        for ident in sorted(mentions.identifiers.get(k, ())):
            by_identifier[ident].append(k)
    for ident, group in sorted(by_identifier.items()):
        for other in group[1:]:
            if other.split("|", 1)[0] == group[0].split("|", 1)[0]:
                pending.append((group[0], other, 1.0, f"same {ident.replace(':', ' ', 1)}"))
    if fuzzy:
        pending += _name_matches(mentions, keys, threshold)
    decisions: list[MergeDecision] = []
    forced = {(a, b) for a, b, _, r in pending if r == "force-merge override"}
    for left, right, score, reason in pending:
        if clusters.find(left) == clusters.find(right):
            continue
        why: str | None = None
        if (left, right) not in forced:
            why = clusters.blocked(left, right)
        records = tuple(mentions.records.get(left, [])[:5] + mentions.records.get(right, [])[:5])
        if why is not None:
            decisions.append(
                MergeDecision("", left, right, score, f"{reason}; refused: {why}", False, records)
            )
            continue
        clusters.union(left, right)
        decisions.append(MergeDecision("", left, right, score, reason, True, records))
    roots = {k: clusters.find(k) for k in keys}
    return roots, decisions


def _name_matches(
    mentions: Mentions, keys: list[str], threshold: float
) -> list[tuple[str, str, float, str]]:
    """Pairs of mention keys of one kind whose names the `parties` matcher scores >= threshold."""
    out: list[tuple[str, str, float, str]] = []
    by_kind: dict[str, list[str]] = defaultdict(list)
    for k in keys:
        by_kind[k.split("|", 1)[0]].append(k)
    for kind, group in sorted(by_kind.items()):
        if len(group) < 2:
            continue
        schema = _SCHEMA.get(kind, "Unknown")
        entities = [
            ListedEntity(
                list_id="mentions",
                entity_id=k,
                schema=schema,  # type: ignore[arg-type]
                names=tuple(ListedName(s) for s, _ in mentions.spellings[k].most_common(3)),
            )
            for k in group
        ]
        info = ListInfo("mentions", "network mentions", "csv", "", "", None, len(entities), 0)
        screener = Screener([LoadedList(info, entities)], threshold=threshold)
        for k in group:
            name = mentions.spellings[k].most_common(1)[0][0]
            for match in screener.screen(
                PartyQuery(k, name, schema), min_score=threshold, limit=5, candidates=10
            ):
                if match.entity_id > k:
                    summary = str(match.explanation.get("summary", ""))
                    out.append(
                        (k, match.entity_id, round(match.score, 4), f"name match: {summary}")
                    )
    return out
