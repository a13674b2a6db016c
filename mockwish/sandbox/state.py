"""Seeding and resetting the store, each one atomic for every other request.

A seed is built on a private in-memory database, off the event loop (it takes seconds), and swapped into
the live database in one page copy on the owner's thread (milliseconds, between two requests): requests in
flight finish against the old state, the next ones see the new one, none sees half of one, and a seed that
fails leaves the old data as it was. The built database is kept as the snapshot of the seeded state, so a
reset is the same page copy."""

from __future__ import annotations

import asyncio
import logging
import secrets
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, insert, select
from sqlalchemy.exc import SQLAlchemyError

from mockwish.clock import Clock
from mockwish.merchant.orders import store as order_store
from mockwish.merchant.orders.rules import OrderPolicy
from mockwish.store.engine import create_schema, make_private_engine, schema_is_current
from mockwish.store.owner import StoreOwner
from mockwish.store.shift import shift_seeded
from mockwish.store.tables import Merchant, SandboxState, table_of

if TYPE_CHECKING:  # the generators (Faker) load when a seed is built, not at every start
    from mockwish.seed.database import SeedReport
    from mockwish.tenants.registry import Seeder

log = logging.getLogger("mockwish")


class StoreClosed(RuntimeError):
    """The store was closed (its tenant deleted) while a seed for it was being built: nothing is installed."""


@dataclass
class Built:
    """A seeded database not yet live: its private engine (which keeps the in-memory database alive)."""

    engine: Engine
    report: SeedReport
    seeded_at: datetime
    run: str  # the mark of this seeding, also stored in the database (see reset)

    def copy_into(self, target: sqlite3.Connection) -> None:
        raw = self.engine.raw_connection()
        try:
            raw.driver_connection.backup(target)  # type: ignore[union-attr]  # driver_connection is typed Any | None; here always a sqlite3.Connection
        finally:
            raw.close()


