"""Mapping files: the columns of any other layout, named for the record fields they feed.

```yaml
name: acme_courier          # written in the records' `profile` column (default: the file's stem)
base: express               # optional: a built-in profile whose spellings apply to other columns
encoding: cp1252            # optional: the input's text encoding (default UTF-8)
slash_dates: month_first    # optional: 03/04/2024 is 4 March (default day_first)
defaults:                   # optional: a value for a record field the input does not give
  destination_country: US
columns:                    # input column -> record field; columns are compared loosely
  Waybill No: record_id
  Sender: shipper.name
  Gross Wt (lb): {field: total_weight_kg, scale: 0.45359237}
  Internal notes: null      # never read (even if the base profile would)
```
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from chainbreaker.errors import DataError
from chainbreaker.screen.readers.fields import field_kind
from chainbreaker.screen.readers.profiles import ColumnRule, Profile, builtin_profile, column_key

__all__ = ["load_mapping"]

_KEYS = {"name", "base", "encoding", "slash_dates", "defaults", "columns"}


def _column_rule(path: Path, column: str, spec: Any) -> ColumnRule | None:
    if spec is None:
        return None
    target, scale = spec, 1.0
    if isinstance(spec, dict):
        target = spec.get("field")
        try:
            scale = float(spec.get("scale", 1.0))
        except (TypeError, ValueError):
            raise DataError(f"{path}: column {column!r}: scale must be a number") from None
    if not isinstance(target, str) or field_kind(target) is None:
        raise DataError(
            f"{path}: column {column!r}: {target!r} is not a record field "
            "(e.g. record_id, date, shipper.name, consignee.country, goods.description, "
            "goods.hs_code, total_weight_kg; see docs/manifests.md)"
        )
    return ColumnRule(target, scale)


def load_mapping(path: Path, *, base: str | None = None) -> Profile:
    """The profile a mapping file describes; DataError naming the file when it is malformed.

    `base` (a built-in profile's name) applies when the file names none.
    """
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise DataError(f"{path}: cannot be read as a mapping file ({exc})") from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("columns"), dict):
        raise DataError(
            f"{path}: a mapping file is a YAML mapping with 'columns: {{COLUMN: FIELD}}'"
        )
    unknown = set(doc) - _KEYS
    if unknown:
        raise DataError(f"{path}: unknown keys {sorted(unknown)}; known: {sorted(_KEYS)}")
    columns: dict[str, ColumnRule] = {}
    ignored: set[str] = set()
    for column, spec in doc["columns"].items():
        rule = _column_rule(path, str(column), spec)
        if rule is None:
            ignored.add(column_key(str(column)))
        else:
            columns[column_key(str(column))] = rule
    base_name = doc.get("base", base)
    base_profile = builtin_profile(str(base_name)) if base_name else None
    if base_profile is not None:
        for key, rule in base_profile.columns.items():
            columns.setdefault(key, rule)
    if not any(rule.field == "record_id" for rule in columns.values()):
        raise DataError(f"{path}: no column is mapped to record_id (the shipment or order id)")
    dates = doc.get("slash_dates")
    if dates not in (None, "day_first", "month_first"):
        raise DataError(f"{path}: slash_dates must be day_first or month_first")
    defaults = dict(base_profile.defaults) if base_profile else {}
    for target, value in (doc.get("defaults") or {}).items():
        if field_kind(str(target)) is None:
            raise DataError(f"{path}: default for unknown record field {target!r}")
        defaults[str(target)] = str(value)
    month_first = (
        dates == "month_first" if dates else bool(base_profile and base_profile.month_first)
    )
    return Profile(
        name=str(doc.get("name") or path.stem),
        title=f"mapping {path.name}",
        columns=columns,
        month_first=month_first,
        defaults=defaults,
        ignored=frozenset(ignored),
        encoding=str(doc["encoding"]) if doc.get("encoding") else None,
        sources=(str(path),),
    )
