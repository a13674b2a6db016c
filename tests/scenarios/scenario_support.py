"""Loading a scenario into a test app's default data, as the sandbox route does: rows in one transaction run by
the store's owner, then the in-memory controls."""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from mockwish.scenarios.apply import Applied, apply_controls, apply_rows
from mockwish.scenarios.load import load_bytes, load_path
from mockwish.scenarios.model import Scenario

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "scenarios"


def parsed(source: str | Path) -> Scenario:
    """A scenario from a fixture's path or from YAML text; it must be valid."""
    found = load_path(source) if isinstance(source, Path) else load_bytes(source)
    assert isinstance(found, Scenario), found
    return found


def load_into(client: TestClient, source: str | Path, seed: int = 1) -> Applied:
    ctx = client.app.state.ctx  # type: ignore[attr-defined]
    scenario = parsed(source)

    def run() -> Applied:
        with ctx.owner.begin() as conn:
            applied = apply_rows(conn, scenario, now=ctx.clock.now(), token_prefix=ctx.token_prefix,
                                 order_policy=ctx.order_policy, seed=seed, parcel_policy=ctx.parcel_policy)
        return apply_controls(ctx, applied)
    return ctx.owner.call(run)  # type: ignore[no-any-return]
