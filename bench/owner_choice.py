"""Who runs the store's SQLite work (issue 11): the event loop itself, or one dedicated thread?

DESIGN.md asks for exactly one owner of the live connection. Two ways to have one, measured here on the
smallest request that has store work in it:

- loop:   an `async def` route runs the statement on the event loop, on one shared connection (what
          mockwish does: mockwish/store/owner.py);
- thread: an `async def` route hands the statement to a `ThreadPoolExecutor(max_workers=1)` whose one
          thread owns the connection, and awaits it (`await loop.run_in_executor(...)`).

Each runs in its own uvicorn process (`python bench/owner_choice.py serve --mode loop|thread`), one worker,
log level warning, no access log, like bench/bare_app.py; each on its own copy of a SQLite file (WAL and the
other pragmas of mockwish/store/engine.py) holding a table of 1,000 rows with 24-hex ids. Two operations:

- read:  `GET /read?id=<id>`: a primary-key SELECT, the row rendered as a Wish envelope with orjson;
- write: `GET /write?id=<id>`: `UPDATE ... SET counter = counter + 1, updated = ? WHERE id = ?` and a commit,
         answered with `{"code":0,"data":{"success":true},"message":""}`.

In the thread mode only the SQLite work (statement, fetch, commit) runs on the store thread; the envelope
is rendered on the loop in both modes. Ids are drawn per request from the 1,000 by bench/random_ids.lua
(bench/run.py's load generator: wrk when installed, else bench/loadgen.py), 64 connections, 3 s warm-up and
10 s per point. For each operation the two modes alternate (loop first in odd rounds, thread first in even
ones) for 3 rounds; each mode keeps its median round by requests/s, like bench/run.py's rate-limiter
comparison. With wrk the server's CPU time over each measured point is read from /proc, giving CPU µs per
request: on a shared machine that varies less than requests/s. A constant envelope from an `async def`
route of the loop server (`GET /bare`) is measured once per round as the reference.

    python bench/owner_choice.py [--rounds 3] [--duration 10] [--warmup 3] [--loadgen auto|wrk|python]
        [--record]

Raw output goes to bench/out/ (wrk-owner-*.txt, owner_choice.md); `--record` also writes the section into
bench/RESULTS.md below its marker line. Never part of the test suite."""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import sqlite3
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
from fastapi import FastAPI, Request
from starlette.responses import Response

ROWS = 1_000
HEADING = "## Store owner: on the loop vs a dedicated thread (issue 11)"
MODES = ("loop", "thread")
PRAGMAS = ("PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA busy_timeout=5000",
           "PRAGMA foreign_keys=ON", "PRAGMA mmap_size=268435456")  # as mockwish/store/engine.py
SELECT = "SELECT id, name, sku, price, shipping, inventory, enabled, counter, updated FROM item WHERE id = ?"
UPDATE = "UPDATE item SET counter = counter + 1, updated = ? WHERE id = ?"
COLUMNS = ("id", "name", "sku", "price", "shipping", "inventory", "enabled", "counter", "updated")


# ---- the server (python bench/owner_choice.py serve ...) ------------------------------------------------------

def connect(path: str) -> sqlite3.Connection:
    conn = sqlite3.connect(path)  # check_same_thread stays on: only its owner's thread may use it
    for pragma in PRAGMAS:
        conn.execute(pragma)
    return conn


def fetch(conn: sqlite3.Connection, item_id: str) -> tuple[Any, ...] | None:
    return conn.execute(SELECT, (item_id,)).fetchone()  # type: ignore[no-any-return]


def bump(conn: sqlite3.Connection, item_id: str) -> int:
    n = conn.execute(UPDATE, (datetime.now(UTC).isoformat(timespec="seconds"), item_id)).rowcount
    conn.commit()
    return n


