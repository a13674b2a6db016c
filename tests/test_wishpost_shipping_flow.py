"""A shipping integration's day, through HTTP only: a WishPost OAuth token, Wish orders generated for the
merchant, create_order (XML) naming them, a label downloaded and its barcode read out of the PDF, the clock
moving the parcels along, order_status, the Wish order fulfilled with the WishPost number and SHIPPED on the
Merchant API, whose tracking confirmation and delivery then follow the parcel's events; cancels that can and
cannot be done. Plus the bridge's rules: an unlinked id, automatic fulfilment, a parcel cancelled after its
order shipped."""

from __future__ import annotations

import io
import random
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from pypdf import PdfReader
from starlette.testclient import TestClient
from wishpost_support import DEFAULT_WISHPOST_TOKEN, basic, bearer

from mockwish.app import create_app as make_app
from mockwish.config import Settings
from mockwish.wishpost.parcels.generate import fields_for
from support import DEFAULT_TOKEN, Wish, freeze, on_store

STEP = 6 * 3600  # the default wishpost_tracking_step_seconds
TEST_REDIRECT = "http://localhost:8765/wishpost/callback"


def xml(r: Any) -> ElementTree.Element:
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/xml"), r.text
    return ElementTree.fromstring(r.content)


def order_xml(token: str, orders: list[tuple[dict[str, str], list[dict[str, str]]]], mark: str = "") -> bytes:
    def el(tag: str, text: str) -> str:
        return f"<{tag}>{text}</{tag}>"
    body = []
    for fields, items in orders:
        inner = "".join(el(k, v) for k, v in fields.items())
        inner += "<product_items>" + "".join(
            "<product_item>" + "".join(el(k, v) for k, v in item.items()) + "</product_item>" for item in items
        ) + "</product_items>"
        body.append(el("order", inner))
    return (f'<?xml version="1.0" encoding="utf-8"?><orders>{el("access_token", token)}<mark>{mark}</mark>'
            f'<bid>0</bid>{"".join(body)}</orders>').encode()


def oauth_token(client: TestClient) -> str:
    """The ERP's own token: a WishPost OAuth app, a code (minted as the authorize page would), the exchange."""
    app = client.post("/sandbox/api/wishpost/apps", json={
        "name": "Flow ERP", "redirect_uri": TEST_REDIRECT, "public": True}).json()
    code = client.post("/sandbox/api/wishpost/oauth/codes", json={"client_id": app["client_id"]},
                       headers=bearer(DEFAULT_WISHPOST_TOKEN)).json()["code"]
    r = client.get("/wishpost/api/v3/oauth/access_token", headers=basic(app), params={
        "client_id": app["client_id"], "code": code, "grant_type": "authorization_code", "redirect_uri": TEST_REDIRECT})
    assert r.status_code == 200 and r.json()["code"] == 0, r.text
    return str(r.json()["access_token"])


def tracking(client: TestClient, token: str, *numbers: str, language: str = "en") -> dict[str, list[int]]:
    body = (f"<tracks><access_token>{token}</access_token><language>{language}</language>"
            + "".join(f"<track><barcode>{n}</barcode></track>" for n in numbers) + "</tracks>")
    root = xml(client.post("/wishpost/api/v2/tracking", content=body, headers={"content-type": "text/xml"}))
    assert root.findtext("status") == "0"
    return {t.get("barcode", ""): [int(x.findtext("status_number") or 0) for x in t.findall("track")]
            for t in root.findall("tracks")}


def status(client: TestClient, token: str, *wosp: str) -> dict[str, dict[str, Any]]:
    r = client.post("/wishpost/api/v3/order_status", json={"access_token": token,
                                                           "wish_standard_tracking_ids": list(wosp)})
    assert r.status_code == 200 and r.json()["code"] == 0, r.text
    return {o["wish_standard_tracking_id"]: o for o in r.json()["orders"]}


