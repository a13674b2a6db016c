"""Moving seeded instants to the clock. A seed places orders, tickets, notifications, infractions and return
warehouses relative to its moment of seeding; a sandbox reset (a page copy of that seeded state) moves all of
them by the time passed since, so the data is as fresh as at seeding and keeps its own order (a ticket opens
after its order was placed)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Connection, bindparam, select, update
from sqlmodel import SQLModel

# table -> its instants that a seed places relative to its moment of seeding (orders: every CSV instant)
SEEDED_TIMES: dict[str, tuple[str, ...]] = {
    "ticket": ("open_date", "last_update_date", "state_since", "close_date"),
    "ticket_reply": ("date",),
    "notification": ("created_at", "viewed_at"),
    "bd_announcement": ("created_at",),
    "system_update": ("release_date",),
    "infraction": ("created_time", "last_updated"),
    "return_warehouse": ("validate_at", "created_at", "last_updated"),
    "product_return_setting": ("updated_at",),
}


def shift_table(conn: Connection, table: str, columns: tuple[str, ...], delta: timedelta) -> None:
    """Move `columns` of every row of `table` by `delta` (NULL stays NULL)."""
    if not delta:
        return
    t = SQLModel.metadata.tables[table]
    keys = [c.name for c in t.primary_key.columns]
    rows = conn.execute(select(*(t.c[k] for k in keys), *(t.c[c] for c in columns))).mappings().all()
    if not rows:
        return
    where = [t.c[k] == bindparam("_k_" + k) for k in keys]
    conn.execute(update(t).where(*where).values({c: bindparam(c) for c in columns}), [
        {**{"_k_" + k: r[k] for k in keys}, **{c: r[c] + delta if r[c] is not None else None for c in columns}}
        for r in rows])


def shift_seeded(conn: Connection, delta: timedelta) -> None:
    """Every table of SEEDED_TIMES (the orders move by their own store's shift_times)."""
    for table, columns in SEEDED_TIMES.items():
        shift_table(conn, table, columns, delta)
