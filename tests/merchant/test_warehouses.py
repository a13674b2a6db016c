"""HTTP tests of /warehouse/get-all (wish-merchant-api-v2.txt, Warehouse): the doc's example replayed, the
merchant's standard and Wish Express warehouses (the same names the variation and product calls take), stable
ids, tenant isolation, XML, the scope, and the rules behind the list."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

from conformance.shape import compare
from mockwish.errors import message
from mockwish.merchant.warehouses import rules
from support import WORLDWIDE_TOKEN, Wish, minted_token

OBJECT_ID = re.compile(r"^[0-9a-f]{24}$")
DEFAULT_EXPRESS = ["EXPRESS-US", "EXPRESS-CA", "EXPRESS-FR", "EXPRESS-ES", "EXPRESS-GB", "EXPRESS-DE"]
# the doc's Example Response, as printed
DOC_EXAMPLE: dict[str, Any] = {
    "message": "", "code": 0,
    "data": [
        {"MerchantWarehouse": {"warehouse_type_name": "EXPRESS", "destination_countries": ["US"],
                               "warehouse_type": "2", "id": "59e6xxxxxxxxxxxxxxxxxxxx",
                               "warehouse_unit_id": "EXPRESS-US"}},
        {"MerchantWarehouse": {"warehouse_type_name": "STANDARD", "warehouse_type": "1",
                               "id": "59e6xxxxxxxxxxxxxxxxxxxx", "warehouse_unit_id": "STANDARD"}},
    ],
}


def warehouses(wish: Wish) -> list[dict[str, Any]]:
    return [w["MerchantWarehouse"] for w in wish.ok("warehouse/get-all", "GET")]


def test_doc_example_replayed(wish: Wish) -> None:
    """curl "https://merchant.wish.com/api/v2/warehouse/get-all?access_token=an_example_access_token"."""
    r = wish.client.get("/api/v2/warehouse/get-all", params={"access_token": "an_example_access_token"})
    assert r.status_code == 200
    body = r.json()
    assert compare({**DOC_EXAMPLE, "data": []}, body) == [] and body["data"]
    # the doc's two elements are the two kinds: each warehouse has the keys and types of its kind's example
    express, standard = DOC_EXAMPLE["data"]
    for w in body["data"]:
        kind = express if w["MerchantWarehouse"]["warehouse_type"] == "2" else standard
        assert compare(kind, w) == [] and set(w["MerchantWarehouse"]) == set(kind["MerchantWarehouse"])


def test_standard_and_wish_express_warehouses(wish: Wish) -> None:
    found = warehouses(wish)
    assert [w["warehouse_unit_id"] for w in found] == [*DEFAULT_EXPRESS, "STANDARD"]  # as the doc: Express first
    for w in found:
        assert OBJECT_ID.match(w["id"]), w
        if w["warehouse_unit_id"] == "STANDARD":
            assert w["warehouse_type"] == "1" and w["warehouse_type_name"] == "STANDARD"
            assert "destination_countries" not in w  # "only provided for Wish Express warehouses"
        else:
            assert w["warehouse_type"] == "2" and w["warehouse_type_name"] == "EXPRESS"
            assert w["destination_countries"] == [w["warehouse_unit_id"].removeprefix("EXPRESS-")]
    assert len({w["id"] for w in found}) == len(found)


def test_ids_are_stable(wish: Wish, advance: Any) -> None:
    first = warehouses(wish)
    advance(3600)
    assert warehouses(wish) == first
    assert warehouses(wish.as_(wish.token)) == first


def test_names_are_those_the_variation_calls_take(wish: Wish) -> None:
    """warehouse_unit_id "is the ID to use for other API calls": each is a warehouse_name the catalogue knows."""
    for w in warehouses(wish):
        wish.ok("variant/multi-get", "GET", warehouse_name=w["warehouse_unit_id"], limit=1)
    body = wish.err("variant/multi-get", 1000, 400, "GET", warehouse_name="EXPRESS-JP", limit=1)
    assert body["message"] == message("no_warehouse", name="EXPRESS-JP")


def test_tenant_isolation(wish: Wish, other: Wish) -> None:
    mine, theirs = warehouses(wish), warehouses(other)
    assert [w["warehouse_unit_id"] for w in theirs] == ["EXPRESS-US", "STANDARD"]
    assert not {w["id"] for w in mine} & {w["id"] for w in theirs}  # the same names, each merchant's own ids
    worldwide = warehouses(wish.as_(WORLDWIDE_TOKEN))
    assert [(w["warehouse_unit_id"], w["warehouse_type"]) for w in worldwide] == [("STANDARD", "1")]


def test_xml(wish: Wish) -> None:
    r = wish.call("warehouse/get-all", "GET", format="xml")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/xml")
    root = ET.fromstring(r.content)
    units = [e.findtext("warehouse_unit_id") for e in root.iter("MerchantWarehouse")]
    assert units == [*DEFAULT_EXPRESS, "STANDARD"]
    us = next(e for e in root.iter("MerchantWarehouse") if e.findtext("warehouse_unit_id") == "EXPRESS-US")
    assert [i.text for i in us.find("destination_countries") or []] == ["US"]


def test_scope_merchant_read(wish: Wish) -> None:
    """The doc names no scope; the mock asks for merchant:read."""
    allowed = wish.as_(minted_token(wish.client, ["merchant:read"]))
    assert len(warehouses(allowed)) == 7
    refused = wish.as_(minted_token(wish.client, ["orders:read", "products:read"]))
    body = refused.err("warehouse/get-all", 4000, 401, "GET", locale="fr")
    assert body["message"] == message("insufficient_scope", "fr")


# ---- rules ------------------------------------------------------------------------------------------------

def test_rules_list_express_then_standard_once() -> None:
    merchant = {"id": "5a00112233445566778899aa", "warehouses": ["EXPRESS-GB", "STANDARD", "EXPRESS-GB", "EXPRESS-US"]}
    listed = rules.warehouses(merchant)
    assert [(w.unit_id, w.type, w.type_name, w.destination_countries) for w in listed] == [
        ("EXPRESS-GB", "2", "EXPRESS", ("GB",)), ("EXPRESS-US", "2", "EXPRESS", ("US",)),
        ("STANDARD", "1", "STANDARD", ())]


def test_rules_ids_derive_from_merchant_and_name() -> None:
    a = rules.warehouse_id("5a00112233445566778899aa", "EXPRESS-US")
    assert OBJECT_ID.match(a)
    assert a == rules.warehouse_id("5a00112233445566778899aa", "EXPRESS-US")
    assert a != rules.warehouse_id("5a00112233445566778899ab", "EXPRESS-US")
    assert a != rules.warehouse_id("5a00112233445566778899aa", "EXPRESS-CA")
