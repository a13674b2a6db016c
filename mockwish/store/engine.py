"""Engine creation: SQLite in WAL mode with a busy timeout and foreign keys on; and the check that a data
dir's tables are the ones this version of mockwish writes."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from functools import cache

from sqlalchemy import Connection, Engine, bindparam, create_engine, create_mock_engine, event, text
from sqlalchemy.pool import ConnectionPoolEntry, StaticPool
from sqlalchemy.sql.ddl import ExecutableDDLElement
from sqlmodel import SQLModel

from mockwish.config import Settings
from mockwish.store import tables  # noqa: F401  (registers the tables on SQLModel.metadata)


def _on_connect(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA mmap_size=268435456")  # reads of big exports straight from the page cache
    cur.close()


class GuardedStaticPool(StaticPool):
    """StaticPool with a guard run before a checkout begins (mockwish.store.owner): a guard that raises from
    the pool's checkout event instead would make SQLAlchemy close the one live connection."""

    guard: Callable[[], None] | None = None

    def _do_get(self) -> ConnectionPoolEntry:
        guard = self.guard
        if guard is not None:
            guard()
        return super()._do_get()


def make_engine(settings: Settings) -> Engine:
    """One shared connection: every request runs its short SQLite work on the event loop thread,
    so requests never interleave inside a transaction and counts are never lost."""
    path = settings.db_path
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        settings.db_url,
        connect_args={"check_same_thread": False},
        poolclass=GuardedStaticPool,
    )
    event.listen(engine, "connect", _on_connect)
    return engine


def make_private_engine() -> Engine:
    """A private in-memory database, for building a new state off the loop (see sandbox.state): not the live
    connection, so the owner's guard does not watch it; usable from the thread that builds it and then from
    the owner's thread, which copies it into the live one."""
    engine = create_engine("sqlite://", connect_args={"check_same_thread": False}, poolclass=StaticPool)
    event.listen(engine, "connect", _foreign_keys_on)
    return engine


def _foreign_keys_on(dbapi_conn, _record) -> None:
    dbapi_conn.execute("PRAGMA foreign_keys=ON")


def create_schema(engine: Engine) -> None:
    SQLModel.metadata.create_all(engine)


_DDL = text("SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND tbl_name IN :names"
            ).bindparams(bindparam("names", expanding=True))


def _ddl(conn: Connection) -> frozenset[tuple[str, str, str]]:
    rows = conn.execute(_DDL, {"names": list(SQLModel.metadata.tables)})
    return frozenset((kind, name, sql) for kind, name, sql in rows)


@cache
def _expected_ddl() -> frozenset[tuple[str, str, str]]:
    """What create_all writes, read back from a scratch in-memory database once per process. The statements
    are create_all's own, compiled by a mock engine and run on a bare sqlite3 connection: the text compared is
    still SQLite's, without a second engine and its per-table existence checks (a third of the ~22 ms this
    cost every start)."""
    statements: list[str] = []

    def collect(ddl: ExecutableDDLElement, *_: object, **__: object) -> None:
        statements.append(str(ddl.compile(dialect=mock.dialect)))

    mock = create_mock_engine("sqlite://", collect)
    SQLModel.metadata.create_all(mock, checkfirst=False)
    scratch = sqlite3.connect(":memory:")
    try:
        for statement in statements:
            scratch.execute(statement)
        names = list(SQLModel.metadata.tables)
        rows = scratch.execute("SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND tbl_name IN "
                               f"({', '.join('?' * len(names))})", names)
        return frozenset((kind, name, sql) for kind, name, sql in rows)
    finally:
        scratch.close()


def schema_is_current(engine: Engine) -> bool:
    """True when every table and index of this version exists exactly as it would create them. A data dir
    written by an older mockwish (a column added since, an index changed) answers False: its data would make
    queries fail, so the caller reseeds instead."""
    with engine.connect() as conn:
        return _ddl(conn) == _expected_ddl()
