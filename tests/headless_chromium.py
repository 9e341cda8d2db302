"""How the browser tests start Debian's Chromium headless on these machines (shared by the
exchange page tests and the network view test)."""

from __future__ import annotations

from pathlib import Path

#: Headless, no sandbox (the tests run as root), and none of the background connections that
#: this machine's closed network refuses (they slow every start).
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def flags(profile: Path) -> list[str]:
    """The flags with a fresh profile folder of the test's own."""
    return [*FLAGS, f"--user-data-dir={profile}"]
