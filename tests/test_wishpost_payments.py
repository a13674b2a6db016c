"""WishPost charges and statements over HTTP (wishpost-api.txt "Order Payment", "Download Payment Statement",
"Payment Statement Check Status"; supplement-wishpost.md 6): get_order_payment with the logistics charge of the
warehouse scan (the same as tracking's), the refund of a cancelled charged parcel and the sandbox's posted
charges; the statement job on the shared job machine, its signed .xlsx link; errors, isolation, carriers, and
the docs' example requests replayed."""

from __future__ import annotations

import io
import re
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode
from xml.etree import ElementTree

import openpyxl
import pytest
from starlette.testclient import TestClient
from wishpost_support import DEFAULT_WISHPOST_TOKEN, SECOND_WISHPOST_TOKEN, bearer, user_id, v3_sandbox_parcels

from mockwish.errors import message
from mockwish.seed.wishpost import DEFAULT_CARRIER_KEY
from mockwish.wishpost.payments import rules
from mockwish.wishpost.payments.ledger import net_charged
from support import freeze, on_store

PAYMENT = "/wishpost/api/v3/get_order_payment"
DOWNLOAD = "/wishpost/api/v3/payment_statement/download"
STATUS = "/wishpost/api/v3/payment_statement/check-status"
TRACKING = "/wishpost/api/v2/tracking"
CHARGES = "/sandbox/api/wishpost/charges"
WISHPOST_PORT = "http://testserver:8001"
STEP = 6 * 3600  # wishpost_tracking_step_seconds
TS = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PR_KEYS = ["remark", "type", "bill_type", "state", "wishpost_order_type", "prid", "currency", "amount", "fee_type",
           "charge_complete_ts", "flat_rate_shipping"]


def v3(r: Any, status: int = 200, code: int = 0) -> dict[str, Any]:
    assert r.status_code == status, r.text
    body: dict[str, Any] = r.json()
    assert body["code"] == code and TS.fullmatch(body["timestamp"]), body
    return body


def payments(client: TestClient, ids: list[str], token: str = DEFAULT_WISHPOST_TOKEN, **extra: Any
             ) -> dict[str, Any]:
    return v3(client.post(PAYMENT, json={"access_token": token, "tracking_ids": ids, **extra}))


def advance(client: TestClient, seconds: float) -> None:
    r = client.post("/sandbox/api/clock", json={"advance_seconds": seconds})
    assert r.status_code == 200, r.text


def beijing_day(client: TestClient) -> str:
    now = datetime.fromisoformat(client.get("/sandbox/api/clock").json()["now"].removesuffix("Z"))
    return (now + timedelta(hours=8)).date().isoformat()


def tracking_charge(client: TestClient, barcode: str) -> dict[str, str]:
    """The warehouse event of the parcel's v2 tracking: its date and charge fields."""
    body = (f'<?xml version="1.0" ?><tracks><access_token>{DEFAULT_WISHPOST_TOKEN}</access_token>'
            f"<language>en</language><track><barcode>{barcode}</barcode></track></tracks>")
    r = client.post(TRACKING, content=body, headers={"Content-Type": "application/xml"})
    root = ElementTree.fromstring(r.content)
    for track in root.iter("track"):
        if track.find("charged_shipping_fee") is not None:
            return {child.tag: child.text or "" for child in track}
    return {}


def download(client: TestClient, start: str, end: str, token: str = DEFAULT_WISHPOST_TOKEN) -> dict[str, Any]:
    return v3(client.post(DOWNLOAD, json={"access_token": token, "start_date": start, "end_date": end}))


def check(client: TestClient, job: dict[str, Any], token: str = DEFAULT_WISHPOST_TOKEN) -> dict[str, Any]:
    return v3(client.post(STATUS, json={"access_token": token, "job_id": job["job_id"],
                                        "job_token": job["job_token"]}))


