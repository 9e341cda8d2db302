"""`write_manifests`: layouts, labels, planted shares, determinism, watch list, CAS numbers."""

from __future__ import annotations

import csv
import itertools
import json
from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from chainbreaker.chem.cas import is_valid_cas
from chainbreaker.errors import InvalidInput
from chainbreaker.parties.loaders import load_list
from chainbreaker.synth.manifests import split_rows, write_manifests

ROWS = 20_000
SEED = 11

# The layouts as the readers expect them (the brief's header names, in order).
EXPECTED_COLUMNS = {
    "postal": "item_id, posting_date, category, sender_name, sender_address, sender_city, "
    "sender_country, sender_phone, sender_email, addressee_name, addressee_address, "
    "addressee_city, addressee_country, addressee_phone, addressee_email, description, "
    "quantity, net_weight_kg, value, currency, hs_code, origin_country, total_gross_weight_kg, "
    "total_value",
    "express": "hawb, mawb, ship_date, shipper_name, shipper_address, shipper_city, "
    "shipper_country, shipper_phone, shipper_email, consignee_name, consignee_address, "
    "consignee_city, consignee_country, consignee_phone, consignee_email, description, hs_code, "
    "pieces, weight_kg, declared_value, currency, origin_airport, destination_airport, routing",
    "de_minimis": "bill_number, entry_number, shipper_name, shipper_address, shipper_country, "
    "consignee_name, consignee_address, consignee_country, country_of_origin, quantity, "
    "fair_retail_value, description, hts_number, port_of_entry",
    "order": "order_id, order_date, buyer_name, buyer_company_number, buyer_address, "
    "buyer_country, buyer_email, buyer_phone, seller_name, product, cas_number, quantity, unit, "
    "value, currency, ship_to_country",
}
KINDS = {"disguised_precursor", "listed_party", "indicator_reuse", "split_parcels"}
KINDS |= {"fentanyl_analogue"}


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("synth") / "day"
    write_manifests(folder, ROWS, SEED)
    return folder


@pytest.fixture(scope="module")
def labels(out: Path) -> list[dict[str, str]]:
    return read_csv(out / "labels.csv")


def record_rows(out: Path, profile: str) -> dict[str, list[dict[str, str]]]:
    id_column = EXPECTED_COLUMNS[profile].split(", ")[0]
    grouped: dict[str, list[dict[str, str]]] = {}
    for row in read_csv(out / f"{profile}.csv"):
        grouped.setdefault(row[id_column], []).append(row)
    return grouped


def test_split_rows() -> None:
    assert split_rows(100, "all") == {"postal": 35, "express": 20, "de_minimis": 35, "order": 10}
    # 7 * 35 // 100 = 2, 7 * 20 // 100 = 1, 7 * 10 // 100 = 0; the 2 left over go to postal
    assert split_rows(7, "all") == {"postal": 4, "express": 1, "de_minimis": 2, "order": 0}
    assert split_rows(5, "order") == {"order": 5}
    with pytest.raises(InvalidInput):
        split_rows(5, "sea")


def test_files_and_columns(out: Path) -> None:
    names = {p.name for p in out.iterdir()}
    assert names == {
        "postal.csv",
        "express.csv",
        "de_minimis.csv",
        "order.csv",
        "labels.csv",
        "watchlist.csv",
        "indicators.csv",
    }
    for profile, header in EXPECTED_COLUMNS.items():
        with (out / f"{profile}.csv").open(encoding="utf-8") as fh:
            assert fh.readline().rstrip("\n").split(",") == header.split(", ")
    with (out / "labels.csv").open(encoding="utf-8") as fh:
        assert fh.readline().strip() == "profile,record_id,planted,kind,detail"
    with (out / "indicators.csv").open(encoding="utf-8") as fh:
        assert fh.readline().strip() == "kind,value,source,note"


def test_labels_cover_every_record_once(out: Path, labels: list[dict[str, str]]) -> None:
    keys = [(row["profile"], row["record_id"]) for row in labels]
    assert len(keys) == len(set(keys)) == ROWS
    in_files = {(p, rid) for p in EXPECTED_COLUMNS for rid in record_rows(out, p)}
    assert set(keys) == in_files
    for row in labels:
        assert row["planted"] in ("true", "false")
        assert (row["planted"] == "true") == bool(row["kind"])
        assert (row["planted"] == "true") == bool(row["detail"])
        assert row["kind"] in KINDS | {""}


def test_records_are_contiguous_and_some_have_several_lines(out: Path) -> None:
    for profile, header in EXPECTED_COLUMNS.items():
        id_column = header.split(", ")[0]
        ids = [row[id_column] for row in read_csv(out / f"{profile}.csv")]
        runs = [ids[0]] + [b for a, b in itertools.pairwise(ids) if a != b]
        assert len(runs) == len(set(runs)), f"{profile}: a record's rows are not together"
        lines = Counter(ids)
        several = sum(1 for count in lines.values() if count > 1)
        assert several > 0.1 * len(lines), profile


