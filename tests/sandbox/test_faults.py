"""Injected faults through HTTP (POST/GET/DELETE /sandbox/api/faults and the Mockwish-Fault header), on every
surface: Merchant v2 (JSON and format=xml), Merchant OAuth (v3 and v2), WishPost v3 JSON, WishPost v2 XML and
WishPost OAuth. Each effect (a Wish code in the surface's own format, a bare status, latency), each way of
matching, the lifetime of a rule (times, probability, until deleted), refusals of impossible rules, and a
client's retry loop that gets through once the faulted calls are spent. Transport breaks (drop, truncate,
malformed) need a real server: test_faults_server.py."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient
from wishpost_support import DEFAULT_WISHPOST_TOKEN, SECOND_WISHPOST_TOKEN, bearer, user_id

from mockwish.app import create_app
from mockwish.config import Settings
from mockwish.errors import REGISTRY, message
from mockwish.merchant.tickets.seed import DOC_TICKET
from mockwish.sandbox.faults import error_key, fault_error
from support import DEFAULT_TOKEN, Wish, freeze

FAULTS = "/sandbox/api/faults"
REASONS = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout"}


# ---- the calls, one per surface and wire ------------------------------------------------------------------

@dataclass(frozen=True)
class Call:
    """One request a client makes, and how its answer reads."""

    name: str
    surface: str  # as fault rules name it
    wire: str  # merchant-json, merchant-xml, wp-json, wp-xml
    method: str
    path: str
    params: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    content: bytes | None = None
    code: int = 1056  # the Wish code a `code` rule answers here (one the surface's registry knows)

    def send(self, client: TestClient, headers: dict[str, str] | None = None, **params: str) -> httpx.Response:
        all_headers = {**self.headers, **(headers or {})}
        all_params = {**self.params, **params}
        if self.method == "GET":
            return client.get(self.path, params=all_params, headers=all_headers)
        if self.content is not None:
            return client.post(self.path, params=all_params, content=self.content, headers=all_headers)
        return client.post(self.path, data=all_params, headers=all_headers)


WP_AUTH = bearer(DEFAULT_WISHPOST_TOKEN)
XML_AUTH_TEST = f"<root><access_token>{DEFAULT_WISHPOST_TOKEN}</access_token></root>".encode()
CALLS = [
    Call("merchant", "merchant", "merchant-json", "GET", "/api/v2/auth_test", {"access_token": DEFAULT_TOKEN}),
    Call("merchant-xml", "merchant", "merchant-xml", "GET", "/api/v2/auth_test",
         {"access_token": DEFAULT_TOKEN, "format": "xml"}),
    Call("merchant-oauth-v3", "merchant-oauth", "merchant-json", "GET", "/api/v3/oauth/test",
         headers={"Authorization": f"Bearer {DEFAULT_TOKEN}"}),
    Call("merchant-oauth-v2", "merchant-oauth", "merchant-json", "POST", "/api/v2/oauth/access_token",
         {"client_id": "nobody", "client_secret": "nothing", "code": "none", "grant_type": "authorization_code",
          "redirect_uri": "http://localhost/cb"}),
    Call("wishpost", "wishpost", "wp-json", "GET", "/wishpost/api/v3/scopes", headers=WP_AUTH, code=4291),
    Call("wishpost-xml", "wishpost-xml", "wp-xml", "POST", "/wishpost/api/v2/auth_test", content=XML_AUTH_TEST,
         code=1020),
    Call("wishpost-oauth-v3", "wishpost-oauth", "wp-json", "GET", "/wishpost/api/v3/oauth/test", headers=WP_AUTH,
         code=1020),
    Call("wishpost-oauth-v2", "wishpost-oauth", "wp-xml", "POST", "/wishpost/api/v2/oauth/access_token",
         content=b"<root><grant_type>authorization_code</grant_type></root>", code=1010),
]
BY_NAME = {c.name: c for c in CALLS}
IDS = [c.name for c in CALLS]


def wish_answer(r: httpx.Response, wire: str) -> tuple[int, str]:
    """(Wish code, message) of an answer in the surface's own format."""
    if wire == "merchant-json":
        body = r.json()
        assert set(body) >= {"code", "data", "message"}, body
        return body["code"], body["message"]
    if wire == "wp-json":
        body = r.json()
        assert set(body) >= {"code", "message", "timestamp"}, body
        return body["code"], body["message"]
    root = ET.fromstring(r.content)
    if wire == "merchant-xml":
        assert root.tag == "Response", r.text
        return int(root.findtext("code") or "-1"), root.findtext("message") or ""
    assert root.tag == "root" and r.status_code == 200, (r.status_code, r.text)  # WishPost XML: always HTTP 200
    return int(root.findtext("status") or "-1"), root.findtext("error_message") or ""


