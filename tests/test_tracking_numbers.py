"""Tracking numbers by carrier (mockwish.merchant.orders.tracking_numbers): generated SHIPPED orders carry numbers
of their carrier's format, and with MOCKWISH_ORDER_TRACKING_NUMBER_CHECK on, /order/fulfill-one and
/order/modify-tracking refuse a number the chosen carrier cannot have issued (1000). Off, the default, any
letters-and-digits number is accepted, as the docs' own example ships USPS with "12345679".

The carriers' formats are written here again, independently of the module's patterns, for the main carriers."""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import select
from starlette.testclient import TestClient

from mockwish.app import create_app
from mockwish.config import Settings
from mockwish.errors import message
from mockwish.merchant.orders import tracking_numbers
from mockwish.merchant.orders.rules import OrderPolicy
from mockwish.reference import accepted_carriers
from mockwish.store.tables import Order
from support import DEFAULT_TOKEN, Wish, fresh_client, on_store

ORDERS = Order.__table__  # type: ignore[attr-defined]
TX = "/sandbox/api/transactions"
NOT_OF_CARRIER = tracking_numbers.NOT_OF_CARRIER

# the main carriers' numbers, as their own sites and the UPU describe them (not the module's regexes)
FORMATS: dict[str, re.Pattern[str]] = {
    "USPS": re.compile(r"^(?:9\d{19,21}|\d{20}|[A-Z]{2}[0-9]{9}US)$"),
    "UPS": re.compile(r"^1Z[A-Z0-9]{6}[A-Z0-9]{2}[0-9A-Z]{8}$"),
    "FedEx": re.compile(r"^(?:[0-9]{12}|[0-9]{15}|[0-9]{20})$"),
    "DHL": re.compile(r"^(?:[0-9]{10}|JJD[0-9]+|GM[0-9]+)$"),
    "EPacket": re.compile(r"^L[A-Z][0-9]{9}CN$"),
    "ChinaAirPost": re.compile(r"^[A-Z][A-Z][0-9]{9}CN$"),
    "EMS (China)": re.compile(r"^E[A-Z][0-9]{9}CN$"),
    "4PX": re.compile(r"^4PX[0-9]+CN$"),
    "YunExpress": re.compile(r"^YT[0-9]{16}$"),
    "SFExpress": re.compile(r"^SF[0-9]{13}$"),
}
S10 = re.compile(r"^[A-Z]{2}([0-9]{9})[A-Z]{2}$")
ANY_FORMAT = {"WishPost"}  # generated too; its numbers are the WishPost channels' (any format)

# numbers of each main carrier, as printed on real labels and in the carriers' docs
FITTING = {
    "USPS": "9400100000000000000001", "UPS": "1Z999AA10123456784", "FedEx": "123456789012", "DHL": "1234567890",
    "EPacket": "LX123456785CN", "ChinaAirPost": "RB123456785CN", "EMS (China)": "EA123456785CN",
    "4PX": "4PX3000123456CN", "YunExpress": "YT2012821272008542", "SFExpress": "SF1234567890123",
}
# (provider as sent, number): none of these can be the carrier's
REFUSED = [
    ("DHL", "9400100000000000000001"),  # the case: a USPS number on a DHL order
    ("dhl", "1Z999AA10123456784"),
    ("USPS", "12345679"),  # the docs' example number: accepted only with the check off
    ("UPS", "9400100000000000000001"),
    ("FedEx", "LX123456789CN"),
    ("EPacket", "RB123456785CN"),
    ("EMS (China)", "LX123456789CN"),
    ("YunExpress", "1Z999AA10123456784"),
    ("SFExpress", "1234567890"),
    ("EPacket", "LX123456784CN"),  # an S10 number whose check digit is wrong (5 is right)
    ("USPS", "RB123456784US"),
]
CANONICAL = {p.casefold(): p for p in accepted_carriers()}


def _tx(client: TestClient, **body: Any) -> list[str]:
    r = client.post(TX, json=body, headers={"Authorization": f"Bearer {DEFAULT_TOKEN}"})
    assert r.status_code == 200, r.text
    return r.json()["order_ids"]  # type: ignore[no-any-return]


def _shipped(client: TestClient) -> list[dict[str, Any]]:
    return on_store(client, lambda conn: [dict(r) for r in conn.execute(
        select(ORDERS.c.shipping_provider, ORDERS.c.tracking_number).where(
            ORDERS.c.tracking_number.is_not(None))).mappings()])


def _fulfil(w: Wish, oid: str, provider: str, number: str) -> Any:
    return w.call("order/fulfill-one", id=oid, tracking_provider=provider, tracking_number=number,
                  origin_country_code="CN")


