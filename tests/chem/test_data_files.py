"""The YAML data-file reader shared by the catalog and the family definitions."""

from __future__ import annotations

from pathlib import Path

import pytest

from chainbreaker.chem.data_files import DATA_DIR, read_entries
from chainbreaker.errors import DataError


def test_reads_the_list_under_the_top_key(tmp_path: Path) -> None:
    path = tmp_path / "things.yaml"
    path.write_text("things:\n  - id: a\n  - id: b\nother: 1\n", encoding="utf-8")
    assert read_entries(path, "things") == [{"id": "a"}, {"id": "b"}]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("things: [a, b\n", "not valid YAML"),  # the flow list is never closed
        ("- a\n- b\n", "expected a mapping with a list under 'things'"),
        ("things: a\n", "expected a mapping with a list under 'things'"),
        ("stuff: [a]\n", "expected a mapping with a list under 'things'"),
    ],
)
def test_malformed_files_name_the_file(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "things.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match=message) as info:
        read_entries(path, "things")
    assert str(path) in str(info.value)


def test_a_missing_file_is_a_data_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="cannot be read"):
        read_entries(tmp_path / "absent.yaml", "things")


def test_the_packaged_data_files_are_found() -> None:
    assert (DATA_DIR / "families.yaml").is_file()
    assert (DATA_DIR / "sources.yaml").is_file()
