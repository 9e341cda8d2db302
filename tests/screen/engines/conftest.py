"""Two small manifests for the engine tests, with the stand-in pipeline's expected decisions."""

from __future__ import annotations

from pathlib import Path

import pytest

A_CSV = (
    "id,consignee,description,date\n"
    "A1,Ann Lee,books,2024-05-01\n"
    "A2,Bob Ray,fentanyl citrate sample,2024-05-01\n"
    ",Nobody,missing id,2024-05-01\n"
    "A4,Ann Lee,toys,2024-05-01\n"
    "A5,ann lee,gift,2024-05-01\n"
)
B_CSV = (
    "id,consignee,description,date\n"
    "B1,Carl,tea,2024-05-02\n"
    "B2,Ann Lee,sample,2024-05-01\n"
    "B3,Ann Lee,Fentanyl,2024-05-02\n"
)

# Worked out by hand: Ann Lee has 4 records on 2024-05-01 (A1, A4, A5 and B2 in the other
# file), so each is a review (0.5); A2 and B3 mention fentanyl (hold, 0.9); B1 is clear.
EXPECTED = [
    ("A1", "review", 0.5),
    ("A2", "hold", 0.9),
    ("A4", "review", 0.5),
    ("A5", "review", 0.5),
    ("B1", "clear", 0.0),
    ("B2", "review", 0.5),
    ("B3", "hold", 0.9),
]


@pytest.fixture
def manifests(tmp_path: Path) -> list[Path]:
    a = tmp_path / "a.csv"
    a.write_text(A_CSV, encoding="utf-8")
    b = tmp_path / "b.csv"
    b.write_text(B_CSV, encoding="utf-8")
    return [a, b]