def outcome(r: httpx.Response, call: Call) -> tuple[int, int]:
    """(HTTP status, Wish code): what a test compares to see a call untouched."""
    return r.status_code, wish_answer(r, call.wire)[0]


# ---- control helpers -----------------------------------------------------------------------------------------

def add(client: TestClient, **rule: Any) -> dict[str, Any]:
    r = client.post(FAULTS, json=rule)
    assert r.status_code == 200, r.text
    created: dict[str, Any] = r.json()
    assert created["id"] and created["fired"] == 0
    return created


def listed(client: TestClient) -> dict[str, dict[str, Any]]:
    r = client.get(FAULTS)
    assert r.status_code == 200, r.text
    return {rule["id"]: rule for rule in r.json()["faults"]}


def journaled_fault(client: TestClient) -> dict[str, Any] | None:
    """The fault the newest journaled request got (the front door records it with each request)."""
    newest = next(iter(client.app.state.ctx.journal.newest_first()))  # type: ignore[attr-defined]
    return newest.fault  # type: ignore[no-any-return]


def merchant_id(wish: Wish) -> str:
    return wish.ok("auth_test", "GET")["merchant_id"]  # type: ignore[no-any-return]


def retrying(call: Callable[[], httpx.Response], done: Callable[[httpx.Response], bool], attempts: int = 10
             ) -> list[httpx.Response]:
    """A client's retry loop: call until `done` says the answer is good, at most `attempts` times."""
    answers = []
    for _ in range(attempts):
        answers.append(call())
        if done(answers[-1]):
            break
    return answers


def untouched(client: TestClient, call: Call) -> tuple[int, int]:
    """What `call` answers with no fault rule in force (deleted after a baseline is taken)."""
    rules = client.get(FAULTS).json()["faults"]
    assert rules == [], rules
    return outcome(call.send(client), call)


# ---- effects on every surface ----------------------------------------------------------------------------------

@pytest.mark.parametrize("call", CALLS, ids=IDS)
def test_code_in_the_surfaces_own_format(client: TestClient, call: Call) -> None:
    baseline = untouched(client, call)
    rule = add(client, surface=call.surface, code=call.code)
    r = call.send(client)
    key = error_key(call.code, call.surface)
    assert key is not None
    expected = fault_error(key)
    assert wish_answer(r, call.wire) == (call.code, expected.message("en"))
    assert r.status_code == (200 if call.wire == "wp-xml" else REGISTRY[key].status)
    if call.wire == "merchant-xml":
        assert r.headers["content-type"].startswith("application/xml")
    assert r.headers["wish-request-id"]
    assert listed(client)[rule["id"]]["fired"] == 1
    assert journaled_fault(client) == {"source": rule["id"], "code": call.code}
    client.delete(f"{FAULTS}/{rule['id']}")
    assert outcome(call.send(client), call) == baseline


def test_code_in_the_callers_locale(client: TestClient) -> None:
    add(client, surface="merchant", code=1056)
    body = Wish(client).err("auth_test", 1056, 429, "GET", locale="fr")
    assert body["message"] == message("rate_limited", "fr") and body["data"] == {}
    client.delete(FAULTS)
    add(client, surface="wishpost", code=1020)
    r = client.get("/wishpost/api/v3/scopes", params={"locale": "zh"}, headers=WP_AUTH)
    assert (r.status_code, r.json()["code"], r.json()["message"]) == (401, 1020, message("wp_token_unknown", "zh"))


@pytest.mark.parametrize("status", sorted(REASONS))
@pytest.mark.parametrize("call", CALLS, ids=IDS)
def test_bare_status(client: TestClient, call: Call, status: int) -> None:
    rule = add(client, surface=call.surface, status=status)
    r = call.send(client)
    assert r.status_code == status and r.text == f"{status} {REASONS[status]}"
    assert r.headers["content-type"].startswith("text/plain") and r.headers["wish-request-id"]
    assert journaled_fault(client) == {"source": rule["id"], "status": status}


