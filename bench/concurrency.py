"""Concurrency soak (issue 11): many clients against one real `mockwish serve` process, with global resets
in the middle of the traffic, then a check that no acknowledged write was lost.

`python bench/concurrency.py [--seconds 120] [--clients 64] [--reset-every 20]`

The server is started as a user starts it (`python -m mockwish serve`, MOCKWISH_DATA_DIR in a temporary
directory, MOCKWISH_HOST=127.0.0.1, a free MOCKWISH_PORT, MOCKWISH_WISHPOST_PORT=0, log level warning) with
MOCKWISH_RATE_LIMIT_ENABLED=false so that the clients are never throttled. Its output goes to a log file
that is searched for tracebacks at the end.

The clients are threads, each with its own `httpx.Client` (keep-alive), the way tests/test_store_concurrency.py
drives a server. Each one loops over a weighted mix:

- product:  POST /api/v2/product/add with a SKU unique to the run, client and call;
- fulfil:   POST /api/v2/order/fulfill-one of one of its own APPROVED orders (USPS, a tracking number unique to
            the run, origin CN); the client makes its orders in batches with POST /sandbox/api/transactions
            {"count": N} (Bearer an_example_access_token) and drops the ones a reset may have erased;
- refresh:  POST /sandbox/api/oauth/codes (Bearer second_example_access_token), GET
            /api/v3/oauth/access_token (authorization_code), POST /api/v3/oauth/refresh_token (refresh_token);
- mint:     POST /sandbox/api/oauth/codes alone;
- read:     GET /sandbox/api/merchants (three merchants expected).

A controller thread posts /sandbox/api/reset every `--reset-every` seconds of traffic (the last one at
least half an interval before the end). A reset legitimately erases what was written before it, so every
acknowledged write is kept with the instants its request was sent and its answer arrived, and every reset
with the same two instants. A write **must survive** when its request was sent after the last reset's
answer arrived (and so, then, was its answer). Reading a write back: a product by id with its SKU
(`GET /api/v2/product`), a fulfilled order SHIPPED with its tracking number (`GET /api/v2/order`), a
refreshed access token answering `GET /api/v2/auth_test` for its merchant.

- At the end, once the traffic has stopped, **every** write that must survive is read back.
- Before each reset, a sweep (concurrent with the traffic, `--verify-workers` threads) reads back a random
  sample (`--sweep-sample`) of the writes of the epoch that ends: sent after the previous reset's answer,
  acknowledged before the sweep started. They must be there: the same rule, one epoch earlier.
- Right after each reset, the same sample (which the sweep just pulled into the server's read caches) is
  read again: it must now be gone (a product or an order still answering as written, or a token still
  accepted, is a stale read after a reset).

Writes whose request overlapped a reset are never checked either way.

A rejection (non-zero Wish code) is expected only when a reset overlapped the call or what it depends on
(an order made before a reset, a code or refresh token minted before one); a fulfilment refused by the
Confirmed Delivery policy (the generated order ships to a country where USPS is not a confirmed-delivery
carrier) is a business rule and counted apart. Every other rejection is unexpected.

Pass criteria: no 5xx, no Wish code 9000, no transport error, no lost acknowledged write, no stale read
after a reset, no unexpected rejection, no traceback in the server log, `PRAGMA integrity_check` ok.
The process exits 1 when one is missed. The report goes to stdout and to bench/out/concurrency.md;
`--record` also writes it into bench/RESULTS.md, as the section of that name below the marker line (a
section of the same name is replaced). Never part of the test suite."""

from __future__ import annotations

import argparse
import itertools
import os
import platform
import random
import re
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
RESULTS = ROOT / "bench" / "RESULTS.md"
NOTES_MARKER = "<!-- Notes below this line are kept by bench/run.py; edit them by hand. -->"
PY = sys.executable
HEADING = "## Concurrency soak (issue 11)"

