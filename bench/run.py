"""`make bench`: mockwish against a bare FastAPI endpoint, same load generator (wrk), one run.

Measures requests/s and p50/p99 at 8 and 64 connections for (a) bench/bare_app.py and (b) mockwish's
GET /api/v2/product?id=<random seeded id>; the time from process start to the first 200 on /healthz with
an existing database; and the time to seed the default data set. Writes bench/RESULTS.md; raw wrk output
goes to bench/out/ (gitignored). Never part of the test suite."""

from __future__ import annotations

import os
import platform
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PY = sys.executable
TOKEN = "an_example_access_token"
CONNECTIONS = (8, 64)
DURATION = 10
WARMUP = 3


@dataclass
class Point:
    rps: float
    p50_ms: float
    p99_ms: float


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(["apt-get", "update", "-qq"], check=False)
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True,
                       env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
        found = shutil.which("wrk")
    if not found:
        sys.exit("wrk is needed (Debian: apt-get install wrk)")
    return found


def wait_healthy(base: str, proc: subprocess.Popen[bytes], timeout: float = 30.0) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if proc.poll() is not None:
            sys.exit(f"server exited with {proc.returncode}")
        try:
            if httpx.get(f"{base}/healthz", timeout=0.5).status_code == 200:
                return time.perf_counter() - start
        except httpx.TransportError:
            time.sleep(0.01)
    sys.exit("server did not become healthy")


def start(cmd: list[str], env: dict[str, str], port: int) -> tuple[subprocess.Popen[bytes], float]:
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_healthy(f"http://127.0.0.1:{port}", proc)
    return proc, time.perf_counter() - t0


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    proc.wait(timeout=10)


def _ms(text: str) -> float:
    m = re.match(r"([\d.]+)(us|ms|s)", text)
    if not m:
        return float("nan")
    value, unit = float(m.group(1)), m.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


def wrk(binary: str, url: str, conns: int, name: str, script: Path | None = None) -> Point:
    base = [binary, "-t2", f"-c{conns}", "--latency"]
    if script:
        base += ["-s", str(script)]
    subprocess.run([*base, f"-d{WARMUP}s", url], capture_output=True, check=True, cwd=ROOT)
    out = subprocess.run([*base, f"-d{DURATION}s", url], capture_output=True, text=True, check=True, cwd=ROOT).stdout
    (OUT / f"wrk-{name}-{conns}.txt").write_text(out)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"\s50%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"\s99%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    if re.search(r"Non-2xx or 3xx responses", out):
        sys.exit(f"{name}: non-2xx responses under load, see {OUT}")
    return Point(rps, p50, p99)


