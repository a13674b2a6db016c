"""WishPost OAuth through HTTP only: apps, the authorize page, codes, the new (JSON) and old (XML) token
endpoints, refresh, revocation, expiry, scopes, the second port, and every error with code, message, status."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit
from xml.etree import ElementTree

import pytest
from fastapi import FastAPI
from starlette.testclient import TestClient
from wishpost_support import DEFAULT_WISHPOST_TOKEN, SECOND_WISHPOST_TOKEN, basic, bearer, user_id

from mockwish.app import create_app as create_mockwish
from mockwish.config import Settings
from mockwish.errors import message
from mockwish.wishpost.scopes import WISHPOST_SCOPES

CALLBACK = "https://erp.example.com/wishpost/callback"
TEST = "/wishpost/api/v3/oauth/test"
_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')
BEIJING_TS = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$")


def create_app(client: TestClient, **extra: object) -> dict[str, object]:
    r = client.post("/sandbox/api/wishpost/apps", json={"name": "Parcel ERP", "redirect_uri": CALLBACK, **extra})
    assert r.status_code == 200, r.text
    return r.json()


def form_fields(html: str) -> dict[str, str]:
    return dict(_HIDDEN.findall(html))


def walk_page(client: TestClient, app: dict[str, object], *, decision: str = "confirm", state: str = "all",
              path: str = "/wishpost/v3/oauth/authorize", scope: str | None = "user.order.read user.tracking.read",
              username: str = "wishpost@example.com") -> dict[str, list[str]]:
    params = {"response_type": "code", "client_id": app["client_id"], "state": state, "force_login": "false"}
    if scope:
        params["scope"] = scope
    page = client.get(path, params=params)
    assert page.status_code == 200 and "Sign in to authorize Parcel ERP" in page.text, page.text
    login = client.post(path, data={**form_fields(page.text), "action": "login", "username": username,
                                     "password": "sandbox-password"})
    assert login.status_code == 200 and "Parcel ERP requests access to your WishPost account" in login.text
    assert username in login.text
    done = client.post(path, data={**form_fields(login.text), "decision": decision}, follow_redirects=False)
    assert done.status_code == 303
    target = urlsplit(done.headers["location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == CALLBACK
    return parse_qs(target.query)


def exchange(client: TestClient, app: dict[str, object], code: str, *,
             path: str = "/wishpost/api/v3/oauth/access_token", secret: str | None = None, **over: str):  # noqa: ANN201
    params = {"client_id": app["client_id"], "code": code, "grant_type": "authorization_code",
              "redirect_uri": app["redirect_uri"], **over}
    return client.get(path, params=params, headers=basic(app, secret))


def refresh(client: TestClient, app: dict[str, object], token: str, **over: str):  # noqa: ANN201
    data = {"client_id": app["client_id"], "grant_type": "refresh_token", "refresh_token": token, **over}
    return client.post("/wishpost/api/v3/oauth/refresh_token", data=data, headers=basic(app))


def mint(client: TestClient, token: str = DEFAULT_WISHPOST_TOKEN, **body: object) -> dict[str, object]:
    r = client.post("/sandbox/api/wishpost/oauth/codes", json=body or None, headers=bearer(token))
    assert r.status_code == 200, r.text
    return r.json()


def expect(r, status: int, code: int, key: str | None = None, locale: str = "en", **params: object) -> None:  # noqa: ANN001
    body = r.json()
    assert (r.status_code, body["code"]) == (status, code), (r.status_code, body)
    assert BEIJING_TS.match(body["timestamp"]) and set(body) == {"timestamp", "message", "code"}, body
    if key is not None:
        assert body["message"] == message(key, locale, **params), body


def test_full_wishpost_flow_over_http(client: TestClient) -> None:
    app = create_app(client)
    query = walk_page(client, app)
    assert query["state"] == ["all"] and re.fullmatch(r"[0-9a-f]{32}", query["code"][0])
    r = exchange(client, app, query["code"][0])
    body = r.json()
    assert r.status_code == 200 and body["code"] == 0 and body["message"] == "" and BEIJING_TS.match(body["timestamp"])
    uid = user_id(client, DEFAULT_WISHPOST_TOKEN)
    assert body["username"] == "wishpost@example.com" and body["user_id"] == uid
    assert body["scopes"] == ["user.order.read", "user.tracking.read"]
    assert body["expires_in"] == body["access_token_expires_in"] == 30 * 86400
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", body["expiry_time"])
    assert body["access_token_expiry_time"] == body["expiry_time"]
    assert body["data"] == {k: body[k] for k in ("username", "user_id", "scopes", "access_token", "refresh_token",
                                                 "expires_in", "expiry_time")}
    test = client.get(TEST, headers=bearer(body["access_token"])).json()
    assert test["code"] == 0 and test["data"]["user_id"] == uid

    renewed = refresh(client, app, body["refresh_token"]).json()
    assert renewed["code"] == 0 and renewed["access_token"] != body["access_token"]
    assert renewed["scopes"] == body["scopes"]
    expect(client.get(TEST, headers=bearer(body["access_token"])), 401, 1008, "wp_token_revoked")

    client.post("/sandbox/api/clock", json={"advance_seconds": 31 * 86400})
    expect(client.get(TEST, headers=bearer(renewed["access_token"])), 401, 1007, "wp_token_expired")
    again = refresh(client, app, renewed["refresh_token"]).json()
    assert client.get(TEST, headers=bearer(again["access_token"])).json()["data"]["user_id"] == uid
    # the seeded long-lived token never expires
    assert client.get(TEST, headers=bearer(DEFAULT_WISHPOST_TOKEN)).json()["code"] == 0


def test_decline_redirects_without_a_code(client: TestClient) -> None:
    query = walk_page(client, create_app(client), decision="decline")
    assert "code" not in query and query["error"] == ["access_denied"] and query["state"] == ["all"]


@pytest.mark.parametrize("path", ["/wishpost/oauth_v3/authorize", "/wishpost/oauth/authorize"])
def test_other_authorize_paths(client: TestClient, path: str) -> None:
    app = create_app(client)
    query = walk_page(client, app, path=path, scope=None, username="wishpost2@example.com")
    body = exchange(client, app, query["code"][0]).json()
    assert body["user_id"] == user_id(client, SECOND_WISHPOST_TOKEN) and body["scopes"] == list(WISHPOST_SCOPES)


def test_authorize_page_errors(client: TestClient) -> None:
    r = client.get("/wishpost/v3/oauth/authorize", params={"response_type": "code", "client_id": "f" * 24})
    assert r.status_code == 404 and "No app has the client_id" in r.text
    app = create_app(client)
    r = client.get("/wishpost/v3/oauth/authorize", params={"client_id": app["client_id"]})
    assert r.status_code == 400 and "response_type is required" in r.text
    r = client.get("/wishpost/v3/oauth/authorize", params={"response_type": "code", "client_id": app["client_id"],
                                                          "scope": "user.order.read products:read"})
    assert r.status_code == 400 and "Unknown scope &#39;products:read&#39;" in r.text
    r = client.get("/wishpost/oauth/authorize", params={"client_id": app["client_id"], "redirect_uri": "https://x.test/"})
    assert r.status_code == 400 and "redirect_uri does not match" in r.text
    # a merchant's app is not a WishPost app, and merchants cannot sign in here
    merchant_app = client.get("/sandbox/api/apps").json()[0]
    r = client.get("/wishpost/oauth/authorize", params={"client_id": merchant_app["client_id"]})
    assert r.status_code == 404
    page = client.get("/wishpost/oauth/authorize", params={"client_id": app["client_id"]})
    wrong = client.post("/wishpost/oauth/authorize", data={**form_fields(page.text), "action": "login",
                                                           "username": "merchant@example.com",
                                                           "password": "sandbox-password"})
    assert wrong.status_code == 401 and "Incorrect username or password" in wrong.text


def test_force_login_asks_again(client: TestClient) -> None:
    app = create_app(client)
    walk_page(client, app)
    params = {"response_type": "code", "client_id": app["client_id"]}
    assert "requests access" in client.get("/wishpost/v3/oauth/authorize", params=params).text  # signed in
    forced = client.get("/wishpost/v3/oauth/authorize", params={**params, "force_login": "true"})
    assert "Sign in to authorize" in forced.text


class TestTokenErrors:
    def test_code_reused_and_expired(self, client: TestClient) -> None:
        minted = mint(client)
        assert exchange(client, minted, minted["code"]).status_code == 200
        expect(exchange(client, minted, minted["code"]), 400, 1010, "wp_code_redeemed")
        minted = mint(client)
        client.post("/sandbox/api/clock", json={"advance_seconds": 301})
        expect(exchange(client, minted, minted["code"]), 400, 1009, "wp_code_expired")

    def test_client_credentials(self, client: TestClient) -> None:
        minted = mint(client)
        expect(exchange(client, minted, minted["code"], secret="0" * 32), 401, 4000, "wp_bad_client")
        r = client.get("/wishpost/api/v3/oauth/access_token", params={"code": minted["code"]},
                       headers={"Authorization": "Basic !!notbase64"})
        expect(r, 401, 1102, "wp_bad_auth_header")
        r = client.get("/wishpost/api/v3/oauth/access_token", params={"code": minted["code"]})
        expect(r, 400, 1001, "wp_missing_param", param="client_id")
        expect(exchange(client, minted, "0" * 32), 401, 4000, "wp_bad_code")
        # still unused: the failures above did not spend it
        assert exchange(client, minted, minted["code"]).status_code == 200

    def test_wrong_redirect_uri_and_missing_code(self, client: TestClient) -> None:
        minted = mint(client)
        expect(exchange(client, minted, minted["code"], redirect_uri="https://other.test/"), 400, 1000,
               "wp_bad_redirect")
        r = client.post("/wishpost/api/v3/oauth/access_token", data={"grant_type": "authorization_code"},
                        headers=basic(minted))
        expect(r, 400, 1001, "wp_missing_param", param="code")

    def test_refresh_token_once(self, client: TestClient) -> None:
        minted = mint(client)
        tokens = exchange(client, minted, minted["code"]).json()
        assert refresh(client, minted, tokens["refresh_token"]).status_code == 200
        expect(refresh(client, minted, tokens["refresh_token"]), 401, 4000, "wp_bad_refresh")

    def test_zh_locale(self, client: TestClient) -> None:
        minted = mint(client)
        exchange(client, minted, minted["code"])
        r = exchange(client, minted, minted["code"], locale="zh")
        expect(r, 400, 1010, "wp_code_redeemed", "zh")
        assert r.json()["message"] == "授权码已被使用"
        r = client.get(TEST, params={"locale": "zh_CN"}, headers=bearer("f" * 32))
        assert r.json()["message"] == "访问令牌不存在"

    def test_token_test_errors(self, client: TestClient) -> None:
        expect(client.get(TEST), 400, 1001, "wp_missing_param", param="access_token")
        expect(client.get(TEST, headers=bearer("nope")), 401, 1020, "wp_token_unknown")
        expect(client.get(TEST, headers={"Authorization": "Token abc"}), 401, 1102, "wp_bad_auth_header")
        # a merchant token is not a WishPost token
        expect(client.get(TEST, headers=bearer("an_example_access_token")), 401, 1020)


def test_aliases_and_params_credentials(client: TestClient) -> None:
    minted = mint(client)
    creds = {"client_id": minted["client_id"], "client_secret": minted["client_secret"]}
    r = client.post("/wishpost/api/v3/access_token", data={**creds, "code": minted["code"],
                                                           "grant_type": "authorization_code"})
    tokens = r.json()
    assert r.status_code == 200 and tokens["code"] == 0
    # LB sends grant_type=authorization_code with a refresh_token: the parameters sent decide
    r = client.post("/wishpost/api/v3/access_token", json={**creds, "refresh_token": tokens["refresh_token"],
                                                           "grant_type": "authorization_code"})
    assert r.status_code == 200 and r.json()["access_token"] != tokens["access_token"]
    r = client.get("/wishpost/api/v3/access_token/refresh",
                   params={**creds, "refresh_token": r.json()["refresh_token"]})
    assert r.status_code == 200 and r.json()["code"] == 0


def test_insufficient_scope(client: TestClient) -> None:
    minted = mint(client, scopes=["user.order.read"])
    assert minted["scopes"] == ["user.order.read"]
    token = exchange(client, minted, minted["code"]).json()["access_token"]
    assert client.get(TEST, headers=bearer(token)).json()["code"] == 0  # needs no scope
    expect(client.post("/wishpost/api/v3/scopes", headers=bearer(token)), 403, 1103, "wp_insufficient_scope")
    xml = client.post("/wishpost/api/v2/auth_test", content=f"<root><access_token>{token}</access_token></root>")
    assert xml.status_code == 200 and ElementTree.fromstring(xml.content).findtext("status") == "1103"
    minted = mint(client, scopes=["user.scope.read"])
    token = exchange(client, minted, minted["code"]).json()["access_token"]
    scopes = client.post("/wishpost/api/v3/scopes", json={"scope_names": ["user.tracking.read"]},
                         headers=bearer(token)).json()["scopes"]
    assert [s["name"] for s in scopes] == ["user.tracking.read"] and "/api/v2/auth_test" in scopes[0]["apis"]


def _xml(r) -> dict[str, str]:  # noqa: ANN001
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/xml"), r.text
    root = ElementTree.fromstring(r.content)
    assert root.tag == "root" and re.fullmatch(r"\d{4}/\d\d/\d\d \d\d:\d\d:\d\d", root.findtext("timestamp") or "")
    return {child.tag: child.text or "" for child in root}


def test_old_xml_oauth(client: TestClient) -> None:
    minted = mint(client, scopes=["user.order.read"])
    doc = (f"<root><client_id>{minted['client_id']}</client_id><client_secret>{minted['client_secret']}"
           f"</client_secret><redirect_uri>{minted['redirect_uri']}</redirect_uri>"
           f"<grant_type>authorization_code</grant_type><code>{minted['code']}</code></root>")
    headers = {"Content-Type": "text/xml; charset=utf-8"}
    got = _xml(client.post("/wishpost/api/v2/oauth/access_token", content=doc, headers=headers))
    assert got["status"] == "0" and got["token_type"] == "access_token" and got["user_id"] == minted["user_id"]
    assert int(got["expires_in"]) == 30 * 86400 and int(got["expiry_time"]) > 1_700_000_000
    # old-OAuth tokens carry every scope: auth_test (user.tracking.read) answers
    test = _xml(client.post("/wishpost/api/v2/auth_test",
                            content=f"<root><access_token>{got['access_token']}</access_token></root>"))
    assert test["status"] == "0" and test["user_id"] == minted["user_id"]
    again = _xml(client.post("/wishpost/api/v2/oauth/access_token", content=doc, headers=headers))
    assert again["status"] == "1010" and again["error_message"] == message("wp_code_redeemed")
    assert re.fullmatch(r"[0-9a-f]{32}", again["error_ref_id"])
    renewed = _xml(client.post("/wishpost/api/v2/oauth/refresh_token", content=(
        f"<root><client_id>{minted['client_id']}</client_id><client_secret>{minted['client_secret']}</client_secret>"
        f"<refresh_token>{got['refresh_token']}</refresh_token><grant_type>refresh_token</grant_type></root>")))
    assert renewed["status"] == "0" and renewed["access_token"] != got["access_token"]
    old = _xml(client.post("/wishpost/api/v2/auth_test",
                           content=f"<root><access_token>{got['access_token']}</access_token></root>"))
    assert (old["status"], old["error_message"]) == ("1008", "The access token has been revoked")
    unknown = _xml(client.post("/wishpost/api/v2/auth_test", content="<root><access_token>x</access_token></root>"))
    assert (unknown["status"], unknown["error_message"]) == ("1", "Unauthorized Request")
    missing = _xml(client.post("/wishpost/api/v2/oauth/access_token", content="<root><code>x</code></root>"))
    assert (missing["status"], missing["error_message"]) == ("1001", "Required Param 'client_id' Missing")


@pytest.mark.parametrize("body", [
    b"<root><access_token>x</access_token>",  # not well-formed
    b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><root>&b;</root>',  # entities
    b"\xff\xfe<<<",
    b"<" * 5000,
])
def test_bad_xml_is_a_wishpost_error(client: TestClient, body: bytes) -> None:
    got = _xml(client.post("/wishpost/api/v2/oauth/access_token", content=body))
    assert got["status"] == "1101" and got["error_message"].startswith("Invalid Request Body")


def test_old_xml_refuses_get_with_4005(client: TestClient) -> None:
    r = client.get("/wishpost/api/v2/auth_test")
    assert r.status_code == 405 and r.json()["code"] == 4005 and r.headers["allow"] == "POST"
    r = client.get("/wishpost/api/v3/nothing")
    assert r.status_code == 404 and set(r.json()) == {"timestamp", "message", "code"}


@pytest.fixture(scope="module")
def small_app(tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    data: Path = tmp_path_factory.mktemp("wp-small")
    return create_mockwish(Settings(data_dir=data, products_per_merchant=0, max_body_bytes=2048, wishpost_port=8001,
                                    sandbox_allowed_hosts="testserver"))


def test_oversized_bodies(small_app: FastAPI) -> None:
    with TestClient(small_app) as c:
        got = _xml(c.post("/wishpost/api/v2/oauth/access_token", content=b"<root>" + b"a" * 4096 + b"</root>"))
        assert got["status"] == "1101" and "2048" in got["error_message"]
        r = c.post("/wishpost/api/v3/oauth/access_token", content=b"a=" + b"b" * 4096,
                   headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert (r.status_code, r.json()["code"]) == (413, 1101)


class PortClient:
    """Requests of a TestClient sent to another port of the same server."""

    def __init__(self, client: TestClient, base: str) -> None:
        self.client, self.base = client, base

    def get(self, path: str, **kw: Any) -> Any:
        return self.client.get(self.base + path, **kw)

    def post(self, path: str, **kw: Any) -> Any:
        return self.client.post(self.base + path, **kw)


def test_second_port_serves_wishpost_at_its_root(small_app: FastAPI) -> None:
    # one client (one serving loop, as `mockwish serve` runs both ports on one loop), two ports
    with TestClient(small_app) as main:
        wp = PortClient(main, "http://testserver:8001")
        r = wp.get("/api/v3/oauth/test", headers=bearer(DEFAULT_WISHPOST_TOKEN))
        assert r.status_code == 200 and r.json()["code"] == 0
        assert wp.get("/wishpost/api/v3/oauth/test", headers=bearer(DEFAULT_WISHPOST_TOKEN)).json()["code"] == 0
        assert wp.get("/sandbox/api/wishpost/users").status_code == 200 and wp.get("/healthz").status_code == 200
        app = wp.get("/sandbox/api/wishpost/apps").json()[0]
        page = wp.get("/v3/oauth/authorize", params={"response_type": "code", "client_id": app["client_id"]})
        assert page.status_code == 200 and "Sign in to authorize" in page.text
        login = wp.post("/v3/oauth/authorize", data={**form_fields(page.text), "action": "login",
                                                     "username": "wishpost@example.com",
                                                     "password": "sandbox-password"})
        assert "requests access to your WishPost account" in login.text
        doc = f"<root><access_token>{DEFAULT_WISHPOST_TOKEN}</access_token></root>"
        xml = wp.post("/api/v2/auth_test", content=doc)
        assert _xml(xml)["status"] == "0"
        missing = wp.get("/api/v3/nonexistent")
        assert missing.status_code == 404 and "'/api/v3/nonexistent'" in missing.json()["message"]  # as sent
        # the main port keeps the Merchant surface at its root
        assert main.get("/api/v3/oauth/test", headers=bearer(DEFAULT_WISHPOST_TOKEN)).json()["code"] == 1006


def test_sandbox_wishpost_control(client: TestClient) -> None:
    users = client.get("/sandbox/api/wishpost/users").json()
    assert [u["username"] for u in users] == ["wishpost@example.com", "wishpost2@example.com"]
    assert [u["tokens"] for u in users] == [[DEFAULT_WISHPOST_TOKEN], [SECOND_WISHPOST_TOKEN]]
    assert all(re.fullmatch(r"[0-9a-f]{24}", u["id"]) and u["password"] and u["display_name"] for u in users)
    seeded = client.get("/sandbox/api/wishpost/apps").json()
    assert len(seeded) == 1 and re.fullmatch(r"[0-9a-f]{32}", seeded[0]["client_secret"])
    app = create_app(client, scopes=["user.label.read"], public=False, user_id=users[1]["id"])
    assert app["user_id"] == users[1]["id"] and re.fullmatch(r"[0-9a-f]{24}", app["client_id"])
    # a private app: only its owner may be granted a code
    r = client.post("/sandbox/api/wishpost/oauth/codes", json={"client_id": app["client_id"]},
                    headers=bearer(DEFAULT_WISHPOST_TOKEN))
    assert r.status_code == 400
    minted = mint(client, SECOND_WISHPOST_TOKEN, client_id=app["client_id"])
    tokens = exchange(client, minted, minted["code"]).json()
    assert tokens["user_id"] == users[1]["id"] and tokens["scopes"] == ["user.label.read"]
    r = client.post(f"/sandbox/api/wishpost/apps/{app['client_id']}/revoke", json={"user_id": users[1]["id"]})
    assert r.json()["revoked_tokens"] == 1
    expect(client.get(TEST, headers=bearer(tokens["access_token"])), 401, 1008)
    expect(refresh(client, minted, tokens["refresh_token"]), 401, 4000, "wp_bad_refresh")
    assert client.delete(f"/sandbox/api/wishpost/apps/{app['client_id']}").json()["deleted"] is True
    assert client.delete(f"/sandbox/api/wishpost/apps/{app['client_id']}").status_code == 404
    for body in ({"name": "x", "redirect_uri": CALLBACK, "scopes": ["orders:read"]},
                 {"name": "x", "redirect_uri": CALLBACK, "public": False}):
        r = client.post("/sandbox/api/wishpost/apps", json=body)
        assert r.status_code == 400 and r.json()["code"] in (1000, 1001), body
    assert client.post("/sandbox/api/wishpost/oauth/codes").status_code == 400  # no user, no Bearer


def test_openapi_describes_wishpost(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert paths["/wishpost/api/v3/scopes"]["post"]["x-wish-scope"] == "user.scope.read"
    assert paths["/wishpost/api/v2/auth_test"]["post"]["x-wish-scope"] == "user.tracking.read"
    assert "403" in paths["/wishpost/api/v3/scopes"]["post"]["responses"]
    assert {"/wishpost/api/v3/oauth/access_token", "/wishpost/api/v3/oauth/refresh_token", TEST} <= set(paths)


def test_tokens_are_per_user(client: TestClient) -> None:
    first = client.get(TEST, headers=bearer(DEFAULT_WISHPOST_TOKEN)).json()["data"]["user_id"]
    second = client.get(TEST, headers=bearer(SECOND_WISHPOST_TOKEN)).json()["data"]["user_id"]
    assert first != second