class SandboxStore:
    def __init__(self, engine: Engine, owner: StoreOwner, *, seed: int, products_per_merchant: int,
                 fixtures_dir: Path | None, clock: Clock, order_policy: OrderPolicy,
                 seeder: Seeder | None = None, keep_snapshot: bool = True,
                 settle_seeded: Callable[[Connection, datetime], object] | None = None) -> None:
        self.engine = engine  # for the schema at startup, before anything serves
        self.owner = owner  # every other use of the live store
        self.clock = clock  # seeded orders are placed relative to its instant of seeding
        self.order_policy = order_policy
        self.seed = seed
        self.products_per_merchant = products_per_merchant
        self.fixtures_dir = fixtures_dir
        self._pristine: Built | None = None  # the seeded state, to reset to
        # what fills a new database: the default data's merchants, or a tenant's (mockwish.tenants.seed)
        self.seeder = seeder
        self.keep_snapshot = keep_snapshot  # False: a reset seeds again (a big tenant's snapshot is not kept)
        self.scenario_marker: str | None = None  # the baseline scenario the store must hold (scenarios.baseline)
        self.closed = False  # a deleted tenant's store: nothing may be copied into it any more
        # the work of what is due at the instant of seeding, done in the built database (its seeded jobs)
        self.settle_seeded = settle_seeded
        self._lock: asyncio.Lock | None = None  # seeds and resets one at a time (per serving loop)
        self._lock_loop: asyncio.AbstractEventLoop | None = None

    @cached_property
    def doc_product_ids(self) -> frozenset[str]:
        """The products the docs' examples name (fixtures/doc_catalogue.json): generated test orders leave
        them alone unless asked for by id or SKU, so the docs' examples keep answering as printed."""
        if self.fixtures_dir is None or not (self.fixtures_dir / "doc_catalogue.json").exists():
            return frozenset()
        from mockwish.seed import doc_fixtures

        return frozenset(p["id"] for p in doc_fixtures.load(self.fixtures_dir)["products"])

    def is_empty(self) -> bool:
        with self.owner.begin() as conn:
            return conn.execute(select(table_of(Merchant).c.id).limit(1)).first() is None

    def _stored(self, key: str) -> str | None:
        table = table_of(SandboxState)
        with self.owner.begin() as conn:
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
        if self._stored("scenario") != self.scenario_marker:  # MOCKWISH_SCENARIO set, changed or unset since
            log.warning("the data dir was seeded with another scenario: reseeding (seed %s)", self.seed)
            return self.reseed(self.seed)
        return None

    # ---- building and swapping ---------------------------------------------------------------------

    def build(self, seed: int) -> Built:
        """The data of `seed` in a private database. Touches nothing live: safe on any thread."""
        engine = make_private_engine()
        create_schema(engine)
        with engine.begin() as conn:
            seeded_at = self.clock.now()
            report = (self.seeder or self.seed_default)(conn, seed, seeded_at)
            if self.settle_seeded is not None:  # part of the seeded state, copied back by every reset
                self.settle_seeded(conn, seeded_at)
            # a mark of this seeding: a `mockwish seed` run by another process while serving leaves another
            # one, and a reset then seeds again instead of restoring this process's older snapshot
            run = secrets.token_hex(8)
            conn.execute(insert(table_of(SandboxState)).values(key="seed_run", value=run))
        return Built(engine, report, seeded_at, run)

    def seed_default(self, conn: Connection, seed: int, now: datetime) -> SeedReport:
        """The default data: the seeded merchants, their catalogues, orders and support data, WishPost users."""
        from mockwish.seed.database import seed_database

        return seed_database(conn, seed=seed, products_per_merchant=self.products_per_merchant,
                             fixtures_dir=self.fixtures_dir, now=now, order_policy=self.order_policy)

    def install(self, built: Built) -> SeedReport:
        """Make a built database the live one (a page copy over the whole file: tables of another version
        go too) and keep it as the snapshot to reset to."""
        self._copy_into_live(built)
        self._pristine = built if self.keep_snapshot else None
        self.seed = built.report.seed
        return built.report

    def close(self) -> None:
        self.closed = True

    def _copy_into_live(self, built: Built) -> None:
        if self.closed:
            raise StoreClosed("the store was closed while its new state was built")
        built.copy_into(self.owner.raw())  # the owner's guard applies

    def reseed(self, seed: int) -> SeedReport:
        """Replace everything with the data of `seed` (synchronously: startup, the CLI, tests)."""
        return self.install(self.build(seed))

    def needs_seed(self) -> bool:
        """True when a reset must generate the data again: no snapshot of the current seed in this process, or
        another process (`mockwish seed`) reseeded the database since it was taken."""
        if self._pristine is not None and self._stored("seed_run") != self._pristine.run:
            self.seed = self.stored_seed() or self.seed
            self._pristine = None
        return self._pristine is None or self._pristine.report.seed != self.seed

    def reset(self) -> None:
        """Back to the seeded state of the current seed (synchronously)."""
        if self.needs_seed():
            self.reseed(self.seed)
            return
        self._restore()

    def _restore(self) -> None:
        assert self._pristine is not None
        self._copy_into_live(self._pristine)
        # the seeded orders (and the tickets, notifications, ... about them) age with the clock: as fresh as at seeding
        with self.owner.begin() as conn:
            delta = self.clock.now() - self._pristine.seeded_at
            order_store.shift_times(conn, delta)
            shift_seeded(conn, delta)

    # ---- the same, from the serving loop -------------------------------------------------------------

    def _serial(self) -> asyncio.Lock:
        loop = asyncio.get_running_loop()
        if self._lock is None or self._lock_loop is not loop:
            self._lock, self._lock_loop = asyncio.Lock(), loop
        return self._lock

    async def reseed_async(self, seed: int) -> SeedReport:
        """Build off the loop (requests go on against the old data meanwhile), then swap on the loop."""
        async with self._serial():
            built = await asyncio.to_thread(self.build, seed)
            return self.install(built)

    async def reset_async(self) -> None:
        async with self._serial():
            if self.needs_seed():
                self.install(await asyncio.to_thread(self.build, self.seed))
            else:
                self._restore()
