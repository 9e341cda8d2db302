"""The root `chainbreaker` command."""

from __future__ import annotations

import typer

from chainbreaker import __version__
from chainbreaker.cli import chem, exchange, lists, native, network, parties, screen, synth

app = typer.Typer(
    name="chainbreaker",
    help="Disrupt synthetic-drug supply chains: chemicals, parties, shipments, sharing, networks.",
    no_args_is_help=True,
    add_completion=False,
)


app.add_typer(chem.app, name="chem")
app.add_typer(parties.app, name="parties")
app.add_typer(lists.app, name="lists")
app.add_typer(synth.app, name="synth")
app.add_typer(network.app, name="network")
app.command("screen")(screen.screen_cmd)
app.add_typer(exchange.app, name="exchange")
app.command("serve")(exchange.serve_cmd)
app.add_typer(native.app, name="native")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"chainbreaker {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """chainbreaker command line."""


def main() -> None:
    """Entry point of the `chainbreaker` script."""
    app()
