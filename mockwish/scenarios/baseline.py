"""A scenario as part of a seeded state: MOCKWISH_SCENARIO for the default data, and a tenant made from a
scenario. Its rows are written when the state is seeded, so they are in the snapshot a reset restores; its
controls (rate limits, fault rules) are kept in the store beside them and applied again whenever the store is
replaced (start-up, reset, reseed), since a reset clears the in-memory controls. A scenario loaded into a live
store (POST /sandbox/api/scenarios?tenant= or ?into=default) is not a baseline: a reset removes it."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, delete, insert, select

from mockwish.store.tables import SandboxState, table_of

if TYPE_CHECKING:  # apply loads the generators (Faker): only when a scenario is applied, not at every start
    from mockwish.context import Ctx
    from mockwish.merchant.orders.rules import OrderPolicy
    from mockwish.scenarios.apply import Applied
    from mockwish.scenarios.model import Scenario
    from mockwish.seed.database import SeedReport
    from mockwish.tenants.registry import Seeder
    from mockwish.wishpost.parcels.rules import Policy as ParcelPolicy

CONTROLS_KEY = "scenario_controls"
MARKER_KEY = "scenario"
REPORT_KEY = "scenario_report"  # what the scenario created (ids, tokens), as the sandbox answers it
_STATE = table_of(SandboxState)


def marker(scenario: Scenario) -> str:
    """What identifies a scenario in a store: a restart with another MOCKWISH_SCENARIO seeds again."""
    return hashlib.sha256(scenario.model_dump_json(by_alias=True).encode()).hexdigest()[:16]


def with_scenario(base: Callable[[Connection, int, datetime], SeedReport] | None, scenario: Scenario, *,
                  token_prefix: str, order_policy: OrderPolicy, parcel_policy: ParcelPolicy) -> Seeder:
    """A seeder: `base`'s data (none for a tenant made from a scenario alone), then the scenario's rows, its
    controls and its marker. Raises ScenarioInvalid when the store refuses the scenario."""
    def seed(conn: Connection, number: int, now: datetime) -> SeedReport:
        from mockwish.scenarios.apply import apply_rows
        from mockwish.seed.database import SeedReport

        report = base(conn, number, now) if base is not None else None
        applied = apply_rows(conn, scenario, now=now, token_prefix=token_prefix, order_policy=order_policy,
                             seed=number, parcel_policy=parcel_policy)
        rows = [{"key": CONTROLS_KEY, "value": json.dumps(controls_of(applied))},
                {"key": MARKER_KEY, "value": marker(scenario)},
                {"key": REPORT_KEY, "value": json.dumps(applied.report())}]
        if report is None:
            rows.append({"key": "seed", "value": str(number)})
        conn.execute(delete(_STATE).where(_STATE.c.key.in_([r["key"] for r in rows])))
        conn.execute(insert(_STATE), rows)
        if report is not None:
            return report
        return SeedReport(number, len(applied.merchants), sum(len(m.product_ids) for m in applied.merchants.values()),
                          0)
    return seed


def controls_of(applied: Applied) -> dict[str, Any]:
    return {"rate_limits": [{"key": r.key, "tenant_id": r.tenant_id, "wishpost": r.wishpost,
                             "spec": r.spec.model_dump(exclude_none=True)} for r in applied.rate_limits],
            "faults": [f.model_dump(exclude_none=True) for f in applied.faults]}


def stored_report(conn: Connection) -> dict[str, Any] | None:
    stored = conn.execute(select(_STATE.c.value).where(_STATE.c.key == REPORT_KEY)).scalar()
    return json.loads(stored) if stored else None


def apply_stored_controls(ctx: Ctx) -> Applied | None:
    """The controls of the store's baseline scenario, if it has one, applied on `ctx` (after the store was
    replaced: its limits and fault rules were just cleared)."""
    with ctx.owner.begin() as conn:
        stored = conn.execute(select(_STATE.c.value).where(_STATE.c.key == CONTROLS_KEY)).scalar()
    if not stored:
        return None
    from mockwish.scenarios.apply import Applied, RateLimitControl, apply_controls
    from mockwish.scenarios.model import FaultSpec, RateLimitSpec

    body = json.loads(stored)
    applied = Applied(
        rate_limits=[RateLimitControl(r["key"], r["tenant_id"], r["wishpost"], RateLimitSpec.model_validate(r["spec"]))
                     for r in body["rate_limits"]],
        faults=[FaultSpec.model_validate(f) for f in body["faults"]])
    return apply_controls(ctx, applied)
