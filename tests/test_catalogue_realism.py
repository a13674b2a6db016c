"""The generated catalogue reads like a real store: every product's name, description and tags are made of its
own category's data (mockwish.seed.categories), the description names the product's type, variants use the
type's colours and size system, prices and parcels stay in the category's ranges, and no text is lorem filler."""

from __future__ import annotations

import dataclasses
import json
import random
import re
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from faker import Faker
from faker.providers.lorem.en_US import Provider as Lorem
from sqlalchemy import select

import mockwish.seed.catalogue as catalogue
import mockwish.seed.categories as categories
from mockwish.app import build_context
from mockwish.config import Settings
from mockwish.merchant.orders.generate import IMAGE_URL
from mockwish.reference import IMAGE_BASE
from mockwish.seed.catalogue import MAX_TAGS, CatalogueGenerator
from mockwish.seed.categories import (
    AUDIENCE_TAGS,
    BY_NAME,
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
)
from mockwish.store.tables import Product, Variant

P = Product.__table__  # type: ignore[attr-defined]
V = Variant.__table__  # type: ignore[attr-defined]
DOC_CATALOGUE = Path(__file__).resolve().parent.parent / "fixtures" / "doc_catalogue.json"
COMMON = (*COLOUR_LINES, ONE_COLOUR_LINE, *USAGE_LINES, SIZE_LINE, PACKAGE_LINE, PAIR_PACKAGE_LINE, "this these",
          *AUDIENCE_TAGS.values())
WORD = re.compile(r"[a-z0-9]+")
MERCHANT = {"id": "5f0000000000000000000001", "localized_currency": "USD", "warehouses": ["EXPRESS-US"]}


def _words(text: str) -> set[str]:
    return set(WORD.findall(text.lower()))