@pytest.mark.parametrize("call", CALLS, ids=IDS)
def test_latency_fixed_and_range(client: TestClient, call: Call) -> None:
    baseline = untouched(client, call)
    fixed = add(client, surface=call.surface, latency_ms=3, times=1)
    assert fixed["latency_ms"] == [3, 3]
    assert outcome(call.send(client), call) == baseline  # the same answer, later
    assert journaled_fault(client) == {"source": fixed["id"], "latency_ms": [3, 3], "latency_applied_ms": 3}
    ranged = add(client, surface=call.surface, latency_ms=[1, 6])
    for _ in range(3):
        assert outcome(call.send(client), call) == baseline
        applied = journaled_fault(client)
        assert applied is not None and applied["source"] == ranged["id"] and 1 <= applied["latency_applied_ms"] <= 6
    assert listed(client)[ranged["id"]]["fired"] == 3


def test_latency_with_an_error(client: TestClient) -> None:
    rule = add(client, path="/api/v2/auth_test", code=1056, latency_ms=[1, 2])
    Wish(client).err("auth_test", 1056, 429, "GET")
    applied = journaled_fault(client)
    assert applied is not None and applied["source"] == rule["id"] and applied["code"] == 1056
    assert 1 <= applied["latency_applied_ms"] <= 2


# ---- the example rules, verbatim ----------------------------------------------------------------------

def test_example_503_twice_then_a_retry_succeeds(client: TestClient) -> None:
    rule = add(client, **{"method": "GET", "path": "/api/v2/order/get-fulfill", "status": 503, "times": 2})
    assert (rule["method"], rule["path"], rule["status"], rule["times"]) == ("GET", "/api/v2/order/get-fulfill", 503, 2)
    wish = Wish(client)
    answers = retrying(lambda: wish.call("order/get-fulfill", "GET"), lambda r: r.status_code < 500)
    assert [r.status_code for r in answers] == [503, 503, 200]
    assert answers[-1].json()["code"] == 0 and answers[-1].json()["data"]
    assert rule["id"] not in listed(client)  # spent
    assert wish.call("order/get-fulfill", "GET").status_code == 200


def test_example_probability(client: TestClient) -> None:
    rule = add(client, **{"path": "/api/v2/product*", "code": 1056, "probability": 0.1})
    assert rule["probability"] == 0.1 and rule["times"] is None
    wish = Wish(client)
    codes = [wish.call("product/multi-get", "GET", limit="1").json()["code"] for _ in range(200)]
    assert set(codes) == {0, 1056}  # 200 calls: P(no fault) = 0.9**200, P(all faults) = 0.1**200
    assert listed(client)[rule["id"]]["fired"] == codes.count(1056)
    assert wish.call("variant/multi-get", "GET", limit="1").json()["code"] == 0  # outside the pattern


def test_example_wishpost_latency(client: TestClient) -> None:
    rule = add(client, **{"surface": "wishpost", "latency_ms": [200, 800]})
    assert rule["latency_ms"] == [200, 800]
    r = client.get("/wishpost/api/v3/scopes", headers=WP_AUTH)
    assert r.status_code == 200 and r.json()["code"] == 0
    applied = journaled_fault(client)
    assert applied is not None and 200 <= applied["latency_applied_ms"] <= 800
    Wish(client).ok("auth_test", "GET")
    assert journaled_fault(client) is None  # the Merchant API is untouched
    assert listed(client)[rule["id"]]["fired"] == 1


# ---- matching --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("surface", "hit"), [
    ("merchant", {"merchant", "merchant-xml", "merchant-oauth-v3", "merchant-oauth-v2"}),
    ("merchant-oauth", {"merchant-oauth-v3", "merchant-oauth-v2"}),
    ("wishpost", {"wishpost", "wishpost-xml", "wishpost-oauth-v3", "wishpost-oauth-v2"}),
    ("wishpost-xml", {"wishpost-xml"}),
    ("wishpost-oauth", {"wishpost-oauth-v3", "wishpost-oauth-v2"}),
])
def test_surface(client: TestClient, surface: str, hit: set[str]) -> None:
    add(client, surface=surface, status=502)
    got = {call.name for call in CALLS if call.send(client).status_code == 502}
    assert got == hit


def test_method(client: TestClient, wish: Wish) -> None:
    add(client, method="POST", path="/api/v2/auth_test", status=503)
    assert wish.call("auth_test", "GET").status_code == 200
    assert wish.call("auth_test", "POST").status_code == 503


def test_exact_path(client: TestClient, wish: Wish) -> None:
    add(client, path="/api/v2/order", status=503)
    assert wish.call("order/get-fulfill", "GET").status_code == 200
    assert wish.call("order", "GET", id="aaaaaaaaaaaaaaaaaaaaaaaa").status_code == 503


