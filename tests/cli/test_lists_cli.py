"""`chainbreaker lists fetch` and `lists show`, against a loopback HTTP server."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chainbreaker.cli.app import app

runner = CliRunner()

UN_XML = b"""<?xml version="1.0" encoding="UTF-8"?>
<CONSOLIDATED_LIST dateGenerated="2026-02-27T00:00:09.554Z">
  <INDIVIDUALS>
    <INDIVIDUAL>
      <DATAID>1</DATAID><FIRST_NAME>RI</FIRST_NAME><SECOND_NAME>WON HO</SECOND_NAME>
      <UN_LIST_TYPE>DPRK</UN_LIST_TYPE><REFERENCE_NUMBER>KPi.033</REFERENCE_NUMBER>
    </INDIVIDUAL>
  </INDIVIDUALS>
  <ENTITIES/>
</CONSOLIDATED_LIST>
"""


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CHAINBREAKER_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


@pytest.fixture
def base() -> Iterator[str]:
    """A loopback server: /consolidated.xml is the UN list, /page.xml an HTML page."""
    bodies = {"/consolidated.xml": UN_XML, "/page.xml": b"<!DOCTYPE html><html></html>"}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = bodies.get(self.path)
            self.send_response(404 if body is None else 200)
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def test_show_with_nothing_fetched_says_how_to_fetch() -> None:
    result = runner.invoke(app, ["lists", "show"])
    assert result.exit_code == 0, result.output
    assert "No list fetched" in result.stderr and "lists fetch ofac" in result.stderr


def test_fetch_then_show(base: str, home: Path) -> None:
    result = runner.invoke(app, ["lists", "fetch", "un", "--url", base + "consolidated.xml"])
    assert result.exit_code == 0, result.output
    assert "1 entities" in result.stdout and "published 2026-02-27" in result.stdout
    shown = runner.invoke(app, ["lists", "show"], env={"COLUMNS": "200"})
    assert shown.exit_code == 0, shown.output
    assert "un-consolidated" in shown.stdout and "2026-02-27" in shown.stdout
    (record,) = [
        json.loads(line)
        for line in runner.invoke(app, ["lists", "show", "--json"]).stdout.splitlines()
    ]
    assert record["list_id"] == "un-consolidated" and record["entities"] == 1
    assert record["urls"] == [base + "consolidated.xml"]
    assert Path(record["path"]).is_file() and str(home) in record["path"]


def test_fetch_failures_exit_1_and_say_why(base: str) -> None:
    missing = runner.invoke(app, ["lists", "fetch", "un", "--url", base + "gone.xml"])
    assert missing.exit_code == 1 and "HTTP 404" in missing.stderr
    page = runner.invoke(app, ["lists", "fetch", "un", "--url", base + "page.xml"])
    assert page.exit_code == 1 and "web page" in page.stderr
    eu = runner.invoke(app, ["lists", "fetch", "eu"])
    assert eu.exit_code == 1 and "--url is required" in eu.stderr
    assert runner.invoke(app, ["lists", "show", "--json"]).stdout == ""


def test_fetch_an_unknown_source_is_a_usage_error() -> None:
    assert runner.invoke(app, ["lists", "fetch", "uk"]).exit_code == 2