def path_of(url: str) -> str:
    return url.removeprefix("http://testserver")


def rows_of(content: bytes) -> list[tuple[Any, ...]]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return list(sheet.iter_rows(values_only=True))


@pytest.fixture
def charged(client: TestClient) -> dict[str, Any]:
    """An accepted parcel whose warehouse scan (two steps later) has happened: the clock moved past it."""
    freeze(client)
    parcel = v3_sandbox_parcels(client, "accepted", channel="36-1")[0]
    advance(client, 2 * STEP + 60)
    return parcel


# ---- get_order_payment ----------------------------------------------------------------------------------------------

def test_no_charge_before_the_warehouse_scan_then_the_same_charge_as_tracking(client: TestClient) -> None:
    freeze(client)
    parcel = v3_sandbox_parcels(client, "accepted", channel="36-1")[0]
    barcode = parcel["barcode"]
    entry = payments(client, [barcode])["data"][0]
    assert entry["payment_requests"] == [] and entry["created_time"] is None
    assert TS.fullmatch(entry["ready_payment_ts"])
    advance(client, STEP + 60)  # picked up: no scan at the warehouse yet
    assert payments(client, [barcode])["data"][0]["payment_requests"] == []
    assert tracking_charge(client, barcode) == {}
    advance(client, STEP)  # the warehouse scan
    scan = tracking_charge(client, barcode)
    entry = payments(client, [barcode])["data"][0]
    [charge] = entry["payment_requests"]
    assert list(charge) == PR_KEYS
    assert charge["amount"] == scan["charged_shipping_fee"]
    assert entry["created_time"] == scan["date"]
    assert charge["state"] == "SUCCESS" and charge["fee_type"] == "LOGISTICS" and charge["bill_type"] is None
    assert re.fullmatch(r"WI\d{12}PR", charge["prid"])
    flat = charge["flat_rate_shipping"]
    assert Decimal(str(flat["actual_weight_fee"])) + Decimal(str(flat["actual_parcel_fee"])) == Decimal(
        charge["amount"])
    weight, fee = rules.parcel_rules.charge(on_store(client, lambda c: _parcel_row(c, parcel)))
    assert scan["pricing_weight"] == f"{weight:.2f}" and charge["amount"] == f"{fee:.2f}"
    assert charge["charge_complete_ts"] >= entry["created_time"]


def _parcel_row(conn: Any, parcel: dict[str, Any]) -> dict[str, Any]:
    from mockwish.wishpost.parcels import store
    return store.any_by_id(conn, parcel["wish_standard_tracking_id"]) or {}


def test_localized_as_the_docs_show_it(client: TestClient, charged: dict[str, Any]) -> None:
    zh = payments(client, [charged["barcode"]], locale="zh")["data"][0]["payment_requests"][0]
    assert (zh["type"], zh["currency"], zh["remark"], zh["wishpost_order_type"]) == ("收款", "人民币", "物流费",
                                                                                      "WOSP订单")
    en = payments(client, [charged["barcode"]], locale="en")["data"][0]["payment_requests"][0]
    assert (en["type"], en["currency"], en["remark"], en["wishpost_order_type"]) == ("Charge", "CNY",
                                                                                      "Logistics fee", "WOSP order")


def test_ids_by_barcode_wosp_id_and_in_every_form(client: TestClient, charged: dict[str, Any]) -> None:
    barcode, wosp = charged["barcode"], charged["wish_standard_tracking_id"]
    data = payments(client, [barcode, wosp])["data"]
    assert [d["tracking_id"] for d in data] == [barcode, wosp]
    assert data[0]["payment_requests"] == data[1]["payment_requests"]
    token = {"access_token": DEFAULT_WISHPOST_TOKEN}
    for r in (client.post(PAYMENT, data={**token, "tracking_ids": f"{barcode},{wosp}"}),
              client.get(PAYMENT, params=[("access_token", DEFAULT_WISHPOST_TOKEN), ("tracking_ids", barcode),
                                          ("tracking_ids", wosp)]),
              client.post(PAYMENT, content=urlencode([("access_token", DEFAULT_WISHPOST_TOKEN),
                                                      ("tracking_ids", barcode), ("tracking_ids", wosp)]),
                          headers={"Content-Type": "application/x-www-form-urlencoded"})):
        assert [d["tracking_id"] for d in v3(r)["data"]] == [barcode, wosp]