def make_app(mode: str, db: str) -> FastAPI:
    ok_body = orjson.dumps({"code": 0, "data": {"success": True}, "message": ""})
    missing = orjson.dumps({"code": 1004, "data": {}, "message": "No 'Item' Found"})
    state: dict[str, Any] = {}

    def run_loop(fn: Callable[[sqlite3.Connection, str], Any], item_id: str) -> Any:
        return fn(state["conn"], item_id)

    owned = threading.local()

    def open_in_thread() -> None:
        owned.conn = connect(db)

    def in_thread(fn: Callable[[sqlite3.Connection, str], Any], item_id: str) -> Any:
        return fn(owned.conn, item_id)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> Any:
        if mode == "loop":
            state["conn"] = connect(db)  # on the loop's thread
        else:
            state["pool"] = ThreadPoolExecutor(max_workers=1, thread_name_prefix="store",
                                               initializer=open_in_thread)
        yield
        if mode == "loop":
            state["conn"].close()
        else:
            state["pool"].shutdown()

    app = FastAPI(lifespan=lifespan)

    if mode == "loop":
        async def store(fn: Callable[[sqlite3.Connection, str], Any], item_id: str) -> Any:
            return run_loop(fn, item_id)
    else:
        async def store(fn: Callable[[sqlite3.Connection, str], Any], item_id: str) -> Any:
            return await asyncio.get_running_loop().run_in_executor(state["pool"], in_thread, fn, item_id)

    @app.get("/read")
    async def read(request: Request) -> Response:
        row = await store(fetch, request.query_params.get("id", ""))
        if row is None:
            return Response(missing, status_code=400, media_type="application/json")
        body = orjson.dumps({"code": 0, "data": {"Item": dict(zip(COLUMNS, row, strict=True))}, "message": ""})
        return Response(body, media_type="application/json")

    @app.get("/write")
    async def write(request: Request) -> Response:
        if await store(bump, request.query_params.get("id", "")) != 1:
            return Response(missing, status_code=400, media_type="application/json")
        return Response(ok_body, media_type="application/json")

    @app.get("/bare")
    async def bare() -> Response:
        return Response(ok_body, media_type="application/json")

    @app.get("/healthz")
    async def healthz() -> Response:
        return Response(b'{"status":"ok"}', media_type="application/json")

    return app


def serve(args: argparse.Namespace) -> None:
    import uvicorn

    uvicorn.run(make_app(args.mode, args.db), host="127.0.0.1", port=args.port, log_level="warning",
                access_log=False)


# ---- the measurement --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Sample:
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    cpu_us: float | None  # server CPU per request over the measured run (wrk only)


