"""`chainbreaker synth manifests`: a day's synthetic manifests with planted cases and labels.

The output folder gets, per profile, a manifest in that profile's layout (`profiles.COLUMNS`),
plus `labels.csv` (one row per record: profile, record_id, planted, kind, detail),
`watchlist.csv` (the invented watch list in OFAC's sdn.csv form) and `indicators.csv`.

Records are made in chunks of `CHUNK`; each chunk has its own random generator seeded from
(seed, profile, chunk number), so the files are the same byte for byte for a seed, and memory
holds one chunk whatever the number of rows.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from chainbreaker.errors import InvalidInput
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
) -> SynthResult:
    """Write the manifests, labels, watch list and indicator file into the folder `output`."""
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
    indicators = indicator_entries(vocab)
    parties = PartyMaker(vocab, reserved_names(listed))
    goods = GoodsMaker(vocab, parties)
    planter = Planter(vocab, parties, goods, listed, indicators)
    sellers = make_sellers(random.Random(f"{seed}:sellers"), parties)

    result = SynthResult(output)
    write_watchlist(output / "watchlist.csv", listed)
    write_indicators(output / "indicators.csv", indicators)
    result.files["watchlist"] = output / "watchlist.csv"
    result.files["indicators"] = output / "indicators.csv"
    labels = TableWriter(output / "labels.csv", LABEL_COLUMNS, frozenset(), "csv")
    result.files["labels"] = labels.path
    try:
        for name, n in counts.items():
            path = output / f"{name}.{extension(fmt)}"
            table = TableWriter(path, COLUMNS[name], NUMERIC[name], fmt)
            try:
                _profile(
                    name, n, seed, table, labels, planter, parties, goods, sellers, result, advance
                )
            finally:
                table.close()
            result.files[name] = path
            result.records[name] = n
            result.rows[name] = table.rows
    finally:
        labels.close()
    result.seconds = time.perf_counter() - started
    return result


def _profile(
    name: str,
    n: int,
    seed: int,
    table: TableWriter,
    labels: TableWriter,
    planter: Planter,
    parties: PartyMaker,
    goods: GoodsMaker,
    sellers: list,  # type: ignore[type-arg]
    result: SynthResult,
    advance: Callable[[int], None] | None,
) -> None:
    layout = Layout(name, seed)
    for chunk, start in enumerate(range(0, n, CHUNK)):
        size = min(CHUNK, n - start)
        rng = random.Random(f"{seed}:{name}:{chunk}")
        layout.start_chunk(chunk)
        traffic = Traffic(parties, goods, sellers)
        kinds, groups = planter.plan(rng, name, size, f"{name[0]}{chunk}")
        out_rows: list[list[object]] = []
        out_labels: list[list[object]] = []
        for i in range(size):
            kind = kinds[i]
            if kind:
                draft = planter.make(rng, name, kind, groups[i], traffic)
                result.planted[kind] += 1
            elif name == "order":
                draft = traffic.order(rng)
            else:
                draft = traffic.parcel(rng, name)
            record_id, rows = layout.rows(rng, draft, start + i)
            out_rows.extend(rows)
            out_labels.append([name, record_id, "true" if kind else "false", kind, draft.detail])
        table.write(out_rows)
        labels.write(out_labels)
        if advance is not None:
            advance(size)
