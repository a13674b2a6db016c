"""HTTP tests of the account-level endpoints: /auth_test, /api/v3/oauth/test, /get-currency-code and /image
(Upload a Temporary Image), plus how every one of them treats tokens, locales and malformed input."""

from __future__ import annotations

import base64
import os
import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from starlette.testclient import TestClient

from mockwish.errors import message
from support import DEFAULT_TOKEN, SECOND_TOKEN, WORLDWIDE_TOKEN, Wish, assert_envelope_error

OBJECT_ID = re.compile(r"^[0-9a-f]{24}$")
# the docs: "http://merchant.wish.com/static/tmp-uploads/12345678901234567890123456789012.jpg?v=e3456"
IMAGE_URL = re.compile(r"^http://testserver/static/tmp-uploads/(?P<id>[0-9a-f]{32})\.jpg\?v=[0-9a-f]{5}$")
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 8 + b"\xff\xd9"  # has '+' and '/' in base64
MB = 1024 * 1024
MERCHANTS = {  # token -> (username, localized currency, payment currency)
    DEFAULT_TOKEN: ("merchant@example.com", "CNY", "USD"),
    SECOND_TOKEN: ("second@example.com", "CNY", "CNY"),
    WORLDWIDE_TOKEN: ("worldwide@example.com", "USD", "USD"),
}
ENDPOINTS = ("/api/v2/auth_test", "/api/v3/oauth/test", "/api/v2/get-currency-code", "/api/v2/image")


def upload(w: Wish, image: str, method: str = "POST") -> str:
    data = w.ok("image", method, image=image)
    assert set(data) == {"url"} and IMAGE_URL.match(data["url"]), data
    return data["url"]  # type: ignore[no-any-return]


def fetch(client: TestClient, url: str) -> bytes:
    r = client.get(url)
    assert r.status_code == 200 and r.headers["content-type"] == "image/jpeg", (r.status_code, r.text[:200])
    return r.content





# ---- /auth_test and /api/v3/oauth/test -----------------------------------------------------------------

@pytest.mark.parametrize("token", list(MERCHANTS))
def test_auth_test_names_the_tokens_merchant(client: TestClient, token: str) -> None:
    w = Wish(client, token)
    data = w.ok("auth_test", "GET")
    # the CS model of the v2 docs: {"merchant_username", "merchant_id", "success": true}
    assert set(data) == {"merchant_username", "merchant_id", "success"}
    assert data["merchant_username"] == MERCHANTS[token][0] and data["success"] is True
    assert OBJECT_ID.match(data["merchant_id"])
    for path, method in (("auth_test", "POST"), ("/v2/auth_test", "GET"), ("/v2/auth_test", "POST")):
        assert w.ok(path, method) == data
    assert w.call("auth_test", "GET", bearer=True).json()["data"] == data
    # the v3 token test answers the same merchant id, with the token as Bearer header or as access_token
    assert w.call("/api/v3/oauth/test", "GET", bearer=True).json() == {"code": 0, "data": {
        "merchant_id": data["merchant_id"]}, "message": ""}
    assert w.ok("/api/v3/oauth/test", "GET") == {"merchant_id": data["merchant_id"]}
    assert w.ok("/api/v3/oauth/test", "POST") == {"merchant_id": data["merchant_id"]}


def test_merchants_are_distinct(client: TestClient) -> None:
    ids = {Wish(client, t).ok("auth_test")["merchant_id"] for t in MERCHANTS}
    assert len(ids) == len(MERCHANTS)


def test_auth_test_xml(wish: Wish) -> None:
    r = wish.call("auth_test", "GET", format="xml")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/xml")
    assert "<merchant_username>merchant@example.com</merchant_username>" in r.text and "<code>0</code>" in r.text


# ---- /get-currency-code --------------------------------------------------------------------------------

def test_currency_code_docs_example(wish: Wish) -> None:
    r = wish.call("get-currency-code")
    assert r.status_code == 200 and r.json() == {"message": "", "code": 0, "data": {
        "localized_currency_code": "CNY", "payment_currency_code": "USD", "product_boost_currency_code": "USD"}}
    assert wish.ok("get-currency-code", "GET") == r.json()["data"]
    assert wish.ok("/v2/get-currency-code", "GET") == r.json()["data"]


@pytest.mark.parametrize("token", [SECOND_TOKEN, WORLDWIDE_TOKEN])
def test_currency_code_per_merchant(client: TestClient, token: str) -> None:
    _, localized, payment = MERCHANTS[token]
    assert Wish(client, token).ok("get-currency-code", "GET") == {
        "localized_currency_code": localized, "payment_currency_code": payment,
        "product_boost_currency_code": payment}


