"""`make bench`: mockwish against a bare FastAPI endpoint, with the same load generator, in one run.

Sections (all by default; `--only` picks some):
- products: requests/s and p50/p99 latency at 8 and 64 connections for (a) bench/bare_app.py and (b)
  mockwish's GET /api/v2/product?id=<random seeded id>; the time from process start to the first 200 on
  /healthz with an existing database; the time to seed the default data set; the Merchant rate limiter's cost.
- orders: GET /api/v2/order/multi-get?limit=100&start=<random> against a merchant holding 10,000
  generated orders, against the bare endpoint; the generation time of 10,000 orders; an order download
  job over 100,000 orders with the real clock, to its CSV fully served.
- wishpost: the WishPost auth and rate-limit path (GET /wishpost/api/v3/oauth/test, Bearer) with the
  limiter on and off (MOCKWISH_RATE_LIMIT_ENABLED=false).
Writes bench/RESULTS.md after a full run (the notes below its marker line are kept), or
bench/out/RESULTS-partial.md after an `--only` run; raw output goes to bench/out/ (gitignored). Never part
of the test suite. Options: see `python bench/run.py --help`."""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata, util
from pathlib import Path
from typing import Protocol

import orders
from client import call, get_json

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
OUT = BENCH / "out"
RESULTS = BENCH / "RESULTS.md"
NOTES_MARKER = "<!-- Notes below this line are kept by bench/run.py; edit them by hand. -->"
PY = sys.executable
TOKEN = "an_example_access_token"
WISHPOST_TOKEN = "an_example_wishpost_token"
PRODUCT_PATH = "/api/v2/product"
CONNECTIONS = (8, 64)
RATE_LIMIT_QUOTA = 1_000_000_000  # calls per window: far above what any point sends
BARE_PORT, MOCK_PORT, STARTUP_PORT, UNLIMITED_PORT, DOWNLOAD_PORT = 18081, 18082, 18083, 18084, 18085
SECTIONS = ("products", "orders", "wishpost")
ORDERS, ORDER_PAGE_SIZE = 10_000, 100  # multi-get: the merchant's generated orders, orders per page
DOWNLOAD_ORDERS, GENERATE_BATCH = 100_000, 10_000  # the download job's orders, made in calls of this size
TARGET_LIMIT_LOSS = 0.10
TARGET_RATIO, TARGET_P99_MS, TARGET_STARTUP_S, TARGET_SEED_S = 0.5, 25.0, 1.0, 5.0
TARGET_ORDERS_RATIO, TARGET_DOWNLOAD_S = 0.3, 10.0


@dataclass(frozen=True)
class Point:
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int


@dataclass(frozen=True)
class Options:
    duration: int
    warmup: int
    loadgen: str
    startup_runs: int
    seed_runs: int
    only: tuple[str, ...] = SECTIONS
    generate_runs: int = 3


@dataclass(frozen=True)
class Target:
    """What every request of a point asks: GET <path>?<query>, the query's placeholders drawn per request
    (`{id}` a random id of the ids file, `{start}` a random integer in 0..start_max, `{token}` the token:
    bench/random_ids.lua for wrk, bench/loadgen.py otherwise), with one extra header when set."""

    path: str
    query: str
    start_max: int = 0
    header: str = ""


PRODUCT_READ = Target(PRODUCT_PATH, "id={id}&access_token={token}")
ORDER_PAGE = Target("/api/v2/order/multi-get", f"limit={ORDER_PAGE_SIZE}&start={{start}}&access_token={{token}}",
                    start_max=ORDERS - ORDER_PAGE_SIZE)
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
    return Point(rps=float(_field(r"Requests/sec:\s+([\d.]+)", text)),
                 p50_ms=_to_ms(_field(r"\s50%\s+(\S+)", text)),
                 p99_ms=_to_ms(_field(r"\s99%\s+(\S+)", text)),
                 requests=int(_field(r"(\d+) requests in", text)))


