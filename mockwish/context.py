"""The per-app context handed to every layer: settings, store engine, clock, auth and the job machine.
Built once in create_app(settings); nothing here is a module-level singleton."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from sqlalchemy import Engine

from mockwish.clock import Clock
from mockwish.config import Settings
from mockwish.store.owner import StoreOwner


@dataclass
class Ctx:
    settings: Settings
    engine: Engine
    clock: Clock
    owner: StoreOwner  # the one owner of the live connection: its guard refuses any other thread
    log: logging.Logger = field(default_factory=lambda: logging.getLogger("mockwish"))
    # filled by create_app (they need the ctx themselves)
    auth: object = None
    jobs: object = None
    sandbox: object = None
    limiter: object = None
    sessions: object = None  # signed-in merchants of the authorize page
    read_cache: object = None  # rendered hot reads, dropped on any write
    timeline: object = None  # what the clock settles before every read: jobs, order review and tracking
    orders: object = None  # the order clock (mockwish.merchant.orders.lifecycle.OrderClock)
    order_policy: object = None  # mockwish.merchant.orders.rules.OrderPolicy, built once from the settings

    def store_replaced(self) -> None:
        """After a sandbox reset or seed: every in-memory view of the store starts over (cached principals,
        the jobs' next due instant, rate-limit counts and overrides, page sessions, cached reads)."""
        self.auth.invalidate()  # type: ignore[attr-defined]
        self.timeline.reset()  # type: ignore[attr-defined]
        self.limiter.reset()  # type: ignore[attr-defined]
        self.sessions.clear()  # type: ignore[attr-defined]
        self.read_cache.invalidate()  # type: ignore[attr-defined]
