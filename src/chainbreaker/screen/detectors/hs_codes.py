"""The HS code detector: declared tariff codes that point to fentanyl or its precursors, and
codes inconsistent with the goods described.

All codes, scores, chapters and words are data (`data/hs_codes.yaml`). For each goods line:

1. the declared code (digits only) is matched to the longest listed subheading it starts with
   (2933.36 ANPP, 2933.37 NPP: `hs.precursor_code`; 2933.33/2933.34/2934.91/2934.92:
   `hs.fentanyl_code`; 2933.32: `hs.piperidine_code`; 2933.39: `hs.catch_all`);
2. under the catch-all, a description naming a catalog chemical adds `hs.catch_all_chemical`
   (the 2022/2024 Table I precursors have no code of their own and are declared there);
3. a chemical the catalog gives its own subheading (NPP, ANPP) declared under another code
   gives `hs.wrong_code`;
4. `hs.description_mismatch`: a chemical chapter (28, 29, 30, 38) on a description made of
   consumer-goods words ("phone case") and no chemical; or a consumer-goods chapter (42, 61-65,
   71, 84, 85, 90, 91, 94-96) on a description that names a catalog chemical.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chainbreaker.errors import DataError
from chainbreaker.screen.detectors import DATA_DIR, load_yaml
from chainbreaker.screen.detectors.chemical import LineMentions
from chainbreaker.screen.models import Hit
from chainbreaker.screen.records import Shipment

__all__ = ["HsCode", "HsDetector", "HsTable", "digits", "load_hs_table"]

_NOT_DIGIT = re.compile(r"\D+")


def digits(code: str | None) -> str:
    """The digits of a declared code ('2933.39.00' -> '29333900')."""
    return _NOT_DIGIT.sub("", code or "")


def pretty(code: str) -> str:
    """A code as tariffs write it: 293339 -> 2933.39, 2933390000 -> 2933.39.0000."""
    if len(code) <= 4:
        return code
    return f"{code[:4]}.{code[4:6]}" + (f".{code[6:]}" if len(code) > 6 else "")


@dataclass(frozen=True, slots=True)
class HsCode:
    code: str
    rule: str
    label: str
    score: float
    source: str


@dataclass(frozen=True, slots=True)
class HsTable:
    """The contents of hs_codes.yaml."""

    codes: dict[str, HsCode]
    catch_all_chemical: tuple[str, float]
    wrong_code: tuple[str, float]
    mismatch_rule: str
    score_chemical_on_consumer: float
    score_consumer_on_chemical: float
    chemical_chapters: dict[str, str]
    consumer_chapters: dict[str, str]
    consumer_words: re.Pattern[str]


def load_hs_table(path: Path | None = None) -> HsTable:
    """Read hs_codes.yaml (DataError naming the file and the entry when malformed)."""
    path = path or DATA_DIR / "hs_codes.yaml"
    entries = load_yaml(path, "codes")
    codes: dict[str, HsCode] = {}
    try:
        for e in entries:
            code = digits(str(e["code"]))
            codes[code] = HsCode(
                code, str(e["rule"]), str(e["label"]), float(e["score"]), str(e["source"])
            )
        chem = load_yaml(path, "catch_all_with_chemical")
        wrong = load_yaml(path, "wrong_chemical_code")
        mm = load_yaml(path, "mismatch")
        words = [str(w) for per_lang in mm["consumer_words"].values() for w in per_lang]
        return HsTable(
            codes=codes,
            catch_all_chemical=(str(chem["rule"]), float(chem["score"])),
            wrong_code=(str(wrong["rule"]), float(wrong["score"])),
            mismatch_rule=str(mm["rule"]),
            score_chemical_on_consumer=float(mm["score_chemical_code_on_consumer_goods"]),
            score_consumer_on_chemical=float(mm["score_consumer_code_on_chemical"]),
            chemical_chapters={str(k): str(v) for k, v in mm["chemical_chapters"].items()},
            consumer_chapters={str(k): str(v) for k, v in mm["consumer_chapters"].items()},
            consumer_words=words_pattern(words),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise DataError(f"{path}: malformed entry ({exc!r})") from exc


def words_pattern(words: list[str]) -> re.Pattern[str]:
    """A case-insensitive pattern finding any of the words or phrases as whole words.

    Words in scripts without spaces (Chinese) are found anywhere.
    """
    spaced = sorted({w.lower() for w in words if w.isascii()}, key=len, reverse=True)
    unspaced = sorted({w for w in words if not w.isascii()}, key=len, reverse=True)
    parts = []
    if spaced:
        parts.append(r"(?<![\w])(?:" + "|".join(map(re.escape, spaced)) + r")(?![\w])")
    if unspaced:
        parts.append("|".join(map(re.escape, unspaced)))
    return re.compile("|".join(parts) or r"(?!)", re.IGNORECASE)


class HsDetector:
    """HS code hits for the goods lines of a record."""

    def __init__(self, table: HsTable, substance_codes: Mapping[str, str]) -> None:
        """`substance_codes`: catalog substance id -> the subheading it has its own (digits)."""
        self.table = table
        self.substance_codes = dict(substance_codes)
        self._by_length = sorted({len(c) for c in table.codes}, reverse=True)

    def lookup(self, code: str) -> HsCode | None:
        """The listed subheading a declared code (digits) falls under, or None."""
        for n in self._by_length:
            entry = self.table.codes.get(code[:n])
            if entry is not None:
                return entry
        return None

    def detect(self, shipment: Shipment, mentions: LineMentions) -> list[Hit]:
        """The HS code hits of one record, given the chemical mentions of its goods lines."""
        hits: list[Hit] = []
        t = self.table
        for i, g in enumerate(shipment.goods):
            code = digits(g.hs_code)
            if len(code) < 4:
                continue
            where = f"goods[{i}].hs_code"
            shown = pretty(code)
            found = [m for m in mentions.get(i, ()) if m.substance_id]
            ev: dict[str, Any] = {"hs_code": shown, "description": g.description}
            entry = self.lookup(code)
            if entry is not None:
                hits.append(
                    Hit(
                        "hs_code",
                        entry.rule,
                        entry.score,
                        f"Declared HS code {shown} is {entry.label}.",
                        where,
                        ev | {"subheading": pretty(entry.code), "source": entry.source},
                    )
                )
                if entry.rule == "hs.catch_all" and found:
                    rule, score = t.catch_all_chemical
                    hits.append(
                        Hit(
                            "hs_code",
                            rule,
                            score,
                            f"{found[0].text!r} is declared under the catch-all {shown}, where "
                            "the precursors without a code of their own are hidden.",
                            where,
                            ev | {"chemical": found[0].text},
                        )
                    )
            for m in found:
                own = self.substance_codes.get(m.substance_id or "")
                if own and not code.startswith(own):
                    rule, score = t.wrong_code
                    hits.append(
                        Hit(
                            "hs_code",
                            rule,
                            score,
                            f"{m.text!r} has its own subheading {pretty(own)} but is declared "
                            f"under {shown}.",
                            where,
                            ev | {"chemical": m.text, "expected": pretty(own)},
                        )
                    )
                    break
            hits.extend(self._mismatch(code, shown, g.description or "", found, where, ev))
        return hits

    def _mismatch(
        self,
        code: str,
        shown: str,
        description: str,
        found: list[Any],
        where: str,
        ev: dict[str, Any],
    ) -> list[Hit]:
        t = self.table
        chapter = code[:2]
        if chapter in t.consumer_chapters and found:
            return [
                Hit(
                    "hs_code",
                    t.mismatch_rule,
                    t.score_consumer_on_chemical,
                    f"Declared HS code {shown} ({t.consumer_chapters[chapter]}) on goods that "
                    f"name the chemical {found[0].text!r}.",
                    where,
                    ev | {"chapter": chapter, "chemical": found[0].text},
                )
            ]
        if chapter in t.chemical_chapters and not found:
            words = t.consumer_words.search(description)
            if words:
                return [
                    Hit(
                        "hs_code",
                        t.mismatch_rule,
                        t.score_chemical_on_consumer,
                        f"Declared HS code {shown} ({t.chemical_chapters[chapter]}) on goods "
                        f"described as {words.group(0)!r}.",
                        where,
                        ev | {"chapter": chapter, "goods_word": words.group(0)},
                    )
                ]
        return []