def test_a_shipping_integration_over_http(client: TestClient, advance: Any) -> None:
    freeze(client)
    token = oauth_token(client)
    wish = Wish(client, DEFAULT_TOKEN)
    made = client.post("/sandbox/api/transactions", json={"count": 3, "seed": 7},
                       headers={"Authorization": f"Bearer {DEFAULT_TOKEN}"}).json()
    wish_orders = [wish.ok("order", "GET", id=oid)["Order"] for oid in made["order_ids"]]
    client.post("/sandbox/api/wishpost/parcel-outcomes", json={"outcomes": ["created", "created", "reviewing"]},
                headers=bearer(token))
    orders = [fields_for("36-1", [o["order_id"]], None, random.Random(n), guid=f"g{n}")
              for n, o in enumerate(wish_orders)]
    root = xml(client.post("/wishpost/api/v2/create_order", content=order_xml(token, orders),
                           headers={"content-type": "text/xml; charset=utf-8"}))
    assert root.findtext("status") == "0" and not root.findall("error_message")
    wosp = [e.text or "" for e in root.findall("wish_standard_tracking_id")]
    barcodes = root.findall("barcode")
    assert [b.get("guid") for b in barcodes] == ["g0", "g1", "g2"]
    assert [b.get("state") for b in barcodes] == ["Created", "Created", "Reviewing"] and barcodes[2].text is None
    first, second = barcodes[0].text or "", barcodes[1].text or ""
    assert re.fullmatch(r"WI\d{12}EPC", first)

    # the label: generate, download, and read the barcode out of the PDF
    label = xml(client.post("/wishpost/api/v2/generate_label", headers={"content-type": "text/xml"}, content=(
        f"<root><access_token>{token}</access_token><printlang>1</printlang><printcode>2</printcode>"
        f"<barcodes><barcode>{first}</barcode></barcodes></root>").encode()))
    url = label.findtext("PDF_URL") or ""
    assert url.startswith("http://testserver/wishpost/api/v2/download_label?")
    pdf = client.get(url)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert first in PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()

    # the clock moves the parcels: Accepted at once (wishpost_accept_seconds 0), then one event per step
    assert [s["state_name"] for s in status(client, token, *wosp).values()] == ["Accepted"] * 3
    reviewed = status(client, token, wosp[2])[wosp[2]]["logistics_order_code"]
    assert re.fullmatch(r"WI\d{12}EPC", reviewed)  # the tracking number of the parcel that was under review
    advance(STEP + 1)
    assert tracking(client, token, first)[first] == [1, 2]
    advance(STEP)
    assert tracking(client, token, first)[first] == [1, 2, 31]
    assert status(client, token, wosp[0])[wosp[0]]["state_name"] == "Shipping"

    # the Wish order ships with the WishPost number; its tracking confirmation is the parcel's first scan
    oid = wish_orders[0]["order_id"]
    wish.ok("order/fulfill-one", id=oid, tracking_provider="WishPost", tracking_number=first,
            origin_country_code="CN")
    shipped = wish.ok("order", "GET", id=oid)["Order"]
    assert shipped["state"] == "SHIPPED" and shipped["tracking_number"] == first
    assert shipped.get("tracking_confirmed") == "True"  # the parcel was scanned already
    advance(8 * STEP)
    assert tracking(client, token, first)[first][-1] == 23
    assert status(client, token, wosp[0])[wosp[0]]["state_name"] == "Completed"
    # the order's delivery was confirmed at the parcel's delivery event (shown on the wire only for Confirmed
    # Delivery orders: read from the store)
    assert on_store(client, lambda conn: conn.exec_driver_sql(
        "SELECT delivery_confirmed FROM orders WHERE id = ?", (oid,)).scalar()) == 1

    # cancels: one that can be cancelled (moved back to Accepted by the sandbox), one delivered
    client.post("/sandbox/api/wishpost/parcels/" + wosp[1] + "/state", json={"state": "accepted"})
    r = client.post("/wishpost/api/v3/cancel_orders", json={"access_token": token, "orders": [
        {"tracking_id": second, "cancel_reason_code": 40101},
        {"tracking_id": first, "cancel_reason_code": "USER_BIZ_BUYER_REFUND"}]}).json()
    assert [o["tracking_id"] for o in r["is_cancelling_orders"]] == [second]
    assert [(o["tracking_id"], o["cancel_result_code"]) for o in r["failed_cancel_orders"]] == [(first, 4)]
    assert status(client, token, wosp[1])[wosp[1]]["state_name"] == "Canceled"
    assert tracking(client, token, second)[second][-1] == 48


def shipped_with_a_parcel(client: TestClient) -> tuple[Wish, str, dict[str, Any]]:
    """An accepted EPC parcel shipping one of the default merchant's orders, and that order fulfilled with
    carrier WishPost and the parcel's number: (the merchant's client, the order id, the parcel)."""
    freeze(client)
    made = client.post("/sandbox/api/wishpost/parcels", json={"count": 1, "state": "accepted", "channel": "36-1"},
                       headers=bearer(DEFAULT_WISHPOST_TOKEN)).json()["parcels"][0]
    oid = made["wish_order_ids"][0]
    wish = Wish(client, DEFAULT_TOKEN)
    wish.ok("order/fulfill-one", id=oid, tracking_provider="WishPost", tracking_number=made["barcode"],
            origin_country_code="CN")
    return wish, oid, made