def make_db(path: Path) -> list[str]:
    """The table of ROWS rows; their ids."""
    rng = random.Random(11)
    ids = [f"{rng.getrandbits(96):024x}" for _ in range(ROWS)]
    path.unlink(missing_ok=True)
    conn = connect(str(path))
    conn.execute("CREATE TABLE item (id TEXT PRIMARY KEY, name TEXT NOT NULL, sku TEXT NOT NULL, price REAL, "
                 "shipping REAL, inventory INTEGER, enabled INTEGER, counter INTEGER NOT NULL, updated TEXT)")
    conn.executemany("INSERT INTO item VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?)",
                     [(i, f"Plain mug {n}", f"MUG-{n:04d}", round(rng.uniform(1, 100), 2), 2.0,
                       rng.randint(0, 500), 1, "2026-01-01T00:00:00") for n, i in enumerate(ids)])
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return ids


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def median_round(samples: list[Sample]) -> Sample:
    return sorted(samples, key=lambda s: s.rps)[len(samples) // 2]


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def measure_all(args: argparse.Namespace) -> dict[str, Any]:
    import run  # bench/run.py: the load generators, the server launcher, the machine description

    run.OUT.mkdir(exist_ok=True)
    ids = make_db(run.OUT / "owner-template.db")
    ids_file = run.OUT / "owner-ids.txt"
    ids_file.write_text("\n".join(ids) + "\n")
    opts = run.Options(duration=args.duration, warmup=args.warmup, loadgen=args.loadgen, startup_runs=0,
                       seed_runs=0)
    loadgen = run.pick_loadgen(opts, ids_file)
    machine = run.machine(loadgen)  # its load average: before the run
    procs: dict[str, Any] = {}
    ports = {"loop": args.port, "thread": args.port + 1}
    try:
        for mode in MODES:
            db = run.OUT / f"owner-{mode}.db"
            shutil.copyfile(run.OUT / "owner-template.db", db)
            cmd = [run.PY, str(run.BENCH / "owner_choice.py"), "serve", "--mode", mode, "--db", str(db),
                   "--port", str(ports[mode])]
            procs[mode] = run.launch(cmd, dict(os.environ), ports[mode], run.OUT / f"owner-{mode}.log")[0]
        check_same_answers(ports, ids[:20])

        def point(mode: str, op: str, n: int) -> Sample:
            target = run.Target(f"/{op}", "id={id}" if op != "bare" else "")
            label = f"owner-{op}-{mode}-{n}"
            url = run.url(ports[mode])
            if not isinstance(loadgen, run.Wrk):
                p = loadgen.measure(url, 64, label, target)
                return Sample(p.rps, p.p50_ms, p.p99_ms, p.requests, None)
            pid = procs[mode].pid
            loadgen._run(url, 64, loadgen.warmup, target)
            before = cpu_seconds(pid)
            out = loadgen._run(url, 64, loadgen.duration, target)
            used = cpu_seconds(pid) - before
            (run.OUT / f"wrk-{label}-c64.txt").write_text(out)
            p = run.parse_wrk(out)
            return Sample(p.rps, p.p50_ms, p.p99_ms, p.requests, used / p.requests * 1e6)

        rounds: dict[tuple[str, str], list[Sample]] = {(op, m): [] for op in ("read", "write") for m in MODES}
        bare: list[Sample] = []
        for n in range(args.rounds):
            order = MODES if n % 2 == 0 else MODES[::-1]
            for op in ("read", "write"):
                for mode in order:
                    s = point(mode, op, n)
                    rounds[(op, mode)].append(s)
                    print(f"round {n + 1} {op:5} {mode:6}: {s.rps:7.0f} rps  p50 {s.p50_ms:6.2f}  p99 "
                          f"{s.p99_ms:6.2f} ms" + (f"  {s.cpu_us:5.0f} µs CPU/request" if s.cpu_us else ""),
                          flush=True)
            bare.append(point("loop", "bare", n))
            print(f"round {n + 1} bare (loop server): {bare[-1].rps:7.0f} rps  p99 {bare[-1].p99_ms:6.2f} ms",
                  flush=True)
    finally:
        for proc in procs.values():
            run.stop(proc)
    counters = {mode: write_count(run.OUT / f"owner-{mode}.db") for mode in MODES}
    return {"rounds": rounds, "bare": bare, "machine": machine, "counters": counters}


def check_same_answers(ports: dict[str, int], ids: list[str]) -> None:
    """Both servers answer the same envelope for the same id (and 400 for an unknown one)."""
    import http.client

    def get(port: int, target: str) -> tuple[int, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            conn.request("GET", target)
            r = conn.getresponse()
            return r.status, r.read()
        finally:
            conn.close()

    for item_id in ids:
        answers = {get(port, f"/read?id={item_id}") for port in ports.values()}
        if len(answers) != 1 or next(iter(answers))[0] != 200:
            sys.exit(f"the two servers disagree on {item_id}: {answers}")
    if {get(port, "/read?id=nope")[0] for port in ports.values()} != {400}:
        sys.exit("an unknown id is not answered 400")


def write_count(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            sys.exit(f"{db} fails its integrity check")
        return int(conn.execute("SELECT coalesce(sum(counter), 0) FROM item").fetchone()[0])
    finally:
        conn.close()


def report(args: argparse.Namespace, result: dict[str, Any], facts: dict[str, str]) -> str:
    import run

    rows = []
    for op in ("read", "write"):
        loop, thread = (median_round(result["rounds"][(op, m)]) for m in MODES)
        for mode, s in (("loop", loop), ("thread", thread)):
            rounds = ", ".join(f"{r.rps:,.0f}" for r in result["rounds"][(op, mode)])
            rows.append([f"{op}: {'on the loop' if mode == 'loop' else 'dedicated thread'}", f"{s.rps:,.0f}",
                         f"{s.p50_ms:.2f}", f"{s.p99_ms:.2f}", f"{s.cpu_us:.0f}" if s.cpu_us else "n/a", rounds])
        cpu = (f"{thread.cpu_us / loop.cpu_us:.2f}" if loop.cpu_us and thread.cpu_us else "n/a")
        rows.append([f"**{op}: ratio thread / loop**", f"**{thread.rps / loop.rps:.2f}**",
                     f"{thread.p50_ms / loop.p50_ms:.2f}", f"{thread.p99_ms / loop.p99_ms:.2f}", cpu, ""])
    b = median_round(result["bare"])
    rows.append(["for reference: constant envelope, `async def` (loop server)", f"{b.rps:,.0f}", f"{b.p50_ms:.2f}",
                 f"{b.p99_ms:.2f}", f"{b.cpu_us:.0f}" if b.cpu_us else "n/a",
                 ", ".join(f"{r.rps:,.0f}" for r in result["bare"])])
    machine = "\n".join(f"- {k}: {v}" for k, v in result["machine"].items())
    table = run.table(["route", "rps", "p50 ms", "p99 ms", "server CPU µs/request", "rps of each round"], rows)
    return f"""{HEADING}

Measured {facts['date']} with `{facts['command']}`.

Two uvicorn processes (`bench/owner_choice.py serve --mode loop|thread`), each an `async def` route over
its own copy of a 1,000-row SQLite table; (1) the statement runs on the event loop on one shared
connection, (2) it is handed to a `ThreadPoolExecutor(max_workers=1)` whose thread owns the connection
(`await loop.run_in_executor(...)`).
Read: primary-key SELECT plus an orjson envelope; write: `UPDATE ... counter = counter + 1` and a commit.
64 connections, {args.warmup} s warm-up and {args.duration} s per point, the two modes alternating for
{args.rounds} rounds, each figure the mode's median round by requests/s.

Load average (1, 5, 15 min): **{facts['load_before']}** before, **{facts['load_after']}** after (other work
was running on the 2 cores; the load generator takes most of one).

{machine}

{table}

Writes applied (sum of the counters, warm-ups included): loop {result['counters']['loop']:,}, thread
{result['counters']['thread']:,}; both files pass `PRAGMA integrity_check`.
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command")
    srv = sub.add_parser("serve", help="one server (used by the measurement)")
    srv.add_argument("--mode", choices=MODES, required=True)
    srv.add_argument("--db", required=True)
    srv.add_argument("--port", type=int, required=True)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=10, help="seconds per point (10)")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of warm-up before each point (3)")
    parser.add_argument("--loadgen", choices=("auto", "wrk", "python"), default="auto")
    parser.add_argument("--port", type=int, default=18091, help="the loop server's port; the thread's is +1")
    parser.add_argument("--record", action="store_true", help="also write the section into bench/RESULTS.md")
    args = parser.parse_args()
    if args.command == "serve":
        serve(args)
        return
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    load_before = loadavg()
    started = datetime.now(UTC)
    result = measure_all(args)
    command = "python bench/owner_choice.py" + "".join(
        f" --{k} {v}" for k, v in vars(args).items()
        if k not in ("command", "record") and v != parser.get_default(k))
    facts = {"date": started.strftime("%Y-%m-%d %H:%M UTC"), "command": command, "load_before": load_before,
             "load_after": loadavg()}
    text = report(args, result, facts)
    import run
    from concurrency import record_section

    (run.OUT / "owner_choice.md").write_text(text)
    print(text)
    if args.record:
        record_section(HEADING, text)
        print(f"written into {run.RESULTS}")


if __name__ == "__main__":
    main()
