"""The rules of data/rules.yaml on records built here, and the user file's overrides."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chainbreaker.errors import DataError
from chainbreaker.screen.detectors.context import Context
from chainbreaker.screen.detectors.rule_checks import tokens
from chainbreaker.screen.detectors.rules import RuleDetector, format_reason, load_rules
from chainbreaker.screen.records import GoodsLine, Party, Shipment


@pytest.fixture(scope="module")
def rules() -> RuleDetector:
    return RuleDetector(load_rules())


def rec(**kw: object) -> Shipment:
    base: dict[str, object] = {
        "record_id": "r1",
        "profile": "postal",
        "source_file": "f.csv",
        "source_row": 2,
    }
    return Shipment(**(base | kw))  # type: ignore[arg-type]


def fired(
    rules: RuleDetector, s: Shipment, context: Context | None = None
) -> list[tuple[str, float]]:
    return sorted((h.rule, h.score) for h in rules.detect(s, context))


def goods(*descriptions: str) -> tuple[GoodsLine, ...]:
    return tuple(GoodsLine(d, quantity=1, weight_kg=0.1, value=10) for d in descriptions)


def test_tokens() -> None:
    assert tokens("2 PCS Mercancía-Varia 礼物!") == ["pcs", "mercancia", "varia", "礼", "物"]


@pytest.mark.parametrize(
    "text", ["Gift", "2 pcs samples", "free sample", "礼物", "Regalo", "spare parts x3"]
)
def test_vague_descriptions(rules: RuleDetector, text: str) -> None:
    assert fired(rules, rec(goods=goods(text))) == [("rule.vague_description", 0.2)]


@pytest.mark.parametrize(
    "text",
    ["Research chemicals", "chemical sample", "white powder 1kg", "化工原料", "Muestra química"],
)
def test_vague_chemical_descriptions(rules: RuleDetector, text: str) -> None:
    assert fired(rules, rec(goods=goods(text))) == [("rule.vague_chemical_description", 0.4)]


@pytest.mark.parametrize(
    "text", ["gift set of kitchen knives", "car parts brake pads", "1-boc-4-piperidone sample"]
)
def test_described_goods_are_not_vague(rules: RuleDetector, text: str) -> None:
    assert fired(rules, rec(goods=goods(text))) == []


def _line(description: str, hs_code: str | None) -> tuple[GoodsLine, ...]:
    return (GoodsLine(description, hs_code, quantity=1, weight_kg=0.1, value=10),)


@pytest.mark.parametrize("hs_code", ["293339", "2933390000", "2807", "300490", "382200"])
def test_a_vague_description_under_a_chemical_chapter(rules: RuleDetector, hs_code: str) -> None:
    # chapters 28, 29, 30 and 38: "Gift" is vague (0.2), and vague under a chemical code (0.2)
    found = fired(rules, rec(goods=_line("Gift", hs_code)))
    assert found == [("rule.vague_chemical_code", 0.2), ("rule.vague_description", 0.2)]
    hit = next(h for h in rules.detect(rec(goods=_line("Gift", hs_code))) if "code" in h.rule)
    assert hit.evidence == {"description": "Gift", "hs_code": hs_code}
    assert hit.reason == (
        f"The goods description 'Gift' does not say which chemical is declared under HS {hs_code}."
    )


@pytest.mark.parametrize(
    ("description", "hs_code"),
    [("Gift", "330499"), ("Gift", None), ("kitchen knives", "293339"), ("4-AP", "293339")],
)
def test_no_vague_chemical_code_on_other_chapters_or_named_goods(
    rules: RuleDetector, description: str, hs_code: str | None
) -> None:
    found = [rule for rule, _ in fired(rules, rec(goods=_line(description, hs_code)))]
    assert "rule.vague_chemical_code" not in found


def test_a_vague_chemical_under_a_chemical_code_has_both_hits(rules: RuleDetector) -> None:
    found = fired(rules, rec(goods=_line("white powder", "2933390000")))
    assert found == [("rule.vague_chemical_code", 0.2), ("rule.vague_chemical_description", 0.4)]


def test_vague_reason_quotes_the_description(rules: RuleDetector) -> None:
    (hit,) = rules.detect(rec(goods=goods("Gift")))
    assert hit.reason == "The goods description 'Gift' does not say what the goods are."
    assert hit.where == "goods[0].description"


def test_missing_description(rules: RuleDetector) -> None:
    assert fired(rules, rec(goods=(GoodsLine(None, quantity=1), GoodsLine("  ")))) == [
        ("rule.missing_description", 0.2)
    ]
    assert fired(rules, rec()) == [("rule.missing_description", 0.2)]


def test_low_value(rules: RuleDetector) -> None:
    assert fired(
        rules, rec(goods=goods("cotton socks"), total_value=0.5, category="sale of goods")
    ) == [("rule.low_value", 0.2)]
    # no total: the lines' values, 0.2 + 0.3 = 0.5 < 1
    lines = (GoodsLine("cotton socks", value=0.2), GoodsLine("wool hat", value=0.3))
    assert fired(rules, rec(goods=lines)) == [("rule.low_value", 0.2)]
    assert fired(rules, rec(goods=goods("contract"), total_value=0.0, category="Documents")) == []
    assert fired(rules, rec(goods=(GoodsLine("cotton socks"),))) == []  # no value: no finding


def test_weight_per_unit(rules: RuleDetector) -> None:
    # 1.0 kg / 2 phone cases = 0.5 kg each, over 0.3
    heavy = (GoodsLine("silicone phone case", quantity=2, weight_kg=1.0, value=10),)
    (hit,) = rules.detect(rec(goods=heavy))
    assert (hit.rule, hit.score, hit.where) == ("rule.weight_per_unit", 0.3, "goods[0].weight_kg")
    assert hit.reason == "phone case declared at 0.5 kg per unit, outside 0.005-0.3 kg."
    light = (GoodsLine("silicone phone case", quantity=10, weight_kg=0.5, value=10),)
    assert fired(rules, rec(goods=light)) == []
    # one line without its own weight: the record's total weight
    one = (GoodsLine("sneakers", quantity=1, value=10),)
    assert fired(rules, rec(goods=one, total_weight_kg=4.0)) == [("rule.weight_per_unit", 0.3)]


def test_transshipment(rules: RuleDetector) -> None:
    hits = rules.detect(rec(goods=goods("cotton socks"), transit=("HKG", "ANC", "Hong Kong")))
    assert [(h.rule, h.evidence["point"]) for h in hits] == [
        ("rule.transshipment", "HKG"),
        ("rule.transshipment", "HK"),
    ]
    assert fired(rules, rec(goods=goods("cotton socks"), transit=("FRA", "ANC"))) == []


def _parcels(n: int, weight: float, names: bool = False) -> list[Shipment]:
    return [
        rec(
            record_id=f"r{i}",
            date="2024-05-01",
            goods=goods("cotton socks"),
            total_weight_kg=weight,
            parties=(
                Party("consignee", f"Name {i}" if names else "Ana Ruiz", address="Calle 5 #10"),
            ),
        )
        for i in range(n)
    ]


def _context(records: list[Shipment]) -> Context:
    counts: dict[str, dict[str, int]] = {}
    for r in records:
        for kind, key in Context.keys(r).items():
            counts.setdefault(kind, {})
            counts[kind][key] = counts[kind].get(key, 0) + 1
    return Context.from_counts(counts)


def test_repeated_consignee(rules: RuleDetector) -> None:
    five = _parcels(5, 0.4)
    hits = rules.detect(five[0], _context(five))
    assert [(h.rule, h.score) for h in hits] == [("rule.repeated_consignee", 0.35)]
    assert (
        hits[0].reason
        == "The consignee received 5 parcels in the records screened; this one weighs 0.4 kg."
    )
    four = _parcels(4, 0.4)
    assert fired(rules, four[0], _context(four)) == []
    heavy = _parcels(5, 3.0)
    assert fired(rules, heavy[0], _context(heavy)) == []
    assert fired(rules, five[0], None) == []  # no context, no cross-record rule


def test_repeated_address_under_different_names(rules: RuleDetector) -> None:
    eight = _parcels(8, 0.4, names=True)
    assert fired(rules, eight[0], _context(eight)) == [("rule.repeated_address", 0.3)]
    seven = _parcels(7, 0.4, names=True)
    assert fired(rules, seven[0], _context(seven)) == []


def test_gift_with_commercial_quantity(rules: RuleDetector) -> None:
    lines = (GoodsLine("cotton socks", quantity=25, weight_kg=1.0, value=50),)
    (hit,) = rules.detect(rec(goods=lines, category="Gift"))
    assert (hit.rule, hit.reason) == (
        "rule.gift_commercial",
        "Declared a gift, but it holds 25 units.",
    )
    small = (GoodsLine("cotton socks", quantity=2, weight_kg=0.3, value=20),)
    assert fired(rules, rec(goods=small, category="gift")) == []
    assert fired(rules, rec(goods=lines, category="sale of goods")) == []


def test_shipper_country_and_origin(rules: RuleDetector) -> None:
    shipper = (Party("shipper", "S", country="China"),)
    assert fired(rules, rec(goods=goods("socks"), parties=shipper, origin_country="HK")) == [
        ("rule.shipper_origin", 0.15)
    ]
    assert fired(rules, rec(goods=goods("socks"), parties=shipper, origin_country="CN")) == []
    assert fired(rules, rec(goods=goods("socks"), parties=shipper)) == []


def test_user_rules_extend_and_override(tmp_path: Path) -> None:
    user = tmp_path / "mine.yaml"
    user.write_text(
        """rules:
  - id: rule.low_value
    score: 0.5
    params: {min_value: 5}
  - id: rule.transshipment
    enabled: false
  - id: rule.widgets
    kind: vague_description
    description: widgets say nothing
    score: 0.25
    params: {words: {en: [widget, widgets]}}
    reason: "{description} again"
