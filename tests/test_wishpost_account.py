"""WishPost account_info over HTTP (WP-DOC): the docs' example replayed (every amount a string, the words
localized), the balances consistent with the parcels' net charges (payments.ledger.net_charged), isolation
between users, and the carrier key refused."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest
from sqlalchemy import Connection
from starlette.testclient import TestClient
from wishpost_account_support import V3, doc_example, doc_request_body, post, same_shape, v3_ok
from wishpost_support import DEFAULT_WISHPOST_TOKEN, SECOND_WISHPOST_TOKEN, bearer, user_id

from mockwish.errors import message
from mockwish.seed.wishpost import DEFAULT_CARRIER_KEY
from mockwish.wishpost.account import routes as account_routes
from mockwish.wishpost.account import rules

AMOUNTS = ("total", "unavailable", "debt_frozen", "withdrawable", "debt", "remaining")


def data(client: TestClient, token: str = DEFAULT_WISHPOST_TOKEN, **extra: str) -> dict[str, str]:
    return dict(v3_ok(post(client, "account_info", token, **extra))["data"])


def test_account_info_replays_the_docs_example(client: TestClient, wp_doc: str) -> None:
    request, (success,), (error,) = doc_example(wp_doc, "/api/v3/account_info")
    body = v3_ok(client.post(f"{V3}/account_info", json=doc_request_body(request)))
    same_shape(body, success)
    assert all(type(v) is str for v in body["data"].values())
    r = client.post(f"{V3}/account_info", json=doc_request_body(request), headers={"X-API-Key": DEFAULT_CARRIER_KEY})
    assert v3_ok(r, 401, 4000)["message"] == error["message"] == message("wp_api_key_unauthorized")


@pytest.mark.parametrize(("locale", "unlimited", "currency"),
                         [("zh", "无上限的", "人民币"), ("en", "Unlimited", "CNY")])
def test_account_words_follow_the_locale(client: TestClient, locale: str, unlimited: str, currency: str) -> None:
    found = data(client, locale=locale)
    assert (found["debt_limit"], found["debt_remaining"], found["currency"]) == (unlimited, unlimited, currency)


def test_the_balances_add_up(client: TestClient) -> None:
    found = data(client)
    money = {k: Decimal(found[k]) for k in AMOUNTS}
    assert all(found[k] == f"{money[k]:.2f}" for k in AMOUNTS)  # two decimals, as WP-DOC prints them
    assert money["total"] == money["unavailable"] + money["withdrawable"] > 0
    assert money["remaining"] == money["withdrawable"] and money["debt"] <= 0 and money["debt_frozen"] <= 0
    get = v3_ok(client.get(f"{V3}/account_info", headers=bearer(DEFAULT_WISHPOST_TOKEN)))["data"]
    assert get == found


def test_charges_come_off_the_balance(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """The account reads the user's net charges from the payments ledger: they come off the total (and the
    withdrawable part); beyond the cash they become debt."""
    first = user_id(client, DEFAULT_WISHPOST_TOKEN)
    charged = {first: Decimal(0)}

    def ledger(conn: Connection, user: str, now: datetime) -> Decimal:
        return charged.get(user, Decimal(0))

    monkeypatch.setattr(account_routes, "net_charged", ledger)
    before = {k: Decimal(v) for k, v in data(client).items() if k in AMOUNTS}
    charged[first] = Decimal("120.50")
    after = {k: Decimal(v) for k, v in data(client).items() if k in AMOUNTS}
    assert after["total"] == before["total"] - Decimal("120.50")
    assert after["withdrawable"] == before["withdrawable"] - Decimal("120.50")  # the frozen part stays
    charged[first] = before["total"] + Decimal("1000.00")
    broke = {k: Decimal(v) for k, v in data(client).items() if k in AMOUNTS}
    assert broke["total"] == broke["withdrawable"] == broke["unavailable"] == 0
    assert broke["debt"] == before["debt"] - Decimal("1000.00")
    second = data(client, SECOND_WISHPOST_TOKEN)  # another user's charges are not this one's
    assert Decimal(second["total"]) > 0


def test_each_user_sees_its_own_account(client: TestClient) -> None:
    assert data(client) != data(client, SECOND_WISHPOST_TOKEN)


def test_a_user_without_an_account_row_has_an_empty_account() -> None:
    empty = rules.balances(None, Decimal(0))
    assert empty.total == empty.withdrawable == empty.debt == 0 and empty.debt_limit is None
    limited = rules.balances({"cash_fen": 10_000, "unavailable_fen": 0, "debt_fen": -5_000, "debt_frozen_fen": 0,
                              "debt_limit_fen": 20_000, "currency": "CNY"}, Decimal("150"))
    assert (limited.total, limited.debt, limited.debt_remaining) == (0, Decimal("-100.00"), Decimal("100.00"))


def test_account_info_needs_the_payment_scope(client: TestClient) -> None:
    r = client.post(f"{V3}/account_info", json={"access_token": "nope"})
    assert v3_ok(r, 401, 1020)["message"] == message("wp_token_unknown")
    r = client.post(f"{V3}/account_info", json={})
    assert v3_ok(r, 400, 1001)["message"] == message("wp_missing_param", param="access_token")