def test_glob_path_and_the_v2_alias(client: TestClient, wish: Wish) -> None:
    add(client, path="/api/v2/product*", status=503)
    assert wish.call("product/multi-get", "GET").status_code == 503
    assert wish.call("/v2/product/multi-get", "GET").status_code == 503  # the docs' /v2 alias
    assert wish.call("variant/multi-get", "GET").status_code == 200
    assert wish.call("/v2/variant/multi-get", "GET").status_code == 200


def test_a_wishpost_path(client: TestClient) -> None:
    add(client, path="/wishpost/api/v3/scopes", code=4291)
    assert client.get("/wishpost/api/v3/scopes", headers=WP_AUTH).json()["code"] == 4291
    assert client.get("/wishpost/api/v3/oauth/test", headers=WP_AUTH).json()["code"] == 0


def test_params_in_the_query_a_form_and_a_json_body(client: TestClient, wish: Wish) -> None:
    add(client, path="/api/v2/variant", params={"sku": "blue-shoe-11"}, code=1056)
    assert wish.call("variant", "GET", sku="blue-shoe-11").json()["code"] == 1056
    assert wish.call("variant", "POST", sku="blue-shoe-11").json()["code"] == 1056
    r = client.post("/api/v2/variant", json={"access_token": DEFAULT_TOKEN, "sku": "blue-shoe-11"})
    assert r.json()["code"] == 1056
    assert wish.call("variant", "GET", sku="blue-shoe-10").json()["code"] == 0
    assert wish.call("variant/multi-get", "GET").json()["code"] == 0


def test_params_of_a_json_number(client: TestClient, wish: Wish) -> None:
    """A JSON body's number matches the rule's string, as the wire reads it ("inventory": 7 is "7")."""
    before = wish.ok("variant", "GET", sku="blue-shoe-11")["Variant"]["inventory"]
    add(client, params={"inventory": "7"}, status=503)
    r = client.post("/api/v2/variant/update-inventory",
                    json={"access_token": DEFAULT_TOKEN, "sku": "blue-shoe-11", "inventory": 7})
    assert r.status_code == 503
    r = client.post("/api/v2/variant/update-inventory",
                    json={"access_token": DEFAULT_TOKEN, "sku": "blue-shoe-11", "inventory": 8})
    assert r.json()["code"] == 0
    assert wish.ok("variant", "GET", sku="blue-shoe-11")["Variant"]["inventory"] == "8" != before


def test_params_of_a_wishpost_xml_body(client: TestClient) -> None:
    add(client, surface="wishpost", params={"grant_type": "refresh_token"}, code=1000)
    refresh = b"<root><grant_type>refresh_token</grant_type></root>"
    got = wish_answer(client.post("/wishpost/api/v2/oauth/refresh_token", content=refresh), "wp-xml")
    assert got == (1000, fault_error("wp_invalid_param").message())
    assert wish_answer(BY_NAME["wishpost-oauth-v2"].send(client), "wp-xml")[0] != 1000


def test_tenant_merchant(client: TestClient, wish: Wish, other: Wish) -> None:
    bad = wish.as_("not-a-token").call("auth_test", "GET")
    baseline_bad = (bad.status_code, bad.json())
    rule = add(client, tenant=merchant_id(wish), code=1056)
    assert wish.call("auth_test", "GET").json()["code"] == 1056
    assert other.ok("auth_test", "GET")["merchant_id"] != rule["tenant"]  # another merchant's calls: untouched
    assert other.call("order/get-fulfill", "GET").json()["code"] == 0
    again = wish.as_("not-a-token").call("auth_test", "GET")  # a bad token: its own error, not the fault
    assert (again.status_code, again.json()) == baseline_bad
    assert wish.call("/api/v3/oauth/test", "GET", bearer=True).json()["code"] == 1056  # its OAuth surface too
    assert listed(client)[rule["id"]]["fired"] == 2


def test_tenant_wishpost_user(client: TestClient) -> None:
    me = user_id(client, DEFAULT_WISHPOST_TOKEN)
    rule = add(client, tenant=me, status=503)
    assert client.get("/wishpost/api/v3/scopes", headers=WP_AUTH).status_code == 503
    xml = client.post("/wishpost/api/v2/auth_test", content=XML_AUTH_TEST)
    assert xml.status_code == 503
    second = client.get("/wishpost/api/v3/scopes", headers=bearer(SECOND_WISHPOST_TOKEN))
    assert second.status_code == 200 and second.json()["code"] == 0
    bad = client.get("/wishpost/api/v3/scopes", headers=bearer("nobody"))
    assert (bad.status_code, bad.json()["code"]) == (401, 1020)
    assert Wish(client).call("auth_test", "GET").status_code == 200
    assert listed(client)[rule["id"]]["fired"] == 2