def test_unknown_and_other_users_ids_are_left_out(client: TestClient, charged: dict[str, Any]) -> None:
    theirs = v3_sandbox_parcels(client, "completed", token=SECOND_WISHPOST_TOKEN)[0]
    body = payments(client, [charged["barcode"], "UH000000000CN", theirs["barcode"],
                             theirs["wish_standard_tracking_id"]])
    assert [d["tracking_id"] for d in body["data"]] == [charged["barcode"]]
    assert body["message"] == "Some tracking ids are not found."
    assert payments(client, [charged["barcode"]])["message"] == ""
    # the other user sees their own parcel's charge, never ours
    assert payments(client, [theirs["barcode"]], token=SECOND_WISHPOST_TOKEN)["data"][0]["payment_requests"]
    assert payments(client, [charged["barcode"]], token=SECOND_WISHPOST_TOKEN)["data"] == []


@pytest.mark.parametrize(("ids", "code", "key"), [
    (None, 1001, "wp_missing_param"), ([], 1001, "wp_missing_param"), ("", 1001, "wp_missing_param"),
    ([f"UH{n:09d}CN" for n in range(101)], 1000, "wp_invalid_param"), ("[1,", 1000, "wp_invalid_param")])
def test_tracking_ids_errors(client: TestClient, ids: Any, code: int, key: str) -> None:
    body: dict[str, Any] = {"access_token": DEFAULT_WISHPOST_TOKEN}
    if ids is not None:
        body["tracking_ids"] = ids
    r = client.post(PAYMENT, json=body) if not isinstance(ids, str) else client.post(PAYMENT, data=body)
    answer = v3(r, 400, code)
    assert answer["data"] == []
    if key == "wp_missing_param":
        assert answer["message"] == message(key, param="tracking_ids")
    else:
        assert "tracking_ids" in answer["message"]


def test_a_hundred_ids_are_fine(client: TestClient) -> None:
    assert payments(client, [f"UH{n:09d}CN" for n in range(100)])["data"] == []


def test_refund_after_cancelling_a_charged_parcel(client: TestClient, charged: dict[str, Any]) -> None:
    wosp = charged["wish_standard_tracking_id"]
    uid = user_id(client, DEFAULT_WISHPOST_TOKEN)
    now = lambda: client.app.state.ctx.clock.now()  # noqa: E731
    before = on_store(client, lambda c: net_charged(c, uid, now()))
    [charge] = payments(client, [wosp])["data"][0]["payment_requests"]
    assert on_store(client, lambda c: net_charged(c, uid, now() - timedelta(seconds=STEP))) < before
    r = client.post(f"/sandbox/api/wishpost/parcels/{wosp}/state", json={"state": "canceled"})
    assert r.status_code == 200, r.text
    advance(client, 1)
    reqs = payments(client, [wosp])["data"][0]["payment_requests"]
    assert [(p["type"], p["state"]) for p in reqs] == [("Charge", "REFUNDED"), ("Refund", "SUCCESS")]
    assert reqs[1]["amount"] == charge["amount"] and reqs[0]["prid"] == charge["prid"]
    assert reqs[1]["prid"] != charge["prid"]
    after = on_store(client, lambda c: net_charged(c, uid, now()))
    assert after == before - Decimal(charge["amount"])


