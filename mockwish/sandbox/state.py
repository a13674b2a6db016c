"""Seeding and resetting the store. The first seed in a process keeps an in-memory snapshot of the
database so `reset` is a page copy (milliseconds), not a re-generation."""

from __future__ import annotations

import logging
import secrets
import sqlite3
from datetime import datetime
from functools import cached_property
from pathlib import Path

from sqlalchemy import Engine, insert, select
from sqlalchemy.exc import SQLAlchemyError

from mockwish.clock import Clock
from mockwish.merchant.orders import store as order_store
from mockwish.merchant.orders.rules import OrderPolicy
from mockwish.seed import SeedReport, doc_fixtures, seed_database
from mockwish.store.engine import create_schema, drop_schema, schema_is_current
from mockwish.store.tables import Merchant, SandboxState

log = logging.getLogger("mockwish")


class SandboxStore:
    def __init__(self, engine: Engine, *, seed: int, products_per_merchant: int, fixtures_dir: Path | None,
                 clock: Clock, order_policy: OrderPolicy) -> None:
        self.engine = engine
        self.clock = clock  # seeded orders are placed relative to its instant of seeding
        self.order_policy = order_policy
        self._seeded_at: datetime | None = None
        self.seed = seed
        self.products_per_merchant = products_per_merchant
        self.fixtures_dir = fixtures_dir
        self._pristine: sqlite3.Connection | None = None  # snapshot of the seeded state
        self._pristine_seed: int | None = None
        self._pristine_run: str | None = None  # which seeding the snapshot is of (see reseed)

    @cached_property
    def doc_product_ids(self) -> frozenset[str]:
        """The products the docs' examples name (fixtures/doc_catalogue.json): generated test orders leave
        them alone unless asked for by id or SKU, so the docs' examples keep answering as printed."""
        if self.fixtures_dir is None or not (self.fixtures_dir / "doc_catalogue.json").exists():
            return frozenset()
        return frozenset(p["id"] for p in doc_fixtures.load(self.fixtures_dir)["products"])

    def _raw(self) -> sqlite3.Connection:
        return self.engine.raw_connection().driver_connection  # type: ignore[return-value]

    def is_empty(self) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(select(Merchant.__table__.c.id).limit(1)).first() is None  # type: ignore[attr-defined]

    def _stored(self, key: str) -> str | None:
        table = SandboxState.__table__  # type: ignore[attr-defined]
        with self.engine.connect() as conn:
            row = conn.execute(select(table.c.value).where(table.c.key == key)).first()
        return row[0] if row else None

    def stored_seed(self) -> int | None:
        value = self._stored("seed")
        return int(value) if value else None

    def prepare(self) -> SeedReport | None:
        """Create the schema; seed it when empty (a fresh data dir) or when its tables are another version's
        (a data volume kept across an upgrade: with the seed it was made with, if it can still be read)."""
        create_schema(self.engine)
        if not schema_is_current(self.engine):
            try:
                self.seed = self.stored_seed() or self.seed
            except SQLAlchemyError:  # the old sandbox_state table is unreadable too
                pass
            log.warning("the data dir's tables were written by another version of mockwish: reseeding (seed %s)",
                        self.seed)
            return self.reseed(self.seed)
        if self.is_empty():
            return self.reseed(self.seed)
        self.seed = self.stored_seed() or self.seed
        return None

    def reseed(self, seed: int) -> SeedReport:
        """Drop everything and generate the data of `seed`."""
        drop_schema(self.engine)
        create_schema(self.engine)
        with self.engine.begin() as conn:
            self._seeded_at = self.clock.now()
            report = seed_database(conn, seed=seed, products_per_merchant=self.products_per_merchant,
                                   fixtures_dir=self.fixtures_dir, now=self._seeded_at,
                                   order_policy=self.order_policy)
            # a mark of this seeding: a `mockwish seed` run by another process while serving leaves another
            # one, and a reset then seeds again instead of restoring this process's older snapshot
            self._pristine_run = secrets.token_hex(8)
            conn.execute(insert(SandboxState.__table__).values(key="seed_run", value=self._pristine_run))  # type: ignore[attr-defined]
        self.seed = seed
        self._snapshot()
        return report

    def reset(self) -> None:
        """Back to the seeded state of the current seed."""
        if self._pristine is not None and self._stored("seed_run") != self._pristine_run:
            self.seed = self.stored_seed() or self.seed  # reseeded by another process
            self._pristine = None
        if self._pristine is None or self._pristine_seed != self.seed:
            self.reseed(self.seed)
            return
        self._pristine.backup(self._raw())
        if self._seeded_at is not None:  # the seeded orders age with the clock: as fresh as at seeding
            now = self.clock.now()
            with self.engine.begin() as conn:
                order_store.shift_times(conn, now - self._seeded_at)

    def _snapshot(self) -> None:
        if self._pristine is None:
            self._pristine = sqlite3.connect(":memory:", check_same_thread=False)
        self._raw().backup(self._pristine)
        self._pristine_seed = self.seed
