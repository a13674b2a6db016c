"""The shared Merchant v2 wire: parameter sources, envelopes, XML, errors, paging, headers."""

from __future__ import annotations

import json
from xml.etree import ElementTree

import pytest
from starlette.testclient import TestClient

from support import DEFAULT_TOKEN, Wish

DOC_PRODUCT = "4ef2858a9795c776ce000120"


def _auth_test_ok(r) -> None:  # noqa: ANN001
    body = r.json()
    assert r.status_code == 200 and body["code"] == 0, body
    assert body["data"]["merchant_username"] == "merchant@example.com"


class TestParameterSources:
    def test_query_string(self, client: TestClient) -> None:
        _auth_test_ok(client.get("/api/v2/auth_test", params={"access_token": DEFAULT_TOKEN}))

    def test_urlencoded_form(self, client: TestClient) -> None:
        _auth_test_ok(client.post("/api/v2/auth_test", data={"access_token": DEFAULT_TOKEN}))

    def test_multipart_form_like_the_php_sdk(self, client: TestClient) -> None:
        r = client.post("/api/v2/product", files={"access_token": (None, DEFAULT_TOKEN), "id": (None, DOC_PRODUCT)})
        assert r.json()["data"]["Product"]["id"] == DOC_PRODUCT

    def test_json_body(self, client: TestClient) -> None:
        r = client.post("/api/v2/product", json={"access_token": DEFAULT_TOKEN, "id": DOC_PRODUCT})
        assert r.json()["data"]["Product"]["id"] == DOC_PRODUCT

    def test_json_body_scalars_are_coerced(self, client: TestClient) -> None:
        r = client.post("/api/v2/product/multi-get", json={"access_token": DEFAULT_TOKEN, "limit": 3, "start": 0})
        assert len(r.json()["data"]) == 3

    def test_bearer_header(self, client: TestClient) -> None:
        _auth_test_ok(client.get("/api/v2/auth_test", headers={"Authorization": f"Bearer {DEFAULT_TOKEN}"}))

    def test_quoted_values_as_in_the_docs(self, wish: Wish) -> None:
        assert wish.ok("product", "GET", id=f"'{DOC_PRODUCT}'")["Product"]["id"] == DOC_PRODUCT

    def test_repeated_parameter_last_wins(self, client: TestClient) -> None:
        r = client.get(f"/api/v2/product?id=ffffffffffffffffffffffff&id={DOC_PRODUCT}&access_token={DEFAULT_TOKEN}")
        assert r.json()["data"]["Product"]["id"] == DOC_PRODUCT

    def test_body_wins_over_query(self, client: TestClient) -> None:
        r = client.post("/api/v2/product?id=ffffffffffffffffffffffff",
                        data={"id": DOC_PRODUCT, "access_token": DEFAULT_TOKEN})
        assert r.json()["data"]["Product"]["id"] == DOC_PRODUCT

    def test_v2_alias(self, client: TestClient) -> None:
        _auth_test_ok(client.get("/v2/auth_test", params={"access_token": DEFAULT_TOKEN}))


class TestBadBodies:
    @pytest.mark.parametrize(("content", "ctype"), [
        (b"{not json", "application/json"),
        (b"[1, 2]", "application/json"),
        (b"\xff\xfe\x00garbage", "application/json"),
        (b"--xx\r\nbroken", "multipart/form-data"),  # no boundary
    ])
    def test_unreadable_body_is_a_wish_error(self, client: TestClient, content: bytes, ctype: str) -> None:
        r = client.post(f"/api/v2/auth_test?access_token={DEFAULT_TOKEN}", content=content,
                        headers={"content-type": ctype})
        body = r.json()
        assert r.status_code == 400 and body["code"] == 1000 and body["message"], body

    def test_body_too_large(self, client: TestClient, app) -> None:  # noqa: ANN001
        limit = app.state.ctx.settings.max_body_bytes
        r = client.post("/api/v2/auth_test", content=b"a=" + b"x" * (limit + 1),
                        headers={"content-type": "application/x-www-form-urlencoded"})
        assert r.status_code == 413 and r.json()["code"] == 1000

    def test_binary_urlencoded_is_read_leniently(self, client: TestClient) -> None:
        r = client.post("/api/v2/auth_test", content=b"access_token=" + DEFAULT_TOKEN.encode() + b"&x=\xff\xfe",
                        headers={"content-type": "application/x-www-form-urlencoded"})
        _auth_test_ok(r)


