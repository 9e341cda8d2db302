"""Property tests from the OpenAPI description: whatever schemathesis sends (valid and invalid
requests, authenticated), the server never answers 5xx (on SQLite; the PostgreSQL-specific
limits it found, 32-bit ids, are checked in test_api).

Each operation gets a bounded number of examples of each kind (derandomised, so a run is
repeatable) to keep the test well under a minute.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable

from chainbreaker.exchange.api import create_app
from chainbreaker.exchange.database import Store
from chainbreaker.exchange.identities import issue_token

from .helpers import coalition, report

EXAMPLES = 10


@pytest.mark.parametrize(
    "mode", [schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE]
)
def test_never_a_server_error(tmp_path: Path, mode: schemathesis.GenerationMode) -> None:
    store = Store(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    viewers = coalition(store, ("A", "B"))
    report(
        store,
        viewers["a-analyst"],
        sharing="coalition",
        tlp="green",
        parties=[{"name": "Acme Trading", "phone": "+1 555 0100 200"}],
    )
    with store.writing() as s:
        secret = issue_token(s, "a-admin", days=1)[1]
    try:
        _run(store, secret, mode)
    finally:
        store.dispose()


def _run(store: Store, secret: str, mode: schemathesis.GenerationMode) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(store=store))
    headers = {"Authorization": f"Bearer {secret}"}
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15
    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case: schemathesis.Case) -> None:
            response = case.call(headers=headers)
            if response.status_code >= 500:
                failures.append(
                    f"{case.method} {case.path} {case.path_parameters} "
                    f"{case.query} -> {response.status_code} {response.text[:200]}"
                )

        try:
            run()
        except Unsatisfiable:  # no invalid request exists (an operation without parameters)
            assert mode == schemathesis.GenerationMode.NEGATIVE
    assert failures == []
