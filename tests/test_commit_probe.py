"""The WAL-index header probe (mockwish.store.commit_probe) and the timeline's use of it: a request asks SQLite's
`PRAGMA data_version` only after somebody committed, and every commit, ours or another process's, is noticed."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from fastapi import FastAPI
from starlette.testclient import TestClient

from mockwish.store.commit_probe import HEADER_BYTES, CommitProbe
from support import Wish, freeze, on_store

PID = "4ef2858a9795c776ce000120"


def _wal(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE IF NOT EXISTS t (v INTEGER)")
    return conn


def test_the_header_moves_with_every_commit_and_only_then(tmp_path: Path) -> None:
    ours, theirs = _wal(tmp_path / "a.db"), _wal(tmp_path / "a.db")
    probe = CommitProbe()
    first = probe.header(ours)
    assert first is not None and len(first) == HEADER_BYTES
    theirs.execute("SELECT count(*) FROM t").fetchall()  # a read by another connection changes nothing
    ours.execute("SELECT count(*) FROM t").fetchall()
    assert probe.header(ours) == first
    theirs.execute("INSERT INTO t VALUES (1)")  # another connection's commit
    second = probe.header(ours)
    assert second != first
    ours.execute("INSERT INTO t VALUES (2)")  # our own
    assert probe.header(ours) not in (first, second)
    theirs.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # a checkpoint, then a write that restarts the WAL
    before = probe.header(ours)
    theirs.execute("INSERT INTO t VALUES (3)")
    assert probe.header(ours) != before
    probe.close()
    probe.close()  # closing twice is harmless
    ours.close()
    theirs.close()


def test_no_header_to_read_answers_none(tmp_path: Path) -> None:
    probe = CommitProbe()
    assert probe.header(sqlite3.connect(":memory:")) is None
    rollback = sqlite3.connect(tmp_path / "b.db")  # the default journal: no -shm file
    rollback.execute("CREATE TABLE t (v INTEGER)")
    assert probe.header(rollback) is None
    wal = _wal(tmp_path / "c.db")
    assert probe.header(wal) is not None  # another connection object: the probe opens its file again


def _count_version_pragmas(client: TestClient) -> list[str]:
    seen: list[str] = []

    def trace(conn: object) -> None:
        client.app.state.ctx.owner.raw().set_trace_callback(  # type: ignore[attr-defined]
            lambda sql: seen.append(sql) if "data_version" in sql else None)
    on_store(client, trace)
    return seen


def _untrace(client: TestClient) -> None:
    on_store(client, lambda conn: client.app.state.ctx.owner.raw().set_trace_callback(None))  # type: ignore[attr-defined]


def test_reads_ask_the_pragma_only_after_a_commit(client: TestClient, wish: Wish, app: FastAPI) -> None:
    freeze(client)  # nothing on the timeline falls due (and commits) in the middle of the count
    for _ in range(2):  # the first request after the fixture's reset settles the timeline parts (a transaction)
        wish.ok("product", "GET", id=PID)
    pragmas = _count_version_pragmas(client)
    try:
        for _ in range(20):
            wish.ok("product", "GET", id=PID)
        assert pragmas == []  # nobody committed: the header alone answered
        wish.ok("product/update", id=PID, name="Renamed")  # our own commit: one PRAGMA, then quiet again
        for _ in range(5):
            assert wish.ok("product", "GET", id=PID)["Product"]["name"] == "Renamed"
        assert len(pragmas) == 1
        other = sqlite3.connect(app.state.ctx.settings.db_path)  # another process's commit is seen at once
        other.execute("UPDATE product SET name = 'From outside' WHERE id = ?", (PID,))
        other.commit()
        other.close()
        assert wish.ok("product", "GET", id=PID)["Product"]["name"] == "From outside"
        assert len(pragmas) >= 2
    finally:
        _untrace(client)
