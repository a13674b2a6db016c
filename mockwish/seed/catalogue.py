"""Generated catalogue rows: products built from the categories of mockwish.seed.categories (coherent types,
materials, colours, size systems, prices, weights, tags and descriptions), with country shipping, images, review
states and enabled/disabled items. Built as plain row dicts, inserted in bulk."""

from __future__ import annotations

import random
import re
from datetime import datetime, timedelta
from typing import Any

from faker import Faker

from mockwish.ids import seeded_id
from mockwish.merchant.catalogue.render import STANDARD
from mockwish.reference import IMAGE_BASE, currency_rates
from mockwish.seed.categories import (
    AUDIENCE_TAGS,
    CATEGORIES,
    COLOUR_LINES,
    METALS,
    ONE_COLOUR_LINE,
    PACKAGE_LINE,
    PAIR_PACKAGE_LINE,
    SIZE_LINE,
    USAGE_LINES,
    Category,
    ProductType,
    is_plural,
)

# One image host for the store: product, variant, order and ticket images are all served from it (the host the
# supplement's order example and `product_image_url` use).
REVIEW = (("approved", 70), ("pending", 20), ("rejected", 10))
SEED_COUNTRIES = ("US", "CA", "GB", "FR", "DE", "AU", "ES", "IT", "MX", "BR", "JP", "NL", "SE")
MAX_TAGS = 10
# types people also sell second-hand on Wish, and the condition their second-hand variants carry. A share of
# such products come in both, as the docs' example product does (a NEW and a USED variant): the product says
# NEW, each variant its own condition, the second-hand ones cheaper.
SECOND_HAND = {"Quartz Watch": "USED", "Smart Watch": "REFURBISHED", "Wireless Earbuds": "REFURBISHED",
               "Bluetooth Speaker": "REFURBISHED", "Power Bank": "REFURBISHED", "Hair Straightener": "REFURBISHED",
               "Ring Light": "USED", "Crossbody Bag": "USED", "Wallet": "USED", "Sunglasses": "USED",
               "Ankle Boots": "USED", "Loafers": "USED", "Remote Control Car": "USED", "Camping Lantern": "USED"}
SECOND_HAND_SHARE = 0.3  # of the products of those types
SECOND_HAND_VARIANTS = 0.4  # of such a product's variants
SECOND_HAND_PRICE = (0.55, 0.85)  # of the new price
_SMALL = frozenset({"and", "at", "on", "the", "of", "for", "in", "to"})


def lower(text: str) -> str:
    """Words in lower case except acronyms and brand-like words ("LED", "PU", "USB-C", "9H", "iPhone", "E")."""
    return " ".join(w if sum(c.isupper() for c in w) > 1 or any(c.isupper() for c in w[1:]) or len(w) == 1
                    else w.lower() for w in text.split())


def title(text: str) -> str:
    """Title case for a name ("hot summer days" -> "Hot Summer Days"), small words and acronyms kept."""
    words = text.split()
    return " ".join(w if (i and w in _SMALL) else w[:1].upper() + w[1:] for i, w in enumerate(words))


