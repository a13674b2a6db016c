"""The catalogue entries and jobs the docs' example requests name (fixtures/doc_catalogue.json), turned
into rows of the default merchant."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from mockwish.merchant.catalogue.render import PRINTED, STANDARD
from mockwish.reference import IMAGE_BASE, currency_rates
from mockwish.seed.catalogue import CatalogueGenerator


def load(fixtures_dir: Path) -> dict[str, Any]:
    return json.loads((fixtures_dir / "doc_catalogue.json").read_text(encoding="utf-8"))


def rows(doc: dict[str, Any], merchant: dict[str, Any], gen: CatalogueGenerator, anchor: datetime
         ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    rate = currency_rates().get(merchant["localized_currency"], 1.0)

    def local(entry: dict[str, Any], usd_key: str, local_key: str) -> float | None:
        if entry.get(local_key) is not None:
            return float(entry[local_key])
        return round(entry[usd_key] * rate, 2) if entry.get(usd_key) is not None else None

    def texts(entry: dict[str, Any], *keys: str) -> dict[str, Any]:
        """An amount the fixture gives as a string is the docs' printed text: kept beside the number."""
        shown = {k: entry[k] for k in keys if isinstance(entry.get(k), str)}
        return {PRINTED: shown} if shown else {}

    products, variants, jobs = [], [], []
    for i, p in enumerate(doc["products"]):
        updated = anchor - timedelta(days=30 + i)
        shipping: dict[str, Any] = {}
        for wh, table in p.get("shipping", {}).items():
            shipping[wh] = {cc: {"price": e["price"], "localized_price": local(e, "price", "localized_price"),
                                 "enabled": e.get("enabled", True), "regions": {},
                                 **texts(e, "localized_price")} for cc, e in table.items()}
        image = f"{IMAGE_BASE}/{p['id']}-original.jpg"
        products.append({
            "id": p["id"], "merchant_id": merchant["id"], "parent_sku": p["parent_sku"], "name": p["name"],
            "description": p["description"], "tags": p["tags"], "main_image": image,
            "extra_images": p.get("extra_images", []), "clean_image": None, "original_image_url": image,
            "review_status": p["review_status"], "enabled": True, "removed_by_merchant": False,
            "is_promoted": False, "num_sold": p["num_sold"], "num_saves": p["num_saves"], "category": p["category"],
            "default_shipping_price": p["default_shipping_price"],
            "localized_default_shipping_price": round(p["default_shipping_price"] * rate, 2),
            "landing_page_url": None, "upc": None, "requested_product_brand_id": None, "max_quantity": None,
            "condition": None, "unit": None, "reference_value": None, "demo_video_asset_url": None,
            "shipping": shipping, "date_uploaded": updated - timedelta(days=100), "last_updated": updated,
        })
        for pos, v in enumerate(p["variants"]):
            stock = {STANDARD: {"inventory": v["inventory"], "shipping": v.get("shipping"),
                                "localized_shipping": local(v, "shipping", "localized_shipping"),
                                **texts(v, "localized_price", "localized_shipping")}}
            for wh in shipping:
                if wh != STANDARD:
                    stock[wh] = {"inventory": v["inventory"], "shipping": None, "localized_shipping": None}
            variants.append({
                "id": v.get("id") or gen.object_id(), "merchant_id": merchant["id"], "product_id": p["id"],
                "position": pos, "sku": v["sku"], "color": v.get("color"), "size": v.get("size"),
                "condition": v.get("condition"), "price": v["price"],
                "localized_price": local(v, "price", "localized_price"),
                "msrp": v.get("msrp"), "localized_msrp": local(v, "msrp", "localized_msrp"),
                "shipping_time": "5-10", "main_image": None, "quantity_value": v.get("quantity_value"),
                "enabled": True,
                "removed_by_wish": False, "stock": stock, "logistics": v.get("logistics"), "last_updated": updated,
            })
    for j in doc["jobs"]:
        jobs.append({"id": j["id"], "merchant_id": merchant["id"], "kind": j["kind"], "params": j["params"],
                     "created_at": anchor - timedelta(days=1), "pending_seconds": 2.0, "running_seconds": 5.0,
                     "cancelled_at": None, "settled": False, "total_count": len(j["params"].get("updates", [])),
                     "result": None})
    return products, variants, jobs
