"""Benchmark: identify throughput (structures/s, one process) beside plain RDKit.

The baseline, measured in the same run on the same structures, is what any tool must at least
do: parse each SMILES and write its canonical SMILES. Three figures are printed:

1. cold: every structure distinct, caches empty (the worst case: a new compound library),
   beside RDKit parse + InChIKey, the floor of any tool that reports an InChIKey per structure;
2. stream: a day's order lines where structures recur (Zipf), caches warm as they would be;
3. the baseline, and each figure's ratio to it.

Run:  .venv/bin/python benchmarks/chem_identify.py [--distinct 5000] [--stream 100000]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Sequence

from rdkit import Chem

from chainbreaker.chem.identify import Identifier
from structures import distinct_structures, zipf_stream


def _rate(label: str, func: Callable[[str], object], items: Sequence[str]) -> float:
    start = time.perf_counter()
    for item in items:
        func(item)
    seconds = time.perf_counter() - start
    rate = len(items) / seconds
    print(f"  {label:<54} {len(items):>8} in {seconds:7.2f} s = {rate:9.0f} /s")
    return rate


def _baseline(smiles: str) -> str:
    return Chem.MolToSmiles(Chem.MolFromSmiles(smiles))


def _inchikey_floor(smiles: str) -> str:
    return str(Chem.MolToInchiKey(Chem.MolFromSmiles(smiles)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--distinct", type=int, default=5000)
    parser.add_argument("--stream", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    pool = distinct_structures(args.distinct, args.seed)
    stream = zipf_stream(pool, args.stream, args.seed + 1)
    warm = Identifier()
    warm.identify("fentanyl")  # load the catalog outside the timing
    print(f"{len(pool)} distinct structures; stream of {len(stream)} with repeats")

    base = _rate("baseline: RDKit parse + canonical SMILES", _baseline, pool)
    _rate("reference: RDKit parse + InChIKey (no salts removed)", _inchikey_floor, pool)
    cold = Identifier(warm.catalog)
    cold.identify("fentanyl")
    cold_rate = _rate("identify, all distinct, cold caches", cold.identify, pool)
    base_stream = _rate("baseline on the stream", _baseline, stream)
    stream_rate = _rate("identify on the stream (caches warm up)", warm.identify, stream)

    flagged = sum(1 for s in pool if cold.identify(s).classes)
    print(f"  {flagged} of {len(pool)} distinct structures matched a structure class")
    print(f"ratio cold/baseline:   {cold_rate / base:5.2f}")
    print(f"ratio stream/baseline: {stream_rate / base_stream:5.2f}")
    print("aim: >= 5000 structures/s (issue 2)")


if __name__ == "__main__":
    main()
