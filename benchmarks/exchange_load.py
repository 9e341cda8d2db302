"""Load on a real exchange server: incident writes/s and authorised reads/s with p50/p99.

    python benchmarks/exchange_load.py [--backend sqlite|postgresql|both] [--seconds 10]
        [--concurrency 32] [--workers 2] [--pg URL] [--mode closed|open|both]
        [--write-rate 300] [--read-rate 1000] [--settings FILE] [--common-value-incidents N]

For each backend a server (`chainbreaker serve`) runs in its own processes on a fresh database;
this script is the load generator, a separate process speaking HTTP/1.1 with keep-alive over
loopback (asyncio, `--concurrency` connections). Phases: writes (POST an incident with parties,
a phone and a substance: validation, chem resolution, indicators, correlation, audit, durable
commit), then reads of random incidents (GET /api/v1/incidents/{id}: token, entitlement,
correlations, audit). The baseline, measured in the same run on the same server, is its bare
/healthz endpoint (no authentication, no database); the ratio says what the work of a write or
read costs beside it. Bounded in time; traffic only to 127.0.0.1.

Two ways of loading:

- closed loop (`--mode closed`): each connection sends its next request when the previous one
  is answered; the rate is the most the server gives to that many clients (by Little's law its
  mean latency is clients / rate, so p99 says little at saturation);
- open loop (`--mode open`, wrk2-style): requests are due at a fixed rate (`--write-rate`,
  `--read-rate`: the issue's aims) whatever the answers do; each is sent on the first free
  connection and its latency counts from when it was due, not when it was sent, so a slow
  server is not excused by the requests it delayed (no coordinated omission).

Beside each phase: the CPU time of the server's processes and of this load generator (the
machine's 2 cores are shared by both, and by whatever else runs), as a share of one core.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import yaml
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.exchange.server_process import ServerProcess

from chainbreaker.exchange.database import Store
from chainbreaker.exchange.identities import add_member, add_user, issue_token

#: `chainbreaker.exchange.settings.SETTINGS_ENV`, spelt here so that this script also loads
#: servers of earlier commits (`PYTHONPATH=<their src>`), for figures before and after a change.
SETTINGS_ENV = "CHAINBREAKER_EXCHANGE_SETTINGS"
DEFAULT_SETTINGS = (
    Path(__file__).resolve().parents[1] / "src/chainbreaker/exchange/data/exchange.yaml"
)

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


async def _open_worker(
    port: int,
    make: Callable[[], bytes],
    due: asyncio.Queue[float | None],
    lat: list[float],
    errors: list[int],
) -> None:
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        while (when := await due.get()) is not None:
            writer.write(make())
            await writer.drain()
            status, _ = await _response(reader)
            lat.append(time.perf_counter() - when)  # from when it was due, not when sent
            if status >= 300:
                errors.append(status)
    finally:
        writer.close()


async def _open_loop(
    port: int,
    make: Callable[[], bytes],
    seconds: float,
    rate: float,
    connections: int,
    lat: list[float],
    errors: list[int],
) -> int:
    """Requests due every 1/rate s for `seconds`, each sent on the first free connection;
    returns how many were still waiting or unanswered 10 s after the last was due (counted
    as errors, their latency unknown)."""
    due: asyncio.Queue[float | None] = asyncio.Queue()
    workers = [
        asyncio.create_task(_open_worker(port, make, due, lat, errors)) for _ in range(connections)
    ]
    start = time.perf_counter()
    n = int(seconds * rate)
    i = 0
    while i < n:
        now = time.perf_counter()
        while i < n and start + i / rate <= now:
            due.put_nowait(start + i / rate)
            i += 1
        await asyncio.sleep(max(0.0, start + i / rate - time.perf_counter()))
    for _ in workers:
        due.put_nowait(None)
    _, pending = await asyncio.wait(workers, timeout=10)
    for task in pending:
        task.cancel()
    return n - len(lat)


def _cpu_seconds() -> dict[int, tuple[int, str, float]]:
    """(parent pid, command, CPU seconds: user + system) of every process, from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    out = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            comm, rest = (entry / "stat").read_text().rsplit(")", 1)
        except OSError:
            continue
        fields = rest.split()
        cpu = (int(fields[11]) + int(fields[12])) / tick
        name = comm.split("(", 1)[1]
        if name == "postgres":  # "postgres: USER DATABASE ..." for a backend
            try:
                title = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                title = ""
            name = f"postgres {title}"
        out[int(entry.name)] = (int(fields[1]), name, cpu)
    return out


