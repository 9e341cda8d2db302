"""OFAC's legacy CSV files: `sdn.csv` and its optional companions, streamed and strict.

The files have no header; `-0-` (often `-0- ` with a trailing space) is an empty value; records
end with CR LF and the file with a DOS end-of-file byte 0x1A. Companions are found next to the
main file by OFAC's names, in any letter case:

- `sdn.csv` with `add.csv` (addresses), `alt.csv` (aliases), `sdn_comments.csv` (the Remarks
  past their 1,000th character, continued mid-word);
- `cons_prim.csv` (the consolidated non-SDN list, list id "ofac-cons") with `cons_add.csv`,
  `cons_alt.csv`, `cons_comments.csv`.

Each record is one line: a line that cannot be read (wrong number of columns, an ent_num that
is not a number, broken quoting, a repeated ent_num) is reported as a LoadProblem with its line
and skipped, and so is a companion record whose ent_num is not in the main file. The Remarks
facts (aliases, dates of birth, nationality, identifiers) are read by `ofac_facts`; a fact that
cannot be read stays in the remarks text.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from chainbreaker.errors import DataError
from chainbreaker.parties.loaders.countries import country_code
from chainbreaker.parties.loaders.ofac_facts import read_remarks, split_person_name
from chainbreaker.parties.loaders.ofac_lists import LIST_TITLES
from chainbreaker.parties.loaders.results import finish_list
from chainbreaker.parties.models import (
    Address,
    Identifier,
    ListedEntity,
    ListedName,
    LoadedList,
    LoadProblem,
    NameKind,
    Schema,
)

__all__ = ["read_ofac_csv"]

_SDN_COLUMNS = (
    "ent_num",
    "SDN_Name",
    "SDN_Type",
    "Program",
    "Title",
    "Call_Sign",
    "Vess_type",
    "Tonnage",
    "GRT",
    "Vess_flag",
    "Vess_owner",
    "Remarks",
)
_ADD_COLUMNS = ("Ent_num", "Add_num", "Address", "City/State/Province/Postal Code", "Country", "")
_ALT_COLUMNS = ("Ent_num", "alt_num", "alt_type", "alt_name", "alt_remarks")
_COMMENT_COLUMNS = ("Ent_num", "Remarks_Extended")

_SCHEMAS: dict[str, Schema] = {
    "individual": "Person",
    "": "Company",
    "entity": "Company",
    "vessel": "Vessel",
    "aircraft": "Aircraft",
}
_ALT_KINDS: dict[str, NameKind] = {"aka": "aka", "fka": "fka", "nka": "nka"}


@dataclass(frozen=True, slots=True)
class _ListFiles:
    list_id: str
    title: str
    add: str
    alt: str
    comments: str


_SDN = _ListFiles("ofac-sdn", LIST_TITLES["ofac-sdn"], "add.csv", "alt.csv", "sdn_comments.csv")
_CONS = _ListFiles(
    "ofac-cons",
    LIST_TITLES["ofac-cons"],
    "cons_add.csv",
    "cons_alt.csv",
    "cons_comments.csv",
)

# A companion record: its line and its columns.
_Rows = dict[str, list[tuple[int, list[str]]]]


def _value(text: str) -> str:
    """A column's value: `-0-` (with or without spaces) is empty."""
    value = text.strip()
    return "" if value == "-0-" else value


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _lines(raw_lines: Iterable[bytes]) -> Iterator[tuple[int, str]]:
    """(line number, text) of each non-blank line, without its CR LF and the final 0x1A.

    A UTF-8 byte order mark before the first line is dropped.
    """
    pending: tuple[int, bytes] | None = None
    for number, raw in enumerate(raw_lines, start=1):
        if pending is not None and pending[1].strip():
            yield pending[0], _decode(pending[1])
        if number == 1:
            raw = raw.removeprefix(codecs.BOM_UTF8)
        pending = (number, raw.rstrip(b"\r\n"))
    if pending is not None:
        last = pending[1].rstrip().rstrip(b"\x1a").rstrip()
        if last:
            yield pending[0], _decode(last)


