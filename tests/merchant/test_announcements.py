"""HTTP tests of the Announcements endpoints (wish-merchant-api-v2.txt, Announcements): fetch-bd-announcement and
fetch-sys-updates-noti; the doc's examples replayed, what a merchant without an announcement gets, order, tenant
isolation, XML, the scope, POST /sandbox/api/announcements, and the date formats."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import delete
from starlette.testclient import TestClient

from conformance.shape import compare
from mockwish.errors import WishError, message
from mockwish.merchant.notifications import rules
from mockwish.merchant.notifications.errors import ANNOUNCEMENT_FIELD
from mockwish.store.tables import BDAnnouncement, table_of
from support import DEFAULT_TOKEN, WORLDWIDE_TOKEN, Wish, freeze, minted_token, on_store

SANDBOX = "/sandbox/api/announcements"
CREATED = re.compile(r"^[A-Z][a-z]{2} \d{2}, \d{4}$")  # Apr 01, 2016
CTA = re.compile(r"^[A-Z][a-z]+ \d{2}, \d{4} \d{2}:\d{2} [AP]M UTC$")  # January 10, 2020 12:00 PM UTC
DOC_BD: dict[str, Any] = {"message": "", "code": 0, "data": {"GetBDAnnouncementResponse": {
    "title": "关于下调XXXXXXXXXXXXXXXXXXX", "created": "Apr 01, 2016", "bd_id": "55781a50d29XXXXXXXXXX",
    "bd_name": "TraXX XXXX", "message": "感谢大家XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX", "viewed": "False"}}}
DOC_FEATURE: dict[str, Any] = {
    "cn_title": "关于更新每个产品国际运费的新功能", "body": "We are very excited ...",
    "title": "New Feature About Updating International Shipping Prices Per Product",
    "link": "https://merchantfaq.wish.com/hc/en-us/articles/218812008", "cn_body": "尊敬的商户 ...",
    "cn_link": "https://merchantfaq.wish.com/hc/zh-cn/articles/218812008",
    "categories": ["LOGISTICS_PRICING", "ORDERS", "PRODUCTS"], "program": "ADVANCED_LOGISTICS", "important": "False",
    "cta_text_en": "", "cta_text_cn": "", "cta_effective_date": ""}
DOC_SYS: dict[str, Any] = {"message": "", "code": 0, "data": [{"SystemUpdatesResponse": {
    "release_date": "Thursday May 19, 2016", "id": "573e46218db5d1487ee4bdd8",
    "features": [{"Feature": DOC_FEATURE}]}}]}


def post(client: TestClient, token: str | None = DEFAULT_TOKEN, **body: Any) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.post(SANDBOX, json=body, headers=headers)


def made(client: TestClient, **body: Any) -> list[dict[str, Any]]:
    r = post(client, **body)
    assert r.status_code == 200, r.text
    return r.json()["announcements"]  # type: ignore[no-any-return]


def bd(wish: Wish) -> dict[str, Any]:
    return wish.ok("fetch-bd-announcement", "GET")["GetBDAnnouncementResponse"]  # type: ignore[no-any-return]


def updates(wish: Wish) -> list[dict[str, Any]]:
    return [u["SystemUpdatesResponse"] for u in wish.ok("fetch-sys-updates-noti", "GET")]


def released(u: dict[str, Any]) -> datetime:
    return datetime.strptime(u["release_date"], "%A %B %d, %Y")


# ---- fetch-bd-announcement -----------------------------------------------------------------------------------

def test_bd_doc_example(client: TestClient) -> None:
    """curl ".../fetch-bd-announcement?access_token=an_example_access_token"."""
    r = client.get("/api/v2/fetch-bd-announcement", params={"access_token": "an_example_access_token"})
    body = r.json()
    assert r.status_code == 200 and compare(DOC_BD, body) == [], body
    shown = body["data"]["GetBDAnnouncementResponse"]
    assert set(shown) == set(DOC_BD["data"]["GetBDAnnouncementResponse"])
    assert CREATED.match(shown["created"]) and shown["viewed"] == "False"  # the latest seeded one is unviewed
    assert re.fullmatch(r"[0-9a-f]{24}", shown["bd_id"]) and shown["bd_name"] and shown["title"] and shown["message"]


def test_bd_latest_wins_and_reading_does_not_mark_viewed(client: TestClient, wish: Wish) -> None:
    seeded = bd(wish)
    freeze(client)
    first = made(client, title="Meetup in Shenzhen")[0]["GetBDAnnouncementResponse"]
    second = made(client, title="Training on Thursday", viewed=True)[0]["GetBDAnnouncementResponse"]
    shown = bd(wish)
    assert shown == second and shown["title"] == "Training on Thursday" and shown["viewed"] == "True"
    # the same Account Manager sends them all
    assert (first["bd_id"], first["bd_name"]) == (second["bd_id"], second["bd_name"]) == \
        (seeded["bd_id"], seeded["bd_name"])
    assert bd(wish) == shown


def test_bd_created_is_the_clock(client: TestClient, wish: Wish) -> None:
    at = freeze(client)
    made(client)
    assert bd(wish)["created"] == at.strftime("%b %d, %Y")


def test_bd_none(client: TestClient, wish: Wish) -> None:
    """A merchant whose Account Manager never wrote: an empty object (code 0)."""
    worldwide = wish.as_(WORLDWIDE_TOKEN)
    merchant_id = worldwide.ok("auth_test", "GET")["merchant_id"]
    t = table_of(BDAnnouncement)
    on_store(client, lambda conn: conn.execute(delete(t).where(t.c.merchant_id == merchant_id)))
    r = worldwide.call("fetch-bd-announcement", "GET")
    assert r.status_code == 200 and r.json() == {"code": 0, "data": {}, "message": ""}
    r = worldwide.call("fetch-bd-announcement", "GET", format="xml")
    assert r.status_code == 200 and ET.fromstring(r.content).findtext("code") == "0"


def test_bd_tenant_isolation(client: TestClient, wish: Wish, other: Wish) -> None:
    theirs = bd(other)
    assert theirs != bd(wish)
    made(client, title="Only for the default merchant")
    assert bd(other) == theirs and bd(wish)["title"] == "Only for the default merchant"


# ---- fetch-sys-updates-noti ----------------------------------------------------------------------------------

def test_sys_updates_doc_example(client: TestClient) -> None:
    """curl ".../fetch-sys-updates-noti?access_token=an_example_access_token"."""
    r = client.get("/api/v2/fetch-sys-updates-noti", params={"access_token": "an_example_access_token"})
    body = r.json()
    assert r.status_code == 200 and compare(DOC_SYS, body) == [], [m for m in compare(DOC_SYS, body)]
    by_id = {u["SystemUpdatesResponse"]["id"]: u["SystemUpdatesResponse"] for u in body["data"]}
    # the doc's two releases, under their ids, with their texts
    first = by_id["573e46218db5d1487ee4bdd8"]["features"][0]["Feature"]
    assert {k: first[k] for k in ("title", "cn_title", "link", "cn_link", "categories", "program", "important")} == \
        {k: DOC_FEATURE[k] for k in ("title", "cn_title", "link", "cn_link", "categories", "program", "important")}
    express = by_id["55bfae216daddd41f93512ce"]["features"][0]["Feature"]
    assert express["important"] == "True" and express["categories"] == ["LOGISTICS", "PRODUCTS"]
    assert express["title"].startswith("Prepare sufficient Wish Express inventory")


def test_sys_updates_newest_first_and_well_formed(wish: Wish) -> None:
    found = updates(wish)
    assert len(found) == 6
    dates = [released(u) for u in found]
    assert dates == sorted(dates, reverse=True)
    for u in found:
        assert u["features"]
        for f in (x["Feature"] for x in u["features"]):
            assert 1 <= len(f["categories"]) <= 3 and set(f["categories"]) <= set(rules.CATEGORIES)
            assert f["important"] in ("True", "False") and isinstance(f["program"], str) and f["program"]
            assert f["cta_effective_date"] == "" or CTA.match(f["cta_effective_date"])
            assert f["link"].startswith("https://") and f["cn_link"].startswith("https://")


def test_wish_express_feature_dates_follow_its_release(wish: Wish) -> None:
    """The doc's second feature, moved to the clock: inventory due 30 days after the release, at noon UTC."""
    u = next(u for u in updates(wish) if u["id"] == "55bfae216daddd41f93512ce")
    f = u["features"][0]["Feature"]
    due = datetime.strptime(f["cta_effective_date"], "%B %d, %Y %I:%M %p UTC")
    assert due.date() == (released(u) + timedelta(days=30)).date() and (due.hour, due.minute) == (12, 0)
    day = f"{due.strftime('%B')} {due.day}, {due.year}"
    assert day in f["cta_text_en"] and day in f["body"]
    assert f"{due.year}年{due.month}月{due.day}日" in f["cta_text_cn"]


