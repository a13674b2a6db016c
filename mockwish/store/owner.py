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
a cached product read itself (a third of the request, profiled).

Group commit (`begin(defer=True)`, the API pipelines only, while serving through mockwish.deferred_writes):
the requests of one turn of the event loop share one SQLite transaction, committed once when the loop turns.
A commit per write cost more than the write: 15-17 µs itself, and it made the next statements slower too
(each one starting its transaction again): an inventory write's SQL took 43 µs committed each time and 10 µs
in a shared transaction (measured on the seeded store). Nothing acknowledged is lost: answers are sent by
the deferred-write transport, which asks `GROUP.commit` first (the gate), and the commit is also scheduled
with `call_soon` when the batch opens, before any answer of the batch could be scheduled for sending. Each
request runs in its own SAVEPOINT once the batch holds changes, so a request that fails rolls back its own
work and nobody else's. If the commit itself fails, the batch's answers are not sent: the connections that
hold them are aborted (a client sees a reset, never an acknowledgement of a write that was lost). Any other
use of the store (`begin()` without defer, `raw()`) commits the pending batch first, so it works as before.
The batch's first write opens its transaction (pysqlite's implicit BEGIN, right before it): until then the
batch's reads run as they did, and another process's commit stays visible to the next request."""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, event

from mockwish.store.engine import GuardedStaticPool

T = TypeVar("T")
log = logging.getLogger("mockwish")
SAVEPOINT = "mockwish_request"


class GroupCommit:
    """The owners whose batch is pending, and the gate the deferred-write transport asks before it sends
    (mockwish.serve turns it on; off, `begin(defer=True)` is a plain `begin()`)."""

    def __init__(self) -> None:
        self.enabled = False
        self.pending: list[StoreOwner] = []
        self.failed = False  # a batch was lost this turn of the loop: the answers kept now are not sent

    def commit(self) -> bool:
        """Commit every pending batch; False when a batch could not be committed this turn of the loop (the
        caller then drops what it was about to send)."""
        pending = self.pending
        while pending:
            pending.pop().commit_pending()
        return not self.failed

    def lost(self, loop: asyncio.AbstractEventLoop) -> None:
        """A batch was rolled back after its answers were kept: whatever is kept until the loop turns is not
        sent (every flush already scheduled runs before the callback that clears the flag)."""
        if not self.failed:
            self.failed = True
            loop.call_soon(self._clear)

    def _clear(self) -> None:
        self.failed = False


GROUP = GroupCommit()


class StoreOwnerError(RuntimeError):
    """The live store was reached from a thread that does not own it."""


class StoreOwner:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._thread: int | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._conn: Connection | None = None  # the owner's own connection while it serves
        self._pending = False  # a batch of deferred requests is not committed yet (see the module's docstring)
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
            self.commit_pending()
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
    def begin(self, defer: bool = False) -> Iterator[Connection]:
        """One transaction, committed at the end (rolled back on an exception). Every use of the live store
        goes through here (or `raw`), never the engine itself: while serving, the store is this one
        connection. `defer`: the caller's answer is sent by the deferred-write transport, so its work may be
        committed with the rest of the loop's turn (group commit, see the module's docstring)."""
        conn = self._own()
        if conn is None:
            try:
                with self.engine.begin() as fresh:
                    yield fresh
            except BaseException:
                self._rolled_back()
                raise
            return
        raw: sqlite3.Connection = conn.connection.driver_connection  # type: ignore[assignment]  # always a sqlite3.Connection here
        if defer and GROUP.enabled:
            with self._joined(conn, raw):
                yield conn
            return
        if self._pending:
            self.commit_pending()
        before = raw.total_changes
        try:
            with conn.begin():
                yield conn
        except BaseException:
            if raw.total_changes != before:
                self._rolled_back()
            raise

    @contextmanager
    def _joined(self, conn: Connection, raw: sqlite3.Connection) -> Iterator[None]:
        """The caller's work inside the pending batch: in a savepoint once the batch holds changes (a failure
        undoes the caller's own work), else straight in (a failure with changes undoes the whole transaction,
        which then holds the caller's work alone)."""
        nested = raw.in_transaction
        if nested:
            raw.execute(f"SAVEPOINT {SAVEPOINT}")
        before = raw.total_changes
        try:
            yield
        except BaseException:
            if nested and not raw.in_transaction:  # SQLite rolled back the whole transaction (an I/O error)
                self._lose(conn)  # the batch is lost
            else:
                if raw.total_changes != before:
                    if nested:
                        raw.execute(f"ROLLBACK TO {SAVEPOINT}")
                    else:
                        conn.rollback()
                        raw.rollback()
                    self._rolled_back()
                if nested:
                    raw.execute(f"RELEASE {SAVEPOINT}")
            self._note_pending(conn, raw)
            raise
        if nested:
            raw.execute(f"RELEASE {SAVEPOINT}")
        self._note_pending(conn, raw)

    def _note_pending(self, conn: Connection, raw: sqlite3.Connection) -> None:
        if not self._pending and (raw.in_transaction or conn.in_transaction()):
            self._pending = True
            GROUP.pending.append(self)
            assert self._loop is not None  # joined only while bound
            self._loop.call_soon(GROUP.commit)  # before any flush the batch's answers schedule

    def commit_pending(self) -> None:
        """Commit the pending batch, if any (when the loop turns, before an answer is sent, before any other
        use of the store). A batch that cannot be committed is rolled back and its answers are not sent."""
        if not self._pending:
            return
        self._pending = False
        conn = self._conn
        if conn is None:
            return
        raw: sqlite3.Connection = conn.connection.driver_connection  # type: ignore[assignment]  # always a sqlite3.Connection here
        try:
            if conn.in_transaction():
                conn.commit()
            if raw.in_transaction:
                raw.commit()
        except Exception:
            log.exception("a group commit failed: its requests' answers are dropped")
            self._lose(conn)

    def _lose(self, conn: Connection) -> None:
        """The batch is rolled back: nothing of it may be acknowledged, and what was read from it goes."""
        raw: sqlite3.Connection = conn.connection.driver_connection  # type: ignore[assignment]  # always a sqlite3.Connection here
        try:
            conn.rollback()
            if raw.in_transaction:
                raw.rollback()
        except Exception:
            log.exception("rolling back a lost batch failed")
        self._rolled_back()
        if self._loop is not None:
            GROUP.lost(self._loop)

    def _rolled_back(self) -> None:
        for listener in self.rollback_listeners:
            listener()

    def raw(self, commit: bool = True) -> sqlite3.Connection:
        """The driver connection, for the few statements that skip SQLAlchemy (PRAGMAs, a page copy): with the
        pending batch committed first, unless `commit` is False (a look that a transaction does not disturb)."""
        conn = self._own()
        if commit and self._pending:
            self.commit_pending()
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
