"""Reading the parties to screen: CSV with a header, or JSON lines, with the same keys.

Keys: `id` and `name` (required), `schema` (Person, Company or unknown; also individual,
organisation, entity...), `country` (a name or an ISO code), `dob` (a date or year of birth).
A row without an id or a name, with an unknown schema or an unreadable date of birth is reported
(file, line, field, why), skipped and counted; a country that cannot be read is reported and
ignored (the row is screened without it). A file that cannot be read at all (no `id`/`name`
columns, not UTF-8 CSV) raises DataError.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from chainbreaker.errors import DataError
from chainbreaker.parties.loaders.countries import country_code
from chainbreaker.parties.loaders.dates import parse_dates
from chainbreaker.parties.models import LoadProblem
from chainbreaker.parties.screening import PartyQuery

__all__ = ["QueryReader", "read_queries"]

#: Accepted spellings of the `schema` column (lower case) and what they mean.
_SCHEMAS: dict[str, str | None] = {
    "person": "Person",
    "individual": "Person",
    "company": "Company",
    "organization": "Company",
    "organisation": "Company",
    "legalentity": "Company",
    "legal entity": "Company",
    "entity": "Company",
    "business": "Company",
    "unknown": None,
    "": None,
}
_JSON_SUFFIXES = (".jsonl", ".ndjson", ".json")


@dataclass
class QueryReader:
    """Reads queries from a file ('-': standard input), collecting what was skipped or ignored.

    `problems`: rows skipped; `warnings`: rows read with a field ignored. `on_bytes` is called
    with the size in bytes of each line read (for a progress bar).
    """

    path: str
    on_bytes: Callable[[int], None] | None = None
    problems: list[LoadProblem] = field(default_factory=list)
    warnings: list[LoadProblem] = field(default_factory=list)
    rows: int = 0

    def __iter__(self) -> Iterator[PartyQuery]:
        """The queries, in file order."""
        if self.path == "-":
            yield from self._read(sys.stdin.buffer, "<stdin>")
            return
        path = Path(self.path)
        if not path.is_file():
            raise DataError(f"{self.path}: no such file")
        with path.open("rb") as handle:
            yield from self._read(handle, self.path)

    def _read(self, handle: BinaryIO, name: str) -> Iterator[PartyQuery]:
        lines = self._lines(handle, name)
        first = next(lines, None)
        if first is None:
            return
        _, text = first
        as_json = name.lower().endswith(_JSON_SUFFIXES) or text.lstrip().startswith("{")
        rest = _chain(first, lines)
        records = _json_records(rest, name) if as_json else _csv_records(rest, name)
        for line, record in records:
            if isinstance(record, LoadProblem):
                self.rows += 1
                self.problems.append(record)
                continue
            self.rows += 1
            query = self._query(record, name, line)
            if query is not None:
                yield query

    def _lines(self, handle: BinaryIO, name: str) -> Iterator[tuple[int, str]]:
        """(line number, text with its line ending) decoded as UTF-8; bad bytes reported."""
        for number, raw in enumerate(handle, start=1):
            if self.on_bytes is not None:
                self.on_bytes(len(raw))
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            try:
                yield number, raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                why = f"not valid UTF-8 at byte {exc.start + 1}; bad bytes replaced"
                self.warnings.append(LoadProblem(name, f"line {number}", None, why))
                yield number, raw.decode("utf-8", "replace")

    def _query(self, record: dict[str, Any], name: str, line: int) -> PartyQuery | None:
        where = f"line {line}"
        values = {k.strip().lower(): _text(v) for k, v in record.items() if k is not None}
        qid, qname = values.get("id", ""), values.get("name", "")
        for key, value in (("id", qid), ("name", qname)):
            if not value:
                self.problems.append(LoadProblem(name, where, key, f"no {key}: row skipped"))
                return None
        raw_schema = values.get("schema", "")
        if raw_schema.lower() not in _SCHEMAS:
            why = f"{raw_schema!r} is not Person, Company or unknown: row skipped"
            self.problems.append(LoadProblem(name, where, "schema", why))
            return None
        dob: str | None = None
        if values.get("dob"):
            dates = parse_dates(values["dob"])
            if not dates:
                why = f"{values['dob']!r} is not a date or year of birth: row skipped"
                self.problems.append(LoadProblem(name, where, "dob", why))
                return None
            dob = dates[0]
        country: str | None = None
        if values.get("country"):
            country = country_code(values["country"])
            if country is None:
                why = f"{values['country']!r} is not a known country: screened without it"
                self.warnings.append(LoadProblem(name, where, "country", why))
        return PartyQuery(qid, qname, _SCHEMAS[raw_schema.lower()], country, dob)


def read_queries(path: str) -> QueryReader:
    """A reader over the queries in `path` (CSV with a header, or JSON lines; '-': stdin)."""
    return QueryReader(path)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool | dict | list):
        return json.dumps(value)
    return str(value).strip()


def _chain(first: tuple[int, str], rest: Iterator[tuple[int, str]]) -> Iterator[tuple[int, str]]:
    yield first
    yield from rest


def _json_records(
    lines: Iterable[tuple[int, str]], name: str
) -> Iterator[tuple[int, dict[str, Any] | LoadProblem]]:
    for number, text in lines:
        if not text.strip():
            continue
        try:
            record = json.loads(text)
        except ValueError as exc:
            yield number, LoadProblem(name, f"line {number}", None, f"not JSON ({exc})")
            continue
        if not isinstance(record, dict):
            yield number, LoadProblem(name, f"line {number}", None, "not a JSON object")
            continue
        yield number, record


def _csv_records(
    lines: Iterable[tuple[int, str]], name: str
) -> Iterator[tuple[int, dict[str, Any] | LoadProblem]]:
    numbers: list[int] = []

    def texts() -> Iterator[str]:
        for number, text in lines:
            numbers.append(number)
            yield text

    reader = csv.DictReader(texts())
    try:
        header = [h.strip().lower() for h in reader.fieldnames or []]
    except csv.Error as exc:
        raise DataError(f"{name}: line 1: not a CSV header ({exc})") from exc
    missing = [key for key in ("id", "name") if key not in header]
    if missing:
        raise DataError(
            f"{name}: line 1: the header has no {' or '.join(missing)} column; expected a CSV "
            "header with id,name[,schema,country,dob] or JSON lines with those keys"
        )
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            line = numbers[-1] if numbers else 0
            yield line, LoadProblem(name, f"line {line}", None, f"not valid CSV ({exc})")
            continue
        line = numbers[-1]  # the record's last line
        if None in row:
            why = "more values than columns: row skipped"
            yield line, LoadProblem(name, f"line {line}", None, why)
            continue
        if not any(v for v in row.values() if v):
            continue
        yield line, row