def _row(text: str, columns: tuple[str, ...]) -> list[str]:
    """The columns of one line; ValueError saying why when it is not a record of that file."""
    try:
        row = next(csv.reader((text,), strict=True))
    except csv.Error as exc:
        raise ValueError(f"broken quoting ({exc})") from exc
    if len(row) != len(columns):
        raise ValueError(f"expected {len(columns)} columns, found {len(row)}")
    if not row[0].strip().isdigit():
        raise ValueError(f"{columns[0]} {row[0].strip()!r} is not a number")
    return row


def _find(folder: Path, name: str) -> Path | None:
    """The file called `name` (in any letter case) in `folder`, or None."""
    exact = folder / name
    if exact.is_file():
        return exact
    for candidate in folder.iterdir():
        if candidate.name.lower() == name and candidate.is_file():
            return candidate
    return None


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise DataError(f"{path}: cannot be read ({exc.strerror or exc})") from exc


class _Reader:
    """The state of one load: problems, the companions by ent_num, the hash."""

    def __init__(self, path: Path, files: _ListFiles, list_id: str) -> None:
        self.path = path
        self.files = files
        self.list_id = list_id
        self.problems: list[LoadProblem] = []
        self.companion_bytes: list[bytes] = []  # hashed after the main file, in this order
        self.rows: dict[str, _Rows] = {"add": {}, "alt": {}, "comments": {}}
        self.companion_paths: dict[str, Path] = {}

    def problem(self, file: Path, line: int, field: str | None, why: str) -> None:
        self.problems.append(LoadProblem(str(file), f"line {line}", field, why))

    def read_companions(self) -> None:
        folder = self.path.parent
        for key, name, columns in (
            ("add", self.files.add, _ADD_COLUMNS),
            ("alt", self.files.alt, _ALT_COLUMNS),
            ("comments", self.files.comments, _COMMENT_COLUMNS),
        ):
            found = _find(folder, name)
            if found is None:
                continue
            self.companion_paths[key] = found
            data = _read_bytes(found)
            self.companion_bytes.append(data)
            rows: _Rows = defaultdict(list)
            first_problem = len(self.problems)
            for line, text in _lines(io.BytesIO(data)):
                try:
                    row = _row(text, columns)
                except ValueError as exc:
                    self.problem(found, line, None, str(exc))
                    continue
                rows[row[0].strip()].append((line, row))
            if not rows and len(self.problems) > first_problem:
                why = self.problems[first_problem]
                raise DataError(f"{found}: no line is an OFAC {name} record ({why})")
            self.rows[key] = rows

    def entity(self, line: int, row: list[str]) -> ListedEntity | None:
        ent_num = row[0].strip()
        primary = _value(row[1])
        if not primary:
            self.problem(self.path, line, "SDN_Name", f"entry {ent_num} has no name")
            return None
        schema = _SCHEMAS.get(_value(row[2]).lower(), "Unknown")
        remarks_text = (row[11] if _value(row[11]) else "") + "".join(
            r[1] for _, r in self.rows["comments"].get(ent_num, ())
        )
        facts = read_remarks(remarks_text)

        names = [ListedName(primary, parts=_parts(schema, primary))]
        for alt_line, alt in self.rows["alt"].get(ent_num, ()):
            kind = _ALT_KINDS.get(_value(alt[2]).lower().replace(".", ""))
            alt_name = _value(alt[3])
            if kind is None or not alt_name:
                why = f"unknown alt_type {alt[2].strip()!r}" if kind is None else "empty alt_name"
                field = "alt_type" if kind is None else "alt_name"
                self.problem(self.companion_paths["alt"], alt_line, field, why)
                continue
            names.append(ListedName(alt_name, kind=kind, parts=_parts(schema, alt_name)))
        for alias in facts.aliases:
            names.append(ListedName(alias.full, alias.kind, parts=_parts(schema, alias.full)))

        addresses = [a for _, add in self.rows["add"].get(ent_num, ()) if (a := _address(add))]
        countries = list(facts.countries)
        if schema == "Vessel" and (flag := country_code(_value(row[9]))):
            countries.append(flag)
        countries += [a.country for a in addresses if a.country]
        identifiers = list(facts.identifiers)
        if call_sign := _value(row[5]):
            identifiers.insert(0, Identifier("Call Sign", call_sign))
        programs = [p.strip(" []") for p in _value(row[3]).split("] [")]
        return ListedEntity(
            list_id=self.list_id,
            entity_id=ent_num,
            schema=schema,
            names=_unique_names(names),
            birth_dates=tuple(dict.fromkeys(facts.birth_dates)),
            countries=tuple(dict.fromkeys(countries)),
            identifiers=tuple(dict.fromkeys(identifiers)),
            addresses=tuple(dict.fromkeys(addresses)),
            programs=tuple(p for p in dict.fromkeys(programs) if p),
            remarks=remarks_text.strip() or None,
        )

    def orphans(self, seen: dict[str, int]) -> None:
        """Report companion records whose ent_num is not an entry of the main file."""
        for key, rows in self.rows.items():
            for ent_num, records in rows.items():
                if ent_num not in seen:
                    for line, _ in records:
                        why = f"no entry {ent_num} in {self.path.name}"
                        self.problem(self.companion_paths[key], line, "Ent_num", why)