DEFAULT_TOKEN = "an_example_access_token"
SECOND_TOKEN = "second_example_access_token"
SECOND_USERNAME = "second@example.com"
IMAGE = "https://img.example.com/x.jpg"
CONFIRMED_DELIVERY = "requires Confirmed Delivery"  # the message of the Confirmed Delivery refusal
LOG_FAULTS = ("Traceback", "StoreOwnerError", "FOREIGN KEY", "no transaction", "database is locked")

# the mix: operation -> weight
MIX = {"product": 30, "fulfil": 30, "refresh": 15, "mint": 10, "read": 15}


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def now() -> float:
    return time.monotonic()


# ---- the server --------------------------------------------------------------------------------------------

class Server:
    def __init__(self, data_dir: Path, log: Path, extra_env: dict[str, str]) -> None:
        self.data_dir, self.log = data_dir, log
        self.port = free_port()
        self.env = {**os.environ, "MOCKWISH_DATA_DIR": str(data_dir), "MOCKWISH_HOST": "127.0.0.1",
                    "MOCKWISH_PORT": str(self.port), "MOCKWISH_WISHPOST_PORT": "0",
                    "MOCKWISH_LOG_LEVEL": "warning", "MOCKWISH_RATE_LIMIT_ENABLED": "false", **extra_env}
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 120) -> float:
        """Starts the server; the seconds to the first 200 on /healthz (a fresh data dir: seeding included)."""
        started = now()
        with self.log.open("wb") as sink:  # a file, not a pipe: a chatty server must never block on its log
            self.proc = subprocess.Popen([PY, "-m", "mockwish", "serve"], cwd=ROOT, env=self.env, stdout=sink,
                                         stderr=subprocess.STDOUT)
        while now() - started < timeout:
            if self.proc.poll() is not None:
                sys.exit(f"the server exited with {self.proc.returncode}:\n{self.log.read_text()}")
            try:
                if httpx.get(f"{self.base}/healthz", timeout=1).status_code == 200:
                    return now() - started
            except httpx.TransportError:
                pass
            time.sleep(0.05)
        self.stop()
        sys.exit(f"the server did not answer /healthz within {timeout:.0f} s:\n{self.log.read_text()}")

    def cpu_seconds(self) -> float:
        """User + system CPU time of the server process so far."""
        assert self.proc is not None
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> str:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None
        return self.log.read_text(errors="replace")


# ---- resets and writes ---------------------------------------------------------------------------------------

@dataclass
class Reset:
    sent: float
    answered: float | None = None  # None while in flight


class Resets:
    """Every reset with its two instants; what a call's window may have lost to one."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.all: list[Reset] = []

    def begin(self) -> Reset:
        with self.lock:
            r = Reset(now())
            self.all.append(r)
            return r

    def end(self, r: Reset) -> None:
        with self.lock:
            r.answered = now()

    def overlaps(self, t0: float, t1: float) -> bool:
        """Whether some reset may have been applied between t0 and t1 (sent before t1, answered after t0)."""
        with self.lock:
            return any(r.sent < t1 and (r.answered is None or r.answered > t0) for r in self.all)


@dataclass(frozen=True)
class Write:
    kind: str  # product | order | token
    sent: float
    acked: float
    key: str  # product id | order id | access token
    expect: str  # SKU | tracking number | merchant username


@dataclass
class Kind:
    calls: int = 0
    answers: Counter[str] = field(default_factory=Counter)  # "200 code 0", "400 code 1004", ...
    latencies: list[float] = field(default_factory=list)


class Ledger:
    """Every call of every thread, every acknowledged write, every fault."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.kinds: dict[str, Kind] = defaultdict(Kind)
        self.writes: list[Write] = []
        self.faults: Counter[str] = Counter()  # 5xx, code 9000, transport
        self.fault_samples: list[str] = []
        self.rejections: Counter[str] = Counter()  # expected (reset), business rule, unexpected
        self.unexpected: list[str] = []

    def record(self, kind: str, started: float, status: int | None, code: Any) -> None:
        with self.lock:
            k = self.kinds[kind]
            k.calls += 1
            k.latencies.append(now() - started)
            k.answers["transport error" if status is None else f"{status}" if code is None else
                      f"{status} code {code}"] += 1

    def fault(self, what: str, sample: str) -> None:
        with self.lock:
            self.faults[what] += 1
            if len(self.fault_samples) < 20:
                self.fault_samples.append(sample[:400])

    def reject(self, how: str, sample: str) -> None:
        with self.lock:
            self.rejections[how] += 1
            if how == "unexpected" and len(self.unexpected) < 20:
                self.unexpected.append(sample[:400])

    def acked(self, w: Write) -> None:
        with self.lock:
            self.writes.append(w)


