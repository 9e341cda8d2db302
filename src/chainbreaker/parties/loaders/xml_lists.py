"""Shared reading of XML list files (UN, EU): streamed records, element text, a name's script,
the root's date, and `ListingReader`, the base of a reader of one record that reports problems.

The files are read with `iterparse` and each record is cleared once read, so a list of any
size is read in constant memory. Namespaces are stripped from element tags (the EU file is
namespaced, the UN file is not), so the readers look elements up by their local names.
"""

from __future__ import annotations

import collections
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import BinaryIO
from xml.etree import ElementTree as ET

from rigour.text.scripts import codepoint_script

from chainbreaker.errors import DataError
from chainbreaker.parties.loaders.dates import parse_dates
from chainbreaker.parties.models import LoadProblem

__all__ = [
    "ListingReader",
    "local_name",
    "name_script",
    "root_date",
    "stream_records",
    "text_of",
    "texts_of",
    "year_range",
]

#: A year range wider than this is not a plausible date of birth range.
MAX_YEAR_SPAN = 20


def local_name(tag: str) -> str:
    """The tag without its namespace: "{http://eu.europa.ec/fpi/fsd/export}export" -> "export"."""
    return tag.rpartition("}")[2]


def stream_records(path: Path, root_tag: str, record_tags: Collection[str]) -> Iterator[ET.Element]:
    """Yield the root element of `path` (with its attributes), then each record element.

    The root is yielded as soon as its start tag is read (its attributes are complete, its
    children are not); each element whose local name is in `record_tags` is yielded when it is
    complete and cleared when the consumer asks for the next one. Tags are namespace-stripped.
    Raises DataError naming the file (and line and column) for unreadable or malformed XML or a
    root that is not `root_tag`.
    """
    try:
        with path.open("rb") as handle:
            yield from _records(path, handle, root_tag, record_tags)
    except ET.ParseError as exc:
        line, column = exc.position
        raise DataError(
            f"{path}: not well-formed XML at line {line}, column {column + 1} ({exc.msg})"
        ) from exc
    except OSError as exc:
        raise DataError(f"{path}: cannot be read ({exc.strerror or exc})") from exc


def _records(
    path: Path,
    handle: BinaryIO,
    root_tag: str,
    record_tags: Collection[str],
) -> Iterator[ET.Element]:
    stack: list[ET.Element] = []  # the open elements, to detach each record from its parent
    for event, elem in ET.iterparse(handle, events=("start", "end")):
        if event == "start":
            elem.tag = local_name(elem.tag)
            if not stack and elem.tag != root_tag:
                raise DataError(f"{path}: the root element is <{elem.tag}>, expected <{root_tag}>")
            if not stack:
                yield elem
            stack.append(elem)
            continue
        stack.pop()
        if elem.tag in record_tags:
            yield elem
            elem.clear()
            if stack:
                stack[-1].remove(elem)


def text_of(elem: ET.Element, path: str) -> str | None:
    """The stripped text of the first element at `path` under `elem`, None when absent or empty."""
    child = elem.find(path)
    if child is None or child.text is None:
        return None
    text = child.text.strip()
    return text or None


def texts_of(elem: ET.Element, path: str) -> list[str]:
    """The stripped, non-empty texts of every element at `path` under `elem`."""
    out = []
    for child in elem.iterfind(path):
        text = (child.text or "").strip()
        if text:
            out.append(text)
    return out


def name_script(text: str) -> str | None:
    """The script most letters of `text` are written in ("Arabic", "Cyrillic", "Han"...).

    Characters of no particular script (digits, spaces, punctuation, marks) do not count;
    None when there is no letter at all.

    >>> name_script("صدام حسين التكريتي"), name_script("Иванов И."), name_script("1-2")
    ('Arabic', 'Cyrillic', None)
    """
    counts: collections.Counter[str] = collections.Counter()
    for char in text:
        if char.isalpha():
            script = codepoint_script(ord(char))
            if script and script not in ("Common", "Inherited", "Unknown"):
                counts[script] += 1
    if not counts:
        return None
    return counts.most_common(1)[0][0]


def year_range(start: str | None, end: str | None) -> list[str]:
    """Every year from `start` to `end` ("1965", "1967" -> 1965, 1966, 1967); one end is enough.

    Raises ValueError saying why when an end is not a year or the range is reversed or wider
    than MAX_YEAR_SPAN years.
    """
    first, last = parse_dates(start or end), parse_dates(end or start)
    if len(first) != 1 or len(last) != 1 or len(first[0]) != 4 or len(last[0]) != 4:
        raise ValueError(f"unreadable year range {start!r}..{end!r}")
    low, high = int(first[0]), int(last[0])
    if not 0 <= high - low <= MAX_YEAR_SPAN:
        raise ValueError(f"implausible year range {low}..{high}")
    return [f"{year:04d}" for year in range(low, high + 1)]


def root_date(root: ET.Element, attr: str) -> str | None:
    """The ISO date in the first ten characters of the root's `attr` ("2026-02-27T10:00:00")."""
    dates = parse_dates((root.get(attr) or "")[:10])
    return dates[0] if dates else None


class ListingReader:
    """One record element being read: its problems go to the list the loader shares.

    `record` names the record in its problems (e.g. "sanctionEntity 3 (logicalId 13)").
    """

    def __init__(self, path: Path, elem: ET.Element, record: str, problems: list[LoadProblem]):
        self.path = path
        self.elem = elem
        self.record = record
        self.problems = problems

    def problem(self, field: str | None, why: str) -> None:
        """Report a problem of this record's `field`."""
        self.problems.append(LoadProblem(str(self.path), self.record, field, why))

    def dates(self, field: str, text: str | None) -> tuple[str, ...]:
        """The ISO dates of `text`; none, and a problem of `field`, when it cannot be read."""
        dates = parse_dates(text)
        if not dates:
            self.problem(field, f"unreadable date {text!r}: left out")
        return dates

    def year_range(self, field: str, start: str | None, end: str | None) -> list[str]:
        """Every year of `start`..`end`; none, and a problem of `field`, when implausible."""
        try:
            return year_range(start, end)
        except ValueError as exc:
            self.problem(field, f"{exc}: left out")
            return []
