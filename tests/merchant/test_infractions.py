"""HTTP tests of the Infractions endpoints (wish-merchant-api-v2.txt, Infractions): count/infractions and
get/infractions; the doc's examples replayed, stages, since/upto, paging, every error, tenant isolation, proofs
naming the merchant's own objects, XML, a translated error, POST /sandbox/api/infractions and its state hook
(driving an infraction through the stages), and the rules."""

from __future__ import annotations

import random
import re
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from conformance.shape import compare
from mockwish.app import build_context
from mockwish.config import Settings
from mockwish.errors import WishError, message
from mockwish.merchant.infractions import catalog, generate, rules
from mockwish.merchant.infractions.errors import (
    INFRACTION_MOVE_REFUSED,
    INFRACTION_NO_PROOF_OBJECT,
    INFRACTION_SAME_STATE,
)
from mockwish.store.tables import (
    BDAnnouncement,
    Infraction,
    Notification,
    Order,
    SystemUpdate,
    Ticket,
    Variant,
    table_of,
)
from support import DEFAULT_TOKEN, SECOND_TOKEN, Wish, freeze, minted_token, on_store

SANDBOX = "/sandbox/api/infractions"
NOWHERE = "aaaaaaaaaaaaaaaaaaaaaaaa"
STAMP = "%Y-%m-%dT%H:%M:%S"
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$")
DOC_COUNT: dict[str, Any] = {"message": "", "code": 0, "data": {"CountInfractionsResponse": {"count": "156"}}}
DOC_LIST: dict[str, Any] = {
    "message": "", "code": 0,
    "data": {"InfractionsResponse": {"infractions": [{"Infraction": {
        "fine_amount": "10.0", "fine_currency": "USD", "reason": "Inappropriate content detected for product listing",
        "last_updated": "2018-06-01T23:15:57", "state": "AWAITING_MERCHANT", "created_time": "2018-05-12T05:07:59",
        "link": "https://merchant.wish.com/warning/view/5af67aaf2232612b29f6c5eb", "extra_reason": "Weapon",
        "id": "5af676af22326ssb29f6c5eb",
        "proof": [{"InfractionProof": {"message": "Inappropriate content detected for product listing",
                                       "proof_type": "PRODUCT", "object_id": "5af4317fb9c68aa5f9f25022"}}]}}]}},
    "paging": {"next": "https://merchant.wish.com/api/v2/get/infractions?access_token=xxx&start=50"},
}


def sandbox(client: TestClient, token: str | None = DEFAULT_TOKEN, **body: Any) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.post(SANDBOX, json=body, headers=headers)


def issued(client: TestClient, token: str = DEFAULT_TOKEN, **body: Any) -> list[dict[str, Any]]:
    r = sandbox(client, token, **body)
    assert r.status_code == 200, r.text
    return r.json()["infractions"]  # type: ignore[no-any-return]


def move(client: TestClient, infraction_id: str, state: str) -> Any:
    return client.post(f"{SANDBOX}/{infraction_id}/state", json={"state": state})


def listed(wish: Wish, **params: Any) -> list[dict[str, Any]]:
    data = wish.ok("get/infractions", "GET", limit=500, **params)
    return [i["Infraction"] for i in data["InfractionsResponse"]["infractions"]]


def counted(wish: Wish, **params: Any) -> int:
    n = wish.ok("count/infractions", "GET", **params)["CountInfractionsResponse"]["count"]
    assert isinstance(n, str) and n.isdigit()
    return int(n)


def every(wish: Wish) -> list[dict[str, Any]]:
    return [i for stage in (1, 2, 3) for i in listed(wish, stage=stage)]


# ---- the doc's examples --------------------------------------------------------------------------------------

def test_count_doc_example(client: TestClient, wish: Wish) -> None:
    """curl ".../count/infractions?access_token=an_example_access_token": stage 1 by default."""
    r = client.get("/api/v2/count/infractions", params={"access_token": "an_example_access_token"})
    assert r.status_code == 200 and compare(DOC_COUNT, r.json()) == []
    assert int(r.json()["data"]["CountInfractionsResponse"]["count"]) == counted(wish, stage=1) == \
        len(listed(wish, stage=1)) > 0


