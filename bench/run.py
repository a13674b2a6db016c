"""`make bench`: mockwish against a bare FastAPI endpoint, with the same load generator, in one run.

Measures requests/s and p50/p99 latency at 8 and 64 connections for (a) bench/bare_app.py and (b)
mockwish's GET /api/v2/product?id=<random seeded id>; the time from process start to the first 200 on
/healthz with an existing database; and the time to seed the default data set. Writes bench/RESULTS.md
(the notes below its marker line are kept); raw output goes to bench/out/ (gitignored). Never part of
the test suite. Options: see `python bench/run.py --help`."""

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
from typing import Any, Protocol

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
OUT = BENCH / "out"
RESULTS = BENCH / "RESULTS.md"
NOTES_MARKER = "<!-- Notes below this line are kept by bench/run.py; edit them by hand. -->"
PY = sys.executable
TOKEN = "an_example_access_token"
PRODUCT_PATH = "/api/v2/product"
CONNECTIONS = (8, 64)
RATE_LIMIT_QUOTA = 1_000_000_000  # calls per window: far above what any point sends
BARE_PORT, MOCK_PORT, STARTUP_PORT, UNLIMITED_PORT = 18081, 18082, 18083, 18084
TARGET_LIMIT_LOSS = 0.10
TARGET_RATIO, TARGET_P99_MS, TARGET_STARTUP_S, TARGET_SEED_S = 0.5, 25.0, 1.0, 5.0


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


class LoadGen(Protocol):
    name: str

    def measure(self, base_url: str, conns: int, label: str) -> Point: ...


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

    def _run(self, base_url: str, conns: int, seconds: int) -> str:
        cmd = [self.binary, "-t2", f"-c{conns}", f"-d{seconds}s", "--latency", "--timeout", "5s",
               "-s", str(BENCH / "random_ids.lua"), base_url]
        env = {**os.environ, "BENCH_IDS": str(self.ids), "BENCH_PATH": PRODUCT_PATH, "BENCH_TOKEN": TOKEN}
        return subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=ROOT, env=env).stdout

    def measure(self, base_url: str, conns: int, label: str) -> Point:
        self._run(base_url, conns, self.warmup)
        out = self._run(base_url, conns, self.duration)
        (OUT / f"wrk-{label}-c{conns}.txt").write_text(out)
        return parse_wrk(out)


