"""Engine creation: SQLite in WAL mode with a busy timeout and foreign keys on."""

from __future__ import annotations

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import StaticPool
from sqlmodel import SQLModel

from mockwish.config import Settings
from mockwish.store import tables  # noqa: F401  (registers the tables on SQLModel.metadata)


def _on_connect(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA mmap_size=268435456")  # reads of big exports straight from the page cache
    cur.close()


def make_engine(settings: Settings) -> Engine:
    """One shared connection: every request runs its short SQLite work on the event loop thread,
    so requests never interleave inside a transaction and counts are never lost."""
    path = settings.db_path
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        settings.db_url,
        connect_args={"check_same_thread": False},
        poolclass=StaticPool,
    )
    event.listen(engine, "connect", _on_connect)
    return engine


def create_schema(engine: Engine) -> None:
    SQLModel.metadata.create_all(engine)


def drop_schema(engine: Engine) -> None:
    SQLModel.metadata.drop_all(engine)
