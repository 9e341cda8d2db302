"""The garbage collector of a server process: tuned by `chainbreaker serve`'s app only."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from chainbreaker.exchange.api import create_app
from chainbreaker.exchange.database import Store
from chainbreaker.exchange.server_gc import OLD, YOUNG, YOUNGER, tune_collector


@pytest.fixture
def collector() -> Iterator[None]:
    """The collector's settings put back after the test."""
    threshold = gc.get_threshold()
    try:
        yield
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)


@pytest.mark.usefixtures("collector")
def test_tuning_freezes_what_is_alive_and_collects_less_often() -> None:
    alive = [object() for _ in range(10)]
    tune_collector()
    assert gc.get_freeze_count() >= len(alive)
    assert gc.get_threshold() == (YOUNG, YOUNGER, OLD)
    assert YOUNG > 700  # CPython's default young threshold, which it raises


@pytest.mark.usefixtures("collector")
def test_an_app_made_without_asking_leaves_the_collector_alone(tmp_path: Path) -> None:
    threshold = gc.get_threshold()
    frozen = gc.get_freeze_count()
    store = Store(f"sqlite:///{tmp_path}/exchange.sqlite3")
    with TestClient(create_app(store=store)) as client:
        assert client.get("/healthz").status_code == 200
    assert gc.get_threshold() == threshold
    assert gc.get_freeze_count() == frozen


@pytest.mark.usefixtures("collector")
def test_the_servers_app_tunes_it_once_started(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path}/exchange.sqlite3")
    with TestClient(create_app(store=store, tune_gc=True)) as client:
        assert client.get("/healthz").status_code == 200
        assert gc.get_threshold() == (YOUNG, YOUNGER, OLD)
        assert gc.get_freeze_count() > 0