def test_a_tenant_rule_and_the_header_in_one_request(client: TestClient, wish: Wish) -> None:
    """At most one fault a request: the header, read first, wins over a rule naming the tenant."""
    rule = add(client, tenant=merchant_id(wish), status=503)
    r = _merchant(client, "status=502")
    assert r.status_code == 502
    assert listed(client)[rule["id"]]["fired"] == 0


# ---- a rule's lifetime ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("call", CALLS, ids=IDS)
def test_a_clients_retry_gets_through_after_n_faulted_calls(client: TestClient, call: Call) -> None:
    baseline = untouched(client, call)
    add(client, surface=call.surface, code=call.code, times=3)
    answers = retrying(lambda: call.send(client), lambda r: wish_answer(r, call.wire)[0] != call.code)
    assert [wish_answer(r, call.wire)[0] for r in answers[:3]] == [call.code] * 3
    assert len(answers) == 4 and outcome(answers[-1], call) == baseline
    assert listed(client) == {}


def test_until_deleted(client: TestClient, wish: Wish) -> None:
    rule = add(client, path="/api/v2/auth_test", status=504)
    assert rule["times"] is None
    assert [wish.call("auth_test", "GET").status_code for _ in range(5)] == [504] * 5
    assert listed(client)[rule["id"]]["fired"] == 5
    r = client.delete(f"{FAULTS}/{rule['id']}")
    assert r.status_code == 200 and r.json() == {"deleted": 1}
    assert wish.call("auth_test", "GET").status_code == 200
    gone = client.delete(f"{FAULTS}/{rule['id']}")
    assert gone.status_code == 404 and gone.json()["code"] == 1004 and rule["id"] in gone.json()["message"]


def test_list_with_fired_counts(client: TestClient, wish: Wish) -> None:
    a = add(client, path="/api/v2/auth_test", status=503, times=5)
    b = add(client, surface="wishpost", latency_ms=[1, 2], probability=0.5, params={"x": "1"})
    wish.call("auth_test", "GET")
    wish.call("auth_test", "GET")
    rules = listed(client)
    assert list(rules) == [a["id"], b["id"]]  # in the order they were made (the first match wins)
    assert rules[a["id"]] == {**a, "fired": 2, "times": 3}
    assert rules[b["id"]] == b
    assert rules[b["id"]]["latency_ms"] == [1, 2] and rules[b["id"]]["params"] == {"x": "1"}


def test_delete_all_and_a_tenants(client: TestClient, wish: Wish, other: Wish) -> None:
    mine, theirs = merchant_id(wish), merchant_id(other)
    add(client, tenant=mine, status=503)
    add(client, tenant=mine, code=1056)
    kept = add(client, tenant=theirs, status=503)
    anyone = add(client, path="/api/v2/order", status=503)
    r = client.delete(FAULTS, params={"tenant": mine})
    assert r.status_code == 200 and r.json() == {"deleted": 2}
    assert list(listed(client)) == [kept["id"], anyone["id"]]
    assert wish.call("auth_test", "GET").status_code == 200
    assert other.call("auth_test", "GET").status_code == 503
    r = client.delete(FAULTS)
    assert r.json() == {"deleted": 2} and listed(client) == {}
    assert other.call("auth_test", "GET").status_code == 200
    assert client.delete(FAULTS).json() == {"deleted": 0}


def test_a_global_reset_clears_the_rules(client: TestClient, wish: Wish, other: Wish) -> None:
    add(client, tenant=merchant_id(other), code=1056)
    add(client, path="/api/v2/auth_test", status=503)
    assert wish.call("auth_test", "GET").status_code == 503
    assert client.post("/sandbox/api/reset").status_code == 200
    assert listed(client) == {}
    assert wish.call("auth_test", "GET").status_code == 200
    assert other.call("order/get-fulfill", "GET").json()["code"] == 0


# ---- the Mockwish-Fault header --------------------------------------------------------------------------------

def _merchant(client: TestClient, header: str, **params: str) -> httpx.Response:
    return client.get("/api/v2/auth_test", params={"access_token": DEFAULT_TOKEN, **params},
                      headers={"Mockwish-Fault": header})


