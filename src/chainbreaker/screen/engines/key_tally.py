"""Exact counts of the context keys of any number of records, in bounded memory.

The first pass of the local engine counts how many records share each context key (the
consignee, the consignee per day, the address per day). Most keys occur once: a day of ten
million parcels has tens of millions of distinct keys, more than a Python dictionary can hold in
a few GB. The tally appends each batch's keys to a DuckDB table in the run's spill folder and
counts them with one `GROUP BY` at the end; DuckDB spills to disk beyond its memory limit, so
the counts stay exact whatever the input's size, and only the keys seen more than once (the
only ones a `Context` keeps) come back into Python.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from types import TracebackType

import pyarrow as pa

from chainbreaker.screen.engines.spec import KeyCounts, count_rows

__all__ = ["DEFAULT_MEMORY_LIMIT", "KEYS_SCHEMA", "KeyTally", "key_rows"]

#: DuckDB's memory for the tally before it spills to its temporary folder.
DEFAULT_MEMORY_LIMIT = "256MB"
#: Key counts as rows: what `KeyTally.add_rows` takes.
KEYS_SCHEMA = pa.schema([("kind", pa.string()), ("key", pa.string()), ("n", pa.int64())])


def key_rows(part: Mapping[str, Mapping[str, int]]) -> pa.RecordBatch:
    """Key counts {kind: {key: records}} as KEYS_SCHEMA rows."""
    kinds: list[str] = []
    keys: list[str] = []
    ns: list[int] = []
    for kind, by_key in part.items():
        kinds.extend([kind] * len(by_key))
        keys.extend(by_key)
        ns.extend(by_key.values())
    columns = [pa.array(kinds, pa.string()), pa.array(keys, pa.string()), pa.array(ns, pa.int64())]
    return pa.RecordBatch.from_arrays(columns, schema=KEYS_SCHEMA)


class KeyTally:
    """Counts (kind, key) pairs added batch by batch; `repeated()` gives those counted twice+.

    with KeyTally(folder) as tally:
        tally.add({"consignee": {"li wei | 1 main st": 2}})
        counts = tally.repeated()
    """

    def __init__(self, folder: Path, memory_limit: str = DEFAULT_MEMORY_LIMIT) -> None:
        """A tally whose database and spill files live in `folder` (which must exist)."""
        import duckdb  # here: the workers and Spark executors that import this module need not

        spill = folder / "key-tally.tmp"
        self._db = duckdb.connect(
            str(folder / "key-tally.duckdb"),
            config={
                "memory_limit": memory_limit,
                "temp_directory": str(spill),
                "preserve_insertion_order": False,
            },
        )
        self._db.execute("CREATE TABLE keys (kind VARCHAR, key VARCHAR, n BIGINT)")
        #: (kind, key) rows added so far (before any counting).
        self.rows = 0

    def add(self, part: Mapping[str, Mapping[str, int]]) -> None:
        """Add a batch's counts: {kind: {key: records of the batch with that key}}."""
        self.add_rows(key_rows(part))

    def add_rows(self, rows: pa.RecordBatch) -> None:
        """Add counts already laid out as KEYS_SCHEMA rows (see `key_rows`)."""
        if not rows.num_rows:
            return
        self._db.register("batch_keys", rows)
        try:
            self._db.execute("INSERT INTO keys SELECT kind, key, n FROM batch_keys")
        finally:
            self._db.unregister("batch_keys")
        self.rows += rows.num_rows

    def repeated(self, minimums: Mapping[str, int] | None = None) -> KeyCounts:
        """{kind: {key: records}} for every key counted more than once over all batches.

        With `minimums` ({kind: least count}), only the keys of those kinds counted at least
        that often (and at least twice).
        """
        if minimums is None:
            result = self._db.execute(
                "SELECT kind, key, sum(n)::BIGINT FROM keys GROUP BY kind, key HAVING sum(n) > 1"
            )
            return count_rows(result.fetchall())
        if not minimums:
            return {}
        least = pa.table(
            {"kind": list(minimums), "least": [max(2, n) for n in minimums.values()]},
            schema=pa.schema([("kind", pa.string()), ("least", pa.int64())]),
        )
        self._db.register("least_counts", least)
        try:
            result = self._db.execute(
                "SELECT k.kind, k.key, sum(k.n)::BIGINT FROM keys k "
                "JOIN least_counts m ON k.kind = m.kind "
                "GROUP BY k.kind, k.key HAVING sum(k.n) >= any_value(m.least)"
            )
            rows: list[tuple[str, str, int]] = result.fetchall()
        finally:
            self._db.unregister("least_counts")
        return count_rows(rows)

    def close(self) -> None:
        """Close the database (its files go with the spill folder)."""
        self._db.close()

    def __enter__(self) -> KeyTally:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
