"""The sandbox control API: merchants, reset, seed, clock, health."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from mockwish.app import build_context, create_app
from mockwish.config import Settings
from support import DEFAULT_TOKEN, SECOND_TOKEN, WORLDWIDE_TOKEN, Wish


def test_healthz(client: TestClient) -> None:
    r = client.get("/healthz")
    assert r.status_code == 200 and r.json()["status"] == "ok"


def test_merchants_lists_tokens_and_sign_in(client: TestClient) -> None:
    merchants = client.get("/sandbox/api/merchants").json()
    by_user = {m["username"]: m for m in merchants}
    assert by_user["merchant@example.com"]["tokens"] == [DEFAULT_TOKEN]
    assert by_user["second@example.com"]["tokens"] == [SECOND_TOKEN]
    assert by_user["worldwide@example.com"]["ships_worldwide"] is True
    assert by_user["second@example.com"]["payment_currency"] == "CNY"
    assert all(len(m["id"]) == 24 and m["password"] for m in merchants)


def test_reset_restores_the_seeded_state(client: TestClient, wish: Wish) -> None:
    wish.ok("variant/update-inventory", sku="blue-shoe-11", inventory=7)
    pid = wish.ok("product/add", name="Tmp", description="d", tags="a", sku="tmp-1", inventory=1, price=1,
                  shipping=1, main_image="https://example.com/a.jpg")["Product"]["id"]
    r = client.post("/sandbox/api/reset")
    assert r.status_code == 200 and r.json()["reset"] is True
    assert wish.ok("variant", "GET", sku="blue-shoe-11")["Variant"]["inventory"] == "100"
    wish.err("product", 1004, method="GET", id=pid)


def test_seed_is_deterministic_and_changes_with_the_number(client: TestClient, wish: Wish) -> None:
    def catalogue() -> list[tuple[str, str]]:
        data = wish.ok("product/multi-get", "GET", limit=250)
        return [(p["Product"]["id"], p["Product"]["name"]) for p in data]

    before = catalogue()
    out = client.post("/sandbox/api/seed", json={"seed": 7}).json()
    assert out["seed"] == 7 and out["merchants"] == 3 and out["products"] > 0 and out["variants"] > out["products"]
    seven = catalogue()
    assert seven != before
    client.post("/sandbox/api/seed", json={"seed": 7})
    assert catalogue() == seven
    client.post("/sandbox/api/seed", json={"seed": 42})
    assert catalogue() == before
    # the docs' entities exist whatever the seed
    assert wish.ok("product", "GET", id="4ef2858a9795c776ce000120")["Product"]["name"] == "TEST!!!"


def test_reset_after_reseed_keeps_the_new_seed(client: TestClient, wish: Wish) -> None:
    client.post("/sandbox/api/seed", json={"seed": 3})
    names = wish.ok("product/multi-get", "GET", limit=5)
    wish.ok("product/disable", id="123456789009876543211234")
    assert client.post("/sandbox/api/reset").json()["seed"] == 3
    assert wish.ok("product/multi-get", "GET", limit=5) == names
    client.post("/sandbox/api/seed", json={"seed": 42})


def test_seed_rejects_bad_bodies(client: TestClient) -> None:
    for body in ({"seed": "7"}, {"seed": -1}, [1]):
        r = client.post("/sandbox/api/seed", json=body)
        assert r.status_code == 400 and r.json()["code"] == 1000, (body, r.text)


class TestClock:
    def test_freeze_set_advance_unfreeze(self, client: TestClient) -> None:
        r = client.post("/sandbox/api/clock", json={"freeze": True, "set": "2030-01-02T03:04:05Z"}).json()
        assert r["frozen"] is True and r["now"] == "2030-01-02T03:04:05.000Z"
        r = client.post("/sandbox/api/clock", json={"advance_seconds": 60}).json()
        assert r["now"] == "2030-01-02T03:05:05.000Z"
        assert client.get("/sandbox/api/clock").json()["now"] == "2030-01-02T03:05:05.000Z"
        r = client.post("/sandbox/api/clock", json={"freeze": False}).json()
        assert r["frozen"] is False and r["now"].startswith("2030-01-02T03:05")
        r = client.post("/sandbox/api/clock", json={"reset": True}).json()
        assert r["offset_seconds"] == 0 and not r["frozen"]

    def test_offset_time_zone_is_converted_to_utc(self, client: TestClient) -> None:
        r = client.post("/sandbox/api/clock", json={"freeze": True, "set": "2030-01-02T10:00:00+08:00"}).json()
        assert r["now"] == "2030-01-02T02:00:00.000Z"

    @pytest.fixture
    def ticking(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Wall time that moves 3 ms at every reading, as on a busy machine: any step that reads it twice
        where once was meant shows up in the answer."""
        from mockwish import clock as clock_module
        state = {"t": datetime(2026, 1, 1)}

        def tick() -> datetime:
            state["t"] += timedelta(milliseconds=3)
            return state["t"]
        monkeypatch.setattr(clock_module, "utcnow", tick)

    @pytest.mark.usefixtures("ticking")
    def test_set_and_freeze_land_exactly_on_the_instant(self, client: TestClient) -> None:
        for _ in range(3):  # from a running clock each time
            client.post("/sandbox/api/clock", json={"reset": True})
            r = client.post("/sandbox/api/clock", json={"freeze": True, "set": "2030-01-02T10:00:00+08:00"}).json()
            assert r["now"] == r["frozen_at"] == "2030-01-02T02:00:00.000Z" and r["frozen"] is True
        r = client.post("/sandbox/api/clock", json={"set": "2030-01-02T02:00:00Z", "freeze": True,
                                                     "advance_seconds": 60}).json()
        assert r["now"] == "2030-01-02T02:01:00.000Z"

    @pytest.mark.usefixtures("ticking")
    def test_frozen_state_is_self_consistent(self, client: TestClient) -> None:
        first = client.post("/sandbox/api/clock", json={"freeze": True, "set": "2030-01-02T00:00:00Z"}).json()
        later = client.get("/sandbox/api/clock").json()
        assert later["now"] == later["frozen_at"] == first["now"]
        # the offset is now minus wall time at the moment of reading: wall time moved, the frozen instant did not
        assert later["offset_seconds"] < first["offset_seconds"]
        running = client.post("/sandbox/api/clock", json={"freeze": False}).json()
        assert running["frozen"] is False and running["frozen_at"] is None

    def test_bad_clock_bodies(self, client: TestClient) -> None:
        for body in ({"set": "yesterday"}, {"advance_seconds": -5}, {"freeze": "yes"}, {"set": 12}):
            r = client.post("/sandbox/api/clock", json=body)
            assert r.status_code == 400 and r.json()["code"] == 1000, (body, r.text)

    def test_the_api_reads_the_mock_clock(self, client: TestClient, wish: Wish) -> None:
        client.post("/sandbox/api/clock", json={"freeze": True, "set": "2031-05-06T07:08:09"})
        wish.ok("product/update", id="123456789009876543211234", name="Clocked")
        p = wish.ok("product", "GET", id="123456789009876543211234")["Product"]
        assert p["last_updated"] == datetime(2031, 5, 6, 7, 8, 9).strftime("%m-%d-%YT%H:%M:%S")


