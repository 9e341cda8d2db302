"""The detectors of `chainbreaker screen`: each reads a `Shipment` and returns `Hit`s.

- `chemical`: chemical mentions in goods descriptions and CAS fields (the `chem` scan);
- `hs_codes`: declared HS codes (`data/hs_codes.yaml`) and codes inconsistent with the goods;
- `parties`: the record's parties against the loaded watch lists (the `parties` matcher);
- `indicators`: addresses, phones, e-mails, company numbers and names from an indicator file;
- `rules`: the rules kept as data (`data/rules.yaml`, extended by the user's `--rules`);
- `context`: the cross-record counts (consignee per day...) some rules read.

Every hit has a stable rule id, a score in [0, 1], a one-sentence reason, the field it concerns
and its evidence. `screen.pipeline.Pipeline` runs them and `screen.scoring` decides.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from chainbreaker.errors import DataError
from chainbreaker.yaml_files import load_yaml_file

__all__ = ["DATA_DIR", "load_yaml"]

#: The packaged data files of the screen package.
DATA_DIR = Path(__file__).resolve().parent.parent / "data"


def load_yaml(path: Path, top: str) -> Any:
    """The value under `top` in the YAML mapping at `path`; DataError naming the file if not."""
    doc = load_yaml_file(path)
    if not isinstance(doc, dict) or top not in doc:
        raise DataError(f"{path}: expected a mapping with the key '{top}'")
    return doc[top]
