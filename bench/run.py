"""`make bench`: mockwish against a bare FastAPI endpoint, with the same load generator, in one run.

Sections (all by default; `--only` picks some). "Rounds": at 64 connections the servers compared are
loaded one after the other, round after round (--rounds, 3), and each figure is the median of its rounds.
- products: requests/s and p50/p99 latency at 8 connections (one point each) and 64 (rounds) for (a)
  bench/bare_app.py and (b) mockwish's GET /api/v2/product?id=<random seeded id>, with mockwish's Merchant
  rate limiter on and off in the same rounds (and Prism, when the prism section runs too); the time from
  process start to the first 200 on /healthz with an existing database, mockwish and the bare app
  alternating; the time to seed the default data set.
- prism: Prism (@stoplight/prism-cli, installed with npm under bench/out/prism when missing) serving a
  static example of the product read from bench/prism_product.json, in the product read's rounds.
- orders: GET /api/v2/order/multi-get?limit=100&start=<random> against a merchant holding 10,000
  generated orders, against the bare endpoint; the generation time of 10,000 orders; an order download
  job over 100,000 orders with the real clock, to its CSV fully served.
- mix: 90 % product reads, 10 % POST /api/v2/variant/update-inventory, chosen per request by
  bench/mix.lua, against the bare app (rounds).
- writes: POST /api/v2/variant/update-inventory alone, against the bare app (rounds).
- afterwrite: 100,000 orders; then N times an order write (fulfill-one) followed by one multi-get page at
  a random start, timed by a client on a kept-alive connection (bench/keepalive.py).
- memory: RssAnon of a mockwish process before and after walking every multi-get page of 100,000 orders,
  and after 10,000 random product reads.
- wishpost: the WishPost auth and rate-limit path (GET /wishpost/api/v3/oauth/test, Bearer) with the
  limiter on and off (MOCKWISH_RATE_LIMIT_ENABLED=false).
- tenants: POST /sandbox/api/tenants of each kind (none, small, full, small with WishPost, a shipped
  scenario): the first on a freshly started server, then rounds of it; the first authenticated request with
  the new token; a tenant's reset; the server's RssAnon per small tenant (bench/tenants.py).
Every run opens RESULTS with the targets of issue 12 (value, target, met or missed, and the previous full
run's figure, kept in bench/targets-last.json), the machine, the server stack each server process loaded
(/proc/<pid>/maps) and the load average before and after. Writes bench/RESULTS.md and
bench/targets-last.json after a full run (the notes below RESULTS.md's marker line are kept), or
bench/out/RESULTS-partial.md after an `--only` run; raw output goes to bench/out/ (gitignored). Never part
of the test suite. Options: see `python bench/run.py --help`."""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata, util
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote_plus

import backoffice
import keepalive
import orders
import parcels
import tenants
from client import call, get_json

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
OUT = BENCH / "out"
PAGE_FILE = OUT / "order-page.json"  # one multi-get page as mockwish answered it (bench/bare_app.py serves it)
RESULTS = BENCH / "RESULTS.md"
LAST_TARGETS = BENCH / "targets-last.json"  # the issue-12 figures of the last full run (the "previous" column)
PRISM_DIR = OUT / "prism"  # npm's --prefix for Prism: kept when bench/out is cleared
PRISM_SPEC = BENCH / "prism_product.json"
NOTES_MARKER = "<!-- Notes below this line are kept by bench/run.py; edit them by hand. -->"
PY = sys.executable
TOKEN = "an_example_access_token"
WISHPOST_TOKEN = "an_example_wishpost_token"
PRODUCT_PATH = "/api/v2/product"
RATE_LIMIT_QUOTA = 1_000_000_000  # calls per window: far above what any point sends
BARE_PORT, MOCK_PORT, STARTUP_PORT, UNLIMITED_PORT, DOWNLOAD_PORT = 18081, 18082, 18083, 18084, 18085
PRISM_PORT, MIX_PORT, WRITES_PORT, AFTERWRITE_PORT, MEMORY_PORT = 18086, 18087, 18088, 18089, 18090
# the bare app on uvicorn's own HTTP protocol (the bare app proper writes answers as mockwish does, when the loop
# turns: mockwish.deferred_writes): a reference row, to show what that protocol alone gives
STOCK_PORT, STOCK = 18091, "bare, uvicorn's own protocol"
TENANTS_PORT = 18093
FAULT_RULES = 100  # rules loaded for the fault matcher's cost (none of them matches the product read)
SECTIONS = ("products", "prism", "orders", "mix", "writes", "afterwrite", "memory", "wishpost", "parcels",
            "backoffice", "control", "tenants")
MIX_WRITE_SHARE = 0.10  # the mix's share of inventory writes
BIG_ORDERS = 100_000  # orders of the afterwrite and memory stores
ORDERS, ORDER_PAGE_SIZE = 10_000, 100  # multi-get: the merchant's generated orders, orders per page
DOWNLOAD_ORDERS, GENERATE_BATCH = 100_000, 10_000  # the download job's orders, made in calls of this size
TARGET_LIMIT_LOSS = 0.10
TARGET_RATIO, TARGET_P99_MS, TARGET_STARTUP_S, TARGET_SEED_S = 0.5, 25.0, 1.0, 5.0
TARGET_ORDERS_RATIO, TARGET_DOWNLOAD_S = 0.3, 10.0
# issue 12 (ratios: mockwish over the bare app, or over Prism, requests/s at 64 connections, medians of the rounds)
GOAL_READ, GOAL_PRISM, GOAL_MIX, GOAL_WRITES, GOAL_ORDERS = 0.8, 1.2, 0.6, 0.4, 0.6
GOAL_AFTER_WRITE_MS, GOAL_P99, GOAL_MEMORY_MB, GOAL_STARTUP = 10.0, 2.0, 300.0, 1.5


@dataclass(frozen=True)
class Point:
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    sent: tuple[int, int] | None = None  # bench/mix.lua: (reads, writes) sent


@dataclass(frozen=True)
class Options:
    duration: int
    warmup: int
    loadgen: str
    startup_runs: int
    seed_runs: int
    only: tuple[str, ...] = SECTIONS
    generate_runs: int = 3
    rounds: int = 3
    afterwrite_runs: int = 50
    memory_reads: int = 10_000
    tenant_runs: int = 20
    tenant_full_runs: int = 5


@dataclass(frozen=True)
class Target:
    """What every request of a point asks: GET <path>?<query>, the query's placeholders drawn per request
    (`{id}` a random id of the ids file, `{start}` a random integer in 0..start_max, `{token}` the token:
    bench/random_ids.lua for wrk, bench/loadgen.py otherwise), with one extra header when set."""

    path: str
    query: str
    start_max: int = 0
    header: str = ""
    script: str = "random_ids.lua"  # or "mix.lua": reads and writes, see that file (wrk only)
    ids: Path | None = None  # the ids file, when not the load generator's
    skus: Path | None = None  # mix.lua: the SKUs file
    write_share: float = 0.0  # mix.lua: the share of writes
    body: Path | None = None  # post_body.lua: the file whose bytes every request POSTs
    content_type: str = ""  # post_body.lua: the body's Content-Type (text/xml when empty)


PRODUCT_READ = Target(PRODUCT_PATH, "id={id}&access_token={token}")
ORDER_PAGE = Target("/api/v2/order/multi-get", f"limit={ORDER_PAGE_SIZE}&start={{start}}&access_token={{token}}",
                    start_max=ORDERS - ORDER_PAGE_SIZE)
# the ceiling of the multi-get on this machine: the bare app answering the bytes of one real page (saved from
# mockwish before the rounds), with no work at all (bench/bare_app.py)
CEILING_PAGE = Target("/bench/order-page", "")
WISHPOST_TEST = Target("/wishpost/api/v3/oauth/test", "", header=f"Authorization: Bearer {WISHPOST_TOKEN}")


class LoadGen(Protocol):
    name: str

    def measure(self, base_url: str, conns: int, label: str, target: Target = PRODUCT_READ) -> Point: ...


# ---- load generators -----------------------------------------------------------------------------------

def _to_ms(text: str) -> float:
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if not m:
        raise ValueError(f"unreadable wrk latency {text!r}")
    value, unit = float(m.group(1)), m.group(2)
    return value * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def _field(pattern: str, text: str) -> str:
    m = re.search(pattern, text)
    if not m:
        raise ValueError(f"wrk output lacks {pattern!r}:\n{text}")
    return m.group(1)


def parse_wrk(text: str) -> Point:
    """Requests/s and the 50th/99th percentiles of wrk --latency output; refuses errors and non-2xx."""
    if "Non-2xx or 3xx responses" in text or "Socket errors" in text:
        raise RuntimeError(f"errors under load:\n{text}")
    mix = re.search(r"mix: (\d+) reads, (\d+) writes sent", text)
    return Point(rps=float(_field(r"Requests/sec:\s+([\d.]+)", text)),
                 p50_ms=_to_ms(_field(r"\s50%\s+(\S+)", text)),
                 p99_ms=_to_ms(_field(r"\s99%\s+(\S+)", text)),
                 requests=int(_field(r"(\d+) requests in", text)),
                 sent=(int(mix.group(1)), int(mix.group(2))) if mix else None)


class Wrk:
    name = "wrk"

    def __init__(self, binary: str, ids: Path, warmup: int, duration: int) -> None:
        self.binary, self.ids, self.warmup, self.duration = binary, ids, warmup, duration

    def version(self) -> str:
        out = subprocess.run([self.binary, "-v"], capture_output=True, text=True, check=False)
        return (out.stdout or out.stderr).splitlines()[0].split(" Copyright")[0].strip()

    def _run(self, base_url: str, conns: int, seconds: int, target: Target) -> str:
        cmd = [self.binary, "-t2", f"-c{conns}", f"-d{seconds}s", "--latency", "--timeout", "5s",
               "-s", str(BENCH / target.script), base_url]
        env = {**os.environ, "BENCH_IDS": str(target.ids or self.ids), "BENCH_PATH": target.path, "BENCH_TOKEN": TOKEN,
               "BENCH_QUERY": target.query, "BENCH_START_MAX": str(target.start_max), "BENCH_HEADER": target.header,
               "BENCH_SKUS": str(target.skus or ""), "BENCH_WRITE_SHARE": str(target.write_share),
               "BENCH_BODY_FILE": str(target.body or ""),
               **({"BENCH_CONTENT_TYPE": target.content_type} if target.content_type else {})}
        return subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=ROOT, env=env).stdout

    def measure(self, base_url: str, conns: int, label: str, target: Target = PRODUCT_READ) -> Point:
        self._run(base_url, conns, self.warmup, target)
        out = self._run(base_url, conns, self.duration, target)
        (OUT / f"wrk-{label}-c{conns}.txt").write_text(out)
        return parse_wrk(out)


class PythonLoadGen:
    name = "bench/loadgen.py (Python, asyncio, 2 processes)"

    def __init__(self, ids: Path, warmup: int, duration: int) -> None:
        self.ids, self.warmup, self.duration = ids, warmup, duration

    def measure(self, base_url: str, conns: int, label: str, target: Target = PRODUCT_READ) -> Point:
        if target.script != "random_ids.lua":
            raise RuntimeError(f"bench/loadgen.py sends GETs only: {target.script} needs wrk")
        cmd = [PY, str(BENCH / "loadgen.py"), base_url, "--path", target.path, "--token", TOKEN,
               "--query", target.query, "--start-max", str(target.start_max), "--header", target.header,
               "--ids", str(target.ids or self.ids), "--connections", str(conns), "--duration", str(self.duration),
               "--warmup", str(self.warmup)]
        out = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=ROOT).stdout
        (OUT / f"loadgen-{label}-c{conns}.json").write_text(out)
        result = json.loads(out)
        if result["errors"] or result["non_2xx"]:
            raise RuntimeError(f"errors under load: {result}")
        return Point(result["rps"], result["p50_ms"], result["p99_ms"], result["requests"])