def test_a_parcel_cancelled_before_its_scan_is_never_charged(client: TestClient) -> None:
    freeze(client)
    parcel = v3_sandbox_parcels(client, "accepted")[0]
    r = client.post("/wishpost/api/v3/cancel_orders", json={"access_token": DEFAULT_WISHPOST_TOKEN, "orders": [
        {"wish_standard_tracking_id": parcel["wish_standard_tracking_id"], "cancel_reason_code": 40401}]})
    assert v3(r)["is_cancelling_orders"], r.text
    advance(client, 5 * STEP)
    assert payments(client, [parcel["wish_standard_tracking_id"]])["data"][0]["payment_requests"] == []


def test_carrier_keys_are_refused(client: TestClient) -> None:
    headers = {"X-API-Key": DEFAULT_CARRIER_KEY}
    for path, body in ((PAYMENT, {"tracking_ids": ["UH303390759CN"]}),
                       (DOWNLOAD, {"start_date": "2018-11-20", "end_date": "2018-11-20"}),
                       (STATUS, {"job_id": "3762b2e66fd111e9819c0242ad10f210", "job_token": 1})):
        answer = v3(client.post(path, json=body, headers=headers), 401, 4000)
        assert answer["message"] == message("wp_api_key_unauthorized") == "API key is unauthorized"


def test_the_payment_scope_is_needed(client: TestClient) -> None:
    from wishpost_support import xml_mint_token

    token = xml_mint_token(client, ["user.order.read"])["access_token"]
    v3(client.post(PAYMENT, json={"access_token": token, "tracking_ids": ["x"]}), 403, 1103)
    v3(client.post(DOWNLOAD, json={"access_token": token, "start_date": "2018-11-20", "end_date": "2018-11-20"}),
       403, 1103)


# ---- the sandbox's posted charges ------------------------------------------------------------------------------------

def test_sandbox_posts_a_charge_and_a_refund(client: TestClient, charged: dict[str, Any]) -> None:
    barcode = charged["barcode"]
    uid = user_id(client, DEFAULT_WISHPOST_TOKEN)
    r = client.post(CHARGES, json={"user_id": uid, "tracking_id": barcode, "type": "COMPENSATE",
                                   "amount": "12.50"})
    assert r.status_code == 200, r.text
    posted = r.json()
    assert posted["wish_standard_tracking_id"] == charged["wish_standard_tracking_id"]
    assert posted["payment_request"]["amount"] == "12.50" and posted["payment_request"]["fee_type"] == "COMPENSATION"
    r = client.post(CHARGES, json={"tracking_id": charged["wish_standard_tracking_id"], "type": "REFUND",
                                   "state": "PROCESS_REVIEW", "amount": 1}, headers=bearer(DEFAULT_WISHPOST_TOKEN))
    assert r.status_code == 200, r.text
    assert r.json()["payment_request"]["charge_complete_ts"] is None
    reqs = payments(client, [barcode])["data"][0]["payment_requests"]
    assert [(p["type"], p["state"], p["amount"]) for p in reqs][1:] == [
        ("Compensate", "SUCCESS", "12.50"), ("Refund", "PROCESS_REVIEW", "1.00")]
    assert len({p["prid"] for p in reqs}) == 3
    # a charge posted for later shows from its instant on
    later = (client.app.state.ctx.clock.now() + timedelta(hours=1)).isoformat()
    r = client.post(CHARGES, json={"user_id": uid, "tracking_id": barcode, "amount": 3, "created_at": later})
    assert r.status_code == 200, r.text
    assert len(payments(client, [barcode])["data"][0]["payment_requests"]) == 3
    advance(client, 3600)
    assert len(payments(client, [barcode])["data"][0]["payment_requests"]) == 4


