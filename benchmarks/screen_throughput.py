"""Benchmark: screening records end to end (local engine), and the quality on labelled data.

Makes a seeded synthetic day of manifests (`chainbreaker synth manifests`: postal, express,
de minimis and order records with planted cases and their labels), then:

1. screens every record with the local engine (all cores) against the real OFAC list (when
   `../shared/screening/data/ofac_sdn_2024-05-03/sdn.csv` is present) plus the synthetic watch
   list, with the indicator file: records/s end to end (reading included) and peak memory;
2. the baseline, in the same run: the same detectors called record by record in plain Python in
   one process (`Pipeline.decide`), on the first `--baseline` records;
3. quality against the labels: recall of planted cases per kind, and the share of clean records
   sent to review or hold.

Run:  .venv/bin/python benchmarks/screen_throughput.py [--rows 100000] [--seed 7]
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from chainbreaker.screen.engines.local import screen_local
from chainbreaker.screen.engines.run import RunStats
from chainbreaker.screen.pipeline import Pipeline, ScreenConfig, context_from_batches
from chainbreaker.screen.readers import read_records
from chainbreaker.screen.records import batch_from_shipments, shipments_from_batch
from chainbreaker.synth.manifests import write_manifests

ROOT = Path(__file__).resolve().parents[1]
SDN = ROOT.parent / "shared" / "screening" / "data" / "ofac_sdn_2024-05-03" / "sdn.csv"
PROFILES = ("postal", "express", "de_minimis", "order")


class TreeMemory:
    """Samples the memory of this process and all its descendants (the engine's workers are
    children of a forkserver, which `getrusage` does not see) once a second, as proportional
    set size (PSS: pages shared between processes, such as libraries the forkserver loaded
    for its workers, counted once in all); keeps the peak of the sum and of the largest
    process. Also the CPU time each used (user + system, its last sample: a process's last
    second before it ends can be missed), which holds on a machine shared with other work
    where wall time does not. Linux only (reads /proc)."""

    def __init__(self, every: float = 1.0) -> None:
        self.every = every
        self.peak_total = 0.0
        self.peak_one = 0.0
        self._cpu: dict[int, float] = {}
        self._tick = os.sysconf("SC_CLK_TCK")
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()

    @property
    def cpu_seconds(self) -> float:
        """CPU time of this process and its descendants while sampled."""
        return sum(self._cpu.values())

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            self._sample()

    def _sample(self) -> None:
        children: dict[int, list[int]] = {}
        for status in Path("/proc").glob("[0-9]*/status"):
            try:
                ppid = next(
                    line for line in status.read_text().splitlines() if line.startswith("PPid:")
                )
            except (OSError, StopIteration):
                continue  # the process ended while being read
            children.setdefault(int(ppid.split()[1]), []).append(int(status.parent.name))
        sizes, todo = [], [os.getpid()]
        while todo:
            pid = todo.pop()
            todo += children.get(pid, [])
            try:
                rollup = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
                stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            self._cpu[pid] = (int(stat[11]) + int(stat[12])) / self._tick
            pss = next((line for line in rollup if line.startswith("Pss:")), "Pss: 0 kB")
            sizes.append(float(pss.split()[1]) / 1024)
        if sizes:
            self.peak_total = max(self.peak_total, sum(sizes))
            self.peak_one = max(self.peak_one, *sizes)


def _quality(folder: Path, flagged_keys: set[tuple[str, str]]) -> None:
    planted: Counter[str] = Counter()
    found: Counter[str] = Counter()
    clean = flagged_clean = 0
    with (folder / "labels.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            flagged = (row["profile"], row["record_id"]) in flagged_keys
            if row["planted"].lower() == "true":
                planted[row["kind"]] += 1
                found[row["kind"]] += flagged
            else:
                clean += 1
                flagged_clean += flagged
    total = sum(planted.values())
    print(f"quality on the labels: recall of planted cases {sum(found.values()) / total:.3f}")
    for kind in sorted(planted):
        share = found[kind] / planted[kind]
        print(f"  {kind:<22} {found[kind]:>5} / {planted[kind]:<5} = {share:.3f}")
    print(
        f"  clean records sent to review or hold: {flagged_clean} of {clean} = "
        f"{flagged_clean / clean:.4f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="records to make and screen")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--baseline", type=int, default=5_000, help="records for the baseline")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument(
        "--data",
        type=Path,
        default=None,
        help="keep the sample in this folder, and screen the one there if it has labels.csv "
        "(a 10-million-record sample takes a quarter of an hour to make)",
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="cb-bench-screen-") as tmp:
        folder = args.data or Path(tmp)
        if (folder / "labels.csv").exists():
            print(f"screening the sample in {folder} (--rows and --seed not used)")
        else:
            folder.mkdir(parents=True, exist_ok=True)
            start = time.perf_counter()
            made = write_manifests(folder, args.rows, args.seed)
            records, rows = sum(made.records.values()), sum(made.rows.values())
            made_in = time.perf_counter() - start
            print(f"made {records:,} records ({rows:,} rows) in {made_in:.1f} s")
        lists = [str(folder / "watchlist.csv") + ":ofac-csv"]
        if SDN.exists():
            lists.insert(0, str(SDN))
        else:
            print("(the real OFAC list is not present: screening against the synthetic list only)")
        config = ScreenConfig(lists=tuple(lists), indicators=str(folder / "indicators.csv"))
        inputs = [folder / f"{p}.csv" for p in PROFILES if (folder / f"{p}.csv").exists()]

        stats = RunStats()
        start = time.perf_counter()
        # Only the flagged records are kept (to score them against the labels): the engine
        # streams its decisions, and the peak memory measured is the engine's own.
        screened = 0
        flagged: set[tuple[str, str]] = set()
        load_before = os.getloadavg()[0]
        with TreeMemory() as memory:
            for d in screen_local(inputs, config, workers=args.workers, stats=stats):
                screened += 1
                if d.decision != "clear":
                    flagged.add((d.profile, d.record_id))
        seconds = time.perf_counter() - start
        rate = screened / seconds
        print(
            f"local engine ({stats.workers} workers): {screened:,} records in "
            f"{seconds:.1f} s = {rate:,.0f} records/s end to end "
            f"(first pass {stats.read_seconds:.1f} s, setup {stats.setup_seconds:.1f} s, "
            f"screening {stats.screen_seconds:.1f} s); "
            f"peak memory (PSS) {memory.peak_total:,.0f} MB all processes together "
            f"(largest one {memory.peak_one:,.0f} MB)"
        )
        cpu = memory.cpu_seconds
        print(
            f"CPU time of all its processes: {cpu:,.1f} s = {cpu / screened * 1e6:,.0f} us a "
            f"record, {screened / cpu:,.0f} records per CPU-second (what {os.cpu_count()} idle "
            f"cores would give at most: {screened / cpu * (os.cpu_count() or 1):,.0f}/s); "
            f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after"
        )

        shipments = []
        for result in read_records(inputs[0]):
            shipments.extend(shipments_from_batch(result.batch))
            if len(shipments) >= args.baseline:
                break
        shipments = shipments[: args.baseline]
        # The context of the baseline's own records: the same work per record (counting over
        # all of a 10-million-record input again would only measure reading).
        context = context_from_batches([batch_from_shipments(shipments)])
        pipeline = Pipeline(config, context)
        start, start_cpu = time.perf_counter(), time.process_time()
        for shipment in shipments:
            pipeline.decide(shipment)
        base = len(shipments) / (time.perf_counter() - start)
        base_cpu = (time.process_time() - start_cpu) / len(shipments)
        print(
            f"baseline: the same detectors record by record in one process: {base:,.0f} records/s "
            f"({base_cpu * 1e6:,.0f} us of CPU a record; reading not included)"
        )
        print(f"ratio local engine / baseline: {rate / base:.2f}")
        print("aim: >= 20,000 records/s; < 2 GB for 10 million records")
        _quality(folder, flagged)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