class Wrk:
    name = "wrk"

    def __init__(self, binary: str, ids: Path, warmup: int, duration: int) -> None:
        self.binary, self.ids, self.warmup, self.duration = binary, ids, warmup, duration

    def version(self) -> str:
        out = subprocess.run([self.binary, "-v"], capture_output=True, text=True, check=False)
        return (out.stdout or out.stderr).splitlines()[0].split(" Copyright")[0].strip()

    def _run(self, base_url: str, conns: int, seconds: int, target: Target) -> str:
        cmd = [self.binary, "-t2", f"-c{conns}", f"-d{seconds}s", "--latency", "--timeout", "5s",
               "-s", str(BENCH / "random_ids.lua"), base_url]
        env = {**os.environ, "BENCH_IDS": str(self.ids), "BENCH_PATH": target.path, "BENCH_TOKEN": TOKEN,
               "BENCH_QUERY": target.query, "BENCH_START_MAX": str(target.start_max), "BENCH_HEADER": target.header}
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
        cmd = [PY, str(BENCH / "loadgen.py"), base_url, "--path", target.path, "--token", TOKEN,
               "--query", target.query, "--start-max", str(target.start_max), "--header", target.header,
               "--ids", str(self.ids), "--connections", str(conns), "--duration", str(self.duration),
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


def bare_cmd(port: int) -> list[str]:
    return [PY, str(BENCH / "bare_app.py"), "--host", "127.0.0.1", "--port", str(port)]


def healthy(port: int) -> bool:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
    try:
        conn.request("GET", "/healthz")
        return conn.getresponse().status == 200
    except OSError:
        return False
    finally:
        conn.close()


def launch(cmd: list[str], env: dict[str, str], port: int, log: Path) -> tuple[subprocess.Popen[bytes], float]:
    """Starts a server and returns it with the seconds from process start to the first 200 on /healthz."""
    with log.open("wb") as sink:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT)
    while time.perf_counter() - started < 60:
        if proc.poll() is not None:
            sys.exit(f"{cmd} exited with {proc.returncode}; see {log}")
        if healthy(port):
            return proc, time.perf_counter() - started
        time.sleep(0.005)
    proc.kill()
    sys.exit(f"{cmd} did not answer /healthz within 60 s; see {log}")


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def startup_times(cmd: list[str], env: dict[str, str], port: int, runs: int, label: str) -> list[float]:
    times = []
    for n in range(runs):
        proc, seconds = launch(cmd, env, port, OUT / f"startup-{label}-{n}.log")
        stop(proc)
        times.append(seconds)
    return times


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
    """Every product id of the default merchant, read page by page through multi-get."""
    ids: list[str] = []
    while True:
        page = get_json(port, f"{PRODUCT_PATH}/multi-get?limit=250&start={len(ids)}&access_token={TOKEN}", 10)["data"]
        ids += [p["Product"]["id"] for p in page]
        if len(page) < 250:
            return ids


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


