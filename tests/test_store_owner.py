"""One owner of the live store connection: while the app serves, only the event loop's thread may use it
(mockwish.store.owner), and seeds are built off the loop and swapped in whole (mockwish.sandbox.state)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, text
from starlette.requests import Request
from starlette.testclient import TestClient

from mockwish.app import create_app
from mockwish.config import Settings
from mockwish.store.owner import StoreOwnerError
from mockwish.store.tables import Merchant
from support import DEFAULT_TOKEN, Wish, on_store

DOC_PRODUCT = "4ef2858a9795c776ce000120"


def test_the_guard_refuses_another_thread_while_serving(client: TestClient) -> None:
    ctx = client.app.state.ctx  # type: ignore[attr-defined]
    assert ctx.owner.bound
    with pytest.raises(StoreOwnerError):
        with ctx.engine.connect():
            pass
    with pytest.raises(StoreOwnerError):
        ctx.engine.raw_connection()
    # through the owner it works, from the same thread
    assert on_store(client, lambda conn: conn.execute(text("SELECT 1")).scalar()) == 1


def test_a_threadpool_route_cannot_reach_the_store(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """A plain `def` route (FastAPI runs it in its thread pool) is refused before it runs a statement, so it
    can never roll back a transaction the loop has open: the answer is a well-formed 9000, not lost data."""
    app = create_app(Settings(data_dir=tmp_path, products_per_merchant=3, sandbox_allowed_hosts="testserver"))

    def plain_route(request: Request) -> dict[str, int]:
        ctx = request.app.state.ctx
        with ctx.engine.begin() as conn:
            return {"n": len(conn.execute(select(Merchant.__table__.c.id)).all())}  # type: ignore[attr-defined]

    app.add_api_route("/plain-def", plain_route)
    with TestClient(app, raise_server_exceptions=False) as c, caplog.at_level(logging.ERROR, "mockwish"):
        r = c.get("/plain-def")
        assert r.status_code == 500 and r.json()["code"] == 9000
        assert Wish(c).ok("auth_test")["success"] is True  # the API goes on
    assert any("StoreOwnerError" in (rec.exc_text or "") or isinstance(rec.exc_info and rec.exc_info[1],
               StoreOwnerError) for rec in caplog.records)
    # no server: the calling thread may use the store again
    with app.state.ctx.engine.connect() as conn:
        assert conn.execute(text("SELECT 1")).scalar() == 1


@pytest.fixture
def own_app(tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(Settings(data_dir=tmp_path, products_per_merchant=3, sandbox_allowed_hosts="testserver"))
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def test_a_failed_seed_leaves_the_old_data(own_app: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    wish = Wish(own_app)
    wish.ok("product/update", id=DOC_PRODUCT, name="Kept through a failed seed")
    store = own_app.app.state.ctx.sandbox  # type: ignore[attr-defined]

    def broken(seed: int) -> None:
        raise RuntimeError("the generator broke")

    monkeypatch.setattr(store, "build", broken)
    r = own_app.post("/sandbox/api/seed", json={"seed": 9})
    assert r.status_code == 500 and r.json()["code"] == 9000
    assert wish.ok("product", "GET", id=DOC_PRODUCT)["Product"]["name"] == "Kept through a failed seed"
    assert own_app.get("/sandbox/api/merchants").status_code == 200 and store.seed == 42


def test_a_seed_swaps_the_whole_state_and_reset_returns_to_it(own_app: TestClient) -> None:
    wish = Wish(own_app)
    before = [p["Product"]["id"] for p in wish.ok("product/multi-get", "GET", limit=50)]
    r = own_app.post("/sandbox/api/seed", json={"seed": 5})
    assert r.status_code == 200 and r.json()["seed"] == 5
    after = [p["Product"]["id"] for p in wish.ok("product/multi-get", "GET", limit=50)]
    assert after != before and DOC_PRODUCT in after  # generated data differ; the docs' fixtures stay
    wish.ok("product/update", id=DOC_PRODUCT, name="Changed")
    assert own_app.post("/sandbox/api/reset").json() == {"seed": 5, "reset": True}
    assert [p["Product"]["id"] for p in wish.ok("product/multi-get", "GET", limit=50)] == after
    assert wish.ok("product", "GET", id=DOC_PRODUCT)["Product"]["name"] != "Changed"
    assert wish.ok("auth_test")["merchant_username"] == "merchant@example.com" and DEFAULT_TOKEN
