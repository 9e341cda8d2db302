"""Benchmark: party-name screening quality and speed against the full OFAC SDN list.

Runs the labelled development set `../shared/eval/names/` (2,500 queries: 500 that should hit an
SDN entry, 2,000 that should not) against every entry of `../shared/screening/data/
ofac_sdn_2024-05-03/sdn.csv`, scores the results with the set's own harness (`score.py`), and does
the same in the same run for the baselines:

- rapidfuzz brute force: every listed name and alias against the query (token_sort_ratio);
- OpenSanctions' nomenklatura matchers logic-v2 and logic-v1 (installed for the benchmark only:
  `pip install nomenklatura`), scoring the 20 best rapidfuzz candidates of each query (the
  scorer alone is compared; its speed is per query including those 20 comparisons).

Prints precision, recall, F1 (best threshold), recall at precision >= 0.95, recall per variant
kind, and queries/s in one process, with ratios to ours.

Run:  .venv/bin/python benchmarks/parties_names.py [--baselines rapidfuzz,logic-v2,logic-v1]
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from types import ModuleType
from typing import Any

from chainbreaker.parties.loaders import load_list
from chainbreaker.parties.models import ListedEntity
from chainbreaker.parties.screening import PartyQuery, Screener

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
EVAL = SHARED / "eval" / "names"
SDN = SHARED / "screening" / "data" / "ofac_sdn_2024-05-03" / "sdn.csv"

Results = dict[str, list[tuple[str, float]]]


def _score_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("eval_score", EVAL / "score.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _queries() -> list[PartyQuery]:
    with (EVAL / "dev_queries.csv").open(encoding="utf-8", newline="") as fh:
        return [
            PartyQuery(
                r["id"],
                r["name"],
                None if r["schema"] in ("", "unknown") else r["schema"],
                r["country"] or None,
                r["dob"] or None,
            )
            for r in csv.DictReader(fh)
        ]


def _evaluate(results: Results, scorer: ModuleType) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as fh:
        for qid, matches in results.items():
            ms = [{"entity_id": e, "score": s} for e, s in matches]
            fh.write(json.dumps({"id": qid, "matches": ms}) + "\n")
        path = fh.name
    report: dict[str, Any] = scorer.score(str(EVAL / "dev_labels.csv"), path)
    Path(path).unlink()
    return report


def _timed(label: str, run: Callable[[], Results], n: int) -> tuple[Results, float]:
    """Run and time one method over all queries; print and return its queries/s."""
    start = time.perf_counter()
    results = run()
    seconds = time.perf_counter() - start
    print(f"  {label:<28} {n} queries in {seconds:7.2f} s = {n / seconds:8.1f} queries/s")
    return results, n / seconds


def _ours(screener: Screener, queries: list[PartyQuery]) -> Results:
    out: Results = {}
    for q in queries:
        out[q.id] = [(m.entity_id, m.score) for m in screener.screen(q, min_score=0.5)]
    return out


def _plain(text: str) -> str:
    from unidecode import unidecode

    return " ".join(unidecode(text).lower().replace(",", " ").split())


def _rapidfuzz_candidates(
    entities: list[ListedEntity], queries: list[PartyQuery], limit: int
) -> dict[str, list[tuple[int, float]]]:
    from rapidfuzz import fuzz, process

    choices: list[str] = []
    owners: list[int] = []
    for e, entity in enumerate(entities):
        for name in entity.names:
            choices.append(_plain(name.full))
            owners.append(e)
    out: dict[str, list[tuple[int, float]]] = {}
    for q in queries:
        best: dict[int, float] = {}
        hits = process.extract(
            _plain(q.name), choices, scorer=fuzz.token_sort_ratio, limit=limit * 3
        )
        for _, score, i in hits:
            e = owners[i]
            best[e] = max(best.get(e, 0.0), score / 100)
        out[q.id] = sorted(best.items(), key=lambda kv: -kv[1])[:limit]
    return out


def _nomenklatura(
    name: str,
    entities: list[ListedEntity],
    queries: list[PartyQuery],
    candidates: dict[str, list[tuple[int, float]]],
) -> Results:
    from followthemoney import model
    from nomenklatura.matching import get_algorithm
    from nomenklatura.matching.types import ScoringConfig

    algorithm = get_algorithm(name)
    assert algorithm is not None
    config = ScoringConfig.defaults()
    proxies: dict[int, Any] = {}

    def proxy(e: int) -> Any:
        if e not in proxies:
            entity = entities[e]
            schema = "Person" if entity.schema == "Person" else "LegalEntity"
            p = model.make_entity(schema)
            p.id = entity.entity_id
            p.add("name", entity.name)
            for alias in entity.names[1:]:
                p.add("weakAlias" if alias.weak else "alias", alias.full)
            if entity.schema == "Person":
                p.add("birthDate", list(entity.birth_dates))
            p.add("country", [c.lower() for c in entity.countries])
            proxies[e] = p
        return proxies[e]

    out: Results = {}
    for q in queries:
        schema = q.schema if q.schema in ("Person", "Company") else "LegalEntity"
        qp = model.make_entity(schema)
        qp.id = q.id
        qp.add("name", q.name)
        if q.dob and schema == "Person":
            qp.add("birthDate", q.dob)
        if q.country:
            qp.add("country", q.country.lower())
        scored = []
        for e, _ in candidates[q.id]:
            result = algorithm.compare(qp, proxy(e), config)
            scored.append((entities[e].entity_id, float(result.score)))
        out[q.id] = sorted(scored, key=lambda kv: -kv[1])
    return out


def _row(label: str, report: dict[str, Any], qps: float, ours_qps: float) -> str:
    b = report["best"]
    rp = report["recall_at_precision_0.95"]
    r95 = f"{rp['recall']:.3f}" if rp else "  n/a"
    return (
        f"  {label:<22} F1 {b['f1']:.3f} (P {b['precision']:.3f} R {b['recall']:.3f} at "
        f"{b['threshold']:.2f})  R@P>=0.95 {r95}  {qps:8.1f} q/s  speed ratio ours/this "
        f"{ours_qps / qps:7.1f}"
    )


def _kinds(reports: dict[str, dict[str, Any]]) -> Iterable[str]:
    names = list(reports)
    yield "  recall per variant kind at each method's best threshold:"
    yield "  " + f"{'kind':<26}" + "".join(f"{n:>12}" for n in names)
    kinds = reports[names[0]]["per_variant_kind_at_best"]
    for kind, v in kinds.items():
        key = "recall" if "recall" in v else "alert_rate"
        cells = "".join(
            f"{reports[n]['per_variant_kind_at_best'].get(kind, {}).get(key, 0.0):12.3f}"
            for n in names
        )
        label = kind if key == "recall" else kind + " (alert rate)"
        yield f"  {label:<26}{cells}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baselines", default="rapidfuzz,logic-v2,logic-v1")
    parser.add_argument("--candidates", type=int, default=20)
    args = parser.parse_args()
    if not (EVAL / "dev_queries.csv").exists() or not SDN.exists():
        print(f"skipped: the evaluation data is not present under {SHARED}")
        return
    scorer = _score_module()
    queries = _queries()

    start = time.perf_counter()
    loaded = load_list(SDN)
    print(f"loaded {loaded.info.entities} entities in {time.perf_counter() - start:.2f} s")
    start = time.perf_counter()
    screener = Screener([loaded])
    print(
        f"built the index of {len(screener.index.names)} names in "
        f"{time.perf_counter() - start:.2f} s (matcher {screener.version})"
    )
    reports: dict[str, dict[str, Any]] = {}
    speeds: dict[str, float] = {}
    results, speeds["chainbreaker"] = _timed(
        "chainbreaker", lambda: _ours(screener, queries), len(queries)
    )
    reports["chainbreaker"] = _evaluate(results, scorer)
    baselines = [b for b in args.baselines.split(",") if b]
    if baselines:
        entities = loaded.entities
        start = time.perf_counter()
        cands = _rapidfuzz_candidates(entities, queries, args.candidates)
        seconds = time.perf_counter() - start
        speeds["rapidfuzz"] = len(queries) / seconds
        print(f"  {'rapidfuzz brute force':<28} {len(queries)} queries in {seconds:7.2f} s")
        if "rapidfuzz" in baselines:
            rf: Results = {
                qid: [(entities[e].entity_id, s) for e, s in v] for qid, v in cands.items()
            }
            reports["rapidfuzz"] = _evaluate(rf, scorer)
        for name in ("logic-v2", "logic-v1"):
            if name not in baselines:
                continue
            if importlib.util.find_spec("nomenklatura") is None:
                print(f"  {name}: skipped (pip install nomenklatura to measure it)")
                continue
            start = time.perf_counter()
            nk = _nomenklatura(name, entities, queries, cands)
            scoring = time.perf_counter() - start
            # per query: finding its candidates (rapidfuzz) plus scoring them
            speeds[name] = len(queries) / (scoring + seconds)
            print(f"  {name:<28} {len(queries)} queries scored in {scoring:7.2f} s")
            reports[name] = _evaluate(nk, scorer)
    print("\nresults on the dev set (best-F1 threshold of each method):")
    for label, report in reports.items():
        print(_row(label, report, speeds[label], speeds["chainbreaker"]))
    print()
    for line in _kinds(reports):
        print(line)
    ours = reports["chainbreaker"]
    print(
        f"\nchainbreaker: top-1 accuracy {ours['top1_accuracy']:.3f}; candidate recall@k "
        + " ".join(f"{k}:{v:.3f}" for k, v in ours["candidate_recall_at_k"].items())
    )
    print("aim: F1 above every baseline, recall >= 0.9 on every kind, >= 2,000 queries/s")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
