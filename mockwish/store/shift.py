"""Moving seeded instants to the clock. A seed places orders, tickets, notifications, infractions and return
warehouses relative to its moment of seeding; a sandbox reset (a page copy of that seeded state) moves all of
them by the time passed since, so the data is as fresh as at seeding and keeps its own order (a ticket opens
after its order was placed)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Connection

from mockwish.store.fast import datetime_text

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
    "job_file": ("ready_at",),  # the files of the seeded jobs finished at seeding (SandboxStore.build)
}


def shift_table(conn: Connection, table: str, columns: tuple[str, ...], delta: timedelta) -> None:
    """Move `columns` of every row of `table` by `delta` (NULL stays NULL), in one UPDATE: each instant is moved
    by a function of the connection's, in the text SQLAlchemy stores (reading every row back into Python and
    writing it with an executemany took 90 % of a sandbox reset)."""
    shift_tables(conn, {table: columns}, delta)


def shift_seeded(conn: Connection, delta: timedelta) -> None:
    """Every table of SEEDED_TIMES (the orders move by their own store's shift_times)."""
    shift_tables(conn, SEEDED_TIMES, delta)


def shift_tables(conn: Connection, tables: dict[str, tuple[str, ...]], delta: timedelta) -> None:
    """shift_table of each table, with the connection's function registered once."""
    if not delta:
        return
    raw = conn.connection.driver_connection
    raw.create_function(SHIFT, 2, _shifted, deterministic=True)  # type: ignore[union-attr]  # always a sqlite3.Connection here
    micros = delta // timedelta(microseconds=1)
    for table, columns in tables.items():
        sets = ", ".join(f"{c} = {SHIFT}({c}, :micros)" for c in columns)
        raw.execute(f"UPDATE {table} SET {sets}", {"micros": micros})  # type: ignore[union-attr]  # as above


SHIFT = "mockwish_shifted"


def _shifted(text: str | None, micros: int) -> str | None:
    if text is None:
        return None
    return datetime_text(datetime.fromisoformat(text) + timedelta(microseconds=micros))