def test_an_order_shipped_before_its_parcel_is_scanned_waits_for_the_scan(client: TestClient, advance: Any) -> None:
    wish, oid, _ = shipped_with_a_parcel(client)
    assert wish.ok("order", "GET", id=oid)["Order"].get("tracking_confirmed") == "False"
    advance(STEP)
    assert wish.ok("order", "GET", id=oid)["Order"].get("tracking_confirmed") == "True"  # the parcel's pickup


def test_a_parcel_cancelled_after_its_order_shipped(client: TestClient, advance: Any) -> None:
    """The order stays SHIPPED (the merchant must modify the tracking) and waits for no scan."""
    wish, oid, made = shipped_with_a_parcel(client)
    r = client.post("/wishpost/api/v3/cancel_orders", json={"access_token": DEFAULT_WISHPOST_TOKEN, "orders": [
        {"wish_standard_tracking_id": made["wish_standard_tracking_id"], "cancel_reason_code": 40401}]}).json()
    assert len(r["is_cancelling_orders"]) == 1
    advance(30 * STEP)
    order = wish.ok("order", "GET", id=oid)["Order"]
    assert order["state"] == "SHIPPED" and order.get("tracking_confirmed") == "False"


def test_an_id_the_linked_merchant_does_not_hold_is_stored_unlinked(client: TestClient) -> None:
    orders = [fields_for("36-1", ["0123456789abcdef01234567"], None, random.Random(1), guid="x")]
    client.post("/sandbox/api/wishpost/parcel-outcomes", json={"outcomes": ["created"]},
                headers=bearer(DEFAULT_WISHPOST_TOKEN))
    root = xml(client.post("/wishpost/api/v2/create_order", content=order_xml(DEFAULT_WISHPOST_TOKEN, orders),
                           headers={"content-type": "text/xml"}))
    assert root.findtext("status") == "0" and not root.findall("error_message")
    wosp = root.findtext("wish_standard_tracking_id") or ""
    assert status(client, DEFAULT_WISHPOST_TOKEN, wosp)[wosp]["wish_transaction_ids"] == []


@pytest.fixture
def auto_client(tmp_path: Path) -> Iterator[TestClient]:
    app = make_app(Settings(data_dir=tmp_path, products_per_merchant=20, sandbox_allowed_hosts="testserver",
                            wishpost_auto_fulfill=True, wishpost_accept_seconds=600))
    with TestClient(app) as c:
        yield c


def test_automatic_fulfilment_once_the_parcel_is_accepted(auto_client: TestClient) -> None:
    client = auto_client
    freeze(client)
    wish = Wish(client, DEFAULT_TOKEN)
    oid = wish.ok("order/get-fulfill", "GET", limit=1)[0]["Order"]["order_id"]
    orders = [fields_for("36-1", [oid], None, random.Random(2), guid="auto")]
    client.post("/sandbox/api/wishpost/parcel-outcomes", json={"outcomes": ["created"]},
                headers=bearer(DEFAULT_WISHPOST_TOKEN))
    root = xml(client.post("/wishpost/api/v2/create_order", content=order_xml(DEFAULT_WISHPOST_TOKEN, orders),
                           headers={"content-type": "text/xml"}))
    barcode = root.findtext("barcode")
    assert wish.ok("order", "GET", id=oid)["Order"]["state"] == "APPROVED"  # Created: not accepted yet
    client.post("/sandbox/api/clock", json={"advance_seconds": 601})
    order = wish.ok("order", "GET", id=oid)["Order"]
    assert order["state"] == "SHIPPED" and order["tracking_number"] == barcode
    assert order["shipping_provider"] == "WishPost"


