"""The product download job: a CSV of the catalogue as it stands when the job finishes."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from mockwish.jobs import JobKind, Outcome, run_times
from mockwish.merchant.catalogue import store
from mockwish.merchant.catalogue.money import Wallet
from mockwish.merchant.catalogue.render import STANDARD, stock_of, usd, wish_express_countries
from mockwish.wire.format import flag, money

KIND = "product_download"
HEADER = [
    "Parent Unique ID", "Unique ID", "Product ID", "Variant ID", "Product Name", "Description", "Tags",
    "Color", "Size", "Quantity", "Price", "Localized Price", "MSRP", "Shipping", "Localized Shipping",
    "Localized Currency Code", "Shipping Time", "Main Image URL", "Variant Main Image URL", "Extra Image URLs",
    "Product Enabled", "Variant Enabled", "Review Status", "Number Sold", "Number Saves", "UPC",
    "Landing Page URL", "Wish Express Countries", "Warehouse Name", "Date Uploaded", "Last Updated",
]


def export_file_name(job: dict[str, Any]) -> str:
    """The file behind a download_link, for product and order exports alike (the supplement's order link
    mirrors the docs' product link): <merchant_id>-<job_id>-<YYYY-MM-DD-HH:MM:SS>.csv, stamped with the instant
    the job finishes (its end_run_time), whenever its snapshot was read."""
    end = run_times(job)[1]
    return f"{job['merchant_id']}-{job['id']}-{end.strftime('%Y-%m-%d-%H:%M:%S')}.csv"


def _selection(params: dict[str, Any]) -> dict[str, Any]:
    since = datetime.fromisoformat(params["since"]) if params.get("since") else None
    return {"since": since, "show_rejected": bool(params.get("show_rejected")),
            "order": "id_asc" if params.get("sort") == "asc" else "id_desc"}


def count(conn: Connection, merchant_id: str, params: dict[str, Any]) -> int:
    sel = _selection(params)
    n = store.count_products(conn, merchant_id, since=sel["since"], show_rejected=sel["show_rejected"])
    return min(n, params["limit"]) if params.get("limit") is not None else n


def work(conn: Connection, job: dict[str, Any], at: datetime, fraction: float) -> Outcome:
    if fraction < 1.0:
        return Outcome(result={}, total_count=job["total_count"])
    mid, params = job["merchant_id"], job["params"]
    merchant = store.merchant(conn, mid)
    wallet = Wallet(merchant["payment_currency"], merchant["localized_currency"])
    sel = _selection(params)
    products = store.list_products(conn, mid, start=0, limit=params.get("limit") or -1, since=sel["since"],
                                   show_rejected=sel["show_rejected"], order=sel["order"])
    variants = store.variants_of(conn, mid, [p["id"] for p in products])
    wh = params.get("warehouse_name") or STANDARD
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\n")
    out.writerow(HEADER)
    for p in products:
        we = ",".join(wish_express_countries(p))  # enrolled (enabled) countries, as the product view shows
        for v in variants[p["id"]]:
            st = stock_of(v, wh)
            out.writerow([
                p["parent_sku"], v["sku"], p["id"], v["id"], p["name"], p["description"], ",".join(p["tags"]),
                v["color"] or "", v["size"] or "", st.get("inventory", 0), usd(wallet, v["price"]),
                money(v["localized_price"]) or "", usd(wallet, v["msrp"]) or "",
                usd(wallet, st.get("shipping")) or "", money(st.get("localized_shipping")) or "",
                wallet.localized_currency, v["shipping_time"] or "", p["main_image"], v["main_image"] or "",
                "|".join(p["extra_images"]), flag(p["enabled"]), flag(v["enabled"]), p["review_status"],
                p["num_sold"], p["num_saves"], p["upc"] or "", p["landing_page_url"] or "", we, wh,
                p["date_uploaded"].strftime("%Y-%m-%d"), p["last_updated"].strftime("%Y-%m-%dT%H:%M:%S"),
            ])
    return Outcome(result={"rows": sum(len(v) for v in variants.values())}, total_count=len(products),
                   file_name=export_file_name(job), file_content=buf.getvalue().encode("utf-8"))


JOB = JobKind(name=KIND, label="DownloadJob", work=work)
