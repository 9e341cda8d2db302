"""`synth network`: layered supply chains with ground truth, for tests and benchmarks.

Suppliers -> brokers/fronts -> forwarders/routes -> labs. Each node ships to 1-3 nodes of the
next layer, picked in proportion to a heavy-tailed attractiveness (a few hubs funnel most of
the flow, as brokers and consolidators do), and now and then skips a layer (a supplier shipping
to a forwarder directly). Each link's weight is a volume (5-40 units per record, 1-3 records
per link). Every node also has 1-2 latent alternative links to other nodes of the next layer:
partners it could switch to when its own are cut (the ground truth of `network plan`'s
rerouting simulation); they are written with `latent` = true and are not observed flow.

With `variants` > 0 that share of records spells a company's name differently (case, legal
form), and writes its company number, so that entity resolution has work to do; the truth file
names the company every spelling belongs to.

Files written into OUTPUT: edges.csv (the edge-file format of `network build --edges`),
truth.csv (name, role, layer), sources.txt (suppliers) and sinks.txt (labs), one name a line.
"""

from __future__ import annotations

import csv
import itertools
import random
import time
from dataclasses import dataclass, field
from pathlib import Path

EDGE_COLUMNS = (
    "from",
    "from_type",
    "to",
    "to_type",
    "type",
    "weight",
    "date",
    "record",
    "note",
    "latent",
)
ROLES = ("supplier", "broker", "forwarder", "lab")
#: Share of the nodes in each layer.
LAYER_SHARE = (0.25, 0.2, 0.2, 0.35)
#: Observed links per node on average (1-3 successors plus skips), used to size the network.
LINKS_PER_NODE = 1.6
_FORMS = ("Co., Ltd.", "Company Limited", "Trading Co", "Ltd", "Co Ltd")
_SYLLABLES = (
    "an",
    "bai",
    "chen",
    "da",
    "fu",
    "gao",
    "hai",
    "heng",
    "hua",
    "jin",
    "kai",
    "long",
    "ming",
    "nan",
    "qi",
    "rui",
    "sheng",
    "tai",
    "tian",
    "wei",
    "xin",
    "yang",
    "yong",
    "zhong",
    "mar",
    "sol",
    "cor",
    "ven",
    "tal",
    "ria",
    "dor",
    "lum",
)
_KIND = {
    "supplier": "Chemical",
    "broker": "Trading",
    "forwarder": "Logistics",
    "lab": "Industrial",
}


@dataclass(slots=True)
class SynthNetwork:
    """What `write_network` wrote."""

    files: dict[str, Path] = field(default_factory=dict)
    nodes: int = 0
    edges: int = 0  # observed edge records
    latent: int = 0
    seconds: float = 0.0


def _name(rng: random.Random, role: str, taken: set[str]) -> str:
    """A made-up company name not given before: two invented words and the line of trade."""
    while True:
        words = [
            "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
            for _ in range(2)
        ]
        name = f"{words[0]} {words[1]} {_KIND[role]}"
        if name not in taken:
            taken.add(name)
            return name


def write_network(output: Path, edges: int, seed: int, variants: float = 0.0) -> SynthNetwork:
    """Write a layered network of about `edges` observed edge records into `output`."""
    start = time.perf_counter()
    rng = random.Random(seed)
    output.mkdir(parents=True, exist_ok=True)
    total = max(8, round(edges / (LINKS_PER_NODE * 2)))
    layers: list[list[int]] = []
    next_id = 0
    for share in LAYER_SHARE:
        size = max(2, round(total * share))
        layers.append(list(range(next_id, next_id + size)))
        next_id += size
    role_of = {n: ROLES[k] for k, layer in enumerate(layers) for n in layer}
    taken: set[str] = set()
    names = {n: _name(rng, role_of[n], taken) for n in sorted(role_of)}
    appeal = {n: rng.paretovariate(1.2) for n in role_of}
    result = SynthNetwork(nodes=len(role_of))
    edges_path = output / "edges.csv"
    with edges_path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(EDGE_COLUMNS)
        record = 0

        used: dict[int, set[str]] = {}

        def spelled(n: int) -> str:
            text = names[n]
            if variants > 0 and rng.random() < variants:
                text = f"{names[n]} {rng.choice(_FORMS)}"
                text = text.upper() if rng.random() < 0.5 else text
            used.setdefault(n, set()).add(text)
            return text

        for k in range(len(layers) - 1):
            here, nxt = layers[k], layers[k + 1]
            # cumulative once per layer: choices() would add the weights up on every call
            cumulative = list(itertools.accumulate(appeal[n] for n in nxt))
            skip = layers[k + 2] if k + 2 < len(layers) else None
            for n in here:
                count = rng.randint(1, 3)
                targets = set(rng.choices(nxt, cum_weights=cumulative, k=count))
                if skip is not None and rng.random() < 0.1:
                    targets.add(rng.choice(skip))
                for t in sorted(targets):
                    for _ in range(rng.randint(1, 3)):
                        record += 1
                        day = 1 + record % 28
                        out.writerow(
                            (
                                spelled(n),
                                "company",
                                spelled(t),
                                "company",
                                "shipped_to",
                                rng.randint(5, 40),
                                f"2025-03-{day:02d}",
                                f"R{record:08d}",
                                "",
                                "",
                            )
                        )
                        result.edges += 1
                free = [x for x in rng.sample(nxt, min(len(nxt), 4)) if x not in targets]
                for t in free[: rng.randint(1, 2)]:
                    out.writerow(
                        (
                            names[n],
                            "company",
                            names[t],
                            "company",
                            "shipped_to",
                            rng.randint(5, 40),
                            "",
                            "",
                            "latent alternative",
                            "true",
                        )
                    )
                    result.latent += 1
        if variants > 0:
            # company numbers tie the spellings together
            for n in sorted(role_of):
                record += 1
                out.writerow(
                    (
                        spelled(n),
                        "company",
                        f"CN-{n:08d}",
                        "company_number",
                        "has_company_number",
                        1,
                        "",
                        f"R{record:08d}",
                        "",
                        "",
                    )
                )
                result.edges += 1
    truth_path = output / "truth.csv"
    with truth_path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(("name", "role", "layer"))
        for n in sorted(role_of):
            out.writerow((names[n], role_of[n], ROLES.index(role_of[n])))
    sources_path = output / "sources.txt"
    sinks_path = output / "sinks.txt"
    # terminals that appear in some observed record (a lab nobody shipped to is not known)
    seen = set(used)
    sources = "".join(names[n] + "\n" for n in layers[0] if n in seen)
    sinks = "".join(names[n] + "\n" for n in layers[-1] if n in seen)
    sources_path.write_text(sources, encoding="utf-8")
    sinks_path.write_text(sinks, encoding="utf-8")
    result.files = {
        "edges": edges_path,
        "truth": truth_path,
        "sources": sources_path,
        "sinks": sinks_path,
    }
    result.seconds = time.perf_counter() - start
    return result