class PythonLoadGen:
    name = "bench/loadgen.py (Python, asyncio, 2 processes)"

    def __init__(self, ids: Path, warmup: int, duration: int) -> None:
        self.ids, self.warmup, self.duration = ids, warmup, duration

    def measure(self, base_url: str, conns: int, label: str) -> Point:
        cmd = [PY, str(BENCH / "loadgen.py"), base_url, "--path", PRODUCT_PATH, "--token", TOKEN,
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
    """Quiet logs like a deployment, and a rate-limit quota the load never reaches (the limiter still runs)."""
    return {**os.environ, "MOCKWISH_DATA_DIR": str(data_dir), "MOCKWISH_LOG_LEVEL": "warning",
            "MOCKWISH_ACCESS_LOG": "false", "MOCKWISH_RATE_LIMIT_QUOTA": str(RATE_LIMIT_QUOTA)}


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

def get_json(port: int, target: str) -> Any:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", target)
        response = conn.getresponse()
        body = response.read()
    finally:
        conn.close()
    if response.status != 200:
        sys.exit(f"GET {target} answered {response.status}: {body[:300]!r}")
    return json.loads(body)


def seeded_ids(port: int) -> list[str]:
    """Every product id of the default merchant, read page by page through multi-get."""
    ids: list[str] = []
    while True:
        page = get_json(port, f"{PRODUCT_PATH}/multi-get?limit=250&start={len(ids)}&access_token={TOKEN}")["data"]
        ids += [p["Product"]["id"] for p in page]
        if len(page) < 250:
            return ids


def check_product_read(port: int, product_id: str) -> None:
    body = get_json(port, f"{PRODUCT_PATH}?id={product_id}&access_token={TOKEN}")
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


# ---- RESULTS.md ------------------------------------------------------------------------------------------

def verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def load_table(results: dict[int, tuple[Point, Point]]) -> str:
    head = ("| connections | bare rps | bare p50 ms | bare p99 ms | mockwish rps | mockwish p50 ms "
            "| mockwish p99 ms | ratio b/a |\n|---|---|---|---|---|---|---|---|")
    rows = [f"| {c} | {a.rps:,.0f} | {a.p50_ms:.2f} | {a.p99_ms:.2f} | {b.rps:,.0f} | {b.p50_ms:.2f} "
            f"| {b.p99_ms:.2f} | **{b.rps / a.rps:.2f}** |" for c, (a, b) in results.items()]
    return "\n".join([head, *rows])


def fmt_times(times: list[float]) -> str:
    return f"{statistics.median(times):.2f} s (median of {len(times)}: " + ", ".join(f"{t:.2f}" for t in times) + ")"


def targets_table(results: dict[int, tuple[Point, Point]], startup: list[float], bare_startup: list[float],
                  fresh_startup: float, seed_wall: list[float], seed_inproc: list[float]) -> str:
    a64, b64 = results[64]
    worst_p99 = max(b.p99_ms for _, b in results.values())
    rows = [
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
    ]
    lines = ["| measure | value | target | |", "|---|---|---|---|"]
    lines += [f"| {m} | {v} | {t} | {verdict(ok)} |" for m, v, t, ok in rows]
    lines += [f"| for reference: bare app, process start to first 200 | {fmt_times(bare_startup)} | | |",
              f"| for reference: first start on an empty data dir (seeds on start) | {fresh_startup:.2f} s | | |"]
    return "\n".join(lines)


README = """\
## How to run

`make bench` (or `.venv/bin/python bench/run.py`); about 70 s. Options: `--duration` seconds per
point (10), `--warmup` seconds before each point (3), `--loadgen auto|wrk|python` (auto: wrk, installed
with apt-get when missing and running as root; else `bench/loadgen.py`), `--startup-runs`, `--seed-runs`.
`bench/profile_read.py` profiles mockwish's product read under the same load with py-spy
(`.venv/bin/pip install py-spy`; output in `bench/out/profile.txt`). Neither is part of the test suite.

What it does, in one run: seeds a fresh data dir under `bench/out/` (timing `mockwish seed` and the
in-process seed), starts mockwish on it repeatedly to time process start to the first 200 on `/healthz`
with the existing database, then serves (a) `bench/bare_app.py`, a bare FastAPI route answering the
constant envelope `{"code":0,"data":{},"message":""}`, and (b) `mockwish serve`, both through
`uvicorn.run` with one worker, log level warning and no access log. Each point is a warm-up and a
measured run of the same load generator against (a) then (b), at 8 and then 64 connections; every
request asks `GET /api/v2/product?id=<random id>&access_token=an_example_access_token`, the id drawn
per request by `bench/random_ids.lua` from the default merchant's seeded products as multi-get lists
them (rejected ones are not listed); the bare app ignores it. mockwish runs with
`MOCKWISH_RATE_LIMIT_QUOTA` raised so that the load never trips its rate limiter (the limiter's
bookkeeping is still paid on every call). Any error or non-2xx answer under load aborts the run. The
load generator shares the 2 cores with the server (wrk takes most of one, uvicorn is one process on the
other), equally for both apps, so compare the ratio rather than the absolute figures.
"""


def kept_notes() -> str:
    if RESULTS.exists():
        text = RESULTS.read_text()
        if NOTES_MARKER in text:
            return text[text.index(NOTES_MARKER):]
    return NOTES_MARKER + "\n"


def write_results(info: dict[str, str], results: dict[int, tuple[Point, Point]], targets: str,
                  n_ids: int, opts: Options) -> None:
    machine_lines = "\n".join(f"- {k}: {v}" for k, v in info.items())
    text = f"""# Benchmark results

Written by `make bench` (`bench/run.py`) on {datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")}, load
generator **{info["Load generator"]}**, {opts.warmup} s warm-up and {opts.duration} s per point,
{n_ids} product ids.

{machine_lines}

## Throughput and latency: (a) bare FastAPI, (b) mockwish `GET /api/v2/product?id=…`

{load_table(results)}

## Targets

{targets}

Raw output: `bench/out/` (not committed).

{README}
{kept_notes()}"""
    RESULTS.write_text(text)


# ---- main ------------------------------------------------------------------------------------------------

def measure_load(loadgen: LoadGen) -> dict[int, tuple[Point, Point]]:
    results: dict[int, tuple[Point, Point]] = {}
    for conns in CONNECTIONS:
        a = loadgen.measure(f"http://127.0.0.1:{BARE_PORT}", conns, "bare")
        b = loadgen.measure(f"http://127.0.0.1:{MOCK_PORT}", conns, "mockwish")
        results[conns] = (a, b)
        print(f"{conns:>3} connections: bare {a.rps:7.0f} rps p50 {a.p50_ms:5.2f} p99 {a.p99_ms:5.2f} ms | "
              f"mockwish {b.rps:7.0f} rps p50 {b.p50_ms:5.2f} p99 {b.p99_ms:5.2f} ms | ratio {b.rps / a.rps:.2f}",
              flush=True)
    return results


def measure_limits(loadgen: LoadGen) -> str:
    """The cost of rate-limit accounting: the same product read at 64 connections with the limiter on (every
    call counted, none refused: the quota is out of reach) and off (MOCKWISH_RATE_LIMIT_ENABLED=false)."""
    on = loadgen.measure(f"http://127.0.0.1:{MOCK_PORT}", 64, "mockwish-limits-on")
    off = loadgen.measure(f"http://127.0.0.1:{UNLIMITED_PORT}", 64, "mockwish-limits-off")
    loss = 1 - on.rps / off.rps
    print(f"rate limits on {on.rps:.0f} rps, off {off.rps:.0f} rps: loss {loss:.1%}", flush=True)
    return (f"\n\nRate-limit accounting, same endpoint at 64 connections:\n\n"
            f"| limiter | rps | p50 ms | p99 ms |\n|---|---|---|---|\n"
            f"| on (every call counted) | {on.rps:,.0f} | {on.p50_ms:.2f} | {on.p99_ms:.2f} |\n"
            f"| off | {off.rps:,.0f} | {off.p50_ms:.2f} | {off.p99_ms:.2f} |\n"
            f"| throughput loss | {loss:.1%} | target < {TARGET_LIMIT_LOSS:.0%} | "
            f"{verdict(loss < TARGET_LIMIT_LOSS)} |")


def parse_args() -> Options:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=10, help="measured seconds per point")
    parser.add_argument("--warmup", type=int, default=3, help="warm-up seconds before each point")
    parser.add_argument("--loadgen", choices=("auto", "wrk", "python"), default="auto")
    parser.add_argument("--startup-runs", type=int, default=5)
    parser.add_argument("--seed-runs", type=int, default=3)
    args = parser.parse_args()
    return Options(args.duration, args.warmup, args.loadgen, args.startup_runs, args.seed_runs)


