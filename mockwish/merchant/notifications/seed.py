"""Seeded notifications and announcements of a merchant: six System Updates (the doc's two among them), three
announcements of its Account Manager (the latest unviewed), and notifications about its own orders, products,
tickets and releases: 12 unviewed from the last two weeks (22 for the docs' merchant) and 4 viewed older ones
(the infractions' seed adds one per infraction). The docs' merchant also gets the notification the
mark-as-viewed example names, unviewed."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import Connection

from mockwish.ids import seeded_id
from mockwish.merchant.notifications import generate, store

DOC_NOTIFICATION_ID = "123456789009876543210164"  # noti/mark-as-viewed's example id
UNVIEWED, VIEWED = 12, 4
DOC_BACKLOG = 10  # more unviewed for the docs' merchant: its fetch-unviewed example (start=20, limit=2) shows a page
HOUR = timedelta(hours=1)


def seed_merchant(conn: Connection, *, merchant_id: str, rng: random.Random, now: datetime, doc: bool) -> None:
    """Insert the merchant's seeded notifications and announcements (deterministic for rng); `doc`: the docs'
    merchant."""
    generate.seed_releases(conn, merchant_id=merchant_id, rng=rng, now=now, doc=doc)
    manager = (seeded_id(rng), rng.choice(generate.content.ACCOUNT_MANAGERS))
    store.insert_bd(conn, [generate.bd_row(rng, merchant_id, manager, now - timedelta(days=days, hours=rng.random()),
                                           viewed=days > 5)
                           for days in (62, 27, 3)])
    ctx = generate.context(conn, merchant_id)
    rows = []
    for _ in range(VIEWED):
        created = now - timedelta(days=rng.uniform(15, 90))
        viewed_at = created + timedelta(hours=rng.uniform(1, 120))
        rows.append(generate.notification_row(rng, merchant_id, generate.text(rng, ctx, now), created, viewed_at))
    for _ in range(UNVIEWED + (DOC_BACKLOG if doc else 0)):
        created = now - timedelta(days=rng.uniform(0.05, 14))
        rows.append(generate.notification_row(rng, merchant_id, generate.text(rng, ctx, now), created))
    if doc:
        texts = generate.text(rng, ctx, now, "system_update")
        rows.append(generate.notification_row(rng, merchant_id, texts, now - 2 * HOUR, noti_id=DOC_NOTIFICATION_ID))
    rows.sort(key=lambda r: r["created_at"])
    store.insert_notifications(conn, rows)
