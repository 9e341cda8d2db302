"""The vocabularies of the synthetic manifests, read from the YAML files under `synth/data/`.

`goods.yaml` (e-commerce goods with their HS codes), `lab_chemicals.yaml` (clean vendor
orders), `parties.yaml` (names, addresses, phones, e-mails), `watchlist.yaml` (the invented
listed parties), `indicators.yaml` (the invented indicator file) and `plants.yaml` (how planted
cases are disguised). A file that cannot be read or lacks a key is a `DataError` naming the
file and the key; a lab chemical whose CAS check digit is wrong is refused the same way.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chainbreaker.chem.cas import is_valid_cas
from chainbreaker.errors import DataError
from chainbreaker.yaml_files import load_yaml_file

__all__ = [
    "DATA_DIR",
    "GoodsCategory",
    "LabChemical",
    "Vocab",
    "load_vocab",
]

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True, slots=True)
class GoodsCategory:
    """A kind of e-commerce goods: its HS code, price, weight and descriptions."""

    id: str
    hs: str
    unit_value: tuple[float, float]  # USD per piece
    unit_weight: tuple[float, float]  # kg per piece
    quantity: tuple[int, int]
    share: int
    descriptions: dict[str, tuple[str, ...]]  # language -> descriptions


@dataclass(frozen=True, slots=True)
class LabChemical:
    """A clean laboratory chemical a vendor sells."""

    name: str
    cas: str
    unit: str  # g or mL
    packs: tuple[int, ...]
    price: tuple[float, float]  # USD per 100 units


@dataclass(frozen=True, slots=True)
class Vocab:
    """Every vocabulary, as read (the raw mappings of parties, watch list, indicators, plants)."""

    goods: tuple[GoodsCategory, ...]
    vague: tuple[str, ...]
    chemicals: tuple[LabChemical, ...]
    parties: dict[str, Any]
    watchlist: dict[str, Any]
    indicators: tuple[dict[str, str], ...]
    plants: dict[str, Any]


def read_yaml(path: Path) -> dict[str, Any]:
    """The mapping in a YAML file; DataError naming the file when it is not one."""
    doc = load_yaml_file(path)
    if not isinstance(doc, dict):
        raise DataError(f"{path}: expected a mapping")
    return doc


def need(doc: dict[str, Any], key: str, path: Path, where: str = "") -> Any:
    """`doc[key]`, or a DataError naming the file, the place and the key."""
    if key not in doc:
        place = f" in {where}" if where else ""
        raise DataError(f"{path}: missing key '{key}'{place}")
    return doc[key]


def _pair(value: Any, path: Path, where: str) -> tuple[float, float]:
    if not (isinstance(value, list) and len(value) == 2 and value[0] <= value[1]):
        raise DataError(f"{path}: {where}: expected [low, high], found {value!r}")
    return float(value[0]), float(value[1])


def _goods(path: Path) -> tuple[tuple[GoodsCategory, ...], tuple[str, ...]]:
    doc = read_yaml(path)
    out = []
    for raw in need(doc, "categories", path):
        cid = str(need(raw, "id", path, "a category"))
        where = f"category {cid}"
        descriptions = {
            lang: tuple(str(t) for t in raw[lang]) for lang in ("en", "es", "zh") if raw.get(lang)
        }
        if "en" not in descriptions:
            raise DataError(f"{path}: {where}: needs English descriptions ('en')")
        hs = str(need(raw, "hs", path, where))
        if not (hs.isdigit() and len(hs) == 6):
            raise DataError(f"{path}: {where}: hs {hs!r} is not a 6-digit HS code")
        low, high = _pair(need(raw, "quantity", path, where), path, f"{where} quantity")
        out.append(
            GoodsCategory(
                id=cid,
                hs=hs,
                unit_value=_pair(need(raw, "unit_value", path, where), path, where),
                unit_weight=_pair(need(raw, "unit_weight", path, where), path, where),
                quantity=(int(low), int(high)),
                share=int(need(raw, "share", path, where)),
                descriptions=descriptions,
            )
        )
    vague = tuple(str(v["text"]) for v in need(doc, "vague", path))
    return tuple(out), vague


def _chemicals(path: Path) -> tuple[LabChemical, ...]:
    doc = read_yaml(path)
    out = []
    for raw in need(doc, "chemicals", path):
        name = str(need(raw, "name", path, "a chemical"))
        cas = str(need(raw, "cas", path, name))
        if not is_valid_cas(cas):
            raise DataError(f"{path}: {name}: CAS {cas!r} has a wrong check digit or shape")
        unit = str(need(raw, "unit", path, name))
        if unit not in ("g", "mL"):
            raise DataError(f"{path}: {name}: unit {unit!r} is not g or mL")
        out.append(
            LabChemical(
                name=name,
                cas=cas,
                unit=unit,
                packs=tuple(int(p) for p in need(raw, "packs", path, name)),
                price=_pair(need(raw, "price", path, name), path, f"{name} price"),
            )
        )
    return tuple(out)


def read_vocab(data_dir: Path) -> Vocab:
    """Read every vocabulary file under `data_dir`."""
    goods, vague = _goods(data_dir / "goods.yaml")
    parties_path = data_dir / "parties.yaml"
    parties = read_yaml(parties_path)
    for key in ("cultures", "companies", "countries", "email_domains", "senders", "consignees"):
        need(parties, key, parties_path)
    for key in ("buyers", "company_numbers", "currencies", "usd_rates"):
        need(parties, key, parties_path)
    watch_path = data_dir / "watchlist.yaml"
    watchlist = read_yaml(watch_path)
    need(watchlist, "entries", watch_path)
    need(watchlist, "legal_forms", watch_path)
    ind_path = data_dir / "indicators.yaml"
    indicators = tuple(
        {k: str(v) for k, v in row.items()}
        for row in need(read_yaml(ind_path), "indicators", ind_path)
    )
    for row in indicators:
        for key in ("kind", "value", "country", "source", "note"):
            need(row, key, ind_path, f"indicator {row.get('value', '?')!r}")
    plants_path = data_dir / "plants.yaml"
    plants = read_yaml(plants_path)
    for key in ("share", "kinds", "precursor_roles", "vague_chemical", "false_goods"):
        need(plants, key, plants_path)
    return Vocab(
        goods=goods,
        vague=vague,
        chemicals=_chemicals(data_dir / "lab_chemicals.yaml"),
        parties=parties,
        watchlist=watchlist,
        indicators=indicators,
        plants=plants,
    )


@functools.cache
def load_vocab() -> Vocab:
    """The packaged vocabularies (read once per process)."""
    return read_vocab(DATA_DIR)