def _strings(value: Any) -> list[str]:
    """Every string a category's data holds (its types, materials, colours, sizes, lines ...)."""
    if isinstance(value, str):
        return [value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [s for f in dataclasses.fields(value) for s in _strings(getattr(value, f.name))]
    if isinstance(value, (tuple, list)):
        return [s for v in value for s in _strings(v)]
    return []


VOCABULARY = {c.name: set().union(*(_words(s) for s in (*_strings(c), *COMMON))) for c in CATEGORIES}
LOREM = set(Lorem.word_list)


def _type_of(cat: Category, name: str) -> ProductType:
    found = [t for t in cat.types if re.search(rf"(^| ){re.escape(t.noun)}( for |$)", name)]
    assert len(found) == 1, (cat.name, name, [t.noun for t in found])
    return found[0]


def check_product(p: dict[str, Any], variants: list[dict[str, Any]]) -> None:
    cat = BY_NAME[p["category"]]
    t = _type_of(cat, p["name"])
    vocab = VOCABULARY[cat.name]
    name, description, tags = p["name"], p["description"], p["tags"]
    # the name: [audience] style material type [for usage], each from the type's own lists
    head, _, usage = name.partition(" for ")
    assert head.endswith(t.noun), name
    rest = head.removesuffix(t.noun).strip()
    if t.audiences:
        audience = next(a for a in t.audiences if rest.startswith(a + " "))
        rest = rest.removeprefix(audience + " ")
    materials = [m for m in t.materials if rest.endswith(m)]
    assert materials, (name, t.materials)
    material = max(materials, key=len)
    style = rest.removesuffix(material).strip()
    assert style in cat.styles_of(t), (name, style)
    if usage:
        assert usage.lower() in {u.lower().removeprefix("the ") for u in cat.usage_of(t)}, name
    # the description names the type, its material and every colour the variants come in
    text = description.lower()
    assert t.noun.lower() in text and material.lower() in text, (name, description)
    colours = {v["color"] for v in variants} - {None}
    assert all(c in text for c in colours), (colours, description)
    assert any(line in description for line in cat.care_of(t)), description
    # tags: the type, the category, the material and style, then colours, usage and keywords of the category
    assert 1 <= len(tags) <= MAX_TAGS and len(set(tags)) == len(tags), tags
    assert tags[:4] == [t.noun.lower(), cat.name.lower(), material.lower(), style.lower()], tags
    allowed = {x.lower() for x in (*cat.colours_of(t), *cat.usage_of(t), *cat.keywords, *AUDIENCE_TAGS.values())}
    assert set(tags[4:]) <= allowed, (tags, allowed)
    # every word comes from the category's data; none is a lorem word the category does not use itself
    for text in (name, description, *tags):
        assert _words(text) <= vocab, (cat.name, text, _words(text) - vocab)
        assert not (_words(text) & LOREM) - vocab, text
    # variants: the type's colours and size system, prices in the category's range
    system = cat.sizes_of(t)
    assert {v["size"] for v in variants} <= set(system.values), (name, system.values)
    assert colours <= set(cat.colours_of(t)), (name, colours)
    lo, hi = cat.price_of(t)
    for v in variants:
        if v["condition"] in ("USED", "REFURBISHED"):  # a second-hand variant is sold for less
            assert v["condition"] == catalogue.SECOND_HAND[t.noun] and p["condition"] == "NEW", (name, v)
            lo = cat.price_of(t)[0] * catalogue.SECOND_HAND_PRICE[0]
        else:
            assert v["condition"] in (None, "NEW"), v
            lo = cat.price_of(t)[0]
        assert lo * 0.95 - 0.01 <= v["price"] <= hi * 1.1 + 0.01, (name, v["price"], (lo, hi))
        assert v["msrp"] > v["price"]
        ship = v["stock"]["STANDARD"]["shipping"]
        assert min(cat.shipping) <= ship <= max(cat.shipping), (name, ship)
        if v["logistics"]:
            lg = v["logistics"]
            assert lg["declared_name"] == t.noun and lg["hscode"] == cat.hscode_of(t)
            assert t.weight[0] <= lg["weight"] <= t.weight[1]
            assert all(0 < d <= m for d, m in zip((lg["length"], lg["width"], lg["height"]), t.parcel, strict=True))
            assert (lg["has_battery"], lg["has_liquid"], lg["has_metal"]) == (t.battery, t.liquid,
                                                                               material in METALS)
    assert p["default_shipping_price"] in cat.shipping
    for image in (p["main_image"], p["original_image_url"], *p["extra_images"]):
        assert image.startswith(IMAGE_BASE + "/"), image


def _by_product(variants: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for v in variants:
        out.setdefault(v["product_id"], []).append(v)
    return out


def _generate(seed: int, count: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    fake = Faker("en_US")
    fake.seed_instance(seed)
    return CatalogueGenerator(random.Random(seed), fake, datetime(2026, 1, 1)).products(MERCHANT, count)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The default data (default seed and product count), less the docs' example products."""
    ctx = build_context(Settings(data_dir=tmp_path_factory.mktemp("realism")))
    ctx.sandbox.reseed(Settings().seed)
    doc_ids = {p["id"] for p in json.loads(DOC_CATALOGUE.read_text(encoding="utf-8"))["products"]}
    with ctx.engine.connect() as conn:
        products = [dict(r) for r in conn.execute(select(P)).mappings() if r["id"] not in doc_ids]
        variants = [dict(r) for r in conn.execute(select(V)).mappings() if r["product_id"] not in doc_ids]
    ctx.engine.dispose()
    return products, variants


def test_every_seeded_product_is_made_of_its_category(
        seeded: tuple[list[dict[str, Any]], list[dict[str, Any]]]) -> None:
    products, variants = seeded
    assert len(products) >= 3 * Settings().products_per_merchant
    by_product = _by_product(variants)
    for p in products:
        check_product(p, by_product.get(p["id"], []))
    used = Counter(p["category"] for p in products)
    assert set(used) == set(BY_NAME), set(BY_NAME) - set(used)  # every category shows up in the default data


@pytest.mark.parametrize("seed", [7, 2024])
def test_generated_products_are_made_of_their_category(seed: int) -> None:
    products, variants = _generate(seed, 400)
    by_product = _by_product(variants)
    assert all(by_product.get(p["id"]) for p in products)
    for p in products:
        check_product(p, by_product[p["id"]])
    nouns = Counter(_type_of(BY_NAME[p["category"]], p["name"]).noun for p in products)
    assert len(nouns) > 50  # many types, not a handful
    skus = [v["sku"] for v in variants]
    assert len(skus) == len(set(skus))


def test_same_seed_same_rows() -> None:
    assert _generate(11, 60) == _generate(11, 60)
    assert _generate(11, 60)[0] != _generate(12, 60)[0]


def test_no_lorem_generator_in_the_catalogue() -> None:
    for module in (catalogue, categories):
        source = Path(module.__file__ or "").read_text(encoding="utf-8")
        assert not re.search(r"\.(sentences?|paragraphs?|texts?|words?)\(", source), module.__name__
        assert "providers.lorem" not in source


def test_the_category_data_is_coherent() -> None:
    assert 10 <= len(CATEGORIES) <= 14
    for c in CATEGORIES:
        assert c.intros and c.care and c.usage and c.keywords and c.types and c.shipping
        assert all("{type}" in i and "{material}" in i for i in c.intros)
        assert c.price[0] < c.price[1]
        for t in c.types:
            noun = _words(t.noun)
            assert t.materials and len(c.usage_of(t)) >= 2 and t.weight[0] < t.weight[1]
            # a name never says a word twice ("Fast Charging Charging Cable")
            assert all(not (_words(s) & noun) for s in c.styles_of(t)), t.noun
            assert all(not (_words(m) & noun) for m in t.materials), t.noun
            lo, hi = c.price_of(t)
            assert 0 < lo < hi <= 60


def test_products_and_orders_share_one_image_host() -> None:
    assert IMAGE_URL.startswith(IMAGE_BASE + "/")


def test_seeded_products_come_new_used_and_refurbished(
        seeded: tuple[list[dict[str, Any]], list[dict[str, Any]]]) -> None:
    """As the docs' example product: some products of the types people resell come in NEW and second-hand
    variants, the second-hand ones cheaper (checked in check_product); the product says NEW."""
    products, variants = seeded
    seen = Counter(v["condition"] for v in variants)
    assert seen["USED"] and seen["REFURBISHED"] and seen["NEW"], seen
    assert seen[None] > 10 * (seen["USED"] + seen["REFURBISHED"]), seen  # most products say nothing: NEW
    by_product = _by_product(variants)
    mixed = [p for p in products if {v["condition"] for v in by_product.get(p["id"], [])} > {"NEW"}]
    assert mixed and all(p["condition"] == "NEW" for p in mixed)


def test_the_variant_shows_its_condition_on_the_wire(wish: Any) -> None:
    """The Variant's `condition`: its own, else its product's, else NEW, on seeded data as in the docs."""
    doc_ids = {p["id"] for p in json.loads(DOC_CATALOGUE.read_text(encoding="utf-8"))["products"]}
    seen: Counter[str] = Counter()
    for item in wish.ok("product/multi-get", "GET", limit=250):
        p = item["Product"]
        conditions = [v["Variant"]["condition"] for v in p["variants"]]
        seen.update(conditions)
        if set(conditions) != {"NEW"} and p["id"] not in doc_ids:  # the docs' red shoe has a USED variant
            assert p["condition"] == "NEW" and set(conditions) <= {"NEW", "USED", "REFURBISHED"}, p
    assert seen["NEW"] and seen["USED"] + seen["REFURBISHED"] > 1, seen


def test_products_sold_by_content_carry_their_unit_and_quantities(wish: Any) -> None:
    """A product whose sizes are contents (500ml, 1L, 10 Pcs, 4 oz) shows Wish's price-per-unit fields: the
    product's `unit` and `reference_value`, each variant's `quantity_value` in that unit (the docs' Variant)."""
    units = json.loads((Path(__file__).resolve().parents[1] / "mockwish" / "reference" / "data" / "units.json")
                       .read_text())["units"]
    seen = 0
    for item in wish.ok("product/multi-get", "GET", limit=250):
        p = item["Product"]
        sizes = [v["Variant"].get("size", "") for v in p["variants"]]
        content = catalogue.contents(sizes)
        if content is None:
            assert p.get("unit") in (None, ""), p["unit"]
            continue
        seen += 1
        assert p["unit"] == content[0] and p["unit"] in units
        assert float(p["reference_value"]) == catalogue.REFERENCE_VALUES[content[0]]
        for v in p["variants"]:
            assert float(v["Variant"]["quantity_value"]) == content[1][v["Variant"]["size"]]
    assert seen, "no seeded product is sold by content"
