"""The checks behind the rule kinds of `rules.yaml`: each takes the rule's params once and
returns a function from a record (and the Context) to findings: (field, evidence) pairs.

The evidence of a finding fills the rule's reason template ({description}, {count}...).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from chainbreaker.screen.detectors.context import Context
from chainbreaker.screen.detectors.hs_codes import words_pattern
from chainbreaker.screen.detectors.parties import party_country
from chainbreaker.screen.records import Shipment
from chainbreaker.transliteration import to_ascii

__all__ = ["CHECKS", "Check", "Finding", "tokens"]

Finding = tuple[str | None, dict[str, Any]]
Check = Callable[[Shipment, Context | None], list[Finding]]
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[a-z]+")
_MEMO_LIMIT = 100_000
_last_keys: list[tuple[Shipment, dict[str, str]]] = []


def _keys(s: Shipment) -> dict[str, str]:
    """Context.keys of a record, computed once for the rules that ask in turn."""
    if _last_keys and _last_keys[0][0] is s:
        return _last_keys[0][1]
    keys = Context.keys(s)
    _last_keys[:] = [(s, keys)]
    return keys


def tokens(text: str) -> list[str]:
    """Words of a text for phrase lists: Latin words in ASCII lower case (numbers and
    punctuation dropped), and each Chinese character as a token of its own."""
    out: list[str] = []
    for piece in re.split(r"([\u3400-\u9fff\uf900-\ufaff]+)", text):
        if not piece:
            continue
        if _CJK.match(piece):
            out.extend(piece)
        else:
            latin = to_ascii(piece)
            out.extend(_LATIN_WORD.findall(latin.lower()))
    return out


def _phrases(words: dict[str, list[str]]) -> set[tuple[str, ...]]:
    return {tuple(tokens(str(w))) for per_lang in words.values() for w in per_lang} - {()}


def vague_description(params: dict[str, Any]) -> Check:
    """Fires per goods line whose words are all filler or listed vague phrases (`words`, and
    `also_words` when given; with `hs_chapters`, only on a line declared under an HS code of
    one of those chapters)."""
    phrases = _phrases(params["words"]) | _phrases(params.get("also_words", {}))
    filler = {t for w in params.get("filler", []) for t in tokens(str(w))}
    chapters = frozenset(str(c) for c in params.get("hs_chapters", ()))
    longest = max((len(p) for p in phrases), default=0)

    def covered(words: list[str]) -> bool:
        i = 0
        while i < len(words):
            for n in range(min(longest, len(words) - i), 0, -1):
                if tuple(words[i : i + n]) in phrases:
                    i += n
                    break
            else:
                return False
        return True

    memo: dict[str, bool] = {}  # descriptions repeat a lot in a day's records

    def vague(text: str) -> bool:
        found = memo.get(text)
        if found is None:
            if len(memo) >= _MEMO_LIMIT:
                memo.clear()
            words = [w for w in tokens(text) if w not in filler]
            found = memo[text] = bool(words) and covered(words)
        return found

    def check(s: Shipment, _: Context | None) -> list[Finding]:
        out: list[Finding] = []
        for i, g in enumerate(s.goods):
            if chapters and (not g.hs_code or g.hs_code[:2] not in chapters):
                continue
            if g.description and vague(g.description):
                evidence: dict[str, Any] = {"description": g.description}
                if chapters:
                    evidence["hs_code"] = g.hs_code
                out.append((f"goods[{i}].description", evidence))
        return out

    return check


def missing_description(params: dict[str, Any]) -> Check:
    """Fires when no goods line has a description."""

    def check(s: Shipment, _: Context | None) -> list[Finding]:
        if any(g.description and g.description.strip() for g in s.goods):
            return []
        return [("goods", {"lines": len(s.goods)})]

    return check


def _declared_value(s: Shipment) -> float | None:
    if s.total_value is not None:
        return s.total_value
    values = [g.value for g in s.goods if g.value is not None]
    return sum(values) if values else None


def low_value(params: dict[str, Any]) -> Check:
    """Fires when the declared value is under min_value outside the exempt categories."""
    minimum = float(params["min_value"])
    exempt = {str(c).casefold() for c in params.get("categories_exempt", [])}

    def check(s: Shipment, _: Context | None) -> list[Finding]:
        value = _declared_value(s)
        if value is None or value >= minimum or (s.category or "").casefold() in exempt:
            return []
        return [("total_value", {"value": value, "currency": s.currency, "min_value": minimum})]

    return check


def weight_per_unit(params: dict[str, Any]) -> Check:
    """Fires per goods line of a listed kind whose weight per unit is outside its range."""
    kinds = [
        (
            str(k["kind"]),
            words_pattern([str(w) for w in k["words"]]),
            float(k["min_kg"]),
            float(k["max_kg"]),
        )
        for k in params["goods"]
    ]

    memo: dict[str, int] = {}  # description -> index of its kind, -1 for none

    def kind_of(text: str) -> int:
        found = memo.get(text)
        if found is None:
            if len(memo) >= _MEMO_LIMIT:
                memo.clear()
            found = next((k for k, (_, p, _, _) in enumerate(kinds) if p.search(text)), -1)
            memo[text] = found
        return found

    def check(s: Shipment, _: Context | None) -> list[Finding]:
        out: list[Finding] = []
        for i, g in enumerate(s.goods):
            weight = g.weight_kg
            if weight is None and len(s.goods) == 1:
                weight = s.total_weight_kg
            if not g.description or not g.quantity or g.quantity <= 0 or not weight:
                continue
            k = kind_of(g.description)
            if k < 0:
                continue
            kind, lo, hi = kinds[k][0], kinds[k][2], kinds[k][3]
            per_unit = weight / g.quantity
            if not lo <= per_unit <= hi:
                evidence = {
                    "kind": kind,
                    "per_unit_kg": round(per_unit, 3),
                    "min_kg": lo,
                    "max_kg": hi,
                    "quantity": g.quantity,
                    "weight_kg": weight,
                }
                out.append((f"goods[{i}].weight_kg", evidence))
        return out

    return check


def transshipment(params: dict[str, Any]) -> Check:
    """Fires once per listed transit point of the route."""
    points = {str(k).upper(): str(v) for k, v in params["points"].items()}
    destinations = {str(d).upper() for d in params.get("destinations") or []}

    def check(s: Shipment, _: Context | None) -> list[Finding]:
        if destinations and party_country(s.destination_country) not in destinations:
            return []
        out: list[Finding] = []
        seen: set[str] = set()
        for t in s.transit:
            code = t.strip().upper()
            point = code if code in points else party_country(t)
            if point and point in points and point not in seen:
                seen.add(point)
                out.append(("transit", {"point": point, "note": points[point], "as_written": t}))
        return out

    return check


def repeated_consignee(params: dict[str, Any]) -> Check:
    """Fires when the Context counts min_count records for the record's key, if it is small."""
    kind = str(params["context_key"])
    minimum = int(params["min_count"])
    max_weight = float(params["max_weight_kg"])

    def check(s: Shipment, context: Context | None) -> list[Finding]:
        if context is None or (minimum > 1 and not context.stores(kind)):
            return []
        key = _keys(s).get(kind)
        if key is None:
            return []
        weight = s.total_weight_kg
        if weight is not None and weight > max_weight:
            return []
        count = context.count(kind, key)
        if count < minimum:
            return []
        shown = f"{weight:g} kg" if weight is not None else "an undeclared weight"
        return [
            ("parties[consignee]", {"count": count, "date": s.date, "weight": shown, "key": key})
        ]

    return check


