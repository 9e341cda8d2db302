"""The list store: prepared copies reused while a list is unchanged, re-read when it changes."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chainbreaker.errors import DataError
from chainbreaker.parties.list_json import decode_list, encode_list
from chainbreaker.parties.models import (
    Address,
    Identifier,
    ListedEntity,
    ListedName,
    ListInfo,
    LoadedList,
    LoadProblem,
)
from chainbreaker.parties.store import FetchedList, ListStore, default_root, list_files

ROOT = Path(__file__).resolve().parents[2]
SDN = ROOT.parent / "shared" / "screening" / "data" / "ofac_sdn_2024-05-03" / "sdn.csv"

RICH = ListedEntity(
    list_id="ofac-sdn",
    entity_id="36",
    schema="Person",
    names=(
        ListedName("GUZMAN LOERA, Joaquin", parts=(("last", "GUZMAN LOERA"), ("first", "Joaquin"))),
        ListedName("CHAPO", kind="aka", weak=True),
        ListedName("郑福晶", kind="aka", script="Han"),
    ),
    birth_dates=("1957-04-04", "1954"),
    countries=("MX",),
    identifiers=(Identifier("Passport", "G23851362", "CN"), Identifier("Email", "a@b.c")),
    addresses=(Address("Culiacan, Sinaloa", "MX"), Address("somewhere")),
    programs=("SDNTK", "ILLICIT-DRUGS-EO14059"),
    listed_on="2001-06-01",
    remarks="DOB 04 Apr 1957; a.k.a. 'CHAPO'.",
)
PLAIN = ListedEntity("ofac-sdn", "37", "Company", (ListedName("ACME LTD"),))


class FakeLoader:
    """Stands for load_list: counts its calls and reads one entity per line of the file."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, path: Path, fmt: str | None = None, *, list_id: str | None = None) -> Any:
        self.calls += 1
        lines = path.read_text(encoding="utf-8").splitlines()
        entities = [RICH] + [
            ListedEntity(list_id or "own", str(n), "Company", (ListedName(text),))
            for n, text in enumerate(lines, start=1)
            if text
        ]
        problems = [LoadProblem(str(path), "line 9", "name", "empty")]
        info = ListInfo(
            list_id or "own", "test", fmt or "csv", str(path), "ab" * 32, None, len(entities), 1
        )
        return LoadedList(info, entities, problems)


@pytest.fixture
def loader() -> FakeLoader:
    return FakeLoader()


@pytest.fixture
def listfile(tmp_path: Path) -> Path:
    path = tmp_path / "in" / "own.csv"
    path.parent.mkdir()
    path.write_text("ACME LTD\nZETA SA\n", encoding="utf-8")
    return path


def test_second_open_uses_the_prepared_copy_and_gives_the_same_list(
    tmp_path: Path, listfile: Path, loader: FakeLoader
) -> None:
    store = ListStore(tmp_path / "store", loader=loader)
    first = store.open(listfile)
    again = ListStore(tmp_path / "store", loader=loader).open(listfile)
    assert loader.calls == 1
    assert again.entities == first.entities and again.entities[0] == RICH
    assert again.problems == first.problems and again.info == first.info


def test_a_changed_file_is_read_again_and_its_old_copy_removed(
    tmp_path: Path, listfile: Path, loader: FakeLoader
) -> None:
    store = ListStore(tmp_path / "store", loader=loader)
    assert [e.name for e in store.open(listfile).entities[1:]] == ["ACME LTD", "ZETA SA"]
    listfile.write_text("ACME LTD\nZETA SA\nNEW CO\n", encoding="utf-8")
    assert [e.name for e in store.open(listfile).entities[1:]] == ["ACME LTD", "ZETA SA", "NEW CO"]
    assert loader.calls == 2
    assert len(list((tmp_path / "store" / "prepared").glob("*.json.gz"))) == 1


