"""Unit tests of the injected faults' domain (mockwish.sandbox.faults): surfaces, registry lookups, the
Mockwish-Fault header's grammar, rule validation, the matcher's two phases, times and probability with a seeded
random generator, and how `send_with` breaks an answer on the wire (as ASGI messages)."""

from __future__ import annotations

import asyncio
import random
from typing import Any

import pytest
from starlette.responses import Response

from mockwish.errors import LOCALES, REGISTRY, WISHPOST_LOCALES, WishError
from mockwish.sandbox import faults as faults_module
from mockwish.sandbox.faults import (
    MAX_LATENCY_MS,
    SCOPE_KEY,
    Effect,
    Faults,
    FaultStatus,
    Hit,
    error_key,
    fault_error,
    parse_header,
    surface_matches,
    surface_of,
    validate_rule,
)

MERCHANT_ID = "5a0a0a0a0a0a0a0a0a0a0a0a"
OTHER_ID = "5b0b0b0b0b0b0b0b0b0b0b0b"


def scope(path: str = "/api/v2/auth_test", method: str = "GET", headers: list[tuple[bytes, bytes]] | None = None
          ) -> dict[str, Any]:
    return {"type": "http", "method": method, "path": path, "headers": headers or []}


def outcome(faults: Faults, sc: dict[str, Any], params: dict[str, str] | None = None, tenant: str | None = None,
            surface: str | None = None) -> str:
    """What one phase of `check` decided: 'error <code>', 'status <n>', 'hit' (left for the front door) or 'none'."""
    try:
        faults.check(sc, params or {}, tenant, surface or surface_of(sc["path"]))
    except WishError as err:
        return f"error {err.code}"
    except FaultStatus as st:
        return f"status {st.status}"
    return "hit" if SCOPE_KEY in sc else "none"


# ---- surfaces and the registry ------------------------------------------------------------------------------

@pytest.mark.parametrize(("path", "surface"), [
    ("/api/v2/auth_test", "merchant"),
    ("/v2/product", "merchant"),
    ("/api/v3/oauth/test", "merchant-oauth"),
    ("/api/v2/oauth/access_token", "merchant-oauth"),
    ("/wishpost/api/v3/orders_bag/create", "wishpost"),
    ("/wishpost/api/v2/auth_test", "wishpost-xml"),
    ("/wishpost/api/v3/oauth/test", "wishpost-oauth"),
    ("/wishpost/api/v2/oauth/access_token", "wishpost-oauth"),
])
def test_surface_of(path: str, surface: str) -> None:
    assert surface_of(path) == surface


def test_surface_families() -> None:
    assert surface_matches("merchant", "merchant") and surface_matches("merchant", "merchant-oauth")
    assert all(surface_matches("wishpost", s) for s in ("wishpost", "wishpost-xml", "wishpost-oauth"))
    assert surface_matches("wishpost-xml", "wishpost-xml")
    assert not surface_matches("merchant-oauth", "merchant")
    assert not surface_matches("wishpost-xml", "wishpost")
    assert not surface_matches("merchant", "wishpost") and not surface_matches("wishpost", "merchant-oauth")


def test_error_key_is_the_surfaces_generic_entry() -> None:
    assert error_key(1056, "merchant") == error_key(1056, "merchant-oauth") == "rate_limited"
    assert error_key(1000, "merchant") == "invalid_param" and error_key(1001, "merchant") == "missing_param"
    assert error_key(1000, "wishpost") == "wp_invalid_param" and error_key(1001, "wishpost-xml") == "wp_missing_param"
    assert error_key(1020, "wishpost-oauth") == "wp_token_unknown"
    assert error_key(9000, "merchant") == "unknown_error" and error_key(9000, "wishpost") == "wp_unknown_error"
    assert error_key(1056, "wishpost") is None  # WishPost's rate limits are 4290-4296
    assert error_key(4291, "merchant") is None
    assert error_key(123456, "merchant") is None


@pytest.mark.parametrize("key", sorted(REGISTRY))
def test_fault_error_fills_every_placeholder(key: str) -> None:
    err = fault_error(key)
    entry = REGISTRY[key]
    assert err.code == entry.code and err.status == entry.status
    for locale in LOCALES if set(entry.messages) == set(LOCALES) else WISHPOST_LOCALES:
        # every placeholder has a value: the template formats (no fallback to a raw English template)
        assert err.message(locale) == entry.messages[locale].format(**err.params), (key, locale)