def test_sandbox_charge_errors(client: TestClient, charged: dict[str, Any]) -> None:
    uid = user_id(client, DEFAULT_WISHPOST_TOKEN)
    r = client.post(CHARGES, json={"user_id": uid, "tracking_id": "UH000000000CN", "amount": 1})
    assert r.status_code == 404 and r.json()["code"] == 1004, r.text
    r = client.post(CHARGES, json={"user_id": "0" * 24, "tracking_id": charged["barcode"], "amount": 1})
    assert r.status_code == 404 and r.json()["code"] == 1004, r.text
    theirs = user_id(client, SECOND_WISHPOST_TOKEN)  # another user's parcel is not found either
    r = client.post(CHARGES, json={"user_id": theirs, "tracking_id": charged["barcode"], "amount": 1})
    assert r.status_code == 404, r.text
    for bad in ({"amount": -1}, {"amount": "1.234"}, {"amount": 1, "type": "GIFT"}, {"amount": 1, "state": "DONE"},
                {}, {"amount": 1, "fee_type": "bad type"}):
        r = client.post(CHARGES, json={"user_id": uid, "tracking_id": charged["barcode"], **bad})
        assert r.status_code == 400 and r.json()["code"] in (1000, 1001), (bad, r.text)


def test_seeded_charges_cover_every_type_and_state(client: TestClient) -> None:
    from sqlalchemy import select

    from mockwish.store.tables import WishPostCharge, table_of

    table = table_of(WishPostCharge)
    rows = on_store(client, lambda c: [tuple(r) for r in c.execute(select(table.c.user_id, table.c.type,
                                                                          table.c.state))])
    for uid in (user_id(client, DEFAULT_WISHPOST_TOKEN), user_id(client, SECOND_WISHPOST_TOKEN)):
        mine = [(t, s) for u, t, s in rows if u == uid]
        assert {t for t, _ in mine} | {"CHARGE"} == set(rules.TYPES)
        assert {s for _, s in mine} | {"SUCCESS"} == set(rules.STATES)


# ---- statements ---------------------------------------------------------------------------------------------------

def test_statement_job_follows_the_clock_and_serves_the_xlsx(client: TestClient, charged: dict[str, Any]) -> None:
    day = beijing_day(client)
    start = (datetime.fromisoformat(day) - timedelta(days=5)).date().isoformat()
    job = download(client, start, day)
    assert job["message"] == "Success" and re.fullmatch(r"[0-9a-f]{32}", job["job_id"])
    assert isinstance(job["job_token"], int) and job["url"].startswith("http://testserver/wishpost/")
    assert check(client, job) | {"timestamp": ""} == {"timestamp": "", "message": "", "code": 0, "perc": 0,
                                                      "complete": False}
    early = client.get(path_of(job["url"]))
    assert v3(early, 404, 1000)["message"] == message("wp_statement_not_found", id=job["job_id"])
    advance(client, 2 + 2.5)  # PENDING 2 s, then half of RUNNING's 5 s
    mid = check(client, job)
    assert 0 < mid["perc"] < 100 and mid["complete"] is False
    assert client.get(path_of(job["url"])).status_code == 404
    advance(client, 3)
    assert check(client, job)["perc"] == 100 and check(client, job)["complete"] is True
    uid = user_id(client, DEFAULT_WISHPOST_TOKEN)
    r = client.get(path_of(job["url"]))
    assert r.status_code == 200 and r.headers["content-type"] == XLSX
    assert r.headers["content-disposition"] == f'attachment; filename="{start}_{day}_{uid}.xlsx"'
    rows = rows_of(r.content)
    assert rows[0][:4] == ("Created Time", "Tracking ID", "WOSP ID", "Payment Request ID")
    charge = payments(client, [charged["barcode"]])["data"][0]["payment_requests"][0]
    found = [row for row in rows if row[3] == charge["prid"]]
    assert found and found[0][1] == charged["barcode"] and found[0][2] == charged["wish_standard_tracking_id"]
    assert f"{found[0][7]:.2f}" == charge["amount"]
    assert rows[-1][0] == "Net charged"
    now = client.app.state.ctx.clock.now()
    assert f"{rows[-1][7]:.2f}" == f"{on_store(client, lambda c: net_charged(c, uid, now)):.2f}"
    # the WishPost port's root answers with links on that port
    port = v3(client.post(WISHPOST_PORT + "/api/v3/payment_statement/download",
                          json={"access_token": DEFAULT_WISHPOST_TOKEN, "start_date": start, "end_date": day}))
    assert port["url"].startswith(WISHPOST_PORT + "/api/v3/payment_statement/file?")
    assert client.get(port["url"]).status_code == 404
    advance(client, 10)
    assert client.get(port["url"]).status_code == 200


