"""Creation numbers: a `seq` column orders rows made or changed within one second (the API shows whole seconds),
so "the most recent" and "newest first" always mean the last one written. One counter per table, over every
merchant."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Table, func, insert, select


def next_seq(conn: Connection, table: Table) -> int:
    """The number after every row of `table`."""
    return int(conn.execute(select(func.coalesce(func.max(table.c.seq), 0))).scalar_one()) + 1


def insert_numbered(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert `rows` in their order, numbering them after every row there is."""
    if not rows:
        return
    seq = next_seq(conn, table)
    for n, row in enumerate(rows):
        row["seq"] = seq + n
    conn.execute(insert(table), list(rows))