def test_header_code_on_every_surface(client: TestClient) -> None:
    for call in CALLS:
        r = call.send(client, {"Mockwish-Fault": f"code={call.code}"})
        key = error_key(call.code, call.surface)
        assert key is not None
        assert wish_answer(r, call.wire) == (call.code, fault_error(key).message()), call.name
        assert journaled_fault(client) == {"source": "header", "code": call.code}
    assert listed(client) == {}  # the header stores nothing


def test_header_status(client: TestClient) -> None:
    for call in CALLS:
        r = call.send(client, {"Mockwish-Fault": "status=503"})
        assert (r.status_code, r.text) == (503, "503 Service Unavailable"), call.name


def test_header_latency(client: TestClient) -> None:
    r = _merchant(client, "latency_ms=4")
    assert r.status_code == 200 and r.json()["code"] == 0
    assert journaled_fault(client) == {"source": "header", "latency_ms": [4, 4], "latency_applied_ms": 4}
    r = client.get("/wishpost/api/v3/scopes", headers={**WP_AUTH, "Mockwish-Fault": "latency_ms=1-5"})
    assert r.json()["code"] == 0
    applied = journaled_fault(client)
    assert applied is not None and 1 <= applied["latency_applied_ms"] <= 5


def test_header_malformed(client: TestClient) -> None:
    r = _merchant(client, "fault=malformed")
    assert r.status_code == 200 and int(r.headers["content-length"]) == len(r.content)
    with pytest.raises(ValueError):
        r.json()
    whole = _merchant(client, "").content
    assert whole.startswith(r.content) and len(r.content) == len(whole) // 2
    xml = BY_NAME["wishpost-xml"].send(client, {"Mockwish-Fault": "fault=malformed"})
    with pytest.raises(ET.ParseError):
        ET.fromstring(xml.content)


def test_header_combinations(client: TestClient) -> None:
    r = _merchant(client, "code=1056; latency_ms=2")
    assert (r.status_code, r.json()["code"]) == (429, 1056)
    assert journaled_fault(client) == {"source": "header", "code": 1056, "latency_ms": [2, 2],
                                       "latency_applied_ms": 2}
    r = _merchant(client, "status=502, latency_ms=1")
    assert r.status_code == 502
    r = _merchant(client, "code=1056;status=503")  # one answer: the Wish error
    assert (r.status_code, r.json()["code"]) == (429, 1056)
    r = _merchant(client, "status=504;fault=malformed")
    assert r.status_code == 504 and r.content == b"504 Gateway Timeout"[:9]


@pytest.mark.parametrize("header", ["", "nonsense", "code=abc", "status=404", "status=x", "fault=explode",
                                    "latency_ms=9-1", "latency_ms=999999", ";;=,"])
def test_header_unreadable_is_ignored(client: TestClient, header: str) -> None:
    r = _merchant(client, header)
    assert r.status_code == 200 and r.json()["code"] == 0
    assert journaled_fault(client) is None


def test_header_unreadable_parts_ignored_readable_ones_applied(client: TestClient) -> None:
    r = _merchant(client, "code=abc; status=503; bogus")
    assert r.status_code == 503


def test_header_is_per_request(client: TestClient, wish: Wish) -> None:
    assert _merchant(client, "status=503").status_code == 503
    assert wish.call("auth_test", "GET").status_code == 200
    assert listed(client) == {}


@pytest.fixture(scope="module")
def guarded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """An app with MOCKWISH_SANDBOX_TOKEN set."""
    data: Path = tmp_path_factory.mktemp("faults-token")
    app = create_app(Settings(data_dir=data, products_per_merchant=3, sandbox_token="s3cret",
                              sandbox_allowed_hosts="testserver"))
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def test_header_only_beside_the_sandbox_token(guarded: TestClient) -> None:
    assert _merchant(guarded, "status=503").status_code == 200
    r = guarded.get("/api/v2/auth_test", params={"access_token": DEFAULT_TOKEN},
                    headers={"Mockwish-Fault": "status=503", "X-Sandbox-Token": "wrong"})
    assert r.status_code == 200 and r.json()["code"] == 0
    r = guarded.get("/api/v2/auth_test", params={"access_token": DEFAULT_TOKEN},
                    headers={"Mockwish-Fault": "status=503", "X-Sandbox-Token": "s3cret"})
    assert r.status_code == 503
    wp = guarded.get("/wishpost/api/v3/scopes", headers={**WP_AUTH, "Mockwish-Fault": "code=4291"})
    assert wp.json()["code"] == 0
    wp = guarded.get("/wishpost/api/v3/scopes", headers={**WP_AUTH, "Mockwish-Fault": "code=4291",
                                                         "X-Sandbox-Token": "s3cret"})
    assert wp.json()["code"] == 4291


