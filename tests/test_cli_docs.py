"""docs/cli.md is generated from the command line's own help and must not drift from it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_cli_reference_is_up_to_date(tmp_path: Path) -> None:
    out = tmp_path / "cli.md"
    command = [sys.executable, "-m", "typer", "chainbreaker.cli.app", "utils", "docs"]
    subprocess.run(
        [*command, "--name", "chainbreaker", "--output", str(out)],
        check=True,
        capture_output=True,
    )
    committed = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert out.read_text(encoding="utf-8") == committed, "run `make docs` and commit docs/cli.md"
