"""A small HTTP/1.1 keep-alive load generator: bench/run.py's fallback when wrk cannot be installed.

Each connection sends `GET <path>?id=<random id>&access_token=<token>` and waits for the answer (closed
loop, like wrk); the connections are spread over worker processes. Prints one JSON object: requests,
rps, p50_ms, p99_ms, errors, non_2xx. Slower than wrk: it may saturate before a fast server does, so
compare ratios measured with the same generator only.

    python bench/loadgen.py http://127.0.0.1:8000 --connections 64 --duration 10 --ids ids.txt
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
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


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    non_2xx: int = 0


def _request(job: Job, rng: random.Random) -> bytes:
    target = f"{job.path}?id={rng.choice(job.ids)}&access_token={job.token}"
    return f"GET {target} HTTP/1.1\r\nHost: {job.host}:{job.port}\r\nUser-Agent: mockwish-loadgen\r\n\r\n".encode()


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
    jobs = [Job(job.host, job.port, job.path, job.token, job.ids, share, job.warmup, job.duration)
            for share in shares]
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
    parser.add_argument("--ids", required=True, help="file with one id per line")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=0.0)
    parser.add_argument("--processes", type=int, default=2)
    args = parser.parse_args()
    url = urlsplit(args.base_url)
    with open(args.ids, encoding="utf-8") as fh:
        ids = [line.strip() for line in fh if line.strip()]
    job = Job(url.hostname or "127.0.0.1", url.port or 80, args.path, args.token, ids, args.connections,
              args.warmup, args.duration)
    print(json.dumps(run(job, args.processes)))


if __name__ == "__main__":
    main()