def test_tracking_answers_follow_writes_and_the_clock(client: TestClient, advance: Any) -> None:
    """Tracking renders are kept (issue 13's throughput) but never stale: the next event on the clock, a
    cancel, a sandbox hook or an added event shows on the very next call."""
    at = freeze(client)
    made = client.post("/sandbox/api/wishpost/parcels", json={"count": 1, "state": "accepted", "channel": "36-1"},
                       headers=bearer(DEFAULT_WISHPOST_TOKEN)).json()["parcels"][0]
    number, wosp = made["barcode"], made["wish_standard_tracking_id"]
    assert tracking(client, DEFAULT_WISHPOST_TOKEN, number)[number] == [1]
    assert tracking(client, DEFAULT_WISHPOST_TOKEN, number)[number] == [1]  # kept
    advance(STEP)
    assert tracking(client, DEFAULT_WISHPOST_TOKEN, number)[number] == [1, 2]  # the clock
    client.post(f"/sandbox/api/wishpost/parcels/{wosp}/events", json={"status_number": 76})
    assert tracking(client, DEFAULT_WISHPOST_TOKEN, number)[number] == [1, 2, 76]  # a hook's event
    r = client.post("/wishpost/api/v3/cancel_orders", json={"access_token": DEFAULT_WISHPOST_TOKEN, "orders": [
        {"tracking_id": number, "cancel_reason_code": 40101}]}).json()
    assert r["failed_cancel_orders"][0]["cancel_result_code"] == 4  # shipping: not cancelled, nothing changed
    advance(60)
    client.post(f"/sandbox/api/wishpost/parcels/{wosp}/state", json={"state": "canceled"})
    assert tracking(client, DEFAULT_WISHPOST_TOKEN, number)[number][-1] == 48  # a write
    assert tracking(client, DEFAULT_WISHPOST_TOKEN, number, language="cn")[number][-1] == 48  # each language
    r = client.post("/sandbox/api/clock", json={"set": at.isoformat()})  # back before the pickup
    assert r.status_code == 200, r.text
    assert tracking(client, DEFAULT_WISHPOST_TOKEN, number)[number] == [1]
    assert tracking(client, DEFAULT_WISHPOST_TOKEN, number, language="cn")[number] == [1]


def test_an_api_orderid_sent_as_a_mark_is_not_taken_over(client: TestClient) -> None:
    """A mark groups create_order's labels; a generate_label api_orderid sent in its place gets a new mark,
    and the api_orderid's PDF keeps its own parcels."""
    client.post("/sandbox/api/wishpost/parcel-outcomes", json={"outcomes": ["created", "created"]},
                headers=bearer(DEFAULT_WISHPOST_TOKEN))
    first = xml(client.post("/wishpost/api/v2/create_order", headers={"content-type": "text/xml"}, content=order_xml(
        DEFAULT_WISHPOST_TOKEN, [fields_for("36-1", [], None, random.Random(3), guid="a")])))
    barcode = first.findtext("barcode") or ""
    label = xml(client.post("/wishpost/api/v2/generate_label", headers={"content-type": "text/xml"}, content=(
        f"<root><access_token>{DEFAULT_WISHPOST_TOKEN}</access_token><barcodes><barcode>{barcode}</barcode>"
        "</barcodes></root>").encode()))
    api_orderid = re.search(r"api_orderid=([0-9a-f]{32})", label.findtext("PDF_URL") or "")
    assert api_orderid is not None
    second = xml(client.post("/wishpost/api/v2/create_order", headers={"content-type": "text/xml"}, content=order_xml(
        DEFAULT_WISHPOST_TOKEN, [fields_for("36-1", [], None, random.Random(4), guid="b")], mark=api_orderid[1])))
    assert second.findtext("mark") != api_orderid[1]
    pdf = client.get(label.findtext("PDF_URL") or "")
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert barcode in text and (second.findtext("barcode") or "") not in text


# ---- what an independent review found (issue 13) -------------------------------------------------------------

def test_tracking_numbers_never_repeat_across_parcels_and_channels() -> None:
    """Each parcel number (seq) is one parcel of one channel: over 20,000 parcels spread across channels that
    share a number shape (RQ... for otype 1 and 11-1, say), no two get the same tracking number."""
    from mockwish.wishpost import reference
    from mockwish.wishpost.parcels import rules

    channels = [reference.channels()[o] for o in ("0", "1", "11-1", "11-0", "33-0", "36-1", "9-0")]
    numbers = [rules.tracking_number(seq, channels[seq % len(channels)]) for seq in range(1, 20_001)]
    assert len(set(numbers)) == len(numbers)


def order_of(client: TestClient, oid: str) -> dict[str, Any]:
    """The order's carrier instants as stored, after an API read (which lets the clock settle what is due)."""
    Wish(client, DEFAULT_TOKEN).ok("order", "GET", id=oid)
    return on_store(client, lambda conn: dict(conn.exec_driver_sql(
        "SELECT tracking_confirmed, tracking_confirm_at, delivery_confirmed, delivery_confirm_at, shipped_at "
        "FROM orders WHERE id = ?", (oid,)).mappings().one()))


