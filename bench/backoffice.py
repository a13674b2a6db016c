"""The WishPost back-office measures of `make bench` (issue 14), run by bench/run.py's `backoffice` section:
- orders_bag/create with 1,000 logistics codes: on one kept-alive connection, BAG_RUNS bags, each of 1,000
  fresh Accepted parcels made through the sandbox beforehand; the time from the request sent to the answer;
- get_order_payment with 100 tracking ids (parcels past the warehouse, so each has its logistics charge):
  wrk POSTing the same JSON body, against the bare app's constant v3 body on the same path;
- a statement over STATEMENT_CHARGES charges: payment_statement/download, then check-status polled with the
  clock moved past the job's run, then the file downloaded; timed from the first request to the last byte.
The request bodies are built here; the servers and the load generator are run.py's."""

from __future__ import annotations

import io
import json
import statistics
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from keepalive import Connection
from openpyxl import load_workbook

from mockwish.wishpost.bags.rules import hub_of_warehouse

TOKEN = "an_example_wishpost_token"
BAG_CODES = 1_000
BAG_RUNS = 5
PAYMENT_IDS = 100
STATEMENT_CHARGES = 10_000
SANDBOX_BATCH = 2_000  # the sandbox's most parcels a call (mockwish.wishpost.parcels.generate.MAX_PARCELS)
JSON_HEADERS = {"Content-Type": "application/json", "Authorization": f"Bearer {TOKEN}"}


def _call(conn: Connection, method: str, path: str, body: Any = None) -> Any:
    status, answer, _ = conn.send(method, path, json.dumps(body).encode() if body is not None else b"",
                                  JSON_HEADERS)
    if status != 200:
        raise RuntimeError(f"{method} {path} answered {status}: {answer[:300]!r}")
    return json.loads(answer)


def parcels(port: int, count: int, state: str, seed: int, channel: str | None = None) -> list[dict[str, Any]]:
    """`count` parcels of the default user in `state`, made through the sandbox in batches."""
    conn = Connection(port)
    made: list[dict[str, Any]] = []
    try:
        while len(made) < count:
            n = min(SANDBOX_BATCH, count - len(made))
            made += _call(conn, "POST", "/sandbox/api/wishpost/parcels",
                          {"count": n, "state": state, "seed": seed + len(made),
                           **({"channel": channel} if channel else {})})["parcels"]
    finally:
        conn.close()
    return made


def hub_codes(port: int, count: int, hub: int, seed: int) -> list[str]:
    """The logistics order codes of `count` Accepted EPC parcels bound for `hub` (order_status tells each
    parcel's warehouse; the warehouse gives the hub)."""
    codes: list[str] = []
    conn = Connection(port)
    try:
        while len(codes) < count:
            made = parcels(port, 500, "accepted", seed + len(codes) * 7, channel="36-1")
            orders = _call(conn, "POST", "/wishpost/api/v3/order_status",
                           {"wish_standard_tracking_ids": [p["wish_standard_tracking_id"] for p in made]})["orders"]
            codes += [o["logistics_order_code"] for o in orders
                      if hub_of_warehouse(int(o["dest_warehouse_code"])) == hub and o["logistics_order_code"]]
    finally:
        conn.close()
    return codes[:count]


def bag_times(port: int, runs: int = BAG_RUNS) -> list[float]:
    """Seconds for orders_bag/create with BAG_CODES valid codes (hub 3001's parcels), each run."""
    batches = [hub_codes(port, BAG_CODES, 3001, 10_000 * (run + 1)) for run in range(runs)]
    conn = Connection(port)
    times = []
    try:
        for codes in batches:
            body = {"pickup_service": 9999, "hub_warehouse_code": 3001, "logistics_order_codes": codes}
            start = time.perf_counter()
            status, answer, _ = conn.send("POST", "/wishpost/api/v3/orders_bag/create", json.dumps(body).encode(),
                                          JSON_HEADERS)
            times.append(time.perf_counter() - start)
            if status != 200 or json.loads(answer)["code"] != 0:
                raise RuntimeError(f"orders_bag/create answered {status}: {answer[:300]!r}")
    finally:
        conn.close()
    return times


def payment_body(port: int) -> bytes:
    ids = [p["barcode"] for p in parcels(port, PAYMENT_IDS, "shipping", 77)]
    return json.dumps({"access_token": TOKEN, "tracking_ids": ids}).encode()


def statement_seconds(port: int) -> tuple[float, int]:
    """(seconds from the download request to the file's last byte, the file's bytes) over STATEMENT_CHARGES
    charged parcels; the clock is moved on to finish the job, as a test would."""
    parcels(port, STATEMENT_CHARGES, "shipping", 500_000)
    conn = Connection(port)
    try:
        start = time.perf_counter()
        stamp = _call(conn, "GET", "/wishpost/api/v3/oauth/test")["timestamp"]  # the mock's Beijing time
        today = datetime.strptime(stamp[:10], "%Y-%m-%d")
        job = _call(conn, "POST", "/wishpost/api/v3/payment_statement/download",
                    {"start_date": (today - timedelta(days=30)).strftime("%Y-%m-%d"), "end_date": stamp[:10]})
        for _ in range(100):
            state = _call(conn, "POST", "/wishpost/api/v3/payment_statement/check-status",
                          {"job_id": job["job_id"], "job_token": job["job_token"]})
            if state.get("complete"):
                break
            _call(conn, "POST", "/sandbox/api/clock", {"advance_seconds": 60})
        path = "/" + job["url"].split("//", 1)[1].split("/", 1)[1]
        status, data, _ = conn.send("GET", path)
        elapsed = time.perf_counter() - start
        if status != 200 or not data.startswith(b"PK"):
            raise RuntimeError(f"the statement answered {status}: {data[:300]!r}")
    finally:
        conn.close()
    sheet = load_workbook(io.BytesIO(data), read_only=True).active
    rows = sum(1 for _ in sheet.iter_rows(values_only=True)) if sheet is not None else 0  # type: ignore[union-attr]
    if rows < STATEMENT_CHARGES:
        raise RuntimeError(f"the statement holds {rows} rows, fewer than the {STATEMENT_CHARGES:,} charges made")
    return elapsed, len(data)


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def median_ms(times: list[float]) -> float:
    return statistics.median(times) * 1000