#: PostgreSQL's processes that work for every database (their titles say so).
_SHARED_POSTGRES = ("walwriter", "checkpointer", "background writer", "autovacuum launcher")


def _cpu_used(
    before: dict[int, tuple[int, str, float]],
    after: dict[int, tuple[int, str, float]],
    pid: int,
    database: str = "",
) -> tuple[float, float]:
    """CPU seconds used between two readings by process `pid` and its descendants, and by
    PostgreSQL's processes: the backends of `database` (not those of other users of the same
    server) and the shared ones (WAL writer, checkpointer, autovacuum...). Processes that
    ended in between are not counted."""
    children: dict[int, list[int]] = {}
    for p, (parent, _comm, _cpu) in after.items():
        children.setdefault(parent, []).append(p)

    def used(p: int) -> float:
        start = before[p][2] if p in before and before[p][0] == after[p][0] else 0.0
        return after[p][2] - start

    server, todo = 0.0, [pid]
    while todo:
        p = todo.pop()
        if p in after:
            server += used(p)
            todo.extend(children.get(p, []))
    db = sum(
        used(p)
        for p, (_parent, comm, _cpu) in after.items()
        if comm.startswith("postgres ")
        and (database in comm.split() or any(w in comm for w in _SHARED_POSTGRES))
    )
    return server, db


def _machine_busy() -> tuple[float, float]:
    """(busy, total) jiffies of all cores since boot, from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


def _settle(pid: int, timeout: float = 60) -> None:
    """Wait until the server's processes are idle (under a tenth of a core over 0.5 s): an
    open-loop phase that overloaded the server leaves requests it still works on."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        before = _cpu_seconds()
        time.sleep(0.5)
        server, _db = _cpu_used(before, _cpu_seconds(), pid)
        if server < 0.05:
            return