def test_currency_code_agrees_with_variant_prices(wish: Wish, other: Wish) -> None:
    """The currency the docs tell merchants to send as localized_currency_code is the one variations show."""
    for w in (wish, other):
        codes = w.ok("get-currency-code")
        v = w.ok("variant/multi-get", "GET", limit="1")[0]["Variant"]
        assert v["localized_currency_code"] == codes["localized_currency_code"]
        assert (v["price"] == "999999") == (codes["payment_currency_code"] != "USD")


# ---- /image --------------------------------------------------------------------------------------------

def test_image_docs_example(wish: Wish, client: TestClient) -> None:
    url = upload(wish, "ABCD1234abcd")
    assert fetch(client, url) == base64.b64decode("ABCD1234abcd")


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_image_round_trip(wish: Wish, client: TestClient, method: str) -> None:
    encoded = base64.b64encode(JPEG).decode()
    assert "+" in encoded and "/" in encoded
    url = upload(wish, encoded, method)
    assert fetch(client, url) == JPEG
    # the URL is a plain link: no token needed, and the cache-buster may be left out
    assert fetch(client, urlsplit(url).path) == JPEG
    # every upload gets its own URL, even of the same image
    again = upload(wish, encoded, method)
    assert IMAGE_URL.match(again)["id"] != IMAGE_URL.match(url)["id"]  # type: ignore[index]


@pytest.mark.parametrize("variant", ["urlsafe", "no padding", "line breaks", "data uri", "unencoded plus",
                                     "json body", "bearer", "v2 alias"])
def test_image_lenient_encodings(wish: Wish, client: TestClient, variant: str) -> None:
    """What clients commonly send instead of the docs' form-encoded standard base64; each decodes to the
    image that was meant."""
    std = base64.b64encode(JPEG).decode()
    if variant == "urlsafe":
        url = upload(wish, base64.urlsafe_b64encode(JPEG).decode())
    elif variant == "no padding":
        url = upload(wish, std.rstrip("="))
    elif variant == "line breaks":
        url = upload(wish, "\r\n".join(std[i:i + 76] for i in range(0, len(std), 76)))
    elif variant == "data uri":
        url = upload(wish, "data:image/jpeg;base64," + std)
    elif variant == "unencoded plus":  # the docs warn to URL-encode; a '+' sent raw arrives as a space
        r = client.post("/api/v2/image", content=f"access_token={DEFAULT_TOKEN}&image={std}".encode(),
                        headers={"content-type": "application/x-www-form-urlencoded"})
        url = r.json()["data"]["url"]
    elif variant == "json body":
        r = client.post("/api/v2/image", json={"access_token": DEFAULT_TOKEN, "image": std})
        url = r.json()["data"]["url"]
    elif variant == "bearer":
        r = wish.call("image", bearer=True, image=std)
        url = r.json()["data"]["url"]
    else:
        url = wish.ok("/v2/image", image=std)["url"]
    assert IMAGE_URL.match(url), url
    assert fetch(client, url) == JPEG


@pytest.mark.parametrize(("image", "code", "data", "msg"), [
    (None, 1001, "image", message("missing_param", param="image")),
    ("", 1001, "image", message("missing_param", param="image")),
    ("   ", 1001, "image", message("missing_param", param="image")),
    ("!!!not base64!!!", 1000, {}, message("invalid_image")),
    ("A", 1000, {}, message("invalid_image")),  # one character cannot be base64 of anything
    ("====", 1000, {}, message("invalid_image")),
    ("ABCD$EFG", 1000, {}, message("invalid_image")),
    ("图片", 1000, {}, message("invalid_image")),
    ("data:image/jpeg;base64,", 1000, {}, message("invalid_image")),
])
def test_image_errors(wish: Wish, image: str | None, code: int, data: Any, msg: str) -> None:
    body = wish.err("image", code, 400, image=image)
    assert body["data"] == data and body["message"] == msg


def test_image_at_most_5_mb(wish: Wish, client: TestClient) -> None:
    # "The maximum size of the image is 5 MB."  (zero bytes encode to 'A's: no URL-encoding growth)
    body = wish.err("image", 1000, 400, image=base64.b64encode(bytes(5 * MB + 1)).decode())
    assert body["message"] == message("image_too_large") == "The maximum size of the image is 5 MB"
    url = upload(wish, base64.b64encode(bytes(5 * MB)).decode())
    assert len(fetch(client, url)) == 5 * MB


def test_image_over_5_mb_gets_the_documented_message(wish: Wish) -> None:
    photo = base64.b64encode(os.urandom(6 * MB)).decode()
    r = wish.call("image", image=photo)
    body = assert_envelope_error(r)
    assert (r.status_code, body["message"]) == (400, message("image_too_large"))


