"""Reading the project's YAML data files: one reader, one way of reporting a broken file.

Every package (chem, parties, screen, synth) keeps its reference data in YAML; each checks the
shape it expects, but reading and parsing go through `load_yaml_file`, which raises `DataError`
naming the file when it cannot be read or is not YAML.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from chainbreaker.errors import DataError

__all__ = ["load_yaml_file"]

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml_file(path: Path) -> Any:
    """The document in the YAML file at `path` (C loader when available)."""
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.load(fh, Loader=_Loader)  # CSafeLoader or SafeLoader
    except OSError as exc:
        raise DataError(f"{path}: cannot be read ({exc.strerror})") from exc
    except yaml.YAMLError as exc:
        raise DataError(f"{path}: not valid YAML: {exc}") from exc