def _parts(schema: Schema, full: str) -> tuple[tuple[str, str], ...]:
    return split_person_name(full) if schema == "Person" else ()


def _address(row: list[str]) -> Address | None:
    country_name = _value(row[4])
    text = ", ".join(v for v in (_value(row[2]), _value(row[3]), country_name) if v)
    return Address(text, country_code(country_name)) if text else None


def _unique_names(names: list[ListedName]) -> tuple[ListedName, ...]:
    """The names without repeats (same letters, case and spacing aside); the first one kept."""
    out: dict[str, ListedName] = {}
    for name in names:
        out.setdefault(" ".join(name.full.casefold().split()), name)
    return tuple(out.values())


def _main_file(path: Path) -> tuple[Path, _ListFiles]:
    if path.is_dir():
        for name, files in (("sdn.csv", _SDN), ("cons_prim.csv", _CONS)):
            found = _find(path, name)
            if found is not None:
                return found, files
        raise DataError(f"{path}: a folder without sdn.csv or cons_prim.csv")
    if not path.is_file():
        raise DataError(f"{path}: no such file")
    return path, (_CONS if path.name.lower().startswith("cons_") else _SDN)


def read_ofac_csv(path: Path, list_id: str = "ofac-sdn") -> LoadedList:
    """Read OFAC's `sdn.csv` (or `cons_prim.csv`, or a folder holding one) and its companions.

    `list_id` "ofac-sdn" becomes "ofac-cons" for the consolidated list's `cons_prim.csv`.
    Malformed records are reported in `LoadedList.problems` and skipped; DataError when the
    file cannot be read, is empty or holds no OFAC record at all.
    """
    main, files = _main_file(Path(path))
    if files is _CONS and list_id == _SDN.list_id:
        list_id = _CONS.list_id
    reader = _Reader(main, files, list_id)
    reader.read_companions()
    hasher = hashlib.sha256()
    entities: list[ListedEntity] = []
    seen: dict[str, int] = {}
    lines = 0
    try:
        with main.open("rb") as handle:
            for line, text in _lines(_hashed(handle, hasher)):
                lines += 1
                if lines == 1 and text.lstrip().startswith("<"):
                    raise DataError(f"{main}: line 1 is XML, not OFAC CSV (read it as ofac-xml)")
                try:
                    row = _row(text, _SDN_COLUMNS)
                except ValueError as exc:
                    reader.problem(main, line, None, str(exc))
                    continue
                ent_num = row[0].strip()
                if ent_num in seen:
                    why = f"ent_num {ent_num} repeated (first on line {seen[ent_num]})"
                    reader.problem(main, line, "ent_num", why)
                    continue
                seen[ent_num] = line
                entity = reader.entity(line, row)
                if entity is not None:
                    entities.append(entity)
    except OSError as exc:
        raise DataError(f"{main}: cannot be read ({exc.strerror or exc})") from exc
    if lines == 0:
        raise DataError(f"{main}: holds no records (an empty or failed download?)")
    if not entities:
        first = next(p for p in reader.problems if p.file == str(main))
        raise DataError(f"{main}: no line is an OFAC record ({first})")
    reader.orphans(seen)
    for data in reader.companion_bytes:
        hasher.update(data)
    problems, sha256 = reader.problems, hasher.hexdigest()
    return finish_list(
        main, list_id, files.title, "ofac-csv", None, entities, problems, sha256=sha256
    )


def _hashed(handle: Iterable[bytes], hasher: hashlib._Hash) -> Iterator[bytes]:
    for raw in handle:
        hasher.update(raw)
        yield raw
