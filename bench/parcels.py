"""The WishPost parcel measures of `make bench` (issue 13), run by bench/run.py's `parcels` section:
- create_order: wrk POSTing one XML request of ORDERS_PER_REQUEST valid orders (NonWishOrder, EPC), again
  and again: orders per second = requests per second x ORDERS_PER_REQUEST;
- tracking: wrk POSTing one XML request of 10 seeded barcodes;
- label: on one kept-alive connection, generate_label for one barcode then its PDF_URL downloaded, timed
  from the first request sent to the PDF's last byte, LABEL_RUNS times.
The request bodies are built here; the servers and the load generator are run.py's."""

from __future__ import annotations

import json
import random
import re
import statistics
import time
from pathlib import Path
from xml.sax.saxutils import escape

from keepalive import Connection

from mockwish.wishpost.parcels.generate import fields_for

TOKEN = "an_example_wishpost_token"
ORDERS_PER_REQUEST = 10
LABEL_RUNS = 50
XML = {"Content-Type": "text/xml; charset=utf-8"}


def _el(tag: str, text: str) -> str:
    return f"<{tag}>{escape(text)}</{tag}>"


def create_order_body(n: int = ORDERS_PER_REQUEST, seed: int = 1) -> bytes:
    rng = random.Random(seed)
    orders = []
    for i in range(n):
        fields, items = fields_for("36-1", [], None, rng, guid=f"bench-{i}")
        inner = "".join(_el(k, v) for k, v in fields.items())
        inner += "<product_items>" + "".join(
            "<product_item>" + "".join(_el(k, v) for k, v in item.items()) + "</product_item>" for item in items
        ) + "</product_items>"
        orders.append(f"<order>{inner}</order>")
    return (f'<?xml version="1.0" encoding="utf-8"?><orders>{_el("access_token", TOKEN)}<mark/><bid>0</bid>'
            + "".join(orders) + "</orders>").encode()


def seeded_barcodes(port: int, n: int = 10) -> list[str]:
    """Barcodes of n accepted parcels made through the sandbox (the default user's)."""
    conn = Connection(port)
    status, body, _ = conn.send("POST", "/sandbox/api/wishpost/parcels",
                                   json.dumps({"count": n, "state": "shipping", "seed": 5}).encode(),
                                   {"Content-Type": "application/json", "Authorization": f"Bearer {TOKEN}"})
    conn.close()
    if status != 200:
        raise RuntimeError(f"sandbox parcels answered {status}: {body[:300]!r}")
    return [p["barcode"] for p in json.loads(body)["parcels"]]


def tracking_body(barcodes: list[str]) -> bytes:
    tracks = "".join(f"<track>{_el('barcode', b)}</track>" for b in barcodes)
    return (f"<tracks>{_el('access_token', TOKEN)}<language>en</language>{tracks}</tracks>").encode()


def label_times(port: int, barcode: str, runs: int = LABEL_RUNS) -> list[float]:
    """Seconds for generate_label (one barcode) and the download of its PDF, each run."""
    conn = Connection(port)
    body = (f"<root>{_el('access_token', TOKEN)}<printlang>1</printlang><printcode>2</printcode>"
            f"<barcodes>{_el('barcode', barcode)}</barcodes></root>").encode()
    times = []
    for _ in range(runs + 3):  # three untimed: the first render loads reportlab and its fonts
        start = time.perf_counter()
        status, answer, _ = conn.send("POST", "/wishpost/api/v2/generate_label", body, XML)
        found = re.search(rb"<PDF_URL>(.*?)</PDF_URL>", answer)
        if status != 200 or found is None:
            raise RuntimeError(f"generate_label answered {status}: {answer[:300]!r}")
        url = found.group(1).decode().replace("&amp;", "&").split("//", 1)[1].split("/", 1)[1]
        status, pdf, _ = conn.send("GET", "/" + url)
        if status != 200 or not pdf.startswith(b"%PDF"):
            raise RuntimeError(f"download_label answered {status}: {pdf[:300]!r}")
        times.append(time.perf_counter() - start)
    conn.close()
    return times[3:]


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def median_ms(times: list[float]) -> float:
    return statistics.median(times) * 1000