def test_wish_express_texts_follow_a_reset(client: TestClient, wish: Wish, advance: Any) -> None:
    """A reset moves the release with the clock: its texts' dates move with it (they are written when read)."""
    advance(3 * 86400 + 7 * 3600)
    assert client.post("/sandbox/api/reset").status_code == 200
    test_wish_express_feature_dates_follow_its_release(wish)


def test_sys_updates_tenant_isolation(client: TestClient, wish: Wish, other: Wish) -> None:
    mine, theirs = {u["id"] for u in updates(wish)}, {u["id"] for u in updates(other)}
    assert len(theirs) == 6 and not mine & theirs
    assert "573e46218db5d1487ee4bdd8" not in theirs  # the doc's ids are the docs' merchant's
    made(client, kind="system")
    assert {u["id"] for u in updates(other)} == theirs and len(updates(wish)) == 7


def test_sys_updates_xml(wish: Wish) -> None:
    r = wish.call("fetch-sys-updates-noti", "GET", format="xml")
    assert r.status_code == 200
    root = ET.fromstring(r.content)
    ids = [e.findtext("id") for e in root.iter("SystemUpdatesResponse")]
    assert ids == [u["id"] for u in updates(wish)]
    first = next(root.iter("Feature"))
    assert [c.text for c in first.find("categories") or []] == updates(wish)[0]["features"][0]["Feature"]["categories"]


