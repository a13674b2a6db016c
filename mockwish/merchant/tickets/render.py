"""The Ticket object on the wire, as the Ticket section's examples show it: {"Ticket": {...}} with UserInfo,
string scalars ("True"/"False", state_id "1"), items as {"Order": ...} and products as {"Product": ...}
rendered exactly as /order and /product render them now, and replies as {"Reply": ...} whose image_urls is
the printed text of a list ("['https://...']", '[]'), as the docs print it. Keys that do not apply are left
out: close_date and closed_by while open, default_refund_reason when the label has none, transaction_id on a
pre-purchase question, the translations on a reply that is not the buyer's."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from mockwish.merchant.catalogue import render as catalogue_render
from mockwish.merchant.catalogue import store as catalogue_store
from mockwish.merchant.catalogue.money import Wallet
from mockwish.merchant.orders import render as order_render
from mockwish.merchant.orders import store as order_store
from mockwish.merchant.orders.rules import OrderPolicy
from mockwish.merchant.tickets import rules, store
from mockwish.store.chunks import chunks
from mockwish.wire.format import compact, epoch_seconds, flag, ts

Row = dict[str, Any]
IMAGE_LINK_LIFETIME = timedelta(minutes=60)  # "a link to its attached image that expires in 60 minutes"


def image_urls(urls: Sequence[str], now: datetime) -> str:
    """The printed list of a reply's image links, each valid for the next 60 minutes (a new link every call)."""
    expires = epoch_seconds(now + IMAGE_LINK_LIFETIME)
    return str([f"{url}?expires={expires}" for url in urls])


def reply(r: Row, now: datetime) -> dict[str, Any]:
    return {"Reply": compact({
        "date": ts(r["date"]), "image_urls": image_urls(r["image_urls"], now), "message": r["message"],
        "sender": r["sender"], "translated_message": r["translated_message"],
        "translated_message_zh": r["translated_message_zh"]})}


def ticket(t: Row, replies: Sequence[Row], items: Sequence[dict[str, Any]], products: Sequence[dict[str, Any]],
           now: datetime) -> dict[str, Any]:
    closed = t["state"] == rules.CLOSED
    body = compact({
        "UserInfo": dict(t["buyer"]), "id": t["id"], "transaction_id": t["transaction_id"],
        "merchant_id": t["merchant_id"], "subject": t["subject"], "state": rules.state_name(t["state"]),
        "state_id": t["state_id"], "label": t["label"], "sublabel": t["sublabel"],
        "default_refund_reason": t["default_refund_reason"], "photo_proof": flag(t["photo_proof"]),
        "open_date": ts(t["open_date"]), "last_update_date": ts(t["last_update_date"]),
        "close_date": ts(t["close_date"]) if closed else None, "closed_by": t["closed_by"] if closed else None,
    })
    body["items"] = list(items)
    body["products"] = list(products)
    body["replies"] = [reply(r, now) for r in replies]
    return {"Ticket": body}


def tickets(conn: Connection, merchant_id: str, rows: Sequence[Row], now: datetime, policy: OrderPolicy,
            wallet: Wallet) -> list[dict[str, Any]]:
    """The Ticket objects of the merchant's `rows`, reading their replies, orders and products in one go each."""
    order_ids = list(dict.fromkeys(oid for t in rows for oid in t["order_ids"]))
    product_ids = list(dict.fromkeys(pid for t in rows for pid in t["product_ids"]))
    orders: dict[str, Row] = {}
    for part in chunks(order_ids):  # by_ids takes at most a page
        orders |= order_store.by_ids(conn, merchant_id, part)
    products = catalogue_store.products_by_ids(conn, merchant_id, product_ids) if product_ids else {}
    variants = catalogue_store.variants_of(conn, merchant_id, list(products))
    rendered_orders = {oid: order_render.order(row, now, policy) for oid, row in orders.items()}
    rendered_products = {pid: catalogue_render.product(p, variants[pid], wallet) for pid, p in products.items()}
    replies = store.replies_of(conn, [t["id"] for t in rows])
    return [ticket(t, replies[t["id"]], [rendered_orders[o] for o in t["order_ids"] if o in rendered_orders],
                   [rendered_products[p] for p in t["product_ids"] if p in rendered_products], now) for t in rows]