class Caller:
    """One HTTP client: every call recorded, 5xx / 9000 / transport errors counted as faults."""

    def __init__(self, base: str, ledger: Ledger) -> None:
        self.http = httpx.Client(base_url=base, timeout=120)
        self.ledger = ledger

    def close(self) -> None:
        self.http.close()

    def __call__(self, kind: str, method: str, path: str, **kw: Any) -> tuple[int, Any] | None:
        """(status, JSON body), or None on a transport error."""
        started = now()
        try:
            r = self.http.request(method, path, **kw)
        except httpx.TransportError as exc:
            self.ledger.record(kind, started, None, None)
            self.ledger.fault("transport error", f"{kind} {method} {path}: {exc!r}")
            return None
        try:
            body: Any = r.json()
        except ValueError:
            body = r.text
        # a Wish envelope's code (the sandbox API's own answers are plain JSON: a minted code is no Wish code)
        code = body.get("code") if isinstance(body, dict) and {"code", "data", "message"} <= body.keys() else None
        self.ledger.record(kind, started, r.status_code, code)
        if r.status_code >= 500:
            self.ledger.fault("5xx", f"{kind} {r.status_code}: {r.text}")
        if code == 9000:
            self.ledger.fault("Wish code 9000", f"{kind} {r.status_code}: {r.text}")
        return r.status_code, body


def ok(answer: tuple[int, Any] | None) -> bool:
    return answer is not None and answer[0] == 200 and isinstance(answer[1], dict) and answer[1].get("code") == 0


# ---- the clients ---------------------------------------------------------------------------------------------

