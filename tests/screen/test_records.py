import pyarrow as pa
import pytest

from chainbreaker.screen.records import (
    SHIPMENT_SCHEMA,
    GoodsLine,
    Party,
    Shipment,
    batch_from_shipments,
    shipments_from_batch,
)

A = Shipment(
    "A1",
    "postal",
    "a.csv",
    2,
    date="2026-11-01",
    category="gift",
    origin_country="CN",
    destination_country="US",
    transit=("HK", "ANC"),
    total_weight_kg=0.5,
    total_value=12.0,
    currency="USD",
    pieces=1,
    parties=(Party("shipper", "Li Wei", city="Wuhan"), Party("consignee", "Ann Lee")),
    goods=(GoodsLine("gift", "950300", 1.0), GoodsLine("toy", weight_kg=0.2, cas="79-10-7")),
)
B = Shipment("B2", "express", "b.csv", 7, master_id="MAWB-1")  # no parties, goods or transit
C = Shipment("C3", "order", "c.csv", 9, parties=(Party("buyer", "Acme"),))


def test_records_come_back_as_they_went_in() -> None:
    batch = batch_from_shipments([A, B, C])
    assert list(shipments_from_batch(batch)) == [A, B, C]


def test_a_slice_of_a_batch_gives_its_own_records() -> None:
    batch = batch_from_shipments([A, B, C, A])
    assert list(shipments_from_batch(batch.slice(1, 2))) == [B, C]
    assert list(shipments_from_batch(batch.slice(2))) == [C, A]


def test_null_lists_are_empty() -> None:
    row = B.to_row() | {"parties": None, "goods": None, "transit": None}
    batch = pa.RecordBatch.from_pylist([row, C.to_row()], schema=SHIPMENT_SCHEMA)
    assert list(shipments_from_batch(batch)) == [B, C]


def test_a_null_party_inside_a_list_is_an_error_not_a_wrong_record() -> None:
    row = C.to_row() | {"parties": [None]}
    batch = pa.RecordBatch.from_pylist([row], schema=SHIPMENT_SCHEMA)
    with pytest.raises(ValueError, match="Party entry"):
        list(shipments_from_batch(batch))
