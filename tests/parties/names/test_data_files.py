"""The data tables: they load, they are consistent, and a malformed file is a DataError."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from chainbreaker.errors import DataError
from chainbreaker.parties.names import chinese_key, split_pinyin, tables
from chainbreaker.parties.names.pinyin import _strip_marks


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point the readers at a temporary data directory (the cache is cleared around the test)."""
    tables.read_yaml.cache_clear()
    monkeypatch.setattr(tables, "DATA_DIR", tmp_path)
    yield tmp_path
    tables.read_yaml.cache_clear()


def test_a_missing_file_is_a_data_error(data_dir: Path) -> None:
    with pytest.raises(DataError, match=r"nothing\.yaml"):
        tables.read_yaml("nothing.yaml")


def test_a_file_that_is_not_yaml_is_a_data_error(data_dir: Path) -> None:
    (data_dir / "bad.yaml").write_text("a: [1, 2\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"bad\.yaml: not valid YAML"):
        tables.read_yaml("bad.yaml")


def test_the_wrong_shape_is_a_data_error_naming_the_key(data_dir: Path) -> None:
    (data_dir / "list.yaml").write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(DataError, match="mapping at the top"):
        tables.read_yaml("list.yaml")
    (data_dir / "shape.yaml").write_text("words: [a, '']\nmap: [a]\nrows: [1]\n", encoding="utf-8")
    with pytest.raises(DataError, match="'words'"):
        tables.str_list("shape.yaml", "words")
    with pytest.raises(DataError, match="'map'"):
        tables.str_map("shape.yaml", "map")
    with pytest.raises(DataError, match="'rows'"):
        tables.entries("shape.yaml", "rows")
    with pytest.raises(DataError, match="needs 'label'"):
        tables.field("shape.yaml", "rows", {"forms": []}, "label", str)


def _pinyin_table() -> dict[str, str]:
    return {
        k: _strip_marks(v[0])
        for k, v in tables.str_map("pinyin.yaml", "pinyin_to_wade_giles").items()
    }


def test_every_pinyin_syllable_has_a_key_and_spells_itself() -> None:
    for pinyin in _pinyin_table():
        assert split_pinyin(pinyin) == (pinyin,)
        assert chinese_key(pinyin) is not None


def test_the_ambiguous_list_is_exactly_the_tokens_read_two_ways() -> None:
    """A token that is pinyin for one syllable and Wade-Giles for another must be listed, with
    the reading its key follows; every other pinyin spelling takes its Wade-Giles key."""
    table = _pinyin_table()
    wade_giles: dict[str, set[str]] = {}
    for pinyin, wg in table.items():
        wade_giles.setdefault(wg, set()).add(pinyin)
    two_ways = {t for t in table if t in wade_giles and table[t] != t and t not in wade_giles[t]}
    listed = {e["token"] for e in tables.entries("pinyin.yaml", "ambiguous")}
    assert two_ways == listed - {"chua"}  # chua: both readings meet under one key anyway
    for token in two_ways:
        entry = next(e for e in tables.entries("pinyin.yaml", "ambiguous") if e["token"] == token)
        expected = table[token] if entry["reading"] == "pinyin" else token
        assert chinese_key(token) == expected


def test_surnames_and_foreign_names_are_syllables() -> None:
    for surname in tables.str_list("chinese_surnames.yaml", "surname_syllables"):
        assert split_pinyin(surname) is not None, surname
    for name in tables.str_list("given_names.yaml", "non_chinese"):
        assert split_pinyin(name) is not None, name  # a name that is not syllables needs no entry


def test_legal_form_labels_are_unique_per_spelling() -> None:
    from chainbreaker.parties.names.legal_forms import _table

    table = _table()  # raises DataError when one spelling is under two labels
    assert table.by_joined["coltd"].label == "co ltd"
    assert table.by_joined["sadecv"].label == "sa de cv"
    assert table.by_joined["limitada"].label == "ltda"