def test_statement_in_chinese_and_the_link_expires(client: TestClient) -> None:
    day = beijing_day(client)
    job = v3(client.post(DOWNLOAD, json={"access_token": DEFAULT_WISHPOST_TOKEN, "start_date": day,
                                         "end_date": day, "locale": "zh"}))
    advance(client, 10)
    rows = rows_of(client.get(path_of(job["url"])).content)
    assert rows[0][0] == "创建时间" and rows[-1][0] == "净扣款合计"
    advance(client, 72 * 3600 + 60)
    assert client.get(path_of(job["url"])).status_code == 404


@pytest.mark.parametrize(("body", "code", "expected"), [
    ({"end_date": "2018-11-20"}, 1001, message("wp_missing_param", param="start_date")),
    ({"start_date": "2018-11-20"}, 1001, message("wp_missing_param", param="end_date")),
    ({"start_date": "2018/11/20", "end_date": "2018-11-20"}, 1000,
     message("wp_invalid_date", param="start_date", value="2018/11/20")),
    ({"start_date": "2018-11-20", "end_date": "2018-02-30"}, 1000,
     message("wp_invalid_date", param="end_date", value="2018-02-30")),
    # a year the clock cannot show: refused before any job could do day arithmetic on it
    ({"start_date": "0001-01-01", "end_date": "0001-01-01"}, 1000,
     message("wp_invalid_date", param="start_date", value="0001-01-01")),
    ({"start_date": "9999-12-31", "end_date": "9999-12-31"}, 1000,
     message("wp_invalid_date", param="start_date", value="9999-12-31")),
    ({"start_date": "2018-11-20", "end_date": "2018-11-19"}, 1000, message("wp_statement_reversed")),
    ({"start_date": "2018-01-01", "end_date": "2018-02-01"}, 1000, message("wp_statement_too_long", days=31)),
])
def test_download_errors(client: TestClient, body: dict[str, str], code: int, expected: str) -> None:
    from sqlalchemy import func, select

    from mockwish.store.tables import Job, table_of

    jobs = lambda: on_store(client, lambda c: c.execute(select(func.count()).select_from(table_of(Job))).scalar())  # noqa: E731
    before = jobs()
    answer = v3(client.post(DOWNLOAD, json={"access_token": DEFAULT_WISHPOST_TOKEN, **body}), 400, code)
    assert answer["message"] == expected
    assert jobs() == before  # no half-made job


def test_a_month_is_fine(client: TestClient) -> None:
    assert download(client, "2018-01-01", "2018-01-31")["message"] == "Success"