def listing(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


class CatalogueGenerator:
    """Deterministic for a given (rng, faker, anchor): same seed, same rows. A product's name, description and
    tags are made only of its category's data (mockwish.seed.categories): its type, a material and style that
    fit the type, its variants' colours and sizes, the category's usage and care lines. No lorem text."""

    def __init__(self, rng: random.Random, fake: Faker, anchor: datetime) -> None:
        self.rng = rng
        self.fake = fake  # kept for callers; the catalogue's text comes from the category data alone
        self.anchor = anchor
        self._shares = [c.share for c in CATEGORIES]

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

    # ---- text ----------------------------------------------------------------------------------------------

    def _name(self, cat: Category, t: ProductType, audience: str | None, style: str, material: str) -> str:
        words = [w for w in (audience, style, material, t.noun) if w]
        name = " ".join(words)
        usage = self.rng.choice(cat.usage_of(t)).removeprefix("the ")
        if self.rng.random() < 0.35 and usage.lower() not in name.lower():
            name += f" for {title(usage)}"
        return name

    def _description(self, cat: Category, t: ProductType, style: str, material: str, colours: list[str],
                     sizes: list[str]) -> str:
        rng = self.rng
        slots = {"style": lower(style), "type": lower(t.noun), "material": lower(material),
                 "this": "these" if is_plural(t.noun) else "this"}
        intro = rng.choice(cat.intros).replace("{Style}", "{style}").format(**slots)
        lines = [sentence(intro), *rng.sample(t.features, rng.randint(1, len(t.features)))]
        if colours:
            template = ONE_COLOUR_LINE if len(colours) == 1 else rng.choice(COLOUR_LINES)
            lines.append(template.format(colours=listing(colours)))
        usage = rng.sample(cat.usage_of(t), 2)
        lines.append(rng.choice(USAGE_LINES).format(u1=usage[0], u2=usage[1]))
        system = cat.sizes_of(t)
        if len(system.values) > 1:
            lines.append(SIZE_LINE.format(label=system.label, sizes=", ".join(sizes)))
            if system.note and len(sizes) > 1:
                lines.append(system.note)
        lines.append(rng.choice(cat.care_of(t)))
        lines.append((PAIR_PACKAGE_LINE if t.pair else PACKAGE_LINE).format(type=lower(t.noun) if t.pair else t.noun))
        return " ".join(lines)

    def _tags(self, cat: Category, t: ProductType, audience: str | None, style: str, material: str,
              colours: list[str]) -> list[str]:
        rng = self.rng
        extra = [*colours, *rng.sample(cat.usage_of(t), rng.randint(0, 2)),
                 *rng.sample(cat.keywords, rng.randint(1, 3))]
        if audience:
            extra.append(AUDIENCE_TAGS[audience])
        tags: list[str] = []
        for tag in (t.noun, cat.name, material, style, *extra):
            tag = tag.lower()
            if tag not in tags:
                tags.append(tag)
        return tags[:MAX_TAGS]

    # ---- rows ----------------------------------------------------------------------------------------------

    def _product(self, merchant: dict[str, Any], n: int, used: set[str]) -> tuple[dict[str, Any],
                                                                                  list[dict[str, Any]]]:
        rng, rate = self.rng, currency_rates().get(merchant["localized_currency"], 1.0)
        cat = rng.choices(CATEGORIES, weights=self._shares)[0]
        t = rng.choice(cat.types)
        audience = rng.choice(t.audiences) if t.audiences else None
        style, material = rng.choice(cat.styles_of(t)), rng.choice(t.materials)
        palette, system = cat.colours_of(t), cat.sizes_of(t)
        colours = rng.sample(palette, min(len(palette), rng.randint(1, 4))) if palette else []
        sizes = rng.sample(system.values, min(len(system.values), rng.randint(1, 5)))
        sizes.sort(key=system.values.index)
        name = self._name(cat, t, audience, style, material)
        pid = self.object_id()
        prefix = "".join(w[0] for w in t.noun.replace("-", " ").split()).upper()
        parent_sku = f"{prefix}-{rng.randint(10000, 99999)}-{n}"
        uploaded = self.anchor - timedelta(days=rng.uniform(1, 540))
        updated = uploaded + (self.anchor - uploaded) * rng.random()
        review = self._weighted(REVIEW)
        base_price = round(rng.uniform(*cat.price_of(t)), 2)
        default_ship = rng.choice(cat.shipping)
        ship_lo, ship_hi = min(cat.shipping), max(cat.shipping)
        extra = [self._image(f"{pid}-{i}") for i in range(rng.randint(0, 6))]
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
            "description": self._description(cat, t, style, material, colours, sizes),
            "tags": self._tags(cat, t, audience, style, material, colours),
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
        content = contents(sizes)  # sold by content (ml, pieces, ounces): Wish's price per unit
        if content is not None:
            product["unit"], product["reference_value"] = content[0], REFERENCE_VALUES[content[0]]
        variants: list[dict[str, Any]] = []
        shades: list[str | None] = [*colours] if colours else [None]
        for color in shades:
            for size in sizes:
                sku = "-".join(x for x in (parent_sku, (color or "").replace(" ", "").upper(),
                                           size.replace(" ", "").replace(":", "x")) if x)
                if sku in used:
                    continue
                used.add(sku)
                price = round(base_price * rng.uniform(0.95, 1.1), 2)
                msrp = round(price * rng.uniform(1.2, 3.0), 2)
                ship = round(rng.uniform(ship_lo, ship_hi), 2)
                # sold out, low (never below 5: a few generated orders do not sell a variant out) or plenty
                stock: dict[str, dict[str, float | None]] = {
                    STANDARD: {"inventory": rng.choice((0, rng.randint(5, 50), rng.randint(50, 5000))),
                               "shipping": ship, "localized_shipping": round(ship * rate, 2)}}
                for wh in shipping:
                    if wh != STANDARD:
                        stock[wh] = {"inventory": rng.randint(0, 300), "shipping": None, "localized_shipping": None}
                variants.append({
                    "id": self.object_id(), "merchant_id": merchant["id"], "product_id": pid,
                    "position": len(variants), "sku": sku, "color": color, "size": size, "condition": None,
                    "price": price, "localized_price": round(price * rate, 2), "msrp": msrp,
                    "localized_msrp": round(msrp * rate, 2), "shipping_time": rng.choice(("5-10", "7-14", "10-20")),
                    "main_image": self._image(f"{pid}-{color.replace(' ', '-')}") if color and rng.random() < 0.5
                    else None,
                    "quantity_value": content[1][size] if content is not None else None,
                    "enabled": enabled and rng.random() > 0.08,
                    "removed_by_wish": False, "stock": stock,
                    "logistics": self._logistics(cat, t, material, price) if rng.random() < 0.4 else None,
                    "last_updated": updated,
                })
        if t.noun in SECOND_HAND:
            self._conditions(SECOND_HAND[t.noun], product, variants, rate)
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

    @staticmethod
    def _conditions(second: str, product: dict[str, Any], variants: list[dict[str, Any]], rate: float) -> None:
        """New and second-hand variants of one product. Drawn from the product's id, not from the seed's
        stream, so every other value of the data set stays what it was."""
        own = random.Random(product["id"])
        if own.random() >= SECOND_HAND_SHARE:
            return
        product["condition"] = "NEW"
        for v in variants:
            if own.random() < SECOND_HAND_VARIANTS:
                v["condition"] = second
                v["price"] = round(v["price"] * own.uniform(*SECOND_HAND_PRICE), 2)
                v["localized_price"] = round(v["price"] * rate, 2)
            else:
                v["condition"] = "NEW"

    def _logistics(self, cat: Category, t: ProductType, material: str, price: float) -> dict[str, Any]:
        rng = self.rng
        length, width, height = (round(d * rng.uniform(0.6, 1.0), 1) for d in t.parcel)
        return {
            "declared_name": t.noun, "declared_local_name": None, "pieces": 1,
            "length": length, "width": width, "height": height, "weight": round(rng.uniform(*t.weight), 1),
            "origin_country": "CN", "hscode": cat.hscode_of(t), "declared_value": round(min(price, 100) * 0.6, 2),
            "has_liquid": t.liquid, "has_battery": t.battery, "has_powder": t.powder, "has_metal": material in METALS,
        }


# a size that is the variant's content, in a unit of the docs' list (mockwish/reference/data/units.json)
_CONTENT = ((re.compile(r"^(\d+(?:\.\d+)?)\s?ml$", re.I), "MILLILITER", 1.0),
            (re.compile(r"^(\d+(?:\.\d+)?)\s?L$"), "MILLILITER", 1000.0),
            (re.compile(r"^(\d+(?:\.\d+)?)\s?oz$", re.I), "OUNCE", 1.0),
            (re.compile(r"^(\d+)\s?Pcs$", re.I), "COUNT", 1.0))
REFERENCE_VALUES = {"MILLILITER": 100.0, "OUNCE": 1.0, "COUNT": 1.0}  # price per 100 ml, per ounce, per piece


def contents(sizes: list[str]) -> tuple[str, dict[str, float]] | None:
    """(unit, {size: quantity in it}) when every size of a product is a content in one unit, else None."""
    unit: str | None = None
    values: dict[str, float] = {}
    for size in sizes:
        for pattern, its_unit, factor in _CONTENT:
            found = pattern.match(size.strip())
            if found is not None and unit in (None, its_unit):
                unit, values[size] = its_unit, float(found.group(1)) * factor
                break
        else:
            return None
    return (unit, values) if unit is not None else None
