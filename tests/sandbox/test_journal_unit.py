"""The request journal's domain (mockwish.sandbox.journal): the ring, masking, the Wish code, filters and
verification with near misses."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from mockwish.sandbox.journal import (
    RESPONSE_KEPT,
    Filter,
    Journal,
    Raw,
    mask,
    parse_code,
    parse_instant,
)

T0 = datetime(2024, 5, 1, 12, 0, 0)
REAL0 = T0.replace(tzinfo=UTC).timestamp()
JSON = "application/json"
XML = "application/xml"


def record(journal: Journal, **given: Any) -> None:
    """One entry, with plain defaults for what the test does not care about."""
    fields: dict[str, Any] = {
        "real": REAL0, "mock": T0, "surface": "merchant", "method": "GET", "path": "/api/v2/product",
        "query": b"", "headers": [(b"host", b"testserver")], "body": None, "tenant": "m1", "status": 200,
        "response_body": b'{"code":0,"data":{},"message":""}', "content_type": JSON, "latency_ms": 1.25,
        "request_id": "rid", "fault": None}
    fields.update(given)
    journal.record(**fields)


def entries(journal: Journal, flt: Filter | None = None) -> list[dict[str, Any]]:
    return journal.page(flt or Filter(), 0, 1000)[0]


def newest(journal: Journal) -> dict[str, Any]:
    return entries(journal)[0]


# ---- the ring ---------------------------------------------------------------------------------------------

def test_the_ring_keeps_the_newest_and_counts_what_it_dropped() -> None:
    journal = Journal(capacity=3)
    for n in range(5):
        record(journal, request_id=f"r{n}")
    shown = entries(journal)
    assert [e["request_id"] for e in shown] == ["r4", "r3", "r2"]  # newest first
    assert [e["id"] for e in shown] == [5, 4, 3]
    assert len(journal) == 3 and journal.dropped == 2


def test_a_full_clear_starts_dropped_over_and_ids_go_on() -> None:
    journal = Journal(capacity=2)
    for _ in range(4):
        record(journal)
    assert journal.dropped == 2
    journal.clear()
    assert len(journal) == 0 and journal.dropped == 0
    record(journal)
    assert newest(journal)["id"] == 5  # an id is never given twice, so a client polling by id misses nothing
    record(journal)
    record(journal)
    assert journal.dropped == 1


def test_clearing_one_tenant_keeps_the_others_and_is_not_counted_as_dropped() -> None:
    journal = Journal(capacity=10)
    for tenant in ("a", "b", "a", None, "b"):
        record(journal, tenant=tenant)
    journal.clear("a")
    assert [e["tenant"] for e in entries(journal)] == ["b", None, "b"]
    assert journal.dropped == 0
    for _ in range(9):
        record(journal, tenant="c")
    assert len(journal) == 10 and journal.dropped == 2


def test_a_disabled_journal_records_nothing() -> None:
    journal = Journal(enabled=False)
    record(journal)
    assert len(journal) == 0 and journal.dropped == 0


def test_recording_keeps_references_not_copies() -> None:
    """The body by reference; the headers as a tuple of the same pairs (a ring of tuples is no work for the
    garbage collector once it has seen them: mockwish.sandbox.journal.Journal)."""
    journal = Journal(body_cap=100)
    headers = [(b"content-type", b"application/x-www-form-urlencoded")]
    body = b"a=1&b=2"
    record(journal, headers=headers, body=body)
    raw = next(journal.newest_first())
    assert isinstance(raw, Raw) and raw.headers == tuple(headers) and raw.headers[0] is headers[0]
    assert raw.body is body


# ---- what an entry shows -----------------------------------------------------------------------------------

def test_an_entry_shows_every_field() -> None:
    journal = Journal()
    fault = {"status": 503}
    record(journal, real=REAL0 + 0.1234, mock=T0 + timedelta(days=3), surface="wishpost", method="POST",
           path="/wishpost/api/v3/account_info", query=b"a=1&a=2&b=", tenant="u1", status=503,
           response_body=b'{"timestamp":"2024-05-01 20:00:00","message":"x","code":9000}', latency_ms=12.34567,
           request_id="abc", fault=fault)
    e = newest(journal)
    assert e == {
        "id": 1, "request_id": "abc", "time": "2024-05-01T12:00:00.123Z", "mock_time": "2024-05-04T12:00:00.000Z",
        "surface": "wishpost", "method": "POST", "path": "/wishpost/api/v3/account_info",
        "query": {"a": ["1", "2"], "b": [""]}, "headers": {"host": "testserver"}, "body": None,
        "body_truncated": False, "body_bytes": 0, "tenant": "u1", "status": 503, "code": 9000,
        "latency_ms": 12.346, "fault": {"status": 503}}


def test_credentials_are_masked_in_query_headers_and_bodies() -> None:
    journal = Journal()
    record(journal, query=b"access_token=an_example_access_token&limit=5&code=abcdef&password=pw",
           headers=[(b"authorization", b"Bearer an_example_access_token"), (b"x-api-key", b"key-123456"),
                    (b"cookie", b"session=s3cret"), (b"accept", b"*/*")])
    e = newest(journal)
    assert e["query"] == {"access_token": ["an_e…"], "limit": ["5"], "code": ["abcd…"], "password": ["…"]}
    assert e["headers"] == {"authorization": "Bearer an_e…", "x-api-key": "key-…", "cookie": "sess…",
                            "accept": "*/*"}


@pytest.mark.parametrize(("content_type", "body", "shown"), [
    ("application/x-www-form-urlencoded", b"client_id=app&client_secret=very-secret&code=the-code&x=1",
     "client_id=app&client_secret=very…&code=the-…&x=1"),
    (JSON, b'{"refresh_token": "r-123456789", "sku": "a", "code": 5}',
     '{"refresh_token": "r-12…", "sku": "a", "code": 5}'),
    (XML, b"<root><access_token>an_example_wishpost_token</access_token><x>1</x></root>",
     "<root><access_token>an_e…</access_token><x>1</x></root>"),
])
def test_credentials_in_a_body_are_masked(content_type: str, body: bytes, shown: str) -> None:
    journal = Journal()
    record(journal, method="POST", headers=[(b"content-type", content_type.encode())], body=body)
    e = newest(journal)
    assert e["body"] == shown and e["body_bytes"] == len(body) and e["body_truncated"] is False


def test_mask_never_shows_a_short_secret_whole() -> None:
    assert mask("an_example_access_token") == "an_e…"
    assert mask("abcd") == "…" and mask("") == "…"


def test_a_long_body_is_cut_at_the_cap_and_says_its_size() -> None:
    journal = Journal(body_cap=10)
    body = "é" * 20  # 40 bytes: the cap falls inside no character, 10 bytes are 5 of them
    record(journal, method="POST", body=body.encode())
    e = newest(journal)
    assert e["body"] == "é" * 5 and e["body_truncated"] is True and e["body_bytes"] == 40
    record(journal, method="POST", body=b"a" + body.encode())  # the cap cuts the 5th character in half
    e = newest(journal)
    assert e["body"] == "a" + "é" * 4 and e["body_bytes"] == 41


def test_a_token_cut_by_the_cap_is_still_masked() -> None:
    journal = Journal(body_cap=24)
    record(journal, method="POST", body=b'{"access_token": "an_example_access_token"}')
    assert newest(journal)["body"] == '{"access_token": "an_e…'


# ---- the Wish code -------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("body", "content_type", "code"), [
    (b'{"code":1004,"data":{},"message":"Not found"}', "application/json", 1004),
    (b'{"timestamp":"2024-05-01 20:00:00","message":"ok","code":0,"data":{"code":7}}', "application/json", 0),
    (b'{"code":"1015","message":"x"}', "application/json", 1015),
    (b'<?xml version="1.0"?><Response><code>1016</code><data><code>3</code></data></Response>', "text/xml", 1016),
    (b"<root><status>0</status><timestamp>2024/05/01</timestamp><code>9</code></root>", "application/xml", 0),
    (b"%PDF-1.4 binary \x00\xff", "application/pdf", None),
    (b"PK\x03\x04 zip", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", None),
    (b"", "application/json", None),
    (b"{not json", "application/json", None),
    (b'{"data": []}', "application/json", None),
    (b'{"code": true}', "application/json", None),
    (b"<root><other>1</other></root>", "text/xml", None),
    (b'{"code":0}', None, 0),
    (b"<Response><code>1000</code></Response>", None, 1000),
])
def test_the_wish_code_of_an_answer(body: bytes, content_type: str | None, code: int | None) -> None:
    assert parse_code(body, content_type) == code


def test_the_code_of_a_long_answer_kept_as_its_start() -> None:
    journal = Journal()
    long = b'{"timestamp":"2024-05-01 20:00:00","message":"","code":0,"orders":[' + b'{"id":1},' * 5000 + b'{}]}'
    assert len(long) > RESPONSE_KEPT
    record(journal, response_body=long)
    assert newest(journal)["code"] == 0


# ---- filters ----------------------------------------------------------------------------------------------

@pytest.fixture
def full() -> Journal:
    """Five requests of every surface, tenant and outcome (ids 1 to 5)."""
    journal = Journal()
    record(journal, surface="merchant", method="GET", path="/api/v2/product", tenant="m1", request_id="r1",
           query=b"access_token=t&id=p1")
    record(journal, surface="merchant", method="POST", path="/api/v2/product/update", tenant="m2",
           request_id="r2", status=400, response_body=b'{"code":1000,"data":{},"message":"bad"}',
           headers=[(b"content-type", b"application/x-www-form-urlencoded")], body=b"id=p2&name=Shoe",
           real=REAL0 + 60, mock=T0 + timedelta(days=1))
    record(journal, surface="merchant-oauth", method="POST", path="/api/v3/oauth/access_token", tenant=None,
           request_id="r3", headers=[(b"content-type", b"application/json")],
           body=b'{"client_id": "c1", "code": "abc123", "grant_type": "authorization_code"}',
           real=REAL0 + 120, mock=T0 + timedelta(days=2))
    record(journal, surface="wishpost", method="POST", path="/wishpost/api/v3/account_info", tenant="u1",
           request_id="r4", response_body=b'{"timestamp":"x","message":"","code":0}', real=REAL0 + 180,
           mock=T0 + timedelta(days=3), headers=[(b"content-type", b"application/json")],
           body=b'{"count": 5, "enabled": true}')
    record(journal, surface="wishpost-xml", method="POST", path="/wishpost/api/v2/tracking", tenant="u1",
           request_id="r5", response_body=b"<root><status>1005</status></root>", content_type="text/xml",
           headers=[(b"content-type", b"text/xml")],
           body=b"<root><access_token>tok</access_token><barcode>LZ1</barcode></root>", real=REAL0 + 240,
           mock=T0 + timedelta(days=4))
    return journal


def ids(journal: Journal, flt: Filter) -> list[str]:
    return [e["request_id"] for e in entries(journal, flt)]


@pytest.mark.parametrize(("flt", "expected"), [
    (Filter(), ["r5", "r4", "r3", "r2", "r1"]),
    (Filter(surface="merchant-oauth"), ["r3"]),
    (Filter(surface="merchant"), ["r3", "r2", "r1"]),  # the family, as fault rules match it
    (Filter(surface="wishpost"), ["r5", "r4"]),
    (Filter(surface="wishpost-xml"), ["r5"]),
    (Filter(method="get"), ["r1"]),
    (Filter(path="/api/v2/product"), ["r1"]),
    (Filter(path="/api/v2/product*"), ["r2", "r1"]),
    (Filter(path="*/oauth/*"), ["r3"]),
    (Filter(path="/wishpost/api/v?/tracking"), []),  # only * is special
    (Filter(tenant="u1"), ["r5", "r4"]),
    (Filter(code=1000), ["r2"]),
    (Filter(code=0), ["r4", "r3", "r1"]),
    (Filter(code=1005), ["r5"]),
    (Filter(status=400), ["r2"]),
    (Filter(request_id="r4"), ["r4"]),
    (Filter(since=T0 + timedelta(seconds=120)), ["r5", "r4", "r3"]),  # bounds included
    (Filter(until=T0 + timedelta(seconds=60)), ["r2", "r1"]),
    (Filter(mock_since=T0 + timedelta(days=3)), ["r5", "r4"]),
    (Filter(mock_until=T0 + timedelta(days=1)), ["r2", "r1"]),
    (Filter(params={"id": "p1"}), ["r1"]),  # the query string
    (Filter(params={"name": "Shoe"}), ["r2"]),  # a form body
    (Filter(params={"grant_type": "authorization_code", "code": "abc123"}), ["r3"]),  # a JSON body
    (Filter(params={"count": 5}), ["r4"]),
    (Filter(params={"count": "5"}), ["r4"]),  # text matches a JSON number
    (Filter(params={"enabled": True}), ["r4"]),
    (Filter(params={"barcode": "LZ1"}), ["r5"]),  # a WishPost XML body
    (Filter(params={"id": "p3"}), []),
    (Filter(surface="merchant", method="POST", tenant="m2", code=1000), ["r2"]),
])
def test_each_filter(full: Journal, flt: Filter, expected: list[str]) -> None:
    assert ids(full, flt) == expected
    assert full.page(flt, 0, 1)[1] == len(expected)  # total counts every match, whatever the page


def test_paging_newest_first(full: Journal) -> None:
    page, total = full.page(Filter(), 1, 2)
    assert [e["request_id"] for e in page] == ["r4", "r3"] and total == 5
    assert full.page(Filter(), 10, 2) == ([], 5)


def test_a_bool_param_matches_a_form_value_in_any_case() -> None:
    journal = Journal()
    record(journal, query=b"enabled=True")
    assert ids(journal, Filter(params={"enabled": True})) == ["rid"]
    assert ids(journal, Filter(params={"enabled": "true"})) == []  # text compares exactly


def test_parse_instant() -> None:
    assert parse_instant("2024-05-01T12:00:00Z") == T0
    assert parse_instant("2024-05-01T14:00:00+02:00") == T0
    assert parse_instant("2024-05-01T12:00:00") == T0
    with pytest.raises(ValueError):
        parse_instant("yesterday")


# ---- verification --------------------------------------------------------------------------------------------

def test_verify_at_least_one_by_default(full: Journal) -> None:
    answer = full.verify(Filter(path="/api/v2/product"))
    assert answer == {"matched": True, "count": 1, "expected": {"path": "/api/v2/product", "at_least": 1},
                      "near_misses": []}


def test_verify_count_exactly(full: Journal) -> None:
    assert full.verify(Filter(surface="wishpost"), count=2)["matched"] is True
    answer = full.verify(Filter(surface="wishpost"), count=1)
    assert answer["matched"] is False and answer["count"] == 2 and answer["expected"]["count"] == 1
    assert full.verify(Filter(path="/api/v2/order"), count=0)["matched"] is True  # it never happened
    assert full.verify(Filter(surface="merchant"), at_least=4)["matched"] is False


def test_verify_refuses_count_with_at_least(full: Journal) -> None:
    with pytest.raises(ValueError):
        full.verify(Filter(), count=1, at_least=1)


def test_near_misses_rank_by_how_many_fields_differ(full: Journal) -> None:
    answer = full.verify(Filter(method="POST", path="/api/v2/product/update", tenant="m1"))
    assert answer["matched"] is False and answer["count"] == 0
    misses = answer["near_misses"]
    assert len(misses) == 5
    first = misses[0]
    assert first["request"]["request_id"] == "r2"  # only the tenant differs
    assert first["differences"] == [{"field": "tenant", "expected": "m1", "actual": "m2"}]
    assert misses[1]["request"]["request_id"] == "r1"  # method and path differ
    assert [d["field"] for d in misses[1]["differences"]] == ["method", "path"]
    counts = [len(m["differences"]) for m in misses]
    assert counts == sorted(counts)


def test_near_misses_with_as_many_differences_put_the_closest_path_first() -> None:
    journal = Journal()
    for path in ("/api/v2/order/get", "/api/v2/order/fulfill-on", "/api/v2/ticket"):
        record(journal, path=path, request_id=path)
    misses = journal.verify(Filter(path="/api/v2/order/fulfill-one"), count=1)["near_misses"]
    assert [m["request"]["request_id"] for m in misses] == ["/api/v2/order/fulfill-on", "/api/v2/order/get",
                                                             "/api/v2/ticket"]


def test_near_misses_otherwise_put_the_newest_first_and_stop_at_five() -> None:
    journal = Journal()
    for n in range(8):
        record(journal, request_id=f"r{n}", status=200)
    misses = journal.verify(Filter(status=500))["near_misses"]
    assert [m["request"]["request_id"] for m in misses] == ["r7", "r6", "r5", "r4", "r3"]


def test_a_near_miss_on_a_param_shows_what_was_sent_masked(full: Journal) -> None:
    answer = full.verify(Filter(path="/api/v2/product", params={"id": "p9", "access_token": "other"}))
    first = answer["near_misses"][0]
    assert first["request"]["request_id"] == "r1"
    assert first["differences"] == [{"field": "params.id", "expected": "p9", "actual": "p1"},
                                    {"field": "params.access_token", "expected": "other", "actual": "…"}]
    missing = full.verify(Filter(request_id="r2", params={"sku": "x"}))["near_misses"][0]
    assert missing["differences"] == [{"field": "params.sku", "expected": "x", "actual": None}]


def test_near_misses_on_time_and_code_show_both_sides(full: Journal) -> None:
    answer = full.verify(Filter(request_id="r1", since=T0 + timedelta(hours=1), code=1000))
    by_id = {m["request"]["request_id"]: m["differences"] for m in answer["near_misses"]}
    assert by_id["r1"] == [
        {"field": "since", "expected": "2024-05-01T13:00:00.000Z", "actual": "2024-05-01T12:00:00.000Z"},
        {"field": "code", "expected": 1000, "actual": 0}]
    assert answer["expected"] == {"code": 1000, "request_id": "r1", "since": "2024-05-01T13:00:00.000Z",
                                  "at_least": 1}


def test_verify_on_an_empty_journal() -> None:
    assert Journal().verify(Filter(path="/api/v2/product")) == {
        "matched": False, "count": 0, "expected": {"path": "/api/v2/product", "at_least": 1}, "near_misses": []}
