from pathlib import Path

from chainbreaker.screen.engines.key_tally import KEYS_SCHEMA, KeyTally, key_rows


def test_counts_add_up_over_batches_and_only_repeated_keys_come_back(tmp_path: Path) -> None:
    with KeyTally(tmp_path) as tally:
        tally.add({"consignee": {"a": 1, "b": 1}, "address_day": {"x": 2}})
        tally.add({"consignee": {"a": 1, "c": 1}})
        tally.add({"consignee": {"a": 3}, "address_day": {"y": 1}})
        assert tally.rows == 7  # 3 + 2 + 2 (kind, key) rows
        # a: 1 + 1 + 3 = 5; b, c: once each (dropped); x: 2 in one batch; y: once (dropped)
        assert tally.repeated() == {"consignee": {"a": 5}, "address_day": {"x": 2}}


def test_kinds_are_counted_apart(tmp_path: Path) -> None:
    with KeyTally(tmp_path) as tally:
        tally.add({"consignee": {"k": 1}, "consignee_day": {"k": 1}})
        assert tally.repeated() == {}


def test_empty_batches_and_no_batches(tmp_path: Path) -> None:
    with KeyTally(tmp_path) as tally:
        tally.add({})
        tally.add({"consignee": {}})
        assert tally.rows == 0
        assert tally.repeated() == {}


def test_exact_beyond_the_memory_limit(tmp_path: Path) -> None:
    # 1,000,000 distinct keys of 60 characters (60 MB of text) under a 64 MB limit: DuckDB
    # spills to disk and the counts stay exact. Every 1,000th key is added a second time.
    with KeyTally(tmp_path, memory_limit="64MB") as tally:
        for start in range(0, 1_000_000, 50_000):
            tally.add({"consignee": {f"{i:060d}": 1 for i in range(start, start + 50_000)}})
        tally.add({"consignee": {f"{i:060d}": 1 for i in range(0, 1_000_000, 1_000)}})
        counts = tally.repeated()
    assert len(counts["consignee"]) == 1_000
    assert set(counts["consignee"].values()) == {2}
    assert f"{0:060d}" in counts["consignee"]
    assert f"{999_000:060d}" in counts["consignee"]
    assert f"{999_001:060d}" not in counts["consignee"]


def test_only_keys_a_rule_can_use_come_back_with_minimums(tmp_path: Path) -> None:
    with KeyTally(tmp_path) as tally:
        tally.add(
            {"consignee": {"a": 2, "b": 3}, "address_day": {"x": 9}, "consignee_day": {"d": 7}}
        )
        tally.add({"consignee": {"a": 1, "c": 1}, "address_day": {"y": 7}})
        # a: 3, b: 3, c: 1; x: 9, y: 7; d: 7 (a kind no rule asks about)
        assert tally.repeated({"consignee": 3, "address_day": 8}) == {
            "consignee": {"a": 3, "b": 3},
            "address_day": {"x": 9},
        }
        assert tally.repeated({"consignee": 1}) == {"consignee": {"a": 3, "b": 3}}  # never under 2
        assert tally.repeated({}) == {}


def test_rows_laid_out_ahead_add_up_with_counts(tmp_path: Path) -> None:
    rows = key_rows({"consignee": {"li wei": 2, "ann": 1}, "address_day": {"1 main st": 1}})
    assert rows.schema == KEYS_SCHEMA
    assert rows.to_pylist() == [
        {"kind": "consignee", "key": "li wei", "n": 2},
        {"kind": "consignee", "key": "ann", "n": 1},
        {"kind": "address_day", "key": "1 main st", "n": 1},
    ]
    with KeyTally(tmp_path) as tally:
        tally.add_rows(rows)
        tally.add({"consignee": {"ann": 1}})
        tally.add_rows(key_rows({}))
        assert tally.rows == 4
        assert tally.repeated() == {"consignee": {"li wei": 2, "ann": 2}}