def test_rules_under_the_sandbox_token(guarded: TestClient) -> None:
    """Rules are made through the control API (with the token) and fire without it: the token guards the
    control API, not Wish's."""
    refused = guarded.post(FAULTS, json={"status": 503})
    assert refused.status_code == 401 and refused.json()["code"] == 4000
    token = {"X-Sandbox-Token": "s3cret"}
    made = guarded.post(FAULTS, json={"path": "/api/v2/auth_test", "status": 503, "times": 1}, headers=token)
    assert made.status_code == 200, made.text
    assert guarded.get("/api/v2/auth_test", params={"access_token": DEFAULT_TOKEN}).status_code == 503
    assert guarded.get("/api/v2/auth_test", params={"access_token": DEFAULT_TOKEN}).status_code == 200


@pytest.fixture(scope="module")
def two_ports(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """An app that also serves WishPost at the root of port 8001."""
    data: Path = tmp_path_factory.mktemp("faults-port")
    app = create_app(Settings(data_dir=data, products_per_merchant=0, wishpost_port=8001,
                              sandbox_allowed_hosts="testserver"))
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def test_the_wishpost_port_is_matched_by_the_wishpost_path(two_ports: TestClient) -> None:
    """On the WishPost port, /api/v3/scopes is /wishpost/api/v3/scopes: rules name the /wishpost form."""
    port = "http://testserver:8001"
    rule = add(two_ports, path="/wishpost/api/v3/scopes", code=4291, times=1)
    r = two_ports.get(f"{port}/api/v3/scopes", headers=WP_AUTH)
    assert (r.status_code, r.json()["code"]) == (429, 4291)
    assert rule["id"] not in listed(two_ports)
    assert two_ports.get(f"{port}/api/v3/scopes", headers=WP_AUTH).json()["code"] == 0
    r = two_ports.get(f"{port}/api/v3/scopes", headers={**WP_AUTH, "Mockwish-Fault": "status=503"})
    assert r.status_code == 503
    add(two_ports, surface="merchant", status=503)  # the port serves WishPost only
    assert two_ports.get(f"{port}/api/v3/oauth/test", headers=WP_AUTH).json()["code"] == 0
    assert two_ports.delete(FAULTS).json() == {"deleted": 1}


# ---- where faults never fire, and what a faulted call leaves ---------------------------------------------------

def test_never_on_the_sandbox_api_or_healthz(client: TestClient) -> None:
    add(client, status=503)  # every API request
    add(client, path="/sandbox/*", code=1056)
    add(client, path="/healthz", status=500)
    fault = {"Mockwish-Fault": "status=503;fault=drop"}
    assert client.get("/healthz", headers=fault).status_code == 200
    assert client.get(FAULTS, headers=fault).status_code == 200
    assert client.post("/sandbox/api/clock", json={"advance_seconds": 1}, headers=fault).status_code == 200
    assert client.get("/sandbox/api/wishpost/users", headers=fault).status_code == 200
    assert [rule["fired"] for rule in listed(client).values()] == [0, 0, 0]
    assert Wish(client).call("auth_test", "GET").status_code == 503  # while the API is faulted


def test_a_faulted_ticket_reply_writes_nothing(client: TestClient, wish: Wish) -> None:
    freeze(client)  # the replies' image links expire relative to the clock
    before = wish.ok("ticket", "GET", id=DOC_TICKET)["Ticket"]
    rule = add(client, tenant=merchant_id(wish), path="/api/v2/ticket/reply", code=1056, times=1)
    wish.err("ticket/reply", 1056, 429, id=DOC_TICKET, reply="hello")
    assert wish.ok("ticket", "GET", id=DOC_TICKET)["Ticket"] == before
    assert rule["id"] not in listed(client)
    assert wish.ok("ticket/reply", id=DOC_TICKET, reply="hello") == {"success": True}  # the retry writes once
    replies = wish.ok("ticket", "GET", id=DOC_TICKET)["Ticket"]["replies"]
    assert len(replies) == len(before["replies"]) + 1 and replies[-1]["Reply"]["message"] == "hello"


@pytest.mark.parametrize("rule", [
    {"path": "/api/v2/variant/update-inventory", "params": {"sku": "blue-shoe-11"}, "status": 500},
    {"path": "/api/v2/variant/update-inventory", "tenant": None, "code": 1056},  # tenant filled in below
])
def test_a_faulted_inventory_update_writes_nothing(client: TestClient, wish: Wish, rule: dict[str, Any]) -> None:
    if "tenant" in rule:
        rule = {**rule, "tenant": merchant_id(wish)}
    before = wish.ok("variant", "GET", sku="blue-shoe-11")["Variant"]["inventory"]
    add(client, **rule)
    r = wish.call("variant/update-inventory", sku="blue-shoe-11", inventory="7")
    assert r.status_code in (429, 500)
    client.delete(FAULTS)
    assert wish.ok("variant", "GET", sku="blue-shoe-11")["Variant"]["inventory"] == before != "7"


# ---- refusals ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("rule", "field"), [
    ({"surface": "moon", "status": 503}, "surface"),
    ({"surface": "wishpost", "code": 1056}, "code"),  # a Merchant code
    ({"surface": "merchant", "code": 4291}, "code"),  # a WishPost code
    ({"surface": "merchant-oauth", "code": 4291}, "code"),
    ({"code": 123456}, "code"),
    ({"status": 404}, "status"),
    ({"status": 200}, "status"),
    ({"probability": 0, "status": 503}, "probability"),
    ({"probability": 1.5, "status": 503}, "probability"),
    ({"probability": -0.1, "status": 503}, "probability"),
    ({"times": 0, "status": 503}, "times"),
    ({"times": -2, "status": 503}, "times"),
    ({"latency_ms": [5, 1]}, "latency_ms"),
    ({"latency_ms": 60001}, "latency_ms"),
    ({"latency_ms": [0, 60001]}, "latency_ms"),
    ({"latency_ms": -1}, "latency_ms"),
    ({"latency_ms": [1, 2, 3]}, "latency_ms"),
    ({"latency_ms": []}, "latency_ms"),
    ({"latency_ms": "300"}, "latency_ms"),
    ({"fault": "explode"}, "fault"),
    ({"colour": "red", "status": 503}, "colour"),  # an unknown field
    ({}, "code"),  # no effect at all
    ({"path": "/api/v2/order", "times": 2}, "code"),  # matching, but no effect
    ({"code": 1000, "status": 503}, "code"),  # code and status together
    ({"code": "1056"}, "code"),
    ({"method": "FETCH", "status": 503}, "method"),
    ({"params": {"id": 5}, "status": 503}, "params"),
])
def test_an_impossible_rule_is_refused(client: TestClient, rule: dict[str, Any], field: str) -> None:
    r = client.post(FAULTS, json=rule)
    assert r.status_code == 400, (r.status_code, r.text)
    body = r.json()
    assert body["code"] == 1000 and field in body["message"], body
    assert listed(client) == {}


