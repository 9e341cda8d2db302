"""The list store: prepared copies of loaded lists on disk, a JSON cache, the fetched lists.

Layout under the store's root (`$CHAINBREAKER_HOME`, else `$XDG_DATA_HOME/chainbreaker`, else
`~/.local/share/chainbreaker`):

    prepared/index.json        path -> size, mtime and sha256 of its file(s), and the key
    prepared/<key>.json.gz     a loaded list (info, entities, problems) as gzip'd JSON
    blobs/<sha256>.json.gz     derived data cached by `ListStore.blob` (e.g. a name index)
    lists/fetched.json         what `lists fetch` stored: one record per publisher
    lists/<source>/<date>_<sha256 prefix>/   the fetched files

A prepared copy is keyed by the sha256 of the list's file(s), the loader version (a hash of the
loaders' source code) and how the list was asked for (path, format, list id). A file whose size
and modification time are unchanged is not hashed again; any other change is hashed, so a
changed list is always re-read. Everything is JSON (never pickle); every write goes to a
temporary file that is then renamed, so a crash never leaves half a file behind.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import gzip
import hashlib
import json
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import chainbreaker.parties.loaders as loaders
from chainbreaker.errors import DataError
from chainbreaker.parties import models
from chainbreaker.parties.list_json import decode_list, encode_list
from chainbreaker.parties.models import LoadedList

__all__ = ["FetchedList", "ListStore", "default_root", "file_sha256", "loader_version"]

#: Bump when the layout of the prepared files changes.
STORE_FORMAT = 2

#: OFAC legacy CSV main files and the companions the loader reads beside them (lower case).
_OFAC_COMPANIONS = {
    "sdn.csv": ("add.csv", "alt.csv", "sdn_comments.csv"),
    "cons_prim.csv": ("cons_add.csv", "cons_alt.csv", "cons_comments.csv"),
}

LoadFn = Callable[..., LoadedList]


@dataclass(frozen=True, slots=True)
class FetchedList:
    """A list `lists fetch` downloaded, checked and stored."""

    source: str  # the publisher id: "ofac", "un", "eu"
    list_id: str
    title: str
    format: str
    path: str  # the main file, as stored
    files: tuple[str, ...]  # every stored file, the main one first
    urls: tuple[str, ...]  # where each file was downloaded from
    source_page: str | None
    published: str  # ISO date: the list's own date, else the download date
    published_from: str  # "file" or "download"
    fetched_at: str  # ISO timestamp (UTC) of the download
    sha256: str  # the loaded list's content hash (ListInfo.sha256)
    entities: int
    problems: int

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able dict (tuples as lists)."""
        out = asdict(self)
        out["files"] = list(self.files)
        out["urls"] = list(self.urls)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FetchedList:
        """The inverse of `to_dict`."""
        values = dict(data)
        values["files"] = tuple(values["files"])
        values["urls"] = tuple(values["urls"])
        return cls(**values)


def default_root() -> Path:
    """The store root: `$CHAINBREAKER_HOME`, else the XDG data dir (~/.local/share/...)."""
    home = os.environ.get("CHAINBREAKER_HOME")
    if home:
        return Path(home).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".local" / "share"
    return base / "chainbreaker"


