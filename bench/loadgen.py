"""A small HTTP/1.1 keep-alive load generator: bench/run.py's fallback when wrk cannot be installed.

Each connection sends `GET <path>?<query>` and waits for the answer (closed loop, like wrk); the
connections are spread over worker processes. The query is a template drawn per request, as
bench/random_ids.lua draws it: `{id}` a random id of the --ids file, `{start}` a random integer in
0..--start-max, `{token}` the token; the default `id={id}&access_token={token}` is the product read.
--header adds one "Name: value" header to every request. Prints one JSON object: requests,
rps, p50_ms, p99_ms, errors, non_2xx. Slower than wrk: it may saturate before a fast server does, so
compare ratios measured with the same generator only.

    python bench/loadgen.py http://127.0.0.1:8000 --connections 64 --duration 10 --ids ids.txt
    python bench/loadgen.py http://127.0.0.1:8000 --path /api/v2/order/multi-get \
        --query 'limit=100&start={start}&access_token={token}' --start-max 9900
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Job:
    host: str
    port: int
    path: str
    token: str
    ids: list[str]
    connections: int
    warmup: float
    duration: float
    query: str = "id={id}&access_token={token}"
    start_max: int = 0
    header: str = ""


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    non_2xx: int = 0


def _request(job: Job, rng: random.Random) -> bytes:
    query = job.query.replace("{token}", job.token)
    if "{id}" in query:
        query = query.replace("{id}", rng.choice(job.ids))
    if "{start}" in query:
        query = query.replace("{start}", str(rng.randint(0, job.start_max)))
    target = f"{job.path}?{query}" if query else job.path
    header = f"{job.header}\r\n" if job.header else ""
    return (f"GET {target} HTTP/1.1\r\nHost: {job.host}:{job.port}\r\nUser-Agent: mockwish-loadgen\r\n"
            f"{header}\r\n").encode()


async def _read_response(reader: asyncio.StreamReader) -> int:
    """Reads one response (Content-Length framed) and returns its status code."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split(b" ", 2)[1])
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    if length:
        await reader.readexactly(length)
    return status


async def _connection(job: Job, tally: Tally, measure_from: float, stop_at: float, seed: int) -> None:
    rng = random.Random(seed)
    reader, writer = await asyncio.open_connection(job.host, job.port)
    try:
        while time.perf_counter() < stop_at:
            started = time.perf_counter()
            writer.write(_request(job, rng))
            try:
                status = await _read_response(reader)
            except (asyncio.IncompleteReadError, ConnectionError, ValueError, IndexError):
                tally.errors += 1
                writer.close()
                reader, writer = await asyncio.open_connection(job.host, job.port)
                continue
            done = time.perf_counter()
            if started >= measure_from and done <= stop_at:
                tally.latencies.append(done - started)
                if not 200 <= status < 300:
                    tally.non_2xx += 1
    finally:
        writer.close()


async def _run_worker(job: Job, seed: int) -> Tally:
    tally = Tally()
    measure_from = time.perf_counter() + job.warmup
    stop_at = measure_from + job.duration
    await asyncio.gather(*(_connection(job, tally, measure_from, stop_at, seed * 1000 + n)
                           for n in range(job.connections)))
    return tally


def worker(job: Job, seed: int) -> Tally:
    return asyncio.run(_run_worker(job, seed))


def _percentile(ordered: list[float], q: float) -> float:
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def run(job: Job, processes: int) -> dict[str, float]:
    """Spreads job.connections over `processes` workers and merges their tallies."""
    processes = max(1, min(processes, job.connections))
    shares = [job.connections // processes + (1 if n < job.connections % processes else 0) for n in range(processes)]
    jobs = [replace(job, connections=share) for share in shares]
    with ProcessPoolExecutor(processes) as pool:
        tallies = list(pool.map(worker, jobs, range(1, processes + 1)))
    latencies = sorted(lat for t in tallies for lat in t.latencies)
    return {
        "requests": len(latencies),
        "rps": len(latencies) / job.duration,
        "p50_ms": _percentile(latencies, 0.50) * 1000,
        "p99_ms": _percentile(latencies, 0.99) * 1000,
        "mean_ms": (statistics.fmean(latencies) * 1000) if latencies else float("nan"),
        "errors": sum(t.errors for t in tallies),
        "non_2xx": sum(t.non_2xx for t in tallies),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description="closed-loop HTTP/1.1 load generator (wrk fallback)")
    parser.add_argument("base_url")
    parser.add_argument("--path", default="/api/v2/product")
    parser.add_argument("--token", default="an_example_access_token")
    parser.add_argument("--ids", help="file with one id per line (needed when the query uses {id})")
    parser.add_argument("--query", default="id={id}&access_token={token}", help="query template (see above)")
    parser.add_argument("--start-max", type=int, default=0, help="{start} is drawn from 0..start-max")
    parser.add_argument("--header", default="", help='one extra header, "Name: value"')
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=0.0)
    parser.add_argument("--processes", type=int, default=2)
    args = parser.parse_args()
    url = urlsplit(args.base_url)
    ids: list[str] = []
    if "{id}" in args.query:
        if not args.ids:
            parser.error("--ids is needed when the query uses {id}")
        with open(args.ids, encoding="utf-8") as fh:
            ids = [line.strip() for line in fh if line.strip()]
    job = Job(url.hostname or "127.0.0.1", url.port or 80, args.path, args.token, ids, args.connections,
              args.warmup, args.duration, args.query, args.start_max, args.header)
    print(json.dumps(run(job, args.processes)))


if __name__ == "__main__":
    main()
