"""The graph on disk: a folder with nodes.parquet, edges.parquet, merges.jsonl and meta.json.

`network build --output G` writes it, every other `network` command reads it. Parquet keeps a
million edges in a few megabytes and is read by DuckDB, pandas or Spark as it is.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from chainbreaker.errors import DataError
from chainbreaker.network.model import Edge, Graph, MergeDecision, Node

FORMAT = "chainbreaker-network/1"

NODE_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("type", pa.string()),
        ("label", pa.string()),
        ("names", pa.list_(pa.string())),
        ("records", pa.list_(pa.string())),
        ("attrs", pa.string()),  # JSON object
    ]
)
EDGE_SCHEMA = pa.schema(
    [
        ("src", pa.string()),
        ("dst", pa.string()),
        ("type", pa.string()),
        ("weight", pa.float64()),
        ("source_file", pa.string()),
        ("record", pa.string()),
        ("date", pa.string()),
        ("note", pa.string()),
        ("latent", pa.bool_()),
    ]
)


def write_graph(graph: Graph, folder: Path) -> None:
    """Write `graph` into `folder` (created when missing; its four files replaced)."""
    folder.mkdir(parents=True, exist_ok=True)
    nodes = list(graph.nodes.values())
    table = pa.table(
        {
            "id": [n.id for n in nodes],
            "type": [n.type for n in nodes],
            "label": [n.label for n in nodes],
            "names": [list(n.names) for n in nodes],
            "records": [list(n.records) for n in nodes],
            "attrs": [json.dumps(n.attrs, ensure_ascii=False, sort_keys=True) for n in nodes],
        },
        schema=NODE_SCHEMA,
    )
    pq.write_table(table, folder / "nodes.parquet", compression="zstd")
    edges = graph.edges
    columns: dict[str, list[Any]] = {name: [] for name in EDGE_SCHEMA.names}
    for e in edges:
        columns["src"].append(e.src)
        columns["dst"].append(e.dst)
        columns["type"].append(e.type)
        columns["weight"].append(e.weight)
        columns["source_file"].append(e.source_file)
        columns["record"].append(e.record)
        columns["date"].append(e.date)
        columns["note"].append(e.note)
        columns["latent"].append(e.latent)
    pq.write_table(
        pa.table(columns, schema=EDGE_SCHEMA), folder / "edges.parquet", compression="zstd"
    )
    with (folder / "merges.jsonl").open("w", encoding="utf-8") as out:
        for m in graph.merges:
            out.write(json.dumps(m.to_dict(), ensure_ascii=False) + "\n")
    meta = {"format": FORMAT, **graph.meta, "nodes": len(nodes), "edges": len(edges)}
    (folder / "meta.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n")


def read_graph(folder: Path) -> Graph:
    """Read a graph folder written by `write_graph`; DataError when it is not one."""
    meta_path = folder / "meta.json"
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise DataError(
            f"{folder}: not a network graph (no meta.json); make one with `network build`"
        ) from exc
    except (OSError, json.JSONDecodeError) as exc:
        raise DataError(f"{meta_path}: cannot be read: {exc}") from exc
    if meta.get("format") != FORMAT:
        raise DataError(f"{meta_path}: format {meta.get('format')!r}, expected {FORMAT!r}")
    try:
        ntab = pq.read_table(folder / "nodes.parquet").to_pydict()
        etab = pq.read_table(folder / "edges.parquet").to_pydict()
    except (OSError, pa.ArrowInvalid) as exc:
        raise DataError(f"{folder}: the node or edge table cannot be read: {exc}") from exc
    graph = Graph(meta={k: v for k, v in meta.items() if k not in ("nodes", "edges", "format")})
    for i, node_id in enumerate(ntab["id"]):
        graph.nodes[node_id] = Node(
            node_id,
            ntab["type"][i],
            ntab["label"][i],
            tuple(ntab["names"][i] or ()),
            tuple(ntab["records"][i] or ()),
            json.loads(ntab["attrs"][i] or "{}"),
        )
    graph.edges = [
        Edge(*row)
        for row in zip(
            etab["src"],
            etab["dst"],
            etab["type"],
            etab["weight"],
            etab["source_file"],
            etab["record"],
            etab["date"],
            etab["note"],
            etab["latent"],
            strict=True,
        )
    ]
    merges_path = folder / "merges.jsonl"
    if merges_path.exists():
        for n, line in enumerate(merges_path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                d = json.loads(line)
                graph.merges.append(
                    MergeDecision(
                        d["node"],
                        d["left"],
                        d["right"],
                        float(d["score"]),
                        d["reason"],
                        bool(d["applied"]),
                        tuple(d.get("records", ())),
                    )
                )
            except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
                raise DataError(f"{merges_path}: line {n}: not a merge decision ({exc})") from exc
    return graph