class TestEnvelopeAndErrors:
    def test_request_id_on_every_response(self, client: TestClient) -> None:
        ids = set()
        for path in ("/api/v2/auth_test", "/api/v2/nowhere", "/healthz", "/sandbox/api/clock"):
            rid = client.get(path).headers.get("wish-request-id")
            assert rid and len(rid) == 32
            ids.add(rid)
        assert len(ids) == 4

    def test_missing_token(self, client: TestClient) -> None:
        r = client.get("/api/v2/auth_test")
        assert r.status_code == 401
        assert r.json() == {"code": 4000, "data": {}, "message": "Unauthorized Request"} or r.json()["code"] == 4000

    def test_unknown_token(self, wish: Wish) -> None:
        wish.err("auth_test", 4000, 401, token="not-a-token")

    @pytest.mark.parametrize("locale", ["zh", "fr", "de"])
    def test_locale_translates_messages(self, wish: Wish, locale: str) -> None:
        en = wish.err("product", 1001, 400, "GET")["message"]
        other = wish.err("product", 1001, 400, "GET", locale=locale)["message"]
        assert other != en

    def test_unknown_locale_falls_back(self, wish: Wish) -> None:
        en = wish.err("product", 1001, 400, "GET")["message"]
        assert wish.err("product", 1001, 400, "GET", locale="xx")["message"] == en

    def test_unknown_endpoint(self, client: TestClient) -> None:
        r = client.get("/api/v2/product/teleport")
        assert r.status_code == 404 and r.json()["code"] == 1004

    def test_method_not_allowed_lists_get_and_post(self, client: TestClient) -> None:
        r = client.delete("/api/v2/product")
        assert r.status_code == 405 and r.json()["code"] == 1000
        assert r.headers["allow"] == "GET, POST"

    def test_bad_format(self, wish: Wish) -> None:
        wish.err("auth_test", 1000, 400, "GET", format="yaml")


class TestXml:
    def test_success_as_xml(self, wish: Wish) -> None:
        r = wish.call("product", "GET", id=DOC_PRODUCT, format="xml")
        assert r.status_code == 200 and r.headers["content-type"].startswith("application/xml")
        root = ElementTree.fromstring(r.content)
        assert root.tag == "Response"
        assert root.findtext("code") == "0"
        assert root.findtext("data/Product/id") == DOC_PRODUCT
        assert root.findtext("data/Product/variants/Variant/sku") == "Bottle"

    def test_error_as_xml(self, wish: Wish) -> None:
        r = wish.call("product", "GET", id="ffffffffffffffffffffffff", format="xml")
        root = ElementTree.fromstring(r.content)
        assert r.status_code >= 400 and root.findtext("code") == "1004"


class TestPaging:
    def test_links_repeat_the_callers_parameters(self, wish: Wish) -> None:
        r = wish.call("product/multi-get", "GET", start=2, limit=2, since="2014-10-15")
        paging = r.json()["paging"]
        assert paging["next"].startswith("http://testserver/api/v2/product/multi-get?")
        assert "start=4" in paging["next"] and "limit=2" in paging["next"]
        assert "since=2014-10-15" in paging["next"] and f"access_token={DEFAULT_TOKEN}" in paging["next"]
        assert "start=0" in paging["previous"] and "prev" not in paging

    def test_first_page_has_no_back_link_and_last_page_no_next(self, wish: Wish) -> None:
        first = wish.call("product/multi-get", "GET", start=0, limit=2).json()
        assert set(first["paging"]) == {"next"}  # no back link (`previous` nor `prev`) on the first page
        last = wish.call("product/multi-get", "GET", start=10000, limit=2).json()
        assert last["data"] == [] and "next" not in (last.get("paging") or {})

    def test_following_next_walks_every_product_once(self, wish: Wish, client: TestClient) -> None:
        seen: list[str] = []
        url = f"/api/v2/product/multi-get?limit=50&access_token={DEFAULT_TOKEN}"
        while url:
            body = client.get(url).json()
            seen += [p["Product"]["id"] for p in body["data"]]
            url = (body.get("paging") or {}).get("next", "")
        assert len(seen) == len(set(seen)) and DOC_PRODUCT in seen

    def test_v2_alias_links_stay_on_the_alias(self, client: TestClient) -> None:
        body = client.get(f"/v2/product/multi-get?limit=1&access_token={DEFAULT_TOKEN}").json()
        assert "/v2/product/multi-get?" in body["paging"]["next"]
        assert "/api/v2/" not in body["paging"]["next"]


def test_openapi_declares_every_operation(client: TestClient) -> None:
    doc = client.get("/openapi.json").json()
    paths = doc["paths"]
    for path in ("/api/v2/product", "/api/v2/product/update-multi-shipping", "/api/v2/variant/bulk-sku-update",
                 "/api/v2/auth_test", "/api/v3/oauth/test", "/sandbox/api/clock", "/healthz"):
        assert path in paths, path
    op = paths["/api/v2/product"]["get"]
    assert {"200", "400", "401"} <= set(op["responses"])
    assert op["x-wish-scope"] == "products:read"
    assert "422" not in json.dumps(doc["paths"]).replace('"4220', "")


def test_openapi_paging_declares_previous(client: TestClient) -> None:
    """The back link is `previous` (the docs' example responses); `prev` is the name the setting can choose
    instead, never sent beside it."""
    ok = client.get("/openapi.json").json()["paths"]["/api/v2/product/multi-get"]["get"]["responses"]["200"]
    paging = ok["content"]["application/json"]["schema"]["properties"]["paging"]
    assert set(paging["properties"]) == {"next", "previous", "prev"}
    assert "default" in paging["properties"]["previous"]["description"]
    assert "MOCKWISH_PAGING_BACK_LINK=prev" in paging["properties"]["prev"]["description"]
    assert paging["not"] == {"required": ["previous", "prev"]}
