"""Download a list from its official publisher, check it, and store it with its date.

`fetch_list` downloads the publisher's file(s) (see `data/publishers.yaml`) into a temporary
folder inside the store, checks each (HTTP status, not empty, not an HTML page) and the list as a
whole (it loads with the right loader and has entities, not far fewer than the list stored
before), then renames the folder into place and records it. Nothing is replaced until every
check has passed, so a failed or broken download leaves the list stored before untouched.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import httpx

from chainbreaker import __version__
from chainbreaker.errors import ChainbreakerError, DataError
from chainbreaker.parties.loaders import load_list
from chainbreaker.parties.models import LoadedList
from chainbreaker.parties.publishers import Publisher, publisher
from chainbreaker.parties.store import FetchedList, ListStore

__all__ = ["FetchError", "fetch_list"]

Source = Literal["ofac", "un", "eu"]

#: HTTP statuses worth a retry: the server is busy or briefly failing.
_RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
#: A download larger than this is refused (the largest official list is about 30 MB).
MAX_BYTES = 1 << 30
#: A new list with fewer entities than this share of the stored one is refused (without force).
MIN_SHARE = 0.5
_TIMEOUT = httpx.Timeout(60.0, connect=15.0)
_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*\.(csv|xml|json|jsonl)$", re.IGNORECASE)


class FetchError(ChainbreakerError):
    """A list could not be downloaded (network, HTTP status); the message says what to do."""


@dataclass(frozen=True, slots=True)
class _Download:
    url: str
    save_as: str
    required: bool


def fetch_list(
    source: Source,
    store: ListStore,
    url: str | None = None,
    client: httpx.Client | None = None,
    *,
    force: bool = False,
    retries: int = 2,
    backoff: float = 1.0,
) -> FetchedList:
    """Download, check and store the list of `source` ("ofac", "un" or "eu").

    `url` replaces the publisher's address (required for "eu", whose address carries a
    personal token): ending in "/", a folder holding the publisher's file names; otherwise the
    main file alone. `force` accepts a list much smaller than the one stored. Transient
    failures (timeouts, 5xx, 429) are retried `retries` times, waiting `backoff` seconds, then
    twice as long. Raises FetchError (download) or DataError (a file that is not the list).
    """
    pub = publisher(source)
    downloads, fmt = _plan(pub, url)
    incoming = store.lists_dir / pub.id
    incoming.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(dir=incoming, prefix=".incoming-"))
    own_client = client is None
    http = client or httpx.Client(timeout=_TIMEOUT, headers={"User-Agent": _user_agent()})
    try:
        fetched_at = datetime.now(UTC)
        urls: list[str] = []
        for item in downloads:
            if _download(http, item, temp / item.save_as, pub, retries, backoff):
                urls.append(item.url)
        main = temp / downloads[0].save_as
        loaded = _check(pub, main, fmt, store, force)
        final = _install(pub, temp, loaded, fetched_at)
    finally:
        if own_client:
            http.close()
        shutil.rmtree(temp, ignore_errors=True)
    published, published_from = _date(loaded, fetched_at)
    files = tuple(str(final / name) for name in _stored_names(downloads, final))
    info = store.open(Path(files[0]), fmt, list_id=pub.list_id).info  # warms the prepared copy
    fetched = FetchedList(
        source=pub.id,
        list_id=info.list_id,
        title=pub.title,
        format=info.format,
        path=files[0],
        files=files,
        urls=tuple(urls),
        source_page=pub.source_page,
        published=published,
        published_from=published_from,
        fetched_at=fetched_at.isoformat(timespec="seconds"),
        sha256=info.sha256,
        entities=info.entities,
        problems=info.problems,
    )
    previous = [f for f in store.fetched() if f.source == pub.id]
    store.record_fetch(fetched)
    for old in previous:
        old_dir = Path(old.path).parent
        if old_dir != final and old_dir.parent == store.lists_dir / pub.id:
            shutil.rmtree(old_dir, ignore_errors=True)
    store.prune()
    return fetched


def _plan(pub: Publisher, url: str | None) -> tuple[list[_Download], str | None]:
    """The files to download and the format of the main one (None: detect it)."""
    if url is None and pub.base_url is None:
        raise FetchError(
            f"the {pub.id} list has no public address: --url is required. {pub.url_note}"
        )
    base = url if url is not None else pub.base_url
    assert base is not None
    if not base.startswith(("http://", "https://")):
        raise FetchError(f"{base}: not an http(s) address")
    if base.endswith("/"):
        return [_Download(base + f.name, f.save_as, f.required) for f in pub.files], pub.format
    main = pub.files[0]
    name = httpx.URL(base).path.rsplit("/", 1)[-1]
    if not _SAFE_NAME.match(name) or name.lower() == main.save_as.lower():
        return [_Download(base, main.save_as, True)], pub.format
    return [_Download(base, name.lower(), True)], None


def _download(
    http: httpx.Client, item: _Download, target: Path, pub: Publisher, retries: int, backoff: float
) -> bool:
    """Download one file to `target`; False when an optional file is not there (404)."""
    for attempt in range(retries + 1):
        wait = backoff * 2**attempt
        try:
            with http.stream("GET", item.url, follow_redirects=True) as response:
                status = response.status_code
                if status == 404 and not item.required:
                    return False
                if status in _RETRY_STATUSES and attempt < retries:
                    time.sleep(wait)
                    continue
                if status != 200:
                    raise FetchError(
                        f"{item.url}: the server answered HTTP {status} "
                        f"{response.reason_phrase}. {_what_to_do(pub)}"
                    )
                _save(response, target, item.url)
                return True
        except httpx.TransportError as exc:
            if attempt < retries:
                time.sleep(wait)
                continue
            kind = type(exc).__name__
            raise FetchError(
                f"{item.url}: could not download ({kind}: {exc}) after {retries + 1} tries; "
                f"check the network connection. {_what_to_do(pub)}"
            ) from exc
    raise AssertionError("unreachable")  # pragma: no cover


def _save(response: httpx.Response, target: Path, url: str) -> None:
    """Write the body to `target`; DataError when it is empty, too large or an HTML page."""
    size = 0
    head = b""
    with target.open("wb") as out:
        for block in response.iter_bytes():
            size += len(block)
            if size > MAX_BYTES:
                raise DataError(f"{url}: more than {MAX_BYTES} bytes: not a list file")
            if len(head) < 512:
                head += block[: 512 - len(head)]
            out.write(block)
    if size == 0:
        raise DataError(f"{url}: the server sent an empty file; try again later")
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith((b"<!doctype html", b"<html")):
        raise DataError(
            f"{url}: the server sent a web page, not the list (an error or sign-in page?); "
            "check the address on the publisher's page"
        )


def _check(
    pub: Publisher, main: Path, fmt: str | None, store: ListStore, force: bool
) -> LoadedList:
    """Load the downloaded list; DataError when it is broken, empty or much smaller."""
    kept = "the list stored before is kept"
    try:
        loaded = load_list(main, fmt, list_id=pub.list_id)
    except DataError as exc:
        raise DataError(f"the downloaded {pub.id} list cannot be read ({exc}); {kept}") from exc
    if loaded.info.format not in pub.formats:
        raise DataError(
            f"the downloaded {pub.id} file is {loaded.info.format}, not one of "
            f"{', '.join(pub.formats)}; check the address; {kept}"
        )
    if not loaded.entities:
        raise DataError(f"the downloaded {pub.id} list has no entities; {kept}")
    for old in store.fetched():
        if old.source == pub.id and not force and len(loaded.entities) < MIN_SHARE * old.entities:
            raise DataError(
                f"the downloaded {pub.id} list has {len(loaded.entities)} entities where the one "
                f"stored ({old.published}) has {old.entities}: a partial file? {kept}; "
                "use --force to replace it anyway"
            )
    return loaded


def _install(pub: Publisher, temp: Path, loaded: LoadedList, fetched_at: datetime) -> Path:
    """Rename the checked download folder to lists/<source>/<date>_<sha256 prefix>/."""
    published, _ = _date(loaded, fetched_at)
    final = temp.parent / f"{published}_{loaded.info.sha256[:12]}"
    if final.exists():  # the same content, fetched before: keep it
        return final
    temp.rename(final)
    return final


def _stored_names(downloads: list[_Download], final: Path) -> list[str]:
    return [d.save_as for d in downloads if (final / d.save_as).is_file()]


def _date(loaded: LoadedList, fetched_at: datetime) -> tuple[str, str]:
    """The list's own publication date when the file has one, else the download date."""
    if loaded.info.published:
        return loaded.info.published[:10], "file"
    return fetched_at.date().isoformat(), "download"


def _what_to_do(pub: Publisher) -> str:
    return f"Check the address on {pub.source_page} and pass it with --url if it has changed."


def _user_agent() -> str:
    return f"chainbreaker/{__version__} (watch-list download)"
