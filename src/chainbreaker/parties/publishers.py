"""The official publishers of the lists `lists fetch` downloads (`data/publishers.yaml`)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from chainbreaker.errors import DataError, InvalidInput
from chainbreaker.parties.models import FORMATS

__all__ = ["PUBLISHERS_FILE", "Publisher", "PublisherFile", "publisher", "publishers"]

PUBLISHERS_FILE = Path(__file__).resolve().parent / "data" / "publishers.yaml"


@dataclass(frozen=True, slots=True)
class PublisherFile:
    """One file a publisher serves: its name there, the name it is stored under."""

    name: str
    save_as: str
    required: bool = True


@dataclass(frozen=True, slots=True)
class Publisher:
    """A list's publisher: where its files are and how they are read."""

    id: str  # "ofac", "un", "eu"
    list_id: str
    title: str
    format: str  # the format of the main file
    formats: tuple[str, ...]  # formats accepted from a `--url`
    source_page: str
    base_url: str | None  # None: no public address, `--url` is required
    files: tuple[PublisherFile, ...]  # the main file first
    url_note: str


@functools.cache
def publishers(path: Path = PUBLISHERS_FILE) -> dict[str, Publisher]:
    """The publishers by id; DataError naming the file and entry when the file is malformed."""
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        entries = doc["publishers"]
    except (OSError, yaml.YAMLError, KeyError, TypeError) as exc:
        raise DataError(f"{path}: not a publishers file ({exc})") from exc
    out: dict[str, Publisher] = {}
    for number, entry in enumerate(entries, start=1):
        try:
            pub = _publisher(entry)
        except (KeyError, TypeError, ValueError) as exc:
            raise DataError(f"{path}: publisher {number}: {exc}") from exc
        out[pub.id] = pub
    return out


def publisher(source: str) -> Publisher:
    """The publisher named `source`; InvalidInput listing the known ones otherwise."""
    known = publishers()
    if source not in known:
        raise InvalidInput(f"unknown list source {source!r}; use one of {', '.join(known)}")
    return known[source]


def _publisher(entry: dict[str, Any]) -> Publisher:
    files = tuple(
        PublisherFile(str(f["name"]), str(f["save_as"]), bool(f.get("required", True)))
        for f in entry["files"]
    )
    if not files:
        raise ValueError("no files")
    formats = tuple(str(f) for f in entry["formats"])
    for fmt in (entry["format"], *formats):
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}")
    return Publisher(
        id=str(entry["id"]),
        list_id=str(entry["list_id"]),
        title=str(entry["title"]),
        format=str(entry["format"]),
        formats=formats,
        source_page=str(entry["source_page"]),
        base_url=entry.get("base_url"),
        files=files,
        url_note=" ".join(str(entry["url_note"]).split()),
    )