def main() -> None:
    opts = parse_args()
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    env = server_env(OUT / "data")
    ids_file = OUT / "ids.txt"
    loadgen = pick_loadgen(opts, ids_file)
    info = machine(loadgen)

    print("seeding ...", flush=True)
    fresh, fresh_startup = launch(mockwish_cmd(STARTUP_PORT), server_env(OUT / "fresh"), STARTUP_PORT,
                                  OUT / "startup-fresh.log")
    stop(fresh)
    seed_wall = seed_wall_times(env, opts.seed_runs)
    seed_inproc = seed_inprocess_times(env, opts.seed_runs)
    print("timing startup ...", flush=True)
    startup = startup_times(mockwish_cmd(STARTUP_PORT), env, STARTUP_PORT, opts.startup_runs, "mockwish")
    bare_startup = startup_times(bare_cmd(STARTUP_PORT), env, STARTUP_PORT, opts.startup_runs, "bare")

    bare = launch(bare_cmd(BARE_PORT), env, BARE_PORT, OUT / "bare.log")[0]
    mock = launch(mockwish_cmd(MOCK_PORT), env, MOCK_PORT, OUT / "mockwish.log")[0]
    unlimited = launch(mockwish_cmd(UNLIMITED_PORT), {**env, "MOCKWISH_RATE_LIMIT_ENABLED": "false"},
                       UNLIMITED_PORT, OUT / "mockwish-unlimited.log")[0]
    try:
        ids = seeded_ids(MOCK_PORT)
        ids_file.write_text("\n".join(ids) + "\n")
        check_product_read(MOCK_PORT, ids[0])
        print(f"loading with {info['Load generator']} ...", flush=True)
        results = measure_load(loadgen)
        limits = measure_limits(loadgen)
    finally:
        for proc in (bare, mock, unlimited):
            stop(proc)
    targets = targets_table(results, startup, bare_startup, fresh_startup, seed_wall, seed_inproc) + limits
    write_results(info, results, targets, len(ids), opts)
    print(targets)
    print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