""",
        encoding="utf-8",
    )
    detector = RuleDetector(load_rules(user))
    low = {r.id: r for r in detector.rules}["rule.low_value"]
    assert low.params == {
        "min_value": 5,
        "categories_exempt": ["documents", "document", "returned goods", "returned"],
    }
    s = rec(goods=goods("Widgets"), total_value=3.0, transit=("HKG",))
    assert fired(detector, s) == [("rule.low_value", 0.5), ("rule.widgets", 0.25)]


_RULE_X = "rules:\n  - id: rule.x\n"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            _RULE_X + "    kind: nope\n    description: d\n    score: 0.1\n    reason: r\n",
            "unknown kind",
        ),
        (
            _RULE_X + "    kind: low_value\n    description: d\n    score: 1.5\n    reason: r\n",
            "outside 0..1",
        ),
        ("rules:\n  - id: rule.x\n    kind: low_value\n", "missing description, score, reason"),
        ("rules: {a: 1}\n", "must be a list"),
        ("rules:\n  - just text\n", "rule 1"),
        ("rules: [\n", "not valid YAML"),
    ],
)
def test_bad_user_rules_are_data_errors(tmp_path: Path, body: str, message: str) -> None:
    user = tmp_path / "bad.yaml"
    user.write_text(body, encoding="utf-8")
    with pytest.raises(DataError, match=re.escape(message)):
        load_rules(user)


def test_bad_params_are_data_errors(tmp_path: Path) -> None:
    user = tmp_path / "bad.yaml"
    user.write_text(
        "rules:\n  - id: rule.low_value\n    params: {min_value: lots}\n", encoding="utf-8"
    )
    with pytest.raises(DataError, match=r"rule\.low_value"):
        RuleDetector(load_rules(user))


def test_format_reason_leaves_unknown_names() -> None:
    assert format_reason("{a} and {b}", {"a": 1}) == "1 and {b}"


@given(st.text(max_size=60))
def test_tokens_are_plain_words(text: str) -> None:
    for token in tokens(text):
        assert (token.isascii() and token.isalpha() and token.islower()) or len(token) == 1
