"""HTTP tests of the batch product download: /product/create-download-job, /product/get-download-job-status,
/product/cancel-download-job, and the CSV its download_link serves.

The test settings make a job PENDING for 2 seconds, then RUNNING for 5, then FINISHED; the tests freeze the
mock's clock and move it with `advance`, so no test waits for real time to pass."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime, timedelta
from typing import Any

import pytest
from starlette.testclient import TestClient

from mockwish.errors import message
from support import DEFAULT_TOKEN, Wish, freeze

SHOE = "123456789009876543211234"
RED_SHOE = "57bb5803ba2a1f181de31b01"
HAT = "111122223333444455556666"
DOC_PRODUCT = "4ef2858a9795c776ce000120"
DOC_JOB = "57bb5803ba2a1f181de31b01"  # the docs' job id, seeded as a finished product download
BULK_JOB = "59e00339b2d5b8367ac3e8bd"  # a variant bulk-update job: not a product download
NOWHERE = "aaaaaaaaaaaaaaaaaaaaaaaa"
JOB_TS = "%Y-%m-%d %H:%M:%S.%f"  # "created_date": "2016-08-18 02:40:25.238000"
LINK = re.compile(r"^http://testserver/static/sweeper-production-merchant-export/"
                  r"[0-9a-f]{24}-(?P<job>[0-9a-f]{24})-\d{4}-\d{2}-\d{2}-\d{2}:\d{2}:\d{2}\.csv$")
HEADER = ["Parent Unique ID", "Unique ID", "Product ID", "Variant ID", "Product Name", "Description", "Tags",
          "Color", "Size", "Quantity", "Price", "Localized Price", "MSRP", "Shipping", "Localized Shipping",
          "Localized Currency Code", "Shipping Time", "Main Image URL", "Variant Main Image URL",
          "Extra Image URLs", "Product Enabled", "Variant Enabled", "Review Status", "Number Sold",
          "Number Saves", "UPC", "Landing Page URL", "Wish Express Countries", "Warehouse Name",
          "Date Uploaded", "Last Updated"]
PENDING_S, RUNNING_S = 2, 5  # tests/conftest.py settings


# ---- helpers ------------------------------------------------------------------------------------------




def create(w: Wish, **params: str) -> str:
    data = w.ok("product/create-download-job", **params)
    assert set(data) == {"job_id"} and re.fullmatch(r"[0-9a-f]{24}", data["job_id"])
    return data["job_id"]


def status(w: Wish, job_id: str) -> dict[str, Any]:
    return w.ok("product/get-download-job-status", job_id=job_id)


def finish(w: Wish, advance: Any, job_id: str) -> dict[str, Any]:
    advance(PENDING_S + RUNNING_S + 1)
    data = status(w, job_id)
    assert data["status"] == "FINISHED", data
    return data


def fetch_csv(client: TestClient, link: str) -> list[dict[str, str]]:
    m = LINK.match(link)
    assert m, link
    r = client.get(link)  # an absolute URL on the mock itself
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv"), r.text[:200]
    rows = list(csv.reader(io.StringIO(r.text)))
    assert rows[0] == HEADER
    return [dict(zip(HEADER, row, strict=True)) for row in rows[1:]]


def download(w: Wish, client: TestClient, advance: Any, **params: str) -> list[dict[str, str]]:
    job = create(w, **params)
    return fetch_csv(client, finish(w, advance, job)["download_link"])


def live_products(w: Wish, **params: str) -> list[dict[str, Any]]:
    return [p["Product"] for p in w.ok("product/multi-get", "GET", limit="250", **params)]


def product_ids(rows: list[dict[str, str]]) -> list[str]:
    return list(dict.fromkeys(r["Product ID"] for r in rows))


# ---- the docs' example job -----------------------------------------------------------------------------

def test_docs_job_is_finished_with_a_link(wish: Wish, client: TestClient) -> None:
    data = wish.ok("product/get-download-job-status", job_id=f"'{DOC_JOB}'")  # quoted, as the docs' curl
    assert set(data) == {"status", "created_date", "start_run_time", "end_run_time", "total_count",
                         "processed_count", "download_link"}
    assert data["status"] == "FINISHED"
    assert isinstance(data["total_count"], int) and data["processed_count"] == data["total_count"] > 0
    created, started, ended = (datetime.strptime(data[k], JOB_TS)
                               for k in ("created_date", "start_run_time", "end_run_time"))
    assert created < started < ended
    assert LINK.match(data["download_link"]).group("job") == DOC_JOB  # type: ignore[union-attr]
    body = wish.ok("product/cancel-download-job", job_id=DOC_JOB)
    assert body == {"message": "Job has already finished."}
    assert status(wish, DOC_JOB) == data
    # within 72 hours of becoming ready the link serves the CSV (one row per variation)
    r = client.post("/sandbox/api/clock", json={"set": (ended + timedelta(hours=1)).isoformat()})
    assert r.status_code == 200, r.text
    rows = fetch_csv(client, data["download_link"])
    assert len(product_ids(rows)) == data["total_count"] and len(rows) >= data["total_count"]


def test_docs_job_link_downloads_as_seeded(wish: Wish, client: TestClient) -> None:
    # a user replaying the docs' get-download-job-status example gets a link that downloads
    link = status(wish, DOC_JOB)["download_link"]
    assert client.get(link).status_code == 200


# ---- lifecycle -----------------------------------------------------------------------------------------

def test_lifecycle_pending_running_finished(wish: Wish, client: TestClient, advance: Any) -> None:
    t0 = freeze(client)
    job = create(wish)
    pending = status(wish, job)
    assert pending == {"status": "PENDING", "created_date": t0.strftime(JOB_TS)}
    advance(PENDING_S + 1)
    running = status(wish, job)
    assert set(running) == {"status", "created_date", "start_run_time", "total_count", "processed_count"}
    assert running["status"] == "RUNNING"
    assert running["start_run_time"] == (t0 + timedelta(seconds=PENDING_S)).strftime(JOB_TS)
    total = len(live_products(wish))
    assert running["total_count"] == total and isinstance(running["processed_count"], int)
    assert 0 <= running["processed_count"] < total
    advance(2)
    later = status(wish, job)
    assert later["status"] == "RUNNING" and later["processed_count"] > running["processed_count"]
    advance(RUNNING_S)
    done = status(wish, job)
    assert done["status"] == "FINISHED" and done["processed_count"] == done["total_count"] == total
    assert done["end_run_time"] == (t0 + timedelta(seconds=PENDING_S + RUNNING_S)).strftime(JOB_TS)
    assert LINK.match(done["download_link"]).group("job") == job  # type: ignore[union-attr]
    assert status(wish, job) == done  # stable once finished
    assert wish.ok("product/cancel-download-job", job_id=job) == {"message": "Job has already finished."}


def test_csv_matches_the_catalogue(wish: Wish, client: TestClient, advance: Any) -> None:
    freeze(client)
    rows = download(wish, client, advance)
    products = live_products(wish)
    # one row per variation of every live (not removed, not rejected) product, newest id first
    assert product_ids(rows) == sorted((p["id"] for p in products), reverse=True)
    assert len(rows) == sum(len(p["variants"]) for p in products)
    (bottle,) = [r for r in rows if r["Unique ID"] == "Bottle"]
    assert bottle == {
        **bottle, "Parent Unique ID": "Bottle-parent", "Product ID": DOC_PRODUCT,
        "Variant ID": "51e0a2c67d41a236cfffe3a2", "Product Name": "TEST!!!", "Tags": "Dress", "Quantity": "10000",
        "Price": "10000.0", "Localized Price": "60000.0", "MSRP": "20000.0", "Shipping": "101.0",
        "Localized Shipping": "606.0", "Localized Currency Code": "CNY", "Product Enabled": "True",
        "Variant Enabled": "True", "Review Status": "approved", "Number Sold": "14", "Number Saves": "12529",
        "Warehouse Name": "STANDARD"}
    shoe = [r for r in rows if r["Product ID"] == SHOE]
    assert {r["Unique ID"] for r in shoe} == {"blue-shoe-11", "blue-shoe-10", "productsku"}
    assert {r["Wish Express Countries"] for r in shoe} == {"CA,US"}
    for r in rows:
        datetime.strptime(r["Date Uploaded"], "%Y-%m-%d")
        datetime.strptime(r["Last Updated"], "%Y-%m-%dT%H:%M:%S")


def test_csv_shows_the_catalogue_as_it_stands_when_the_job_finishes(wish: Wish, client: TestClient,
                                                                     advance: Any) -> None:
    freeze(client)
    job = create(wish)
    # changes made while the job is pending are in the file
    wish.ok("variant/update", sku="blue-shoe-11", inventory="7", price="12.5")
    wish.ok("product/disable", id=HAT)
    wish.ok("product/remove", id=RED_SHOE)
    wish.ok("product/update", id=DOC_PRODUCT, name="Renamed bottle", upc="12345678")
    wish.ok("product/update-shipping", id=SHOE, country="US", wish_express="false")
    wish.ok("product/update-shipping", id=SHOE, country="FR", wish_express="true")
    added = wish.ok("product/add", name="Plain mug", description="A white mug", sku="mug-1", inventory="5",
                    price="10", shipping="2", main_image="https://img.example.com/mug.jpg")["Product"]["id"]
    # ... and in the next read
    v = {x["Variant"]["sku"]: x["Variant"] for x in wish.ok("product", "GET", id=SHOE)["Product"]["variants"]}
    assert (v["blue-shoe-11"]["inventory"], v["blue-shoe-11"]["price"]) == ("7", "12.5")
    rows = fetch_csv(client, finish(wish, advance, job)["download_link"])
    by_sku = {r["Unique ID"]: r for r in rows}
    assert (by_sku["blue-shoe-11"]["Quantity"], by_sku["blue-shoe-11"]["Price"]) == ("7", "12.5")
    assert by_sku["blue-shoe-10"]["Quantity"] == "80"
    assert by_sku["blue-shoe-10"]["Wish Express Countries"] == "CA,FR"  # US was withdrawn, FR enrolled
    assert by_sku["summer-hat-m"]["Product Enabled"] == "False" and by_sku["summer-hat-m"]["Variant Enabled"] == "False"
    assert RED_SHOE not in product_ids(rows) and "aaa" not in by_sku
    assert by_sku["Bottle"]["Product Name"] == "Renamed bottle" and by_sku["Bottle"]["UPC"] == "12345678"
    assert by_sku["mug-1"]["Product ID"] == added and by_sku["mug-1"]["Review Status"] == "pending"
    # a later change does not alter a finished file; a new job sees it
    wish.ok("variant/update", sku="blue-shoe-11", inventory="3")
    assert {r["Unique ID"]: r for r in fetch_csv(client, status(wish, job)["download_link"])}[
        "blue-shoe-11"]["Quantity"] == "7"
    assert {r["Unique ID"]: r for r in download(wish, client, advance)}["blue-shoe-11"]["Quantity"] == "3"


def test_since_limit_sort_and_rejected(wish: Wish, client: TestClient, advance: Any) -> None:
    t0 = freeze(client)
    advance(10)
    wish.ok("product/update", id=SHOE, name="Touched")
    wish.ok("product/update", id=HAT, name="Touched too")
    since = (t0 + timedelta(seconds=5)).strftime("%Y-%m-%dT%H:%M:%S")
    job = create(wish, since=since)
    advance(PENDING_S + 1)
    assert status(wish, job)["total_count"] == 2
    rows = fetch_csv(client, finish(wish, advance, job)["download_link"])
    assert product_ids(rows) == [SHOE, HAT]  # descending product id by default
    # "Products last updated after this date": a date-only since counts from its midnight
    tomorrow = (t0 + timedelta(days=1)).strftime("%Y-%m-%d")
    assert download(wish, client, advance, since=tomorrow) == []
    everything = sorted(p["id"] for p in live_products(wish))
    assert product_ids(download(wish, client, advance, sort="asc")) == everything
    assert product_ids(download(wish, client, advance, sort="desc", limit="3")) == everything[::-1][:3]
    assert product_ids(download(wish, client, advance, sort="ASC", limit="2")) == everything[:2]
    with_rejected = download(wish, client, advance, show_rejected="true")
    assert {r["Review Status"] for r in with_rejected} >= {"approved", "rejected"}
    assert sorted(product_ids(with_rejected)) == sorted(p["id"] for p in live_products(wish, show_rejected="true"))


def test_warehouse_csv(wish: Wish, client: TestClient, advance: Any) -> None:
    freeze(client)
    wish.ok("variant/update", sku="blue-shoe-11", inventory="9", warehouse_name="EXPRESS-US")
    rows = download(wish, client, advance, warehouse_name="EXPRESS-US")
    assert {r["Warehouse Name"] for r in rows} == {"EXPRESS-US"}
    assert {r["Unique ID"]: r for r in rows}["blue-shoe-11"]["Quantity"] == "9"
    body = wish.err("product/create-download-job", 1000, 400, warehouse_name="EXPRESS-IT")
    assert body["message"] == message("no_warehouse", name="EXPRESS-IT")


def test_non_usd_merchant_csv(wish: Wish, other: Wish, client: TestClient, advance: Any) -> None:
    freeze(client)
    rows = download(other, client, advance)
    assert rows and {r["Price"] for r in rows} == {"999999"} and {r["Localized Currency Code"] for r in rows} == {"CNY"}
    mine = {p["id"] for p in live_products(wish, show_rejected="true")}
    assert mine.isdisjoint(product_ids(rows))
    assert sorted(product_ids(rows)) == sorted(p["id"] for p in live_products(other))


# ---- cancelling ----------------------------------------------------------------------------------------

def test_cancel_pending_job(wish: Wish, client: TestClient, advance: Any) -> None:
    t0 = freeze(client)
    job = create(wish)
    advance(1)
    assert wish.ok("product/cancel-download-job", job_id=job) == {"message": "Job cancelled successfully."}
    cancelled = {"status": "CANCELLED", "created_date": t0.strftime(JOB_TS),
                 "cancelled_time": (t0 + timedelta(seconds=1)).strftime(JOB_TS)}
    assert status(wish, job) == cancelled
    assert wish.ok("product/cancel-download-job", job_id=job) == {"message": "Job has already been cancelled."}
    advance(3600)
    assert status(wish, job) == cancelled  # it never finishes, and has no download_link


def test_cancel_running_job(wish: Wish, client: TestClient, advance: Any) -> None:
    freeze(client)
    job = create(wish)
    advance(PENDING_S + 2)
    assert status(wish, job)["status"] == "RUNNING"
    assert wish.ok("product/cancel-download-job", job_id=job) == {"message": "Job cancelled successfully."}
    advance(RUNNING_S * 2)
    data = status(wish, job)
    assert data["status"] == "CANCELLED" and "download_link" not in data and "end_run_time" not in data
    assert {"start_run_time", "cancelled_time", "total_count", "processed_count"} <= set(data)
    assert 0 < data["processed_count"] < data["total_count"]
    assert wish.ok("product/cancel-download-job", job_id=job) == {"message": "Job has already been cancelled."}


def test_cancel_finished_job(wish: Wish, client: TestClient, advance: Any) -> None:
    freeze(client)
    job = create(wish)
    advance(PENDING_S + RUNNING_S)  # exactly the finish instant
    assert wish.ok("product/cancel-download-job", job_id=job) == {"message": "Job has already finished."}
    data = status(wish, job)
    assert data["status"] == "FINISHED" and fetch_csv(client, data["download_link"])


# ---- the link ------------------------------------------------------------------------------------------

def test_download_link_expires_after_72_hours(wish: Wish, client: TestClient, advance: Any) -> None:
    freeze(client)
    job = create(wish)
    link = finish(wish, advance, job)["download_link"]
    advance(71 * 3600)
    assert fetch_csv(client, link)
    advance(2 * 3600)
    r = client.get(link)
    assert r.status_code == 404
    body = r.json()
    assert body["code"] == 1004 and body["message"] and "data" in body
    assert client.get(link.replace(job, NOWHERE)).status_code == 404


def test_job_created_on_the_v2_alias_by_get(wish: Wish, client: TestClient, advance: Any) -> None:
    freeze(client)
    job = wish.ok("/v2/product/create-download-job", "GET", limit="1")["job_id"]
    advance(PENDING_S + RUNNING_S)
    data = wish.ok("/v2/product/get-download-job-status", "GET", job_id=job)
    assert data["status"] == "FINISHED" and data["total_count"] == 1
    assert len(product_ids(fetch_csv(client, data["download_link"]))) == 1
    r = client.get("/v2/product/get-download-job-status", params={"job_id": job},
                   headers={"Authorization": f"Bearer {DEFAULT_TOKEN}"})
    assert r.json()["data"] == data


# ---- errors and tenant isolation -----------------------------------------------------------------------

@pytest.mark.parametrize("path", ["product/get-download-job-status", "product/cancel-download-job"])
@pytest.mark.parametrize(("job_id", "code", "data"), [
    (None, 1001, "job_id"), ("", 1001, "job_id"), ("57bb58", 1000, 2014), ("not-a-job", 1000, 2014),
    (NOWHERE, 1004, {}), (BULK_JOB, 1004, {}),  # a job of another kind is no product download
])
def test_job_id_errors(wish: Wish, path: str, job_id: str | None, code: int, data: Any) -> None:
    body = wish.err(path, code, 400, job_id=job_id)
    assert body["data"] == data
    if code == 1004:
        assert body["message"] == f"No 'DownloadJob' Found with id: '{job_id}'"


@pytest.mark.parametrize(("params", "param"), [
    ({"since": "2016/07/01"}, "since"), ({"since": "July 1st"}, "since"), ({"limit": "0"}, "limit"),
    ({"limit": "many"}, "limit"), ({"sort": "up"}, "sort"), ({"show_rejected": "yes"}, "show_rejected"),
])
def test_create_errors(wish: Wish, client: TestClient, params: dict[str, str], param: str) -> None:
    body = wish.err("product/create-download-job", 1000, 400, **params)
    assert param in body["message"]


def test_create_accepts_the_docs_quoted_since(wish: Wish, client: TestClient, advance: Any) -> None:
    freeze(client)
    job = create(wish, since="'2016-07-01'")  # -d "since='2016-07-01'" in the docs' curl
    assert finish(wish, advance, job)["total_count"] == len(live_products(wish))


def test_tenant_isolation_of_jobs(wish: Wish, other: Wish, client: TestClient, advance: Any) -> None:
    freeze(client)
    job = create(wish)
    for path in ("product/get-download-job-status", "product/cancel-download-job"):
        for job_id in (job, DOC_JOB):
            foreign = other.call(path, job_id=job_id)
            missing = other.call(path, job_id=NOWHERE)
            assert (foreign.status_code, foreign.json()["code"], foreign.json()["data"]) == (
                missing.status_code, missing.json()["code"], missing.json()["data"]) == (400, 1004, {})
            assert foreign.json()["message"].replace(job_id, NOWHERE) == missing.json()["message"]
    # the second merchant's cancel did not cancel it
    assert finish(wish, advance, job)["status"] == "FINISHED"
    theirs = create(other)
    wish.err("product/get-download-job-status", 1004, 400, job_id=theirs)
    wish.err("product/cancel-download-job", 1004, 400, job_id=theirs)
    advance(PENDING_S + RUNNING_S)
    assert status(other, theirs)["status"] == "FINISHED"