def test_a_body_that_is_not_a_rule(client: TestClient) -> None:
    for content in (b"[]", b"not json", b'"status"'):
        r = client.post(FAULTS, content=content, headers={"Content-Type": "application/json"})
        assert r.status_code == 400 and r.json()["code"] == 1000, r.text
    assert listed(client) == {}


def test_a_rule_matching_everything(client: TestClient, wish: Wish) -> None:
    rule = add(client, status=503, times=2)
    assert wish.call("auth_test", "GET").status_code == 503
    assert client.get("/wishpost/api/v3/scopes", headers=WP_AUTH).status_code == 503
    assert wish.call("auth_test", "GET").status_code == 200
    assert rule["id"] not in listed(client)


# ---- gaps found ---------------------------------------------------------------------------------------------

def test_a_code_rule_without_a_surface_leaves_surfaces_that_lack_the_code(client: TestClient) -> None:
    """{"code": 1056} is accepted (the Merchant API knows 1056) and names no surface. On WishPost, whose registry
    has no 1056, it must not answer a made-up 9000 "Unknown Error" (HTTP 500): the rule leaves WishPost alone."""
    rule = add(client, code=1056)
    assert Wish(client).call("auth_test", "GET").json()["code"] == 1056
    r = client.get("/wishpost/api/v3/scopes", headers=WP_AUTH)
    assert (r.status_code, r.json()["code"]) == (200, 0), r.text
    assert listed(client)[rule["id"]]["fired"] == 1


def test_a_lower_case_method_is_accepted(client: TestClient, wish: Wish) -> None:
    """The journal's method filter is case-insensitive and Faults.add upper-cases: a rule's method too."""
    r = client.post(FAULTS, json={"method": "get", "path": "/api/v2/auth_test", "status": 503})
    assert r.status_code == 200, r.text
    assert r.json()["method"] == "GET"
    assert wish.call("auth_test", "GET").status_code == 503