def test_check_status_errors_and_isolation(client: TestClient, charged: dict[str, Any]) -> None:
    day = beijing_day(client)
    job = download(client, day, day)
    jid = job["job_id"]
    no_such = message("wp_no_such_job", id=jid)
    assert no_such == f"No such Job [{jid}]"
    for token, job_token in ((DEFAULT_WISHPOST_TOKEN, job["job_token"] + 1), (SECOND_WISHPOST_TOKEN, job["job_token"])):
        answer = v3(client.post(STATUS, json={"access_token": token, "job_id": jid, "job_token": job_token}), 400,
                    1000)
        assert answer["message"] == no_such and isinstance(answer["code"], int)
    unknown = "0e845c2e752d11e98a6a0242ad10f210"
    assert v3(client.post(STATUS, json={"access_token": DEFAULT_WISHPOST_TOKEN, "job_id": unknown, "job_token": 1}),
              400, 1000)["message"] == message("wp_no_such_job", id=unknown)
    v3(client.post(STATUS, json={"access_token": DEFAULT_WISHPOST_TOKEN, "job_id": jid}), 400, 1001)
    v3(client.post(STATUS, json={"access_token": DEFAULT_WISHPOST_TOKEN, "job_token": 1}), 400, 1001)
    v3(client.post(STATUS, data={"access_token": DEFAULT_WISHPOST_TOKEN, "job_id": jid, "job_token": "one"}), 400,
       1000)
    advance(client, 10)
    assert check(client, job)["complete"] is True
    # the file: not with another user's token, nor unsigned, nor with a forged signature
    path = path_of(job["url"])
    assert client.get(path).status_code == 200
    assert client.get(path, headers=bearer(DEFAULT_WISHPOST_TOKEN)).status_code == 200
    assert v3(client.get(path, headers=bearer(SECOND_WISHPOST_TOKEN)), 404, 1000)
    v3(client.get(f"/wishpost/api/v3/payment_statement/file?job_id={jid}"), 400, 1001)
    v3(client.get(f"/wishpost/api/v3/payment_statement/file?job_id={jid}&signature={'0' * 64}"), 404, 1000)
    # the other user's statement of the same day holds none of our charges
    theirs = download(client, day, day, token=SECOND_WISHPOST_TOKEN)
    advance(client, 10)
    ours = {row[3] for row in rows_of(client.get(path).content)[1:-1]}
    assert ours and not ours & {row[3] for row in rows_of(client.get(path_of(theirs["url"])).content)[1:-1]}


# ---- the docs' example requests, replayed -------------------------------------------------------------------------

def test_doc_example_get_order_payment(client: TestClient, wp_doc: str) -> None:
    freeze(client)
    parcels = [v3_sandbox_parcels(client, "completed", channel=otype)[0] for otype in ("0", "36-1")]
    # WP-DOC: { "access_token": ..., "tracking_ids": [ "UH303390759CN", "Y12727955206", "WI000181645046EPC" ] }
    assert '"tracking_ids": [ "UH303390759CN", "Y12727955206", "WI000181645046EPC" ]' in wp_doc
    ids = [parcels[0]["barcode"], "Y12727955206", parcels[1]["barcode"]]
    body = payments(client, ids)
    doc_entry = {"created_time": "2019-04-28 17:22:39", "tracking_id": "WI000181645046EPC",
                 "ready_payment_ts": "2019-04-26 15:56:05"}
    doc_request = {"remark": "物流费", "type": "收款", "bill_type": None, "state": "SUCCESS",
                   "wishpost_order_type": "WOSP订单", "prid": "WI000508800478PR", "currency": "人民币",
                   "amount": "5.97", "fee_type": "LOGISTICS", "charge_complete_ts": "2019-04-28 17:22:40",
                   "flat_rate_shipping": {"actual_weight_fee": 3.17, "actual_parcel_fee": 2.8,
                                          "actual_discount": 0.17}}
    assert [d["tracking_id"] for d in body["data"]] == [ids[0], ids[2]]
    for entry in body["data"]:
        assert list(entry) == [*doc_entry, "payment_requests"]
        assert all(isinstance(entry[k], type(v)) for k, v in doc_entry.items() if k != "tracking_id")
        request = entry["payment_requests"][0]
        assert list(request) == list(doc_request)
        for key, value in doc_request.items():
            if value is None:
                assert request[key] is None
            elif key == "flat_rate_shipping":
                assert set(request[key]) == set(value)
                assert all(isinstance(x, int | float) for x in request[key].values())
            else:
                assert isinstance(request[key], str) and re.fullmatch(r"\d+\.\d\d", request["amount"])


