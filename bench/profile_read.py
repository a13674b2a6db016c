"""Profiles mockwish's GET /api/v2/product?id=<random id> (or, with --write-share, that mixed with
POST /api/v2/variant/update-inventory; or, with --orders, the orders section's multi-get of 10,000 generated
orders, limit 100 at a random start) under load: py-spy samples the server while wrk
(or bench/loadgen.py) runs the same load as `make bench`, then the samples are summed up by function
(self and inclusive) and by package. Needs py-spy (`.venv/bin/pip install py-spy`). Writes
bench/out/profile.folded (raw collapsed stacks, for flamegraph tools) and bench/out/profile.txt.

    .venv/bin/python bench/profile_read.py [--duration 15] [--connections 64] [--orders]
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

import orders
from run import (
    MOCK_PORT,
    ORDER_PAGE,
    ORDER_PAGE_SIZE,
    ORDERS,
    OUT,
    PRODUCT_READ,
    Options,
    launch,
    mix_target,
    mockwish_cmd,
    pick_loadgen,
    seeded_ids,
    server_env,
    stop,
)

FRAME = re.compile(r"^(?P<func>.+?) \((?P<file>[^():]+)(?::\d+)?\)$")
PACKAGES = ("mockwish", "starlette", "fastapi", "uvicorn", "h11", "sqlalchemy", "pydantic", "asyncio", "orjson",
            "sqlite3", "urllib", "json", "email", "datetime", "typing", "dataclasses", "enum", "logging")


def py_spy() -> str:
    found = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not Path(found).exists():
        sys.exit("py-spy is needed: .venv/bin/pip install py-spy")
    return found


def frame_key(frame: str) -> str:
    """'func (path/to/file.py:123)' -> 'func (file path shortened to the package)'."""
    m = FRAME.match(frame.strip())
    if not m:
        return frame.strip()
    path = m.group("file")
    for marker in ("/site-packages/", "/lib/python3", "/work/main/"):
        if marker in path:
            path = path.split(marker, 1)[1]
            break
    path = re.sub(r"^\d+(\.\d+)?/", "", path)  # lib/python3.11/asyncio/... -> asyncio/...
    return f"{m.group('func')} ({path})"


def package_of(key: str) -> str:
    path = key.rsplit("(", 1)[-1]
    for name in PACKAGES:
        if path.startswith(name + "/") or path.startswith(name + ".") or path.startswith("_" + name):
            return name
    return path.split("/", 1)[0].rstrip(")")


def summarize(folded: str) -> tuple[int, Counter[str], Counter[str], Counter[str]]:
    """(samples, self samples by function, inclusive samples by function, self samples by package)."""
    total = 0
    self_time: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    by_package: Counter[str] = Counter()
    for line in folded.splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = [frame_key(f) for f in stack.split(";") if "(" in f]
        if not frames:
            continue
        total += count
        self_time[frames[-1]] += count
        by_package[package_of(frames[-1])] += count
        for key in set(frames):
            inclusive[key] += count
    return total, self_time, inclusive, by_package


def report(total: int, self_time: Counter[str], inclusive: Counter[str], by_package: Counter[str],
           top: int = 40) -> str:
    def table(title: str, counts: Counter[str]) -> list[str]:
        lines = [f"\n{title}", f"{'%':>6}  samples  function"]
        lines += [f"{100 * n / total:6.1f}  {n:7d}  {key}" for key, n in counts.most_common(top)]
        return lines

    lines = [f"{total} busy samples of the mockwish process (idle excluded)"]
    lines += table("self time by package", by_package)
    lines += table("inclusive time by function", inclusive)
    lines += table("self time by function", self_time)
    return "\n".join(lines) + "\n"


def record(pid: int, seconds: int, rate: int, target: Path) -> threading.Thread:
    """py-spy in its default blocking mode: --nonblocking reads stacks of a running process and garbles them."""
    cmd = [py_spy(), "record", "--pid", str(pid), "--rate", str(rate), "--duration", str(seconds),
           "--format", "raw", "--output", str(target)]
    thread = threading.Thread(target=subprocess.run, args=(cmd,), kwargs={"check": True, "capture_output": True})
    thread.start()
    return thread


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--rate", type=int, default=250, help="py-spy samples per second")
    parser.add_argument("--loadgen", choices=("auto", "wrk", "python"), default="auto")
    parser.add_argument("--write-share", type=float, default=0.0,
                        help="share of requests that are POST /api/v2/variant/update-inventory (bench/mix.lua, "
                             "needs wrk): 1 profiles the writes section's load, 0.1 the mix's")
    parser.add_argument("--orders", action="store_true",
                        help="profile GET /api/v2/order/multi-get?limit=100&start=<random> over 10,000 generated "
                             "orders (the orders section's load) instead of the product read")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    data = OUT / "profile-data"
    shutil.rmtree(data, ignore_errors=True)
    ids_file = OUT / "profile-ids.txt"
    loadgen = pick_loadgen(Options(args.duration, 2, args.loadgen, 0, 0), ids_file)
    server = launch(mockwish_cmd(MOCK_PORT), server_env(data), MOCK_PORT, OUT / "profile-server.log")[0]
    folded = OUT / "profile.folded"
    try:
        target = PRODUCT_READ
        if args.orders:
            orders.generate(MOCK_PORT, ORDERS)
            orders.check_page(MOCK_PORT, ORDER_PAGE.start_max, ORDER_PAGE_SIZE)
            target = ORDER_PAGE
        elif args.write_share > 0:
            target = mix_target(MOCK_PORT, "profile", args.write_share)[0]
        else:
            ids_file.write_text("\n".join(seeded_ids(MOCK_PORT)) + "\n")
        # the recorder starts with the warm-up and stops with the measured run
        sampler = record(server.pid, args.duration + 2, args.rate, folded)
        point = loadgen.measure(f"http://127.0.0.1:{MOCK_PORT}", args.connections, "profile", target)
        sampler.join()
    finally:
        stop(server)
    text = (f"under py-spy ({args.rate} Hz): {point.rps:.0f} rps, p50 {point.p50_ms:.2f} ms, "
            f"p99 {point.p99_ms:.2f} ms at {args.connections} connections\n")
    text += report(*summarize(folded.read_text()))
    (OUT / "profile.txt").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