def gift_commercial(params: dict[str, Any]) -> Check:
    """Fires when a record declared a gift carries a commercial quantity, weight or value."""
    categories = {str(c).casefold() for c in params["categories"]}
    min_qty = float(params["min_quantity"])
    min_weight = float(params["min_weight_kg"])
    min_value = float(params["min_value"])

    def check(s: Shipment, _: Context | None) -> list[Finding]:
        if (s.category or "").strip().casefold() not in categories:
            return []
        quantity = sum(g.quantity or 0 for g in s.goods)
        weight = s.total_weight_kg
        if weight is None:
            weight = sum(g.weight_kg or 0 for g in s.goods)
        value = _declared_value(s) or 0.0
        if quantity >= min_qty:
            what = f"it holds {quantity:g} units"
        elif weight >= min_weight:
            what = f"it weighs {weight:g} kg"
        elif value >= min_value:
            what = f"it is valued at {value:g}"
        else:
            return []
        return [
            ("category", {"what": what, "quantity": quantity, "weight_kg": weight, "value": value})
        ]

    return check


def shipper_origin(params: dict[str, Any]) -> Check:
    """Fires when the shipper's country and the origin country are known and differ."""

    def check(s: Shipment, _: Context | None) -> list[Finding]:
        shipper = next((p for p in s.parties if p.role == "shipper"), None)
        if shipper is None:
            return []
        sc, oc = party_country(shipper.country), party_country(s.origin_country)
        if not sc or not oc or sc == oc:
            return []
        return [("origin_country", {"shipper_country": sc, "origin_country": oc})]

    return check


CHECKS: dict[str, Callable[[dict[str, Any]], Check]] = {
    "vague_description": vague_description,
    "missing_description": missing_description,
    "low_value": low_value,
    "weight_per_unit": weight_per_unit,
    "transshipment": transshipment,
    "repeated_consignee": repeated_consignee,
    "gift_commercial": gift_commercial,
    "shipper_origin": shipper_origin,
}