def find_wrk(allow_install: bool) -> str | None:
    """wrk on PATH, else installed from Debian's packages when running as root with apt-get."""
    found = shutil.which("wrk")
    if found or not allow_install or os.geteuid() != 0 or not shutil.which("apt-get"):
        return found
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    print("installing wrk with apt-get ...", flush=True)
    subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=False, env=env, capture_output=True)
    return shutil.which("wrk")


def pick_loadgen(opts: Options, ids: Path) -> LoadGen:
    if opts.loadgen != "python":
        binary = find_wrk(allow_install=True)
        if binary:
            return Wrk(binary, ids, opts.warmup, opts.duration)
        if opts.loadgen == "wrk":
            sys.exit("wrk is not installed and could not be installed (Debian: apt-get install wrk)")
        print("wrk unavailable: falling back to bench/loadgen.py", flush=True)
    return PythonLoadGen(ids, opts.warmup, opts.duration)


# ---- servers ---------------------------------------------------------------------------------------------

def server_env(data_dir: Path) -> dict[str, str]:
    """Quiet logs like a deployment, rate-limit quotas (Merchant and WishPost) the load never reaches (the
    limiter still runs), and no second WishPost port (several servers run at once; /wishpost/* is measured)."""
    return {**os.environ, "MOCKWISH_DATA_DIR": str(data_dir), "MOCKWISH_LOG_LEVEL": "warning",
            "MOCKWISH_ACCESS_LOG": "false", "MOCKWISH_RATE_LIMIT_QUOTA": str(RATE_LIMIT_QUOTA),
            "MOCKWISH_WISHPOST_RATE_LIMIT_QUOTA": str(RATE_LIMIT_QUOTA), "MOCKWISH_WISHPOST_PORT": "0"}


def unlimited_env(data_dir: Path) -> dict[str, str]:
    return {**server_env(data_dir), "MOCKWISH_RATE_LIMIT_ENABLED": "false"}


def mockwish_cmd(port: int) -> list[str]:
    return [PY, "-m", "mockwish", "serve", "--host", "127.0.0.1", "--port", str(port)]


def bare_cmd(port: int, deferred: bool = True) -> list[str]:
    """The bare app, on mockwish's HTTP protocol (answers written when the loop turns) unless `deferred` is
    False: the same stack as mockwish, which serves so by default (MOCKWISH_DEFER_WRITES)."""
    return [PY, str(BENCH / "bare_app.py"), "--host", "127.0.0.1", "--port", str(port),
            *(["--deferred-writes"] if deferred else [])]


def against_stock(points: dict[str, list[Point]]) -> str:
    """'; against the bare app on uvicorn's own protocol: <ratio>' of mockwish, when those rounds measured it."""
    if STOCK not in points:
        return ""
    ratio = median_point(points["mockwish"]).rps / median_point(points[STOCK]).rps
    return f"; against the bare app on uvicorn's own protocol: {ratio:.2f}"


def healthy(port: int, path: str = "/healthz") -> bool:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
    try:
        conn.request("GET", path)
        return conn.getresponse().status == 200
    except OSError:
        return False
    finally:
        conn.close()


# (server kind, loop and HTTP implementation) of every mockwish and bare process started in this run
STACKS: list[tuple[str, str]] = []


def loaded_stack(pid: int) -> str:
    """The event loop and HTTP implementation a uvicorn process runs, from the extension modules it has
    mapped: uvicorn's "auto" imports uvloop and httptools only to use them (h11 is pure Python: seen as
    httptools missing)."""
    maps = Path(f"/proc/{pid}/maps").read_text()
    loop = "uvloop" if "/uvloop/loop." in maps else "asyncio"
    http_impl = "httptools" if "/httptools/parser/parser." in maps else "h11"
    return f"{loop} loop, {http_impl} HTTP"


def try_launch(cmd: list[str], env: dict[str, str], port: int, log: Path, ready: str = "/healthz",
               timeout: float = 60, cwd: Path = ROOT) -> tuple[subprocess.Popen[bytes] | None, float]:
    """Starts a server: (it, the seconds from process start to the first 200 on `ready`), or (None, ...)
    when it exits or does not answer within `timeout` (its output is in `log`). `python -m mockwish` runs
    the checkout `cwd` is in (bench/ab.py starts another one)."""
    with log.open("wb") as sink:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=sink, stderr=subprocess.STDOUT)
    while time.perf_counter() - started < timeout:
        if proc.poll() is not None:
            return None, time.perf_counter() - started
        if healthy(port, ready):
            seconds = time.perf_counter() - started
            if cmd[0] == PY:
                kind = "mockwish" if "mockwish" in cmd else "bare" if bare_cmd(port)[1] in cmd else cmd[1]
                STACKS.append((kind, loaded_stack(proc.pid)))
            return proc, seconds
        time.sleep(0.005)
    stop(proc)
    return None, time.perf_counter() - started


def launch(cmd: list[str], env: dict[str, str], port: int, log: Path,
           cwd: Path = ROOT) -> tuple[subprocess.Popen[bytes], float]:
    """Starts a server and returns it with the seconds from process start to the first 200 on /healthz."""
    proc, seconds = try_launch(cmd, env, port, log, cwd=cwd)
    if proc is None:
        sys.exit(f"{cmd} exited or did not answer /healthz within 60 s; see {log}")
    return proc, seconds


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def startup_times(env: dict[str, str], runs: int) -> tuple[list[float], list[float]]:
    """Process start to the first 200 on /healthz, mockwish (on the existing data dir of `env`) and the bare
    app alternating, `runs` of each: (mockwish's, the bare app's)."""
    mock: list[float] = []
    bare: list[float] = []
    for n in range(runs):
        for cmd, times, label in ((mockwish_cmd(STARTUP_PORT), mock, "mockwish"),
                                  (bare_cmd(STARTUP_PORT, deferred=False), bare, "bare")):
            proc, seconds = launch(cmd, env, STARTUP_PORT, OUT / f"startup-{label}-{n}.log")
            stop(proc)
            times.append(seconds)
    return mock, bare


FLOOR_IMPORTS = "fastapi, uvicorn, orjson, sqlmodel"  # the bare app's imports plus the design card's store


