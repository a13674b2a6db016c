"""Tenants through HTTP, as a test suite uses them: create one per test, act as its merchant (and WishPost
user) with the tokens it answers, drive its own clock, quotas, faults, journal and reset, delete it; and
nothing one tenant does reaches another tenant or the default data."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from starlette.testclient import TestClient
from wishpost_support import DEFAULT_WISHPOST_TOKEN, bearer

from mockwish.tenants.errors import TENANT_LIMIT
from support import DEFAULT_TOKEN, Wish

TENANTS = "/sandbox/api/tenants"
_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


def create(client: TestClient, **body: Any) -> dict[str, Any]:
    r = client.post(TENANTS, json=body)
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


def under(tenant: dict[str, Any], call: str) -> str:
    return f"{TENANTS}/{tenant['id']}/{call}"


def clock_now(client: TestClient, path: str = "/sandbox/api/clock") -> datetime:
    return datetime.fromisoformat(client.get(path).json()["now"].removesuffix("Z"))


@pytest.fixture
def tenant(client: TestClient) -> dict[str, Any]:
    return create(client)


@pytest.fixture
def wp_tenant(client: TestClient) -> dict[str, Any]:
    return create(client, data="small", wishpost=True)


@pytest.fixture
def restore_limit(client: TestClient) -> Iterator[None]:
    tenants = client.app.state.ctx.tenants  # type: ignore[attr-defined]
    limit = tenants.limit
    yield
    tenants.limit = limit


# ---- creating ----------------------------------------------------------------------------------------------

def test_a_new_tenant_answers_its_credentials(client: TestClient) -> None:
    t = create(client, data="none")
    assert re.fullmatch(r"[0-9a-f]{24}", t["id"]) and t["merchant_id"] == t["id"]
    for credential in (t["access_token"], t["client_id"]):
        assert credential.startswith(t["id"]) and len(credential) > 24
    assert t["wishpost"] is None and t["data"] == "none" and t["sandbox_url"] == f"{TENANTS}/{t['id']}"
    assert t["clock"]["offset_from_global_seconds"] == 0
    me = Wish(client, t["access_token"])
    assert me.ok("auth_test", "GET")["merchant_username"] == t["username"]
    assert me.ok("product/multi-get", "GET") == []
    assert me.ok("order/multi-get", "GET") == []
    assert client.get(f"{TENANTS}/{t['id']}").json()["id"] == t["id"]
    assert [x["id"] for x in client.get(TENANTS).json()["tenants"]] == [t["id"]]


def test_small_data_is_a_store_to_work_with(client: TestClient, tenant: dict[str, Any]) -> None:
    me = Wish(client, tenant["access_token"])
    assert 5 <= len(me.ok("product/multi-get", "GET", limit=50)) <= 10  # (10 made: removed ones are not listed)
    orders = me.ok("order/multi-get", "GET", limit=50)
    assert len(orders) == 10 and {o["Order"]["state"] for o in orders} >= {"APPROVED", "SHIPPED"}
    assert me.ok("noti/get-unviewed-count", "GET")["count"] > 0
    assert int(me.ok("count/infractions", "GET")["CountInfractionsResponse"]["count"]) > 0


def test_full_data_is_what_a_default_merchant_has(client: TestClient) -> None:
    t = create(client, data="full")
    me = Wish(client, t["access_token"])
    made = client.app.state.ctx.settings.products_per_merchant  # type: ignore[attr-defined]
    assert made * 0.7 <= len(me.ok("product/multi-get", "GET", limit=250)) <= made  # removed ones are not listed
    assert len(me.ok("order/multi-get", "GET", limit=100)) > 40


def test_the_same_seed_gives_the_same_catalogue(client: TestClient) -> None:
    a, b = create(client, seed=7), create(client, seed=7)
    names = [[p["Product"]["name"] for p in Wish(client, t["access_token"]).ok("product/multi-get", "GET")]
             for t in (a, b)]
    assert names[0] == names[1] and names[0]


def test_wishpost_user_of_a_tenant_on_every_wire(client: TestClient, wp_tenant: dict[str, Any]) -> None:
    wp = wp_tenant["wishpost"]
    for credential in (wp["access_token"], wp["api_key"], wp["client_id"], wp["carrier_key"]):
        assert credential.startswith(wp_tenant["id"])
    v3 = client.get("/wishpost/api/v3/account_info", headers=bearer(wp["access_token"]))
    assert v3.status_code == 200 and v3.json()["code"] == 0, v3.text
    xml = client.post("/wishpost/api/v2/auth_test",
                      content=f"<root><access_token>{wp['access_token']}</access_token></root>".encode())
    assert xml.status_code == 200 and "<status>0</status>" in xml.text and wp["user_id"] in xml.text, xml.text
    hub = client.get("/wishpost/api/v3/hub_warehouse_table", headers={"X-API-Key": wp["carrier_key"]})
    assert hub.status_code == 200 and hub.json()["code"] == 0, hub.text
    # the default user is another user, in another store
    default = client.get("/wishpost/api/v3/account_info", headers=bearer(DEFAULT_WISHPOST_TOKEN)).json()["data"]
    assert default != v3.json()["data"]


def test_a_tenant_answers_as_itself_in_the_journal_and_faults(client: TestClient, wp_tenant: dict[str, Any]) -> None:
    client.get("/wishpost/api/v3/account_info", headers=bearer(wp_tenant["wishpost"]["access_token"]))
    Wish(client, wp_tenant["access_token"]).ok("auth_test", "GET")
    entries = client.get(under(wp_tenant, "requests")).json()["requests"]
    assert {e["surface"] for e in entries} == {"merchant", "wishpost"}
    assert {e["tenant"] for e in entries} == {wp_tenant["id"]}


# ---- isolation ---------------------------------------------------------------------------------------------

def test_writes_stay_in_their_tenant(client: TestClient) -> None:
    a, b = create(client), create(client)
    me_a, me_b = Wish(client, a["access_token"]), Wish(client, b["access_token"])
    product = me_a.ok("product/multi-get", "GET", limit=1)[0]["Product"]
    sku = product["variants"][0]["Variant"]["sku"]
    me_a.ok("variant/update-inventory", sku=sku, inventory=4321)
    assert me_a.ok("variant", "GET", sku=sku)["Variant"]["inventory"] == "4321"
    # the same seed made the same SKUs in b: its variant keeps its own inventory
    assert me_b.ok("variant", "GET", sku=sku)["Variant"]["inventory"] != "4321"
    Wish(client).err("product", 1004, method="GET", id=product["id"])  # the default merchant has no such product
    Wish(client, a["access_token"]).ok("product", "GET", id=product["id"])


def test_a_default_token_never_reaches_a_tenant(client: TestClient, tenant: dict[str, Any]) -> None:
    me = Wish(client)
    assert me.ok("auth_test", "GET")["merchant_username"] == "merchant@example.com"
    assert Wish(client, tenant["access_token"]).ok("auth_test", "GET")["merchant_username"] == tenant["username"]


# ---- OAuth inside a tenant ----------------------------------------------------------------------------------

def test_the_tenants_own_app_through_the_authorize_page(client: TestClient, tenant: dict[str, Any]) -> None:
    app = {"client_id": tenant["client_id"], "client_secret": tenant["client_secret"]}
    page = client.get("/v3/oauth/authorize", params={"client_id": app["client_id"], "state": "s1"})
    assert page.status_code == 200, page.text
    login = client.post("/v3/oauth/authorize", data={**dict(_HIDDEN.findall(page.text)), "action": "login",
                                                     "username": tenant["username"], "password": tenant["password"]})
    assert login.status_code == 200 and tenant["username"] in login.text
    done = client.post("/v3/oauth/authorize", data={**dict(_HIDDEN.findall(login.text)), "decision": "confirm"},
                       follow_redirects=False)
    assert done.status_code == 303
    code = parse_qs(urlsplit(done.headers["location"]).query)["code"][0]
    assert code.startswith(tenant["id"])
    redirect = urlsplit(done.headers["location"])
    tokens = client.get("/api/v3/oauth/access_token", params={
        **app, "code": code, "grant_type": "authorization_code",
        "redirect_uri": f"{redirect.scheme}://{redirect.netloc}{redirect.path}"}).json()["data"]
    assert tokens["access_token"].startswith(tenant["id"]) and tokens["merchant_id"] == tenant["id"]
    assert Wish(client, tokens["access_token"]).ok("auth_test", "GET")["merchant_username"] == tenant["username"]
    renewed = client.post("/api/v3/oauth/refresh_token", json={
        **app, "refresh_token": tokens["refresh_token"], "grant_type": "refresh_token"}).json()["data"]
    assert Wish(client, renewed["access_token"]).ok("auth_test", "GET")["success"] is True
    # the default data's merchant cannot sign in to a tenant's app
    again = client.post("/v3/oauth/authorize", data={**dict(_HIDDEN.findall(page.text)), "action": "login",
                                                     "username": "merchant@example.com",
                                                     "password": "sandbox-password"})
    assert again.status_code == 401


# ---- the tenant's clock -------------------------------------------------------------------------------------

def test_a_tenants_clock_jump_moves_it_alone(client: TestClient) -> None:
    a, b = create(client), create(client)

    def hours_left(t: dict[str, Any]) -> dict[str, int]:
        orders = Wish(client, t["access_token"]).ok("order/get-fulfill", "GET", limit=50)
        return {o["Order"]["order_id"]: int(o["Order"]["hours_to_fulfill"]) for o in orders}
    before_a, before_b = hours_left(a), hours_left(b)
    r = client.post(under(a, "clock"), json={"advance_seconds": 86400})
    assert r.status_code == 200 and r.json()["offset_from_global_seconds"] == pytest.approx(86400, abs=1)
    assert client.get(under(b, "clock")).json()["offset_from_global_seconds"] == pytest.approx(0, abs=1)
    assert client.get("/sandbox/api/clock").json()["offset_seconds"] == pytest.approx(0, abs=1)
    assert client.get(f"{TENANTS}/{a['id']}").json()["clock"]["offset_from_global_seconds"] == \
        pytest.approx(86400, abs=1)
    # what the tenant's orders show follows its clock: a day less to fulfil; the other tenant's do not move
    after_a, after_b = hours_left(a), hours_left(b)
    assert before_a and all(after_a[k] <= before_a[k] - 23 for k in before_a)
    assert all(abs(after_b[k] - before_b[k]) <= 1 for k in before_b)


def test_freezing_the_global_clock_freezes_every_tenant_that_follows_it(client: TestClient) -> None:
    follower, own = create(client), create(client)
    client.post(under(own, "clock"), json={"freeze": True})
    client.post("/sandbox/api/clock", json={"freeze": True})
    try:
        first = client.get(under(follower, "clock")).json()
        assert first["frozen"] is False  # it did not freeze itself: it follows a frozen clock
        assert client.get(under(follower, "clock")).json()["now"] == first["now"]
        client.post("/sandbox/api/clock", json={"advance_seconds": 3600})
        moved = clock_now(client, under(follower, "clock"))
        assert (moved - datetime.fromisoformat(first["now"].removesuffix("Z"))).total_seconds() == 3600
        own_state = client.get(under(own, "clock")).json()
        assert own_state["frozen"] is True  # its own instant: the global jump does not move it
        assert own_state["offset_from_global_seconds"] < -3500
    finally:
        client.post("/sandbox/api/clock", json={"reset": True})
    back = client.post(under(own, "clock"), json={"reset": True}).json()
    assert back["frozen"] is False and back["offset_from_global_seconds"] == pytest.approx(0, abs=1)


def test_a_tenant_clock_refuses_what_the_global_one_refuses(client: TestClient, tenant: dict[str, Any]) -> None:
    r = client.post(under(tenant, "clock"), json={"set": "not a date"})
    assert r.status_code == 400 and r.json()["code"] == 1000 and "set" in r.json()["message"]


# ---- reset, reseed, delete ----------------------------------------------------------------------------------

def test_a_tenant_reset_restores_it_alone(client: TestClient, tenant: dict[str, Any]) -> None:
    me, default = Wish(client, tenant["access_token"]), Wish(client)
    sku = me.ok("product/multi-get", "GET", limit=1)[0]["Product"]["variants"][0]["Variant"]["sku"]
    before = me.ok("variant", "GET", sku=sku)["Variant"]["inventory"]
    me.ok("variant/update-inventory", sku=sku, inventory=999)
    default_sku = default.ok("product/multi-get", "GET", limit=1)[0]["Product"]["variants"][0]["Variant"]["sku"]
    default.ok("variant/update-inventory", sku=default_sku, inventory=777)
    r = client.post(under(tenant, "reset"))
    assert r.status_code == 200, r.text
    assert me.ok("variant", "GET", sku=sku)["Variant"]["inventory"] == before  # same token, seeded state
    assert default.ok("variant", "GET", sku=default_sku)["Variant"]["inventory"] == "777"


def test_a_full_tenant_reset_seeds_it_again(client: TestClient) -> None:
    t = create(client, data="full")
    me = Wish(client, t["access_token"])
    first = me.ok("product/multi-get", "GET", limit=3)
    me.ok("product/disable", id=first[0]["Product"]["id"])
    assert client.post(under(t, "reset")).status_code == 200
    assert me.ok("product/multi-get", "GET", limit=3) == first


def test_a_tenant_reseed_keeps_its_tokens(client: TestClient, tenant: dict[str, Any]) -> None:
    me = Wish(client, tenant["access_token"])
    before = [p["Product"]["name"] for p in me.ok("product/multi-get", "GET")]
    r = client.post(under(tenant, "seed"), json={"seed": 4242})
    assert r.status_code == 200 and r.json()["seed"] == 4242, r.text
    after = [p["Product"]["name"] for p in me.ok("product/multi-get", "GET")]
    assert after and after != before


def test_a_deleted_tenant_is_gone(client: TestClient, tenant: dict[str, Any]) -> None:
    assert client.delete(f"{TENANTS}/{tenant['id']}").json() == {"deleted": 1}
    Wish(client, tenant["access_token"]).err("auth_test", 4000, 401, "GET")
    for r in (client.get(f"{TENANTS}/{tenant['id']}"), client.delete(f"{TENANTS}/{tenant['id']}"),
              client.post(under(tenant, "reset")), client.get(under(tenant, "clock"))):
        assert (r.status_code, r.json()["code"]) == (404, 1004), r.text
        assert tenant["id"] in r.json()["message"]


def test_delete_every_tenant_keeps_the_default_data(client: TestClient) -> None:
    create(client), create(client)
    assert client.delete(TENANTS).json() == {"deleted": 2}
    assert client.get(TENANTS).json() == {"tenants": []}
    assert Wish(client).ok("auth_test", "GET")["success"] is True


# ---- bad input ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("body", "field"), [
    ({"data": "huge"}, "data"), ({"data": 1}, "data"), ({"wishpost": "yes"}, "wishpost"), ({"seed": -1}, "seed"),
    ({"seeds": 1}, "seeds"), ([1, 2], None), ("small", None),
])
def test_a_bad_body_is_refused_naming_the_field(client: TestClient, body: Any, field: str | None) -> None:
    r = client.post(TENANTS, json=body)
    assert r.status_code == 400 and r.json()["code"] in (1000, 1001), r.text
    if field is not None:
        assert field in r.json()["message"]
    assert client.get(TENANTS).json() == {"tenants": []}


def test_the_tenant_limit(client: TestClient, restore_limit: None) -> None:
    client.app.state.ctx.tenants.limit = 2  # type: ignore[attr-defined]
    create(client), create(client)
    r = client.post(TENANTS, json={})
    assert (r.status_code, r.json()["code"], r.json()["message"]) == (409, 1000, TENANT_LIMIT.format(limit=2))
    assert len(client.get(TENANTS).json()["tenants"]) == 2


def test_calls_under_an_unknown_tenant(client: TestClient) -> None:
    for r in (client.get(f"{TENANTS}/{'0' * 24}/clock"), client.get(f"{TENANTS}/nope")):
        assert (r.status_code, r.json()["code"]) == (404, 1004), r.text


def test_no_tenant_inside_a_tenant(client: TestClient, tenant: dict[str, Any]) -> None:
    r = client.post(under(tenant, "tenants"), json={})
    assert (r.status_code, r.json()["code"]) == (404, 1004)


# ---- the tenant's own quotas, faults and journal -------------------------------------------------------------

def test_rate_limits_are_per_tenant(client: TestClient) -> None:
    a, b = create(client, data="none"), create(client, data="none")
    r = client.post(under(a, "rate-limits"), json={"merchant_id": a["id"], "force_429": 1})
    assert r.status_code == 200, r.text
    Wish(client, a["access_token"]).err("auth_test", 1056, 429, "GET")
    Wish(client, a["access_token"]).ok("auth_test", "GET")
    Wish(client, b["access_token"]).ok("auth_test", "GET")
    assert client.get("/sandbox/api/rate-limits").json()["forced"] == {}
    client.post(under(a, "rate-limits"), json={"reset": True})
    r = client.post(under(a, "rate-limits"), json={"merchant_id": a["id"], "quota": 2, "window_seconds": 60})
    assert r.status_code == 200, r.text
    for _ in range(2):
        Wish(client, a["access_token"]).ok("auth_test", "GET")
    Wish(client, a["access_token"]).err("auth_test", 1056, 429, "GET")
    Wish(client, b["access_token"]).ok("auth_test", "GET")


def test_faults_under_a_tenant_fault_it_alone(client: TestClient) -> None:
    a, b = create(client, data="none"), create(client, data="none")
    global_rule = client.post("/sandbox/api/faults", json={"path": "/api/v2/order/*", "status": 502}).json()
    r = client.post(under(a, "faults"), json={"path": "/api/v2/auth_test", "status": 503, "times": 1})
    assert r.status_code == 200 and r.json()["tenant"] == a["id"], r.text
    assert Wish(client, a["access_token"]).call("auth_test", "GET").status_code == 503
    assert Wish(client, a["access_token"]).call("auth_test", "GET").status_code == 200  # times: 1, spent
    client.post(under(a, "faults"), json={"path": "/api/v2/auth_test", "code": 1056})
    assert Wish(client, b["access_token"]).call("auth_test", "GET").status_code == 200
    assert Wish(client).call("auth_test", "GET").status_code == 200
    Wish(client, a["access_token"]).err("auth_test", 1056, 429, "GET")
    assert [f["tenant"] for f in client.get(under(a, "faults")).json()["faults"]] == [a["id"]]
    assert len(client.get("/sandbox/api/faults").json()["faults"]) == 2
    r = client.post(under(a, "faults"), json={"tenant": b["id"], "status": 503})
    assert r.status_code == 400 and "tenant" in r.json()["message"]
    client.post(under(a, "reset"))  # a tenant's reset clears its own rules
    assert [f["id"] for f in client.get("/sandbox/api/faults").json()["faults"]] == [global_rule["id"]]
    client.delete("/sandbox/api/faults")


def test_journal_under_a_tenant(client: TestClient) -> None:
    a, b = create(client, data="none"), create(client, data="none")
    Wish(client, a["access_token"]).ok("auth_test", "GET")
    Wish(client, b["access_token"]).ok("auth_test", "GET")
    Wish(client).ok("auth_test", "GET")
    mine = client.get(under(a, "requests")).json()
    assert mine["total"] == 1 and mine["requests"][0]["tenant"] == a["id"]
    assert client.get("/sandbox/api/requests", params={"tenant": b["id"]}).json()["total"] == 1
    verified = client.post(under(a, "requests/verify"), json={"path": "/api/v2/auth_test", "count": 1}).json()
    assert verified["matched"] is True
    client.post(under(a, "reset"))
    assert client.get(under(a, "requests")).json()["total"] == 0
    assert client.get("/sandbox/api/requests", params={"tenant": b["id"]}).json()["total"] == 1


def test_sandbox_calls_find_the_tenant_by_header_or_bearer(client: TestClient, tenant: dict[str, Any]) -> None:
    by_header = client.get("/sandbox/api/merchants", headers={"Mockwish-Tenant": tenant["id"]}).json()
    by_bearer = client.get("/sandbox/api/merchants", headers={"Authorization": f"Bearer {tenant['access_token']}"})
    by_path = client.get(under(tenant, "merchants")).json()
    assert [m["id"] for m in by_header] == [m["id"] for m in by_bearer.json()] == [m["id"] for m in by_path] \
        == [tenant["id"]]
    assert by_path[0]["tokens"] == [tenant["access_token"]]
    assert len(client.get("/sandbox/api/merchants").json()) == 3  # the default data's
    r = client.get("/sandbox/api/merchants", headers={"Mockwish-Tenant": "f" * 24})
    assert (r.status_code, r.json()["code"]) == (404, 1004)


def test_generated_transactions_land_in_the_tenant(client: TestClient, tenant: dict[str, Any]) -> None:
    r = client.post(under(tenant, "transactions"), json={"merchant_id": tenant["id"], "count": 5})
    assert r.status_code == 200, r.text
    assert len(Wish(client, tenant["access_token"]).ok("order/multi-get", "GET", limit=50)) == 15
    r = client.post("/sandbox/api/transactions", json={"count": 1},
                    headers={"Authorization": f"Bearer {tenant['access_token']}"})
    assert r.status_code == 200, r.text
    assert len(Wish(client, tenant["access_token"]).ok("order/multi-get", "GET", limit=50)) == 16


def test_a_tenants_download_link_serves_its_own_file(client: TestClient, tenant: dict[str, Any]) -> None:
    me = Wish(client, tenant["access_token"])
    job = me.ok("product/create-download-job")["job_id"]
    client.post(under(tenant, "clock"), json={"advance_seconds": 60})
    status = me.ok("product/get-download-job-status", job_id=job)
    assert status["status"] == "FINISHED", status
    link = urlsplit(status["download_link"])
    assert parse_qs(link.query)["tenant"] == [tenant["id"]]
    csv = client.get(f"{link.path}?{link.query}")
    assert csv.status_code == 200
    ids = {p["Product"]["id"] for p in me.ok("product/multi-get", "GET", limit=50)}
    assert all(pid in csv.text for pid in ids)
    assert client.get(link.path).status_code == 404  # the default data has no such file


def test_default_token_still_default_after_tenants(client: TestClient, tenant: dict[str, Any]) -> None:
    assert Wish(client, DEFAULT_TOKEN).ok("auth_test", "GET")["merchant_username"] == "merchant@example.com"


def test_starting_the_server_loads_no_generator_nor_yaml_reader() -> None:
    """Tenants and scenarios are served without slowing every start: Faker, the generators and the YAML reader
    load when a tenant or a scenario is made."""
    import subprocess
    import sys

    code = ("import sys, mockwish.app; loaded = [m for m in ('faker', 'yaml', 'mockwish.seed.database', "
            "'mockwish.scenarios.apply') if m in sys.modules]; assert not loaded, loaded")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_wishpost_oauth_inside_a_tenant_on_both_wires(client: TestClient, wp_tenant: dict[str, Any]) -> None:
    wp = wp_tenant["wishpost"]
    app = {"client_id": wp["client_id"], "client_secret": wp["client_secret"]}
    for wire in ("v3", "xml"):
        minted = client.post(under(wp_tenant, "wishpost/oauth/codes"), json={"client_id": wp["client_id"]},
                             headers=bearer(wp["access_token"])).json()
        assert minted["code"].startswith(wp_tenant["id"]), minted
        if wire == "v3":
            r = client.get("/wishpost/api/v3/oauth/access_token", auth=(app["client_id"], app["client_secret"]),
                           params={"code": minted["code"], "grant_type": "authorization_code",
                                   "redirect_uri": minted["redirect_uri"]})
            assert r.status_code == 200, r.text
            token = r.json()["data"]["access_token"]
        else:
            doc = (f"<root><client_id>{app['client_id']}</client_id><client_secret>{app['client_secret']}"
                   f"</client_secret><redirect_uri>{minted['redirect_uri']}</redirect_uri>"
                   f"<grant_type>authorization_code</grant_type><code>{minted['code']}</code></root>")
            r = client.post("/wishpost/api/v2/oauth/access_token", content=doc,
                            headers={"Content-Type": "text/xml; charset=utf-8"})
            assert r.status_code == 200 and "<status>0</status>" in r.text, r.text
            token = re.search(r"<access_token>([^<]+)</access_token>", r.text).group(1)  # type: ignore[union-attr]
        assert token.startswith(wp_tenant["id"])
        me = client.get("/wishpost/api/v3/oauth/test", headers=bearer(token))
        assert me.status_code == 200 and me.json()["data"]["user_id"] == wp["user_id"], me.text