# ---- the Mockwish-Fault header -----------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "effect"), [
    ("code=1056", Effect(code=1056)),
    ("status=503", Effect(status=503)),
    ("status=500", Effect(status=500)),
    ("latency_ms=300", Effect(latency_ms=(300, 300))),
    ("latency_ms=200-800", Effect(latency_ms=(200, 800))),
    ("fault=drop", Effect(fault="drop")),
    ("fault=truncate", Effect(fault="truncate")),
    ("fault=malformed", Effect(fault="malformed")),
    ("code=1056; latency_ms=5", Effect(code=1056, latency_ms=(5, 5))),
    ("status=504,fault=truncate", Effect(status=504, fault="truncate")),
    ("  CODE = 1000 ;  Fault = drop ", Effect(code=1000, fault="drop")),
    ("code=1056;status=503", Effect(code=1056)),  # one answer: the Wish error wins
    ("code=abc;status=503", Effect(status=503)),  # an unreadable part is ignored, the rest applies
    ("status=404;code=1000", Effect(code=1000)),  # 404 is not a fault status
    ("fault=explode;latency_ms=7", Effect(latency_ms=(7, 7))),
    ("latency_ms=800-200;status=502", Effect(status=502)),  # an inverted range is unreadable
    (f"latency_ms={MAX_LATENCY_MS + 1};status=502", Effect(status=502)),
    ("latency_ms=-5;status=502", Effect(status=502)),
    ("bogus=1;status=503;;", Effect(status=503)),
])
def test_parse_header(text: str, effect: Effect) -> None:
    assert parse_header(text) == effect


@pytest.mark.parametrize("text", ["", "garbage", "code=", "status=404", "fault=", "latency_ms=x", "===;;,,"])
def test_parse_header_without_anything_readable(text: str) -> None:
    assert parse_header(text) is None


# ---- validation --------------------------------------------------------------------------------------------

def test_validate_rule_accepts_the_issues_examples() -> None:
    assert validate_rule(None, None, 503, None, None) == []
    assert validate_rule(None, 1056, None, None, None) == []
    assert validate_rule("wishpost", None, None, None, [200, 800]) == []
    assert validate_rule("merchant-oauth", 1056, None, "truncate", [5]) == []
    assert validate_rule("wishpost-xml", 1020, None, None, None) == []


@pytest.mark.parametrize(("args", "field"), [
    (("moon", None, 503, None, None), "surface"),
    (("wishpost", 1056, None, None, None), "code"),  # a Merchant code, not WishPost's
    (("merchant", 4291, None, None, None), "code"),  # a WishPost code, not the Merchant API's
    ((None, 123456, None, None, None), "code"),
    ((None, 1000, 503, None, None), "code"),
    ((None, None, 404, None, None), "status"),
    ((None, None, None, "explode", None), "fault"),
    ((None, None, None, None, [5, 1]), "latency_ms"),
    ((None, None, None, None, [MAX_LATENCY_MS + 1]), "latency_ms"),
    ((None, None, None, None, [-1, 5]), "latency_ms"),
    ((None, None, None, None, [1, 2, 3]), "latency_ms"),
    ((None, None, None, None, []), "latency_ms"),
    ((None, None, None, None, None), "code"),  # no effect at all
])
def test_validate_rule_names_the_field(args: tuple[Any, ...], field: str) -> None:
    problems = validate_rule(*args)
    assert problems and problems[0].split(": ", 1)[0] == field, problems


# ---- matching ----------------------------------------------------------------------------------------------

def test_a_rule_without_a_tenant_fires_in_the_first_phase_only() -> None:
    faults = Faults()
    faults.add(Effect(status=503))
    assert outcome(faults, scope()) == "status 503"
    sc = scope()
    assert outcome(faults, sc, tenant=MERCHANT_ID) == "none"  # the second phase looks at tenant rules only


