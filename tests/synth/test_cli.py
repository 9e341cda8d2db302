"""`chainbreaker synth manifests`: the files, the summary, bad options."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from chainbreaker.cli.app import app

runner = CliRunner()


def test_manifests_command(tmp_path: Path) -> None:
    out = tmp_path / "sample"
    args = ["synth", "manifests", "--rows", "400", "--seed", "2", "--output", str(out)]
    result = runner.invoke(app, [*args, "--profile", "de_minimis", "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert names == ["de_minimis.jsonl", "indicators.csv", "labels.csv", "watchlist.csv"]
    assert "400 records" in result.output
    labels = (out / "labels.csv").read_text(encoding="utf-8").splitlines()
    assert len(labels) == 401 and all(line.startswith("de_minimis,") for line in labels[1:])


def test_output_that_is_a_file_fails_cleanly(tmp_path: Path) -> None:
    taken = tmp_path / "file"
    taken.write_text("x")
    args = ["synth", "manifests", "--rows", "10", "--seed", "1", "--output", str(taken)]
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert "not a folder" in result.output


def test_unknown_profile_is_a_usage_error(tmp_path: Path) -> None:
    args = ["synth", "manifests", "--rows", "10", "--seed", "1", "--output", str(tmp_path)]
    result = runner.invoke(app, [*args, "--profile", "sea"])
    assert result.exit_code == 2