def test_same_size_new_content_is_noticed_through_the_mtime(
    tmp_path: Path, listfile: Path, loader: FakeLoader
) -> None:
    store = ListStore(tmp_path / "store", loader=loader)
    store.open(listfile)
    stat = listfile.stat()
    listfile.write_text("ACME LTD\nBETA SA\n", encoding="utf-8")  # same size
    os.utime(listfile, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert store.open(listfile).entities[2].name == "BETA SA"
    assert loader.calls == 2


def test_a_touched_but_unchanged_file_is_hashed_not_parsed(
    tmp_path: Path, listfile: Path, loader: FakeLoader
) -> None:
    store = ListStore(tmp_path / "store", loader=loader)
    store.open(listfile)
    listfile.touch()
    os.utime(listfile, ns=(0, listfile.stat().st_mtime_ns + 5_000_000_000))
    store.open(listfile)
    assert loader.calls == 1 and store.reused == 1


def test_format_list_id_and_loader_version_are_part_of_the_key(
    tmp_path: Path, listfile: Path, loader: FakeLoader
) -> None:
    store = ListStore(tmp_path / "store", loader=loader)
    store.open(listfile)
    assert store.open(listfile, list_id="mine").info.list_id == "mine"
    assert store.open(f"{listfile}:csv").info.format == "csv"
    ListStore(tmp_path / "store", loader=loader, version="v2").open(listfile)
    assert loader.calls == 4


def test_a_damaged_prepared_copy_is_rebuilt(
    tmp_path: Path, listfile: Path, loader: FakeLoader
) -> None:
    store = ListStore(tmp_path / "store", loader=loader)
    store.open(listfile)
    (copy,) = (tmp_path / "store" / "prepared").glob("*.json.gz")
    copy.write_bytes(gzip.compress(b'{"key": "x", "list": '))
    assert store.open(listfile).entities[0] == RICH
    copy.write_bytes(b"not gzip")
    assert store.open(listfile).entities[0] == RICH
    assert loader.calls == 3


def test_prepared_copies_are_gzip_json_not_pickle(
    tmp_path: Path, listfile: Path, loader: FakeLoader
) -> None:
    store = ListStore(tmp_path / "store", loader=loader)
    store.open(listfile)
    (copy,) = (tmp_path / "store" / "prepared").glob("*.json.gz")
    doc = json.loads(gzip.decompress(copy.read_bytes()))
    # an entity is the array of its fields in order, those at their defaults at the end left out
    assert doc["list"]["entities"][1] == ["own", "1", "Company", [["ACME LTD"]]]
    assert doc["list"]["problems"] == [[str(listfile), "line 9", "name", "empty"]]


def test_copies_of_lists_whose_file_is_gone_are_removed(
    tmp_path: Path, listfile: Path, loader: FakeLoader
) -> None:
    store = ListStore(tmp_path / "store", loader=loader)
    gone = listfile.with_name("old.csv")
    gone.write_text("OLD CO\n", encoding="utf-8")
    store.open(gone)
    gone.unlink()
    store.open(listfile)  # a new prepared copy: the index is tidied
    (copy,) = (tmp_path / "store" / "prepared").glob("*.json.gz")
    assert json.loads(gzip.decompress(copy.read_bytes()))["list"]["entities"][1][3] == [
        ["ACME LTD"]
    ]
    index = json.loads((tmp_path / "store" / "prepared" / "index.json").read_text())
    assert list(index["files"]) == [str(listfile.resolve())]


def test_prune_deletes_what_was_not_used_for_long(
    tmp_path: Path, listfile: Path, loader: FakeLoader
) -> None:
    store = ListStore(tmp_path / "store", loader=loader)
    store.open(listfile)
    store.blob("old", lambda: 1)
    store.blob("new", lambda: 2)
    old_blob = next(
        p
        for p in (tmp_path / "store" / "blobs").iterdir()
        if b'"old"' in gzip.decompress(p.read_bytes())
    )
    long_ago = 1_000_000_000  # 2001
    for path in [old_blob, *(tmp_path / "store" / "prepared").glob("*.json.gz")]:
        os.utime(path, (long_ago, long_ago))
    assert store.prune(60) == 2
    assert store.blob("new", lambda: 3) == 2 and store.blob("old", lambda: 4) == 4
    store.open(listfile)
    assert loader.calls == 2


def test_reading_a_copy_marks_it_used(tmp_path: Path, listfile: Path, loader: FakeLoader) -> None:
    store = ListStore(tmp_path / "store", loader=loader)
    store.open(listfile)
    (copy,) = (tmp_path / "store" / "prepared").glob("*.json.gz")
    os.utime(copy, (1_000_000_000, 1_000_000_000))
    store.open(listfile)
    assert store.prune(60) == 0 and loader.calls == 1


def test_a_missing_list_file_is_a_data_error(tmp_path: Path, loader: FakeLoader) -> None:
    with pytest.raises(DataError, match="no such list file"):
        ListStore(tmp_path, loader=loader).open(tmp_path / "none.csv")


def test_an_unwritable_store_still_loads_and_says_so(
    tmp_path: Path, listfile: Path, loader: FakeLoader
) -> None:
    root = tmp_path / "a-file"
    root.write_text("", encoding="utf-8")  # the root cannot be a folder
    store = ListStore(root, loader=loader)
    assert store.open(listfile).entities[0] == RICH
    assert store.notes and "cache not written" in store.notes[0]


def test_ofac_csv_companions_are_part_of_the_list(tmp_path: Path, loader: FakeLoader) -> None:
    folder = tmp_path / "ofac"
    folder.mkdir()
    for name in ("SDN.CSV", "alt.csv", "other.csv"):
        (folder / name).write_text("X\n", encoding="utf-8")
    assert [p.name for p in list_files(folder / "SDN.CSV", None)] == ["SDN.CSV", "alt.csv"]
    assert [p.name for p in list_files(folder, "ofac-csv")] == ["SDN.CSV", "alt.csv"]
    assert [p.name for p in list_files(folder / "other.csv", None)] == ["other.csv", "alt.csv"]
    assert [p.name for p in list_files(folder / "SDN.CSV", "csv")] == ["SDN.CSV"]
    assert list_files(tmp_path, None) == []
    store = ListStore(tmp_path / "store", loader=loader)
    store.open(folder / "SDN.CSV")
    (folder / "add.csv").write_text("1,2\n", encoding="utf-8")  # a new companion
    store.open(folder / "SDN.CSV")
    (folder / "alt.csv").write_text("Y2\n", encoding="utf-8")  # a changed companion
    store.open(folder / "SDN.CSV")
    assert loader.calls == 3


def test_blob_is_built_once_per_key(tmp_path: Path) -> None:
    built: list[str] = []

    def build(value: Any) -> Any:
        def run() -> Any:
            built.append(str(value))
            return value

        return run

    store = ListStore(tmp_path)
    assert store.blob("index:abc:v1", build({"a": [1, 2], "b": None})) == {"a": [1, 2], "b": None}
    assert ListStore(tmp_path).blob("index:abc:v1", build("other")) == {"a": [1, 2], "b": None}
    assert store.blob("index:abc:v2", build([3])) == [3]
    assert len(built) == 2


def test_fetched_lists_are_recorded_one_per_source(tmp_path: Path) -> None:
    store = ListStore(tmp_path)
    assert store.fetched() == []

    def fetched(source: str, sha: str) -> FetchedList:
        return FetchedList(
            source, f"{source}-list", "T", "un-xml", "/x/a.xml", ("/x/a.xml",), ("http://h/a",),
            None, "2026-02-27", "file", "2026-03-01T10:00:00+00:00", sha, 3, 0,
        )  # fmt: skip

    store.record_fetch(fetched("un", "1"))
    store.record_fetch(fetched("ofac", "2"))
    store.record_fetch(fetched("un", "3"))
    assert [(f.source, f.sha256) for f in ListStore(tmp_path).fetched()] == [
        ("ofac", "2"),
        ("un", "3"),
    ]
    assert ListStore(tmp_path).fetched()[1] == fetched("un", "3")


def test_a_damaged_fetched_record_is_a_data_error(tmp_path: Path) -> None:
    (tmp_path / "lists").mkdir()
    (tmp_path / "lists" / "fetched.json").write_text("{", encoding="utf-8")
    with pytest.raises(DataError, match=r"fetched\.json.*fetch again"):
        ListStore(tmp_path).fetched()


def test_default_root(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CHAINBREAKER_HOME", str(tmp_path / "home"))
    assert default_root() == tmp_path / "home"
    monkeypatch.delenv("CHAINBREAKER_HOME")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_root() == tmp_path / "xdg" / "chainbreaker"
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert default_root() == tmp_path / ".local" / "share" / "chainbreaker"


# -- JSON form of a loaded list ---------------------------------------------------------------

_text = st.text(max_size=12)
_names = st.builds(
    ListedName,
    full=_text,
    kind=st.sampled_from(["primary", "aka", "fka", "nka"]),
    weak=st.booleans(),
    script=st.none() | st.sampled_from(["Latin", "Han"]),
    parts=st.lists(st.tuples(_text, _text), max_size=2).map(tuple),
)
_entities = st.builds(
    ListedEntity,
    list_id=_text,
    entity_id=_text,
    schema=st.sampled_from(["Person", "Company", "Vessel", "Aircraft", "Unknown"]),
    names=st.lists(_names, max_size=3).map(tuple),
    birth_dates=st.lists(_text, max_size=2).map(tuple),
    countries=st.lists(_text, max_size=2).map(tuple),
    identifiers=st.lists(st.builds(Identifier, _text, _text, st.none() | _text), max_size=2).map(
        tuple
    ),
    addresses=st.lists(st.builds(Address, _text, st.none() | _text), max_size=2).map(tuple),
    programs=st.lists(_text, max_size=2).map(tuple),
    listed_on=st.none() | _text,
    remarks=st.none() | _text,
)


_problems = st.builds(LoadProblem, _text, _text, st.none() | _text, _text)


@settings(max_examples=200)
@given(st.lists(_entities, max_size=4), st.lists(_problems, max_size=2))
def test_json_form_round_trips_exactly(
    entities: list[ListedEntity], problems: list[LoadProblem]
) -> None:
    info = ListInfo("l", "t", "csv", "/p", "00", None, len(entities), len(problems))
    loaded = LoadedList(info, entities, problems)
    back = decode_list(json.loads(json.dumps(encode_list(loaded))))
    assert back.info == info and back.entities == entities and back.problems == problems
    assert all(type(n.parts) is tuple for e in back.entities for n in e.names)


def test_json_form_of_a_rich_entity_round_trips() -> None:
    info = ListInfo("ofac-sdn", "OFAC", "ofac-csv", "/sdn.csv", "ff", "2024-05-03", 2, 0)
    loaded = LoadedList(info, [RICH, PLAIN], [])
    assert decode_list(json.loads(json.dumps(encode_list(loaded)))).entities == [RICH, PLAIN]


# -- the real OFAC list, when present ---------------------------------------------------------


@pytest.mark.skipif(not SDN.is_file(), reason="../shared/screening/data is not here")
def test_real_sdn_list_round_trips_through_its_prepared_copy(tmp_path: Path) -> None:
    cold = ListStore(tmp_path).open(SDN)
    warm_store = ListStore(tmp_path)
    warm = warm_store.open(SDN)
    assert warm_store.reused == 1 and warm_store.parsed == 0
    assert len(warm.entities) > 14_000
    assert warm.entities == cold.entities and warm.problems == cold.problems
    assert warm.info == cold.info
