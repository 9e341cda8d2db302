"""Benchmark: CPU time per record of each screening stage, compiled modules beside the sources.

Makes a seeded synthetic sample (`chainbreaker synth manifests`), then, in two fresh processes
(one with the mypyc-compiled modules, one with CHAINBREAKER_PURE=1: the same code as plain
Python), measures CPU time (not wall time: the figures hold on a busy machine) per record of:

- reading the CSV files into Arrow batches (the readers),
- turning the batches into records (Arrow to Python),
- deciding them (`Pipeline.decide_many`: chemistry, HS codes, parties against the real OFAC
  list when `../shared/screening/data/ofac_sdn_2024-05-03/sdn.csv` is present plus the sample's
  watch list, indicators, rules, scoring), first pass over the sample (the name memo starts
  empty), then a second pass (names seen before: the memo answers).

The baseline is the sources' figure in the same run; the ratio says what compiling gives.

Each form runs `--rounds` times, alternately; each stage's least CPU time is kept.

Run:  .venv/bin/python benchmarks/screen_cpu.py [--rows 20000] [--seed 7] [--rounds 2]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SDN = ROOT.parent / "shared" / "screening" / "data" / "ofac_sdn_2024-05-03" / "sdn.csv"
PROFILES = ("postal", "express", "de_minimis", "order")


def _measure(folder: Path) -> dict[str, float | str]:
    """CPU seconds per record of each stage, in this process (the child's work)."""
    import chainbreaker
    from chainbreaker.screen.pipeline import Pipeline, ScreenConfig
    from chainbreaker.screen.readers import read_records
    from chainbreaker.screen.records import shipments_from_batch

    lists = [str(folder / "watchlist.csv") + ":ofac-csv"]
    if SDN.exists():
        lists.insert(0, str(SDN))
    config = ScreenConfig(lists=tuple(lists), indicators=str(folder / "indicators.csv"))
    pipeline = Pipeline(config, None)
    start = time.process_time()
    batches = [r.batch for p in PROFILES for r in read_records(folder / f"{p}.csv")]
    read = time.process_time() - start
    start = time.process_time()
    records = [s for b in batches for s in shipments_from_batch(b)]
    convert = time.process_time() - start
    decide: list[float] = []
    for _ in range(2):
        start = time.process_time()
        for i in range(0, len(records), 2_000):
            pipeline.decide_many(records[i : i + 2_000])
        decide.append(time.process_time() - start)
    n = len(records)
    return {
        "form": chainbreaker.NATIVE,
        "records": n,
        "read": read / n,
        "convert": convert / n,
        "decide": decide[0] / n,
        "decide_again": decide[1] / n,
    }


def _child(folder: Path, pure: bool) -> dict[str, float | str]:
    env = {**os.environ, "CHAINBREAKER_PURE": "1" if pure else "0"}
    done = subprocess.run(
        [sys.executable, __file__, "--child", str(folder)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, float | str] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _least(runs: list[dict[str, float | str]]) -> dict[str, float | str]:
    """Each stage's least CPU time over the runs."""
    out = dict(runs[0])
    for run in runs[1:]:
        for key, value in run.items():
            if isinstance(value, float):
                out[key] = min(float(out[key]), value)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000, help="records to make")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rounds", type=int, default=2, help="runs of each form, alternately")
    parser.add_argument("--child", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(_measure(args.child)))
        return

    from chainbreaker import native
    from chainbreaker.synth.manifests import write_manifests

    if native.stale():
        print("the compiled modules are not built or out of date: run `make native` first")
        raise SystemExit(2)
    if not SDN.exists():
        print("(the real OFAC list is not present: the sample's watch list only)")
    with tempfile.TemporaryDirectory(prefix="cb-bench-cpu-") as tmp:
        folder = Path(tmp)
        write_manifests(folder, args.rows, args.seed)
        # alternately, each form's least CPU per stage over the rounds (load from other work
        # on the machine only ever adds CPU time: the least is the cleanest reading)
        runs: dict[bool, list[dict[str, float | str]]] = {False: [], True: []}
        for _ in range(args.rounds):
            for pure in (False, True):
                runs[pure].append(_child(folder, pure))
        compiled, source = (_least(runs[pure]) for pure in (False, True))
    print(f"{compiled['records']:,} records; CPU time per record (us), compiled vs sources:")
    print(f"  {'stage':34} {'compiled':>9} {'sources':>9} {'ratio':>6}")
    stages = (
        ("read (CSV to Arrow batches)", "read"),
        ("Arrow to records", "convert"),
        ("decide, first pass (memo empty)", "decide"),
        ("decide, second pass (names known)", "decide_again"),
    )
    for label, key in stages:
        c, s = float(compiled[key]) * 1e6, float(source[key]) * 1e6
        print(f"  {label:34} {c:9.1f} {s:9.1f} {s / c:6.2f}")
    total_c = sum(float(compiled[k]) for k in ("read", "convert", "decide")) * 1e6
    total_s = sum(float(source[k]) for k in ("read", "convert", "decide")) * 1e6
    label = "read + convert + decide"
    print(f"  {label:34} {total_c:9.1f} {total_s:9.1f} {total_s / total_c:6.2f}")
    print(
        f"at this CPU per record, two cores give at most {2e6 / total_c:,.0f} records/s "
        f"(compiled) and {2e6 / total_s:,.0f} (sources), before the engine's own costs"
    )


if __name__ == "__main__":
    main()
