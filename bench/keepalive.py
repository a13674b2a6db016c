"""The client side of `make bench`'s single-request measures (issue 12): one kept-alive HTTP/1.1
connection (http.client) to a running mockwish, timing each call from the request sent to the last byte
of its answer read. Used by bench/run.py's afterwrite and memory sections; no load generator here.

- first_after_write: an order write (`POST /api/v2/order/fulfill-one` of an APPROVED order), then one
  `GET /api/v2/order/multi-get?limit=100&start=<random>` timed, N times; and, for reference, a second
  multi-get right after the first (no write between).
- walk: every page of the merchant's multi-get, start 0, 100, 200, ... until a short page.
- product_reads: n product reads of ids drawn at random.
- memory: RssAnon, VmRSS and VmHWM of a process, from /proc/<pid>/status."""

from __future__ import annotations

import http.client
import json
import random
import statistics
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

TOKEN = "an_example_access_token"
PAGE = 100
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


class Connection:
    """One kept-alive connection; reconnects (untimed) when the server closed it, and counts that."""

    def __init__(self, port: int, timeout: float = 120) -> None:
        self.port, self.timeout = port, timeout
        self.conn: http.client.HTTPConnection | None = None
        self.connects = 0

    def _open(self) -> http.client.HTTPConnection:
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            self.conn.connect()
            self.connects += 1
        return self.conn

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def request(self, method: str, target: str, form: dict[str, Any] | None = None) -> tuple[int, bytes, float]:
        """(status, body, seconds from the request sent to the body read)."""
        if form is None:
            return self.send(method, target)
        return self.send(method, target, urlencode(form).encode(), FORM)

    def send(self, method: str, target: str, body: bytes | None = None,
             headers: dict[str, str] | None = None) -> tuple[int, bytes, float]:
        """A request with a body of its own (XML, JSON): (status, body, seconds)."""
        for attempt in (1, 2):
            conn = self._open()
            started = time.perf_counter()
            try:
                conn.request(method, target, body=body, headers=headers or {})
                response = conn.getresponse()
                data = response.read()
            except (http.client.HTTPException, ConnectionError):
                self.close()
                if attempt == 2:
                    raise
                continue
            seconds = time.perf_counter() - started
            if response.will_close:
                self.close()
            return response.status, data, seconds
        raise AssertionError("unreachable")

    def wish(self, method: str, target: str, form: dict[str, Any] | None = None) -> tuple[dict[str, Any], float]:
        """A Merchant API call that must answer 200 code 0: (its JSON, seconds)."""
        status, data, seconds = self.request(method, target, form)
        answer = json.loads(data) if data[:1] == b"{" else {}
        if status != 200 or answer.get("code") != 0:
            raise RuntimeError(f"{method} {target} answered {status}: {data[:300]!r}")
        return answer, seconds


def multi_get_target(start: int) -> str:
    return f"/api/v2/order/multi-get?limit={PAGE}&start={start}&access_token={TOKEN}"


@dataclass(frozen=True)
class AfterWrite:
    first_ms: list[float]  # the multi-get right after each write
    next_ms: list[float]  # the multi-get right after that one (no write between)
    write_ms: list[float]  # the writes themselves
    refused: int  # fulfill-one calls refused (the order could not be shipped with USPS from CN): skipped
    connects: int

    @staticmethod
    def p(values: list[float], q: float) -> float:
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def first_after_write(port: int, order_ids: list[str], runs: int, start_max: int, seed: int = 12) -> AfterWrite:
    """`runs` times: fulfil one APPROVED order of `order_ids` (drawn at random, never twice), then time one
    multi-get page at a random start in 0..start_max, then one more at another random start. The first
    multi-get after starting the connection is made and not counted."""
    rng = random.Random(seed)
    pool = list(order_ids)
    rng.shuffle(pool)
    conn = Connection(port)
    conn.wish("GET", multi_get_target(0))
    first: list[float] = []
    following: list[float] = []
    writes: list[float] = []
    refused = 0
    for n in range(runs):
        while True:
            order_id = pool.pop()
            form = {"id": order_id, "tracking_provider": "USPS", "tracking_number": f"9400{seed:04d}{n:014d}",
                    "origin_country_code": "CN", "access_token": TOKEN}
            status, data, seconds = conn.request("POST", "/api/v2/order/fulfill-one", form)
            if status == 200 and json.loads(data).get("code") == 0:
                writes.append(seconds * 1000)
                break
            if status >= 500:
                raise RuntimeError(f"fulfill-one answered {status}: {data[:300]!r}")
            refused += 1
            if refused > 5 * runs:
                raise RuntimeError(f"fulfill-one refused {refused} orders; the last answered {status}: {data[:300]!r}")
        for sink in (first, following):
            answer, seconds = conn.wish("GET", multi_get_target(rng.randint(0, start_max)))
            if len(answer["data"]) != PAGE:
                raise RuntimeError(f"multi-get answered {len(answer['data'])} orders, not {PAGE}")
            sink.append(seconds * 1000)
    conn.close()
    return AfterWrite(first, following, writes, refused, conn.connects)


@dataclass(frozen=True)
class Walk:
    pages: int
    orders: int
    seconds: float
    page_ms: list[float]


def walk(port: int) -> Walk:
    """Every page of the merchant's multi-get, in order, on one connection."""
    conn = Connection(port)
    start = orders = 0
    page_ms: list[float] = []
    started = time.perf_counter()
    while True:
        answer, seconds = conn.wish("GET", multi_get_target(start))
        page_ms.append(seconds * 1000)
        orders += len(answer["data"])
        if len(answer["data"]) < PAGE:
            break
        start += PAGE
    conn.close()
    return Walk(len(page_ms), orders, time.perf_counter() - started, page_ms)


def product_reads(port: int, ids: list[str], count: int, seed: int = 13) -> tuple[float, list[float]]:
    """`count` product reads of ids drawn at random, on one connection: (seconds, each read's ms)."""
    rng = random.Random(seed)
    conn = Connection(port)
    times: list[float] = []
    started = time.perf_counter()
    for _ in range(count):
        _, seconds = conn.wish("GET", f"/api/v2/product?id={rng.choice(ids)}&access_token={TOKEN}")
        times.append(seconds * 1000)
    conn.close()
    return time.perf_counter() - started, times


def memory(pid: int) -> dict[str, int]:
    """RssAnon, VmRSS and VmHWM (peak resident set) of a process, in kB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("RssAnon", "VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0])
    return fields


def median(values: list[float]) -> float:
    return statistics.median(values)
