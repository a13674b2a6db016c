"""One seeded app per test session; every test starts from the seeded state (reset is a page copy)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from starlette.testclient import TestClient

from mockwish.app import create_app
from mockwish.config import Settings
from support import SECOND_TOKEN, Wish, fresh_client

TEST_PRODUCTS_PER_MERCHANT = 40


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    data: Path = tmp_path_factory.mktemp("data")
    return Settings(data_dir=data, products_per_merchant=TEST_PRODUCTS_PER_MERCHANT, seed=42,
                    job_pending_seconds=2, job_running_seconds=5, sandbox_allowed_hosts="testserver")


@pytest.fixture(scope="session")
def app(settings: Settings) -> FastAPI:
    return create_app(settings)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    ctx = app.state.ctx
    if ctx.sandbox.seed != ctx.settings.seed:  # a test re-seeded with another number
        ctx.sandbox.reseed(ctx.settings.seed)
    with fresh_client(app) as c:
        yield c


@pytest.fixture
def wish(client: TestClient) -> Wish:
    """The default merchant (token an_example_access_token)."""
    return Wish(client)


@pytest.fixture
def other(client: TestClient) -> Wish:
    """The second merchant, paid in CNY: for tenant isolation and localized-price rules."""
    return Wish(client, SECOND_TOKEN)


@pytest.fixture
def advance(client: TestClient):  # noqa: ANN201
    """advance(seconds): move the mock's clock forward through the sandbox API."""
    def go(seconds: float) -> None:
        r = client.post("/sandbox/api/clock", json={"advance_seconds": seconds})
        assert r.status_code == 200, r.text
    return go


@pytest.fixture(scope="session")
def wp_doc() -> str:
    """wishpost-api.txt (WP-DOC)."""
    from wishpost_support import read_doc
    return read_doc("wishpost-api.txt")


@pytest.fixture(scope="session")
def wp_v3() -> str:
    """wishpost-v3-api-3.0.6.txt (WP-V3)."""
    from wishpost_support import read_doc
    return read_doc("wishpost-v3-api-3.0.6.txt")
