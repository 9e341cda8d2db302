"""Read `data/fentanyl_class.yaml`: legal texts, substituent lists and flags of the class rules."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from chainbreaker.errors import DataError
from chainbreaker.yaml_files import load_yaml_file


@dataclass(frozen=True, slots=True)
class ClassText:
    """The words of one class definition, as the rule code reports them."""

    id: str
    name: str
    rule: str
    items: dict[str, str]  # modification letter / item id -> legal text (or summary)
    lists: dict[str, frozenset[str]]  # closed substituent lists by region


@dataclass(frozen=True, slots=True)
class FentanylClassData:
    us: ClassText
    cn: ClassText
    flags: dict[str, str]  # flag id -> text
    alert_name: str
    alert_rule: str
    alert_threshold: float

    def flag(self, flag_id: str) -> str:
        """The flag as reported: '<id>: <text>'."""
        return f"{flag_id}: {self.flags[flag_id]}"


@cache
def load() -> FentanylClassData:
    """Load and check the data file (once per process)."""
    raw = load_yaml_file(Path(__file__).resolve().parent / "data" / "fentanyl_class.yaml")
    try:
        us = raw["us_frs"]
        cn = raw["cn_fentanyl_class"]
        alert = raw["analogue_alert"]
        source_ids = {s["id"] for s in raw["sources"]}
        for block in (us, cn):
            _check_sources(block["sources"], source_ids)
        flags = {}
        for fid, f in raw["flags"].items():
            _check_sources(f["sources"], source_ids)
            flags[str(fid)] = " ".join(str(f["text"]).split())
        return FentanylClassData(
            us=ClassText(
                id=us["id"],
                name=us["name"],
                rule=" ".join(us["rule"].split()),
                items={k: v["text"] for k, v in us["modifications"].items()},
                lists={k: frozenset(v) for k, v in us["substituent_lists"].items()},
            ),
            cn=ClassText(
                id=cn["id"],
                name=cn["name"],
                rule=" ".join(cn["rule"].split()),
                items={k: v["text"] for k, v in cn["items"].items()},
                lists={k: frozenset(v) for k, v in cn["substituent_lists"].items()},
            ),
            flags=flags,
            alert_name=alert["name"],
            alert_rule=" ".join(alert["rule"].split()),
            alert_threshold=float(alert["threshold"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise DataError(f"fentanyl_class.yaml: malformed ({exc!r})") from exc


def _check_sources(ids: Any, known: set[str]) -> None:
    missing = [i for i in ids if i not in known]
    if not ids or missing:
        raise DataError(f"fentanyl_class.yaml: unknown or missing sources {missing}")
