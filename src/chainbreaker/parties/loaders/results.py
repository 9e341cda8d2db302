"""The end of every loader: the file's hash and the `ListInfo` / `LoadedList` of what was read."""

from __future__ import annotations

import hashlib
from pathlib import Path

from chainbreaker.parties.models import ListedEntity, ListInfo, LoadedList, LoadProblem

__all__ = ["file_sha256", "finish_list"]


def file_sha256(path: Path) -> str:
    """The SHA-256 (hex) of the bytes of the file at `path`."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def finish_list(
    path: Path,
    list_id: str,
    title: str,
    fmt: str,
    published: str | None,
    entities: list[ListedEntity],
    problems: list[LoadProblem],
    *,
    sha256: str | None = None,
) -> LoadedList:
    """The LoadedList of `entities` and `problems` read from `path`, with its ListInfo.

    `sha256` is the hash of the file's bytes, computed from `path` when not given (a loader
    that reads companion files hashes them itself).
    """
    info = ListInfo(
        list_id=list_id,
        title=title,
        format=fmt,
        path=str(path),
        sha256=file_sha256(path) if sha256 is None else sha256,
        published=published,
        entities=len(entities),
        problems=len(problems),
    )
    return LoadedList(info=info, entities=entities, problems=problems)