def test_a_rule_naming_a_tenant_waits_for_the_authenticated_phase() -> None:
    faults = Faults()
    faults.add(Effect(code=1056), tenant=MERCHANT_ID)
    sc = scope()
    assert outcome(faults, sc) == "none"
    assert outcome(faults, sc, tenant=OTHER_ID) == "none"
    assert outcome(faults, sc, tenant=MERCHANT_ID) == "error 1056"
    assert faults.rules[0].fired == 1


def test_at_most_one_fault_per_request() -> None:
    faults = Faults()
    faults.add(Effect(latency_ms=(0, 0)))
    faults.add(Effect(status=503), tenant=MERCHANT_ID)
    sc = scope()
    assert outcome(faults, sc) == "hit"
    assert outcome(faults, sc, tenant=MERCHANT_ID) == "hit"  # the first phase's fault stands
    assert [r.fired for r in faults.rules] == [1, 0]


def test_the_first_matching_rule_wins() -> None:
    faults = Faults()
    faults.add(Effect(status=502), path="/api/v2/order")
    faults.add(Effect(status=503))
    faults.add(Effect(status=504))
    assert outcome(faults, scope("/api/v2/order")) == "status 502"
    assert outcome(faults, scope("/api/v2/product")) == "status 503"
    assert [r.fired for r in faults.rules] == [1, 1, 0]


@pytest.mark.parametrize(("rule", "path", "method", "params", "fires"), [
    ({"surface": "merchant"}, "/api/v3/oauth/test", "GET", {}, True),
    ({"surface": "merchant-oauth"}, "/api/v2/auth_test", "GET", {}, False),
    ({"surface": "wishpost"}, "/wishpost/api/v2/auth_test", "POST", {}, True),
    ({"surface": "wishpost"}, "/api/v2/auth_test", "GET", {}, False),
    ({"surface": "wishpost-oauth"}, "/wishpost/api/v3/oauth/test", "GET", {}, True),
    ({"surface": "wishpost-oauth"}, "/wishpost/api/v3/orders_bag", "GET", {}, False),
    ({"method": "GET"}, "/api/v2/auth_test", "GET", {}, True),
    ({"method": "GET"}, "/api/v2/auth_test", "POST", {}, False),
    ({"method": "post"}, "/api/v2/auth_test", "POST", {}, True),  # upper-cased when stored
    ({"path": "/api/v2/order"}, "/api/v2/order", "GET", {}, True),
    ({"path": "/api/v2/order"}, "/api/v2/order/get-fulfill", "GET", {}, False),
    ({"path": "/api/v2/product*"}, "/api/v2/product/multi-get", "GET", {}, True),
    ({"path": "/api/v2/product*"}, "/api/v2/product", "GET", {}, True),
    ({"path": "/api/v2/product*"}, "/v2/product/update", "POST", {}, True),  # the /v2 alias
    ({"path": "/api/v2/product*"}, "/api/v2/variant", "GET", {}, False),
    ({"path": "/api/v2/order"}, "/v2/order", "GET", {}, True),
    ({"path": "/v2/order"}, "/v2/order", "GET", {}, True),
    ({"path": "/v2/order"}, "/api/v2/order", "GET", {}, False),  # the alias names itself only
    ({"path": "/api/v2/ord?r"}, "/api/v2/order", "GET", {}, True),
    ({"params": {"sku": "blue-shoe-11"}}, "/api/v2/variant", "GET", {"sku": "blue-shoe-11", "x": "1"}, True),
    ({"params": {"sku": "blue-shoe-11"}}, "/api/v2/variant", "GET", {"sku": "blue-shoe-10"}, False),
    ({"params": {"sku": "blue-shoe-11"}}, "/api/v2/variant", "GET", {}, False),
    ({"params": {"sku": "a", "inventory": "3"}}, "/api/v2/variant", "POST", {"sku": "a", "inventory": "4"}, False),
])
def test_matching(rule: dict[str, Any], path: str, method: str, params: dict[str, str], fires: bool) -> None:
    faults = Faults()
    faults.add(Effect(status=503), **rule)
    assert outcome(faults, scope(path, method), params) == ("status 503" if fires else "none")


def test_times_then_gone() -> None:
    faults = Faults()
    rule = faults.add(Effect(status=503), times=2)
    assert [outcome(faults, scope()) for _ in range(4)] == ["status 503", "status 503", "none", "none"]
    assert faults.rules == [] and rule.fired == 2