def test_get_doc_example(client: TestClient) -> None:
    """curl ".../get/infractions?access_token=an_example_access_token&limit=5"."""
    r = client.get("/api/v2/get/infractions", params={"access_token": "an_example_access_token", "limit": "5"})
    body = r.json()
    assert r.status_code == 200 and compare(DOC_LIST, body) == [], compare(DOC_LIST, body)
    infractions = body["data"]["InfractionsResponse"]["infractions"]
    assert len(infractions) == 5 and "next" in body["paging"]  # six seeded action-required infractions
    for i in (x["Infraction"] for x in infractions):
        assert set(i) == set(DOC_LIST["data"]["InfractionsResponse"]["infractions"][0]["Infraction"])
        assert i["state"] in ("NEW", "AWAITING_MERCHANT") and TIMESTAMP.match(i["last_updated"])
        assert i["link"] == f"https://merchant.wish.com/warning/view/{i['id']}" and i["proof"]


def test_the_docs_merchant_has_the_doc_infraction(wish: Wish) -> None:
    doc = next(i for i in listed(wish) if i["id"] == "5af67aaf2232612b29f6c5eb")
    assert (doc["state"], doc["reason"], doc["extra_reason"], doc["fine_amount"], doc["fine_currency"]) == (
        "AWAITING_MERCHANT", "Inappropriate content detected for product listing", "Weapon", "10.0", "USD")
    assert [p["InfractionProof"]["proof_type"] for p in doc["proof"]] == ["PRODUCT"]
    wish.ok("product", "GET", id=doc["proof"][0]["InfractionProof"]["object_id"])


# ---- stages --------------------------------------------------------------------------------------------------

def test_stages_hold_their_states(wish: Wish) -> None:
    by_stage = {stage: listed(wish, stage=stage) for stage in (1, 2, 3)}
    for stage, found in by_stage.items():
        assert found and {i["state"] for i in found} <= set(rules.STAGES[stage])
        assert counted(wish, stage=stage) == len(found)
    assert {i["state"] for f in by_stage.values() for i in f} == set(rules.STATES)  # every state seeded
    assert listed(wish) == by_stage[1]
    ids = [i["id"] for f in by_stage.values() for i in f]
    assert len(ids) == len(set(ids)) == 12


@pytest.mark.parametrize(("stage", "key"), [("0", "out_of_range"), ("4", "out_of_range"), ("x", "invalid_param"),
                                            ("1.5", "invalid_param")])
def test_invalid_stage(wish: Wish, stage: str, key: str) -> None:
    params = {"param": "stage", "low": 1, "high": 3, "value": stage} if key == "out_of_range" else \
        {"value": stage, "param": "stage"}
    for path in ("count/infractions", "get/infractions"):
        body = wish.err(path, 1000, 400, "GET", stage=stage)
        assert body["message"] == message(key, **params)


def test_invalid_stage_translated(wish: Wish) -> None:
    body = wish.err("count/infractions", 1000, 400, "GET", stage="9", locale="zh_CN")
    assert body["message"] == message("out_of_range", "zh", param="stage", low=1, high=3, value="9")


def test_order_is_last_change_oldest_first(wish: Wish) -> None:
    for stage in (1, 2, 3):
        stamps = [i["last_updated"] for i in listed(wish, stage=stage)]
        assert stamps == sorted(stamps)


# ---- paging, since/upto ----------------------------------------------------------------------------------

def test_paging(wish: Wish) -> None:
    everything = [i["id"] for i in listed(wish)]
    seen, start = [], 0
    while True:
        body = wish.call("get/infractions", "GET", start=start, limit=2).json()
        seen += [i["Infraction"]["id"] for i in body["data"]["InfractionsResponse"]["infractions"]]
        assert ("previous" in body["paging"]) == (start > 0)
        if "next" not in body["paging"]:
            break
        start += 2
    assert seen == everything
    body = wish.call("get/infractions", "GET", start=len(everything), limit=2).json()
    assert body["data"] == {"InfractionsResponse": {"infractions": []}} and "next" not in body["paging"]


@pytest.mark.parametrize("limit", ["0", "501"])
def test_limit_out_of_range(wish: Wish, limit: str) -> None:
    body = wish.err("get/infractions", 1000, 400, "GET", limit=limit)
    assert body["message"] == message("out_of_range", param="limit", low=1, high=500, value=limit)


