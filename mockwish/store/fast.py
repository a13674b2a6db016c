"""Hot-path statements written once and run on the driver connection of the request's transaction, with
each value converted as its SQLAlchemy type would: building and compiling a Core statement costs more than
the query itself on the requests every client repeats (product and order reads, inventory writes, parcel
lookups). Shared by every surface's store module."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import JSON, Boolean, Connection, DateTime
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite

from mockwish.store.chunks import chunks

Row = dict[str, Any]


class FastRead:
    """A hot-path read of one table by a fixed WHERE clause: the SQL is written once and run on the
    driver connection of the request's transaction, with each column converted as its SQLAlchemy type
    would (JSON, datetimes, booleans). Building and compiling a Core select costs more than the query."""

    def __init__(self, table: Any, where: str, order: str = "") -> None:
        self.names = [c.name for c in table.columns]
        self.convert = [_converter(c.type) for c in table.columns]
        self.sql = f"SELECT {', '.join(self.names)} FROM {table.name} WHERE {where} {order}".strip()

    def rows(self, conn: Connection, params: Sequence[Any], sql: str | None = None) -> list[Row]:
        cursor = conn.connection.driver_connection.execute(sql or self.sql, params)  # type: ignore[union-attr]  # driver_connection is typed Any | None; here always a sqlite3.Connection
        names, convert = self.names, self.convert
        return [{n: (f(v) if f is not None and v is not None else v) for n, f, v in zip(names, convert, r, strict=True)}
                for r in cursor.fetchall()]

    def first(self, conn: Connection, params: Sequence[Any]) -> Row | None:
        found = self.rows(conn, params)
        return found[0] if found else None

    def rows_in(self, conn: Connection, params: Sequence[Any], values: Sequence[Any]) -> Iterator[Row]:
        """The rows of a WHERE clause with `IN ({ids})`, `values` bound there a part at a time (SQLite's
        bound-parameter limit) after `params`; within each part in the clause's order."""
        for part in chunks(values):
            yield from self.rows(conn, (*params, *part), self.sql.format(ids=", ".join("?" * len(part))))


class FastUpdate:
    """A hot-path UPDATE of one table's row by its id and owner: the SQL for each set of columns is written
    once, and each value converted as SQLAlchemy would bind it (its own bind processors: JSON, datetimes,
    booleans), then run on the driver connection of the request's transaction. Building an update() and its
    cache key cost several times the statement itself (profiled on variant/update-inventory)."""

    def __init__(self, table: Any) -> None:
        self.table = table.name
        # JSON with orjson (any JSON reads back the same; the stdlib encoder cost more than the UPDATE)
        self.bind = {c.name: _orjson_text if isinstance(c.type, JSON) else binder(c.type) for c in table.columns}
        self._sql: dict[tuple[str, ...], str] = {}

    def __call__(self, conn: Connection, merchant_id: str, row_id: str, values: Row) -> int:
        """Rows changed (0 or 1): the row `row_id` if the merchant owns it."""
        names = tuple(values)
        sql = self._sql.get(names)
        if sql is None:
            sql = self._sql[names] = (f"UPDATE {self.table} SET {', '.join(f'{n} = ?' for n in names)} "
                                      "WHERE id = ? AND merchant_id = ?")
        bind = self.bind
        params = [v if v is None or (f := bind[n]) is None else f(v) for n, v in values.items()]
        raw = conn.connection.driver_connection
        return int(raw.execute(sql, (*params, row_id, merchant_id)).rowcount)  # type: ignore[union-attr]  # always a sqlite3.Connection here


_DIALECT = SQLiteDialect_pysqlite()
_DATETIME_PROCESSOR: Any = DateTime().dialect_impl(_DIALECT).bind_processor(_DIALECT)


def binder(sa_type: Any) -> Any:
    """How SQLAlchemy binds the type on SQLite. The dialect's processor, not the generic type's: the generic
    DateTime has none, and sqlite3's default adapter writes a whole second without its ".000000", which then
    sorts before the same instant as SQLAlchemy writes it (and a since/upto bound missed it)."""
    if isinstance(sa_type, DateTime):
        return datetime_text
    return sa_type.dialect_impl(_DIALECT).bind_processor(_DIALECT)


def datetime_text(value: datetime) -> str:
    """A naive datetime exactly as SQLAlchemy's SQLite DateTime stores it ("2026-12-07 10:00:05.000000"),
    at a seventh of its cost (tests/test_variants.py compares the two)."""
    if value.tzinfo is not None:
        return str(_DATETIME_PROCESSOR(value))
    return value.isoformat(" ", "microseconds")


def _orjson_text(value: Any) -> str:
    return orjson.dumps(value).decode()


def _converter(sa_type: Any) -> Any:
    if isinstance(sa_type, JSON):
        return orjson.loads
    if isinstance(sa_type, DateTime):
        return datetime.fromisoformat
    if isinstance(sa_type, Boolean):
        return bool
    return None
