"""Context keys and counts over a few records."""

from __future__ import annotations

from chainbreaker.screen.detectors.context import Context, context_from_batches, normal_key
from chainbreaker.screen.records import Party, Shipment, batch_from_shipments


def parcel(n: int, name: str, address: str, date: str | None = "2024-05-01") -> Shipment:
    consignee = Party("consignee", name, address=address, city="Tijuana", country="MX")
    return Shipment(
        f"r{n}", "postal", "f.csv", n, date=date, parties=(Party("shipper", "S"), consignee)
    )


def test_normal_key() -> None:
    assert normal_key("Juan  Pérez", None, "Calle 5 #10") == "juan perez calle 5 10"
    assert normal_key(None, "") == ""


def test_keys_of_a_record() -> None:
    assert Context.keys(parcel(1, "Juan  Pérez", "Calle 5 #10")) == {
        "consignee": "juan perez | calle 5 10 tijuana mx",
        "consignee_day": "juan perez | calle 5 10 tijuana mx | 2024-05-01",
        "address_day": "calle 5 10 tijuana mx | 2024-05-01",
    }


def test_keys_without_date_or_consignee() -> None:
    assert Context.keys(parcel(1, "Juan Perez", "Calle 5", date=None)) == {
        "consignee": "juan perez | calle 5 tijuana mx"
    }
    assert Context.keys(Shipment("r", "postal", "f.csv", 1, parties=(Party("shipper", "S"),))) == {}


def test_from_counts() -> None:
    ctx = Context.from_counts({"consignee_day": {"a": 3, "b": 1}})
    assert ctx.count("consignee_day", "a") == 3
    assert ctx.count("consignee_day", "b") == 1  # seen once: not stored, counts 1
    assert ctx.count("address_day", "a") == 1
    assert len(ctx) == 1


def test_context_from_batches_counts_over_all_batches() -> None:
    records = [
        parcel(1, "Juan Perez", "Calle 5 #10"),
        parcel(2, "JUAN PÉREZ", "calle 5, 10"),  # the same consignee written another way
        parcel(3, "Ana Ruiz", "Calle 5 #10"),  # another name at the same address
        parcel(4, "Juan Perez", "Calle 5 #10", date="2024-05-02"),
    ]
    ctx = context_from_batches(
        [batch_from_shipments(records[:1]), batch_from_shipments(records[1:])]
    )
    keys = Context.keys(records[0])
    assert ctx.count("consignee", keys["consignee"]) == 3
    assert ctx.count("consignee_day", keys["consignee_day"]) == 2
    assert ctx.count("address_day", keys["address_day"]) == 3
    assert ctx.count("consignee_day", Context.keys(records[3])["consignee_day"]) == 1
