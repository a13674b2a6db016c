"""The Wish Returns Program played through HTTP only, as a merchant's ERP would: a return warehouse is created and
validated on the mock's clock, a product gets its logistics, is enrolled in the warehouse's region, and disabled
there; and the other path, where the sandbox makes the address undeliverable, it ends INVALID and enrolment is
refused until the address is fixed."""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient

from mockwish.errors import message
from mockwish.merchant.returns import errors
from support import DEFAULT_TOKEN, Wish

SHOE = "123456789009876543211234"  # the docs' blue-shoe: three variations, none with logistics
EU = {"region": "EU", "warehouse_name": "Amsterdam Returns", "ship_to": "Returns Dept.", "street_address1":
      "Kabelweg 37", "city": "Amsterdam", "state": "Noord-Holland", "country": "NL", "zipcode": "1043ap",
      "phone_number": "+31 20 555 0100", "email": "returns@example.com"}
US = {"region": "US", "street_address1": "805 Moberly Ln", "city": "Bentonville", "state": "AR", "country": "US",
      "zipcode": "72712"}


def state_of(w: Wish, wid: str) -> dict[str, Any]:
    found = [e["MerchantReturnWarehouse"] for e in w.ok("returns/get-all-warehouses", "GET")]
    return next(b for b in found if b["id"] == wid)


def settings(w: Wish, pid: str) -> list[dict[str, str]]:
    return [e["ProductReturnSetting"] for e in w.ok("returns/get-product-return-settings", "GET", id=pid)]


def enroll_error(w: Wish, wid: str, region: str) -> str:
    return w.err("returns/enroll-product-in-returns", 1000, 400, id=SHOE, region=region,
                 warehouse_id=wid)["message"]  # type: ignore[no-any-return]


def test_returns_program(wish: Wish, advance: Any) -> None:
    # create a return warehouse: basic validation passes, the address is VALIDATING
    created = wish.ok("returns/create-return-warehouse", **EU)
    wid = created["MerchantReturnWarehouse"]["id"]
    shown = state_of(wish, wid)
    assert shown["address_valid_state"] == "VALIDATING" and shown["zipcode"] == "1043ap"
    assert enroll_error(wish, wid, "EU") == message(errors.WAREHOUSE_VALIDATING, warehouse_id=wid)

    # "This may take several minutes": the clock moves past the validation
    advance(301)
    shown = state_of(wish, wid)
    assert shown["address_valid_state"] == "VALID SUGGESTED ADDRESS" and shown["zipcode"] == "1043 AP"

    # the product needs its logistics first
    first_sku = wish.ok("product", "GET", id=SHOE)["Product"]["variants"][0]["Variant"]["sku"]
    assert enroll_error(wish, wid, "EU") == message(errors.NO_LOGISTICS, id=SHOE, sku=first_sku)
    assert wish.ok("returns/set-product-logistics", id=SHOE, height="8", length="30", width="18.5",
                   weight="640") == {}
    assert wish.ok("returns/get-product-variation-dimensions", "GET", id=SHOE) == {"ProductVariationLogistics": {
        "width": "18.5", "length": "30.0", "id": SHOE, "weight": "640.0", "variation_id": "", "height": "8.0"}}

    # enrol in the warehouse's region, read the settings
    assert wish.ok("returns/enroll-product-in-returns", id=SHOE, region="EU", warehouse_id=wid) == {}
    assert settings(wish, SHOE) == [{"region": "EU", "is_active": "True", "warehouse_id": wid}]

    # disable the region: the setting stays, inactive
    assert wish.ok("returns/disable-return-setting-for-region", id=SHOE, region="EU") == {}
    assert settings(wish, SHOE) == [{"region": "EU", "is_active": "False", "warehouse_id": wid}]
    body = wish.err("returns/disable-return-setting-for-region", 1002, 400, id=SHOE, region="EU")
    assert body["message"] == message(errors.NOT_ENROLLED, id=SHOE, region="EU")


def test_an_undeliverable_address_ends_invalid_and_refuses_enrolment(client: TestClient, wish: Wish,
                                                                     advance: Any) -> None:
    wid = wish.ok("returns/create-return-warehouse", **US)["MerchantReturnWarehouse"]["id"]
    r = client.post(f"/sandbox/api/return-warehouses/{wid}/undeliverable",
                    headers={"Authorization": f"Bearer {DEFAULT_TOKEN}"})
    assert r.status_code == 200 and r.json()["MerchantReturnWarehouse"]["address_valid_state"] == "VALIDATING"
    advance(301)
    assert state_of(wish, wid)["address_valid_state"] == "INVALID"

    wish.ok("returns/set-product-logistics", id=SHOE, height="8", length="30", width="18", weight="640")
    assert enroll_error(wish, wid, "US") == message(errors.WAREHOUSE_INVALID, warehouse_id=wid)
    assert settings(wish, SHOE) == []

    # "Please edit the address using returns/edit-return-warehouse": a new address is validated anew
    assert wish.ok("returns/edit-return-warehouse", warehouse_id=wid, street_address1="900 SE J St") == {}
    assert state_of(wish, wid)["address_valid_state"] == "VALIDATING"
    advance(301)
    assert state_of(wish, wid)["address_valid_state"] == "VALID USER ADDRESS"
    wish.ok("returns/enroll-product-in-returns", id=SHOE, region="US", warehouse_id=wid)
    assert settings(wish, SHOE) == [{"region": "US", "is_active": "True", "warehouse_id": wid}]
