"""Generated catalogue rows: realistic products with colours, sizes, prices, country shipping, tags,
images, review states and enabled/disabled items. Built as plain row dicts, inserted in bulk."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from faker import Faker

from mockwish.ids import seeded_id
from mockwish.merchant.catalogue.render import STANDARD
from mockwish.reference import currency_rates

IMAGE_BASE = "https://canary.contestimg.wish.com/api/webimage"


@dataclass(frozen=True)
class Category:
    name: str
    nouns: tuple[str, ...]
    sizes: tuple[str, ...]
    price: tuple[float, float]
    hscode: str


CATEGORIES: tuple[Category, ...] = (
    Category("Fashion", ("T-Shirt", "Dress", "Hoodie", "Skirt", "Jacket", "Blouse", "Cardigan", "Jeans"),
             ("XS", "S", "M", "L", "XL", "XXL"), (4.0, 45.0), "6104299034"),
    Category("Shoes", ("Sneakers", "Sandals", "Boots", "Loafers", "Slippers", "Running Shoes"),
             ("6", "7", "8", "9", "10", "11", "12"), (8.0, 70.0), "6404110000"),
    Category("Home Decor", ("Throw Pillow Cover", "Wall Sticker", "Table Runner", "LED Night Light", "Curtain"),
             ("Small", "Medium", "Large"), (2.0, 30.0), "6304920000"),
    Category("Phone Accessories", ("Phone Case", "Screen Protector", "Charging Cable", "Phone Holder"),
             ("iPhone 13", "iPhone 14", "iPhone 15", "Galaxy S23", "Pixel 8"), (1.0, 20.0), "3926909990"),
    Category("Beauty", ("Makeup Brush Set", "Nail Polish", "Lip Gloss", "Hair Clip Set", "Eyelash Curler"),
             ("1 pc", "3 pcs", "5 pcs"), (1.5, 25.0), "3304990000"),
    Category("Accessories", ("Watch", "Necklace", "Bracelet", "Sunglasses", "Backpack", "Wallet"),
             ("One Size",), (3.0, 60.0), "7117190000"),
)
ADJECTIVES = ("Casual", "Vintage", "Classic", "Summer", "Winter", "Elegant", "Sporty", "Minimalist", "Retro",
              "Boho", "Luxury", "Lightweight", "Waterproof", "Handmade", "Oversized", "Slim Fit")
MATERIALS = ("Cotton", "Leather", "Silicone", "Stainless Steel", "Linen", "Polyester", "Wooden", "Velvet",
             "Canvas", "Acrylic")
COLORS = ("black", "white", "red", "blue", "navy", "green", "pink", "grey", "beige", "purple", "yellow")
AUDIENCES = ("Women's", "Men's", "Unisex", "Kids'")
REVIEW = (("approved", 70), ("pending", 20), ("rejected", 10))
SEED_COUNTRIES = ("US", "CA", "GB", "FR", "DE", "AU", "ES", "IT", "MX", "BR", "JP", "NL", "SE")


class CatalogueGenerator:
    """Deterministic for a given (rng, faker, anchor): same seed, same rows."""

    def __init__(self, rng: random.Random, fake: Faker, anchor: datetime) -> None:
        self.rng = rng
        self.fake = fake
        self.anchor = anchor

    def object_id(self) -> str:
        return seeded_id(self.rng)

    def _image(self, key: str) -> str:
        return f"{IMAGE_BASE}/{key}-original.jpg"

    def _weighted(self, options: tuple[tuple[str, int], ...]) -> str:
        return self.rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]

    def products(self, merchant: dict[str, Any], count: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        products: list[dict[str, Any]] = []
        variants: list[dict[str, Any]] = []
        used_skus: set[str] = set()
        for n in range(count):
            p, vs = self._product(merchant, n, used_skus)
            products.append(p)
            variants.extend(vs)
        return products, variants

    def _product(self, merchant: dict[str, Any], n: int, used: set[str]) -> tuple[dict[str, Any],
                                                                                  list[dict[str, Any]]]:
        rng, rate = self.rng, currency_rates().get(merchant["localized_currency"], 1.0)
        cat = rng.choice(CATEGORIES)
        noun = rng.choice(cat.nouns)
        name = " ".join((rng.choice(AUDIENCES), rng.choice(ADJECTIVES), rng.choice(MATERIALS), noun))
        pid = self.object_id()
        prefix = "".join(w[0] for w in noun.split()).upper()
        parent_sku = f"{prefix}-{rng.randint(10000, 99999)}-{n}"
        uploaded = self.anchor - timedelta(days=rng.uniform(1, 540))
        updated = uploaded + (self.anchor - uploaded) * rng.random()
        review = self._weighted(REVIEW)
        base_price = round(rng.uniform(*cat.price), 2)
        default_ship = round(rng.choice((0.0, 1.99, 2.99, 3.99, 4.99, 6.99)), 2)
        extra = [self._image(f"{pid}-{i}") for i in range(rng.randint(0, 6))]
        tags = sorted({noun.lower(), cat.name.lower(), *(self.fake.word() for _ in range(rng.randint(1, 7)))})[:10]
        shipping: dict[str, Any] = {STANDARD: {}}
        for cc in rng.sample(SEED_COUNTRIES, rng.randint(2, 6)):
            price = round(default_ship + rng.choice((0.0, 0.5, 1.0, 2.0)), 2)
            shipping[STANDARD][cc] = {"price": price, "localized_price": round(price * rate, 2),
                                      "enabled": rng.random() > 0.05, "regions": {}}
        for wh in merchant["warehouses"]:
            if rng.random() < 0.15:
                cc = wh.removeprefix("EXPRESS-")
                price = round(rng.uniform(0.0, 3.0), 2)
                shipping[wh] = {cc: {"price": price, "localized_price": round(price * rate, 2), "enabled": True,
                                     "regions": {}}}
        enabled = rng.random() > 0.1
        product = {
            "id": pid, "merchant_id": merchant["id"], "parent_sku": parent_sku, "name": name,
            "description": f"{name}. {self.fake.paragraph(nb_sentences=3)}", "tags": tags,
            "main_image": self._image(pid), "extra_images": extra,
            "clean_image": self._image(pid) if rng.random() < 0.3 else None, "original_image_url": self._image(pid),
            "review_status": review, "enabled": enabled, "removed_by_merchant": rng.random() < 0.02,
            "is_promoted": rng.random() < 0.1, "num_sold": rng.randint(0, 5000) if review == "approved" else 0,
            "num_saves": rng.randint(0, 20000) if review == "approved" else 0, "category": cat.name,
            "default_shipping_price": default_ship, "localized_default_shipping_price": round(default_ship * rate, 2),
            "landing_page_url": None, "upc": None, "requested_product_brand_id": None,
            "max_quantity": rng.choice((None, None, None, 5, 10)), "condition": None, "unit": None,
            "reference_value": None, "demo_video_asset_url": None, "shipping": shipping,
            "date_uploaded": uploaded, "last_updated": updated,
        }
        colors = rng.sample(COLORS, rng.randint(1, 3)) if rng.random() < 0.8 else [None]
        sizes = rng.sample(cat.sizes, min(len(cat.sizes), rng.randint(1, 4)))
        sizes.sort(key=cat.sizes.index)
        variants: list[dict[str, Any]] = []
        for color in colors:
            for size in sizes:
                sku = "-".join(x for x in (parent_sku, (color or "")[:3].upper(), size.replace(" ", "")) if x)
                if sku in used:
                    continue
                used.add(sku)
                price = round(base_price * rng.uniform(0.95, 1.1), 2)
                msrp = round(price * rng.uniform(1.2, 3.0), 2)
                ship = round(rng.uniform(0.5, 8.0), 2)
                stock: dict[str, dict[str, float | None]] = {
                    STANDARD: {"inventory": rng.choice((0, rng.randint(1, 50), rng.randint(50, 5000))),
                               "shipping": ship, "localized_shipping": round(ship * rate, 2)}}
                for wh in shipping:
                    if wh != STANDARD:
                        stock[wh] = {"inventory": rng.randint(0, 300), "shipping": None, "localized_shipping": None}
                variants.append({
                    "id": self.object_id(), "merchant_id": merchant["id"], "product_id": pid,
                    "position": len(variants), "sku": sku, "color": color, "size": size, "condition": None,
                    "price": price, "localized_price": round(price * rate, 2), "msrp": msrp,
                    "localized_msrp": round(msrp * rate, 2), "shipping_time": rng.choice(("5-10", "7-14", "10-20")),
                    "main_image": self._image(f"{pid}-{color or 'v'}") if color and rng.random() < 0.5 else None,
                    "quantity_value": None,
                    "enabled": enabled and rng.random() > 0.08,
                    "removed_by_wish": False, "stock": stock,
                    "logistics": self._logistics(name, noun, cat, price) if rng.random() < 0.4 else None,
                    "last_updated": updated,
                })
        if product["removed_by_merchant"]:
            product["enabled"] = False
            suffix = f"-removed-{pid[-8:]}"
            product["parent_sku"] += suffix
            for v in variants:
                v["sku"] += suffix
                v["enabled"] = False
        elif variants and rng.random() < 0.02:
            variants[-1]["removed_by_wish"] = True
            variants[-1]["enabled"] = False
        return product, variants

    def _logistics(self, name: str, noun: str, cat: Category, price: float) -> dict[str, Any]:
        rng = self.rng
        return {
            "declared_name": noun, "declared_local_name": None, "pieces": rng.randint(1, 3),
            "length": round(rng.uniform(5, 40), 1), "width": round(rng.uniform(5, 30), 1),
            "height": round(rng.uniform(1, 15), 1), "weight": round(rng.uniform(20, 1500), 1),
            "origin_country": "CN", "hscode": cat.hscode, "declared_value": round(min(price, 100) * 0.6, 2),
            "has_liquid": cat.name == "Beauty" and rng.random() < 0.3, "has_battery": noun == "LED Night Light",
            "has_powder": False, "has_metal": cat.name == "Accessories",
        }
