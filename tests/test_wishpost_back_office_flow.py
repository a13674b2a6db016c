"""The WishPost back office played through HTTP only, as a shipping integration does it: book parcels with
create_order, let the clock run until the warehouse has weighed (and charged) them, bag them for the hub
(a first attempt with codes that cannot go in, reported by message, then the good ones), find the bag by its
number and by a parcel's code, print its label and read the bag number out of the PDF, reconcile the charges
against tracking, download the statement of the day and find the charges in the .xlsx, and cancel the bag."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlsplit
from xml.etree import ElementTree

from openpyxl import load_workbook
from pypdf import PdfReader
from starlette.testclient import TestClient
from wishpost_support import DEFAULT_WISHPOST_TOKEN, bearer, v3_order_fields, v3_order_xml

from mockwish.errors import message
from mockwish.wishpost.bags import errors as bag_errors
from support import freeze

V3 = "/wishpost/api/v3"
AUTH = bearer(DEFAULT_WISHPOST_TOKEN)
STEP = 6 * 3600  # the default tracking step: the warehouse weighs a parcel two steps after acceptance
HUB = 3001  # East China: the hub of the EPC warehouse 1001 (华东1仓) the parcels are booked for


def v3(r: Any, code: int = 0) -> dict[str, Any]:
    body: dict[str, Any] = r.json()
    assert body["code"] == code, body
    return body


def book(client: TestClient, count: int) -> list[str]:
    """`count` EPC parcels through create_order; their barcodes (an EPC barcode is its logistics order code)."""
    orders = [v3_order_fields(f"flow-{n}", "36-1", seed=100 + n, warehouse_code="1001") for n in range(count)]
    r = client.post("/wishpost/api/v2/create_order", content=v3_order_xml(DEFAULT_WISHPOST_TOKEN, orders),
                    headers={"content-type": "text/xml"})
    root = ElementTree.fromstring(r.content)
    assert root.findtext("status") == "0", r.text
    return [b.text or "" for b in root.iter("barcode")]


def charged_fee(client: TestClient, barcode: str) -> str:
    """The charged_shipping_fee tracking shows on the warehouse event."""
    body = (f"<tracks><access_token>{DEFAULT_WISHPOST_TOKEN}</access_token><language>en</language>"
            f"<track><barcode>{barcode}</barcode></track></tracks>")
    root = ElementTree.fromstring(client.post("/wishpost/api/v2/tracking", content=body,
                                              headers={"content-type": "text/xml"}).content)
    fees = [t.findtext("charged_shipping_fee") for t in root.iter("track") if t.findtext("charged_shipping_fee")]
    assert fees, "the warehouse event carries the charge"
    return fees[0] or ""


def test_the_back_office_through_http(client: TestClient) -> None:
    freeze(client)
    codes = book(client, 3)
    assert all(re.fullmatch(r"WI\d{12}EPC", c) for c in codes), codes

    # the clock runs: accepted, picked up, weighed at the warehouse (and charged)
    client.post("/sandbox/api/clock", json={"advance_seconds": 2 * STEP + 60})
    fees = {c: charged_fee(client, c) for c in codes}

    # a bag with codes that cannot go in: nothing made, each refused code under its reason
    r = client.post(f"{V3}/orders_bag/create", headers=AUTH, json={
        "pickup_service": 9999, "hub_warehouse_code": HUB, "logistics_order_codes": [*codes, "Invalid code 1"]})
    assert r.status_code == 400
    body = v3(r, 1000)
    assert body["bag_number"] == "" and body["failed_logistics_orders"] == {
        message(bag_errors.CODE_NOT_WISHPOST): ["Invalid code 1"]}

    body = v3(client.post(f"{V3}/orders_bag/create", headers=AUTH, json={
        "pickup_service": "9999", "hub_warehouse_code": HUB, "logistics_order_codes": codes}))
    bag = body["bag_number"]
    assert re.fullmatch(r"WI\d{16}BAG", bag) and body["failed_logistics_orders"] == []

    # found by its number and by a parcel's code, Created until the carrier picks it up
    for query in ({"bag_numbers[]": bag}, {"logistics_order_codes[]": codes[1]}):
        bags = v3(client.get(f"{V3}/orders_bag", headers=AUTH, params=query))["bags"]
        assert bags == [{"logistics_order_codes": codes, "state": 0, "bag_number": bag, "state_name": "Created"}]

    # its label: a PDF with the bag number in it, from the label_url the create answered
    url = urlsplit(body["label_url"])
    label = client.get(f"{url.path}?{url.query}")
    assert label.headers["content-type"] == "application/pdf"
    assert bag in "".join(page.extract_text() for page in PdfReader(io.BytesIO(label.content)).pages)

    # the charges, as tracking showed them
    data = v3(client.post(f"{V3}/get_order_payment", headers=AUTH, json={"tracking_ids": codes}))["data"]
    assert [d["tracking_id"] for d in data] == codes
    prids = []
    for entry in data:
        charge = next(p for p in entry["payment_requests"] if p["fee_type"] == "LOGISTICS")
        assert charge["state"] == "SUCCESS" and charge["amount"] == f"{float(fees[entry['tracking_id']]):.2f}"
        prids.append(charge["prid"])

    # the statement of the day: a job, polled to complete as the clock moves, then the .xlsx
    job = v3(client.post(f"{V3}/payment_statement/download", headers=AUTH, json=_today_range(client)))
    url = urlsplit(job["url"])
    early = client.get(f"{url.path}?{url.query}")
    assert early.status_code == 404 and early.json()["code"] == 1000  # not complete yet
    for _ in range(10):
        status = v3(client.post(f"{V3}/payment_statement/check-status", headers=AUTH,
                                json={"job_id": job["job_id"], "job_token": job["job_token"]}))
        if status["complete"]:
            break
        client.post("/sandbox/api/clock", json={"advance_seconds": 5})
    assert status == {**status, "perc": 100, "complete": True}
    sheet = load_workbook(io.BytesIO(client.get(f"{url.path}?{url.query}").content)).active
    assert sheet is not None
    cells = {str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None}
    assert set(prids) <= cells and set(codes) <= cells

    # the bag is cancelled while still Created
    assert v3(client.post(f"{V3}/orders_bag/cancel", headers=AUTH,
                          json={"bags": [{"bag_number": bag, "cancel_reason": "wrong hub"}]}))["failed_bags"] == []
    bags = v3(client.get(f"{V3}/orders_bag", headers=AUTH, params={"bag_numbers[]": bag}))["bags"]
    assert bags[0]["state"] == 2 and bags[0]["state_name"] == "Cancelled"


def _today_range(client: TestClient) -> dict[str, str]:
    """Yesterday and today on the mock's clock, as Beijing dates (the statement's days are Beijing days; the
    charges were made a minute ago, which may have been yesterday in Beijing)."""
    stamp = client.post(f"{V3}/oauth/test", headers=AUTH).json()["timestamp"]  # Beijing wall time
    today = date.fromisoformat(stamp[:10])
    return {"start_date": (today - timedelta(days=1)).isoformat(), "end_date": today.isoformat()}
