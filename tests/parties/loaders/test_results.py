"""Tests for loaders/results.py: the file hash and the ListInfo every loader ends with."""

from __future__ import annotations

from pathlib import Path

from chainbreaker.parties.loaders.results import file_sha256, finish_list
from chainbreaker.parties.models import ListedEntity, ListedName, LoadProblem

#: SHA-256 of b"abc" (FIPS 180-2, appendix B.1).
ABC_SHA256 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_file_sha256_hashes_the_bytes(tmp_path: Path) -> None:
    path = tmp_path / "list.txt"
    path.write_bytes(b"abc")
    assert file_sha256(path) == ABC_SHA256


def test_finish_list_counts_and_hashes(tmp_path: Path) -> None:
    path = tmp_path / "list.txt"
    path.write_bytes(b"abc")
    entity = ListedEntity(list_id="l", entity_id="1", schema="Person", names=(ListedName("A"),))
    problem = LoadProblem(str(path), "line 2", "name", "no name")
    loaded = finish_list(path, "l", "A list", "csv", "2024-05-03", [entity], [problem])
    assert loaded.entities == [entity]
    assert loaded.problems == [problem]
    info = loaded.info
    assert (info.list_id, info.title, info.format, info.path) == ("l", "A list", "csv", str(path))
    assert (info.sha256, info.published, info.entities, info.problems) == (
        ABC_SHA256,
        "2024-05-03",
        1,
        1,
    )


def test_finish_list_keeps_a_given_hash(tmp_path: Path) -> None:
    path = tmp_path / "list.txt"
    path.write_bytes(b"abc")
    loaded = finish_list(path, "l", "A list", "csv", None, [], [], sha256="0" * 64)
    assert loaded.info.sha256 == "0" * 64
    assert (loaded.info.entities, loaded.info.problems) == (0, 0)