def test_worldwide_merchant_token_works(client: TestClient) -> None:
    assert Wish(client, WORLDWIDE_TOKEN).ok("auth_test", "GET")["merchant_username"] == "worldwide@example.com"


def test_clock_stays_in_a_sane_range(client: TestClient) -> None:
    for body in ({"set": "0001-01-01T00:00:00+00:01"}, {"set": "9999-12-31T23:59:59-01:00"},
                 {"set": "1999-12-31T23:59:59"}):
        r = client.post("/sandbox/api/clock", json=body)
        assert r.status_code == 400 and r.json()["code"] == 1000, (body, r.text)
    r = client.post("/sandbox/api/clock", json={"set": "2999-12-01T00:00:00", "freeze": True})
    assert r.status_code == 200
    r = client.post("/sandbox/api/clock", json={"advance_seconds": 86400 * 60})
    assert r.status_code == 400 and client.get("/sandbox/api/clock").json()["now"].startswith("2999-12-01")


def test_a_reseed_by_another_process_is_seen_by_the_server(tmp_path: Path) -> None:
    """`mockwish seed` run beside a serving mockwish: tokens, cached reads and reset follow the new data."""
    settings = Settings(data_dir=tmp_path, products_per_merchant=5, seed=42, sandbox_allowed_hosts="testserver")
    with TestClient(create_app(settings), raise_server_exceptions=False) as c:
        before = Wish(c).ok("auth_test", "GET")["merchant_id"]
        outside = build_context(settings)  # another process on the same data dir
        outside.sandbox.reseed(7)  # type: ignore[attr-defined]
        outside.engine.dispose()
        after = Wish(c).ok("auth_test", "GET")["merchant_id"]
        assert after != before  # not the token cache's old merchant
        assert after == next(m["id"] for m in c.get("/sandbox/api/merchants").json()
                             if m["username"] == "merchant@example.com")
        assert c.post("/sandbox/api/reset").json()["seed"] == 7  # not this process's older seed-42 snapshot
        assert Wish(c).ok("auth_test", "GET")["merchant_id"] == after


