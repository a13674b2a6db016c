"""Times the order generation domain function inside one process (no HTTP, no interpreter start): seeds
a fresh store under MOCKWISH_DATA_DIR, then `generate` of N orders for the default merchant, each run in
its own transaction rolled back afterwards (every run starts from the same store). Prints one JSON list
of seconds. Called by bench/run.py.

    python bench/generate_inprocess.py [runs] [count]
"""

from __future__ import annotations

import json
import sys
import time

from sqlalchemy import select

from mockwish.app import build_context
from mockwish.config import Settings
from mockwish.merchant.orders.generate import generate
from mockwish.store.tables import AccessToken

TOKEN = "an_example_access_token"


def main(runs: int, count: int) -> None:
    settings = Settings()
    ctx = build_context(settings)
    ctx.sandbox.reseed(settings.seed)  # type: ignore[attr-defined]
    tokens = AccessToken.__table__  # type: ignore[attr-defined]
    times: list[float] = []
    with ctx.engine.connect() as conn:
        merchant_id = conn.execute(select(tokens.c.merchant_id).where(tokens.c.token == TOKEN)).scalar_one()
        conn.rollback()
        for _ in range(runs):
            with conn.begin() as tx:
                started = time.perf_counter()
                made = generate(conn, merchant_id=merchant_id, count=count, now=ctx.clock.now(),
                                policy=ctx.order_policy)  # type: ignore[arg-type]
                times.append(time.perf_counter() - started)
                assert len(made.order_ids) == count
                tx.rollback()
    print(json.dumps(times))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3, int(sys.argv[2]) if len(sys.argv) > 2 else 10_000)