def import_floor(runs: int) -> list[float]:
    """Seconds from process start to exit of a Python importing only the packages the design card names for
    the server and its store: the least any mockwish start can cost, whatever its own code does."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([PY, "-c", f"import {FLOOR_IMPORTS}"], cwd=OUT, check=True)
        times.append(time.perf_counter() - start)
    return times


# ---- Prism ---------------------------------------------------------------------------------------------------

PRISM_READY = "/api/v2/product?id=ready&access_token=ready"


def prism_binary() -> tuple[Path | None, str]:
    """Prism's CLI under bench/out/prism, installed with `npm install --prefix bench/out/prism
    @stoplight/prism-cli` when missing: (its path, "") or (None, why not)."""
    binary = PRISM_DIR / "node_modules" / ".bin" / "prism"
    if binary.exists():
        return binary, ""
    npm = shutil.which("npm")
    if npm is None:
        return None, "npm is not installed"
    print("installing Prism with npm ...", flush=True)
    try:
        done = subprocess.run([npm, "install", "--prefix", str(PRISM_DIR), "--no-audit", "--no-fund",
                               "@stoplight/prism-cli"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    except subprocess.TimeoutExpired:
        return None, "`npm install @stoplight/prism-cli` did not finish within 10 minutes"
    if done.returncode != 0 or not binary.exists():
        tail = " ".join((done.stderr or done.stdout).strip().splitlines()[-3:])[:300]
        return None, f"`npm install @stoplight/prism-cli` failed ({done.returncode}): {tail}"
    return binary, ""


def prism_version() -> str:
    try:
        return json.loads((PRISM_DIR / "node_modules/@stoplight/prism-cli/package.json").read_text())["version"]
    except (OSError, ValueError, KeyError):
        return "unknown version"


def start_prism() -> tuple[subprocess.Popen[bytes] | None, str]:
    """Prism mocking bench/prism_product.json (one path, one static example) on PRISM_PORT, one process,
    log level warn (mockwish and the bare app log warnings only too): (it, a note) or (None, why not)."""
    binary, why = prism_binary()
    if binary is None:
        return None, why
    cmd = [str(binary), "mock", "-h", "127.0.0.1", "-p", str(PRISM_PORT), "-v", "warn", str(PRISM_SPEC)]
    proc, seconds = try_launch(cmd, dict(os.environ), PRISM_PORT, OUT / "prism.log", ready=PRISM_READY)
    if proc is None:
        return None, f"Prism {prism_version()} did not serve the example within 60 s (see bench/out/prism.log)"
    answer = call(PRISM_PORT, "GET", PRISM_READY, timeout=10)
    if answer.status != 200 or b'"Product"' not in answer.body:
        stop(proc)
        return None, f"Prism answered {answer.status}: {answer.body[:200]!r}"
    return proc, (f"`@stoplight/prism-cli` {prism_version()} (`prism mock -v warn`, one Node.js process; first "
                  f"answer {seconds:.1f} s after its start), a {len(answer.body):,}-byte static example")


# ---- seed ------------------------------------------------------------------------------------------------

def seed_wall_times(env: dict[str, str], runs: int) -> list[float]:
    """Wall time of `mockwish seed --seed 42` (interpreter start, imports, schema, generation, insert)."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([PY, "-m", "mockwish", "seed", "--seed", "42"], cwd=ROOT, env=env, check=True,
                       capture_output=True)
        times.append(time.perf_counter() - started)
    return times


def seed_inprocess_times(env: dict[str, str], runs: int) -> list[float]:
    out = subprocess.run([PY, str(BENCH / "seed_inprocess.py"), str(runs)], cwd=ROOT, env=env, check=True,
                         capture_output=True, text=True).stdout
    return [float(x) for x in json.loads(out)]


# ---- the product ids -------------------------------------------------------------------------------------

def seeded_ids(port: int) -> list[str]:
    """Every product id of the default merchant, read page by page through multi-get (bench/profile_read.py)."""
    return catalogue(port)[0]


def catalogue(port: int) -> tuple[list[str], list[str]]:
    """(product ids, variant SKUs) of the default merchant's products as multi-get lists them."""
    ids: list[str] = []
    skus: list[str] = []
    while True:
        page = get_json(port, f"{PRODUCT_PATH}/multi-get?limit=250&start={len(ids)}&access_token={TOKEN}", 10)["data"]
        for p in page:
            ids.append(p["Product"]["id"])
            skus += [v["Variant"]["sku"] for v in p["Product"].get("variants", [])]
        if len(page) < 250:
            return ids, skus


def writable_skus(port: int, skus: list[str]) -> list[str]:
    """The SKUs whose `variant/update-inventory` answers code 0 (each written once, inventory 0..500)."""
    conn = keepalive.Connection(port)
    rng = random.Random(7)
    kept = []
    for sku in skus:
        form = {"sku": sku, "inventory": rng.randint(0, 500), "access_token": TOKEN}
        status, body, _ = conn.request("POST", "/api/v2/variant/update-inventory", form)
        if status == 200 and json.loads(body).get("code") == 0:
            kept.append(sku)
    conn.close()
    return kept


def check_product_read(port: int, product_id: str) -> None:
    body = get_json(port, f"{PRODUCT_PATH}?id={product_id}&access_token={TOKEN}", 10)
    if body.get("code") != 0 or body["data"]["Product"]["id"] != product_id:
        sys.exit(f"product read did not answer the product: {str(body)[:300]}")


# ---- the machine -----------------------------------------------------------------------------------------

def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def versions() -> str:
    names = ("fastapi", "starlette", "uvicorn", "sqlalchemy", "pydantic", "orjson")
    return ", ".join(f"{p} {metadata.version(p)}" for p in names)


def uvicorn_impl() -> str:
    loop = "uvloop" if util.find_spec("uvloop") else "asyncio"
    http_impl = "httptools" if util.find_spec("httptools") else "h11"
    return f"{loop} loop, {http_impl} HTTP"


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def stacks_seen() -> dict[str, tuple[str, int]]:
    """Per server kind: the stacks its processes loaded (joined when they differ) and how many processes."""
    kinds: dict[str, list[str]] = {}
    for kind, stack in STACKS:
        kinds.setdefault(kind, []).append(stack)
    return {k: (" / ".join(sorted(set(v))), len(v)) for k, v in kinds.items()}


def stack_line() -> str:
    seen = stacks_seen()
    return "; ".join(f"{k}: {stack} ({n} process{'es' if n > 1 else ''})" for k, (stack, n) in seen.items()) or "none"


def machine(loadgen: LoadGen) -> dict[str, str]:
    generator = loadgen.version() if isinstance(loadgen, Wrk) else loadgen.name
    return {
        "CPU": f"{cpu_model()}, {os.cpu_count()} cores (load average before the run: {os.getloadavg()[0]:.2f})",
        "OS": f"{platform.system()} {platform.release()}",
        "Python": f"{platform.python_version()} ({platform.python_implementation()})",
        "Packages": versions(),
        "uvicorn": f"one worker, {uvicorn_impl()} (installed, uvicorn's \"auto\" choice), log level warning, "
                   "no access log (both servers); answers written when the event loop turns (mockwish's "
                   "protocol, mockwish.deferred_writes: mockwish and the bare app; the reference row \"bare, "
                   "uvicorn's own protocol\" writes them as uvicorn does)",
        "Load generator": generator,
    }


# ---- tables ----------------------------------------------------------------------------------------------

def verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def table(head: list[str], rows: list[list[str]]) -> str:
    """The one Markdown table writer of RESULTS.md."""
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def fmt_times(times: list[float]) -> str:
    return f"{statistics.median(times):.2f} s (median of {len(times)}: " + ", ".join(f"{t:.2f}" for t in times) + ")"


def load_table(results: dict[int, tuple[Point, Point]]) -> str:
    head = ["connections", "bare rps", "bare p50 ms", "bare p99 ms", "mockwish rps", "mockwish p50 ms",
            "mockwish p99 ms", "ratio b/a"]
    return table(head, [[str(c), f"{a.rps:,.0f}", f"{a.p50_ms:.2f}", f"{a.p99_ms:.2f}", f"{b.rps:,.0f}",
                         f"{b.p50_ms:.2f}", f"{b.p99_ms:.2f}", f"**{b.rps / a.rps:.2f}**"]
                        for c, (a, b) in results.items()])


def targets_table(rows: list[tuple[str, str, str, bool | None]]) -> str:
    """(measure, value, target, met?) rows; None: a figure for reference, without a target."""
    return table(["measure", "value", "target", ""],
                 [[m, v, t, "" if ok is None else verdict(ok)] for m, v, t, ok in rows])


def rounds_table(points: dict[str, list[Point]], reference: str = "bare") -> str:
    """One row per server: the median figures of its rounds, its ratios to `reference` (requests/s, p99)
    and the requests/s of each round."""
    ref = median_point(points[reference])
    rows = []
    for name, pts in points.items():
        m = median_point(pts)
        rows.append([name, f"{m.rps:,.0f}", f"{m.p50_ms:.2f}", f"{m.p99_ms:.2f}",
                     "" if name == reference else f"**{m.rps / ref.rps:.2f}**",
                     "" if name == reference else f"{m.p99_ms / ref.p99_ms:.2f}",
                     ", ".join(f"{p.rps:,.0f}" for p in pts)])
    return table(["server", "rps", "p50 ms", "p99 ms", f"rps / {reference}", f"p99 / {reference} p99",
                  "rps of each round"], rows)


def limiter_table(on: Point, off: Point, bare: Point | None = None) -> str:
    loss = 1 - on.rps / off.rps
    rows = [["on (every call counted)", f"{on.rps:,.0f}", f"{on.p50_ms:.2f}", f"{on.p99_ms:.2f}"],
            ["off", f"{off.rps:,.0f}", f"{off.p50_ms:.2f}", f"{off.p99_ms:.2f}"]]
    if bare is not None:
        rows.append(["for reference: bare FastAPI, same path", f"{bare.rps:,.0f}", f"{bare.p50_ms:.2f}",
                     f"{bare.p99_ms:.2f}"])
    rows.append(["throughput loss", f"{loss:.1%}", f"target < {TARGET_LIMIT_LOSS:.0%}",
                 verdict(loss < TARGET_LIMIT_LOSS)])
    return table(["limiter", "rps", "p50 ms", "p99 ms"], rows)


# ---- load points -----------------------------------------------------------------------------------------

def url(port: int) -> str:
    return f"http://127.0.0.1:{port}"


def median_point(points: list[Point]) -> Point:
    """Each figure the median of the rounds' (requests/s, p50 and p99 separately)."""
    sent = None
    if all(p.sent for p in points):
        sent = (sum(p.sent[0] for p in points if p.sent), sum(p.sent[1] for p in points if p.sent))
    return Point(statistics.median(p.rps for p in points), statistics.median(p.p50_ms for p in points),
                 statistics.median(p.p99_ms for p in points), int(statistics.median(p.requests for p in points)), sent)


def measure_rounds(loadgen: LoadGen, servers: dict[str, int | tuple[int, Target]], target: Target, label: str,
                   rounds: int, conns: int = 64,
                   prepare: dict[str, Callable[[], None]] | None = None,
                   rotate: bool = False) -> dict[str, list[Point]]:
    """`rounds` rounds, each loading every server once in turn (same target, load generator and connections,
    unless a server is given as (port, its own target)), so that a drift of the machine during the run (seen
    here: ±7 % between back-to-back single points) does not land on one side only. Per server, its points in
    round order. `prepare[name]`, when given, runs before each of that server's measurements (one process put
    into another state through the sandbox API). `rotate`: each round starts one server later, so that every
    server takes every place in a round as often (a place has its own bias: measured here, up to 4 % between two
    measurements of the very same state, one after the other)."""
    points: dict[str, list[Point]] = {name: [] for name in servers}
    order = list(servers.items())
    for n in range(rounds):
        shift = n % len(order) if rotate else 0
        for name, where in order[shift:] + order[:shift]:
            if prepare and name in prepare:
                prepare[name]()
            port, aimed = where if isinstance(where, tuple) else (where, target)
            slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
            points[name].append(loadgen.measure(url(port), conns, f"{label}-{slug}-r{n}", aimed))
        summary = " | ".join(f"{name} {p[-1].rps:.0f} rps p99 {p[-1].p99_ms:.2f} ms" for name, p in points.items())
        print(f"{label} round {n + 1}/{rounds}: {summary}", flush=True)
    return points


def measure_limiter(loadgen: LoadGen, on_port: int, off_port: int, target: Target, label: str,
                    rounds: int) -> tuple[Point, Point]:
    """The same target at 64 connections with the limiter on (every call counted, none refused: the quota
    is out of reach) and off (MOCKWISH_RATE_LIMIT_ENABLED=false), alternating for `rounds` rounds: each
    figure the median of its rounds."""
    points = measure_rounds(loadgen, {"limits on": on_port, "limits off": off_port}, target, label, rounds)
    on, off = median_point(points["limits on"]), median_point(points["limits off"])
    print(f"{label}: rate limits on {on.rps:.0f} rps, off {off.rps:.0f} rps: loss {1 - on.rps / off.rps:.1%}",
          flush=True)
    return on, off


def measure_single(loadgen: LoadGen, port: int, conns: int, target: Target, label: str) -> tuple[Point, Point]:
    """(bare, mockwish): one point each at `conns` connections, bare first."""
    a = loadgen.measure(url(BARE_PORT), conns, f"bare-{label}", target)
    b = loadgen.measure(url(port), conns, label, target)
    print(f"{label} {conns:>3} connections: bare {a.rps:7.0f} rps p50 {a.p50_ms:5.2f} p99 {a.p99_ms:5.2f} ms | "
          f"mockwish {b.rps:7.0f} rps p50 {b.p50_ms:5.2f} p99 {b.p99_ms:5.2f} ms | ratio {b.rps / a.rps:.2f}",
          flush=True)
    return a, b


# ---- section: products (the product read, startup, seed, Merchant rate limiter) and prism -----------------

def read_targets(points: dict[str, list[Point]], prism_note: str) -> None:
    """The issue-12 targets the product read's rounds measure."""
    bare, mock = median_point(points["bare"]), median_point(points["mockwish"])
    ratio, p99 = mock.rps / bare.rps, mock.p99_ms / bare.p99_ms
    MEASURED["read_ratio"] = (f"{ratio:.2f} ({mock.rps:,.0f} / {bare.rps:,.0f} rps{against_stock(points)})",
                              ratio >= GOAL_READ)
    MEASURED["read_p99"] = (f"{p99:.2f} ({mock.p99_ms:.2f} / {bare.p99_ms:.2f} ms)", p99 <= GOAL_P99)
    if "Prism" in points:
        prism = median_point(points["Prism"])
        ratio = mock.rps / prism.rps
        MEASURED["read_prism"] = (f"{ratio:.2f} ({mock.rps:,.0f} / {prism.rps:,.0f} rps, Prism {prism_version()})",
                                  ratio >= GOAL_PRISM)
    elif prism_note:
        MEASURED["read_prism"] = (f"not measured: {prism_note}", None)


def prism_text(points: dict[str, list[Point]], note: str) -> str:
    if "Prism" not in points:
        return f"Prism was not measured: {note}."
    return f"""Prism: {note}, served from `bench/prism_product.json` (one path, `GET /api/v2/product`, whose
200 example is a product of mockwish's seed 42 as mockwish answers it), in the same rounds with the same
load: Prism checks the query against the two declared parameters and answers the example as it is (static
mode), with its default CORS headers. npm installs it under `bench/out/prism` when missing (kept between
runs)."""


def read_servers(prism: subprocess.Popen[bytes] | None, unlimited: bool) -> dict[str, int]:
    servers = {"bare": BARE_PORT, "mockwish": MOCK_PORT, STOCK: STOCK_PORT}
    if unlimited:
        servers["mockwish, limiter off"] = UNLIMITED_PORT
    if prism is not None:
        servers["Prism"] = PRISM_PORT
    return servers


def products_section(opts: Options, loadgen: LoadGen, ids_file: Path) -> str:
    env = server_env(OUT / "data")
    print("products: seeding ...", flush=True)
    fresh, fresh_startup = launch(mockwish_cmd(STARTUP_PORT), server_env(OUT / "fresh"), STARTUP_PORT,
                                  OUT / "startup-fresh.log")
    stop(fresh)
    seed_wall = seed_wall_times(env, opts.seed_runs)
    seed_inproc = seed_inprocess_times(env, opts.seed_runs)
    print("products: timing startup (mockwish and bare alternating) ...", flush=True)
    startup, bare_startup = startup_times(env, opts.startup_runs)
    mock_s, bare_s = statistics.median(startup), statistics.median(bare_startup)
    floor = import_floor(opts.startup_runs)
    MEASURED["startup"] = (f"{mock_s / bare_s:.2f} ({mock_s:.2f} / {bare_s:.2f} s, {len(startup)} each; importing "
                           f"the design card's packages alone: {statistics.median(floor) / bare_s:.2f})",
                           mock_s / bare_s <= GOAL_STARTUP)

    mock = launch(mockwish_cmd(MOCK_PORT), env, MOCK_PORT, OUT / "mockwish.log")[0]
    unlimited = launch(mockwish_cmd(UNLIMITED_PORT), unlimited_env(OUT / "data"), UNLIMITED_PORT,
                       OUT / "mockwish-unlimited.log")[0]
    prism, prism_note = start_prism() if "prism" in opts.only else (None, "")
    try:
        ids = catalogue(MOCK_PORT)[0]
        ids_file.write_text("\n".join(ids) + "\n")
        check_product_read(MOCK_PORT, ids[0])
        single = measure_single(loadgen, MOCK_PORT, 8, PRODUCT_READ, "mockwish")
        points = measure_rounds(loadgen, read_servers(prism, unlimited=True), PRODUCT_READ, "products", opts.rounds)
    finally:
        for server in (mock, unlimited, prism):
            if server is not None:
                stop(server)
    read_targets(points, prism_note)
    results = {8: single, 64: (median_point(points["bare"]), median_point(points["mockwish"]))}
    on, off = results[64][1], median_point(points["mockwish, limiter off"])
    a64, b64 = results[64]
    worst_p99 = max(b.p99_ms for _, b in results.values())
    targets = targets_table([
        ("ratio b/a of requests/s at 64 connections", f"{b64.rps / a64.rps:.2f}", f">= {TARGET_RATIO}",
         b64.rps / a64.rps >= TARGET_RATIO),
        ("mockwish p99, worst of 8 and 64 connections", f"{worst_p99:.2f} ms", f"< {TARGET_P99_MS:g} ms",
         worst_p99 < TARGET_P99_MS),
        ("process start to first 200 on /healthz, existing database", fmt_times(startup),
         f"< {TARGET_STARTUP_S:g} s", max(startup) < TARGET_STARTUP_S),
        ("seed inside the process (`SandboxStore.reseed`: schema, generation, insert)", fmt_times(seed_inproc),
         f"< {TARGET_SEED_S:g} s", max(seed_inproc) < TARGET_SEED_S),
        ("`mockwish seed --seed 42` wall time (interpreter start and imports included)", fmt_times(seed_wall),
         f"< {TARGET_SEED_S:g} s", max(seed_wall) < TARGET_SEED_S),
        ("for reference: bare app, process start to first 200 (alternating with the above)", fmt_times(bare_startup),
         "", None),
        ("for reference: first start on an empty data dir (seeds on start)", f"{fresh_startup:.2f} s", "", None),
        (f"for reference: `python -c 'import {FLOOR_IMPORTS}'`, start to exit (no server, no app)",
         fmt_times(floor), "", None),
    ])
    prism_part = f"\n\n{prism_text(points, prism_note)}" if "prism" in opts.only else ""
    text = f"""## Throughput and latency: (a) bare FastAPI, (b) mockwish `GET /api/v2/product?id=…`

{len(ids)} product ids of the default merchant. 8 connections: one point each; 64 connections: the
median of {opts.rounds} rounds (below).

{load_table(results)}

At 64 connections, {opts.rounds} rounds, each loading every server in turn (each figure the median of its rounds):

{rounds_table(points)}{prism_part}

### Targets (products, earlier issues)

{targets}

Merchant rate-limit accounting, same endpoint at 64 connections (on: the `mockwish` rounds above; off:
the `mockwish, limiter off` rounds; medians of {opts.rounds} rounds each):

{limiter_table(on, off)}"""
    return text


def prism_section(opts: Options, loadgen: LoadGen, ids_file: Path) -> str:
    """`--only prism` without products: the product read's rounds (bare, mockwish on a fresh store, Prism)."""
    mock = launch(mockwish_cmd(MOCK_PORT), server_env(OUT / "prism-data"), MOCK_PORT, OUT / "mockwish.log")[0]
    prism, note = start_prism()
    try:
        ids = catalogue(MOCK_PORT)[0]
        ids_file.write_text("\n".join(ids) + "\n")
        check_product_read(MOCK_PORT, ids[0])
        points = measure_rounds(loadgen, read_servers(prism, unlimited=False), PRODUCT_READ, "prism", opts.rounds)
    finally:
        stop(mock)
        if prism is not None:
            stop(prism)
    read_targets(points, note)
    return f"""## Product read against Prism (issue 12)

`GET /api/v2/product?id=<random seeded id>` at 64 connections, {opts.rounds} rounds, each loading every
server in turn (each figure the median of its rounds); {len(ids)} product ids of the default merchant.

{rounds_table(points)}

{prism_text(points, note)}"""


# ---- section: orders (issue 5) --------------------------------------------------------------------------

def generate_inprocess_times(runs: int) -> list[float]:
    env = server_env(OUT / "generate-data")
    out = subprocess.run([PY, str(BENCH / "generate_inprocess.py"), str(runs), str(GENERATE_BATCH)], cwd=ROOT,
                         env=env, check=True, capture_output=True, text=True).stdout
    return [float(x) for x in json.loads(out)]


def multi_get_points(loadgen: LoadGen,
                     rounds: int) -> tuple[dict[int, tuple[Point, Point]], dict[str, list[Point]], float]:
    """A fresh store whose default merchant gets ORDERS generated orders, then the multi-get load: one point
    each at 8 connections, `rounds` rounds at 64 ({8: (bare, mockwish), 64: (the medians)}, the rounds)."""
    server = launch(mockwish_cmd(MOCK_PORT), server_env(OUT / "orders-data"), MOCK_PORT, OUT / "orders.log")[0]
    try:
        made = orders.generate(MOCK_PORT, ORDERS)
        orders.check_page(MOCK_PORT, ORDER_PAGE.start_max, ORDER_PAGE_SIZE)
        single = measure_single(loadgen, MOCK_PORT, 8, ORDER_PAGE, "orders")
        PAGE_FILE.write_bytes(call(MOCK_PORT, "GET", f"{ORDER_PAGE.path}?limit={ORDER_PAGE_SIZE}&start=0"
                                                     f"&access_token={TOKEN}").body)
        points = measure_rounds(loadgen, {"bare": BARE_PORT, "mockwish": MOCK_PORT,
                                          "bare, a page's bytes": (BARE_PORT, CEILING_PAGE), STOCK: STOCK_PORT},
                                ORDER_PAGE, "orders", rounds)
    finally:
        stop(server)
    return {8: single, 64: (median_point(points["bare"]), median_point(points["mockwish"]))}, points, made


def download_point(opts: Options) -> tuple[list[float], orders.Download]:
    """Another fresh store (the multi-get store keeps its 10,000): DOWNLOAD_ORDERS orders made in calls of
    GENERATE_BATCH (each call timed), then one download job over all of them."""
    server = launch(mockwish_cmd(DOWNLOAD_PORT), server_env(OUT / "download-data"), DOWNLOAD_PORT,
                    OUT / "download.log")[0]
    try:
        calls = []
        for n in range(DOWNLOAD_ORDERS // GENERATE_BATCH):
            calls.append(orders.generate(DOWNLOAD_PORT, GENERATE_BATCH))
            print(f"orders: generated {(n + 1) * GENERATE_BATCH:,} in {calls[-1]:.2f} s", flush=True)
        job = orders.download(DOWNLOAD_PORT)
        print(f"orders: download job {job.job_seconds:.2f} s, CSV {job.csv_bytes / 1e6:.1f} MB served in "
              f"{job.serve_seconds:.2f} s", flush=True)
        return calls, job
    finally:
        stop(server)


def orders_section(opts: Options, loadgen: LoadGen) -> str:
    print("orders: multi-get ...", flush=True)
    results, points, first_call = multi_get_points(loadgen, opts.rounds)
    print("orders: generation and download job ...", flush=True)
    calls, job = download_point(opts)
    inproc = generate_inprocess_times(opts.generate_runs)
    api = calls[:opts.generate_runs]
    a64, b64 = results[64]
    a8, b8 = results[8]
    ratio = b64.rps / a64.rps
    ceiling = median_point(points["bare, a page's bytes"]).rps
    MEASURED["orders_ratio"] = (f"{ratio:.2f} ({b64.rps:,.0f} / {a64.rps:,.0f} rps; the bare app answering one "
                                f"page's bytes with no work: {ceiling / a64.rps:.2f}{against_stock(points)})",
                                ratio >= GOAL_ORDERS)
    targets = targets_table([
        ("multi-get ratio b/a of requests/s at 64 connections", f"{b64.rps / a64.rps:.2f}",
         f">= {TARGET_ORDERS_RATIO}", b64.rps / a64.rps >= TARGET_ORDERS_RATIO),
        ("for reference: multi-get ratio b/a at 8 connections", f"{b8.rps / a8.rps:.2f}", "", None),
        (f"download job over {job.total_count:,} orders: create to FINISHED (real clock) plus the CSV served",
         f"{job.total_seconds:.2f} s", f"< {TARGET_DOWNLOAD_S:g} s", job.total_seconds < TARGET_DOWNLOAD_S),
    ])
    generation = targets_table([
        (f"`POST /sandbox/api/transactions` of {GENERATE_BATCH:,} orders, wall time (first calls on the "
         "download store)", fmt_times(api), "seconds (issue 5)", None),
        (f"the same, all {len(calls)} calls growing that store to {DOWNLOAD_ORDERS:,} orders",
         f"{min(calls):.2f} to {max(calls):.2f} s (median {statistics.median(calls):.2f})", "", None),
        ("the same, the one call of the multi-get store", f"{first_call:.2f} s", "", None),
        (f"`generate()` of {GENERATE_BATCH:,} orders inside the process (bench/generate_inprocess.py, "
         "each rolled back)", fmt_times(inproc), "", None),
    ])
    download = targets_table([
        ("create-download-job to the status answer saying FINISHED (pending 2 s + running 5 s, defaults)",
         f"{job.job_seconds:.2f} s", "", None),
        ("GET download_link to its last byte", f"{job.serve_seconds:.2f} s", "", None),
        ("total", f"{job.total_seconds:.2f} s", f"< {TARGET_DOWNLOAD_S:g} s", job.total_seconds < TARGET_DOWNLOAD_S),
        ("CSV", f"{job.csv_bytes:,} bytes, {job.csv_rows:,} rows (job total_count {job.total_count:,})", "", None),
    ])
    return f"""## Orders (issue 5)

### (a) bare FastAPI, (b) mockwish `GET /api/v2/order/multi-get?limit={ORDER_PAGE_SIZE}&start=<random>`

Start offsets drawn per request from 0..{ORDER_PAGE.start_max}. "bare, a page's bytes" is the bare app
answering the bytes of one real page ({PAGE_FILE.stat().st_size:,} bytes, saved from mockwish before the rounds)
with no work at all: the most any server could do on this machine with answers of that size.

The default merchant holds {ORDERS:,} orders generated through `POST /sandbox/api/transactions` on a fresh
store (plus its seeded orders); each request draws its own start offset. 8 connections: one point each;
64 connections: the median of {opts.rounds} rounds:

{load_table(results)}

{rounds_table(points)}

### Generating 10,000 orders

{generation}

### Order download job over {DOWNLOAD_ORDERS:,} generated orders (a separate store), real clock

The job status is asked every {orders.POLL_SECONDS * 1000:.0f} ms.

{download}

### Targets

{targets}"""


# ---- sections: mix and writes (issue 12) -------------------------------------------------------------------

NEEDS_WRK = "not measured: needs wrk (bench/loadgen.py sends GETs only)"


def mix_points(loadgen: LoadGen, opts: Options, port: int, share: float,
               label: str) -> tuple[dict[str, list[Point]], int, int] | None:
    """A fresh store on `port`; its product ids and the SKUs update-inventory accepts (each written once
    first) go to bench/out/<label>-ids.txt and -skus.txt; then rounds of bench/mix.lua with `share` writes
    against the bare app. None without wrk."""
    if not isinstance(loadgen, Wrk):
        return None
    server = launch(mockwish_cmd(port), server_env(OUT / f"{label}-data"), port, OUT / f"{label}.log")[0]
    try:
        target, n_ids, n_skus = mix_target(port, label, share)
        points = measure_rounds(loadgen, {"bare": BARE_PORT, "mockwish": port, STOCK: STOCK_PORT}, target, label,
                                opts.rounds)
    finally:
        stop(server)
    return points, n_ids, n_skus


def mix_target(port: int, label: str, share: float) -> tuple[Target, int, int]:
    """bench/mix.lua with `share` writes against the store on `port`: its product ids and the SKUs
    update-inventory accepts (each written once first) go to bench/out/<label>-ids.txt and -skus.txt; with
    the number of each. Also used by bench/profile_read.py and bench/ab.py."""
    ids, skus = catalogue(port)
    skus = writable_skus(port, skus)
    if not ids or not skus:
        sys.exit(f"{label}: {len(ids)} product ids and {len(skus)} writable SKUs: nothing to load")
    ids_path, skus_path = OUT / f"{label}-ids.txt", OUT / f"{label}-skus.txt"
    ids_path.write_text("\n".join(ids) + "\n")
    skus_path.write_text("\n".join(quote_plus(sku) for sku in skus) + "\n")
    target = Target(PRODUCT_PATH, "", script="mix.lua", ids=ids_path, skus=skus_path, write_share=share)
    return target, len(ids), len(skus)


def sent_share(points: list[Point]) -> str:
    reads = sum(p.sent[0] for p in points if p.sent)
    writes = sum(p.sent[1] for p in points if p.sent)
    return f"{writes / (reads + writes):.1%} writes" if reads + writes else "writes not counted"


def mix_section(opts: Options, loadgen: LoadGen) -> str:
    print("mix: 90 % product reads, 10 % inventory writes ...", flush=True)
    got = mix_points(loadgen, opts, MIX_PORT, MIX_WRITE_SHARE, "mix")
    if got is None:
        MEASURED["mix_ratio"] = (NEEDS_WRK, None)
        return f"## Mixed reads and writes (issue 12)\n\n{NEEDS_WRK}."
    points, n_ids, n_skus = got
    bare, mock = median_point(points["bare"]), median_point(points["mockwish"])
    ratio = mock.rps / bare.rps
    MEASURED["mix_ratio"] = (f"{ratio:.2f} ({mock.rps:,.0f} / {bare.rps:,.0f} rps; {sent_share(points['mockwish'])}"
                             f"{against_stock(points)})", ratio >= GOAL_MIX)
    return f"""## Mixed reads and writes (issue 12)

64 connections, `bench/mix.lua`: each request is, with probability {MIX_WRITE_SHARE:.0%}, `POST
/api/v2/variant/update-inventory` (form body `sku=<random>&inventory=<random 0..500>&access_token=…`),
else `GET /api/v2/product?id=<random>&access_token=…`; {n_ids} product ids and {n_skus} SKUs of the
default merchant on a fresh store (the SKUs whose update-inventory answered code 0 once before the load).
The bare app answers the constant envelope on both. Requests sent to mockwish over the measured runs:
{sent_share(points["mockwish"])}. {opts.rounds} rounds, each figure the median of its rounds:

{rounds_table(points)}"""


def writes_section(opts: Options, loadgen: LoadGen) -> str:
    print("writes: inventory writes alone ...", flush=True)
    got = mix_points(loadgen, opts, WRITES_PORT, 1.0, "writes")
    if got is None:
        MEASURED["write_ratio"] = (NEEDS_WRK, None)
        return f"## Inventory writes (issue 12)\n\n{NEEDS_WRK}."
    points, _, n_skus = got
    bare, mock = median_point(points["bare"]), median_point(points["mockwish"])
    ratio = mock.rps / bare.rps
    MEASURED["write_ratio"] = (f"{ratio:.2f} ({mock.rps:,.0f} / {bare.rps:,.0f} rps{against_stock(points)})",
                               ratio >= GOAL_WRITES)
    return f"""## Inventory writes (issue 12)

64 connections, every request `POST /api/v2/variant/update-inventory` with the form body
`sku=<random>&inventory=<random 0..500>&access_token=an_example_access_token` (`bench/mix.lua`, writes
only), {n_skus} SKUs of the default merchant on a fresh store; each answered code 0 once before the load.
Each write commits (SQLite WAL). {opts.rounds} rounds, each figure the median of its rounds:

{rounds_table(points)}"""


# ---- sections: afterwrite and memory, 100,000 orders (issue 12) ---------------------------------------------

def ms_summary(values: list[float]) -> str:
    return (f"{statistics.median(values):.1f} / {keepalive.AfterWrite.p(values, 0.9):.1f} / {max(values):.1f}")


def afterwrite_section(opts: Options) -> str:
    print(f"afterwrite: {BIG_ORDERS:,} orders ...", flush=True)
    server = launch(mockwish_cmd(AFTERWRITE_PORT), unlimited_env(OUT / "afterwrite-data"), AFTERWRITE_PORT,
                    OUT / "afterwrite.log")[0]
    try:
        calls, ids = orders.generate_many(AFTERWRITE_PORT, BIG_ORDERS, GENERATE_BATCH, "afterwrite")
        print(f"afterwrite: {opts.afterwrite_runs} writes, each followed by a multi-get ...", flush=True)
        result = keepalive.first_after_write(AFTERWRITE_PORT, ids, opts.afterwrite_runs, BIG_ORDERS - ORDER_PAGE_SIZE)
    finally:
        stop(server)
    first = result.first_ms
    med, p90 = statistics.median(first), result.p(first, 0.9)
    MEASURED["after_write"] = (f"median {med:.1f} ms, p90 {p90:.1f} ms ({len(first)} writes)",
                               med < GOAL_AFTER_WRITE_MS)
    rows = targets_table([
        ("the first multi-get after the write (limit 100, random start)", ms_summary(first),
         f"< {GOAL_AFTER_WRITE_MS:g} ms (median)", med < GOAL_AFTER_WRITE_MS),
        ("for reference: the next multi-get, right after it (no write between)", ms_summary(result.next_ms), "", None),
        ("for reference: the write, `POST /api/v2/order/fulfill-one`", ms_summary(result.write_ms), "", None),
    ])
    return f"""## The first order multi-get after a write, {BIG_ORDERS:,} orders (issue 12)

A fresh store (`MOCKWISH_RATE_LIMIT_ENABLED=false`) whose default merchant gets {BIG_ORDERS:,} orders through
`POST /sandbox/api/transactions` ({len(calls)} calls of {GENERATE_BATCH:,}, {sum(calls):.1f} s in all; all
APPROVED). Then, {len(first)} times on one kept-alive connection (`bench/keepalive.py`, http.client, client
side, request sent to the last byte read): an order write, `POST /api/v2/order/fulfill-one` of one of those
orders drawn at random (USPS, from CN; it becomes SHIPPED and moves to the end of the listing by
last_updated), then one `GET /api/v2/order/multi-get?limit=100&start=<random 0..{BIG_ORDERS - ORDER_PAGE_SIZE:,}>`
timed, then one more at another random start. Refused writes, skipped: {result.refused}; connections opened:
{result.connects}. Figures in ms, median / p90 / max:

{rows}"""


def mb(kb: int) -> float:
    return kb * 1024 / 1e6


def memory_section(opts: Options) -> str:
    print(f"memory: {BIG_ORDERS:,} orders, the walk, {opts.memory_reads:,} product reads ...", flush=True)
    server = launch(mockwish_cmd(MEMORY_PORT), unlimited_env(OUT / "memory-data"), MEMORY_PORT, OUT / "memory.log")[0]
    try:
        at_start = keepalive.memory(server.pid)
        ids = catalogue(MEMORY_PORT)[0]
        orders.generate_many(MEMORY_PORT, BIG_ORDERS, GENERATE_BATCH, "memory")
        before = keepalive.memory(server.pid)
        walked = keepalive.walk(MEMORY_PORT)
        after_walk = keepalive.memory(server.pid)
        print(f"memory: walked {walked.pages:,} pages in {walked.seconds:.1f} s", flush=True)
        read_seconds, reads = keepalive.product_reads(MEMORY_PORT, ids, opts.memory_reads)
        after_reads = keepalive.memory(server.pid)
    finally:
        stop(server)
    final = mb(after_reads["RssAnon"])
    MEASURED["memory"] = (f"{final:.0f} MB (before the walk {mb(before['RssAnon']):.0f}, after the walk "
                          f"{mb(after_walk['RssAnon']):.0f}; {len(reads):,} reads)", final < GOAL_MEMORY_MB)
    head = ["point", "RssAnon MB", "VmRSS MB", ""]
    page_p90 = keepalive.AfterWrite.p(walked.page_ms, 0.9)
    rows: list[tuple[str, dict[str, int]]] = [
        ("after start (first 200 on /healthz)", at_start),
        (f"after generating {BIG_ORDERS:,} orders: before the walk", before),
        (f"after the walk: {walked.pages:,} pages, {walked.orders:,} orders in {walked.seconds:.1f} s (page "
         f"median {statistics.median(walked.page_ms):.1f} ms, p90 {page_p90:.1f})", after_walk),
        (f"after {len(reads):,} product reads in {read_seconds:.1f} s (median {statistics.median(reads):.2f} ms)",
         after_reads)]
    body = [[label, f"{mb(m['RssAnon']):.0f}", f"{mb(m['VmRSS']):.0f}", ""] for label, m in rows]
    body[-1][3] = f"target < {GOAL_MEMORY_MB:g} MB: {verdict(final < GOAL_MEMORY_MB)}"
    return f"""## Memory after walking {BIG_ORDERS:,} orders (issue 12)

A fresh store (`MOCKWISH_RATE_LIMIT_ENABLED=false`); its default merchant gets {BIG_ORDERS:,} orders through
the sandbox API; then every page of `GET /api/v2/order/multi-get?limit=100&start=0, 100, …` in order, then
{opts.memory_reads:,} `GET /api/v2/product?id=<random seeded id>`, all on one kept-alive connection.
Anonymous memory of the server process (RssAnon of `/proc/<pid>/status`: heap, not the mapped files; MB
of 10^6 bytes) at each point; peak resident set (VmHWM) over the whole run: {mb(after_reads["VmHWM"]):.0f} MB.

{table(head, body)}"""


# ---- section: WishPost auth and rate limit (issue 4) ----------------------------------------------------

def rate_limit_header(port: int) -> str | None:
    """Wish-Rate-Limit-Remaining of one WishPost token test: present only while the limiter counts."""
    answer = call(port, "GET", WISHPOST_TEST.path, headers={"Authorization": f"Bearer {WISHPOST_TOKEN}"}, timeout=10)
    if answer.status != 200:
        sys.exit(f"WishPost token test answered {answer.status}: {answer.body[:300]!r}")
    return answer.headers.get("wish-rate-limit-remaining")


def wishpost_section(loadgen: LoadGen, rounds: int) -> str:
    data = OUT / "wishpost-data"
    on_server = launch(mockwish_cmd(MOCK_PORT), server_env(data), MOCK_PORT, OUT / "wishpost-on.log")[0]
    off_server = launch(mockwish_cmd(UNLIMITED_PORT), unlimited_env(data), UNLIMITED_PORT,
                        OUT / "wishpost-off.log")[0]
    try:
        counted, uncounted = rate_limit_header(MOCK_PORT), rate_limit_header(UNLIMITED_PORT)
        if counted is None or uncounted is not None:
            sys.exit(f"the WishPost limiter switch is not honoured: Remaining {counted!r} on, {uncounted!r} off")
        bare = loadgen.measure(url(BARE_PORT), 64, "bare-wishpost", WISHPOST_TEST)
        on, off = measure_limiter(loadgen, MOCK_PORT, UNLIMITED_PORT, WISHPOST_TEST, "wishpost", rounds)
    finally:
        stop(on_server)
        stop(off_server)
    return f"""## WishPost auth and rate limit (issue 4)

`GET /wishpost/api/v3/oauth/test` with `Authorization: Bearer {WISHPOST_TOKEN}` at 64 connections:
the WishPost pipeline (token lookup, scope, per-level limiter, v3 envelope). Limiter on: every call
counted against a quota out of reach (`Wish-Rate-Limit-Remaining` answered); off:
`MOCKWISH_RATE_LIMIT_ENABLED=false` (checked: no `Wish-Rate-Limit-Remaining`). On and off alternate, each
figure the median of {rounds} rounds.

{limiter_table(on, off, bare)}"""


CREATE_CONNECTIONS = 16


def parcels_section(opts: Options, loadgen: LoadGen) -> str:
    """Issue 13's measures: create_order of 10 orders a request, tracking of 10 barcodes, a label."""
    if not isinstance(loadgen, Wrk):
        return f"## WishPost parcels (issue 13)\n\n{NEEDS_WRK}"
    server = launch(mockwish_cmd(MOCK_PORT), unlimited_env(OUT / "parcels-data"), MOCK_PORT, OUT / "parcels.log")[0]
    try:
        create = Target("/wishpost/api/v2/create_order", "", script="post_body.lua",
                        body=parcels.write(OUT / "create-order.xml", parcels.create_order_body()))
        barcodes = parcels.seeded_barcodes(MOCK_PORT)
        track = Target("/wishpost/api/v2/tracking", "", script="post_body.lua",
                       body=parcels.write(OUT / "tracking.xml", parcels.tracking_body(barcodes)))
        # 16 connections: each request books 10 parcels in one transaction (~6 ms on the loop), so at 64 the
        # queue alone passes wrk's 5 s timeout for a few requests; the rate is the same
        created = measure_rounds(loadgen, {"bare": BARE_PORT, "mockwish": MOCK_PORT}, create, "create-order",
                                 opts.rounds, conns=CREATE_CONNECTIONS)
        tracked = measure_rounds(loadgen, {"bare": BARE_PORT, "mockwish": MOCK_PORT}, track, "tracking",
                                 opts.rounds)
        labels = parcels.label_times(MOCK_PORT, barcodes[0])
    finally:
        stop(server)
    made = median_point(created["mockwish"]).rps * parcels.ORDERS_PER_REQUEST
    ratio = median_point(tracked["mockwish"]).rps / median_point(tracked["bare"]).rps
    label_ms = parcels.median_ms(labels)
    targets = targets_table([
        (f"create_order, {parcels.ORDERS_PER_REQUEST} orders a request: orders/s", f"{made:,.0f}", ">= 500",
         made >= 500),
        ("tracking, 10 barcodes a request: requests/s / bare", f"{ratio:.2f}", ">= 0.3", ratio >= 0.3),
        ("a label: generate_label (one barcode) then its PDF downloaded, median of "
         f"{len(labels)} (p90 {sorted(labels)[int(len(labels) * 0.9)] * 1000:.1f} ms)", f"{label_ms:.1f} ms",
         "< 20 ms", label_ms < 20),
    ])
    return f"""## WishPost parcels (issue 13)

One mockwish on a fresh store with the rate limiter off (tracking's documented 300 calls a minute per IP and
user would answer 4292 at once), the bare app answering a constant XML document on the same paths;
{CREATE_CONNECTIONS} connections for create_order, 64 for tracking, {opts.rounds} rounds each, medians.
create_order POSTs the same {parcels.ORDERS_PER_REQUEST} valid EPC orders every time (each request books
{parcels.ORDERS_PER_REQUEST} new parcels); tracking asks for 10 parcels made through the sandbox, in
Shipping (four events each; their renders are kept until the next event); the label is timed on one kept-alive
connection.

### create_order

{rounds_table(created)}

### tracking

{rounds_table(tracked)}

### Targets

{targets}"""


def backoffice_section(opts: Options, loadgen: LoadGen) -> str:
    """Issue 14: a bag of 1,000 codes, get_order_payment of 100 ids against bare, a statement of 10,000 charges."""
    if loadgen.name != "wrk":
        return f"## WishPost back office (issue 14)\n\n{NEEDS_WRK}"
    server = launch(mockwish_cmd(MOCK_PORT), unlimited_env(OUT / "backoffice-data"), MOCK_PORT,
                    OUT / "backoffice.log")[0]
    try:
        bags = backoffice.bag_times(MOCK_PORT)
        pay = Target("/wishpost/api/v3/get_order_payment", "", script="post_body.lua",
                     body=backoffice.write(OUT / "payment.json", backoffice.payment_body(MOCK_PORT)),
                     content_type="application/json")
        paid = measure_rounds(loadgen, {"bare": BARE_PORT, "mockwish": MOCK_PORT}, pay, "payment", opts.rounds)
        statement, size = backoffice.statement_seconds(MOCK_PORT)
    finally:
        stop(server)
    bag_ms = backoffice.median_ms(bags)
    ratio = median_point(paid["mockwish"]).rps / median_point(paid["bare"]).rps
    targets = targets_table([
        (f"orders_bag/create with {backoffice.BAG_CODES:,} logistics codes, median of {len(bags)} "
         f"(max {max(bags) * 1000:.0f} ms)", f"{bag_ms:.0f} ms", "< 200 ms", bag_ms < 200),
        (f"get_order_payment with {backoffice.PAYMENT_IDS} tracking ids: requests/s / bare", f"{ratio:.2f}",
         ">= 0.2", ratio >= 0.2),
        (f"a statement over {backoffice.STATEMENT_CHARGES:,} charges: download, check-status until complete "
         f"(the clock moved on), the .xlsx ({size / 1024:,.0f} KiB) downloaded", f"{statement:.2f} s", "< 5 s",
         statement < 5),
    ])
    return f"""## WishPost back office (issue 14)

One mockwish on a fresh store with the rate limiter off. The bags are timed on one kept-alive connection,
each over {backoffice.BAG_CODES:,} Accepted EPC parcels bound for hub 3001, made through the sandbox
beforehand (the time is the request sent to the answer read; every bag is made). get_order_payment POSTs
the same {backoffice.PAYMENT_IDS} ids of parcels in Shipping (each with its logistics charge) at 64
connections, {opts.rounds} rounds against the bare app's constant v3 body on the same path. The statement
covers {backoffice.STATEMENT_CHARGES:,} parcels in Shipping made through the sandbox.

### get_order_payment

{rounds_table(paid)}

### Targets

{targets}"""


# ---- section: control (issue 16: the journal's and the fault matcher's cost) -----------------------------------

def load_rules(port: int, count: int) -> None:
    """`count` fault rules that the product read never matches but has to look at: every kind of condition."""
    for n in range(count):
        rule: dict[str, object] = [
            {"path": f"/api/v2/never-{n}", "status": 503},
            {"path": f"/api/v2/product/never-{n}*", "code": 1056},
            {"method": "POST", "path": "/api/v2/product", "latency_ms": 5},
            {"surface": "wishpost", "status": 502},
            {"path": "/api/v2/product", "params": {"id": f"{n:024x}"}, "code": 1000},
        ][n % 5]
        req = urllib.request.Request(f"{url(port)}/sandbox/api/faults", data=json.dumps(rule).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
        with urllib.request.urlopen(req, timeout=10) as r:
            assert r.status == 200


def sandbox_call(port: int, method: str, path: str, body: object | None = None) -> None:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(f"{url(port)}{path}", data=data, headers={"Content-Type": "application/json"},
                                 method=method)
    with urllib.request.urlopen(req, timeout=30) as r:
        assert r.status == 200, (path, r.status)


def control_section(opts: Options, loadgen: LoadGen, ids_file: Path) -> str:
    """Issue 16: the product read with the journal off, on (the default), and on with FAULT_RULES rules loaded,
    in one process switched between the three through the sandbox API before each measurement."""
    env = unlimited_env(OUT / "control-data")
    server = launch(mockwish_cmd(MOCK_PORT), env, MOCK_PORT, OUT / "control.log")[0]
    rules = f"journal on, {FAULT_RULES} fault rules"

    def state(journal: bool, with_rules: bool) -> Callable[[], None]:
        def put() -> None:
            sandbox_call(MOCK_PORT, "DELETE", "/sandbox/api/faults")
            sandbox_call(MOCK_PORT, "DELETE", "/sandbox/api/requests")
            sandbox_call(MOCK_PORT, "POST", "/sandbox/api/requests/settings", {"enabled": journal})
            if with_rules:
                load_rules(MOCK_PORT, FAULT_RULES)
        return put
    try:
        ids = catalogue(MOCK_PORT)[0]
        ids_file.write_text("\n".join(ids) + "\n")
        check_product_read(MOCK_PORT, ids[0])
        points = measure_rounds(loadgen, {"journal off": MOCK_PORT, "journal on": MOCK_PORT, rules: MOCK_PORT},
                                PRODUCT_READ, "control", opts.rounds,
                                prepare={"journal off": state(False, False), "journal on": state(True, False),
                                         rules: state(True, True)}, rotate=True)
    finally:
        stop(server)
    off_p, on_p, rules_p = (median_point(points[name]) for name in ("journal off", "journal on", rules))
    journal_cost, rules_cost = 1 - on_p.rps / off_p.rps, 1 - rules_p.rps / on_p.rps
    targets = targets_table([
        ("the journal's cost: 1 - requests/s journal on / off", f"{journal_cost:.1%}", "< 10 %",
         journal_cost < 0.10),
        (f"the fault matcher with {FAULT_RULES} rules loaded: 1 - requests/s with them / without", f"{rules_cost:.1%}",
         "", None),
    ])
    return f"""## Journal and faults (issue 16)

The product read (random ids of the default merchant, rate limiter off) at 64 connections, {opts.rounds} rounds,
each measuring in turn one mockwish process in three states, set through the sandbox API before each
measurement: the request journal off (`POST /sandbox/api/requests/settings {{"enabled": false}}`), on (the
default, emptied first, so the ring fills during the measurement as it does in use), and on with {FAULT_RULES}
fault rules loaded, none of which the read matches (paths, globs, methods, surfaces and parameter values it must
look at). One process: no difference between processes (memory layout, a slower start) lands on one side;
each round starts one state later, so each state is measured first, second and third once (in a round, the
same state measured twice in a row differed by up to 4 %: the place alone biased the first figure of this
section, 14 %).

{rounds_table(points, reference="journal off")}

{targets}"""


# ---- section: tenants (issue 16: creation, the first request, reset, memory per tenant) ----------------------

MEMORY_TENANTS = 50  # small tenants created, and kept, between the two memory readings


def tenants_env() -> dict[str, str]:
    """server_env with the settings this section measures at their defaults, whatever the shell exports."""
    env = server_env(OUT / "tenants-data")
    for name in ("MOCKWISH_PRODUCTS_PER_MERCHANT", "MOCKWISH_MAX_TENANTS", "MOCKWISH_TENANT_READ_CACHE_BYTES",
                 "MOCKWISH_SEED"):
        env.pop(name, None)
    return env


def tenant_defaults() -> str:
    from mockwish.config import Settings

    fields = Settings.model_fields
    return (f"{fields['products_per_merchant'].default} products per merchant, at most "
            f"{fields['max_tenants'].default} tenants")


def read_cache_mb() -> float:
    from mockwish.config import Settings

    return int(Settings.model_fields["tenant_read_cache_bytes"].default) / 1e6


def files_bytes(folder: Path, pattern: str) -> int:
    return sum(f.stat().st_size for f in folder.glob(pattern) if f.is_file())


def tenants_section(opts: Options) -> str:
    """Issue 16: tenant creation of each kind (cold and in rounds), the first request with the new token, a
    tenant's reset, and the server's memory per small tenant."""
    load_before = load_average()
    env, port = tenants_env(), TENANTS_PORT
    kinds = tenants.KINDS
    small, full = kinds[1], kinds[2]
    # the default data seeded once first: no cold server below pays for it (nor imports what seeding imports)
    stop(launch(mockwish_cmd(port), env, port, OUT / "tenants-seed.log")[0])
    cold: dict[str, tenants.Created] = {}
    for n, kind in enumerate(kinds):
        print(f"tenants: {kind.label} on a freshly started server ...", flush=True)
        server = launch(mockwish_cmd(port), env, port, OUT / f"tenants-cold-{n}.log")[0]
        try:
            cold[kind.label] = tenants.first_only(port, kind)
        finally:
            stop(server)
    server = launch(mockwish_cmd(port), env, port, OUT / "tenants.log")[0]
    try:
        rounds: dict[str, tenants.Round] = {}
        for kind in kinds:
            runs = opts.tenant_full_runs if kind.runs_full else opts.tenant_runs
            rounds[kind.label] = tenants.one_round(port, kind, runs)
            got = rounds[kind.label]
            print(f"tenants: {kind.label}: first {got.first.create_s * 1000:.1f} ms, then "
                  f"{tenants.summary_ms(got.create_ms())} ms (median / p95 / max of {runs})", flush=True)
        resets = {kind.label: tenants.resets(port, kind, runs + 1)
                  for kind, runs in ((small, opts.tenant_runs), (full, opts.tenant_full_runs))}
        tenants.delete_all(port)
        print(f"tenants: memory, {MEMORY_TENANTS} small tenants ...", flush=True)
        mem_before = keepalive.memory(server.pid)
        made = tenants.many(port, small, MEMORY_TENANTS)
        mem_after = keepalive.memory(server.pid)
        folder = OUT / "tenants-data" / "tenants"
        disk = files_bytes(folder, "*.db*")
        deleted, delete_s = tenants.delete_all(port)
        mem_deleted = keepalive.memory(server.pid)
        again = tenants.many(port, small, MEMORY_TENANTS)  # memory given back, or kept by the deleted ones?
        mem_again = keepalive.memory(server.pid)
        deleted_again, delete_again_s = tenants.delete_all(port)
        mem_deleted_again = keepalive.memory(server.pid)
    finally:
        stop(server)
    load_after = load_average()

    def ms(seconds: float) -> str:
        return f"{seconds * 1000:.1f}"

    rows = []
    for kind in kinds:
        got, first = rounds[kind.label], cold[kind.label]
        rows.append([kind.label, f"{ms(first.create_s)} / {ms(first.auth_s)}",
                     f"{ms(got.first.create_s)} / {ms(got.first.auth_s)}", str(len(got.runs)),
                     tenants.summary_ms(got.create_ms()), tenants.summary_ms(got.auth_ms()),
                     f"{ms(got.delete_s)} ({got.deleted})",
                     "" if kind.target_ms is None else f"< {kind.target_ms:g} ms"])
    creation = table(["tenant", "first on a fresh server: create / auth_test", "first of its kind here: create / "
                      "auth_test", "N", "create: median / p95 / max", "first auth_test: median / p95 / max",
                      "DELETE all (tenants)", "target"], rows)
    reset_rows = [[label, ms(times[0]), str(len(times) - 1), tenants.summary_ms([t * 1000 for t in times[1:]])]
                  for label, times in resets.items()]
    resets_table = table(["tenant", "first reset", "N", "then: median / p95 / max"], reset_rows)
    per_tenant_kb = (mem_after["RssAnon"] - mem_before["RssAnon"]) / MEMORY_TENANTS
    made_ms = [c.create_s * 1000 for c in made]
    tenth = max(1, MEMORY_TENANTS // 5)
    memory_rows = [[label, f"{mb(m['RssAnon']):.1f}", f"{mb(m['VmRSS']):.1f}"] for label, m in (
        ("before (the rounds above run, every tenant deleted)", mem_before),
        (f"after creating {MEMORY_TENANTS} small tenants (kept)", mem_after),
        (f"after deleting them ({deleted}, `DELETE /sandbox/api/tenants` {ms(delete_s)} ms)", mem_deleted),
        (f"after creating {len(again)} more small tenants (kept)", mem_again),
        (f"after deleting those ({deleted_again}, {ms(delete_again_s)} ms)", mem_deleted_again))]
    memory_table = table(["point", "RssAnon MB", "VmRSS MB"], memory_rows)

    target_rows: list[tuple[str, str, str, bool | None]] = []
    for kind in kinds:
        got, first = rounds[kind.label], cold[kind.label]
        med = statistics.median(got.create_ms())
        goal = kind.target_ms
        target_rows.append((f"{kind.label}: creation, median of {len(got.runs)} (p95 "
                            f"{tenants.p(got.create_ms(), 0.95):.1f} ms)", f"{med:.1f} ms",
                            "" if goal is None else f"< {goal:g} ms", None if goal is None else med < goal))
        target_rows.append((f"{kind.label}: the first creation on a freshly started server",
                            f"{ms(first.create_s)} ms", "" if goal is None else f"< {goal:g} ms",
                            None if goal is None else first.create_s * 1000 < goal))
    target_rows.append((f"for reference: the server's RssAnon per small tenant ({MEMORY_TENANTS} created, kept)",
                        f"{per_tenant_kb * 1024 / 1e6:.2f} MB", "", None))
    targets = targets_table(target_rows)
    return f"""## Tenants (issue 16)

One mockwish on a data dir whose default data was seeded beforehand (`MOCKWISH_RATE_LIMIT_QUOTA` raised as
everywhere; the tenant settings at their defaults: {tenant_defaults()}; a tenant's store is
`<data dir>/tenants/<id>.db`). Every call on one kept-alive connection (`bench/tenants.py`, http.client),
timed from the request sent to the last byte of its answer read, in ms. Each creation is `POST
/sandbox/api/tenants` with the kind's body (201 checked), followed at once by `GET
/api/v2/auth_test?access_token=<its token>` (code 0 and the tenant's merchant checked). "First on a fresh
server": each kind created once on its own freshly started server (first 200 on `/healthz`, then the
creation: first imports, first seeding of that kind). Then, on one server, kind after kind in the order of
the table: its first creation there (after the kinds above it), then N more, then `DELETE
/sandbox/api/tenants`. p95: nearest rank (of 5, the largest). Load average {load_before} before the section,
{load_after} after it.

{creation}

Reset (`POST /sandbox/api/tenants/{{id}}/reset`) of one tenant, again and again: a small tenant's seeded
snapshot is kept and copied back; a full tenant's is not (tens of MB each), so its reset seeds it again.

{resets_table}

Memory (RssAnon of `/proc/<pid>/status`, MB of 10^6 bytes): {MEMORY_TENANTS} small tenants created in a row
and kept, none of them read from (each tenant's read cache may grow to {read_cache_mb():.1f} MB as it
serves reads, `MOCKWISH_TENANT_READ_CACHE_BYTES`): **{per_tenant_kb:,.0f}
kB of RssAnon per tenant**; on disk, {disk / MEMORY_TENANTS / 1e3:,.0f} kB per tenant (its SQLite file and
WAL). Those {MEMORY_TENANTS} creations, with 0 to {MEMORY_TENANTS - 1} tenants alive: {tenants.summary_ms(made_ms)} ms
(median / p95 / max; the first {tenth}: median {statistics.median(made_ms[:tenth]):.1f} ms, the last {tenth}:
{statistics.median(made_ms[-tenth:]):.1f} ms).

{memory_table}

### Targets

{targets}"""


# ---- the targets of issue 12 ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Goal:
    key: str  # in MEASURED and bench/targets-last.json
    measure: str
    target: str
    sections: tuple[str, ...]  # the --only sections that measure it


GOALS = (
    Goal("stack", "server stack: event loop and HTTP implementation each server process loaded "
         "(`/proc/<pid>/maps`)", "uvloop and httptools, mockwish and the bare app", ()),
    Goal("read_ratio", "product read (`GET /api/v2/product?id=<random seeded id>`) / bare, requests/s",
         f">= {GOAL_READ:g}", ("products", "prism")),
    Goal("read_prism", "product read / Prism serving a static example (same rounds)", f">= {GOAL_PRISM:g}",
         ("prism",)),
    Goal("mix_ratio", "90/10 mix: product reads and `POST /api/v2/variant/update-inventory`, chosen per request "
         "(`bench/mix.lua`) / bare", f">= {GOAL_MIX:g}", ("mix",)),
    Goal("write_ratio", "`POST /api/v2/variant/update-inventory` alone / bare", f">= {GOAL_WRITES:g}", ("writes",)),
    Goal("orders_ratio", "order multi-get, limit 100, random start, 10,000 orders / bare", f">= {GOAL_ORDERS:g}",
         ("orders",)),
    Goal("after_write", f"the first order multi-get (limit 100, random start) after an order write "
         f"(fulfill-one), {BIG_ORDERS:,} orders, client side", f"< {GOAL_AFTER_WRITE_MS:g} ms (median)",
         ("afterwrite",)),
    Goal("read_p99", "product read p99 / the bare app's p99 (same rounds)", f"<= {GOAL_P99:g}", ("products", "prism")),
    Goal("memory", f"RssAnon of mockwish after walking every multi-get page of {BIG_ORDERS:,} orders, then "
         "10,000 random product reads (`--memory-reads`)", f"< {GOAL_MEMORY_MB:g} MB", ("memory",)),
    Goal("startup", "process start to the first 200 on /healthz, existing data dir: mockwish / bare (medians "
         "of 5 each, alternating; `--startup-runs`)", f"<= {GOAL_STARTUP:g}", ("products",)),
)
MEASURED: dict[str, tuple[str, bool | None]] = {}  # Goal.key -> (value, met); None: measured without a verdict


def stack_goal() -> None:
    seen = stacks_seen()
    wanted = "uvloop loop, httptools HTTP"
    met = all(k in seen and seen[k][0] == wanted for k in ("mockwish", "bare"))
    MEASURED["stack"] = (stack_line(), met)


def previous_targets() -> dict[str, Any]:
    try:
        return json.loads(LAST_TARGETS.read_text())
    except (OSError, ValueError):
        return {}


def goals_table(previous: dict[str, Any]) -> str:
    values = previous.get("values", {})
    rows = []
    for g in GOALS:
        how = " or ".join(f"`--only {name}`" for name in g.sections)
        value, ok = MEASURED.get(g.key, (f"not measured in this run ({how})", None))
        rows.append([g.measure, value, g.target, "" if ok is None else verdict(ok), values.get(g.key, "not measured")])
    return table(["measure", "value", "target", "", f"previous ({previous.get('written', 'none')})"], rows)


def save_targets(written: str) -> None:
    values = {g.key: MEASURED[g.key][0] + ("" if MEASURED[g.key][1] is None else
                                           " (met)" if MEASURED[g.key][1] else " (missed)")
              for g in GOALS if g.key in MEASURED}
    LAST_TARGETS.write_text(json.dumps({"written": written, "by": "bench/run.py, full run", "values": values},
                                       indent=2, ensure_ascii=False) + "\n")


# ---- RESULTS.md ------------------------------------------------------------------------------------------

README = """\
## How to run

`make bench` (or `.venv/bin/python bench/run.py`); about 12 minutes on 2 cores. Options: `--only
products|prism|orders|mix|writes|afterwrite|memory|wishpost|parcels|backoffice|control|tenants` (repeatable; a
partial run writes
`bench/out/RESULTS-partial.md` and leaves this file and `bench/targets-last.json` alone), `--duration`
seconds per point (10), `--warmup` seconds before each point (3), `--rounds` at 64 connections (3),
`--loadgen auto|wrk|python` (auto: wrk, installed with apt-get when missing and running as root; else
`bench/loadgen.py`, which cannot run the mix and writes sections), `--startup-runs` (5), `--seed-runs`,
`--generate-runs`, `--afterwrite-runs` (50), `--memory-reads` (10,000), `--tenant-runs` (20),
`--tenant-full-runs` (5). `bench/profile_read.py` profiles
mockwish's product read under the same load with py-spy (`.venv/bin/pip install py-spy`; output in
`bench/out/profile.txt`). Neither is part of the test suite.

What it does, in one run. Every server is one process: (a) `bench/bare_app.py`, a bare FastAPI app answering
the constant envelope `{"code":0,"data":{},"message":""}` on every measured path (GETs and the `POST
/api/v2/variant/update-inventory` write, whose body it does not read), and (b) `mockwish serve`, both run by
uvicorn the same way (a socket bound with IPPROTO_TCP handed to `uvicorn.Server.run`, loop and HTTP "auto",
one worker, log level warning, no access log), and both on mockwish's HTTP protocol, which writes each
connection's answers when the event loop turns (`mockwish/deferred_writes.py`, mockwish's default); (c) the
bare app on uvicorn's own protocol, which writes an answer's head and body there and then, is a reference row
in the rounds of the product read, the orders, the mix and the writes (start-up times the bare app on it); the
stack each process actually loaded is read from `/proc/<pid>/maps`. Points are a warm-up and a measured run of
wrk (`-t2`). At 64 connections the servers compared are loaded in rounds, one after the other, `--rounds`
times, and each figure is the median of its rounds; ratios are mockwish's requests/s over the other server's,
in the same rounds. Products: seeds a fresh data dir under `bench/out/` (timing `mockwish seed` and the
in-process seed), starts mockwish and the bare app on it alternately to time process start to the first 200 on
`/healthz` with the existing database, then one point each at 8 connections and rounds at 64 of (a), (b), (b)
with the Merchant rate limiter off and, with the prism section, Prism; every request asks `GET
/api/v2/product?id=<random id>&access_token=an_example_access_token`, the id drawn per request by
`bench/random_ids.lua` from the default merchant's seeded products as multi-get lists them (rejected ones are
not listed); the bare app and Prism ignore the query. Prism: `@stoplight/prism-cli`, installed by `npm install
--prefix bench/out/prism` when missing (kept between runs), `prism mock -v warn` on
`bench/prism_product.json`, one path with one static example (a product as mockwish answers it). Orders: a
fresh store, 10,000 orders for the default merchant through the sandbox API, then the same points on `GET
/api/v2/order/multi-get?limit=100&start=<random 0..9900>` (the Lua script draws the offset); then another
fresh store grown to 100,000 orders in 10 sandbox calls (each timed), and one order download job followed with
the real clock and default job times to its CSV read to the last byte; `generate()` is also timed inside a
process. Mix and writes: a fresh store each, rounds of `bench/mix.lua` (90 % reads and 10 % inventory writes
chosen per request, or writes only) against (a). Afterwrite and memory: a fresh store each (rate limiter off)
grown to 100,000 orders, then `bench/keepalive.py` on one kept-alive connection: N order writes each followed
by a timed multi-get page; or every multi-get page in order and 10,000 product reads, reading the server's
RssAnon in between. WishPost: two servers on one store, limiter on and off, and the bare app, on `GET
/wishpost/api/v3/oauth/test` with the Bearer header. mockwish runs with `MOCKWISH_RATE_LIMIT_QUOTA` and
`MOCKWISH_WISHPOST_RATE_LIMIT_QUOTA` raised so that the load never trips its rate limiters (the bookkeeping is
still paid on every call) and `MOCKWISH_WISHPOST_PORT=0`. Any error or non-2xx answer under load aborts the
run. The load generator shares the 2 cores with the server (wrk takes most of one, uvicorn is one process on
the other), equally for both apps, so compare the ratio rather than the absolute figures. """


def kept_notes() -> str:
    if RESULTS.exists():
        text = RESULTS.read_text()
        if NOTES_MARKER in text:
            return text[text.index(NOTES_MARKER):]
    return NOTES_MARKER + "\n"


def write_results(info: dict[str, str], sections: list[str], opts: Options, target: Path, written: str,
                  previous: dict[str, Any]) -> None:
    machine_lines = "\n".join(f"- {k}: {v}" for k, v in info.items())
    body = "\n\n".join(sections)
    text = f"""# Benchmark results

Written by `make bench` (`bench/run.py`) on {written}, load generator **{info["Load generator"]}**,
{opts.warmup} s warm-up and {opts.duration} s per point, {opts.rounds} rounds at 64 connections,
sections: {", ".join(opts.only)}.

{machine_lines}

## Targets (issue 12)

64 connections; ratios are mockwish's requests/s over the bare app's (or Prism's), medians of the rounds
of the same run (sections below). "previous": the figures of the last full run, kept in
`bench/targets-last.json` (every full run rewrites it with this file; partial runs leave it alone).

{goals_table(previous)}

{body}

Raw output: `bench/out/` (not committed).

{README}
{kept_notes()}"""
    target.write_text(text)


# ---- main ------------------------------------------------------------------------------------------------

def parse_args() -> Options:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=10, help="measured seconds per point")
    parser.add_argument("--warmup", type=int, default=3, help="warm-up seconds before each point")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of the servers compared at 64 connections")
    parser.add_argument("--loadgen", choices=("auto", "wrk", "python"), default="auto")
    parser.add_argument("--startup-runs", type=int, default=5)
    parser.add_argument("--seed-runs", type=int, default=3)
    parser.add_argument("--generate-runs", type=int, default=3, help="timed generations of 10,000 orders")
    parser.add_argument("--afterwrite-runs", type=int, default=50, help="writes each followed by a timed multi-get")
    parser.add_argument("--memory-reads", type=int, default=10_000, help="product reads after the walk")
    parser.add_argument("--tenant-runs", type=int, default=20,
                        help="tenant creations of each kind after its first (and resets of a small tenant)")
    parser.add_argument("--tenant-full-runs", type=int, default=5,
                        help="the same for `full` tenants (creations and resets)")
    parser.add_argument("--only", choices=SECTIONS, action="append",
                        help="run only this section (repeatable); writes bench/out/RESULTS-partial.md")
    args = parser.parse_args()
    only = tuple(s for s in SECTIONS if s in (args.only or SECTIONS))
    return Options(args.duration, args.warmup, args.loadgen, args.startup_runs, args.seed_runs, only,
                   args.generate_runs, max(1, args.rounds), args.afterwrite_runs, args.memory_reads,
                   max(1, args.tenant_runs), max(1, args.tenant_full_runs))


def clear_out() -> None:
    """bench/out/ emptied, except Prism's npm install."""
    OUT.mkdir(parents=True, exist_ok=True)
    for entry in OUT.iterdir():
        if entry == PRISM_DIR:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()


def main() -> None:
    opts = parse_args()
    clear_out()
    started, load_before = time.perf_counter(), load_average()
    previous = previous_targets()
    ids_file = OUT / "ids.txt"
    loadgen = pick_loadgen(opts, ids_file)
    info = machine(loadgen)
    print(f"load generator: {info['Load generator']}; sections: {', '.join(opts.only)}; load average {load_before}",
          flush=True)
    sections: list[str] = []
    bare = launch(bare_cmd(BARE_PORT), server_env(OUT / "bare-data"), BARE_PORT, OUT / "bare.log")[0]
    stock = launch(bare_cmd(STOCK_PORT, deferred=False), server_env(OUT / "bare-data"), STOCK_PORT,
                   OUT / "bare-stock.log")[0]
    try:
        if "products" in opts.only:
            sections.append(products_section(opts, loadgen, ids_file))
        elif "prism" in opts.only:
            sections.append(prism_section(opts, loadgen, ids_file))
        if "orders" in opts.only:
            sections.append(orders_section(opts, loadgen))
        if "mix" in opts.only:
            sections.append(mix_section(opts, loadgen))
        if "writes" in opts.only:
            sections.append(writes_section(opts, loadgen))
        if "afterwrite" in opts.only:
            sections.append(afterwrite_section(opts))
        if "memory" in opts.only:
            sections.append(memory_section(opts))
        if "wishpost" in opts.only:
            sections.append(wishpost_section(loadgen, opts.rounds))
        if "parcels" in opts.only:
            sections.append(parcels_section(opts, loadgen))
        if "backoffice" in opts.only:
            sections.append(backoffice_section(opts, loadgen))
        if "control" in opts.only:
            sections.append(control_section(opts, loadgen, ids_file))
        if "tenants" in opts.only:
            sections.append(tenants_section(opts))
    finally:
        stop(bare)
        stop(stock)
    stack_goal()
    info["Server stack, as loaded by each server process (`/proc/<pid>/maps`)"] = stack_line()
    info["Load average (1, 5, 15 min)"] = (f"**{load_before}** before the run, **{load_average()}** after it "
                                           "(other work on the machine moves the absolute figures)")
    info["Run time"] = f"{(time.perf_counter() - started) / 60:.1f} min"
    written = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    full = opts.only == SECTIONS
    target = RESULTS if full else OUT / "RESULTS-partial.md"
    write_results(info, sections, opts, target, written, previous)
    if full:
        save_targets(written)
    print("\n\n".join(sections))
    print(goals_table(previous))
    print(f"wrote {target.relative_to(ROOT)}" + (f" and {LAST_TARGETS.relative_to(ROOT)}" if full else ""))


if __name__ == "__main__":
    main()