def _phase(
    port: int,
    make: Callable[[], bytes],
    seconds: float,
    concurrency: int,
    rate: float | None = None,
    server_pid: int | None = None,
    database: str = "",
) -> dict[str, float]:
    """One phase: closed loop (`rate` None) or open loop at `rate` requests/s."""
    lat: list[float] = []
    errors: list[int] = []
    lost = 0

    async def run() -> None:
        nonlocal lost
        if rate is None:
            deadline = time.perf_counter() + seconds
            await asyncio.gather(
                *(_client(port, make, deadline, lat, errors) for _ in range(concurrency))
            )
        else:
            lost = await _open_loop(port, make, seconds, rate, concurrency, lat, errors)

    if server_pid:
        _settle(server_pid)
    procs0 = _cpu_seconds()
    busy0, total0 = _machine_busy()
    cpu0 = time.process_time()
    t0 = time.perf_counter()
    asyncio.run(run())
    elapsed = time.perf_counter() - t0
    cpu = time.process_time() - cpu0
    busy1, total1 = _machine_busy()
    server, db = _cpu_used(procs0, _cpu_seconds(), server_pid or 0, database)
    cores = os.cpu_count() or 1
    machine = (busy1 - busy0) / max(1, total1 - total0) * cores  # cores busy, everything
    q = statistics.quantiles(lat, n=100) if len(lat) > 1 else [0.0] * 99
    return {
        "rate": len(lat) / elapsed,
        "offered": rate or 0.0,
        "p50": q[49] * 1000,
        "p99": q[98] * 1000,
        "n": len(lat),
        "errors": len(errors) + lost,
        "client_cpu": cpu / elapsed,  # cores used by this load generator
        "server_cpu": server / elapsed,  # cores used by the server's processes
        "db_cpu": db / elapsed,  # cores used by PostgreSQL for this database
        "other_cpu": max(0.0, machine - (cpu + server + db) / elapsed),
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
    srv.access_log = args.access_log
    srv.start()
    assert srv.proc is not None
    pid = srv.proc.pid
    database = make_url(url).database or "" if url.startswith("postgresql") else ""
    rng = random.Random(7)
    out = {}
    written = 0

    def write() -> bytes:
        return _request("POST", "/api/v1/incidents", w_token, _incident(rng))

    def read() -> bytes:
        return _request("GET", f"/api/v1/incidents/{rng.randrange(1, written + 1)}", r_token)

    try:
        out["baseline"] = _phase(
            srv.port,
            lambda: _request("GET", "/healthz", None),
            args.seconds,
            args.concurrency,
            server_pid=pid,
            database=database,
        )
        if args.mode in ("closed", "both"):
            out["writes"] = _phase(
                srv.port, write, args.seconds, args.concurrency, None, pid, database
            )
            written += int(out["writes"]["n"])
        if args.mode in ("open", "both"):
            out["writes open"] = _phase(
                srv.port, write, args.seconds, args.concurrency, args.write_rate, pid, database
            )
            written += int(out["writes open"]["n"])
        if args.mode in ("closed", "both"):
            out["reads"] = _phase(
                srv.port, read, args.seconds, args.concurrency, None, pid, database
            )
        if args.mode in ("open", "both"):
            out["reads open"] = _phase(
                srv.port, read, args.seconds, args.concurrency, args.read_rate, pid, database
            )
    finally:
        srv.stop()
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    p.add_argument("--seconds", type=float, default=10)
    p.add_argument("--concurrency", type=int, default=32, help="connections (clients)")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument(
        "--access-log",
        action=argparse.BooleanOptionalAction,
        default=False,
        help="run the server with uvicorn's access log (off by default, `serve --no-access-log`: "
        "the audit trail records every read and write either way)",
    )
    p.add_argument("--pg", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    p.add_argument(
        "--mode",
        choices=["closed", "open", "both"],
        default="both",
        help="closed loop (the most each client gets), open loop at fixed rates, or both",
    )
    p.add_argument("--write-rate", type=float, default=300, help="writes/s offered (open loop)")
    p.add_argument("--read-rate", type=float, default=1000, help="reads/s offered (open loop)")
    p.add_argument(
        "--settings",
        type=Path,
        help="the server's settings file instead of data/exchange.yaml (e.g. another "
        "common_value_incidents)",
    )
    p.add_argument(
        "--common-value-incidents",
        type=int,
        help="the server's settings with this common_value_incidents (e.g. 1000000000: no "
        "value is ever common, every holder is linked)",
    )
    args = p.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="cbx-bench-"))
    if args.common_value_incidents is not None:
        settings = yaml.safe_load((args.settings or DEFAULT_SETTINGS).read_text())
        settings["common_value_incidents"] = args.common_value_incidents
        args.settings = tmp / "exchange.yaml"
        args.settings.write_text(yaml.safe_dump(settings))
    if args.settings:
        os.environ[SETTINGS_ENV] = str(args.settings.resolve())
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    print(
        f"exchange load: {args.seconds:g} s per phase, {args.concurrency} connections, "
        f"{args.workers} server workers, access log {'on' if args.access_log else 'off'}, "
        f"loopback, {os.cpu_count()} cores, load average "
        f"{os.getloadavg()[0]:.1f}" + (f", settings {args.settings}" if args.settings else "")
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
        for phase, m in r.items():
            offered = f"offered {m['offered']:5,.0f}/s " if m["offered"] else "closed loop   "
            print(
                f"{backend:10} {phase:11} {offered} {m['rate']:7,.0f} req/s  "
                f"p50 {m['p50']:7.1f} ms  p99 {m['p99']:7.1f} ms  ({int(m['n']):,} answered, "
                f"{int(m['errors'])} errors, {m['rate'] / base:.2f}x baseline; server CPU "
                f"{1000 * m['server_cpu'] / max(m['rate'], 1e-9):.2f} ms per request; CPU cores: "
                f"server {m['server_cpu']:.2f}, PostgreSQL {m['db_cpu']:.2f}, load generator "
                f"{m['client_cpu']:.2f}, other {m['other_cpu']:.2f})"
            )


if __name__ == "__main__":
    main()
