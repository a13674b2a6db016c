"""A/B of two versions of mockwish on the same load, in one run: this checkout against another commit (a git
worktree under bench/out/ab-base), each on a fresh data dir seeded alike, loaded in rounds whose order rotates
(bench/run.py's measure_rounds), medians of the rounds. For "measure before and after each change" (issue 12)
without the machine's drift between two `make bench` runs landing on one side.

    .venv/bin/python bench/ab.py [--base HEAD~1 | --base-dir DIR] [--load read|mix|writes|orders] [--rounds 6]
                                 [--duration 10]

orders: the default merchant of each store gets ORDERS (10,000) generated orders, then
GET /api/v2/order/multi-get?limit=100&start=<random> as bench/run.py's orders section loads it.
Needs wrk for mix and writes (bench/mix.lua). Prints the table and writes it to bench/out/ab.md."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

import orders
from run import (
    ORDER_PAGE,
    ORDER_PAGE_SIZE,
    ORDERS,
    OUT,
    PRODUCT_READ,
    ROOT,
    Options,
    Point,
    Target,
    catalogue,
    launch,
    measure_rounds,
    median_point,
    mix_target,
    mockwish_cmd,
    pick_loadgen,
    rounds_table,
    server_env,
    stop,
)

PORTS = {"base": 18101, "this": 18102}
SHARES = {"read": 0.0, "mix": 0.1, "writes": 1.0}
LOADS = (*SHARES, "orders")


def worktree(rev: str) -> Path:
    """A checkout of `rev` beside this one (made again for each run: the revision may have moved)."""
    path = OUT / "ab-base"
    if path.exists():
        subprocess.run(["git", "worktree", "remove", "--force", str(path)], cwd=ROOT, check=False,
                       capture_output=True)
        shutil.rmtree(path, ignore_errors=True)
    subprocess.run(["git", "worktree", "add", "--detach", str(path), rev], cwd=ROOT, check=True,
                   capture_output=True)
    return path


def target_for(load: str, port: int, label: str) -> Target:
    if load == "orders":
        orders.generate(port, ORDERS)
        orders.check_page(port, ORDER_PAGE.start_max, ORDER_PAGE_SIZE)
        return ORDER_PAGE
    if load != "read":
        return mix_target(port, f"ab-{label}", SHARES[load])[0]
    ids_file = OUT / f"ab-{label}-ids.txt"
    ids_file.write_text("\n".join(catalogue(port)[0]) + "\n")
    return Target(PRODUCT_READ.path, PRODUCT_READ.query, ids=ids_file)


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process (all its threads) so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_per_request(seconds: float, points: list[Point], warmup: int) -> float:
    """Microseconds of the server's CPU per request over the rounds (their warm-ups' requests estimated at the
    round's rate). Steadier than requests/s when other work shares the cores: it counts the server's own work."""
    requests = sum(p.requests + p.rps * warmup for p in points)
    return 1e6 * seconds / requests if requests else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", default="HEAD~1", help="the other version (any git revision)")
    parser.add_argument("--base-dir", type=Path, default=None,
                        help="the other version as a checkout already on disk (one change against the next, "
                             "neither committed), instead of --base")
    parser.add_argument("--load", choices=sorted(LOADS), default="read")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--env-this", action="append", default=[], metavar="NAME=VALUE",
                        help="an environment variable for this checkout's server only (A/B of a setting: "
                             "--base HEAD --env-this MOCKWISH_...=...)")
    args = parser.parse_args()
    extra = dict(item.split("=", 1) for item in args.env_this)
    OUT.mkdir(parents=True, exist_ok=True)
    base = args.base_dir.resolve() if args.base_dir else worktree(args.base)
    loadgen = pick_loadgen(Options(args.duration, args.warmup, "auto", 0, 0, rounds=args.rounds),
                           OUT / "ab-ids.txt")
    servers = {}
    try:
        for name, cwd in (("base", base), ("this", ROOT)):
            data = OUT / f"ab-{name}-data"
            shutil.rmtree(data, ignore_errors=True)
            env = {**server_env(data), **(extra if name == "this" else {})}
            servers[name] = launch(mockwish_cmd(PORTS[name]), env, PORTS[name],
                                   OUT / f"ab-{name}.log", cwd=cwd)[0]
        targets = {name: (PORTS[name], target_for(args.load, PORTS[name], name)) for name in PORTS}
        cpu = {name: cpu_seconds(proc.pid) for name, proc in servers.items()}
        points = measure_rounds(loadgen, targets, PRODUCT_READ, f"ab-{args.load}", args.rounds, rotate=True)
        cpu = {name: cpu_seconds(proc.pid) - cpu[name] for name, proc in servers.items()}
    finally:
        for proc in servers.values():
            stop(proc)
    ratio = median_point(points["this"]).rps / median_point(points["base"]).rps
    per_request = {name: cpu_per_request(cpu[name], points[name], args.warmup) for name in PORTS}
    short = subprocess.run(["git", "rev-parse", "--short", args.base], cwd=ROOT, capture_output=True,
                           text=True).stdout.strip()
    other = str(base) if args.base_dir else f"{args.base} ({short})"
    text = (f"# A/B, {args.load}: this checkout{''.join(f' with {e}' for e in args.env_this)} against "
            f"{other}"
            f", {args.rounds} rounds rotated, {loadgen.name}\n\n"
            f"this / base, requests/s: **{ratio:.3f}**\n\n"
            f"server CPU per request (warm-ups included): {per_request['base']:.1f} us base, "
            f"{per_request['this']:.1f} us this: **{per_request['this'] / per_request['base']:.3f}**\n\n"
            f"{rounds_table(points, reference='base')}\n")
    (OUT / "ab.md").write_text(text)
    print(text)


if __name__ == "__main__":
    sys.exit(main())
