"""A sandbox reset brings the seeded tickets, notifications, infractions and return warehouses to the clock with
the orders they refer to (mockwish.store.shift): after the clock moved ten days, a reset shows the same data ten
days later, in the same order (a ticket still opens after its order was placed, the seeded VALIDATING return
warehouse is still validating)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from starlette.testclient import TestClient

from support import Wish, freeze

DOC_TICKET = "098765432112345678901234"  # on the docs' order of the same id
DAYS = 10


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _picture(wish: Wish) -> dict[str, Any]:
    ticket = wish.ok("ticket", "GET", id=DOC_TICKET)["Ticket"]
    infractions = wish.ok("get/infractions", "GET", stage=3, limit=500)["InfractionsResponse"]["infractions"]
    warehouses = {w["MerchantReturnWarehouse"]["id"]: w["MerchantReturnWarehouse"]["address_valid_state"]
                  for w in wish.ok("returns/get-all-warehouses", "GET")}
    return {
        "opened": _at(ticket["open_date"]), "replied": [_at(r["Reply"]["date"]) for r in ticket["replies"]],
        "ordered": _at(ticket["items"][0]["Order"]["order_time"]),
        "infractions": {i["Infraction"]["id"]: (_at(i["Infraction"]["created_time"]),
                                                _at(i["Infraction"]["last_updated"])) for i in infractions},
        "unviewed": [n["GetNotiResponse"]["id"] for n in wish.ok("noti/fetch-unviewed", "GET", limit=500)],
        "warehouses": warehouses,
    }


def test_a_reset_moves_the_seeded_support_data_with_the_clock(client: TestClient, wish: Wish) -> None:
    freeze(client)
    assert client.post("/sandbox/api/reset").status_code == 200
    before = _picture(wish)
    assert before["ordered"] < before["opened"] <= min(before["replied"])
    assert "VALIDATING" in before["warehouses"].values()
    r = client.post("/sandbox/api/clock", json={"advance_seconds": DAYS * 86400})
    assert r.status_code == 200, r.text
    assert client.post("/sandbox/api/reset").status_code == 200
    after = _picture(wish)
    moved = timedelta(days=DAYS)
    assert after["opened"] - before["opened"] == moved and after["ordered"] - before["ordered"] == moved
    assert [a - b for a, b in zip(after["replied"], before["replied"], strict=True)] == [moved] * len(after["replied"])
    assert after["infractions"].keys() == before["infractions"].keys()
    assert all(after["infractions"][k][0] - v[0] == moved and after["infractions"][k][1] - v[1] == moved
               for k, v in before["infractions"].items())
    assert after["unviewed"] == before["unviewed"]  # the same notifications, newest first as before
    assert after["warehouses"] == before["warehouses"]  # the seeded VALIDATING one is still validating