def test_scope(wish: Wish) -> None:
    """Both under notifications:read, as documented."""
    reader = wish.as_(minted_token(wish.client, ["notifications:read"]))
    assert bd(reader) == bd(wish) and updates(reader) == updates(wish)
    refused = wish.as_(minted_token(wish.client, ["announcements:read", "notifications:write"]))
    for path in ("fetch-bd-announcement", "fetch-sys-updates-noti"):
        body = refused.err(path, 4000, 401, "GET", locale="de")
        assert body["message"] == message("insufficient_scope", "de")


# ---- sandbox ---------------------------------------------------------------------------------------------

def test_sandbox_system_update(client: TestClient, wish: Wish) -> None:
    at = freeze(client)
    due = (at + timedelta(days=20)).replace(hour=15, minute=30, second=0)
    shown = made(client, kind="system", title="New API endpoints for returns", cn_title="退货新API",
                 body="Read the docs.", categories=["API", "ORDERS"], program="RETURNS", important=True,
                 cta_text_en="Migrate by then", cta_text_cn="请在此之前迁移", cta_effective_date=due.isoformat())
    release = shown[0]["SystemUpdatesResponse"]
    assert updates(wish)[0] == release  # as the API renders it, newest first
    f = release["features"][0]["Feature"]
    assert (f["title"], f["cn_title"], f["body"], f["categories"], f["program"], f["important"]) == (
        "New API endpoints for returns", "退货新API", "Read the docs.", ["API", "ORDERS"], "RETURNS", "True")
    assert f["cta_effective_date"] == rules.cta_date(due) and release["release_date"] == rules.release_date(at)
    # released with its notification, as Wish posts one
    noti = wish.ok("noti/fetch-unviewed", "GET", limit=1)[0]["GetNotiResponse"]
    assert noti["title"] == "There is a new system update" and noti["message"] == f["title"]
    assert noti["perma_link"] == f"https://merchant.wish.com/release/{release['id']}"