def test_until_removed() -> None:
    faults = Faults()
    rule = faults.add(Effect(code=1056))
    assert [outcome(faults, scope()) for _ in range(5)] == ["error 1056"] * 5
    assert rule.fired == 5 and rule.times is None
    assert faults.remove(rule.id) and not faults.remove(rule.id)
    assert outcome(faults, scope()) == "none"


def test_clear_all_or_a_tenants() -> None:
    faults = Faults()
    kept = faults.add(Effect(status=503), tenant=OTHER_ID)
    faults.add(Effect(status=503), tenant=MERCHANT_ID)
    anyone = faults.add(Effect(status=503))
    faults.clear(MERCHANT_ID)
    assert faults.rules == [kept, anyone]
    faults.clear()
    assert faults.rules == []


def test_ids_are_unique_and_never_reused() -> None:
    faults = Faults()
    first = faults.add(Effect(status=503)).id
    faults.clear()
    second = faults.add(Effect(status=503)).id
    assert first != second


def test_probability_follows_the_seeded_generator() -> None:
    faults = Faults(rng=random.Random(1))
    faults.add(Effect(status=503), probability=0.3)
    got = [outcome(faults, scope()) == "status 503" for _ in range(200)]
    draws = random.Random(1)
    assert got == [draws.random() < 0.3 for _ in range(200)]
    assert 0 < sum(got) < 200


def test_a_tiny_probability_and_a_certain_one() -> None:
    faults = Faults(rng=random.Random(1))
    tiny = faults.add(Effect(status=503), probability=1e-9)
    assert all(outcome(faults, scope()) == "none" for _ in range(500))
    assert tiny.fired == 0
    faults.clear()
    certain = faults.add(Effect(status=503), probability=1.0)
    assert all(outcome(faults, scope()) == "status 503" for _ in range(50))
    assert certain.fired == 50


def test_times_count_only_the_matches_that_fired() -> None:
    faults = Faults(rng=random.Random(7))
    rule = faults.add(Effect(status=503), probability=0.5, times=3)
    seen = [outcome(faults, scope()) for _ in range(100)]
    assert seen.count("status 503") == 3 and rule.fired == 3 and faults.rules == []


def test_latency_range_is_drawn_per_request() -> None:
    faults = Faults(rng=random.Random(3))
    faults.add(Effect(latency_ms=(200, 800)))
    drawn = []
    for _ in range(50):
        sc = scope()
        assert outcome(faults, sc) == "hit"
        hit = sc[SCOPE_KEY]
        assert 200 <= hit.latency_ms <= 800
        drawn.append(hit.latency_ms)
    assert len(set(drawn)) > 1
    fixed = Faults()
    fixed.add(Effect(latency_ms=(40, 40)))
    sc = scope()
    fixed.check(sc, {}, None, "merchant")
    assert sc[SCOPE_KEY].latency_ms == 40


def test_header_hit_and_its_source() -> None:
    faults = Faults()
    sc = scope(headers=[(b"mockwish-fault", b"status=503")])
    assert outcome(faults, sc) == "status 503"
    assert sc[SCOPE_KEY].source == "header"
    sc = scope(headers=[(b"mockwish-fault", b"code=1056")])
    assert outcome(faults, sc, surface="merchant") == "error 1056"
    sc = scope(headers=[(b"mockwish-fault", b"nothing=here")])
    assert outcome(faults, sc) == "none"


def test_the_header_comes_before_any_rule() -> None:
    faults = Faults()
    rule = faults.add(Effect(status=502))
    sc = scope(headers=[(b"mockwish-fault", b"status=504")])
    assert outcome(faults, sc) == "status 504" and rule.fired == 0


def test_header_only_beside_the_sandbox_token_when_one_is_set() -> None:
    faults = Faults()
    faults.header_token = "s3cret"
    assert outcome(faults, scope(headers=[(b"mockwish-fault", b"status=503")])) == "none"
    assert outcome(faults, scope(headers=[(b"mockwish-fault", b"status=503"),
                                          (b"x-sandbox-token", b"wrong")])) == "none"
    assert outcome(faults, scope(headers=[(b"x-sandbox-token", b"s3cret"),
                                          (b"mockwish-fault", b"status=503")])) == "status 503"


