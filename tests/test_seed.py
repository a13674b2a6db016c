"""Seed data: deterministic, realistic, covering the states the API exposes."""

from __future__ import annotations

import sqlite3
from collections import Counter
from pathlib import Path

from sqlalchemy import select
from starlette.testclient import TestClient

from mockwish.app import build_context, create_app
from mockwish.config import Settings
from mockwish.store.tables import Merchant, Product, Variant
from support import Wish

P = Product.__table__  # type: ignore[attr-defined]
V = Variant.__table__  # type: ignore[attr-defined]
M = Merchant.__table__  # type: ignore[attr-defined]


def _dump(tmp: Path, seed: int) -> tuple[list, list]:
    ctx = build_context(Settings(data_dir=tmp, products_per_merchant=60))
    ctx.sandbox.reseed(seed)
    with ctx.engine.connect() as conn:
        products = [tuple(r) for r in conn.execute(select(P).order_by(P.c.id))]
        variants = [tuple(r) for r in conn.execute(select(V).order_by(V.c.id))]
    ctx.engine.dispose()
    return products, variants


def test_same_seed_same_data(tmp_path: Path) -> None:
    a = _dump(tmp_path / "a", 5)
    b = _dump(tmp_path / "b", 5)
    assert a == b
    assert _dump(tmp_path / "c", 6) != a


def test_catalogue_is_varied(tmp_path: Path) -> None:
    ctx = build_context(Settings(data_dir=tmp_path, products_per_merchant=200))
    report = ctx.sandbox.reseed(1)
    assert report.merchants == 3 and report.products >= 600
    with ctx.engine.connect() as conn:
        review = Counter(r[0] for r in conn.execute(select(P.c.review_status)))
        enabled = Counter(r[0] for r in conn.execute(select(P.c.enabled)))
        removed = conn.execute(select(P.c.id).where(P.c.removed_by_merchant.is_(True))).all()
        colours = {r[0] for r in conn.execute(select(V.c.color))}
        sizes = {r[0] for r in conn.execute(select(V.c.size))}
        disabled_variants = conn.execute(select(V.c.id).where(V.c.enabled.is_(False))).all()
        merchants = conn.execute(select(M)).mappings().all()
        shipped = conn.execute(select(P.c.shipping)).all()
    assert set(review) == {"approved", "pending", "rejected"}
    assert enabled[True] and enabled[False] and removed and disabled_variants
    assert len(colours) > 5 and len(sizes) > 10
    assert any(len(s[0]["STANDARD"]) >= 2 for s in shipped)
    assert {m["payment_currency"] for m in merchants} == {"USD", "CNY"}
    # SKUs are unique per merchant (the store enforces it; the seed must not trip it)
    ctx.engine.dispose()


def test_a_data_dir_of_another_version_is_reseeded_with_its_seed(tmp_path: Path) -> None:
    """A data volume kept across an upgrade: a table missing a column this version writes would make every
    order query fail; prepare() notices the tables differ and reseeds with the seed the data was made with."""
    settings = Settings(data_dir=tmp_path, products_per_merchant=5, seed=7)
    first = build_context(settings)
    assert first.sandbox.prepare() is not None  # a fresh dir is seeded
    with sqlite3.connect(settings.db_path) as raw:
        raw.execute("ALTER TABLE orders DROP COLUMN ship_note")  # as an older release wrote it
    first.engine.dispose()

    again = build_context(Settings(data_dir=tmp_path, products_per_merchant=5, seed=99))
    assert again.sandbox.prepare() is not None and again.sandbox.seed == 7
    with TestClient(create_app(Settings(data_dir=tmp_path, products_per_merchant=5))) as c:
        r = Wish(c).call("order/multi-get", "GET", limit="5")
        assert r.status_code == 200 and r.json()["data"], r.text
    current = build_context(Settings(data_dir=tmp_path, products_per_merchant=5))
    assert current.sandbox.prepare() is None  # the same version's tables are kept as they are


def test_a_data_dir_whose_seed_cannot_be_read_is_reseeded_with_the_configured_seed(tmp_path: Path) -> None:
    first = build_context(Settings(data_dir=tmp_path, products_per_merchant=5, seed=7))
    first.sandbox.prepare()
    first.engine.dispose()
    with sqlite3.connect(tmp_path / "mockwish.db") as raw:
        raw.execute("ALTER TABLE sandbox_state RENAME COLUMN value TO old_value")
    again = build_context(Settings(data_dir=tmp_path, products_per_merchant=5, seed=99))
    assert again.sandbox.prepare() is not None and again.sandbox.seed == 99
    assert again.sandbox.stored_seed() == 99
