"""Tenants: each a store, a clock, quotas and in-memory views of its own, behind the one server.

A tenant is a whole context (mockwish.context.Ctx) over a database of its own, built by the same function as
the default one: every pipeline, sandbox call and timeline part works on a tenant unchanged, and nothing a
tenant does (a write, a reset, a clock jump, a reseed) can reach another's rows or cached reads. What the
tenants share with the default data is what is global by nature: the settings, the fault rules and the
request journal (both keyed by tenant), and the global clock their own clocks are offset from.

A request finds its tenant by the credential it carries: every token, client id, code and key a tenant
issues starts with the tenant's id (24 hex, the id of its first merchant), so routing is one dictionary
lookup, and a credential of the default data (none is 24 hex followed by more) never matches.

With a data dir, a tenant lives in `<data dir>/tenants/<id>.db` beside its clock and a small description,
and comes back when the server restarts; without one (in-memory stores), in memory."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mockwish.clock import iso_ms, utcnow
from mockwish.errors import WishError
from mockwish.ids import new_id
from mockwish.tenants import errors as _errors  # noqa: F401  (registers tenant_limit)

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from mockwish.context import Ctx
    from mockwish.seed.database import SeedReport

log = logging.getLogger("mockwish")
ID_LENGTH = 24

Seeder = Callable[["Connection", int, datetime], "SeedReport"]
# (tenant id, engine url, clock state file, seeder, keep the seeded snapshot) -> the tenant's context
ContextFactory = Callable[[str, str, "Path | None", Seeder, bool], "Ctx"]


@dataclass
class Tenant:
    id: str
    ctx: Ctx
    data: str  # none, small, full, or scenario
    wishpost: bool
    seed: int
    created_at: datetime  # wall time
    extra: dict[str, Any] = field(default_factory=dict)  # what a scenario created (its report)

    def describe(self) -> dict[str, Any]:
        return {"id": self.id, "data": self.data, "wishpost": self.wishpost, "seed": self.seed,
                "created_at": iso_ms(self.created_at), "clock": self.ctx.clock.state()}


class Tenants:
    def __init__(self, factory: ContextFactory, root: Path | None, limit: int) -> None:
        self.factory = factory
        self.root = root  # None: tenants live in memory
        self.limit = limit
        self.by_id: dict[str, Tenant] = {}
        self.bound = False  # an event loop serves: new tenants' stores are owned by its thread at once
        self._building: set[str] = set()  # tenants being seeded: they count against the limit already

    # ---- routing: the hot path ---------------------------------------------------------------------------

    def route(self, credential: str | None) -> Ctx | None:
        """The context of the tenant that issued `credential`, or None (the default data's)."""
        if not credential or len(credential) <= ID_LENGTH or not self.by_id:
            return None
        tenant = self.by_id.get(credential[:ID_LENGTH])
        return tenant.ctx if tenant is not None else None

    def get(self, tenant_id: str) -> Tenant | None:
        return self.by_id.get(tenant_id)

    # ---- life cycle -----------------------------------------------------------------------------------------

    def _paths(self, tenant_id: str) -> tuple[str, Path | None, Path | None]:
        if self.root is None:
            return "sqlite://", None, None
        db = self.root / f"{tenant_id}.db"
        return f"sqlite:///{db.as_posix()}", db.with_suffix(".clock.json"), db.with_suffix(".json")

    def _make(self, tenant_id: str, seeder: Seeder, keep_snapshot: bool) -> Ctx:
        url, clock_file, _ = self._paths(tenant_id)
        if self.root is not None:
            self.root.mkdir(parents=True, exist_ok=True)
        ctx = self.factory(tenant_id, url, clock_file, seeder, keep_snapshot)
        if self.bound:
            ctx.owner.bind()  # called on the serving loop: its thread owns this store too
        return ctx

    async def create(self, *, data: str, wishpost: bool, seed: int, seeder: Seeder, keep_snapshot: bool,
                     tenant_id: str | None = None, extra: dict[str, Any] | None = None) -> Tenant:
        """A new tenant, seeded off the loop (other requests go on meanwhile) and installed on it."""
        if len(self.by_id) + len(self._building) >= self.limit:
            raise WishError("tenant_limit", limit=self.limit)
        tenant_id = tenant_id or new_id()
        self._building.add(tenant_id)  # before the first await: creations in flight are counted
        try:
            ctx = self._make(tenant_id, seeder, keep_snapshot)
            try:
                built = await asyncio.to_thread(ctx.sandbox.build, seed)
                ctx.sandbox.install(built)
            except BaseException:
                self._dispose(ctx, tenant_id)
                raise
        finally:
            self._building.discard(tenant_id)
        tenant = Tenant(tenant_id, ctx, data, wishpost, seed, utcnow(), extra or {})
        self.save(tenant)
        self.by_id[tenant_id] = tenant
        return tenant

    def delete(self, tenant_id: str) -> bool:
        """Forget a tenant: its credentials answer as unknown from the next request on, its store and fault
        rules go; what the journal recorded of it stays, to be verified."""
        tenant = self.by_id.pop(tenant_id, None)
        if tenant is None:
            return False
        tenant.ctx.faults.clear(tenant=tenant_id)
        self._dispose(tenant.ctx, tenant_id)
        return True

    def delete_all(self) -> int:
        ids = list(self.by_id)
        for tenant_id in ids:
            self.delete(tenant_id)
        return len(ids)

    def _dispose(self, ctx: Ctx, tenant_id: str) -> None:
        ctx.sandbox.close()  # a reset or reseed still building for it must not write its store back
        ctx.owner.release()
        ctx.timeline.close()
        ctx.engine.dispose()
        _, clock_file, meta = self._paths(tenant_id)
        if clock_file is None or meta is None:
            return
        db = meta.with_suffix(".db")
        for path in (db, Path(f"{db}-wal"), Path(f"{db}-shm"), clock_file, meta):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()

    def save(self, tenant: Tenant) -> None:
        """What a restart needs to bring the tenant back (its store and clock are files of their own)."""
        _, _, meta = self._paths(tenant.id)
        if meta is None:
            return
        body = {"id": tenant.id, "data": tenant.data, "wishpost": tenant.wishpost, "seed": tenant.seed,
                "created_at": tenant.created_at.isoformat(), "extra": tenant.extra}
        tmp = meta.with_suffix(".tmp")
        tmp.write_text(json.dumps(body), encoding="utf-8")
        os.replace(tmp, meta)

    def load(self, seeder_for: Callable[[str, str, bool, dict[str, Any]], tuple[Seeder, bool]]) -> int:
        """At start-up, before serving: the tenants a previous run left in the data dir. A tenant whose files
        cannot be read is skipped with a warning (its files stay)."""
        if self.root is None or not self.root.is_dir():
            return 0
        for meta in sorted(self.root.glob("*.json")):
            if meta.name.endswith(".clock.json"):
                continue
            try:
                body = json.loads(meta.read_text(encoding="utf-8"))
                tenant_id, data, wishpost = str(body["id"]), str(body["data"]), bool(body["wishpost"])
                extra = dict(body.get("extra") or {})
                seeder, keep = seeder_for(tenant_id, data, wishpost, extra)
                ctx = self._make(tenant_id, seeder, keep)
                ctx.sandbox.seed = int(body["seed"])
                tenant = Tenant(tenant_id, ctx, data, wishpost, int(body["seed"]),
                                datetime.fromisoformat(body["created_at"]), extra)
            except (OSError, ValueError, KeyError, TypeError) as exc:
                log.warning("tenant %s not loaded: %s", meta.stem, exc)
                continue
            self.by_id[tenant_id] = tenant
        return len(self.by_id)

    # ---- the serving loop owns every tenant's store, as it owns the default one -------------------------------

    def bind_all(self) -> None:
        self.bound = True
        for tenant in self.by_id.values():
            tenant.ctx.owner.bind()

    def release_all(self) -> None:
        self.bound = False
        for tenant in self.by_id.values():
            tenant.ctx.owner.release()