def test_planted_share_and_kinds(labels: list[dict[str, str]]) -> None:
    planted = [row for row in labels if row["planted"] == "true"]
    assert 0.02 <= len(planted) / len(labels) <= 0.03
    kinds = Counter(row["kind"] for row in planted)
    assert set(kinds) == KINDS
    for kind in KINDS:  # each kind has a real share of the planted records, none dominates
        assert 0.05 <= kinds[kind] / len(planted) <= 0.5, (kind, kinds)
    by_profile = Counter(row["profile"] for row in planted)
    assert set(by_profile) == set(EXPECTED_COLUMNS)
    assert not any(r["kind"] == "split_parcels" and r["profile"] == "order" for r in planted)


def test_split_parcels_share_a_consignee(out: Path, labels: list[dict[str, str]]) -> None:
    groups: dict[str, list[str]] = {}
    for row in labels:
        if row["kind"] == "split_parcels" and row["profile"] == "postal":
            groups.setdefault(row["detail"].split(":")[0], []).append(row["record_id"])
    assert groups
    postal = record_rows(out, "postal")
    for ids in groups.values():
        assert len(ids) >= 5
        consignees = {
            (postal[i][0]["addressee_name"], postal[i][0]["addressee_address"]) for i in ids
        }
        descriptions = {postal[i][0]["description"] for i in ids}
        assert len(consignees) == 1 and len(descriptions) == 1


def test_listed_and_indicator_values_are_in_their_records(
    out: Path, labels: list[dict[str, str]]
) -> None:
    rows = {p: record_rows(out, p) for p in EXPECTED_COLUMNS}
    checked = Counter()
    for label in labels:
        if label["kind"] not in ("listed_party", "indicator_reuse"):
            continue
        written = label["detail"].split(" written '")[1].split("' (")[0]
        record = rows[label["profile"]][label["record_id"]][0]
        assert any(written in value for value in record.values()), (label, record)
        checked[label["kind"]] += 1
    assert checked["listed_party"] > 10 and checked["indicator_reuse"] > 10


def test_watchlist_loads_with_the_ofac_reader(out: Path, labels: list[dict[str, str]]) -> None:
    loaded = load_list(out / "watchlist.csv", "ofac-csv")
    assert loaded.problems == []
    names = {e.entity_id: {n.full for n in e.names} for e in loaded.entities}
    planted_ids = set()
    for label in labels:
        if label["kind"] == "listed_party":
            # detail: "listed 90111 'ZHOU, Jianguo' written '...' (...) as shipper"
            entity_id, rest = label["detail"].removeprefix("listed ").split(" ", 1)
            listed_name = rest[1:].split("' written '")[0]
            assert listed_name in names[entity_id]
            planted_ids.add(entity_id)
    assert len(planted_ids) >= 10
    assert set(names) - planted_ids, "the list should also hold parties never planted"
    raw = (out / "watchlist.csv").read_bytes()
    assert raw.endswith(b"\r\n\x1a") and raw.isascii()


def test_order_cas_numbers_are_valid(out: Path, labels: list[dict[str, str]]) -> None:
    clean = {r["record_id"] for r in labels if r["profile"] == "order" and r["planted"] == "false"}
    orders = read_csv(out / "order.csv")
    numbers = [row["cas_number"] for row in orders if row["cas_number"]]
    assert len(numbers) > 0.8 * len(orders)
    assert all(is_valid_cas(n) for n in numbers)
    clean_products = {row["product"] for row in orders if row["order_id"] in clean}
    assert not any("piperid" in p.lower() or "fentan" in p.lower() for p in clean_products)


def test_deterministic_for_a_seed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("chainbreaker.synth.manifests.CHUNK", 500)  # several chunks per profile
    write_manifests(tmp_path / "a", 3000, 5, workers=1)
    write_manifests(tmp_path / "b", 3000, 5, workers=2)
    write_manifests(tmp_path / "c", 3000, 6, workers=1)
    for name in ("postal.csv", "express.csv", "de_minimis.csv", "order.csv", "labels.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
        assert (tmp_path / "a" / name).read_bytes() != (tmp_path / "c" / name).read_bytes()


def test_parquet_and_jsonl_hold_the_same_records(tmp_path: Path) -> None:
    write_manifests(tmp_path / "csv", 1500, 9, "express", "csv")
    write_manifests(tmp_path / "pq", 1500, 9, "express", "parquet")
    write_manifests(tmp_path / "js", 1500, 9, "express", "jsonl")
    rows = read_csv(tmp_path / "csv" / "express.csv")
    table = pq.read_table(tmp_path / "pq" / "express.parquet")
    assert table.column_names == EXPECTED_COLUMNS["express"].split(", ")
    assert table.column("hawb").to_pylist() == [r["hawb"] for r in rows]
    assert table.column("weight_kg").to_pylist() == [float(r["weight_kg"]) for r in rows]
    lines = (tmp_path / "js" / "express.jsonl").read_text(encoding="utf-8").splitlines()
    first = json.loads(lines[0])
    assert list(first) == EXPECTED_COLUMNS["express"].split(", ")
    assert [json.loads(x)["hawb"] for x in lines] == [r["hawb"] for r in rows]
    assert (tmp_path / "pq" / "labels.csv").read_bytes() == (
        tmp_path / "csv" / "labels.csv"
    ).read_bytes()


def test_output_that_is_a_file_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "taken"
    target.write_text("x")
    with pytest.raises(InvalidInput):
        write_manifests(target, 10, 1)