def machine(loadgen: LoadGen) -> dict[str, str]:
    generator = loadgen.version() if isinstance(loadgen, Wrk) else loadgen.name
    return {
        "CPU": f"{cpu_model()}, {os.cpu_count()} cores (load average before the run: {os.getloadavg()[0]:.2f})",
        "OS": f"{platform.system()} {platform.release()}",
        "Python": f"{platform.python_version()} ({platform.python_implementation()})",
        "Packages": versions(),
        "uvicorn": f"one worker, {uvicorn_impl()}, log level warning, no access log (both servers)",
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


def measure_pair(loadgen: LoadGen, port: int, target: Target, label: str) -> dict[int, tuple[Point, Point]]:
    """(bare, mockwish) at each of CONNECTIONS, bare first, the same target and load generator."""
    results: dict[int, tuple[Point, Point]] = {}
    for conns in CONNECTIONS:
        a = loadgen.measure(url(BARE_PORT), conns, f"bare-{label}", target)
        b = loadgen.measure(url(port), conns, label, target)
        results[conns] = (a, b)
        print(f"{label} {conns:>3} connections: bare {a.rps:7.0f} rps p50 {a.p50_ms:5.2f} p99 {a.p99_ms:5.2f} ms | "
              f"mockwish {b.rps:7.0f} rps p50 {b.p50_ms:5.2f} p99 {b.p99_ms:5.2f} ms | ratio {b.rps / a.rps:.2f}",
              flush=True)
    return results


LIMITER_ROUNDS = 3  # on and off alternate, each point the median of its rounds: a few % separate them


def measure_limiter(loadgen: LoadGen, on_port: int, off_port: int, target: Target, label: str) -> tuple[Point, Point]:
    """The same target at 64 connections with the limiter on (every call counted, none refused: the quota
    is out of reach) and off (MOCKWISH_RATE_LIMIT_ENABLED=false). The two alternate for LIMITER_ROUNDS
    rounds and each keeps its median round by requests/s, so a drift of the machine during the run (seen
    here: ±7 % between back-to-back single points) does not land on one side only."""
    ons, offs = [], []
    for n in range(LIMITER_ROUNDS):
        ons.append(loadgen.measure(url(on_port), 64, f"{label}-limits-on-{n}", target))
        offs.append(loadgen.measure(url(off_port), 64, f"{label}-limits-off-{n}", target))
    on, off = (sorted(points, key=lambda p: p.rps)[len(points) // 2] for points in (ons, offs))
    print(f"{label}: rate limits on {on.rps:.0f} rps, off {off.rps:.0f} rps: loss {1 - on.rps / off.rps:.1%}",
          flush=True)
    return on, off


# ---- section: products (the product read, startup, seed, Merchant rate limiter) ---------------------------

def products_section(opts: Options, loadgen: LoadGen, ids_file: Path) -> str:
    env = server_env(OUT / "data")
    print("products: seeding ...", flush=True)
    fresh, fresh_startup = launch(mockwish_cmd(STARTUP_PORT), server_env(OUT / "fresh"), STARTUP_PORT,
                                  OUT / "startup-fresh.log")
    stop(fresh)
    seed_wall = seed_wall_times(env, opts.seed_runs)
    seed_inproc = seed_inprocess_times(env, opts.seed_runs)
    print("products: timing startup ...", flush=True)
    startup = startup_times(mockwish_cmd(STARTUP_PORT), env, STARTUP_PORT, opts.startup_runs, "mockwish")
    bare_startup = startup_times(bare_cmd(STARTUP_PORT), env, STARTUP_PORT, opts.startup_runs, "bare")

    mock = launch(mockwish_cmd(MOCK_PORT), env, MOCK_PORT, OUT / "mockwish.log")[0]
    unlimited = launch(mockwish_cmd(UNLIMITED_PORT), unlimited_env(OUT / "data"), UNLIMITED_PORT,
                       OUT / "mockwish-unlimited.log")[0]
    try:
        ids = seeded_ids(MOCK_PORT)
        ids_file.write_text("\n".join(ids) + "\n")
        check_product_read(MOCK_PORT, ids[0])
        results = measure_pair(loadgen, MOCK_PORT, PRODUCT_READ, "mockwish")
        on, off = measure_limiter(loadgen, MOCK_PORT, UNLIMITED_PORT, PRODUCT_READ, "mockwish")
    finally:
        stop(mock)
        stop(unlimited)
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
        ("for reference: bare app, process start to first 200", fmt_times(bare_startup), "", None),
        ("for reference: first start on an empty data dir (seeds on start)", f"{fresh_startup:.2f} s", "", None),
    ])
    text = f"""## Throughput and latency: (a) bare FastAPI, (b) mockwish `GET /api/v2/product?id=…`

{len(ids)} product ids of the default merchant.

{load_table(results)}

## Targets

{targets}

Merchant rate-limit accounting, same endpoint at 64 connections (on and off alternating, median of
{LIMITER_ROUNDS} rounds each):

{limiter_table(on, off)}"""
    return text


# ---- section: orders (issue 5) --------------------------------------------------------------------------

def generate_inprocess_times(runs: int) -> list[float]:
    env = server_env(OUT / "generate-data")
    out = subprocess.run([PY, str(BENCH / "generate_inprocess.py"), str(runs), str(GENERATE_BATCH)], cwd=ROOT,
                         env=env, check=True, capture_output=True, text=True).stdout
    return [float(x) for x in json.loads(out)]


def multi_get_points(loadgen: LoadGen) -> tuple[dict[int, tuple[Point, Point]], float]:
    """A fresh store whose default merchant gets ORDERS generated orders, then the multi-get load."""
    server = launch(mockwish_cmd(MOCK_PORT), server_env(OUT / "orders-data"), MOCK_PORT, OUT / "orders.log")[0]
    try:
        made = orders.generate(MOCK_PORT, ORDERS)
        orders.check_page(MOCK_PORT, ORDER_PAGE.start_max, ORDER_PAGE_SIZE)
        return measure_pair(loadgen, MOCK_PORT, ORDER_PAGE, "orders"), made
    finally:
        stop(server)


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
    results, first_call = multi_get_points(loadgen)
    print("orders: generation and download job ...", flush=True)
    calls, job = download_point(opts)
    inproc = generate_inprocess_times(opts.generate_runs)
    api = calls[:opts.generate_runs]
    a64, b64 = results[64]
    a8, b8 = results[8]
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

Start offsets drawn per request from 0..{ORDER_PAGE.start_max}.

The default merchant holds {ORDERS:,} orders generated through `POST /sandbox/api/transactions` on a fresh
store (plus its seeded orders); each request draws its own start offset.

{load_table(results)}

### Generating 10,000 orders

{generation}

### Order download job over {DOWNLOAD_ORDERS:,} generated orders (a separate store), real clock

The job status is asked every {orders.POLL_SECONDS * 1000:.0f} ms.

{download}

### Targets

{targets}"""


# ---- section: WishPost auth and rate limit (issue 4) ----------------------------------------------------

def rate_limit_header(port: int) -> str | None:
    """Wish-Rate-Limit-Remaining of one WishPost token test: present only while the limiter counts."""
    answer = call(port, "GET", WISHPOST_TEST.path, headers={"Authorization": f"Bearer {WISHPOST_TOKEN}"}, timeout=10)
    if answer.status != 200:
        sys.exit(f"WishPost token test answered {answer.status}: {answer.body[:300]!r}")
    return answer.headers.get("wish-rate-limit-remaining")


def wishpost_section(loadgen: LoadGen) -> str:
    data = OUT / "wishpost-data"
    on_server = launch(mockwish_cmd(MOCK_PORT), server_env(data), MOCK_PORT, OUT / "wishpost-on.log")[0]
    off_server = launch(mockwish_cmd(UNLIMITED_PORT), unlimited_env(data), UNLIMITED_PORT,
                        OUT / "wishpost-off.log")[0]
    try:
        counted, uncounted = rate_limit_header(MOCK_PORT), rate_limit_header(UNLIMITED_PORT)
        if counted is None or uncounted is not None:
            sys.exit(f"the WishPost limiter switch is not honoured: Remaining {counted!r} on, {uncounted!r} off")
        bare = loadgen.measure(url(BARE_PORT), 64, "bare-wishpost", WISHPOST_TEST)
        on, off = measure_limiter(loadgen, MOCK_PORT, UNLIMITED_PORT, WISHPOST_TEST, "wishpost")
    finally:
        stop(on_server)
        stop(off_server)
    return f"""## WishPost auth and rate limit (issue 4)

`GET /wishpost/api/v3/oauth/test` with `Authorization: Bearer {WISHPOST_TOKEN}` at 64 connections:
the WishPost pipeline (token lookup, scope, per-level limiter, v3 envelope). Limiter on: every call
counted against a quota out of reach (`Wish-Rate-Limit-Remaining` answered); off:
`MOCKWISH_RATE_LIMIT_ENABLED=false` (checked: no `Wish-Rate-Limit-Remaining`). On and off alternate, each
the median of {LIMITER_ROUNDS} rounds.

{limiter_table(on, off, bare)}"""


# ---- RESULTS.md ------------------------------------------------------------------------------------------

README = """\
## How to run

`make bench` (or `.venv/bin/python bench/run.py`); about 5 minutes. Options: `--only products|orders|wishpost`
(repeatable; a partial run writes `bench/out/RESULTS-partial.md` and leaves this file alone), `--duration`
seconds per point (10), `--warmup` seconds before each point (3), `--loadgen auto|wrk|python` (auto: wrk,
installed with apt-get when missing and running as root; else `bench/loadgen.py`), `--startup-runs`,
`--seed-runs`, `--generate-runs`. `bench/profile_read.py` profiles mockwish's product read under the same
load with py-spy (`.venv/bin/pip install py-spy`; output in `bench/out/profile.txt`). Neither is part of
the test suite.

What it does, in one run. Products: seeds a fresh data dir under `bench/out/` (timing `mockwish seed` and
the in-process seed), starts mockwish on it repeatedly to time process start to the first 200 on
`/healthz` with the existing database, then serves (a) `bench/bare_app.py`, a bare FastAPI route answering
the constant envelope `{"code":0,"data":{},"message":""}` on every measured path, and (b) `mockwish serve`,
both through `uvicorn.run` with one worker, log level warning and no access log. Each point is a warm-up
and a measured run of the same load generator against (a) then (b), at 8 and then 64 connections; every
request asks `GET /api/v2/product?id=<random id>&access_token=an_example_access_token`, the id drawn
per request by `bench/random_ids.lua` from the default merchant's seeded products as multi-get lists
them (rejected ones are not listed); the bare app ignores the query. Orders: a fresh store, 10,000 orders
for the default merchant through the sandbox API, then the same pairs of points on
`GET /api/v2/order/multi-get?limit=100&start=<random 0..9900>` (the Lua script draws the offset); then
another fresh store grown to 100,000 orders in 10 sandbox calls (each timed), and one order download job
followed with the real clock and default job times to its CSV read to the last byte; `generate()` is also
timed inside a process. WishPost: two servers on one store, limiter on and off, and the bare app, on
`GET /wishpost/api/v3/oauth/test` with the Bearer header. mockwish runs with `MOCKWISH_RATE_LIMIT_QUOTA`
and `MOCKWISH_WISHPOST_RATE_LIMIT_QUOTA` raised so that the load never trips its rate limiters (the
bookkeeping is still paid on every call) and `MOCKWISH_WISHPOST_PORT=0`. Any error or non-2xx answer under
load aborts the run. The load generator shares the 2 cores with the server (wrk takes most of one, uvicorn
is one process on the other), equally for both apps, so compare the ratio rather than the absolute figures.
"""


def kept_notes() -> str:
    if RESULTS.exists():
        text = RESULTS.read_text()
        if NOTES_MARKER in text:
            return text[text.index(NOTES_MARKER):]
    return NOTES_MARKER + "\n"


def write_results(info: dict[str, str], sections: list[str], opts: Options, target: Path) -> None:
    machine_lines = "\n".join(f"- {k}: {v}" for k, v in info.items())
    body = "\n\n".join(sections)
    text = f"""# Benchmark results

Written by `make bench` (`bench/run.py`) on {datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")}, load
generator **{info["Load generator"]}**, {opts.warmup} s warm-up and {opts.duration} s per point,
sections: {", ".join(opts.only)}.

{machine_lines}

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
    parser.add_argument("--loadgen", choices=("auto", "wrk", "python"), default="auto")
    parser.add_argument("--startup-runs", type=int, default=5)
    parser.add_argument("--seed-runs", type=int, default=3)
    parser.add_argument("--generate-runs", type=int, default=3, help="timed generations of 10,000 orders")
    parser.add_argument("--only", choices=SECTIONS, action="append",
                        help="run only this section (repeatable); writes bench/out/RESULTS-partial.md")
    args = parser.parse_args()
    only = tuple(s for s in SECTIONS if s in (args.only or SECTIONS))
    return Options(args.duration, args.warmup, args.loadgen, args.startup_runs, args.seed_runs, only,
                   args.generate_runs)


def main() -> None:
    opts = parse_args()
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    ids_file = OUT / "ids.txt"
    loadgen = pick_loadgen(opts, ids_file)
    info = machine(loadgen)
    print(f"load generator: {info['Load generator']}; sections: {', '.join(opts.only)}", flush=True)
    sections: list[str] = []
    bare = launch(bare_cmd(BARE_PORT), server_env(OUT / "bare-data"), BARE_PORT, OUT / "bare.log")[0]
    try:
        if "products" in opts.only:
            sections.append(products_section(opts, loadgen, ids_file))
        if "orders" in opts.only:
            sections.append(orders_section(opts, loadgen))
        if "wishpost" in opts.only:
            sections.append(wishpost_section(loadgen))
    finally:
        stop(bare)
    target = RESULTS if opts.only == SECTIONS else OUT / "RESULTS-partial.md"
    write_results(info, sections, opts, target)
    print("\n\n".join(sections))
    print(f"wrote {target.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