def test_codes_render_the_surfaces_entry() -> None:
    faults = Faults()
    faults.add(Effect(code=1000))
    with pytest.raises(WishError) as merchant:
        faults.check(scope(), {}, None, "merchant")
    assert merchant.value.definition.key == "invalid_param"
    with pytest.raises(WishError) as wishpost:
        faults.check(scope("/wishpost/api/v3/orders_bag"), {}, None, "wishpost")
    assert wishpost.value.definition.key == "wp_invalid_param"


def test_describe() -> None:
    faults = Faults()
    rule = faults.add(Effect(code=1056, latency_ms=(1, 9)), surface="merchant", method="get", path="/api/v2/product*",
                      params={"id": "x"}, probability=0.5)
    assert rule.describe() == {"id": rule.id, "surface": "merchant", "method": "GET", "path": "/api/v2/product*",
                               "params": {"id": "x"}, "code": 1056, "latency_ms": [1, 9], "times": None,
                               "probability": 0.5, "fired": 0}
    assert Hit(Effect(status=503), "fault-1").describe() == {"source": "fault-1", "status": 503}
    assert Hit(Effect(latency_ms=(5, 9), fault="drop"), "header", 7).describe() == {
        "source": "header", "fault": "drop", "latency_ms": [5, 9], "latency_applied_ms": 7}


def test_fault_status_response() -> None:
    for status, reason in ((500, "Internal Server Error"), (502, "Bad Gateway"), (503, "Service Unavailable"),
                           (504, "Gateway Timeout")):
        response = FaultStatus(status).response()
        assert response.status_code == status and response.body == f"{status} {reason}".encode()
        assert response.media_type == "text/plain"


# ---- send_with: the answer as ASGI messages ----------------------------------------------------------------

BODY = b'{"code":0,"data":{"a":"0123456789"},"message":""}'


def sent(hit: Hit | None, monkeypatch: pytest.MonkeyPatch) -> tuple[list[dict[str, Any]], list[float]]:
    """The messages `send_with` sends for BODY, and the delays it asked for (asyncio.sleep, recorded)."""
    messages: list[dict[str, Any]] = []
    delays: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        delays.append(seconds)

    async def send(message: Any) -> None:
        messages.append(message)

    async def receive() -> Any:
        return {"type": "http.disconnect"}

    monkeypatch.setattr(faults_module.asyncio, "sleep", fake_sleep)
    response = Response(BODY, media_type="application/json")
    asyncio.run(faults_module.send_with(hit, response, scope(), receive, send))
    return messages, delays


def _length(start: dict[str, Any]) -> int:
    return int(dict(start["headers"])[b"content-length"])


def test_send_with_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    messages, delays = sent(None, monkeypatch)
    assert delays == [] and b"".join(m.get("body", b"") for m in messages) == BODY


def test_send_with_latency(monkeypatch: pytest.MonkeyPatch) -> None:
    messages, delays = sent(Hit(Effect(latency_ms=(250, 250)), "header", 250), monkeypatch)
    assert delays == [0.25] and b"".join(m.get("body", b"") for m in messages) == BODY


def test_send_with_drop(monkeypatch: pytest.MonkeyPatch) -> None:
    messages, delays = sent(Hit(Effect(fault="drop"), "fault-1"), monkeypatch)
    assert delays == [] and [m["type"] for m in messages] == ["http.response.start"]
    assert messages[0]["status"] == 200 and _length(messages[0]) == len(BODY)  # promised, never sent


def test_send_with_truncate(monkeypatch: pytest.MonkeyPatch) -> None:
    messages, _ = sent(Hit(Effect(fault="truncate", latency_ms=(3, 3)), "fault-1", 3), monkeypatch)
    start, body = messages
    assert _length(start) == len(BODY)
    assert body["body"] == BODY[: len(BODY) // 2] and body["more_body"] is True  # and then nothing


def test_send_with_malformed(monkeypatch: pytest.MonkeyPatch) -> None:
    messages, _ = sent(Hit(Effect(fault="malformed"), "fault-1"), monkeypatch)
    start, body = messages
    assert body["body"] == BODY[: len(BODY) // 2] and body["more_body"] is False
    assert _length(start) == len(body["body"])  # well framed: a complete answer of a broken document
    assert [k for k, _ in start["headers"]].count(b"content-length") == 1
