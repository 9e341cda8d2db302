"""Load on a real exchange server: incident writes/s and authorised reads/s with p50/p99.

    python benchmarks/exchange_load.py [--backend sqlite|postgresql|both] [--seconds 10]
        [--concurrency 32] [--workers 2] [--pg URL]

For each backend a server (`chainbreaker serve`) runs in its own processes on a fresh database;
this script is the load generator, a separate process speaking HTTP/1.1 with keep-alive over
loopback (asyncio, one connection per concurrent client). Phases: writes (POST an incident
with parties, a phone and a substance: validation, chem resolution, indicators, correlation,
audit, durable commit), then reads of random incidents (GET /api/v1/incidents/{id}: token,
entitlement, correlations, audit). The baseline, measured in the same run on the same server,
is its bare /healthz endpoint (no authentication, no database); the ratio says what the work
of a write or read costs beside it. Bounded in time; traffic only to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.exchange.server_process import ServerProcess

from chainbreaker.exchange.database import Store
from chainbreaker.exchange.identities import add_member, add_user, issue_token

HOST = "127.0.0.1"


async def _response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    length = 0
    for line in lines[1:]:
        if line.lower().startswith("content-length:"):
            length = int(line.split(":", 1)[1])
    return status, await reader.readexactly(length)


async def _client(
    port: int, make: Callable[[], bytes], deadline: float, lat: list[float], errors: list[int]
) -> None:
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        while time.perf_counter() < deadline:
            request = make()
            t0 = time.perf_counter()
            writer.write(request)
            await writer.drain()
            status, _ = await _response(reader)
            lat.append(time.perf_counter() - t0)
            if status >= 300:
                errors.append(status)
    finally:
        writer.close()


def _phase(
    port: int, make: Callable[[], bytes], seconds: float, concurrency: int
) -> dict[str, float]:
    lat: list[float] = []
    errors: list[int] = []

    async def run() -> None:
        deadline = time.perf_counter() + seconds
        await asyncio.gather(
            *(_client(port, make, deadline, lat, errors) for _ in range(concurrency))
        )

    t0 = time.perf_counter()
    asyncio.run(run())
    elapsed = time.perf_counter() - t0
    q = statistics.quantiles(lat, n=100) if len(lat) > 1 else [0.0] * 99
    return {
        "rate": len(lat) / elapsed,
        "p50": q[49] * 1000,
        "p99": q[98] * 1000,
        "n": len(lat),
        "errors": len(errors),
    }


def _request(method: str, path: str, token: str | None, body: bytes = b"") -> bytes:
    head = f"{method} {path} HTTP/1.1\r\nHost: {HOST}\r\n"
    if token:
        head += f"Authorization: Bearer {token}\r\n"
    if body:
        head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
    return (head + "\r\n").encode() + body


def _incident(rng: random.Random) -> bytes:
    n = rng.randrange(100_000)
    body = {
        "kind": "seizure",
        "occurred_on": "2024-05-01",
        "country": "NL",
        "sharing": "coalition",
        "tlp": "green",
        "narrative": f"parcel {n}",
        "substances": [
            {
                "name": rng.choice(["NPP", "4-ANPP", "fentanyl", "safrole"]),
                "quantity": 1,
                "unit": "kg",
            }
        ],
        "parties": [
            {
                "name": f"Trading Company {n % 5000}",
                "kind": "company",
                "phone": f"+31 20 {n % 5000:07d}",
                "address": f"{n % 700} Harbour Road, Rotterdam",
            }
        ],
    }
    return json.dumps(body).encode()


def bench(url: str, args: argparse.Namespace, log: Path) -> dict[str, dict[str, float]]:
    store = Store(url)
    with store.writing() as s:
        add_member(s, "A", "member A")
        add_member(s, "B", "member B")
        add_user(s, "A", "writer", "analyst")
        add_user(s, "B", "reader", "read_only")
        w_token = issue_token(s, "writer", days=1)[1]
        r_token = issue_token(s, "reader", days=1)[1]
    store.dispose()
    srv = ServerProcess(url, log)
    srv.workers = args.workers
    srv.start()
    rng = random.Random(7)
    out = {}
    try:
        out["baseline"] = _phase(
            srv.port, lambda: _request("GET", "/healthz", None), args.seconds, args.concurrency
        )
        out["writes"] = _phase(
            srv.port,
            lambda: _request("POST", "/api/v1/incidents", w_token, _incident(rng)),
            args.seconds,
            args.concurrency,
        )
        written = int(out["writes"]["n"])
        out["reads"] = _phase(
            srv.port,
            lambda: _request("GET", f"/api/v1/incidents/{rng.randrange(1, written + 1)}", r_token),
            args.seconds,
            args.concurrency,
        )
    finally:
        srv.stop()
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    p.add_argument("--seconds", type=float, default=10)
    p.add_argument("--concurrency", type=int, default=32)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--pg", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    args = p.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="cbx-bench-"))
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    print(
        f"exchange load: {args.seconds:g} s per phase, {args.concurrency} clients, "
        f"{args.workers} server workers, loopback"
    )
    for backend in backends:
        admin = None
        if backend == "sqlite":
            url = f"sqlite:///{tmp / 'bench.sqlite3'}"
        else:
            name = f"cbx_bench_{uuid.uuid4().hex[:8]}"
            admin = create_engine(args.pg, isolation_level="AUTOCOMMIT", poolclass=NullPool)
            with admin.connect() as c:
                c.execute(text(f'CREATE DATABASE "{name}"'))
            url = make_url(args.pg).set(database=name).render_as_string(hide_password=False)
        try:
            r = bench(url, args, tmp / f"{backend}.log")
        finally:
            if admin is not None:
                with admin.connect() as c:
                    c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        base = r["baseline"]["rate"]
        for phase in ("baseline", "writes", "reads"):
            m = r[phase]
            print(
                f"{backend:10} {phase:8} {m['rate']:8,.0f} req/s  p50 {m['p50']:6.1f} ms  "
                f"p99 {m['p99']:6.1f} ms  ({int(m['n']):,} requests, {int(m['errors'])} errors, "
                f"{m['rate'] / base:.2f}x baseline)"
            )


if __name__ == "__main__":
    main()
