"""The compiled hot modules: used only when they match their sources, and equal to them."""

from __future__ import annotations

import importlib.machinery
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from chainbreaker import native

SUFFIX = importlib.machinery.EXTENSION_SUFFIXES[0]


def _fake_build(root: Path) -> Path:
    """A folder laid out like src/ after a build: every compiled module's source and an
    (empty) extension beside it, and a manifest of the sources' hashes."""
    for module in native.COMPILED:
        source = native.source_of(module, root)
        source.parent.mkdir(parents=True, exist_ok=True)
        source.write_text(f"NAME = {module!r}\n", encoding="utf-8")
        source.with_suffix(SUFFIX).write_bytes(b"")
    manifest = root / "manifest.json"
    digests = {m: native._digest(native.source_of(m, root)) for m in native.COMPILED}
    manifest.write_text(json.dumps(digests), encoding="utf-8")
    return manifest


def test_a_build_matching_its_sources_is_not_stale(tmp_path: Path) -> None:
    manifest = _fake_build(tmp_path)
    assert native.built(tmp_path)
    assert native.stale(tmp_path, manifest) == []


def test_an_edited_source_makes_its_module_stale(tmp_path: Path) -> None:
    manifest = _fake_build(tmp_path)
    edited = native.COMPILED[3]
    source = native.source_of(edited, tmp_path)
    source.write_text(source.read_text(encoding="utf-8") + "X = 1\n", encoding="utf-8")
    assert native.stale(tmp_path, manifest) == [edited]


def test_a_missing_manifest_or_extension_is_stale(tmp_path: Path) -> None:
    manifest = _fake_build(tmp_path)
    native.source_of(native.COMPILED[0], tmp_path).with_suffix(SUFFIX).unlink()
    assert native.stale(tmp_path, manifest) == [native.COMPILED[0]]
    manifest.write_text("not json", encoding="utf-8")
    assert native.stale(tmp_path, manifest) == list(native.COMPILED)
    assert native.stale(tmp_path, tmp_path / "absent.json") == list(native.COMPILED)


def test_nothing_built_means_sources(tmp_path: Path) -> None:
    assert not native.built(tmp_path)
    assert native.guard(tmp_path, tmp_path / "absent.json") == "source"


def test_a_stale_build_loads_every_compiled_module_from_its_source(tmp_path: Path) -> None:
    manifest = _fake_build(tmp_path)
    source = native.source_of(native.COMPILED[-1], tmp_path)
    source.write_text("NAME = 'edited'\n", encoding="utf-8")
    before = list(sys.meta_path)
    try:
        assert native.guard(tmp_path, manifest) == "stale"
        finder = sys.meta_path[0]
        assert isinstance(finder, native.SourceFirst)
        for module in native.COMPILED:  # all of them, not only the edited one
            spec = finder.find_spec(module)
            assert spec is not None
            assert spec.origin == str(native.source_of(module, tmp_path))
        assert finder.find_spec("chainbreaker.screen.pipeline") is None  # not compiled
    finally:
        sys.meta_path[:] = before


def _run(code: str, **env: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **env},
    )
    return done.stdout


def test_pure_runs_the_sources() -> None:
    out = _run(
        "import chainbreaker, chainbreaker.parties.matching.index as m;"
        "print(chainbreaker.NATIVE, m.__file__)",
        CHAINBREAKER_PURE="1",
    )
    state, path = out.split()
    assert path.endswith("index.py")
    assert state == "source"


SCREEN_NAMES = """
import json
from chainbreaker.parties.models import ListedEntity, ListedName, LoadedList, ListInfo
from chainbreaker.parties.screening import PartyQuery, Screener
people = [("Person", "GUZMAN LOERA, Joaquin"), ("Person", "ZHANG, Jian"),
          ("Company", "Hebei Atun Trading Co., Ltd."), ("Person", "Wilson, James Earl"),
          ("Company", "Clan del Golfo"), ("Person", "AL-RASHID, Abdul Karim")]
entities = [ListedEntity(list_id="t", entity_id=str(i), schema=s, names=(ListedName(n),))
            for i, (s, n) in enumerate(people)]
info = ListInfo("t", "test", "csv", "t.csv", "", None, len(entities), 0)
screener = Screener([LoadedList(info, entities)])
queries = ["Joaquin Guzman Loera", "Zhang Jian", "ATUN TRADING (HEBEI) CO", "Mary Wilson",
           "CLANDEL GOLFO", "Abdulkarim Al Rashid", "Chang Chien", "Nobody Atall"]
print(json.dumps([[m.to_dict() for m in screener.screen(PartyQuery("q", q, None, None),
                  min_score=0.3)] for q in queries], sort_keys=True))
"""


@pytest.mark.skipif(native.stale() != [], reason="the compiled modules are not built")
def test_compiled_and_source_modules_give_the_same_matches() -> None:
    compiled = _run(SCREEN_NAMES)
    source = _run(SCREEN_NAMES, CHAINBREAKER_PURE="1")
    assert json.loads(compiled) == json.loads(source)
    found = json.loads(compiled)
    assert found[0] and found[0][0]["entity_id"] == "0"  # Guzman Loera found, both ways
    assert found[-1] == []  # nothing close to "Nobody Atall"


def test_an_extension_of_a_module_off_the_list_is_set_aside(tmp_path: Path) -> None:
    # an earlier build compiled a module that is no longer on the list: its extension would
    # shadow the source, so it counts as stale and its source is loaded
    manifest = _fake_build(tmp_path)
    extra = "chainbreaker.screen.records"
    source = native.source_of(extra, tmp_path)
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_text("X = 1\n", encoding="utf-8")
    source.with_suffix(SUFFIX).write_bytes(b"")
    assert native.stale(tmp_path, manifest) == [extra]
    before = list(sys.meta_path)
    try:
        assert native.guard(tmp_path, manifest) == "stale"
        finder = sys.meta_path[0]
        assert isinstance(finder, native.SourceFirst)
        spec = finder.find_spec(extra)
        assert spec is not None and spec.origin == str(source)
    finally:
        sys.meta_path[:] = before
    assert native.clean(tmp_path, manifest) == len(native.COMPILED) + 2  # + extra + manifest
    assert not native.built(tmp_path)