def seed_times(env: dict[str, str]) -> tuple[float, float]:
    """(wall time of `mockwish seed`, in-process seed time) for the default data set."""
    t0 = time.perf_counter()
    subprocess.run([PY, "-m", "mockwish", "seed"], cwd=ROOT, env=env, check=True, capture_output=True)
    wall = time.perf_counter() - t0
    code = ("import time; from mockwish.app import build_context; from mockwish.config import Settings; "
            "ctx = build_context(Settings()); t = time.perf_counter(); ctx.sandbox.reseed(ctx.settings.seed); "
            "print(time.perf_counter() - t)")
    inproc = float(subprocess.run([PY, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True,
                                  text=True).stdout.strip())
    return wall, inproc


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = ", ".join(f"{p} {metadata.version(p)}" for p in ("fastapi", "starlette", "uvicorn", "sqlalchemy",
                                                                  "orjson"))
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split("\n")[0]
    return (f"{cpu}, {os.cpu_count()} cores; {platform.system()} {platform.release()}; Python "
            f"{platform.python_version()}; {versions}; {wrk_version.strip()}")


def main() -> None:
    binary = ensure_wrk()
    OUT.mkdir(parents=True, exist_ok=True)
    data = OUT / "data"
    shutil.rmtree(data, ignore_errors=True)
    env = {**os.environ, "MOCKWISH_DATA_DIR": str(data), "MOCKWISH_LOG_LEVEL": "warning",
           "MOCKWISH_ACCESS_LOG": "false"}
    seed_wall, seed_inproc = seed_times(env)

    port_a, port_b = 18081, 18082
    bare, _ = start([PY, "-m", "uvicorn", "--app-dir", "bench", "bare_app:app", "--host", "127.0.0.1",
                     "--port", str(port_a), "--log-level", "warning", "--no-access-log"], env, port_a)
    mock, startup = start([PY, "-m", "mockwish", "serve", "--host", "127.0.0.1", "--port", str(port_b)], env, port_b)
    try:
        listing = httpx.get(f"http://127.0.0.1:{port_b}/api/v2/product/multi-get",
                            params={"limit": 250, "access_token": TOKEN}).json()["data"]
        ids = OUT / "ids.txt"
        ids.write_text("\n".join(p["Product"]["id"] for p in listing) + "\n")
        os.environ["BENCH_IDS"] = str(ids)
        results: dict[int, tuple[Point, Point]] = {}
        for conns in CONNECTIONS:
            a = wrk(binary, f"http://127.0.0.1:{port_a}/api/v2/product?id=x&access_token={TOKEN}", conns, "bare")
            b = wrk(binary, f"http://127.0.0.1:{port_b}", conns, "mockwish", ROOT / "bench" / "random_ids.lua")
            results[conns] = (a, b)
            print(f"{conns:>3} conns  bare {a.rps:8.0f} rps p99 {a.p99_ms:6.2f} ms | mockwish {b.rps:8.0f} rps "
                  f"p99 {b.p99_ms:6.2f} ms | ratio {b.rps / a.rps:.2f}")
    finally:
        stop(bare)
        stop(mock)
    write_results(results, startup, seed_wall, seed_inproc, len(listing))


def write_results(results: dict[int, tuple[Point, Point]], startup: float, seed_wall: float, seed_inproc: float,
                  n_ids: int) -> None:
    rows = "\n".join(
        f"| {c} | {a.rps:,.0f} | {a.p50_ms:.2f} | {a.p99_ms:.2f} | {b.rps:,.0f} | {b.p50_ms:.2f} | {b.p99_ms:.2f} "
        f"| **{b.rps / a.rps:.2f}** |" for c, (a, b) in results.items())
    text = f"""# Benchmark results

Written by `make bench` (`bench/run.py`) on {datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")}.

Machine: {machine()}.

Method: both servers run at once under uvicorn with one worker, log level warning, no access log; the
same load generator (wrk, 2 threads, {WARMUP} s warm-up then {DURATION} s) hits (a) `bench/bare_app.py`, a
bare FastAPI route returning a constant envelope, and (b) mockwish's `GET /api/v2/product?id=…` with a
random id per request drawn from {n_ids} seeded products of the default merchant and a valid token. The
load generator shares the 2 cores with the server, equally for both, so compare the ratio, not the
absolute figures. Targets: ratio >= 0.5 at 64 connections, p99 < 25 ms, startup < 1 s, seed < 5 s.

| connections | bare rps | bare p50 ms | bare p99 ms | mockwish rps | mockwish p50 ms | mockwish p99 ms | ratio b/a |
|---|---|---|---|---|---|---|---|
{rows}

| measure | value | target |
|---|---|---|
| process start to first 200 on /healthz, existing database | {startup:.2f} s | < 1 s |
| `mockwish seed` wall time (default data set, 3 merchants x 300 products) | {seed_wall:.2f} s | |
| seed time inside the process (generation and insert only) | {seed_inproc:.2f} s | < 5 s |

Raw wrk output: `bench/out/` (not committed).

## What the hot path costs, and what was done about it

Measured on this machine during the first session (ratio at 64 connections, same method):

| change | ratio |
|---|---|
| first version: Core `select()` built and compiled per query, product read twice, merchant row read | 0.13 |
| hot reads (`FastRead` in `merchant/catalogue/store.py`): SQL written once, run on the driver connection | 0.36 |
| `V2Dispatcher` (`wire/v2.py`): one dict lookup instead of the route scan and dependency solving | 0.44 |
| query string read from the ASGI scope (no URL object); rendered money strings kept | 0.50 |

What remains per request (cProfile, in-process, ~0.15 ms): rendering the product and its variants (about
40 money fields), the SQLite reads, and parameter parsing. A cache of whole rendered products is the next
step if more is needed; it was left out because every write path would have to invalidate it.
"""
    (ROOT / "bench" / "RESULTS.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
