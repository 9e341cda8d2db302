"""`chainbreaker native`: build, remove or show the compiled forms of the hot modules."""

from __future__ import annotations

import subprocess

import typer

from chainbreaker import native

app = typer.Typer(
    help="Compiled (mypyc) forms of the party-screening hot modules: build, clean, status.",
    no_args_is_help=True,
)


@app.command("build")
def build_cmd(
    force: bool = typer.Option(False, "--force", help="Rebuild even when up to date."),
) -> None:
    """Compile the hot modules with mypyc (needs the dev extras and a C compiler)."""
    try:
        done = native.build(force=force)
    except subprocess.CalledProcessError as exc:
        typer.echo(f"{exc.output}\nerror: the build failed; the sources keep running", err=True)
        raise typer.Exit(1) from exc
    except OSError as exc:
        typer.echo(f"error: the build failed ({exc}); the sources keep running", err=True)
        raise typer.Exit(1) from exc
    typer.echo(
        f"compiled {len(native.COMPILED)} modules" if done else "compiled modules up to date"
    )


@app.command("clean")
def clean_cmd() -> None:
    """Remove the compiled modules (the sources run)."""
    typer.echo(f"removed {native.clean()} files")


@app.command("status")
def status_cmd() -> None:
    """Say whether the compiled modules are built and up to date with their sources."""
    if not native.built():
        typer.echo("source: nothing compiled (run `chainbreaker native build`)")
    elif outdated := native.stale():
        typer.echo("stale, the sources run; out of date: " + ", ".join(outdated))
    else:
        typer.echo(f"compiled: {len(native.COMPILED)} modules, up to date")