def test_a_reviewed_parcels_number_still_names_it_after_a_cancel(client: TestClient) -> None:
    freeze(client)
    client.post("/sandbox/api/wishpost/parcel-outcomes", json={"outcomes": ["reviewing"]},
                headers=bearer(DEFAULT_WISHPOST_TOKEN))
    root = xml(client.post("/wishpost/api/v2/create_order", headers={"content-type": "text/xml"}, content=order_xml(
        DEFAULT_WISHPOST_TOKEN, [fields_for("36-1", [], None, random.Random(5), guid="r")])))
    wosp = root.findtext("wish_standard_tracking_id") or ""
    number = status(client, DEFAULT_WISHPOST_TOKEN, wosp)[wosp]["logistics_order_code"]  # accepted at once
    cancel = {"access_token": DEFAULT_WISHPOST_TOKEN, "orders": [{"tracking_id": number, "cancel_reason_code": 40101}]}
    assert len(client.post("/wishpost/api/v3/cancel_orders", json=cancel).json()["is_cancelling_orders"]) == 1
    assert tracking(client, DEFAULT_WISHPOST_TOKEN, number)[number][-1] == 48
    again = client.post("/wishpost/api/v3/cancel_orders", json=cancel).json()["failed_cancel_orders"]
    assert [o["cancel_result_code"] for o in again] == [3]


def test_sandbox_hooks_move_the_wish_order_with_the_parcel(client: TestClient, advance: Any) -> None:
    """Forcing Shipping, cancelling then accepting again, and a delivery event: the order shipped with the
    parcel's number confirms its tracking and delivery when the parcel says so."""
    wish, oid, made = shipped_with_a_parcel(client)
    wosp = made["wish_standard_tracking_id"]
    client.post(f"/sandbox/api/wishpost/parcels/{wosp}/state", json={"state": "shipping"})
    advance(1)
    assert order_of(client, oid)["tracking_confirmed"] == 1  # picked up now, not at the old schedule's step
    wish2, oid2, made2 = shipped_with_a_parcel(client)
    wosp2 = made2["wish_standard_tracking_id"]
    client.post(f"/sandbox/api/wishpost/parcels/{wosp2}/state", json={"state": "canceled"})
    assert order_of(client, oid2)["tracking_confirm_at"] is None
    client.post(f"/sandbox/api/wishpost/parcels/{wosp2}/state", json={"state": "accepted"})
    advance(STEP + 1)
    assert order_of(client, oid2)["tracking_confirmed"] == 1  # its pickup after the new acceptance
    client.post(f"/sandbox/api/wishpost/parcels/{wosp2}/events", json={"status_number": 23})
    advance(1)
    assert order_of(client, oid2)["delivery_confirmed"] == 1


def test_an_order_shipped_after_the_pickup_is_confirmed_no_earlier_than_its_shipment(
        client: TestClient, advance: Any) -> None:
    freeze(client)
    made = client.post("/sandbox/api/wishpost/parcels", json={"count": 1, "state": "shipping", "channel": "36-1"},
                       headers=bearer(DEFAULT_WISHPOST_TOKEN)).json()["parcels"][0]
    oid = made["wish_order_ids"][0]
    Wish(client, DEFAULT_TOKEN).ok("order/fulfill-one", id=oid, tracking_provider="WishPost",
                                   tracking_number=made["barcode"], origin_country_code="CN")
    row = order_of(client, oid)
    assert row["tracking_confirm_at"] >= row["shipped_at"]


def test_create_order_reads_the_roots_own_orders_and_counts_ids_per_order(client: TestClient) -> None:
    fields, items = fields_for("36-1", [], None, random.Random(6), guid="outer")
    body = order_xml(DEFAULT_WISHPOST_TOKEN, [(fields, items)]).decode()
    nested = body.replace("</order>", "<order><guid>inner</guid></order></order>", 1)  # not a parcel
    root = xml(client.post("/wishpost/api/v2/create_order", content=nested.encode(),
                           headers={"content-type": "text/xml"}))
    assert [b.get("guid") for b in root.findall("barcode")] == ["outer"] and not root.findall("error_message")
    empty = body.replace(body[body.index("<product_items>"):body.index("</product_items>") + 16],
                         "<product_items/>")
    refused = xml(client.post("/wishpost/api/v2/create_order", content=empty.encode(),
                              headers={"content-type": "text/xml"}))
    assert "product_item" in (refused.findtext("error_message") or "") and refused.findtext("status") == "2"
    many = [dict(items[0], wish_order_id=",".join(f"{n:024x}" for n in range(k, k + 7))) for k in (0, 7, 14)]
    too_many = xml(client.post("/wishpost/api/v2/create_order", headers={"content-type": "text/xml"},
                               content=order_xml(DEFAULT_WISHPOST_TOKEN, [(fields, many)])))
    assert "at most 20" in (too_many.findtext("error_message") or "")
