"""The order download job (/order/create-download-job): a CSV of the orders placed in a date range, as
they stand when the job starts RUNNING (the export is written while it runs and is served the moment it
FINISHES; see mockwish.jobs), with the 48-column header of the 2017-2018 export (supplement 2.9) or,
with MOCKWISH_ORDER_CSV_CURRENCY_COLUMN, the 2020 layout's Currency Code after Color."""

from __future__ import annotations

import csv
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Connection

from mockwish.jobs import JobKind, Outcome
from mockwish.merchant.orders import rules, store
from mockwish.merchant.orders.rules import REFUNDED
from mockwish.merchant.products.download import export_file_name
from mockwish.reference import iso_countries
from mockwish.wire.format import money

KIND = "order_download"
HEADER = [
    "Transaction Date", "Order Id", "Transaction ID", "Order State", "SKU", "Product", "Product ID",
    "Product Link", "Product Image URL", "Size", "Color", "Price (each)", "Cost (each)", "Shipping (each)",
    "Shipping Cost (each)", "Quantity", "Total Cost", "SE Cashback Amount", "Available for Fulfillment Time",
    "Shipped on", "Confirmed Delivery", "Date Shipping Carrier Confirmed Delivery", "Provider", "Tracking",
    "Tracking Confirmed", "Tracking Confirmed Date", "Shipping Address", "Name", "First Name", "Last Name",
    "Street Address 1", "Street Address 2", "City", "State", "Zipcode", "Country", "Last Updated",
    "Phone Number", "Country Code", "% Refund Responsibility", "Refund Responsibility Amount", "Refund Date",
    "Refund Reason", "Is Wish Express", "Wish Express Delivery Deadline", "Requires Delivery Confirmation",
    "Is Combined Order", "Late Confirmed Fulfillment Fine Amount",
]
CURRENCY_AFTER = HEADER.index("Color") + 1
ADDRESS_LINE = ("name", "street_address1", "street_address2", "city", "state", "zipcode", "country")
COLUMNS = ("id", "transaction_id", "state", "sku", "product_name", "product_id", "product_image_url", "size", "color",
           "price", "cost", "shipping", "shipping_cost", "quantity", "currency_code", "order_time", "released_at",
           "last_updated", "shipped_at", "shipping_provider", "tracking_number", "tracking_confirmed",
           "tracking_confirm_at", "delivery_confirmed", "delivery_confirm_at", "shipping_detail", "refund_amount",
           "merchant_responsible_amount", "refunded_at",
           "refunded_reason", "is_wish_express", "we_required_delivery_date", "requires_delivery_confirmation",
           "is_combined_order")  # what row() reads


def header(currency_column: bool) -> list[str]:
    return [*HEADER[:CURRENCY_AFTER], "Currency Code", *HEADER[CURRENCY_AFTER:]] if currency_column else HEADER


def job_params(p: dict[str, Any], currency_column: bool) -> dict[str, Any]:
    """The job's stored parameters (the CSV layout included, so a job finishes as it was asked for).
    A date-only `end` includes that whole day."""
    end: datetime | None = p.get("end")
    if end is not None and end.time() == datetime.min.time():
        end += timedelta(days=1)
    return {"start": p["start"].isoformat() if p.get("start") else None, "end": end.isoformat() if end else None,
            "limit": p.get("limit"), "sort": p.get("sort", "desc"), "currency_column": currency_column}


def _selection(params: dict[str, Any]) -> dict[str, Any]:
    return {"start": datetime.fromisoformat(params["start"]) if params.get("start") else None,
            "end": datetime.fromisoformat(params["end"]) if params.get("end") else None,
            "limit": params.get("limit")}


def count(conn: Connection, merchant_id: str, params: dict[str, Any]) -> int:
    return store.count_for_download(conn, merchant_id, **_selection(params))


def _day(instant: str | None) -> str:
    return instant[:10] if instant is not None else ""


FLAGS = {0: "False", 1: "True", None: ""}  # False == 0 and True == 1 as keys


def row(o: dict[str, Any], currency_column: bool, countries: dict[str, str]) -> list[Any]:
    """One CSV row of a store.for_download row (instants already text in the export's form, flags 0/1)."""
    ship = o["shipping_detail"]
    get = ship.get
    name = get("name", "")
    first, _, last = name.partition(" ")
    shipped = o["shipped_at"] is not None
    refunded = o["state"] == REFUNDED
    refund = o["refund_amount"] or 0.0
    responsible = o["merchant_responsible_amount"] or 0.0
    one_line = ", ".join([ship[k] for k in ADDRESS_LINE if get(k)])
    country = get("country", "")
    cells = [
        o["order_time"], o["id"], o["transaction_id"], o["state"], o["sku"], o["product_name"], o["product_id"],
        f"https://www.wish.com/c/{o['product_id']}", o["product_image_url"], o["size"] or "", o["color"] or "",
        money(o["price"]), money(o["cost"]), money(o["shipping"]), money(o["shipping_cost"]),
        "" if o["quantity"] is None else str(o["quantity"]),
        money(rules.order_total(o)), "0.0",
        o["released_at"] if o["state"] != rules.REQUIRE_REVIEW else "", _day(o["shipped_at"]),
        FLAGS[o["delivery_confirmed"]] if shipped else "",
        o["delivery_confirm_at"] if shipped and o["delivery_confirmed"] else "",
        o["shipping_provider"] if shipped else "", o["tracking_number"] or "" if shipped else "",
        FLAGS[o["tracking_confirmed"]] if shipped else "",
        o["tracking_confirm_at"] if shipped and o["tracking_confirmed"] else "",
        one_line, name, first, last, get("street_address1", ""), get("street_address2", ""),
        get("city", ""), get("state", ""), get("zipcode", ""), countries.get(country, country), o["last_updated"],
        get("phone_number", ""), country,
        (str(round(100 * responsible / refund)) if refunded and refund else ""),
        money(responsible) if refunded else "", _day(o["refunded_at"]) if refunded else "",
        o["refunded_reason"] or "" if refunded else "", FLAGS[o["is_wish_express"]],
        o["we_required_delivery_date"] if o["is_wish_express"] else "",
        FLAGS[o["requires_delivery_confirmation"]], FLAGS[o["is_combined_order"]], "",
    ]
    if currency_column:
        cells.insert(CURRENCY_AFTER, o["currency_code"])
    return cells


def work(conn: Connection, job: dict[str, Any], at: datetime, fraction: float) -> Outcome:
    if fraction < 1.0:
        return Outcome(result={}, total_count=job["total_count"])
    mid, params = job["merchant_id"], job["params"]
    currency_column = bool(params.get("currency_column"))
    sel = _selection(params)
    lines: list[str] = []  # joined and encoded once at the end
    out = csv.writer(SimpleNamespace(write=lines.append), lineterminator="\n")
    out.writerow(header(currency_column))
    countries = iso_countries()
    out.writerows(row(o, currency_column, countries)
                  for o in store.for_download(conn, mid, COLUMNS, descending=params.get("sort") != "asc", **sel))
    n = len(lines) - 1  # csv.writer writes each row with one write()
    content = "".join(lines).encode("utf-8")
    return Outcome(result={"rows": n}, total_count=n, file_name=export_file_name(job), file_content=content)


JOB = JobKind(name=KIND, label="DownloadJob", work=work, snapshot_at_start=True)
