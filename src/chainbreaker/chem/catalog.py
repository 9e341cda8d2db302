"""The substance catalog: load, validate and index the YAML files under `chem/data/`.

The files are `sources.yaml`, `substances/*.yaml` and `classes.yaml` (schema in docs/catalog.md).
Each entry is validated against the models of `catalog_schema`; any problem is raised as a
`DataError` that names the file, the entry id and the field. Loading builds lookup indexes by
name key, CAS RN, InChIKey and InChIKey connectivity block; no structure is computed here, so
loading stays fast.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

from pydantic import ValidationError

from chainbreaker.chem.cas import parse_cas
from chainbreaker.chem.catalog_schema import (
    ClassEntry,
    ControlEntry,
    Entry,
    SourceEntry,
    SubstanceEntry,
)
from chainbreaker.chem.data_files import DATA_DIR, read_entries
from chainbreaker.chem.models import Control, Source, Substance
from chainbreaker.chem.names import name_key
from chainbreaker.errors import DataError, InvalidCAS

# --- public objects ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ClassControl:
    """A control of a structure class and the modification kinds it reaches."""

    control: Control
    covers: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ClassDef:
    """A structure class (US FRS, China's fentanyl class, a precursor family) and its controls."""

    id: str
    name: str
    rule: str
    controls: tuple[ClassControl, ...]


class Catalog:
    """The loaded catalog with its lookup indexes."""

    def __init__(
        self,
        substances: Sequence[Substance],
        sources: Mapping[str, Source],
        classes: Mapping[str, ClassDef],
        origins: Mapping[str, str] | None = None,
    ) -> None:
        self.substances: tuple[Substance, ...] = tuple(substances)
        self.sources: Mapping[str, Source] = MappingProxyType(dict(sources))
        self.classes: Mapping[str, ClassDef] = MappingProxyType(dict(classes))
        self._by_id = {s.id: s for s in self.substances}
        self._by_name: dict[str, Substance] = {}
        self._by_cas: dict[str, Substance] = {}
        self._by_inchikey: dict[str, Substance] = {}
        self._by_block: dict[str, list[Substance]] = {}
        where = origins or {}
        for s in self.substances:
            self._index(s, where.get(s.id, "catalog"))

    def _index(self, s: Substance, origin: str) -> None:
        for form in (s.name, *s.synonyms):
            key = name_key(form)
            if not key:
                continue
            other = self._by_name.get(key)
            if other is None or other.id == s.id:
                self._by_name[key] = s
            elif other.parent == s.id:
                self._by_name[key] = s  # the parent wins over its own salt
            elif s.parent != other.id:
                field = "name" if form == s.name else "synonyms"
                raise DataError(
                    f"{origin}: entry {s.id!r}, field {field!r}: name {form!r} has the same "
                    f"lookup key as a name of entry {other.id!r}; remove or qualify one of them"
                )
        for number in (c for c in (s.cas, *s.other_cas) if c):
            other = self._by_cas.get(number)
            if other is not None and other.id != s.id:
                raise DataError(
                    f"{origin}: entry {s.id!r}, field 'cas': CAS RN {number} is also given "
                    f"for entry {other.id!r}"
                )
            self._by_cas[number] = s
        if s.inchikey:
            other = self._by_inchikey.get(s.inchikey)
            if other is not None:
                raise DataError(
                    f"{origin}: entry {s.id!r}, field 'inchikey': {s.inchikey} is also the "
                    f"InChIKey of entry {other.id!r}; one structure, one entry"
                )
            self._by_inchikey[s.inchikey] = s
            self._by_block.setdefault(s.inchikey[:14], []).append(s)

    def get(self, substance_id: str) -> Substance:
        """The entry with that id; KeyError when there is none."""
        return self._by_id[substance_id]

    def by_name(self, text: str) -> Substance | None:
        """The entry whose name or synonym has the same lookup key (see `names.name_key`)."""
        return self._by_name.get(name_key(text))

    def by_cas(self, cas: str) -> Substance | None:
        """The entry with this CAS RN (with or without hyphens; also salts' and hydrates' CAS).

        Returns None for a number that is not a valid CAS RN; callers that must report a bad
        check digit validate with `cas.parse_cas` first.
        """
        try:
            number = parse_cas(cas).number
        except InvalidCAS:
            return None
        return self._by_cas.get(number)

    def by_inchikey(self, key: str) -> Substance | None:
        """The entry whose structure (as sold, with counter-ions) has this full InChIKey."""
        return self._by_inchikey.get(key.strip().upper())

    def by_connectivity(self, key14: str) -> tuple[Substance, ...]:
        """Entries whose InChIKey starts with this 14-letter connectivity block."""
        return tuple(self._by_block.get(key14.strip().upper()[:14], ()))

    def name_forms(self) -> Iterator[tuple[str, Substance]]:
        """Every (name or synonym, entry) pair, for building a text scanner.

        A form whose lookup key resolves to another entry (a salt's name shared with its
        parent) is given once, for the entry that wins the lookup.
        """
        for s in self.substances:
            for form in (s.name, *s.synonyms):
                if self._by_name.get(name_key(form)) is s:
                    yield form, s

    def class_controls(self, class_id: str, kinds: Sequence[str] = ()) -> tuple[Control, ...]:
        """Controls of a class that reach a member with these modification kinds.

        A control covering `any` always applies. With no kinds (the family parent itself) a
        control applies when it covers `parent`. Otherwise it applies when it covers every
        given kind: a listing of "4-AP, its carbamates and its salts" does not reach a
        carbamate of a ring-halogenated 4-AP (kinds carbamate + halide) until halides are
        added ("and any combination thereof"). Each returned Control has `via_class` set.
        KeyError for an unknown class id (`precursor-family:x` is accepted for `family:x`).
        """
        if class_id.startswith("precursor-family:"):
            class_id = "family:" + class_id.removeprefix("precursor-family:")
        cdef = self.classes[class_id]
        wanted = set(kinds) if kinds else {"parent"}
        return tuple(
            cc.control for cc in cdef.controls if "any" in cc.covers or wanted <= set(cc.covers)
        )


# --- loading ----------------------------------------------------------------------------------


_M = TypeVar("_M", bound=Entry)


def _parse(model: type[_M], raw: Any, path: Path, index: int) -> _M:
    entry = raw.get("id", f"#{index + 1}") if isinstance(raw, dict) else f"#{index + 1}"
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"]) or "(entry)"
        more = f" (and {exc.error_count() - 1} more problem(s))" if exc.error_count() > 1 else ""
        raise DataError(f"{path}: entry {entry!r}, field {field!r}: {err['msg']}{more}") from exc


def _control(entry: ControlEntry) -> Control:
    return Control(
        jurisdiction=entry.jurisdiction,
        instrument=entry.instrument,
        category=entry.category,
        effective=entry.effective,
        sources=entry.sources,
        verified=entry.verified,
        ended=entry.ended,
        note=entry.note,
        via_class=entry.via_class,
    )


def _check_refs(
    path: Path, entry_id: str, field: str, ids: Sequence[str], known: Mapping[str, object]
) -> None:
    missing = [i for i in ids if i not in known]
    if missing:
        raise DataError(
            f"{path}: entry {entry_id!r}, field {field!r}: unknown source id(s) {missing}; "
            "define them in sources.yaml"
        )


def _load_sources(path: Path) -> dict[str, Source]:
    out: dict[str, Source] = {}
    for i, raw in enumerate(read_entries(path, "sources")):
        e = _parse(SourceEntry, raw, path, i)
        if e.id in out:
            raise DataError(f"{path}: entry {e.id!r}, field 'id': duplicate source id")
        out[e.id] = Source(id=e.id, title=e.title, url=e.url, note=e.note)
    return out


def _load_classes(path: Path, sources: Mapping[str, Source]) -> dict[str, ClassDef]:
    out: dict[str, ClassDef] = {}
    for i, raw in enumerate(read_entries(path, "classes")):
        e = _parse(ClassEntry, raw, path, i)
        if e.id in out:
            raise DataError(f"{path}: entry {e.id!r}, field 'id': duplicate class id")
        for j, c in enumerate(e.controls):
            _check_refs(path, e.id, f"controls.{j}.sources", c.sources, sources)
        controls = tuple(
            ClassControl(replace(_control(c), via_class=e.id), c.covers) for c in e.controls
        )
        out[e.id] = ClassDef(id=e.id, name=e.name, rule=e.rule, controls=controls)
    return out


def _load_substances(
    paths: Sequence[Path], sources: Mapping[str, Source], classes: Mapping[str, ClassDef]
) -> tuple[list[Substance], dict[str, str]]:
    entries: dict[str, tuple[Path, SubstanceEntry]] = {}
    for path in paths:
        for i, raw in enumerate(read_entries(path, "substances")):
            e = _parse(SubstanceEntry, raw, path, i)
            if e.id in entries:
                raise DataError(
                    f"{path}: entry {e.id!r}, field 'id': duplicate id (also in "
                    f"{entries[e.id][0].name})"
                )
            _check_refs(path, e.id, "sources", e.sources, sources)
            for j, c in enumerate(e.controls):
                _check_refs(path, e.id, f"controls.{j}.sources", c.sources, sources)
                if c.via_class is not None and c.via_class not in classes:
                    raise DataError(
                        f"{path}: entry {e.id!r}, field 'controls.{j}.via_class': unknown "
                        f"class {c.via_class!r}"
                    )
            entries[e.id] = (path, e)
    out: list[Substance] = []
    for path, e in entries.values():
        if e.parent is not None and e.parent not in entries:
            raise DataError(f"{path}: entry {e.id!r}, field 'parent': no entry {e.parent!r}")
        controls = tuple(_control(c) for c in e.controls)
        listed = sorted({c.jurisdiction for c in controls if c.via_class is None})
        out.append(
            Substance(
                id=e.id,
                name=e.name,
                role=e.role,
                synonyms=e.synonyms,
                cas=e.cas,
                other_cas=e.other_cas,
                smiles=e.smiles,
                inchikey=e.inchikey,
                hs_code=e.hs_code,
                parent=e.parent,
                controls=controls,
                sources=e.sources,
                notes=e.notes,
                individually_listed=tuple(listed),
            )
        )
    return out, {i: str(p) for i, (p, _) in entries.items()}


def read_catalog(data_dir: Path) -> Catalog:
    """Load and validate the catalog in `data_dir` (uncached); raise DataError when malformed."""
    sources = _load_sources(data_dir / "sources.yaml")
    classes_path = data_dir / "classes.yaml"
    classes = _load_classes(classes_path, sources) if classes_path.exists() else {}
    paths = sorted((data_dir / "substances").glob("*.yaml"))
    if not paths:
        raise DataError(f"{data_dir / 'substances'}: no substance files (*.yaml)")
    substances, origins = _load_substances(paths, sources, classes)
    return Catalog(substances, sources, classes, origins)


@functools.cache
def _packaged() -> Catalog:
    return read_catalog(DATA_DIR)


def load_catalog(data_dir: Path | None = None) -> Catalog:
    """The catalog in `data_dir`, or the packaged one (loaded once and cached) when None."""
    return _packaged() if data_dir is None else read_catalog(data_dir)
