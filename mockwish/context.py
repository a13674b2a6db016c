"""The per-app context handed to every layer: settings, store engine, clock, auth and the job machine.
Built once in create_app(settings), and once per tenant (mockwish.tenants); nothing here is a module-level
singleton. A request's context is its tenant's when it has one: `ctx_of(request)`."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from starlette.requests import Request

from mockwish.clock import Clock
from mockwish.config import Settings
from mockwish.store.owner import StoreOwner

if TYPE_CHECKING:  # these modules import Ctx themselves (directly or through their imports): types only
    from mockwish.auth.page import Sessions
    from mockwish.auth.tokens import Authenticator
    from mockwish.jobs import JobMachine
    from mockwish.merchant.orders.lifecycle import OrderClock
    from mockwish.merchant.orders.rules import OrderPolicy
    from mockwish.sandbox.faults import Faults
    from mockwish.sandbox.journal import Journal
    from mockwish.sandbox.state import SandboxStore
    from mockwish.store.read_cache import ReadCache
    from mockwish.tenants.registry import Tenants
    from mockwish.timeline import Timeline
    from mockwish.wire.ratelimit import RateLimiter
    from mockwish.wishpost.parcels.clock import ParcelClock
    from mockwish.wishpost.parcels.rules import Policy as ParcelPolicy


@dataclass
class Ctx:
    settings: Settings
    engine: Engine
    clock: Clock
    owner: StoreOwner  # the one owner of the live connection: its guard refuses any other thread
    # the parts below are built first by mockwish.app.build_context (none of them needs the ctx)
    auth: Authenticator
    jobs: JobMachine
    sandbox: SandboxStore
    limiter: RateLimiter
    sessions: Sessions  # signed-in merchants of the authorize page
    read_cache: ReadCache  # rendered hot reads, dropped on any write
    timeline: Timeline  # what the clock settles before every read: jobs, order review and tracking
    orders: OrderClock  # the order clock
    order_policy: OrderPolicy  # built once from the settings
    parcels: ParcelClock  # WishPost parcels' part of the timeline (auto-fulfilment of linked Wish orders)
    parcel_policy: ParcelPolicy  # built once from the settings, as order_policy is
    faults: Faults  # injected faults: rules the API pipelines consult (mockwish.sandbox.faults)
    journal: Journal  # every API request, for GET /sandbox/api/requests and verification
    tenants: Tenants  # shared by the default context and every tenant's (mockwish.tenants.registry)
    # the outcomes the sandbox forces on a WishPost user's next parcels, in order ("created", "reviewing",
    # "rejected"); each create_order takes the ones it needs
    sandbox_parcel_outcomes: dict[str, list[str]] = field(default_factory=dict)
    # a tenant's context (mockwish.tenants): its id, which starts every token, client id, code and key it
    # issues, so a request finds its tenant by the credential it carries; None and "" for the default data
    tenant_id: str | None = None
    token_prefix: str = ""
    log: logging.Logger = field(default_factory=lambda: logging.getLogger("mockwish"))

    def store_replaced(self) -> None:
        """After a sandbox reset or seed: every in-memory view of the store starts over (cached principals,
        the jobs' next due instant, rate-limit counts and overrides, page sessions, cached reads)."""
        self.auth.invalidate()
        self.timeline.reset()
        self.limiter.reset()
        self.sessions.clear()
        self.read_cache.invalidate()
        self.sandbox_parcel_outcomes.clear()
        # a global reset clears every fault rule and the journal; a tenant's, its own
        self.faults.clear(tenant=self.tenant_id)
        self.journal.clear(tenant=self.tenant_id)
        from mockwish.scenarios.baseline import apply_stored_controls  # (it imports the context's types)

        apply_stored_controls(self)  # a baseline scenario's rate limits and faults come back with its rows


CTX_KEY = "mockwish.ctx"  # the scope key of a request's context when it is a tenant's


def ctx_of(request: Request) -> Ctx:
    """The context a request acts on: its tenant's (set by the pipeline or the tenant routes), else the app's."""
    ctx: Ctx | None = request.scope.get(CTX_KEY)
    return ctx if ctx is not None else request.app.state.ctx