def test_image_too_big_for_any_body_is_still_a_wish_error(client: TestClient) -> None:
    r = client.post("/api/v2/image", json={"access_token": DEFAULT_TOKEN, "image": "A" * (9 * MB)})
    body = assert_envelope_error(r)
    assert body["code"] == 1000


def test_image_kept_for_two_weeks(wish: Wish, client: TestClient, advance: Any) -> None:
    # "The image will be removed after 2 weeks."
    url = upload(wish, "ABCD1234abcd")
    advance(14 * 86400 - 60)
    assert fetch(client, url) == base64.b64decode("ABCD1234abcd")
    advance(120)
    r = client.get(url)
    assert r.status_code == 404 and r.json()["code"] == 1004


def test_unknown_image_links_404(client: TestClient) -> None:
    for name in ("0" * 32 + ".jpg", "not-an-id.jpg", "0" * 32):
        r = client.get("/static/tmp-uploads/" + name)
        assert r.status_code == 404 and r.json()["code"] == 1004, name


def test_image_of_each_merchant(wish: Wish, other: Wish, client: TestClient) -> None:
    mine, theirs = upload(wish, "ABCD1234abcd"), upload(other, base64.b64encode(JPEG).decode())
    assert fetch(client, mine) != fetch(client, theirs) == JPEG  # a link works for whoever holds it, as on S3


# ---- authentication, locale, malformed input -----------------------------------------------------------

@pytest.mark.parametrize("path", ENDPOINTS)
def test_unauthenticated(wish: Wish, client: TestClient, path: str) -> None:
    # the v3 surface answers with its own codes: 1012 missing token, 1006 unknown token
    v3 = path.startswith("/api/v3/")
    missing = (1012, "Missing access token in authorization header") if v3 else (4000, "Unauthorized Request")
    unknown = (1006, "No access token found or the app does not exist") if v3 else (4000, "Unauthorized Request")
    for token in ("", "nope", DEFAULT_TOKEN.upper(), f" {DEFAULT_TOKEN}x "):
        r = wish.call(path, "GET", token=token, image="ABCD1234abcd")
        body = assert_envelope_error(r)
        code, text = missing if token == "" else unknown
        assert (r.status_code, body["code"], body["data"], body["message"]) == (401, code, {}, text), token
    for header in ("Bearer nope", "Bearer ", "Token " + DEFAULT_TOKEN, DEFAULT_TOKEN):
        r = client.post(path, data={"image": "ABCD1234abcd"}, headers={"Authorization": header})
        assert r.status_code == 401 and r.json()["code"] in ((1012, 1006) if v3 else (4000,)), header
    # a token with surrounding blanks is still the token (copy-pasted from a dashboard)
    assert wish.call(path, "GET", token=f" {DEFAULT_TOKEN} ", image="ABCD1234abcd").json()["code"] == 0


@pytest.mark.parametrize("locale", ["zh", "fr", "de", "en"])
def test_locale(wish: Wish, locale: str) -> None:
    body = wish.err("auth_test", 4000, 401, "GET", token="nope", locale=locale)
    assert body["message"] == message("unauthorized", locale)
    body = wish.err("image", 1000, 400, image="!!!", locale=locale)
    assert body["message"] == message("invalid_image", locale)
    body = wish.err("image", 1001, 400, locale=locale)
    assert body["message"] == message("missing_param", locale, param="image")
    assert wish.ok("auth_test", "GET", locale=locale)["success"] is True  # a locale never breaks a success


@pytest.mark.parametrize("path", ENDPOINTS)
def test_malformed_input(client: TestClient, path: str) -> None:
    for params in ({"format": "yaml"}, {"locale": "\x00"}, {"image": "\x00"}, {"image": "x" * 3000},
                   {"access_token": [DEFAULT_TOKEN]}, {"image": ["ABCD"]}, {"image": 1234}, {"image": None}):
        payload = {"access_token": DEFAULT_TOKEN, "image": "ABCD1234abcd", **params}
        for r in (client.post(path, json=payload), client.post(path, data={
                k: v if isinstance(v, str) else str(v) for k, v in payload.items()})):
            assert r.status_code < 500, (path, params, r.text[:200])
            body = r.json()
            assert set(body) >= {"code", "data", "message"} and "detail" not in body, body
            if r.status_code != 200:
                assert_envelope_error(r)
    for body_bytes in (b"{not json", b"[1]", b"\xff\xfe"):
        r = client.post(path, content=body_bytes, headers={"content-type": "application/json"})
        assert assert_envelope_error(r)["code"] in (1000, 4000)
