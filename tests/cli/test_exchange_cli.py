"""`chainbreaker serve`: what it hands to uvicorn (the server is tested in tests/exchange)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import uvicorn
from typer.testing import CliRunner

from chainbreaker.cli.app import app


@pytest.mark.parametrize(("flag", "expected"), [([], True), (["--no-access-log"], False)])
def test_serve_passes_the_access_log_choice(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, flag: list[str], expected: bool
) -> None:
    seen: dict[str, Any] = {}

    def run(target: str, **options: Any) -> None:
        seen.update(options, target=target)

    monkeypatch.setattr(uvicorn, "run", run)
    db = f"sqlite:///{tmp_path / 'x.sqlite3'}"
    result = CliRunner().invoke(app, ["serve", "--db", db, "--port", "8471", *flag])
    assert result.exit_code == 0, result.output
    assert seen["access_log"] is expected
    assert (seen["port"], seen["workers"]) == (8471, 1)