def test_doc_example_download_and_check_status(client: TestClient, wp_doc: str) -> None:
    assert '"start_date": "2018-11-20", "end_date" : "2018-11-20"' in wp_doc
    r = client.post(DOWNLOAD, content=(f'{{ "access_token": "{DEFAULT_WISHPOST_TOKEN}", "start_date": "2018-11-20", '
                                       '"end_date" : "2018-11-20" }').encode(),
                    headers={"Content-Type": "application/json"})
    job = v3(r)
    assert {"url", "timestamp", "job_token", "job_id", "message"} <= set(job) and job["message"] == "Success"
    assert '"job_id": "3762b2e66fd111e9819c0242ad10f210", "job_token" : 1' in wp_doc
    r = client.post(STATUS, content=(f'{{ "access_token": "{DEFAULT_WISHPOST_TOKEN}", "job_id": "{job["job_id"]}", '
                                     f'"job_token" : {job["job_token"]} }}').encode(),
        headers={"Content-Type": "application/json"})
    status = v3(r)
    assert isinstance(status["perc"], int) and isinstance(status["complete"], bool)
    advance(client, 10)
    done = check(client, job)
    assert (done["perc"], done["complete"]) == (100, True)  # WP-DOC: { "perc": 100, ..., "complete": true }
    assert rows_of(client.get(path_of(job["url"])).content)[-1][0] == "Net charged"  # 2018: no charges, a total


def test_a_read_answer_is_never_stale(client: TestClient, charged: dict[str, Any]) -> None:
    """get_order_payment keeps each id's render until the parcel's requests next change on the clock or a write
    touches the parcel or its charges: a posted charge, a completion on the clock and a cancel each show at once."""
    barcode, wosp = charged["barcode"], charged["wish_standard_tracking_id"]
    first = payments(client, [barcode, wosp])["data"]
    assert first[0]["payment_requests"] == first[1]["payment_requests"] != []
    later = (client.app.state.ctx.clock.now() + timedelta(seconds=30)).isoformat()  # type: ignore[attr-defined]
    r = client.post(CHARGES, json={"tracking_id": barcode, "amount": "2.00", "created_at": later,
                                   "completed_at": (client.app.state.ctx.clock.now()  # type: ignore[attr-defined]
                                                    + timedelta(seconds=90)).isoformat()},
                    headers=bearer(DEFAULT_WISHPOST_TOKEN))
    assert r.status_code == 200, r.text
    assert payments(client, [barcode])["data"][0]["payment_requests"] == first[0]["payment_requests"]
    advance(client, 31)  # the posted request appears on the clock, not complete yet
    shown = payments(client, [barcode])["data"][0]["payment_requests"]
    assert len(shown) == 2 and shown[-1]["charge_complete_ts"] is None
    advance(client, 60)  # and completes
    assert payments(client, [barcode])["data"][0]["payment_requests"][-1]["charge_complete_ts"] is not None
    r = client.post(f"/sandbox/api/wishpost/parcels/{wosp}/state", json={"state": "canceled"},
                    headers=bearer(DEFAULT_WISHPOST_TOKEN))
    assert r.status_code == 200, r.text
    types = [p["type"] for p in payments(client, [wosp])["data"][0]["payment_requests"]]
    assert types.count("Refund") == 1  # the write to the parcel shows its refund at once


def test_fields_narrow_a_cached_answer(client: TestClient, charged: dict[str, Any]) -> None:
    barcode = charged["barcode"]
    payments(client, [barcode])  # rendered and kept
    r = client.get(PAYMENT, params={"tracking_ids": barcode, "fields": "tracking_id,payment_requests(prid)"},
                   headers=bearer(DEFAULT_WISHPOST_TOKEN))
    assert v3(r)["data"] == [{"tracking_id": barcode,
                              "payment_requests": [{"prid": p["prid"]} for p in
                                                   payments(client, [barcode])["data"][0]["payment_requests"]]}]
