"""The list loaders: which format a file is in, and reading it with the loader for that format.

    load_list("sdn.csv")                      # format detected from the file
    load_list("own.csv", "csv", list_id="x")  # format given
    parse_list_spec("lists/un.xml:un-xml")    # -> (Path("lists/un.xml"), "un-xml")

The loaders are imported when first used, one module per format (FORMATS in models).
How each format is recognised and what is read from it is described in docs/lists.md.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from pathlib import Path
from typing import cast

from chainbreaker.errors import DataError
from chainbreaker.parties.models import FORMATS, LoadedList

__all__ = ["FORMATS", "SNIFF_BYTES", "detect_format", "load_list", "parse_list_spec"]

#: How much of a file is read to recognise its format.
SNIFF_BYTES = 4096

#: format -> (module under chainbreaker.parties.loaders, reader function)
_READERS = {
    "ofac-csv": ("ofac_csv", "read_ofac_csv"),
    "ofac-xml": ("ofac_xml", "read_ofac_xml"),
    "ofac-advanced": ("ofac_advanced", "read_ofac_advanced"),
    "un-xml": ("un_xml", "read_un_xml"),
    "eu-xml": ("eu_xml", "read_eu_xml"),
    "ftm": ("ftm", "read_ftm"),
    "csv": ("member_csv", "read_member_csv"),
}
#: Root element (local name) -> format, for the XML formats.
_XML_ROOTS = {"sdnList": "ofac-xml", "Sanctions": "ofac-advanced", "CONSOLIDATED_LIST": "un-xml"}
#: The main files of OFAC's CSV lists, which a folder may hold.
_OFAC_MAIN_FILES = ("sdn.csv", "cons_prim.csv")

_XML_COMMENT = re.compile(r"<!--.*?-->", re.S)
_XML_TAG = re.compile(r"<([!?]?)([^\s>/]*)")
_OFAC_CSV_ROW = re.compile(r'^\s*\d+\s*,\s*"')
_FTM_SCHEMA = re.compile(r'"schema"\s*:\s*"')
_FTM_ID = re.compile(r'"id"\s*:')


def parse_list_spec(spec: str) -> tuple[Path, str | None]:
    """Split "PATH[:FORMAT]" into the path and the format (None when not given).

    Only a suffix that is one of FORMATS is taken as the format, so a path holding a colon
    ("lists/2024:05/sdn.csv") stays whole.

    >>> parse_list_spec("sdn.csv:ofac-csv"), parse_list_spec("a:b.xml")
    ((PosixPath('sdn.csv'), 'ofac-csv'), (PosixPath('a:b.xml'), None))
    """
    head, colon, tail = spec.rpartition(":")
    if colon and head and tail.strip().lower() in FORMATS:
        return Path(head), tail.strip().lower()
    return Path(spec), None


def detect_format(path: Path) -> str:
    """The format of the list file at `path`, recognised from its first SNIFF_BYTES bytes.

    XML by its root element (sdnList, Sanctions, CONSOLIDATED_LIST, export with
    sanctionEntity); JSON lines with a "schema" key are FollowTheMoney; a CSV whose first line
    starts with a number and a quoted name is OFAC's; a CSV whose header has id and name is a
    member list. A folder holding sdn.csv or cons_prim.csv is OFAC CSV. Raises DataError naming
    the file when no format fits.
    """
    path = Path(path)
    if path.is_dir():
        names = {p.name.lower() for p in path.iterdir()}
        if any(name in names for name in _OFAC_MAIN_FILES):
            return "ofac-csv"
        raise DataError(f"{path}: a folder without sdn.csv or cons_prim.csv, not a list file")
    try:
        with path.open("rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError as exc:
        raise DataError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    text = _decode(head).lstrip()
    if not text:
        raise DataError(f"{path}: the file is empty")
    fmt = _sniff_xml(path, text) if text.startswith("<") else _sniff_text(text)
    if fmt is None:
        first = text.splitlines()[0][:60] if text.splitlines() else ""
        raise DataError(
            f"{path}: not a list format chainbreaker recognises (it starts {first!r}); "
            f"give the format as PATH:FORMAT, one of {', '.join(FORMATS)}"
        )
    return fmt


def load_list(
    path: Path | str, fmt: str | None = None, *, list_id: str | None = None
) -> LoadedList:
    """Read the list at `path` in format `fmt` (detected when None), under `list_id` if given.

    Without `list_id` each loader uses its own default ("ofac-sdn", "un-consolidated",
    "eu-fsf", or the file's stem for FtM and member lists). Raises DataError naming the file
    when it is missing or malformed, or naming the format when it is unknown.
    """
    path = Path(path)
    fmt = fmt.strip().lower() if fmt is not None else None
    if fmt is not None and fmt not in FORMATS:
        raise DataError(f"{path}: unknown list format {fmt!r}; one of {', '.join(FORMATS)}")
    if not path.exists():
        raise DataError(f"{path}: no such list file")
    fmt = fmt or detect_format(path)
    module_name, function = _READERS[fmt]
    module = importlib.import_module(f"{__name__}.{module_name}")
    reader = cast(Callable[..., LoadedList], getattr(module, function))
    return reader(path) if list_id is None else reader(path, list_id=list_id)


def _decode(head: bytes) -> str:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", errors="replace")
    return head.removeprefix(b"\xef\xbb\xbf").decode("utf-8", errors="replace")


def _sniff_xml(path: Path, text: str) -> str | None:
    """The XML format by the root element, skipping the declaration, comments and DOCTYPE."""
    for match in _XML_TAG.finditer(_XML_COMMENT.sub("", text)):
        marker, name = match.groups()
        if marker:  # <?xml ...?>, <!-- ... -->, <!DOCTYPE ...>
            continue
        root = name.rpartition(":")[2]
        if root in _XML_ROOTS:
            return _XML_ROOTS[root]
        if root == "export" and ("sanctionEntity" in text or "fpi/fsd/export" in text):
            return "eu-xml"
        raise DataError(
            f"{path}: an XML file with root <{root}>, not a list chainbreaker reads "
            "(sdnList, Sanctions, CONSOLIDATED_LIST, export with sanctionEntity)"
        )
    return None


def _sniff_text(text: str) -> str | None:
    """FtM JSON lines, OFAC CSV or a member CSV, from the first line."""
    first = text.splitlines()[0]
    if first.startswith("{"):
        return "ftm" if _FTM_SCHEMA.search(first) and _FTM_ID.search(first) else None
    if _OFAC_CSV_ROW.match(first):
        return "ofac-csv"
    delimiter = ";" if first.count(";") > first.count(",") else ","
    columns = {c.strip().strip('"').strip().casefold() for c in first.split(delimiter)}
    return "csv" if {"id", "name"} <= columns else None
