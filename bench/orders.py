"""The order scenarios of `make bench` (issue 5), as an HTTP client of a running mockwish: test orders
generated through the sandbox API, and an order download job followed to its CSV with the real clock.
Used by bench/run.py; no timing decisions here beyond the calls themselves."""

from __future__ import annotations

import http.client
import json
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from client import call, get_json

TOKEN = "an_example_access_token"
POLL_SECONDS = 0.02  # how often the job status is asked while waiting for FINISHED


@dataclass(frozen=True)
class Download:
    job_seconds: float  # create-download-job sent .. the status answer that says FINISHED received
    serve_seconds: float  # GET download_link sent .. its last byte read
    csv_bytes: int
    csv_rows: int  # data rows (the header line excluded)
    total_count: int  # the job's own count

    @property
    def total_seconds(self) -> float:
        return self.job_seconds + self.serve_seconds


def _ok(port: int, target: str) -> Any:
    return get_json(port, target)["data"]


def generate(port: int, count: int) -> float:
    """Seconds of one `POST /sandbox/api/transactions {"count": count}` for the Bearer token's merchant
    (request sent to answer read); checks that it made `count` orders."""
    return generate_ids(port, count)[0]


def generate_ids(port: int, count: int) -> tuple[float, list[str]]:
    """As generate, with the ids of the orders made (all APPROVED: the sandbox's default state)."""
    body = json.dumps({"count": count}).encode()
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
    started = time.perf_counter()
    answer = call(port, "POST", "/sandbox/api/transactions", body, headers)
    seconds = time.perf_counter() - started
    made = json.loads(answer.body) if answer.status == 200 else {}
    if made.get("count") != count:
        raise RuntimeError(f"generating {count} orders answered {answer.status}: {answer.body[:300]!r}")
    return seconds, made["order_ids"]


def generate_many(port: int, total: int, batch: int, label: str) -> tuple[list[float], list[str]]:
    """`total` orders in calls of `batch` (the sandbox's limit is 10,000 per call): each call's seconds and
    every order id made."""
    calls: list[float] = []
    ids: list[str] = []
    while len(ids) < total:
        seconds, made = generate_ids(port, min(batch, total - len(ids)))
        calls.append(seconds)
        ids += made
        print(f"{label}: generated {len(ids):,} orders ({seconds:.2f} s)", flush=True)
    return calls, ids


def check_page(port: int, start: int, limit: int) -> None:
    """multi-get at `start` answers a full page of orders (the load's deepest offset is served)."""
    page = _ok(port, f"/api/v2/order/multi-get?limit={limit}&start={start}&access_token={TOKEN}")
    if len(page) != limit or "Order" not in page[0]:
        raise RuntimeError(f"multi-get start={start} answered {len(page)} orders, not {limit}")


def download(port: int, timeout: float = 120) -> Download:
    """An order download job over every order of the merchant, with the server's real clock: create it,
    ask its status every POLL_SECONDS until FINISHED, then read the CSV at download_link to its last byte."""
    started = time.perf_counter()
    job_id = _ok(port, f"/api/v2/order/create-download-job?access_token={TOKEN}")["job_id"]
    status_target = f"/api/v2/order/get-download-job-status?job_id={job_id}&access_token={TOKEN}"
    while True:
        data = _ok(port, status_target)
        if data["status"] == "FINISHED":
            break
        if time.perf_counter() - started > timeout:
            raise RuntimeError(f"download job {job_id} not FINISHED after {timeout} s: {data}")
        time.sleep(POLL_SECONDS)
    finished = time.perf_counter()
    size, lines = _read_all(port, urlsplit(data["download_link"]).path)
    return Download(finished - started, time.perf_counter() - finished, size, lines - 1, int(data["total_count"]))


def _read_all(port: int, path: str) -> tuple[int, int]:
    """(bytes, lines) of a GET answer, read in 1 MB chunks."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        if response.status != 200:
            raise RuntimeError(f"GET {path} answered {response.status}: {response.read()[:300]!r}")
        size = lines = 0
        while chunk := response.read(1 << 20):
            size += len(chunk)
            lines += chunk.count(b"\n")
        return size, lines
    finally:
        conn.close()