def test_since_and_upto(wish: Wish) -> None:
    found = listed(wish, stage=3)
    middle = found[len(found) // 2]["last_updated"]
    since = listed(wish, stage=3, since=middle)
    upto = listed(wish, stage=3, upto=middle)
    assert since and all(i["last_updated"] >= middle for i in since)
    assert upto and all(i["last_updated"] <= middle for i in upto)
    assert {i["id"] for i in since} | {i["id"] for i in upto} == {i["id"] for i in found}
    assert [i["id"] for i in since if i in upto] == [found[len(found) // 2]["id"]]  # the shown second is included
    day = middle[:10]
    assert {i["id"] for i in listed(wish, stage=3, since=day)} >= {i["id"] for i in since}
    assert listed(wish, stage=3, since="2099-01-01") == [] and listed(wish, stage=3, upto="2000-01-01") == []
    first, last = found[0]["last_updated"], found[-1]["last_updated"]
    assert first < last and listed(wish, stage=3, since=last, upto=first) == []  # an empty window
    assert [i["id"] for i in listed(wish, stage=3, since=first, upto=last)] == [i["id"] for i in found]


@pytest.mark.parametrize("value", ["yesterday", "2024-13-01", "2024-05-01T25:00:00", "01/05/2024"])
def test_invalid_dates(wish: Wish, value: str) -> None:
    for param in ("since", "upto"):
        body = wish.err("get/infractions", 1000, 400, "GET", **{param: value})
        assert body["message"] == message("invalid_param", value=value, param=param)


# ---- what an infraction shows --------------------------------------------------------------------------------

def test_fines_and_proofs_name_the_merchants_own_things(client: TestClient, wish: Wish, other: Wish) -> None:
    for who, currency, rate in ((wish, "USD", 1.0), (other, "CNY", 6.0)):
        merchant_id = who.ok("auth_test", "GET")["merchant_id"]
        variants = set(on_store(client, lambda conn, m=merchant_id: [r[0] for r in conn.execute(
            select(table_of(Variant).c.id).where(table_of(Variant).c.merchant_id == m))]))
        tickets = set(on_store(client, lambda conn, m=merchant_id: [r[0] for r in conn.execute(
            select(table_of(Ticket).c.id).where(table_of(Ticket).c.merchant_id == m))]))
        types = set()
        for i in every(who):
            r = catalog.BY_TEXT[i["reason"]]
            assert i["fine_currency"] == currency and i["fine_amount"] == str(round(r.fine_usd * rate, 2))
            assert TIMESTAMP.match(i["created_time"]) and i["created_time"] <= i["last_updated"]
            for p in (x["InfractionProof"] for x in i["proof"]):
                types.add(p["proof_type"])
                assert p["proof_type"] in rules.PROOF_TYPES and p["message"]
                oid = p["object_id"]
                if p["proof_type"] == "ORDER":
                    who.ok("order", "GET", id=oid)
                elif p["proof_type"] == "PRODUCT":
                    who.ok("product", "GET", id=oid)
                elif p["proof_type"] == "VARIATION":
                    assert oid in variants
                elif p["proof_type"] == "TICKET":
                    assert oid in tickets
                elif p["proof_type"] == "MERCHANT":
                    assert oid == merchant_id
                else:
                    assert re.fullmatch(r"[0-9a-f]{24}", oid)
        assert types == set(rules.PROOF_TYPES)  # the seed uses every reason of the catalogue


def test_xml(wish: Wish) -> None:
    r = wish.call("get/infractions", "GET", format="xml", limit=3)
    assert r.status_code == 200
    root = ET.fromstring(r.content)
    shown = [e.findtext("id") for e in root.iter("Infraction")]
    assert shown == [i["id"] for i in listed(wish)[:3]]
    proof = next(root.iter("InfractionProof"))
    assert proof.findtext("proof_type") in rules.PROOF_TYPES and proof.findtext("object_id")
    r = wish.call("count/infractions", "GET", format="xml", stage="2")
    assert ET.fromstring(r.content).findtext("data/CountInfractionsResponse/count") == str(counted(wish, stage=2))


def test_scope(wish: Wish) -> None:
    reader = wish.as_(minted_token(wish.client, ["infractions:read"]))
    assert counted(reader) == counted(wish)
    refused = wish.as_(minted_token(wish.client, ["infractions:write", "penalties:read"]))
    for path in ("count/infractions", "get/infractions"):
        assert refused.err(path, 4000, 401, "GET")["message"] == message("insufficient_scope")


def test_tenant_isolation(client: TestClient, wish: Wish, other: Wish) -> None:
    mine, theirs = {i["id"] for i in every(wish)}, {i["id"] for i in every(other)}
    assert len(theirs) == 12 and not mine & theirs
    before = [counted(other, stage=s) for s in (1, 2, 3)]
    issued(client, count=2)
    assert [counted(other, stage=s) for s in (1, 2, 3)] == before
    assert {i["id"] for i in every(other)} == theirs and len(every(wish)) == 14


# ---- sandbox: issuing ----------------------------------------------------------------------------------------

def test_sandbox_issues_a_new_infraction_with_its_notification(client: TestClient, wish: Wish) -> None:
    at = freeze(client)
    before = counted(wish)
    made = issued(client)[0]
    assert made["state"] == "NEW" and made["stage"] == 1 and made["created_time"] == at.strftime(STAMP)
    assert counted(wish) == before + 1
    shown = listed(wish)[-1]  # the latest change comes last
    assert shown["id"] == made["id"]
    assert {**shown, "proof": [p["InfractionProof"] for p in shown["proof"]], "stage": 1} == made
    noti = wish.ok("noti/fetch-unviewed", "GET", limit=1)[0]["GetNotiResponse"]
    assert noti["title"] == "You have a new infraction" and noti["perma_link"] == made["link"]
    assert made["reason"] in noti["message"]


def test_sandbox_fields(client: TestClient, wish: Wish) -> None:
    order_id = wish.ok("order/multi-get", "GET", limit=1)[0]["Order"]["order_id"]
    made = issued(client, state="AWAITING_ADMIN", reason="Order was shipped to the wrong address",
                  extra_reason="Address differs from the customer's", fine_amount=25, fine_currency="EUR",
                  proof_type="ORDER", object_id=order_id.upper())[0]
    assert (made["state"], made["stage"], made["reason"], made["extra_reason"], made["fine_amount"],
            made["fine_currency"]) == ("AWAITING_ADMIN", 2, "Order was shipped to the wrong address",
                                       "Address differs from the customer's", "25.0", "EUR")
    assert made["proof"] == [{"message": "Order was shipped to the wrong address", "proof_type": "ORDER",
                              "object_id": order_id}]
    assert made["id"] in {i["id"] for i in listed(wish, stage=2)}


def test_sandbox_catalogue_reason_keeps_its_fine(client: TestClient) -> None:
    made = issued(client, reason="Product listing is misleading", count=2)
    for m in made:
        assert m["fine_amount"] == "100.0" and m["fine_currency"] == "USD"
        assert [p["proof_type"] for p in m["proof"]] == ["PRODUCT", "VARIATION", "TICKET"]
    cny = issued(client, SECOND_TOKEN, reason="Product listing is misleading")[0]
    assert (cny["fine_amount"], cny["fine_currency"]) == ("600.0", "CNY")
    custom = issued(client, reason="Something else entirely")[0]
    assert custom["fine_amount"] == "0.0" and [p["proof_type"] for p in custom["proof"]] == ["MERCHANT"]


@pytest.mark.parametrize("proof_type", ["TICKET", "ORDER", "PRODUCT", "MERCHANT", "RATING", "VARIATION"])
def test_sandbox_proof_type_picks_an_own_object(client: TestClient, wish: Wish, proof_type: str) -> None:
    made = issued(client, proof_type=proof_type)[0]
    (proof,) = made["proof"]
    assert proof["proof_type"] == proof_type
    if proof_type == "MERCHANT":
        assert proof["object_id"] == wish.ok("auth_test", "GET")["merchant_id"]
    elif proof_type == "ORDER":
        wish.ok("order", "GET", id=proof["object_id"])
    elif proof_type == "PRODUCT":
        wish.ok("product", "GET", id=proof["object_id"])


def test_sandbox_proof_of_another_merchant_is_not_found(client: TestClient, other: Wish) -> None:
    foreign_order = other.ok("order/multi-get", "GET", limit=1)[0]["Order"]["order_id"]
    foreign_product = other.ok("product/multi-get", "GET", limit=1)[0]["Product"]["id"]
    other_id = other.ok("auth_test", "GET")["merchant_id"]
    for proof_type, oid in (("ORDER", foreign_order), ("PRODUCT", foreign_product), ("MERCHANT", other_id),
                            ("TICKET", NOWHERE), ("VARIATION", NOWHERE)):
        r = sandbox(client, proof_type=proof_type, object_id=oid)
        assert r.status_code == 404 and r.json()["code"] == 1004, r.text
        assert oid in r.json()["message"]
    r = sandbox(client, proof_type="ORDER", object_id="12345")
    assert r.status_code == 400 and r.json()["message"] == message("invalid_id", value="12345")
    r = sandbox(client, object_id=foreign_order)
    assert r.status_code == 400 and r.json()["message"] == message("missing_param", param="proof_type")


@pytest.mark.parametrize("body", [{"state": "OPEN"}, {"proof_type": "INVOICE"}, {"count": 0},
                                  {"count": generate.MAX_COUNT + 1}, {"fine_amount": -1},
                                  {"fine_currency": "usd"}, {"reason": ""}, {"colour": "red"},
                                  {"merchant_id": NOWHERE}])
def test_sandbox_refusals(client: TestClient, body: dict[str, Any]) -> None:
    r = sandbox(client, **body)
    assert r.status_code == 400 and r.json()["code"] == 1000, r.text


def test_sandbox_merchant(client: TestClient, other: Wish) -> None:
    other_id = other.ok("auth_test", "GET")["merchant_id"]
    r = sandbox(client, None, merchant_id=other_id)
    assert r.status_code == 200 and r.json()["merchant_id"] == other_id
    assert r.json()["infractions"][0]["id"] in {i["id"] for i in listed(other)}
    r = sandbox(client, None)
    assert r.status_code == 400 and r.json()["code"] == 1001


def test_sandbox_seed_repeats_infractions_not_ids(client: TestClient) -> None:
    a, b = issued(client, count=3, seed=11), issued(client, count=3, seed=11)
    strip = ("id", "link")
    assert [{k: v for k, v in i.items() if k not in strip} for i in a] == \
        [{k: v for k, v in i.items() if k not in strip} for i in b]
    assert not {i["id"] for i in a} & {i["id"] for i in b}


# ---- sandbox: driving an infraction through the stages -------------------------------------------------------

def test_drive_an_infraction_through_the_stages(client: TestClient, wish: Wish, advance: Any) -> None:
    made = issued(client)[0]
    counts = [counted(wish, stage=s) for s in (1, 2, 3)]
    advance(60)
    r = move(client, made["id"], "AWAITING_MERCHANT")  # the merchant saw it: still action required
    assert r.status_code == 200 and r.json()["stage"] == 1 and r.json()["last_updated"] > made["last_updated"]
    assert [counted(wish, stage=s) for s in (1, 2, 3)] == counts
    r = move(client, made["id"], "AWAITING_ADMIN")  # disputed: awaiting Wish
    assert r.status_code == 200 and r.json()["stage"] == 2
    assert [counted(wish, stage=s) for s in (1, 2, 3)] == [counts[0] - 1, counts[1] + 1, counts[2]]
    advance(60)
    r = move(client, made["id"], "CLOSED")
    assert r.status_code == 200 and r.json()["stage"] == 3
    closed_at = r.json()["last_updated"]
    assert listed(wish, stage=3, since=closed_at)[-1]["id"] == made["id"]
    assert [counted(wish, stage=s) for s in (1, 2, 3)] == [counts[0] - 1, counts[1], counts[2] + 1]
    r = move(client, made["id"], "AWAITING_MERCHANT")  # reopened
    assert r.status_code == 200 and made["id"] in {i["id"] for i in listed(wish, stage=1)}


def test_refused_moves(client: TestClient) -> None:
    made = issued(client, state="AWAITING_ADMIN")[0]
    r = move(client, made["id"], "AWAITING_ADMIN")
    assert r.status_code == 400 and r.json()["code"] == 1002
    assert r.json()["message"] == message(INFRACTION_SAME_STATE, id=made["id"], state="AWAITING_ADMIN")
    r = move(client, made["id"], "NEW")
    assert r.status_code == 400 and r.json()["code"] == 1000
    assert r.json()["message"] == message(INFRACTION_MOVE_REFUSED, id=made["id"], current="AWAITING_ADMIN",
                                          state="NEW")
    r = move(client, NOWHERE, "CLOSED")
    assert r.status_code == 404 and r.json()["code"] == 1004
    assert r.json()["message"] == message("record_not_found", kind="infraction", id=NOWHERE)
    r = move(client, made["id"], "OPEN")
    assert r.status_code == 400 and r.json()["code"] == 1000


# ---- rules -----------------------------------------------------------------------------------------------

def test_rule_stages() -> None:
    assert [rules.stage_of(s) for s in rules.STATES] == [1, 1, 2, 3]
    assert rules.states_of(1) == ("NEW", "AWAITING_MERCHANT") and rules.states_of(3) == ("CLOSED",)


@pytest.mark.parametrize("current", rules.STATES)
@pytest.mark.parametrize("target", rules.STATES)
def test_rule_moves(current: str, target: str) -> None:
    row = {"id": NOWHERE, "state": current}
    now = datetime(2024, 5, 1, 12)
    if current == target:
        with pytest.raises(WishError) as e:
            rules.moved(row, target, now)
        assert e.value.code == 1002
    elif target == "NEW":
        with pytest.raises(WishError) as e:
            rules.moved(row, target, now)
        assert e.value.code == 1000 and e.value.definition.key == INFRACTION_MOVE_REFUSED
    else:
        assert rules.moved(row, target, now) == {"state": target, "last_updated": now}


def test_rule_fines() -> None:
    assert rules.fine_in(10.0, "USD") == 10.0 and rules.fine_in(10.0, "CNY") == 60.0
    assert rules.fine_in(0.0, "CNY") == 0.0 and rules.link("ab" * 12).endswith("/warning/view/" + "ab" * 12)


def test_generator_proofs_fall_back() -> None:
    rng = random.Random(3)
    no_tickets = generate.Pools(NOWHERE, "USD", ["p" * 24], [("v" * 24, "p" * 24)], [("o" * 24, "REFUNDED")], [])
    misleading = catalog.BY_KEY["misleading_listing"]
    assert [(p["proof_type"], p["object_id"]) for p in generate.proofs(rng, no_tickets, misleading)] == [
        ("PRODUCT", "p" * 24), ("VARIATION", "v" * 24), ("ORDER", "o" * 24)]  # no ticket: its order
    empty = generate.Pools(NOWHERE, "USD", [], [], [], [])
    assert generate.proofs(rng, empty, misleading) == [
        {"proof_type": "MERCHANT", "object_id": NOWHERE, "message": misleading.reason}]
    with pytest.raises(WishError) as e:
        generate.named_proof(None, rng, empty, misleading, "TICKET", None)  # type: ignore[arg-type]  # not read
    assert e.value.definition.key == INFRACTION_NO_PROOF_OBJECT and e.value.code == 1000
    assert e.value.message() == message(INFRACTION_NO_PROOF_OBJECT, kind="ticket", proof_type="TICKET")


def test_seeded_times_are_in_the_past(client: TestClient, wish: Wish) -> None:
    now = freeze(client)
    for i in every(wish):
        created, updated = (datetime.strptime(i[k], STAMP) for k in ("created_time", "last_updated"))
        assert now - timedelta(days=200) < created <= updated <= now


def _seeded(tmp: Path, seed: int) -> dict[str, list[str]]:
    """What the seed wrote to this area's tables, at one frozen instant. Order ids are the orders area's own
    (made from the clock and the process, not the seed): they are masked where a text or a proof names one."""
    ctx = build_context(Settings(data_dir=tmp, products_per_merchant=20))
    ctx.clock.apply(at=datetime(2026, 3, 1, 10, 30), freeze=True)
    ctx.sandbox.reseed(seed)
    columns = {Infraction: ("id", "merchant_id", "state", "reason", "extra_reason", "fine_amount", "proofs",
                            "created_time", "last_updated"),
               Notification: ("id", "merchant_id", "title", "message", "perma_link", "viewed", "created_at"),
               BDAnnouncement: ("id", "bd_id", "bd_name", "title", "viewed", "created_at"),
               SystemUpdate: ("id", "features", "release_date")}
    out = {}
    with ctx.engine.connect() as conn:
        o = table_of(Order)
        order_ids = re.compile("|".join(r[0] for r in conn.execute(select(o.c.id))))
        for model, names in columns.items():
            t = table_of(model)
            q = select(*(t.c[n] for n in names)).order_by(t.c.id)
            out[t.name] = [order_ids.sub("<order>", str(tuple(r))) for r in conn.execute(q)]
    ctx.engine.dispose()
    return out


def test_seed_is_deterministic(tmp_path: Path) -> None:
    a, b = _seeded(tmp_path / "a", 5), _seeded(tmp_path / "b", 5)
    assert a == b and all(a.values())
    assert _seeded(tmp_path / "c", 6)["infraction"] != a["infraction"]
