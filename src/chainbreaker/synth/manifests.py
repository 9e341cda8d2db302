"""`chainbreaker synth manifests`: a day's synthetic manifests with planted cases and labels.

The output folder gets, per profile, a manifest in that profile's layout (`profiles.COLUMNS`),
plus `labels.csv` (one row per record: profile, record_id, planted, kind, detail),
`watchlist.csv` (the invented watch list in OFAC's sdn.csv form) and `indicators.csv`.

Records are made in chunks of `CHUNK`; each chunk has its own random generator seeded from
(seed, profile, chunk number), so the files are the same byte for byte for a seed, and memory
holds one chunk whatever the number of rows.
"""

from __future__ import annotations

import functools
import os
import random
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chainbreaker.errors import InvalidInput
from chainbreaker.synth.drafts import Who
from chainbreaker.synth.goods import GoodsMaker
from chainbreaker.synth.indicators import indicator_entries, write_indicators
from chainbreaker.synth.parties import PartyMaker
from chainbreaker.synth.plants import Planter
from chainbreaker.synth.profiles import COLUMNS, NUMERIC, PROFILES, Layout
from chainbreaker.synth.traffic import Traffic, make_sellers
from chainbreaker.synth.vocab import load_vocab
from chainbreaker.synth.watchlist import listed_entries, reserved_names, write_watchlist
from chainbreaker.synth.writers import FORMATS, TableWriter, extension

__all__ = [
    "CHUNK",
    "LABEL_COLUMNS",
    "PROFILE_SHARES",
    "SynthResult",
    "make_chunk",
    "split_rows",
    "write_manifests",
]

#: Records per chunk (one random generator and one write per chunk).
CHUNK = 10_000
LABEL_COLUMNS = ("profile", "record_id", "planted", "kind", "detail")
#: How `--profile all` divides the records among the profiles.
PROFILE_SHARES = {"postal": 35, "express": 20, "de_minimis": 35, "order": 10}


@dataclass(slots=True)
class SynthResult:
    """What a run wrote."""

    output: Path
    files: dict[str, Path] = field(default_factory=dict)
    records: dict[str, int] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    planted: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0


def split_rows(total: int, profile: str) -> dict[str, int]:
    """The number of records of each profile for `total` records."""
    if profile != "all":
        if profile not in PROFILES:
            raise InvalidInput(f"unknown profile {profile!r}; one of all, {', '.join(PROFILES)}")
        return {profile: total}
    weight = sum(PROFILE_SHARES.values())
    out = {p: total * w // weight for p, w in PROFILE_SHARES.items()}
    out["postal"] += total - sum(out.values())
    return out


def write_manifests(
    output: Path,
    rows: int,
    seed: int,
    profile: str = "all",
    fmt: str = "csv",
    advance: Callable[[int], None] | None = None,
    workers: int | None = None,
) -> SynthResult:
    """Write the manifests, labels, watch list and indicator file into the folder `output`.

    Chunks are made by `workers` processes (default: the machine's cores, at most 4; 1 makes
    them in this process); the files are the same whatever the number of workers.
    """
    if rows < 0:
        raise InvalidInput(f"--rows must be 0 or more, not {rows}")
    if fmt not in FORMATS:
        raise InvalidInput(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
    counts = split_rows(rows, profile)
    if output.exists() and not output.is_dir():
        raise InvalidInput(f"{output}: exists and is not a folder")
    output.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    vocab = load_vocab()
    listed = listed_entries(vocab)
    result = SynthResult(output)
    write_watchlist(output / "watchlist.csv", listed)
    write_indicators(output / "indicators.csv", indicator_entries(vocab))
    result.files["watchlist"] = output / "watchlist.csv"
    result.files["indicators"] = output / "indicators.csv"
    jobs = [
        (name, seed, chunk, start, min(CHUNK, n - start))
        for name, n in counts.items()
        for chunk, start in enumerate(range(0, n, CHUNK))
    ]
    workers = workers if workers is not None else min(4, os.cpu_count() or 1)
    labels = TableWriter(output / "labels.csv", LABEL_COLUMNS, frozenset(), "csv")
    result.files["labels"] = labels.path
    tables: dict[str, TableWriter] = {}
    try:
        for name, n in counts.items():
            path = output / f"{name}.{extension(fmt)}"
            tables[name] = TableWriter(path, COLUMNS[name], NUMERIC[name], fmt)
            result.files[name] = path
            result.records[name] = n
        for job, (out_rows, out_labels, planted) in zip(jobs, _run(jobs, workers), strict=True):
            tables[job[0]].write(out_rows)
            labels.write(out_labels)
            result.planted.update(planted)
            if advance is not None:
                advance(job[4])
    finally:
        for name, table in tables.items():
            table.close()
            result.rows[name] = table.rows
        labels.close()
    result.seconds = time.perf_counter() - started
    return result


_Job = tuple[str, int, int, int, int]  # profile, seed, chunk number, first index, size
_Chunk = tuple[list[list[Any]], list[list[Any]], Counter[str]]


def _run(jobs: list[_Job], workers: int) -> Iterator[_Chunk]:
    """The chunks in job order, made here or by a pool of processes."""
    if workers <= 1 or len(jobs) <= 1:
        yield from map(make_chunk, jobs)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        pending: deque[Future[_Chunk]] = deque()
        for job in jobs:  # at most two chunks per worker in flight: memory stays bounded
            pending.append(pool.submit(make_chunk, job))
            if len(pending) >= 2 * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


@dataclass(slots=True)
class _Makers:
    parties: PartyMaker
    goods: GoodsMaker
    planter: Planter
    sellers: list[Who]
    layouts: dict[str, Layout]


@functools.lru_cache(maxsize=4)
def _makers(seed: int) -> _Makers:
    """The generators of a run (built once per process and seed)."""
    vocab = load_vocab()
    listed = listed_entries(vocab)
    parties = PartyMaker(vocab, reserved_names(listed))
    goods = GoodsMaker(vocab, parties)
    planter = Planter(vocab, parties, goods, listed, indicator_entries(vocab))
    sellers = make_sellers(random.Random(f"{seed}:sellers"), parties)
    layouts = {name: Layout(name, seed) for name in PROFILES}
    return _Makers(parties, goods, planter, sellers, layouts)


def make_chunk(job: _Job) -> _Chunk:
    """The rows, labels and planted counts of one chunk of one profile."""
    name, seed, chunk, start, size = job
    m = _makers(seed)
    rng = random.Random(f"{seed}:{name}:{chunk}")
    layout = m.layouts[name]
    layout.start_chunk(chunk)
    traffic = Traffic(m.parties, m.goods, m.sellers)
    kinds, groups = m.planter.plan(rng, name, size, f"{name[0]}{chunk}")
    out_rows: list[list[Any]] = []
    out_labels: list[list[Any]] = []
    planted: Counter[str] = Counter()
    for i in range(size):
        kind = kinds[i]
        if kind:
            draft = m.planter.make(rng, name, kind, groups[i], traffic)
            planted[kind] += 1
        elif name == "order":
            draft = traffic.order(rng)
        else:
            draft = traffic.parcel(rng, name)
        record_id, rows = layout.rows(rng, draft, start + i)
        out_rows.extend(rows)
        out_labels.append([name, record_id, "true" if kind else "false", kind, draft.detail])
    return out_rows, out_labels, planted
