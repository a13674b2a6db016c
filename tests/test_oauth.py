"""Merchant OAuth through HTTP only: apps, the authorize page, codes, both token generations, refresh,
revocation, expiry, scopes, and every documented error with its code, message and status."""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from starlette.testclient import TestClient

from mockwish.auth.scopes import ALL_SCOPES
from support import DEFAULT_TOKEN, SECOND_TOKEN, Wish

CALLBACK = "https://erp.example.com/wish/callback"
_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


def create_app(client: TestClient, **extra: object) -> dict[str, object]:
    body = {"name": "Acme ERP", "redirect_uri": CALLBACK, **extra}
    r = client.post("/sandbox/api/apps", json=body)
    assert r.status_code == 200, r.text
    return r.json()


def form_fields(html: str) -> dict[str, str]:
    return dict(_HIDDEN.findall(html))


def walk_authorize_page(client: TestClient, app: dict[str, object], *, decision: str = "confirm",
                        state: str = "xyz", path: str = "/v3/oauth/authorize") -> dict[str, list[str]]:
    """Open the page, sign in, confirm or decline; answers the query of the redirect to the app."""
    page = client.get(path, params={"client_id": app["client_id"], "state": state})
    assert page.status_code == 200 and "Sign in to authorize Acme ERP" in page.text
    login = client.post(path, data={**form_fields(page.text), "action": "login",
                                     "username": "merchant@example.com", "password": "sandbox-password"})
    assert login.status_code == 200 and "Acme ERP requests access to your store" in login.text  # after a 303
    assert "merchant@example.com" in login.text and "products:write" in login.text
    done = client.post(path, data={**form_fields(login.text), "decision": decision}, follow_redirects=False)
    assert done.status_code == 303
    target = urlsplit(done.headers["location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == CALLBACK
    return parse_qs(target.query)


def exchange(client: TestClient, app: dict[str, object], the_code: str, version: str = "v3", **over: str):  # noqa: ANN201
    params = {"client_id": app["client_id"], "client_secret": app["client_secret"], "code": the_code,
              "grant_type": "authorization_code", "redirect_uri": app["redirect_uri"], **over}
    return client.get(f"/api/{version}/oauth/access_token", params=params)


def refresh(client: TestClient, app: dict[str, object], token: str, version: str = "v3", **over: str):  # noqa: ANN201
    data = {"client_id": app["client_id"], "client_secret": app["client_secret"], "refresh_token": token,
            "grant_type": "refresh_token", **over}
    return client.post(f"/api/{version}/oauth/refresh_token", json=data)


def v3_test(client: TestClient, token: str):  # noqa: ANN201
    return client.get("/api/v3/oauth/test", headers={"Authorization": f"Bearer {token}"})


def test_full_erp_flow_over_http(client: TestClient) -> None:
    app = create_app(client)
    query = walk_authorize_page(client, app)
    assert query["state"] == ["xyz"] and re.fullmatch(r"[0-9a-f]{32}", query["code"][0])
    tokens = exchange(client, app, query["code"][0]).json()["data"]
    assert set(tokens) == {"access_token", "scopes", "merchant_id", "expiry_time", "refresh_token"}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", tokens["expiry_time"])
    assert tokens["scopes"] == list(ALL_SCOPES)
    me = Wish(client, tokens["access_token"])
    assert me.ok("auth_test", "GET")["merchant_username"] == "merchant@example.com"
    assert v3_test(client, tokens["access_token"]).json()["data"] == {"merchant_id": tokens["merchant_id"]}
    assert me.ok("product", "GET", id="4ef2858a9795c776ce000120")["Product"]["name"] == "TEST!!!"

    renewed = refresh(client, app, tokens["refresh_token"]).json()["data"]
    assert renewed["access_token"] != tokens["access_token"]
    me.err("auth_test", 1016, 401, "GET")  # the old access token is revoked
    r = v3_test(client, tokens["access_token"])
    assert (r.status_code, r.json()["code"], r.json()["message"]) == (401, 1008, "This access token has been revoked")

    client.post("/sandbox/api/clock", json={"advance_seconds": 31 * 86400})
    Wish(client, renewed["access_token"]).err("auth_test", 1015, 401, "GET")
    assert v3_test(client, renewed["access_token"]).json()["code"] == 1007
    again = refresh(client, app, renewed["refresh_token"]).json()["data"]
    assert Wish(client, again["access_token"]).ok("auth_test", "GET")["success"] is True


def test_decline_redirects_without_a_code(client: TestClient) -> None:
    query = walk_authorize_page(client, create_app(client), decision="decline")
    assert "code" not in query and query["error"] == ["access_denied"] and query["state"] == ["xyz"]


def test_older_authorize_path_checks_redirect_uri(client: TestClient) -> None:
    app = create_app(client)
    assert "code" in walk_authorize_page(client, app, path="/oauth/authorize")
    bad = client.get("/oauth/authorize", params={"client_id": app["client_id"], "redirect_uri": "https://evil.test/"})
    assert bad.status_code == 400 and "redirect_uri does not match" in bad.text


def test_authorize_page_errors(client: TestClient) -> None:
    r = client.get("/v3/oauth/authorize", params={"client_id": "ffffffffffffffffffffffff"})
    assert r.status_code == 404 and "No app has the client_id" in r.text
    assert client.get("/v3/oauth/authorize").status_code == 400
    app = create_app(client)
    page = client.get("/v3/oauth/authorize", params={"client_id": app["client_id"]})
    wrong = client.post("/v3/oauth/authorize", data={**form_fields(page.text), "action": "login",
                                                     "username": "merchant@example.com", "password": "nope"})
    assert wrong.status_code == 401 and "Incorrect username or password" in wrong.text


def test_private_app_of_another_merchant(client: TestClient) -> None:
    owner = next(m["id"] for m in client.get("/sandbox/api/merchants").json() if SECOND_TOKEN in m["tokens"])
    app = create_app(client, public=False, merchant_id=owner)
    page = client.get("/v3/oauth/authorize", params={"client_id": app["client_id"]})
    r = client.post("/v3/oauth/authorize", data={**form_fields(page.text), "action": "login",
                                                 "username": "merchant@example.com", "password": "sandbox-password"})
    assert r.status_code == 403 and "private app" in r.text


def test_headless_code_with_bearer_default(client: TestClient) -> None:
    r = client.post("/sandbox/api/oauth/codes", headers={"Authorization": f"Bearer {SECOND_TOKEN}"})
    minted = r.json()
    assert r.status_code == 200 and minted["client_id"] == client.get("/sandbox/api/apps").json()[0]["client_id"]
    tokens = exchange(client, minted, minted["code"]).json()["data"]
    assert Wish(client, tokens["access_token"]).ok("auth_test", "GET")["merchant_username"] == "second@example.com"


class TestExchangeErrors:
    def setup_code(self, client: TestClient) -> tuple[dict[str, object], str]:
        minted = client.post("/sandbox/api/oauth/codes", headers={"Authorization": f"Bearer {DEFAULT_TOKEN}"}).json()
        return minted, minted["code"]

    @pytest.mark.parametrize(("over", "code", "message"), [
        ({"grant_type": "password"}, 1001, "grant_type must be set to 'authorization_code'"),
        ({"client_secret": "0" * 32}, 10001, "Incorrect credentials: client_id, client_secret or redirect_url "
                                             "does not match"),
        ({"client_id": "0" * 24}, 10001, None),
        ({"redirect_uri": "https://other.test/"}, 10001, None),
        ({"code": "0" * 32}, 10008, "Incorrect authorization code provided"),
    ])
    def test_v3(self, client: TestClient, over: dict[str, str], code: int, message: str | None) -> None:
        app, c = self.setup_code(client)
        r = exchange(client, app, c, **over)
        assert r.status_code == 400 and r.json()["code"] == code and r.json()["data"] == {}
        if message:
            assert r.json()["message"] == message

    def test_code_is_single_use_and_expires(self, client: TestClient) -> None:
        app, c = self.setup_code(client)
        assert exchange(client, app, c).status_code == 200
        r = exchange(client, app, c)
        assert (r.json()["code"], r.json()["message"]) == (10002, "The authorization code has already been redeemed")
        app, c = self.setup_code(client)
        client.post("/sandbox/api/clock", json={"advance_seconds": 301})
        r = exchange(client, app, c)
        assert (r.json()["code"], r.json()["message"]) == (10004, "The authorization code has expired")

    def test_missing_parameter(self, client: TestClient) -> None:
        app, c = self.setup_code(client)
        r = client.get("/api/v3/oauth/access_token", params={"client_id": app["client_id"], "code": c})
        assert r.status_code == 400 and r.json()["code"] == 1001

    @pytest.mark.parametrize(("locale", "text"), [("zh", "授权码已过期"), ("fr", "Le code d'autorisation a expiré"),
                                                   ("de", "Der Autorisierungscode ist abgelaufen")])
    def test_locales(self, client: TestClient, locale: str, text: str) -> None:
        app, c = self.setup_code(client)
        client.post("/sandbox/api/clock", json={"advance_seconds": 600})
        assert exchange(client, app, c, locale=locale).json()["message"] == text

    def test_v2_generation(self, client: TestClient) -> None:
        app, c = self.setup_code(client)
        r = client.post("/api/v2/oauth/access_token", data={
            "client_id": app["client_id"], "client_secret": app["client_secret"], "code": c,
            "grant_type": "authorization_code", "redirect_uri": app["redirect_uri"]})
        data = r.json()["data"]
        assert set(data) == {"expiry_time", "token_type ", "access_token", "expires_in", "merchant_user_id",
                             "refresh_token"}
        assert isinstance(data["expiry_time"], int) and data["expires_in"] == 30 * 86400
        again = client.post("/api/v2/oauth/access_token", data={
            "client_id": app["client_id"], "client_secret": app["client_secret"], "code": c,
            "grant_type": "authorization_code"})
        assert (again.status_code, again.json()["code"], again.json()["message"]) == (400, 1016, "Access code expired")
        bad = client.post("/api/v2/oauth/access_token", data={
            "client_id": app["client_id"], "client_secret": "x", "code": c, "grant_type": "authorization_code"})
        assert (bad.status_code, bad.json()["code"]) == (401, 4000)
        renewed = client.post("/api/v2/oauth/refresh_token", data={
            "client_id": app["client_id"], "client_secret": app["client_secret"],
            "refresh_token": data["refresh_token"], "grant_type": "refresh_token"}).json()["data"]
        assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC", renewed["expiry_string"])
        datetime.strptime(renewed["expiry_string"], "%Y-%m-%d %H:%M:%S UTC")


def test_refresh_errors(client: TestClient) -> None:
    minted = client.post("/sandbox/api/oauth/codes", headers={"Authorization": f"Bearer {DEFAULT_TOKEN}"}).json()
    tokens = exchange(client, minted, minted["code"]).json()["data"]
    r = refresh(client, minted, tokens["refresh_token"], grant_type="authorization_code")
    assert (r.json()["code"], r.json()["message"]) == (1001, "grant_type must be set to 'refresh_token'")
    assert refresh(client, minted, tokens["refresh_token"], client_secret="bad").json()["code"] == 10001
    assert refresh(client, minted, tokens["refresh_token"]).status_code == 200
    reused = refresh(client, minted, tokens["refresh_token"])  # a refresh token works once
    assert reused.status_code == 400 and reused.json()["code"] == 10001


def test_merchant_revokes_the_app(client: TestClient) -> None:
    minted = client.post("/sandbox/api/oauth/codes", headers={"Authorization": f"Bearer {DEFAULT_TOKEN}"}).json()
    tokens = exchange(client, minted, minted["code"]).json()["data"]
    r = client.post(f"/sandbox/api/apps/{minted['client_id']}/revoke", json={"merchant_id": tokens["merchant_id"]})
    assert r.json()["revoked_tokens"] == 1
    Wish(client, tokens["access_token"]).err("auth_test", 1016, 401, "GET")
    assert refresh(client, minted, tokens["refresh_token"]).json()["code"] == 10001
    assert Wish(client).ok("auth_test", "GET")["success"] is True  # the documented token is not an app's


@pytest.mark.parametrize(("scopes", "allowed", "refused"), [
    (["products:read"], ("product", {"id": "4ef2858a9795c776ce000120"}),
     ("product/disable", {"id": "4ef2858a9795c776ce000120"})),
    (["products:write"], ("variant/update-inventory", {"sku": "aaa", "inventory": "3"}),
     ("variant", {"sku": "aaa"})),
    (["merchant:read"], ("get-currency-code", {}), ("product/multi-get", {})),
])
def test_insufficient_scope_per_family(client: TestClient, scopes: list[str], allowed: tuple, refused: tuple) -> None:
    minted = client.post("/sandbox/api/oauth/codes", json={"scopes": scopes},
                         headers={"Authorization": f"Bearer {DEFAULT_TOKEN}"}).json()
    assert minted["scopes"] == scopes
    me = Wish(client, exchange(client, minted, minted["code"]).json()["data"]["access_token"])
    me.ok(allowed[0], **allowed[1])
    body = me.err(refused[0], 4000, 401, **refused[1])
    assert body["message"] == "Unauthorized access on this API"
    assert me.ok("auth_test", "GET")["success"] is True  # needs no scope


def test_openapi_shows_each_scope(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert paths["/api/v2/product/update"]["post"]["x-wish-scope"] == "products:write"
    assert paths["/api/v2/get-currency-code"]["get"]["x-wish-scope"] == "merchant:read"


def test_apps_api(client: TestClient) -> None:
    app = create_app(client, scopes=["orders:read"])
    listed = {a["client_id"]: a for a in client.get("/sandbox/api/apps").json()}
    assert listed[app["client_id"]]["scopes"] == ["orders:read"]
    assert re.fullmatch(r"[0-9a-f]{24}", app["client_id"]) and re.fullmatch(r"[0-9a-f]{32}", app["client_secret"])
    assert client.delete(f"/sandbox/api/apps/{app['client_id']}").json()["deleted"] is True
    assert client.delete(f"/sandbox/api/apps/{app['client_id']}").status_code == 404
    for body in ({"name": "x", "redirect_uri": CALLBACK, "scopes": ["nope"]},
                 {"name": "x", "redirect_uri": CALLBACK, "public": False}):
        r = client.post("/sandbox/api/apps", json=body)
        assert r.status_code == 400 and r.json()["code"] in (1000, 1001), body