@dataclass
class Soak:
    base: str
    run: str  # unique to this run: SKUs and tracking numbers
    clients: int
    seconds: float
    reset_every: float
    orders_per_batch: int
    verify_workers: int
    sweep_sample: int
    seed: int
    ledger: Ledger = field(default_factory=Ledger)
    resets: Resets = field(default_factory=Resets)
    stop: threading.Event = field(default_factory=threading.Event)
    epochs: list[dict[str, Any]] = field(default_factory=list)
    thread_errors: list[str] = field(default_factory=list)

    # -- one client ------------------------------------------------------------------------------------------

    def client(self, n: int) -> None:
        rng = random.Random(self.seed * 1000 + n)
        call = Caller(self.base, self.ledger)
        orders: list[tuple[str, float]] = []  # (order id, when its generation was sent)
        counter = itertools.count()
        ops: dict[str, Callable[[], None]] = {
            "product": lambda: self.add_product(call, n, next(counter)),
            "fulfil": lambda: self.fulfil(call, n, next(counter), orders),
            "refresh": lambda: self.refresh(call),
            "mint": lambda: self.mint(call),
            "read": lambda: self.read(call),
        }
        names, weights = list(MIX), list(MIX.values())
        try:
            while not self.stop.is_set():
                ops[rng.choices(names, weights)[0]]()
        except Exception as exc:  # reported, not lost in a thread
            self.thread_errors.append(f"client {n}: {exc!r}")
        finally:
            call.close()

    def expected_if_reset(self, since: float, what: str, answer: tuple[int, Any] | None) -> None:
        if answer is None:
            return  # already a fault
        how = "expected (a reset overlapped)" if self.resets.overlaps(since, now()) else "unexpected"
        self.ledger.reject(how, f"{what}: {answer[0]} {str(answer[1])[:300]}")

    def add_product(self, call: Caller, n: int, i: int) -> None:
        sku = f"soak-{self.run}-{n}-{i}"
        sent = now()
        a = call("product/add", "POST", "/api/v2/product/add",
                 data={"name": f"Soak mug {n}-{i}", "description": "A mug made by the soak", "sku": sku,
                       "inventory": "5", "price": "10", "shipping": "2", "main_image": IMAGE,
                       "access_token": DEFAULT_TOKEN})
        if ok(a):
            assert a is not None
            self.ledger.acked(Write("product", sent, now(), a[1]["data"]["Product"]["id"], sku))
        elif a is not None:  # nothing a reset erases is needed to add a product
            self.ledger.reject("unexpected", f"product/add {sku}: {a[0]} {str(a[1])[:300]}")

    def fulfil(self, call: Caller, n: int, i: int, orders: list[tuple[str, float]]) -> None:
        orders[:] = [o for o in orders if not self.resets.overlaps(o[1], now())]  # erased, or may be
        if not orders:
            sent = now()
            a = call("sandbox/transactions", "POST", "/sandbox/api/transactions",
                     json={"count": self.orders_per_batch}, headers={"Authorization": f"Bearer {DEFAULT_TOKEN}"})
            if a is None or a[0] != 200:
                self.expected_if_reset(sent, "sandbox/transactions", a)
                return
            orders[:] = [(oid, sent) for oid in a[1]["order_ids"]]
        oid, made = orders.pop()
        tracking = f"9400{n:03d}{i:015d}"  # alphanumeric, 22 characters, unique to the client's call
        sent = now()
        a = call("order/fulfill-one", "POST", "/api/v2/order/fulfill-one",
                 data={"id": oid, "tracking_provider": "USPS", "tracking_number": tracking,
                       "origin_country_code": "CN", "access_token": DEFAULT_TOKEN})
        if ok(a):
            self.ledger.acked(Write("order", sent, now(), oid, tracking))
        elif a is not None and CONFIRMED_DELIVERY in str(a[1].get("message", "") if isinstance(a[1], dict) else ""):
            self.ledger.reject("business rule (Confirmed Delivery carrier)", str(a[1]))
        else:
            self.expected_if_reset(made, "order/fulfill-one", a)

    def mint_code(self, call: Caller, kind: str) -> tuple[float, dict[str, Any] | None]:
        sent = now()
        a = call(kind, "POST", "/sandbox/api/oauth/codes", headers={"Authorization": f"Bearer {SECOND_TOKEN}"})
        if a is not None and a[0] == 200 and isinstance(a[1], dict) and "code" in a[1]:
            return sent, a[1]
        if a is not None:  # the seeded app and merchant survive every reset
            self.ledger.reject("unexpected", f"{kind}: {a[0]} {str(a[1])[:300]}")
        return sent, None

    def mint(self, call: Caller) -> None:
        self.mint_code(call, "sandbox/oauth/codes (mint only)")

    def refresh(self, call: Caller) -> None:
        began, minted = self.mint_code(call, "sandbox/oauth/codes (for refresh)")
        if minted is None:
            return
        app = {"client_id": minted["client_id"], "client_secret": minted["client_secret"]}
        a = call("oauth/access_token", "GET", "/api/v3/oauth/access_token",
                 params={**app, "code": minted["code"], "grant_type": "authorization_code",
                         "redirect_uri": minted["redirect_uri"]})
        if not ok(a):
            self.expected_if_reset(began, "oauth/access_token", a)
            return
        assert a is not None
        sent = now()
        b = call("oauth/refresh_token", "POST", "/api/v3/oauth/refresh_token",
                 json={**app, "refresh_token": a[1]["data"]["refresh_token"], "grant_type": "refresh_token"})
        if ok(b):
            assert b is not None
            self.ledger.acked(Write("token", sent, now(), b[1]["data"]["access_token"], SECOND_USERNAME))
        else:
            self.expected_if_reset(began, "oauth/refresh_token", b)

    def read(self, call: Caller) -> None:
        a = call("sandbox/merchants", "GET", "/sandbox/api/merchants")
        if a is not None and not (a[0] == 200 and isinstance(a[1], list) and len(a[1]) == 3):
            self.ledger.reject("unexpected", f"sandbox/merchants: {a[0]} {str(a[1])[:300]}")

    # -- checking writes -------------------------------------------------------------------------------------

    def present(self, call: Caller, w: Write) -> bool | None:
        """Whether the write reads back as written; None when the read itself failed (a fault)."""
        if w.kind == "product":
            a = call("check product", "GET", "/api/v2/product", params={"id": w.key, "access_token": DEFAULT_TOKEN})
            if a is None or a[0] >= 500:
                return None
            if not ok(a):
                return False
            p = a[1]["data"]["Product"]
            return p["parent_sku"] == w.expect and [v["Variant"]["sku"] for v in p["variants"]] == [w.expect]
        if w.kind == "order":
            a = call("check order", "GET", "/api/v2/order", params={"id": w.key, "access_token": DEFAULT_TOKEN})
            if a is None or a[0] >= 500:
                return None
            if not ok(a):
                return False
            o = a[1]["data"]["Order"]
            return o["state"] == "SHIPPED" and o.get("tracking_number") == w.expect
        a = call("check token", "GET", "/api/v2/auth_test", params={"access_token": w.key})
        if a is None or a[0] >= 500:
            return None
        return ok(a) and a[1]["data"].get("merchant_username") == w.expect

    def check_all(self, writes: list[Write]) -> list[tuple[Write, bool | None]]:
        """Every write read back, by `verify_workers` threads each with its own client."""
        local = threading.local()
        callers: list[Caller] = []
        lock = threading.Lock()

        def one(w: Write) -> tuple[Write, bool | None]:
            if not hasattr(local, "call"):
                local.call = Caller(self.base, self.ledger)
                with lock:
                    callers.append(local.call)
            return w, self.present(local.call, w)

        try:
            with ThreadPoolExecutor(self.verify_workers) as pool:
                return list(pool.map(one, writes))
        finally:
            for c in callers:
                c.close()

    def writes_between(self, after: float, before: float) -> list[Write]:
        """Writes sent after `after` and acknowledged before `before`."""
        with self.ledger.lock:
            return [w for w in self.ledger.writes if w.sent > after and w.acked < before]

    # -- the controller ---------------------------------------------------------------------------------------

    def controller(self, started: float) -> None:
        """Resets due every `reset_every` seconds from the start of the traffic, the last one at least half
        an interval before its end. Before each: a sweep over a random sample of the epoch's writes (they
        must be there); right after it: the same sample again (it must be gone)."""
        call = Caller(self.base, self.ledger)
        end = started + self.seconds
        rng = random.Random(self.seed)
        epoch_began = started  # answer of the previous reset (the start of the traffic for the first epoch)
        try:
            for k in itertools.count(1):
                due = started + k * self.reset_every
                if due > end - self.reset_every / 2 or self.stop.wait(max(0.0, due - now())):
                    return
                sweep_at = now()
                epoch = self.writes_between(epoch_began, sweep_at)
                swept = rng.sample(epoch, min(self.sweep_sample, len(epoch)))
                checked = self.check_all(swept)
                swept_s = now() - sweep_at
                r = self.resets.begin()
                a = call("sandbox/reset", "POST", "/sandbox/api/reset")
                self.resets.end(r)
                assert r.answered is not None
                if a is None or a[0] != 200:
                    self.ledger.reject("unexpected", f"sandbox/reset: {a}")
                after = self.check_all(swept)  # every one acknowledged before the reset was sent
                self.epochs.append({
                    "epoch": k, "from_s": epoch_began - started, "sweep_at_s": sweep_at - started,
                    "writes": len(epoch), "checked": len(checked), "by_kind": Counter(w.kind for w in swept),
                    "lost": [w for w, there in checked if there is False], "sweep_s": swept_s,
                    "reset_at_s": r.sent - started, "answered_s": r.answered - started,
                    "reset_ms": (r.answered - r.sent) * 1000,
                    "stale": [w for w, there in after if there is True],
                })
                epoch_began = r.answered
        except Exception as exc:
            self.thread_errors.append(f"controller: {exc!r}")
        finally:
            call.close()

    def go(self) -> dict[str, Any]:
        started = now()
        threads = [threading.Thread(target=self.client, args=(n,), name=f"client-{n}") for n in range(self.clients)]
        control = threading.Thread(target=self.controller, args=(started,), name="controller")
        for t in threads:
            t.start()
        control.start()
        self.stop.wait(self.seconds)
        self.stop.set()
        control.join()
        for t in threads:
            t.join(timeout=300)
        traffic_s = now() - started
        # the last epoch: every write sent after the last reset's answer, checked once the traffic stopped
        with self.resets.lock:
            last = max((r.answered or 0.0 for r in self.resets.all), default=started)
        final = self.writes_between(last, now())
        final_checked = self.check_all(final)
        return {"traffic_s": traffic_s, "final_checked": len(final_checked),
                "final_by_kind": Counter(w.kind for w in final),
                "final_lost": [w for w, there in final_checked if there is False],
                "final_unreadable": sum(1 for _, there in final_checked if there is None)}


