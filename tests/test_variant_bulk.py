"""HTTP tests of the variation bulk update: /variant/bulk-sku-update, /variant/get-bulk-update-job-status,
/variant/get-bulk-update-job-successes, /variant/get-bulk-update-job-failures, /variant/cancel-bulk-update-job.

The test settings make a job PENDING for 2 seconds, then RUNNING for 5, then FINISHED; the tests freeze the mock's
clock and move it with `advance`, so no test waits for real time to pass. A job's updates apply when it finishes
(or, for a cancel while RUNNING, the share processed so far applies at the cancel)."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Connection
from starlette.testclient import TestClient

from mockwish.errors import message
from mockwish.merchant.catalogue import store
from support import DEFAULT_TOKEN, SECOND_TOKEN, Wish, assert_envelope_error, freeze, on_store

DOC_JOB = "59e00339b2d5b8367ac3e8bd"  # the docs' job: seeded FINISHED with 10 successes and 10 failures
PRODUCT_JOB = "57bb5803ba2a1f181de31b01"  # a product download job: not a bulk update
NOWHERE = "aaaaaaaaaaaaaaaaaaaaaaaa"
RED_SHOE = "57bb5803ba2a1f181de31b01"
PENDING_S, RUNNING_S = 2, 5  # tests/conftest.py settings
TS = "%Y-%m-%dT%H:%M:%S"
STATUS_KEYS = {"id", "merchant_id", "uploader_id", "status", "state", "processed_count", "success_count",
               "failure_count", "total_count", "results"}
NOT_FOUND_29 = "Your store does not have product with SKU '{}', therefore no update can be done."


# ---- helpers ------------------------------------------------------------------------------------------




def submit(w: Wish, updates: list[dict[str, Any]] | str, **params: str) -> str:
    raw = updates if isinstance(updates, str) else json.dumps(updates)
    data = w.ok("variant/bulk-sku-update", updates=raw, **params)
    assert set(data) == {"job_id"} and re.fullmatch(r"[0-9a-f]{24}", data["job_id"]), data
    return data["job_id"]


def status(w: Wish, job_id: str) -> dict[str, Any]:
    data = w.ok("variant/get-bulk-update-job-status", "GET", job_id=job_id)
    assert STATUS_KEYS <= set(data), data
    for key in ("status", "processed_count", "success_count", "failure_count", "total_count"):
        assert isinstance(data[key], int) and not isinstance(data[key], bool), (key, data)
    assert data["id"] == job_id and data["processed_count"] == data["success_count"] + data["failure_count"]
    assert (data["status"], data["state"]) in ((1, "PENDING"), (2, "RUNNING"), (3, "CANCELLED"), (4, "FINISHED"))
    return data


def successes(w: Wish, job_id: str, **params: str) -> list[str]:
    data = w.ok("variant/get-bulk-update-job-successes", "GET", job_id=job_id, **params)
    assert set(data) == {"successes"} and all(isinstance(s, str) for s in data["successes"])
    return data["successes"]  # type: ignore[no-any-return]


def failures(w: Wish, job_id: str, **params: str) -> list[dict[str, Any]]:
    data = w.ok("variant/get-bulk-update-job-failures", "GET", job_id=job_id, **params)
    assert set(data) == {"errors"}
    for e in data["errors"]:
        assert set(e) == {"sku", "error_code", "error"} and isinstance(e["error_code"], int), e
        assert isinstance(e["sku"], str) and isinstance(e["error"], str) and e["error"]
    return data["errors"]  # type: ignore[no-any-return]


def variant(w: Wish, sku: str, **params: str) -> dict[str, Any]:
    return w.ok("variant", "GET", sku=sku, **params)["Variant"]  # type: ignore[no-any-return]


def finish(w: Wish, advance: Any, job_id: str) -> dict[str, Any]:
    advance(PENDING_S + RUNNING_S + 1)
    data = status(w, job_id)
    assert data["state"] == "FINISHED", data
    return data


def walk(w: Wish, client: TestClient, path: str, job_id: str, limit: int) -> tuple[list[Any], int]:
    """Every item of a results list, following the `next` links; answers the items and the number of pages."""
    body = w.call(path, "GET", job_id=job_id, limit=str(limit)).json()
    key = "errors" if path.endswith("failures") else "successes"
    items, pages = list(body["data"][key]), 1
    while (body.get("paging") or {}).get("next"):
        nxt = body["paging"]["next"]
        assert f"job_id={job_id}" in nxt and f"limit={limit}" in nxt
        body = client.get(nxt).json()
        assert body["code"] == 0 and len(body["data"][key]) <= limit
        items += body["data"][key]
        pages += 1
    return items, pages





# ---- the docs' example job -----------------------------------------------------------------------------

def test_docs_job_status(wish: Wish) -> None:
    data = status(wish, DOC_JOB)
    assert (data["status"], data["state"]) == (4, "FINISHED")
    assert (data["success_count"], data["failure_count"], data["processed_count"]) == (10, 10, 20)
    assert data["merchant_id"] == wish.ok("auth_test")["merchant_id"]
    assert re.fullmatch(r"[0-9a-f]{24}", data["uploader_id"])
    start, end = datetime.strptime(data["start_time"], TS), datetime.strptime(data["end_time"], TS)
    assert start < end
    assert data["results"] == {
        "successes": f"http://testserver/api/v2/variant/get-bulk-update-job-successes?job_id={DOC_JOB}",
        "failures": f"http://testserver/api/v2/variant/get-bulk-update-job-failures?job_id={DOC_JOB}",
    }
    # the docs' curl quotes the id: job_id='59e00339b2d5b8367ac3e8bd'
    assert wish.ok("variant/get-bulk-update-job-status", job_id=f"'{DOC_JOB}'") == data
    # under the /v2 alias the links use the alias too
    alias = wish.ok("/v2/variant/get-bulk-update-job-status", job_id=DOC_JOB)
    assert alias["results"]["failures"].startswith("http://testserver/v2/variant/get-bulk-update-job-failures?")


def test_docs_job_results_and_paging(wish: Wish, client: TestClient) -> None:
    body = wish.call("variant/get-bulk-update-job-failures", job_id=f"'{DOC_JOB}'", limit="'3'").json()
    assert body["code"] == 0 and body["message"] == ""
    assert body["data"]["errors"] == [{"sku": f"fake_sku{i}", "error_code": 29, "error": NOT_FOUND_29.format(
        f"fake_sku{i}")} for i in (1, 2, 3)]
    assert body["paging"]["next"].startswith(
        "http://testserver/api/v2/variant/get-bulk-update-job-failures?start=3&limit=3&")
    assert "previous" not in body["paging"] and "prev" not in body["paging"]
    body = wish.call("variant/get-bulk-update-job-successes", job_id=DOC_JOB, limit="5").json()
    assert body["data"]["successes"] == ["aaa", "bbb", "red-shoe-8", "aaa", "bbb"]
    assert body["paging"]["next"].startswith(
        "http://testserver/api/v2/variant/get-bulk-update-job-successes?start=5&limit=5&")
    # walking the links visits every item once, and the results links of the status work with a token
    errors, pages = walk(wish, client, "variant/get-bulk-update-job-failures", DOC_JOB, 3)
    assert [e["sku"] for e in errors] == [f"fake_sku{i}" for i in range(1, 11)] and pages == 4
    done, pages = walk(wish, client, "variant/get-bulk-update-job-successes", DOC_JOB, 4)
    assert len(done) == 10 and pages == 3
    links = status(wish, DOC_JOB)["results"]
    r = client.get(links["successes"], headers={"Authorization": f"Bearer {DEFAULT_TOKEN}"})
    assert r.json()["data"]["successes"] == done[:50]
    # defaults: start 0, limit 50
    assert successes(wish, DOC_JOB) == done and len(failures(wish, DOC_JOB)) == 10
    middle = wish.call("variant/get-bulk-update-job-successes", job_id=DOC_JOB, start="4", limit="4").json()
    assert middle["data"]["successes"] == done[4:8]
    assert "start=0&limit=4" in middle["paging"]["previous"] and "start=8&limit=4" in middle["paging"]["next"]
    assert successes(wish, DOC_JOB, start="10") == [] and successes(wish, DOC_JOB, start="1000") == []
    assert len(successes(wish, DOC_JOB, limit="250")) == 10


def test_docs_job_applied_its_updates(wish: Wish) -> None:
    # the seeded job is FINISHED: {"sku":"aaa","inventory":10} and {"sku":"bbb","enabled":false} applied
    assert variant(wish, "aaa")["inventory"] == "10"
    assert variant(wish, "bbb")["enabled"] == "False"


# ---- a job's life --------------------------------------------------------------------------------------

def test_docs_example_pending_running_finished(wish: Wish, client: TestClient, advance: Any) -> None:
    at = freeze(client)
    wish.ok("variant/enable", sku="bbb")
    updates = [{"sku": "aaa", "inventory": 42}, {"sku": "bbb", "enabled": False}, {"sku": "fake_sku", "inventory": 1},
               {"sku": "red-shoe-8", "enabled": False, "inventory": 0}]
    job = submit(wish, updates, format="json")  # the docs' curl also sends format=json

    data = status(wish, job)
    assert (data["status"], data["state"], data["processed_count"], data["total_count"]) == (1, "PENDING", 0, 4)
    assert "start_time" not in data and "end_time" not in data
    assert successes(wish, job) == [] and failures(wish, job) == []

    advance(PENDING_S + RUNNING_S / 2)  # half way through the run: 2 of 4 processed
    data = status(wish, job)
    assert (data["status"], data["state"], data["processed_count"]) == (2, "RUNNING", 2)
    assert (data["success_count"], data["failure_count"]) == (2, 0)
    assert data["start_time"] == (at + timedelta(seconds=PENDING_S)).strftime(TS) and "end_time" not in data
    assert successes(wish, job) == ["aaa", "bbb"]
    # nothing applies before the job finishes
    assert variant(wish, "aaa")["inventory"] == "10" and variant(wish, "bbb")["enabled"] == "True"

    advance(RUNNING_S)
    data = status(wish, job)
    assert (data["status"], data["state"], data["processed_count"], data["total_count"]) == (4, "FINISHED", 4, 4)
    assert (data["success_count"], data["failure_count"]) == (3, 1)
    assert data["end_time"] == (at + timedelta(seconds=PENDING_S + RUNNING_S)).strftime(TS)
    assert successes(wish, job) == ["aaa", "bbb", "red-shoe-8"]
    assert failures(wish, job) == [{"sku": "fake_sku", "error_code": 29, "error": NOT_FOUND_29.format("fake_sku")}]
    assert variant(wish, "aaa")["inventory"] == "42" and variant(wish, "bbb")["enabled"] == "False"
    rs8 = variant(wish, "red-shoe-8")
    assert (rs8["enabled"], rs8["inventory"]) == ("False", "0")
    assert variant(wish, "blue-shoe-11")["inventory"] == "100"
    # a finished job stays as it is
    advance(3600)
    assert status(wish, job) == data


def test_job_applies_even_if_nobody_asks(wish: Wish, client: TestClient, advance: Any) -> None:
    freeze(client)
    submit(wish, [{"sku": "blue-shoe-11", "inventory": 7}])
    advance(PENDING_S + RUNNING_S)
    assert variant(wish, "blue-shoe-11")["inventory"] == "7"  # the first read after the finish sees it
    listed = {e["Variant"]["sku"]: e["Variant"] for e in wish.ok("variant/multi-get", "GET", limit="500")}
    assert listed["blue-shoe-11"]["inventory"] == "7"


def test_later_job_wins(wish: Wish, client: TestClient, advance: Any) -> None:
    freeze(client)
    first = submit(wish, [{"sku": "blue-shoe-11", "inventory": 1}, {"sku": "blue-shoe-11", "inventory": 2}])
    advance(1)
    second = submit(wish, [{"sku": "blue-shoe-11", "inventory": 3}])
    advance(PENDING_S + RUNNING_S)
    assert status(wish, first)["state"] == "FINISHED" and status(wish, second)["state"] == "FINISHED"
    assert successes(wish, first) == ["blue-shoe-11", "blue-shoe-11"]
    assert variant(wish, "blue-shoe-11")["inventory"] == "3"


def test_warehouse_name(wish: Wish, client: TestClient, advance: Any) -> None:
    # "If not provided, the inventory change will apply to the STANDARD warehouse. The enabled attributes above
    # will be applied to all warehouses; this parameter will only impact inventory updates."
    freeze(client)
    job = submit(wish, [{"sku": "blue-shoe-11", "inventory": 5, "enabled": False}], warehouse_name="EXPRESS-US")
    finish(wish, advance, job)
    express = variant(wish, "blue-shoe-11", warehouse_name="EXPRESS-US")
    standard = variant(wish, "blue-shoe-11")
    assert (express["inventory"], standard["inventory"]) == ("5", "100")
    assert express["enabled"] == standard["enabled"] == "False"
    job = submit(wish, [{"sku": "blue-shoe-11", "inventory": 6}], warehouse_name="")  # empty = STANDARD
    finish(wish, advance, job)
    assert variant(wish, "blue-shoe-11")["inventory"] == "6"
    body = wish.err("variant/bulk-sku-update", 1000, 400, updates='[{"sku": "aaa", "inventory": 1}]',
                    warehouse_name="EXPRESS-IT")
    assert body["message"] == message("no_warehouse", name="EXPRESS-IT")


def test_updates_as_a_json_body_array(wish: Wish, client: TestClient, advance: Any) -> None:
    freeze(client)
    r = client.post("/api/v2/variant/bulk-sku-update", json={
        "access_token": DEFAULT_TOKEN, "updates": [{"sku": "aaa", "inventory": 11}, {"sku": 12345, "enabled": True}]})
    assert r.status_code == 200 and r.json()["code"] == 0, r.text
    job = r.json()["data"]["job_id"]
    finish(wish, advance, job)
    assert variant(wish, "aaa")["inventory"] == "11"
    # an integer SKU is read as its text
    assert failures(wish, job) == [{"sku": "12345", "error_code": 29, "error": NOT_FOUND_29.format("12345")}]


# ---- per-SKU failures ----------------------------------------------------------------------------------

def test_per_sku_failures(wish: Wish, client: TestClient, advance: Any) -> None:
    freeze(client)
    bad = [
        {"sku": "aaa", "inventory": -1}, {"sku": "aaa", "inventory": 500001}, {"sku": "aaa", "inventory": "10"},
        {"sku": "aaa", "inventory": 1.5}, {"sku": "aaa", "inventory": True}, {"sku": "aaa", "inventory": None},
        {"sku": "bbb", "enabled": "false"}, {"sku": "bbb", "enabled": 0}, {"sku": "bbb", "enabled": None},
        {"sku": "bbb"}, {"sku": "bbb", "price": 3}, {"sku": "AAA", "inventory": 1}, {"sku": "", "inventory": 1},
        {"sku": "aaa", "inventory": 5, "enabled": "yes"},
    ]
    good = [{"sku": "aaa", "inventory": 500000}, {"sku": "blue-shoe-10", "inventory": 0},
            {"sku": "bbb", "enabled": True, "ignored": "key"}]
    job = submit(wish, [*bad, *good])
    data = finish(wish, advance, job)
    assert (data["success_count"], data["failure_count"], data["total_count"]) == (3, len(bad), len(bad) + 3)
    assert successes(wish, job) == ["aaa", "blue-shoe-10", "bbb"]
    errors = failures(wish, job)
    assert [e["sku"] for e in errors] == [str(u["sku"]) for u in bad]
    codes = [e["error_code"] for e in errors]
    assert codes == [1000] * 9 + [1001, 1001, 29, 29, 1000]
    assert errors[0]["error"] == "Invalid inventory -1 for SKU 'aaa': must be an integer 0 to 500,000."
    assert errors[9]["error"] == "Nothing to update for SKU 'bbb': send inventory or enabled."
    v = variant(wish, "aaa")
    assert v["inventory"] == "500000"
    assert variant(wish, "bbb")["enabled"] == "True" and variant(wish, "blue-shoe-10")["inventory"] == "0"


def test_removed_variations_fail(wish: Wish, client: TestClient, advance: Any) -> None:
    """A variation removed by Wish "cannot be re-enabled", and a product removed by the merchant cannot be
    edited: in a bulk update as with /variant/update, they are failures, not silent successes."""
    mid = wish.ok("auth_test")["merchant_id"]

    def remove_by_wish(conn: Connection) -> None:  # only Wish's policy team sets removed_by_wish
        row = store.variant_by_sku(conn, mid, "productsku")
        assert row is not None
        store.update_variant(conn, mid, row["id"], {"removed_by_wish": True, "enabled": False})
    on_store(client, remove_by_wish)
    wish.ok("product/remove", id=RED_SHOE)
    removed_sku = next(v["Variant"]["sku"] for v in wish.ok("product", "GET", id=RED_SHOE)["Product"]["variants"]
                       if v["Variant"]["sku"].startswith("aaa-"))
    freeze(client)
    job = submit(wish, [{"sku": "productsku", "enabled": True}, {"sku": "productsku", "inventory": 4},
                        {"sku": removed_sku, "inventory": 1}, {"sku": "aaa", "inventory": 1}])
    finish(wish, advance, job)
    assert successes(wish, job) == ["productsku"]
    assert failures(wish, job) == [
        {"sku": "productsku", "error_code": 1000, "error": message("variant_removed_by_wish", sku="productsku")},
        {"sku": removed_sku, "error_code": 1000, "error": message("product_removed", id=RED_SHOE)},
        {"sku": "aaa", "error_code": 29, "error": NOT_FOUND_29.format("aaa")},  # renamed away with the product
    ]
    v = variant(wish, "productsku")
    assert (v["enabled"], v["inventory"]) == ("False", "4")
    assert variant(wish, removed_sku)["inventory"] == "10"


# ---- request errors ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("updates", "code", "data", "msg"), [
    (None, 1001, "updates", message("missing_param", param="updates")),
    ("", 1001, "updates", message("missing_param", param="updates")),
    ("not json", 1000, {}, message("invalid_json", param="updates")),
    ('[{"sku": "aaa"', 1000, {}, message("invalid_json", param="updates")),
    ('{"sku": "aaa", "inventory": 1}', 1000, {}, message("invalid_json", param="updates")),  # not an array
    ('"aaa"', 1000, {}, message("invalid_json", param="updates")),
    ("[]", 1000, {}, message("invalid_param", value="[]", param="updates")),
    ("[1]", 1000, {}, message("invalid_param", value="1", param="updates")),
    ('["aaa"]', 1000, {}, message("invalid_param", value='"aaa"', param="updates")),
    ('[{"inventory": 1}]', 1000, {}, message("invalid_param", value='{"inventory":1}', param="updates")),
    ('[{"sku": null, "inventory": 1}]', 1000, {}, None), ('[{"sku": true, "inventory": 1}]', 1000, {}, None),
    ('[{"sku": ["aaa"], "inventory": 1}]', 1000, {}, None), ('[{"sku": 1.5, "inventory": 1}]', 1000, {}, None),
    ('[{"sku": "aaa", "inventory": 1}, null]', 1000, {}, message("invalid_param", value="null", param="updates")),
])
def test_request_errors(wish: Wish, updates: str | None, code: int, data: Any, msg: str | None) -> None:
    body = wish.err("variant/bulk-sku-update", code, 400, updates=updates)
    assert body["data"] == data
    if msg is not None:
        assert body["message"] == msg


def test_at_most_100000_updates(wish: Wish, client: TestClient) -> None:
    freeze(client)
    item = '{"sku":"aaa","inventory":1}'
    body = wish.err("variant/bulk-sku-update", 1000, 400, updates="[" + ",".join([item] * 100_001) + "]")
    assert body["message"] == message("bulk_too_large", max=100_000, count=100_001)
    job = submit(wish, "[" + ",".join([item] * 100_000) + "]")
    data = status(wish, job)
    assert (data["state"], data["total_count"]) == ("PENDING", 100_000)


@pytest.mark.parametrize("path", ["variant/get-bulk-update-job-status", "variant/get-bulk-update-job-successes",
                                  "variant/get-bulk-update-job-failures", "variant/cancel-bulk-update-job"])
def test_job_id_errors(wish: Wish, path: str) -> None:
    for job_id, code, data, msg in (
            (None, 1001, "job_id", message("missing_param", param="job_id")),
            ("", 1001, "job_id", None),
            ("12345", 1000, 2014, message("invalid_id", value="12345")),
            ("zzzzzzzzzzzzzzzzzzzzzzzz", 1000, 2014, None),
            (NOWHERE, 1004, {}, message("job_not_found", kind="BulkUpdateJob", id=NOWHERE)),
            (PRODUCT_JOB, 1004, {}, message("job_not_found", kind="BulkUpdateJob", id=PRODUCT_JOB)),
    ):
        body = wish.err(path, code, 400, job_id=job_id)
        assert body["data"] == data, (job_id, body)
        if msg is not None:
            assert body["message"] == msg
    # the product download job is untouched by a cancel aimed at the wrong kind of job
    assert wish.ok("product/get-download-job-status", job_id=PRODUCT_JOB)["status"] == "FINISHED"


@pytest.mark.parametrize("path", ["variant/get-bulk-update-job-successes", "variant/get-bulk-update-job-failures"])
def test_results_paging_bounds(wish: Wish, path: str) -> None:
    for params, msg in (
            ({"limit": "0"}, message("out_of_range", param="limit", low=1, high=250, value="0")),
            ({"limit": "251"}, message("out_of_range", param="limit", low=1, high=250, value="251")),
            ({"limit": "x"}, None), ({"start": "-1"}, None), ({"start": "1.5"}, None),
    ):
        body = wish.err(path, 1000, 400, job_id=DOC_JOB, **params)
        if msg is not None:
            assert body["message"] == msg


# ---- cancel --------------------------------------------------------------------------------------------

def test_cancel_pending(wish: Wish, client: TestClient, advance: Any) -> None:
    at = freeze(client)
    job = submit(wish, [{"sku": "aaa", "inventory": 99}, {"sku": "red-shoe-8", "enabled": False}])
    assert wish.ok("variant/cancel-bulk-update-job", job_id=job) == {"message": "Job cancelled successfully."}
    data = status(wish, job)
    assert (data["status"], data["state"], data["processed_count"]) == (3, "CANCELLED", 0)
    assert "start_time" not in data and data["end_time"] == at.strftime(TS)
    assert wish.ok("variant/cancel-bulk-update-job", job_id=job) == {"message": "Job has already been cancelled."}
    advance(PENDING_S + RUNNING_S + 5)
    assert status(wish, job)["state"] == "CANCELLED"
    assert successes(wish, job) == [] and failures(wish, job) == []
    assert variant(wish, "aaa")["inventory"] == "10" and variant(wish, "red-shoe-8")["enabled"] == "True"


def test_cancel_running_keeps_the_processed_share(wish: Wish, client: TestClient, advance: Any) -> None:
    """'the job may have partially completed and ... cancelling the job does not undo any changes'"""
    freeze(client)
    skus = ["blue-shoe-11", "blue-shoe-10", "productsku", "fake-1", "red-shoe-8", "aaa", "bbb", "summer-hat-m",
            "Bottle", "fake-2"]
    job = submit(wish, [{"sku": s, "inventory": 3} for s in skus])
    advance(PENDING_S + RUNNING_S / 2)  # half of the 10 processed
    running = status(wish, job)
    assert (running["state"], running["processed_count"], running["success_count"], running["failure_count"]) == (
        "RUNNING", 5, 4, 1)
    assert successes(wish, job) == ["blue-shoe-11", "blue-shoe-10", "productsku", "red-shoe-8"]
    assert failures(wish, job) == [{"sku": "fake-1", "error_code": 29, "error": NOT_FOUND_29.format("fake-1")}]
    assert variant(wish, "blue-shoe-11")["inventory"] == "100"  # not applied yet

    assert wish.ok("variant/cancel-bulk-update-job", job_id=job) == {"message": "Job cancelled successfully."}
    data = status(wish, job)
    assert (data["status"], data["state"], data["processed_count"], data["total_count"]) == (3, "CANCELLED", 5, 10)
    assert "start_time" in data and "end_time" in data
    assert [variant(wish, s)["inventory"] for s in skus[:3]] == ["3", "3", "3"]
    assert variant(wish, "red-shoe-8")["inventory"] == "3"
    assert variant(wish, "aaa")["inventory"] == "10" and variant(wish, "summer-hat-m")["inventory"] == "300"
    advance(RUNNING_S * 2)
    assert status(wish, job) == data and variant(wish, "aaa")["inventory"] == "10"
    assert wish.ok("variant/cancel-bulk-update-job", job_id=job) == {"message": "Job has already been cancelled."}


def test_cancel_finished(wish: Wish, client: TestClient, advance: Any) -> None:
    assert wish.ok("variant/cancel-bulk-update-job", job_id=DOC_JOB) == {"message": "Job has already finished."}
    assert status(wish, DOC_JOB)["state"] == "FINISHED"
    freeze(client)
    job = submit(wish, [{"sku": "aaa", "inventory": 1}])
    advance(PENDING_S + RUNNING_S)  # exactly at the end: finished
    assert wish.ok("variant/cancel-bulk-update-job", job_id=job) == {"message": "Job has already finished."}
    assert status(wish, job)["state"] == "FINISHED" and variant(wish, "aaa")["inventory"] == "1"


# ---- tenant isolation ----------------------------------------------------------------------------------

def _same_answer(a: Any, b: Any, ref_a: str, ref_b: str) -> None:
    ba, bb = a.json(), b.json()
    assert (a.status_code, ba["code"], ba["data"]) == (b.status_code, bb["code"], bb["data"]), (ba, bb)
    assert ba["message"].replace(ref_a, "<ref>") == bb["message"].replace(ref_b, "<ref>")


@pytest.mark.parametrize("path", ["variant/get-bulk-update-job-status", "variant/get-bulk-update-job-successes",
                                  "variant/get-bulk-update-job-failures", "variant/cancel-bulk-update-job"])
def test_other_merchant_cannot_reach_a_job(wish: Wish, other: Wish, client: TestClient, path: str) -> None:
    freeze(client)
    mine = submit(wish, [{"sku": "aaa", "inventory": 55}])
    for job_id in (DOC_JOB, mine):
        foreign = other.call(path, job_id=job_id)
        missing = other.call(path, job_id=NOWHERE)
        assert foreign.json()["code"] == 1004
        _same_answer(foreign, missing, job_id, NOWHERE)
    assert status(wish, mine)["state"] == "PENDING"  # not cancelled
    # and the other way round
    theirs = submit(other, [{"sku": "whatever", "inventory": 1}])
    _same_answer(wish.call(path, job_id=theirs), wish.call(path, job_id=NOWHERE), theirs, NOWHERE)


def test_other_merchant_cannot_update_foreign_skus(wish: Wish, other: Wish, client: TestClient,
                                                   advance: Any) -> None:
    freeze(client)
    own = other.ok("variant/multi-get", "GET", limit="1")[0]["Variant"]["sku"]
    job = submit(other, [{"sku": "aaa", "inventory": 1}, {"sku": "no-such-sku", "inventory": 1},
                         {"sku": "blue-shoe-11", "enabled": False}, {"sku": own, "inventory": 8}])
    data = finish(other, advance, job)
    assert data["merchant_id"] == other.ok("auth_test")["merchant_id"] != wish.ok("auth_test")["merchant_id"]
    assert successes(other, job) == [own]
    assert failures(other, job) == [{"sku": s, "error_code": 29, "error": NOT_FOUND_29.format(s)}
                                    for s in ("aaa", "no-such-sku", "blue-shoe-11")]
    assert variant(wish, "aaa")["inventory"] == "10" and variant(wish, "blue-shoe-11")["enabled"] == "True"
    assert variant(other, own)["inventory"] == "8"
    # paging links of the other merchant carry its own token
    nxt = other.call("variant/get-bulk-update-job-failures", job_id=job, limit="1").json()["paging"]["next"]
    assert f"access_token={SECOND_TOKEN}" in nxt and DEFAULT_TOKEN not in nxt


# ---- scopes, alias, malformed input --------------------------------------------------------------------

def test_unauthenticated(wish: Wish) -> None:
    for path, params in (("variant/bulk-sku-update", {"updates": '[{"sku": "aaa", "inventory": 1}]'}),
                         ("variant/get-bulk-update-job-status", {"job_id": DOC_JOB}),
                         ("variant/cancel-bulk-update-job", {"job_id": DOC_JOB})):
        for token in ("", "nope"):
            body = assert_envelope_error(wish.call(path, token=token, **params))
            assert (body["code"], body["data"]) == (4000, {})
    assert status(wish, DOC_JOB)["state"] == "FINISHED"


@pytest.mark.parametrize("value", [12345, True, None, "x" * 5000, {"sku": "aaa"}, [[1]], [{"sku": {"a": 1}}],
                                   [{"sku": "aaa", "inventory": 10**30}], ["\x00"]])
def test_json_body_wrong_types(client: TestClient, value: Any) -> None:
    for path, field in (("variant/bulk-sku-update", "updates"), ("variant/bulk-sku-update", "warehouse_name"),
                        ("variant/get-bulk-update-job-status", "job_id"),
                        ("variant/get-bulk-update-job-successes", "limit"),
                        ("variant/cancel-bulk-update-job", "job_id")):
        payload = {"access_token": DEFAULT_TOKEN, "job_id": DOC_JOB, "updates": [{"sku": "aaa", "inventory": 1}],
                   field: value}
        r = client.post(f"/api/v2/{path}", json=payload)
        assert r.status_code < 500 and "detail" not in r.json(), (path, field, value, r.text[:200])
        if r.status_code != 200:
            assert_envelope_error(r)


def test_unicode_and_long_skus_in_a_job(wish: Wish, client: TestClient, advance: Any) -> None:
    # unicode and very long SKUs travel through the job unchanged
    freeze(client)
    long_sku = "ü" * 255
    job = submit(wish, [{"sku": "咖啡杯 ☕", "inventory": 1}, {"sku": long_sku, "inventory": 2}])
    finish(wish, advance, job)
    assert [e["sku"] for e in failures(wish, job)] == ["咖啡杯 ☕", long_sku]
