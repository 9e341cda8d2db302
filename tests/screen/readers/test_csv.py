"""Tests for CSV reading: goods grouping, bad rows, encodings, batches, arbitrary cell text."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chainbreaker.errors import DataError
from chainbreaker.screen.models import BadRecord
from chainbreaker.screen.readers import read_records
from tests.screen.readers.helpers import read_all, results, write_csv

HEADER = ["Order ID", "Customer Name", "Product Name", "Quantity", "Weight", "Price", "Order Date"]


def test_consecutive_rows_with_one_id_are_one_record(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "o.csv",
        [
            HEADER,
            ["A", "Ann", "p1", "1", "", "", ""],
            ["A", "", "p2", "2", "", "", ""],
            ["B", "Bob", "p3", "1", "", "", ""],
            ["A", "Ann", "p4", "1", "", "", ""],  # A again, not consecutive: a new record
        ],
    )
    shipments, bad = read_all(path)
    assert bad == []
    assert [(s.record_id, s.source_row, [g.description for g in s.goods]) for s in shipments] == [
        ("A", 1, ["p1", "p2"]),
        ("B", 3, ["p3"]),
        ("A", 4, ["p4"]),
    ]


def test_a_record_split_across_batches_comes_out_whole(tmp_path: Path) -> None:
    rows = [HEADER] + [["A", "Ann", f"p{i}", "1", "", "", ""] for i in range(5)]
    rows += [["B", "Bob", "q", "1", "", "", ""]]
    path = write_csv(tmp_path / "o.csv", rows)
    out = results(path, batch_size=2)
    assert sum(r.rows_read for r in out) == 6
    records = [rec for r in out for rec in r.batch.to_pylist()]
    assert [(r["record_id"], len(r["goods"])) for r in records] == [("A", 5), ("B", 1)]


def test_every_kind_of_bad_row_is_reported_with_file_and_row(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "bad.csv",
        [
            HEADER,
            ["", "Ann", "p", "1", "1", "1", "2024-01-01"],  # 1: no id
            ["B", "", "", "1", "1", "1", "2024-01-01"],  # 2: nothing to screen
            ["C", "Cid", "p", "-1", "1", "1", "2024-01-01"],  # 3: negative quantity
            ["D", "Dan", "p", "1", "-2 kg", "1", "2024-01-01"],  # 4: negative weight
            ["E", "Eve", "p", "1", "1", "-5", "2024-01-01"],  # 5: negative value
            ["F", "Fay", "p", "1", "2000000", "1", "2024-01-01"],  # 6: weight over 1,000,000 kg
            ["G", "Gus", "p", "1", "1", "1", "2024-02-30"],  # 7: not a date
            ["H", "Hal", "p", "lots", "1", "1", "2024-01-01"],  # 8: not a number
            ["I", "Ivy", "p", "1", "3 parsecs", "1", "2024-01-01"],  # 9: unknown weight unit
            ["J", "Jo", "p", "1", "1", "1", "2024-01-01", "surplus"],  # 10: one cell too many
            ["K", "Kim", "p", "1", "1", "1", "2024-01-01"],  # 11: good
        ],
    )
    shipments, bad = read_all(path)
    assert [s.record_id for s in shipments] == ["K"]
    file = str(path)
    assert [(b.file, b.row, b.field) for b in bad] == [
        (file, 1, "Order ID"),
        (file, 2, None),
        (file, 3, "Quantity"),
        (file, 4, "Weight"),
        (file, 5, "Price"),
        (file, 6, "Weight"),
        (file, 7, "Order Date"),
        (file, 8, "Quantity"),
        (file, 9, "Weight"),
        (file, 10, None),
    ]
    whys = [b.why for b in bad]
    assert whys[0] == "no record id"
    assert "nothing to screen" in whys[1]
    assert whys[2].startswith("negative goods.quantity")
    assert whys[5].startswith("impossible weight over 1,000,000 kg")
    assert whys[6] == "not a date: '2024-02-30'"
    assert whys[7] == "not a number: 'lots'"
    assert whys[8] == "unknown weight unit: 'parsecs'"
    assert whys[9].startswith("8 cells where the header has 7")
    assert str(bad[0]) == f"{file}:1 (Order ID): no record id"


def test_broken_encoding_is_reported_and_the_run_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    text = "Order ID,Customer Name,Product Name\nA,Ann,p\nB,Jos\xe9,p\nC,Cy,p\n"
    path.write_bytes(text.encode("latin-1"))  # é as the single byte 0xE9: not UTF-8
    shipments, bad = read_all(path)
    assert [s.record_id for s in shipments] == ["A", "C"]
    assert [(b.row, b.field) for b in bad] == [(2, "Customer Name")]
    assert "not UTF-8" in bad[0].why and "b'Jos\\xe9'" in bad[0].why


def test_broken_bytes_in_a_column_not_read_do_not_matter(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes(b"Order ID,Customer Name,Notes\nA,Ann,caf\xe9\n")
    [shipment], bad = read_all(path)
    assert bad == []
    assert shipment.parties[0].name == "Ann"


def test_byte_order_marks(tmp_path: Path) -> None:
    text = "Order ID,Customer Name\nA,Zoë\n"
    for name, data in (
        ("bom8.csv", b"\xef\xbb\xbf" + text.encode("utf-8")),
        ("bom16.csv", text.encode("utf-16")),
    ):
        path = tmp_path / name
        path.write_bytes(data)
        [shipment], bad = read_all(path)
        assert (bad, shipment.record_id, shipment.parties[0].name) == ([], "A", "Zoë")


def test_an_unterminated_quote_is_one_bad_row_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    big = "x" * 200_000  # the cell runs past the csv module's field-size limit
    path.write_text(f'Order ID,Customer Name\nA,Ann\nB,"{big}\nC,Cy\n', encoding="utf-8")
    shipments, bad = read_all(path)
    assert [s.record_id for s in shipments] == ["A", "C"]  # the reader goes on at the next line
    assert [b.row for b in bad] == [2]
    assert "cannot be split into cells" in bad[0].why


def test_empty_and_unknown_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(DataError, match=r"empty\.csv: empty file"):
        read_all(empty)
    with pytest.raises(DataError, match=r"manifest\.xml: unknown format '\.xml'"):
        read_all(tmp_path / "manifest.xml", profile="order") if (
            tmp_path / "manifest.xml"
        ).write_text("<x/>") else None
    with pytest.raises(DataError, match=r"missing\.csv: no such file"):
        read_all(tmp_path / "missing.csv")


def test_header_only_gives_one_empty_result(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "h.csv", [HEADER])
    [result] = results(path)
    assert (result.batch.num_rows, result.bad, result.rows_read, result.profile) == (
        0,
        [],
        0,
        "order",
    )


def test_progress_counts_rows_and_bytes(tmp_path: Path) -> None:
    rows = [HEADER] + [[f"O{i}", "Ann", "p", "1", "", "", ""] for i in range(50)]
    path = write_csv(tmp_path / "o.csv", rows)
    out = results(path, batch_size=20)
    assert sum(r.rows_read for r in out) == 50
    assert out[-1].bytes_read == path.stat().st_size
    assert [r.bytes_read for r in out] == sorted(r.bytes_read for r in out)


def _generated(path: Path, n: int) -> Path:
    """n rows; ids repeat in runs of 1 to 3 rows; every 37th row is bad (negative price)."""
    rows = [HEADER]
    for i in range(n):
        record = i - i % 3 if i % 7 < 3 else i
        price = "-1" if i % 37 == 5 else f"{i % 90}.5"
        rows.append([f"R{record}", f"Name {i % 11}", f"item {i}", str(1 + i % 4), "", price, ""])
    return write_csv(path, rows)


def test_small_batches_give_the_same_records_as_one_batch(tmp_path: Path) -> None:
    path = _generated(tmp_path / "big.csv", 3000)
    whole, whole_bad = read_all(path, batch_size=100_000)
    small, small_bad = read_all(path, batch_size=7)
    assert small == whole
    assert small_bad == whole_bad
    assert len(whole_bad) == len([i for i in range(3000) if i % 37 == 5])
    assert sum(len(s.goods) for s in whole) + len(whole_bad) == 3000


cells = st.text(max_size=12)


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(
        st.tuples(cells, cells, cells, cells, cells, cells, cells), min_size=0, max_size=12
    ),
    batch_size=st.integers(1, 5),
)
def test_arbitrary_cells_never_crash_and_every_row_is_accounted(
    tmp_path: Path, rows: list[tuple[str, ...]], batch_size: int
) -> None:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    # the product cell always holds text, so a kept row always gives one goods line
    writer.writerows([(a, b, "d" + c, d, e, f, g) for a, b, c, d, e, f, g in rows])
    path = tmp_path / "fuzz.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    shipments, bad = read_all(path, batch_size=batch_size)
    assert all(isinstance(b, BadRecord) and b.file == str(path) for b in bad)
    assert sum(len(s.goods) for s in shipments) + len(bad) == len(rows)


@settings(max_examples=100, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.binary(max_size=300))
def test_arbitrary_bytes_after_the_header_never_crash(tmp_path: Path, body: bytes) -> None:
    path = tmp_path / "bytes.csv"
    path.write_bytes(",".join(HEADER).encode() + b"\n" + body)
    for result in read_records(path, batch_size=3):
        assert result.batch.num_rows >= 0
