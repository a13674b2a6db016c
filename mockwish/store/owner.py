"""The one owner of the live store connection (DESIGN.md, "Concurrency: one owner of the store").

Every request runs its short SQLite work on the event loop's thread, between two awaits: a transaction is
opened and committed without yielding, so requests never interleave inside one, and the one shared
connection needs no lock. Measured (bench/RESULTS.md, issue 11): that is also the fastest place for it; a hop
to a dedicated store thread costs more than the work itself on a primary-key read.

What this module enforces is the other half of the rule: nothing reaches the connection from another
thread while the loop owns it. A plain `def` route, which FastAPI runs in its thread pool, once rolled back
the loop's open transaction and lost acknowledged writes. The guard sits in the pool (GuardedStaticPool):
every use of the engine (`connect`, `begin`, `raw_connection`) checks out the connection first, so one
integer compare per checkout refuses the wrong thread with StoreOwnerError before any statement runs, and
before the pool has touched the connection (an error raised from a checkout event instead makes SQLAlchemy
close it).

The owner is the thread of the serving loop, from the app's startup to its shutdown. Outside that window
(building the app, the CLI, a test between two clients) there is no loop serving and the calling thread
uses the store directly. Code on another thread that must touch the store while the loop owns it asks the
owner to run it (`call`), and waits.

While it serves, the owner keeps one SQLAlchemy Connection checked out and runs each request's transaction
on it (`begin`): a checkout, a Connection object and the pool's reset on return per request cost more than
a cached product read itself (a third of the request, profiled)."""

from __future__ import annotations

import asyncio
import concurrent.futures
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, event

from mockwish.store.engine import GuardedStaticPool

T = TypeVar("T")


class StoreOwnerError(RuntimeError):
    """The live store was reached from a thread that does not own it."""


class StoreOwner:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._thread: int | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._conn: Connection | None = None  # the owner's own connection while it serves
        # called after a transaction that changed rows was rolled back: what was read from those rows (a
        # cache that synced mid-transaction) may describe changes that never happened
        self.rollback_listeners: list[Callable[[], None]] = []
        if isinstance(engine.pool, GuardedStaticPool):
            engine.pool.guard = self._check
        else:  # an engine not made by make_engine (none in mockwish): the same check, from the pool's event
            event.listen(engine, "checkout", self._check)

    @property
    def bound(self) -> bool:
        return self._thread is not None

    def bind(self) -> None:
        """Called on the serving loop at startup: from now on only this thread may use the connection. One
        loop serves every port (mockwish.serve): a second loop starting to serve the same app is a mistake."""
        if self._thread is not None and self._thread != threading.get_ident():
            raise StoreOwnerError("the store already has an owner: one event loop serves the app")
        self._loop = asyncio.get_running_loop()
        self._thread = threading.get_ident()
        self._conn = self.engine.connect()

    def release(self) -> None:
        """Called at shutdown: no loop serves any more."""
        if self._conn is not None:
            self._conn.close()
        self._conn = None
        self._thread = None
        self._loop = None

    def _own(self) -> Connection | None:
        """The owner's connection when the caller is the owner, else None (not serving: use the engine)."""
        conn = self._conn
        if conn is None:
            return None
        if self._thread != threading.get_ident():
            self._check()  # raises
        return conn

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        """One transaction, committed at the end (rolled back on an exception). Every use of the live store
        goes through here (or `raw`), never the engine itself: while serving, the store is this one
        connection."""
        conn = self._own()
        if conn is None:
            try:
                with self.engine.begin() as fresh:
                    yield fresh
            except BaseException:
                self._rolled_back()
                raise
            return
        raw = conn.connection.driver_connection
        before = raw.total_changes  # type: ignore[union-attr]  # always a sqlite3.Connection here
        try:
            with conn.begin():
                yield conn
        except BaseException:
            if raw.total_changes != before:  # type: ignore[union-attr]  # always a sqlite3.Connection here
                self._rolled_back()
            raise

    def _rolled_back(self) -> None:
        for listener in self.rollback_listeners:
            listener()

    def raw(self) -> sqlite3.Connection:
        """The driver connection, for the few hot-path statements that skip SQLAlchemy (PRAGMAs)."""
        conn = self._own()
        if conn is None:
            fairy = self.engine.raw_connection()
            try:
                return fairy.driver_connection  # type: ignore[return-value]  # always a sqlite3.Connection here
            finally:
                fairy.close()  # StaticPool: the same connection stays open behind it
        return conn.connection.driver_connection  # type: ignore[return-value]  # always a sqlite3.Connection here

    def _check(self, *_: Any) -> None:
        owner = self._thread
        if owner is not None and owner != threading.get_ident():
            raise StoreOwnerError(
                f"the store is owned by the serving event loop's thread ({owner}); thread "
                f"{threading.current_thread().name} may not use its connection (make the route `async def`, or "
                f"use StoreOwner.call)")

    def call(self, fn: Callable[[], T]) -> T:
        """Run `fn` where the store may be used, from any thread: directly on the owner (or when nothing owns
        the store), else on the owner's loop, waiting for its result. Never call it from a coroutine on
        another loop that the owner's loop waits for."""
        loop = self._loop
        if self._thread is None or self._thread == threading.get_ident() or loop is None:
            return fn()
        done: concurrent.futures.Future[T] = concurrent.futures.Future()

        def run() -> None:
            try:
                done.set_result(fn())
            except BaseException as exc:  # handed to the waiting thread
                done.set_exception(exc)

        loop.call_soon_threadsafe(run)
        return done.result()
