"""Read the YAML data files under `chem/data/`: one reader for the catalog and the families.

Every data file is a mapping with one list of entries under a top key (`substances`,
`sources`, `classes`, `families`); the reader returns that list and raises `DataError`, naming
the file, when the file cannot be read, is not YAML, or does not have that shape.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from chainbreaker.errors import DataError

__all__ = ["DATA_DIR", "read_entries"]

DATA_DIR = Path(__file__).resolve().parent / "data"
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_entries(path: Path, top: str) -> list[Any]:
    """The list of entries under `top` in the YAML file at `path`."""
    try:
        with path.open(encoding="utf-8") as fh:
            doc = yaml.load(fh, Loader=_Loader)  # CSafeLoader or SafeLoader
    except OSError as exc:
        raise DataError(f"{path}: cannot be read ({exc.strerror})") from exc
    except yaml.YAMLError as exc:
        raise DataError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(doc, dict) or not isinstance(doc.get(top), list):
        raise DataError(f"{path}: expected a mapping with a list under '{top}'")
    return list(doc[top])