# ---- the report ----------------------------------------------------------------------------------------------

def pct(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))] * 1000


def table(head: list[str], rows: Iterable[list[str]]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown CPU"


def record_section(heading: str, text: str) -> None:
    """Put `text` (starting with `heading`) into bench/RESULTS.md below the marker line that bench/run.py
    keeps: replaces a section of that heading (up to the next `## `), else appends it at the end."""
    doc = RESULTS.read_text()
    if NOTES_MARKER not in doc:
        sys.exit(f"{RESULTS} lacks its marker line; not touching it")
    head, notes = doc.split(NOTES_MARKER, 1)
    block = re.compile(rf"^{re.escape(heading)}\n.*?(?=^## |\Z)", re.S | re.M)
    if block.search(notes):
        notes = block.sub(lambda _: text.rstrip() + "\n\n", notes, count=1)
    else:
        notes = notes.rstrip() + "\n\n" + text.rstrip() + "\n"
    RESULTS.write_text(head + NOTES_MARKER + notes)


def report(args: argparse.Namespace, soak: Soak, end: dict[str, Any], facts: dict[str, Any]) -> tuple[str, bool]:
    led = soak.ledger
    total_calls = sum(k.calls for k in led.kinds.values())
    kinds_rows = []
    for name, k in sorted(led.kinds.items(), key=lambda kv: -kv[1].calls):
        answers = ", ".join(f"{a}: {c:,}" for a, c in k.answers.most_common())
        kinds_rows.append([f"`{name}`", f"{k.calls:,}", f"{k.calls / end['traffic_s']:,.0f}",
                           f"{pct(k.latencies, 0.5):.1f}", f"{pct(k.latencies, 0.99):.1f}", answers])
    writes = Counter(w.kind for w in led.writes)
    swept = sum(e["checked"] for e in soak.epochs)
    lost = sum(len(e["lost"]) for e in soak.epochs) + len(end["final_lost"])
    stale = sum(len(e["stale"]) for e in soak.epochs)
    earlier = sum(e["writes"] for e in soak.epochs)
    log_hits = {s: facts["log"].count(s) for s in LOG_FAULTS}
    faults_5xx, faults_9000, transport = led.faults["5xx"], led.faults["Wish code 9000"], led.faults["transport error"]
    unexpected = led.rejections["unexpected"]
    verdicts = [
        ("HTTP 5xx answers", f"{faults_5xx}", faults_5xx == 0),
        ("Wish code 9000 answers", f"{faults_9000}", faults_9000 == 0),
        ("transport errors (refused, reset, timed out)", f"{transport}", transport == 0),
        ("acknowledged writes lost: after the last reset (all of them read back at the end)",
         f"{len(end['final_lost'])} of {end['final_checked']:,}", not end["final_lost"] and end["final_checked"] > 0),
        ("acknowledged writes lost: earlier epochs, a sample read back before each reset",
         f"{lost - len(end['final_lost'])} of {swept:,}", lost == len(end["final_lost"])),
        ("stale reads after a reset (a swept write still answering as written)", f"{stale} of {swept:,}",
         stale == 0),
        ("unexpected rejections (no reset overlapped)", f"{unexpected}", unexpected == 0),
        ("tracebacks in the server log", f"{log_hits['Traceback']}", log_hits["Traceback"] == 0),
        ("other fault lines in the server log (" + ", ".join(f"`{s}`" for s in LOG_FAULTS[1:]) + ")",
         f"{sum(log_hits[s] for s in LOG_FAULTS[1:])}", all(log_hits[s] == 0 for s in LOG_FAULTS[1:])),
        ("`PRAGMA integrity_check` of the database after the stop", facts["integrity"], facts["integrity"] == "ok"),
        ("client threads or controller that died", f"{len(soak.thread_errors)}", not soak.thread_errors),
    ]
    passed = all(v for _, _, v in verdicts)
    epoch_rows = [[str(e["epoch"]), f"{e['from_s']:.1f}", f"{e['sweep_at_s']:.1f}", f"{e['writes']:,}",
                   ", ".join(f"{k} {c:,}" for k, c in sorted(e["by_kind"].items())), f"{e['sweep_s']:.1f}",
                   f"{e['reset_at_s']:.1f}", f"{e['reset_ms']:.0f}", f"{len(e['lost'])}", f"{len(e['stale'])}"]
                  for e in soak.epochs]
    last_from = soak.epochs[-1]["answered_s"] if soak.epochs else 0.0
    epoch_rows.append([f"{len(soak.epochs) + 1} (the last)", f"{last_from:.1f}", "after the traffic",
                       f"{end['final_checked']:,}", ", ".join(f"{k} {c:,}" for k, c in sorted(
                           end["final_by_kind"].items())) + " (all)", "", "", "", f"{len(end['final_lost'])}", ""])
    rejections = ", ".join(f"{how}: {c:,}" for how, c in led.rejections.most_common()) or "none"
    text = f"""{HEADING}

Measured {facts['date']} with `{facts['command']}` ({'passed' if passed else '**FAILED**'}).

- Machine: {cpu_model()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, Python
  {platform.python_version()}; other work was running: load average (1, 5, 15 min) **{facts['load_before']}**
  before the run and **{facts['load_after']}** after it. Server and clients share the 2 cores.
- Server: `python -m mockwish serve`, fresh data dir (default seed and catalogue; first start
  {facts['startup_s']:.1f} s), one uvicorn process, `MOCKWISH_RATE_LIMIT_ENABLED=false`, log level warning.
  Its CPU: {facts['server_cpu_s']:.0f} s over {end['traffic_s']:.0f} s of traffic ({facts['server_cpu_s'] /
  end['traffic_s']:.0%} of one core); the client process: {facts['client_cpu_s']:.0f} s.
- Clients: {args.clients} threads, each with its own `httpx.Client` (keep-alive), for {args.seconds:g} s;
  mix by weight {', '.join(f'{k} {v}' for k, v in MIX.items())} (see the module docstring of
  `bench/concurrency.py`); orders made {args.orders_per_batch} at a time per client; a `POST
  /sandbox/api/reset` due every {args.reset_every:g} s of traffic, each preceded by a sweep reading back
  {args.sweep_sample} of the epoch's writes ({args.verify_workers} threads, concurrent with the traffic) and
  followed by the check that they are gone.

{table(["check", "value", ""], [[m, v, "met" if okay else "**missed**"] for m, v, okay in verdicts])}

{total_calls:,} calls in {end['traffic_s']:.0f} s ({total_calls / end['traffic_s']:,.0f}/s, checks included);
{len(led.writes):,} acknowledged writes (products {writes['product']:,}, fulfilled orders {writes['order']:,},
refreshed tokens {writes['token']:,}). Read back present: all {end['final_checked']:,} made after the last of the
{len(soak.epochs)} resets, and a sample of {swept:,} of the {earlier:,} made in the earlier epochs (each
sample also read back gone after its reset). Rejections: {rejections}.

Calls per kind (latency from the client, in ms; checks included):

{table(["kind", "calls", "per s", "p50 ms", "p99 ms", "answers (HTTP status, Wish code)"], kinds_rows)}

Epochs between resets (seconds from the start of the traffic):

{table(["epoch", "from", "sweep at", "writes by then", "read back", "sweep s", "reset sent at", "reset ms",
        "lost", "stale after reset"], epoch_rows)}
"""
    if led.fault_samples or led.unexpected or soak.thread_errors:
        text += "\nFirst faults: " + "; ".join(f"`{s}`" for s in
                                                 (led.fault_samples + led.unexpected + soak.thread_errors)[:10]) + "\n"
    return text, passed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=120, help="seconds of traffic (120)")
    parser.add_argument("--clients", type=int, default=64, help="client threads (64)")
    parser.add_argument("--reset-every", type=float, default=20, help="seconds between resets (20)")
    parser.add_argument("--orders-per-batch", type=int, default=5, help="orders generated per transactions call")
    parser.add_argument("--verify-workers", type=int, default=16, help="threads reading writes back (16)")
    parser.add_argument("--sweep-sample", type=int, default=150,
                        help="writes of each epoch read back before and after its reset (150)")
    parser.add_argument("--seed", type=int, default=11, help="the clients' random mix")
    parser.add_argument("--record", action="store_true", help=f"also write the section into {RESULTS}")
    args = parser.parse_args()

    OUT.mkdir(exist_ok=True)
    load_before = loadavg()
    started_at = datetime.now(UTC)
    with tempfile.TemporaryDirectory(prefix="mockwish-soak-") as tmp:
        server = Server(Path(tmp) / "data", OUT / "concurrency-server.log", {})
        print(f"starting the server on port {server.port} ...", flush=True)
        startup_s = server.start()
        run = f"{int(time.time()) % 100000:05d}"
        soak = Soak(server.base, run, args.clients, args.seconds, args.reset_every, args.orders_per_batch,
                    args.verify_workers, args.sweep_sample, args.seed)
        print(f"{args.clients} clients for {args.seconds:g} s, reset every {args.reset_every:g} s "
              f"(load average {load_before}) ...", flush=True)
        cpu0, client0 = server.cpu_seconds(), time.process_time()
        end = soak.go()
        server_cpu, client_cpu = server.cpu_seconds() - cpu0, time.process_time() - client0
        log = server.stop()
        db = sqlite3.connect(Path(tmp) / "data" / "mockwish.db")
        try:
            integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            db.close()
    command = "python bench/concurrency.py" + "".join(
        f" --{k.replace('_', '-')} {v:g}" if isinstance(v, float) else f" --{k.replace('_', '-')} {v}"
        for k, v in vars(args).items() if k != "record" and v != parser.get_default(k))
    facts = {"date": started_at.strftime("%Y-%m-%d %H:%M UTC"), "command": command, "load_before": load_before,
             "load_after": loadavg(), "startup_s": startup_s, "server_cpu_s": server_cpu, "client_cpu_s": client_cpu,
             "log": log, "integrity": integrity}
    text, passed = report(args, soak, end, facts)
    (OUT / "concurrency.md").write_text(text)
    print(text)
    if args.record:
        record_section(HEADING, text)
        print(f"written into {RESULTS}")
    sys.exit(0 if passed else 1)


if __name__ == "__main__":
    main()
