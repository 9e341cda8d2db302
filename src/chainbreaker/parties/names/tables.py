"""Read the name-normalisation data files under `parties/data/` (YAML, each with its sources).

Every reader checks the shape it needs and raises `DataError`, naming the file and the entry,
when a file is missing, is not YAML, or has the wrong shape. Results are cached: each file is
read once per process.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from chainbreaker.errors import DataError
from chainbreaker.yaml_files import load_yaml_file

__all__ = ["DATA_DIR", "entries", "field", "read_yaml", "str_list", "str_map"]

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


@functools.cache
def read_yaml(name: str) -> dict[str, Any]:
    """The top-level mapping of the data file `name` (e.g. "legal_forms.yaml")."""
    path = DATA_DIR / name
    doc = load_yaml_file(path)
    if not isinstance(doc, dict):
        raise DataError(f"{path}: expected a mapping at the top")
    return doc


def _where(name: str, key: str) -> str:
    return f"{DATA_DIR / name}: '{key}'"


def entries(name: str, key: str) -> list[dict[str, Any]]:
    """The list of mappings under `key` in data file `name`."""
    value = read_yaml(name).get(key)
    if not isinstance(value, list) or not all(isinstance(e, dict) for e in value):
        raise DataError(f"{_where(name, key)} must be a list of mappings")
    return value


def str_list(name: str, key: str) -> list[str]:
    """The list of non-empty strings under `key` in data file `name`."""
    value = read_yaml(name).get(key)
    if not isinstance(value, list) or not all(isinstance(e, str) and e.strip() for e in value):
        raise DataError(f"{_where(name, key)} must be a list of non-empty strings")
    return value


def str_map(name: str, key: str) -> dict[str, list[str]]:
    """The mapping of string to list of strings (or to one string) under `key`."""
    value = read_yaml(name).get(key)
    if not isinstance(value, dict):
        raise DataError(f"{_where(name, key)} must be a mapping")
    out: dict[str, list[str]] = {}
    for k, v in value.items():
        items = [v] if isinstance(v, str) else v
        if not isinstance(k, str) or not isinstance(items, list):
            raise DataError(f"{_where(name, key)}: entry {k!r} must map a string to strings")
        if not all(isinstance(i, str) for i in items):
            raise DataError(f"{_where(name, key)}: entry {k!r} must map a string to strings")
        out[k] = list(items)
    return out


def field(name: str, key: str, entry: dict[str, Any], item: str, kind: type) -> Any:
    """`entry[item]`, checked to be of `kind` (a DataError naming the entry otherwise)."""
    value = entry.get(item)
    if not isinstance(value, kind):
        raise DataError(f"{_where(name, key)}: entry {entry!r} needs '{item}' ({kind.__name__})")
    return value
