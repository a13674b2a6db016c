"""The one owner of the live store connection (DESIGN.md, "Concurrency: one owner of the store").

Every request runs its short SQLite work on the event loop's thread, between two awaits: a transaction is
opened and committed without yielding, so requests never interleave inside one, and the one shared
connection needs no lock. Measured (bench/RESULTS.md, issue 11): that is also the fastest place for it; a hop
to a dedicated store thread costs more than the work itself on a primary-key read.

What this module enforces is the other half of the rule: nothing reaches the connection from another
thread while the loop owns it. A plain `def` route, which FastAPI runs in its thread pool, once rolled back
the loop's open transaction and lost acknowledged writes. The guard is a pool checkout hook: every use of
the engine (`connect`, `begin`, `raw_connection`) checks out the connection first, so one integer compare per
checkout refuses the wrong thread with StoreOwnerError before any statement runs.

The owner is the thread of the serving loop, from the app's startup to its shutdown. Outside that window
(building the app, the CLI, a test between two clients) there is no loop serving and the calling thread
uses the store directly. Code on another thread that must touch the store while the loop owns it asks the
owner to run it (`call`), and waits."""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import Engine, event

T = TypeVar("T")


class StoreOwnerError(RuntimeError):
    """The live store was reached from a thread that does not own it."""


class StoreOwner:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._thread: int | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
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

    def release(self) -> None:
        """Called at shutdown: no loop serves any more."""
        self._thread = None
        self._loop = None

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