def test_a_system_update_of_the_callers_own_texts_borrows_none(client: TestClient) -> None:
    """Only a title and a body: the other texts are not the default feature's (which tell of something else);
    the Chinese ones repeat the English, as the mock does not translate."""
    f = made(client, kind="system", title="Holiday cut-off", body="Ship by Dec 18.")[0][
        "SystemUpdatesResponse"]["features"][0]["Feature"]
    assert (f["title"], f["body"], f["cn_title"], f["cn_body"], f["link"], f["cn_link"]) == (
        "Holiday cut-off", "Ship by Dec 18.", "Holiday cut-off", "Ship by Dec 18.", "", "")


def test_sandbox_defaults(client: TestClient, wish: Wish) -> None:
    default_bd = made(client)[0]["GetBDAnnouncementResponse"]
    assert default_bd["title"] and default_bd["message"] and default_bd["viewed"] == "False"
    system = made(client, kind="system", count=2)
    assert len(system) == 2 and [u["SystemUpdatesResponse"]["id"] for u in system][::-1] == \
        [u["id"] for u in updates(wish)[:2]]
    f = system[0]["SystemUpdatesResponse"]["features"][0]["Feature"]
    assert f["program"] == "None" and f["cta_effective_date"] == "" and f["important"] == "False"


def test_sandbox_merchant_id(client: TestClient, wish: Wish, other: Wish) -> None:
    other_id = other.ok("auth_test", "GET")["merchant_id"]
    r = post(client, None, merchant_id=other_id, title="Hello second merchant")
    assert r.status_code == 200 and r.json()["merchant_id"] == other_id
    assert bd(other)["title"] == "Hello second merchant" and bd(wish)["title"] != "Hello second merchant"


@pytest.mark.parametrize("body", [{"kind": "bd", "body": "x"}, {"kind": "bd", "categories": ["API"]},
                                  {"kind": "system", "bd_name": "Amy"}, {"kind": "system", "viewed": True}])
def test_sandbox_field_of_the_other_kind(client: TestClient, body: dict[str, Any]) -> None:
    r = post(client, **body)
    field = next(k for k in body if k != "kind")
    assert r.status_code == 400 and r.json()["code"] == 1000
    assert r.json()["message"] == message(ANNOUNCEMENT_FIELD, field=field, kind=body["kind"])


@pytest.mark.parametrize("body", [
    {"kind": "memo"}, {"kind": "system", "categories": ["WEATHER"]},
    {"kind": "system", "categories": ["API", "TAX", "IP", "ORDERS"]}, {"bd_id": "not-hex"}, {"count": 0},
    {"colour": "red"}, {"merchant_id": "aaaaaaaaaaaaaaaaaaaaaaaa"}, {"kind": "system", "cta_effective_date": "soon"}])
def test_sandbox_refusals(client: TestClient, body: dict[str, Any]) -> None:
    r = post(client, **body)
    assert r.status_code == 400 and r.json()["code"] == 1000, r.text


def test_sandbox_needs_a_merchant(client: TestClient) -> None:
    r = post(client, None)
    assert r.status_code == 400 and r.json()["code"] == 1001


# ---- rules -----------------------------------------------------------------------------------------------

def test_date_formats() -> None:
    assert rules.bd_created(datetime(2016, 4, 1, 23, 59)) == "Apr 01, 2016"
    assert rules.release_date(datetime(2016, 5, 19)) == "Thursday May 19, 2016"
    assert rules.release_date(datetime(2019, 12, 11)) == "Wednesday December 11, 2019"
    assert rules.cta_date(datetime(2020, 1, 10, 12)) == "January 10, 2020 12:00 PM UTC"
    assert rules.cta_date(datetime(2020, 1, 10, 0, 5)) == "January 10, 2020 12:05 AM UTC"
    assert rules.cta_date(datetime(2020, 1, 10, 23, 0)) == "January 10, 2020 11:00 PM UTC"


def test_check_categories() -> None:
    assert rules.check_categories(["API", "TAX", "API"]) == ["API", "TAX"]
    with pytest.raises(WishError) as e:
        rules.check_categories(["API", "WEATHER"])
    assert e.value.code == 1000
    with pytest.raises(WishError) as e:
        rules.check_categories(["API", "TAX", "IP", "ORDERS"])
    assert e.value.code == 1000