def _assert_fits(rows: list[dict[str, Any]]) -> Counter[str]:
    seen: Counter[str] = Counter()
    for r in rows:
        provider, number = r["shipping_provider"], r["tracking_number"]
        seen[provider] += 1
        assert provider in FORMATS or provider in ANY_FORMAT, provider
        if provider in FORMATS:
            assert FORMATS[provider].match(number), (provider, number)
        if s10 := S10.match(number):
            assert _upu_check_digit_holds(s10.group(1)), number
    return seen


def _upu_check_digit_holds(digits: str) -> bool:
    """UPU S10: 11 minus the weighted sum (8 6 4 2 3 5 9 7) modulo 11; 10 is written 0 and 11 is written 5."""
    total = sum(int(d) * w for d, w in zip(digits[:8], [8, 6, 4, 2, 3, 5, 9, 7], strict=True))
    return int(digits[8]) == {10: 0, 11: 5}.get(11 - total % 11, 11 - total % 11)


@pytest.fixture(scope="module")
def checking_app(tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    data: Path = tmp_path_factory.mktemp("checking")
    return create_app(Settings(data_dir=data, products_per_merchant=40, seed=42, sandbox_allowed_hosts="testserver",
                               order_tracking_number_check=True))


@pytest.fixture
def checking(checking_app: FastAPI) -> Iterator[TestClient]:
    with fresh_client(checking_app) as c:
        yield c


# ---- the table -------------------------------------------------------------------------------------------

def test_every_accepted_carrier_has_a_pattern_or_accepts_any_number() -> None:
    known, anything = set(tracking_numbers.PATTERNS), set(tracking_numbers.ANY_NUMBER)
    assert len(anything) == len(tracking_numbers.ANY_NUMBER) and not known & anything
    assert known | anything == set(accepted_carriers())
    assert set(FORMATS) <= known and ANY_FORMAT <= anything


@pytest.mark.parametrize("carrier", sorted(tracking_numbers.PATTERNS))
def test_the_generator_fits_every_known_pattern(carrier: str) -> None:
    rng = random.Random(7)
    numbers = [tracking_numbers.generate(rng, carrier) for _ in range(200)]
    assert all(tracking_numbers.fits(carrier, n) for n in numbers), carrier
    if carrier in FORMATS:
        assert all(FORMATS[carrier].match(n) for n in numbers), carrier
    assert all(_upu_check_digit_holds(m.group(1)) for n in numbers if (m := S10.match(n))), carrier
    again = random.Random(7)
    assert [tracking_numbers.generate(again, carrier) for _ in range(200)] == numbers  # same rng, same numbers


def test_known_numbers_fit_their_carrier_only_where_they_can() -> None:
    for carrier, number in FITTING.items():
        assert FORMATS[carrier].match(number), carrier  # the test's own formats agree with the examples
        assert tracking_numbers.fits(carrier, number) and tracking_numbers.fits(carrier, number.lower())
    for provider, number in REFUSED:
        assert not tracking_numbers.fits(CANONICAL[provider.casefold()], number), (provider, number)
    assert all(tracking_numbers.fits(c, "12345679") for c in tracking_numbers.ANY_NUMBER)


def test_the_setting_reaches_the_order_policy() -> None:
    assert OrderPolicy().tracking_number_check is False
    assert OrderPolicy.from_settings(Settings()).tracking_number_check is False
    assert OrderPolicy.from_settings(Settings(order_tracking_number_check=True)).tracking_number_check is True


# ---- generated orders --------------------------------------------------------------------------------------

def test_every_generated_tracking_number_fits_its_carrier(client: TestClient) -> None:
    seeded = _assert_fits(_shipped(client))
    assert sum(seeded.values()) > 0
    _tx(client, count=300, state="SHIPPED", seed=11)
    seen = _assert_fits(_shipped(client))
    assert sum(seen.values()) >= 300 + sum(seeded.values())
    assert {"USPS", "UPS", "FedEx", "DHL", "EPacket"} <= set(seen)  # the main carriers all show up


def test_generation_passes_the_check(checking: TestClient) -> None:
    seeded = _assert_fits(_shipped(checking))  # the seed went through fulfill_one with the check on
    assert sum(seeded.values()) > 0
    _tx(checking, count=300, state="SHIPPED", seed=12)
    assert sum(_assert_fits(_shipped(checking)).values()) >= 300 + sum(seeded.values())


# ---- the check on ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("provider", "number"), REFUSED)
def test_fulfil_refuses_a_number_of_another_carrier(checking: TestClient, provider: str, number: str) -> None:
    w = Wish(checking)
    oid = _tx(checking, count=1, country="CA")[0]
    r = _fulfil(w, oid, provider, number)
    assert r.status_code == 400
    assert r.json() == {"code": 1000, "data": {},
                        "message": message(NOT_OF_CARRIER, number=number, provider=CANONICAL[provider.casefold()])}
    assert w.ok("order", "GET", id=oid)["Order"]["state"] == "APPROVED"  # nothing changed


@pytest.mark.parametrize("locale", ["en", "zh", "fr", "de"])
def test_the_refusal_speaks_the_locale(checking: TestClient, locale: str) -> None:
    w = Wish(checking)
    oid = _tx(checking, count=1, country="CA")[0]
    body = w.err("order/fulfill-one", 1000, 400, id=oid, tracking_provider="DHL",
                 tracking_number="9400100000000000000001", origin_country_code="CN", locale=locale)
    assert body["message"] == message(NOT_OF_CARRIER, locale, number="9400100000000000000001", provider="DHL")
    assert "9400100000000000000001" in body["message"] and "DHL" in body["message"]


@pytest.mark.parametrize(("provider", "number"), sorted(FITTING.items()))
def test_fulfil_accepts_a_fitting_number(checking: TestClient, provider: str, number: str) -> None:
    w = Wish(checking)
    oid = _tx(checking, count=1, country="CA")[0]
    assert _fulfil(w, oid, provider, number).json()["code"] == 0
    o = w.ok("order", "GET", id=oid)["Order"]
    assert (o["state"], o["shipping_provider"], o["tracking_number"]) == ("SHIPPED", provider, number)


def test_fulfil_accepts_a_lower_case_number(checking: TestClient) -> None:
    w = Wish(checking)
    oid = _tx(checking, count=1, country="CA")[0]
    assert _fulfil(w, oid, "ups", "1z999aa10123456784").json()["code"] == 0


@pytest.mark.parametrize("provider", ["WishPost", "CanadaPost", "RoyalMail", "Test_WishPostDHL", "default-provider"])
def test_unknown_formats_accept_any_number(checking: TestClient, provider: str) -> None:
    assert provider in tracking_numbers.ANY_NUMBER
    w = Wish(checking)
    oid = _tx(checking, count=1, country="CA")[0]
    assert _fulfil(w, oid, provider, "12345679").json()["code"] == 0


def test_modify_tracking_refuses_a_number_of_another_carrier(checking: TestClient) -> None:
    w = Wish(checking)
    oid = _tx(checking, count=1, country="CA")[0]
    assert _fulfil(w, oid, "DHL", "1234567890").json()["code"] == 0
    args = {"id": oid, "origin_country_code": "CN"}
    body = w.err("order/modify-tracking", 1000, 400, tracking_provider="DHL", tracking_number="9400100000000000000001",
                 **args)
    assert body == {"code": 1000, "data": {},
                    "message": message(NOT_OF_CARRIER, number="9400100000000000000001", provider="DHL")}
    # the carrier changes, the number does not fit the new one either
    body = w.err("order/modify-tracking", 1000, 400, tracking_provider="USPS", tracking_number="1234567890", **args)
    assert body["message"] == message(NOT_OF_CARRIER, number="1234567890", provider="USPS")
    o = w.ok("order", "GET", id=oid)["Order"]
    assert (o["shipping_provider"], o["tracking_number"]) == ("DHL", "1234567890")
    assert w.ok("order/modify-tracking", tracking_provider="USPS", tracking_number="9400100000000000000001",
                **args) == {"success": True}
    assert w.ok("order/modify-tracking", tracking_provider="WishPost", tracking_number="ANY123", **args) == {
        "success": True}


def test_the_earlier_checks_come_first(checking: TestClient) -> None:
    """An unknown carrier and a number with spaces answer their own errors, as with the check off."""
    w = Wish(checking)
    oid = _tx(checking, count=1, country="CA")[0]
    assert _fulfil(w, oid, "Pigeon Post", "1234567890").json()["message"] == message("carrier_not_accepted")
    body = _fulfil(w, oid, "DHL", "9400 1000 0000").json()
    assert body["message"] == message("invalid_tracking_number", value="9400 1000 0000")


# ---- the check off (the default) ---------------------------------------------------------------------------

@pytest.mark.parametrize(("provider", "number"), REFUSED)
def test_off_any_number_is_accepted(client: TestClient, provider: str, number: str) -> None:
    w = Wish(client)
    oid = _tx(client, count=1, country="CA")[0]
    assert _fulfil(w, oid, provider, number).json()["code"] == 0
    o = w.ok("order", "GET", id=oid)["Order"]
    assert (o["shipping_provider"], o["tracking_number"]) == (CANONICAL[provider.casefold()], number)


def test_off_modify_tracking_accepts_any_number(client: TestClient) -> None:
    w = Wish(client)
    oid = _tx(client, count=1, country="CA")[0]
    assert _fulfil(w, oid, "DHL", "1234567890").json()["code"] == 0
    assert w.ok("order/modify-tracking", id=oid, tracking_provider="DHL", tracking_number="9400100000000000000001",
                origin_country_code="CN") == {"success": True}