class TestPlainWordErrors:
    """Every sandbox validation error names the field that is wrong and says why (issue: `{"count": ` once
    answered "10 is invalid (JSON decode error): {}")."""

    def test_truncated_json(self, client: TestClient) -> None:
        r = client.post("/sandbox/api/transactions", content=b'{"count": ',
                        headers={"Content-Type": "application/json", "Authorization": f"Bearer {DEFAULT_TOKEN}"})
        body = r.json()
        assert r.status_code == 400 and body["code"] == 1000
        assert body["message"].startswith("The request body is not valid JSON (") and "character 10" in body["message"]
        assert "{}" not in body["message"]

    def test_field_named_with_the_reason(self, client: TestClient) -> None:
        bearer = {"Authorization": f"Bearer {DEFAULT_TOKEN}"}
        r = client.post("/sandbox/api/transactions", json={"count": 0}, headers=bearer)
        assert r.status_code == 400 and r.json()["message"].startswith("count is invalid (")
        r = client.post("/sandbox/api/transactions", json={"cuont": 3}, headers=bearer)
        assert r.json()["message"] == "'cuont' is not a field of this request"
        r = client.post("/sandbox/api/transactions", json=[1])
        assert r.status_code == 400 and r.json()["message"] == "The request body must be a JSON object"

    def test_transactions_without_a_merchant_say_what_is_needed(self, client: TestClient) -> None:
        r = client.post("/sandbox/api/transactions", json={"count": 1})
        body = r.json()
        assert r.status_code == 400 and body["code"] == 1001
        assert "merchant_id" in body["message"] and "Bearer" in body["message"]


DOC_DOWNLOAD_JOB = "57bb5803ba2a1f181de31b01"  # fixtures/doc_catalogue.json: a product download finished at seeding


def test_a_reset_brings_the_seeded_jobs_back_done_with_files_ready_from_the_reset(
        client: TestClient, wish: Wish) -> None:
    """The seeded jobs finished at seeding are done in the seeded state itself (SandboxStore.build), so no
    request after a reset redoes them; their files count their 72 hours from the reset, as from a first look."""
    from sqlalchemy import select

    from mockwish.store.tables import Job, JobFile, table_of
    from support import on_store

    jobs, files = table_of(Job), table_of(JobFile)

    def seeded(conn: object) -> tuple[object, object]:
        job = conn.execute(select(jobs.c.settled).where(jobs.c.id == DOC_DOWNLOAD_JOB)).scalar_one()  # type: ignore[attr-defined]
        ready = conn.execute(select(files.c.ready_at).where(files.c.job_id == DOC_DOWNLOAD_JOB)).scalar_one()  # type: ignore[attr-defined]
        return job, ready

    client.post("/sandbox/api/clock", json={"advance_seconds": 3 * 24 * 3600})  # three days on
    before = datetime.utcnow() + timedelta(days=3)
    assert client.post("/sandbox/api/reset").status_code == 200
    settled, ready = on_store(client, seeded)  # before any API request looked at the job
    assert settled is True
    now = client.app.state.ctx.clock.now()  # type: ignore[attr-defined]
    assert before - timedelta(minutes=1) < ready <= now  # type: ignore[operator]
    status = wish.ok("product/get-download-job-status", job_id=DOC_DOWNLOAD_JOB)
    assert status["status"] == "FINISHED" and status["download_link"]
    assert client.get(status["download_link"]).status_code == 200  # its file is served: not expired
