"""Read the YAML data files under `chem/data/`: one reader for the catalog and the families.

Every data file is a mapping with one list of entries under a top key (`substances`,
`sources`, `classes`, `families`); the reader returns that list and raises `DataError`, naming
the file, when the file cannot be read, is not YAML, or does not have that shape.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from chainbreaker.errors import DataError
from chainbreaker.yaml_files import load_yaml_file

__all__ = ["DATA_DIR", "read_entries"]

DATA_DIR = Path(__file__).resolve().parent / "data"


def read_entries(path: Path, top: str) -> list[Any]:
    """The list of entries under `top` in the YAML file at `path`."""
    doc = load_yaml_file(path)
    if not isinstance(doc, dict) or not isinstance(doc.get(top), list):
        raise DataError(f"{path}: expected a mapping with a list under '{top}'")
    return list(doc[top])
