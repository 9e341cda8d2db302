"""A real server process: SIGKILL during a stream of writes loses no acknowledged write (SQLite
and PostgreSQL); the feed command fetches what `screen --indicators` reads; the server's log
never holds a token."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from chainbreaker.cli.app import app
from chainbreaker.exchange.database import Store
from chainbreaker.exchange.identities import add_member, add_user, issue_token
from chainbreaker.screen.detectors.indicators import read_indicators

from .server_process import ServerProcess

WRITERS = 4
KILL_AFTER = 40


def _setup(db_url: str) -> str:
    store = Store(db_url)
    with store.writing() as s:
        add_member(s, "A", "member A")
        add_user(s, "A", "writer", "analyst")
        secret = issue_token(s, "writer", days=1)[1]
    store.dispose()
    return secret


@pytest.fixture
def server(db_url: str, tmp_path: Path) -> Iterator[tuple[ServerProcess, str]]:
    secret = _setup(db_url)
    srv = ServerProcess(db_url, tmp_path / "server.log").start()
    try:
        yield srv, secret
    finally:
        srv.stop()


def test_sigkill_loses_no_acknowledged_write(server: tuple[ServerProcess, str]) -> None:
    srv, secret = server
    headers = {"Authorization": f"Bearer {secret}"}
    acked: dict[int, str] = {}
    lock = threading.Lock()
    killed = threading.Event()

    def writer(n: int) -> None:
        with httpx.Client(base_url=srv.url, headers=headers, timeout=10) as client:
            for i in range(10_000):
                body = {
                    "kind": "seizure",
                    "occurred_on": "2024-01-01",
                    "narrative": f"w{n} #{i}",
                    "parties": [
                        {"name": f"Writer {n} Trading {i}", "phone": f"+31 20 555 {n}{i:04d}"}
                    ],
                }
                try:
                    r = client.post("/api/v1/incidents", json=body)
                except httpx.HTTPError:
                    return  # the server is gone: this write was not acknowledged
                assert r.status_code == 201, r.text
                with lock:
                    acked[r.json()["id"]] = r.json()["narrative"]
                    if len(acked) >= KILL_AFTER and not killed.is_set():
                        killed.set()
                        srv.kill()  # SIGKILL while the other writers are mid-request

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert killed.is_set() and len(acked) >= KILL_AFTER
    srv.start()
    with httpx.Client(base_url=srv.url, headers=headers, timeout=10) as client:
        for iid, narrative in acked.items():
            r = client.get(f"/api/v1/incidents/{iid}")
            assert r.status_code == 200 and r.json()["narrative"] == narrative


def test_feed_command_and_no_token_in_server_log(
    server: tuple[ServerProcess, str], tmp_path: Path
) -> None:
    srv, secret = server
    headers = {"Authorization": f"Bearer {secret}"}
    body = {
        "kind": "stopped_order",
        "occurred_on": "2024-02-02",
        "parties": [{"name": "Shady Reagents Ltd", "email": "buy@shady.example"}],
    }
    assert httpx.post(srv.url + "/api/v1/incidents", json=body, headers=headers).status_code == 201
    assert (
        httpx.get(srv.url + "/api/v1/me", headers={"Authorization": "Bearer cbx_wrong"}).status_code
        == 401
    )
    token_file = tmp_path / "token"
    token_file.write_text(secret)
    out = tmp_path / "feed.csv"
    result = CliRunner().invoke(
        app, ["exchange", "feed", "--url", srv.url, "--token-file", str(token_file), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    got = read_indicators(out)
    assert sorted((i.kind, i.value) for i in got.items) == [
        ("email", "buy@shady.example"),
        ("name", "Shady Reagents Ltd"),
    ]
    assert secret not in result.output
    srv.stop()
    log = srv.log.read_text()
    assert "POST /api/v1/incidents" in log  # the access log is there...
    assert secret not in log and "cbx_wrong" not in log  # ...without tokens