def file_sha256(path: Path) -> str:
    """The sha256 of a file's bytes, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@functools.cache
def loader_version() -> str:
    """A hash of the loaders' and models' source code: a loader change invalidates copies."""
    digest = hashlib.sha256(f"store-{STORE_FORMAT}".encode())
    sources = sorted(Path(loaders.__file__).resolve().parent.glob("*.py"))
    for source in [*sources, Path(models.__file__).resolve()]:
        digest.update(source.name.encode() + b"\0" + source.read_bytes())
    return digest.hexdigest()[:16]


def list_files(path: Path, fmt: str | None) -> list[Path]:
    """The file(s) a list is read from: the main file, then the OFAC CSV companions present.

    As the OFAC CSV loader does, companions are looked for beside any CSV main file (by OFAC's
    names, in any letter case) and a folder stands for the sdn.csv or cons_prim.csv in it. A
    companion counted that the loader does not read only costs a needless re-read.
    """
    folder = path if path.is_dir() else path.parent
    present = {p.name.lower(): p for p in folder.iterdir() if p.is_file()}
    if path.is_dir():
        mains = [present[name] for name in _OFAC_COMPANIONS if name in present]
        if not mains:
            return []
        path = mains[0]
    files = [path]
    if fmt in (None, "ofac-csv") and path.suffix.lower() == ".csv":
        main = "cons_prim.csv" if path.name.lower().startswith("cons_") else "sdn.csv"
        files.extend(present[name] for name in _OFAC_COMPANIONS[main] if name in present)
    return files


class ListStore:
    """Prepared lists, derived-data blobs and fetched lists under one root directory."""

    def __init__(
        self,
        root: Path | str | None = None,
        *,
        loader: LoadFn | None = None,
        version: str | None = None,
    ) -> None:
        """A store at `root` (default: `default_root()`); `loader` replaces `load_list` (tests)."""
        self.root = Path(root).expanduser() if root is not None else default_root()
        self._loader = loader
        self._version = version or ("custom" if loader is not None else None)
        #: How many `open` calls parsed their file(s), and how many used a prepared copy.
        self.parsed = 0
        self.reused = 0
        #: Cache writes that failed (e.g. a read-only home): the lists still load, uncached.
        self.notes: list[str] = []

    # -- prepared lists -------------------------------------------------------------------

    def open(
        self, spec_or_path: str | Path, fmt: str | None = None, *, list_id: str | None = None
    ) -> LoadedList:
        """Load a list ("PATH[:FORMAT]" or a path), from its prepared copy when unchanged."""
        if isinstance(spec_or_path, str):
            path, spec_fmt = loaders.parse_list_spec(spec_or_path)
            fmt = fmt or spec_fmt
        else:
            path = spec_or_path
        if not path.exists():
            raise DataError(f"{path}: no such list file")
        path = path.resolve()
        files = list_files(path, fmt)
        hashes = self._hashes(files)
        ident = [str(path), fmt or "auto", list_id]
        key_doc = [STORE_FORMAT, self._version or loader_version(), ident, hashes]
        key = hashlib.sha256(json.dumps(key_doc).encode()).hexdigest()
        prepared = self._prepared_dir / f"{key}.json.gz"
        with _gc_paused():  # many small objects at once: the cyclic GC only slows this down
            doc = _read_json_gz(prepared)
            if isinstance(doc, dict) and doc.get("key") == key:
                try:
                    loaded: LoadedList | None = decode_list(doc["list"])
                except (KeyError, IndexError, TypeError, ValueError):
                    loaded = None
                if loaded is not None:
                    self.reused += 1
                    _touch(prepared)  # in use: `prune` keeps it
                    return loaded
        load = self._loader or loaders.load_list
        loaded = load(path, fmt, list_id=list_id)
        self.parsed += 1
        with _gc_paused():
            self._write_json_gz(prepared, {"key": key, "list": encode_list(loaded)})
        self._forget_older(ident, key)
        return loaded

    @property
    def _prepared_dir(self) -> Path:
        return self.root / "prepared"

    def _hashes(self, files: list[Path]) -> list[list[Any]]:
        """[[name, sha256], ...], reusing a recorded hash while size and mtime are unchanged."""
        index = self._read_index()
        seen = index.setdefault("files", {})
        out: list[list[Any]] = []
        changed = False
        for file in files:
            stat = file.stat()
            record = seen.get(str(file))
            stamp = [stat.st_size, stat.st_mtime_ns]
            if not (isinstance(record, dict) and record.get("stat") == stamp):
                record = {"stat": stamp, "sha256": file_sha256(file)}
                seen[str(file)] = record
                changed = True
            out.append([file.name, record["sha256"]])
        if changed:
            self._write_index(index)
        return out

    def _forget_older(self, ident: list[Any], key: str) -> None:
        """Record `key` for this list; delete the copies of its older content and of lists
        whose file is gone (e.g. a list `lists fetch` replaced), unless another list uses them."""
        index = self._read_index()
        keys: dict[str, str] = index.setdefault("lists", {})
        name = json.dumps(ident)
        stale = {keys.get(name)} - {key, None}
        keys[name] = key
        for other in list(keys):
            if not Path(json.loads(other)[0]).exists():
                stale.add(keys.pop(other))
        files = index.setdefault("files", {})
        for path in [p for p in files if not Path(p).exists()]:
            del files[path]
        self._write_index(index)
        for old in stale - set(keys.values()):
            (self._prepared_dir / f"{old}.json.gz").unlink(missing_ok=True)

    def _read_index(self) -> dict[str, Any]:
        doc = _read_json(self._prepared_dir / "index.json")
        return doc if isinstance(doc, dict) else {}

    def _write_index(self, index: dict[str, Any]) -> None:
        self._write(self._prepared_dir / "index.json", json.dumps(index).encode())

    # -- derived data ---------------------------------------------------------------------

    def blob(self, key: str, build: Callable[[], Any]) -> Any:
        """The JSON value cached under `key`, built (and stored) by `build()` when missing.

        The value must be JSON-able and comes back as JSON gives it (tuples as lists). Put
        everything the value depends on in the key (e.g. the list's sha256 and a version).
        """
        path = self.root / "blobs" / f"{hashlib.sha256(key.encode()).hexdigest()}.json.gz"
        with _gc_paused():
            doc = _read_json_gz(path)
        if isinstance(doc, dict) and doc.get("key") == key and "value" in doc:
            _touch(path)
            return doc["value"]
        value = build()
        with _gc_paused():
            self._write_json_gz(path, {"key": key, "value": value})
        return value

    def prune(self, max_age_days: float = 60.0) -> int:
        """Delete prepared copies and blobs not used for `max_age_days`; how many were deleted.

        Both are rebuilt when needed, so this only saves disk space (`lists fetch` calls it).
        """
        limit = time.time() - max_age_days * 86_400
        deleted = 0
        for folder in (self._prepared_dir, self.root / "blobs"):
            for path in folder.glob("*.json.gz") if folder.is_dir() else ():
                try:
                    if path.stat().st_mtime < limit:
                        path.unlink()
                        deleted += 1
                except OSError:
                    continue
        return deleted

    # -- fetched lists --------------------------------------------------------------------

    @property
    def lists_dir(self) -> Path:
        """Where fetched lists are stored: lists/<source>/<date>_<sha256 prefix>/."""
        return self.root / "lists"

    def fetched(self) -> list[FetchedList]:
        """The lists `lists fetch` stored, one per publisher, in the order they were fetched."""
        path = self.lists_dir / "fetched.json"
        if not path.exists():
            return []
        try:
            doc = json.loads(path.read_bytes())
            return [FetchedList.from_dict(item) for item in doc["lists"]]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise DataError(f"{path}: not a list of fetched lists ({exc}); fetch again") from exc

    def record_fetch(self, fetched: FetchedList) -> None:
        """Record `fetched` as the current list of its publisher (replacing the previous one)."""
        others = [f for f in self.fetched() if f.source != fetched.source]
        doc = {"lists": [f.to_dict() for f in [*others, fetched]]}
        body = json.dumps(doc, indent=2, ensure_ascii=False).encode()
        _atomic_write(self.lists_dir / "fetched.json", body)

    # -- files ----------------------------------------------------------------------------

    def _write_json_gz(self, path: Path, doc: Any) -> None:
        self._write(path, gzip.compress(json.dumps(doc).encode(), compresslevel=5, mtime=0))

    def _write(self, path: Path, body: bytes) -> None:
        try:
            _atomic_write(path, body)
        except OSError as exc:
            self.notes.append(f"{path}: cache not written ({exc.strerror or exc})")


def _touch(path: Path) -> None:
    """Mark a cache file as used now (its modification time), when the store is writable."""
    with contextlib.suppress(OSError):
        os.utime(path)


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector (reading a list makes no reference cycles)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _atomic_write(path: Path, body: bytes) -> None:
    """Write `body` to a temporary file beside `path`, then rename it over `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(body)
        Path(temp).replace(path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _read_json(path: Path) -> Any:
    """The JSON in `path`, or None when it is missing or unreadable (a cache miss)."""
    try:
        return json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None


def _read_json_gz(path: Path) -> Any:
    """The gzip'd JSON in `path`, or None when it is missing or damaged (a cache miss)."""
    try:
        return json.loads(gzip.decompress(path.read_bytes()))
    except (OSError, ValueError, EOFError):
        return None
