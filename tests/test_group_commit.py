"""Group commit (mockwish.store.owner): the API requests of one turn of the event loop share one commit, made
before any of their answers leaves (the deferred-write transport's gate). Unit tests drive a real owner on a
real loop against a file database, with a second connection looking from outside; a real server with
parallel clients checks that an acknowledged write is committed when the client reads the answer."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from mockwish.config import Settings
from mockwish.deferred_writes import DeferredWriteTransport
from mockwish.store.engine import make_engine
from mockwish.store.owner import GROUP, StoreOwner
from server_process import Server, run_all
from support import DEFAULT_TOKEN


class Boom(Exception):
    pass


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[StoreOwner, Path]]:
    """An owner of a file database (WAL, foreign keys on, as served) with group commit on."""
    engine = make_engine(Settings(data_dir=tmp_path))
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE parent (id INTEGER PRIMARY KEY)"))
        conn.execute(text("CREATE TABLE row (id INTEGER PRIMARY KEY, v TEXT, parent INTEGER REFERENCES parent (id) "
                          "DEFERRABLE INITIALLY DEFERRED)"))
    monkeypatch.setattr(GROUP, "enabled", True)
    owner = StoreOwner(engine)
    yield owner, tmp_path / "mockwish.db"
    GROUP.pending.clear()
    GROUP.failed = False
    engine.dispose()


def outside(db: Path) -> set[int]:
    """The committed rows, as another connection sees them."""
    look = sqlite3.connect(db)
    try:
        return {r[0] for r in look.execute("SELECT id FROM row")}
    finally:
        look.close()


def rollbacks(owner: StoreOwner) -> list[bool]:
    """One entry per time the owner tells its listeners (the read cache) that changed rows were rolled back."""
    told: list[bool] = []
    owner.rollback_listeners.append(lambda: told.append(True))
    return told


def insert(owner: StoreOwner, row_id: int, fail: bool = False, parent: int | None = None) -> None:
    with owner.begin(defer=True) as conn:
        conn.execute(text("INSERT INTO row (id, v, parent) VALUES (:id, 'x', :p)"), {"id": row_id, "p": parent})
        if fail:
            raise Boom


def serving(owner: StoreOwner, body) -> None:  # noqa: ANN001  (a coroutine function taking the owner)
    async def main() -> None:
        owner.bind()
        try:
            await body(owner)
        finally:
            owner.release()
    asyncio.run(main())


async def turn() -> None:
    """Let the loop run what was scheduled with call_soon."""
    await asyncio.sleep(0)


def test_the_requests_of_one_turn_share_one_commit_made_when_the_loop_turns(store: tuple[StoreOwner, Path]) -> None:
    owner, db = store

    async def body(owner: StoreOwner) -> None:
        insert(owner, 1)
        insert(owner, 2)
        assert outside(db) == set()  # kept in the turn's transaction
        await turn()
        assert outside(db) == {1, 2}
        assert not owner.raw(commit=False).in_transaction
    serving(owner, body)


def test_a_failing_request_undoes_its_own_work_and_nobody_elses(store: tuple[StoreOwner, Path]) -> None:
    owner, db = store
    rolled_back = rollbacks(owner)

    async def body(owner: StoreOwner) -> None:
        insert(owner, 1)
        with pytest.raises(Boom):
            insert(owner, 2, fail=True)  # in its savepoint: the batch holds 1 already
        insert(owner, 3)
        await turn()
        assert outside(db) == {1, 3}
        with pytest.raises(Boom):
            insert(owner, 4, fail=True)  # the first of its turn: the transaction held its work alone
        insert(owner, 5)
        await turn()
        assert outside(db) == {1, 3, 5}
    serving(owner, body)
    assert rolled_back == [True, True]  # what a cache read from the undone rows goes


def test_any_other_use_of_the_store_commits_the_batch_first(store: tuple[StoreOwner, Path]) -> None:
    owner, db = store

    async def body(owner: StoreOwner) -> None:
        insert(owner, 1)
        with owner.begin() as conn:  # a sandbox route, say: as before, on committed data
            assert conn.execute(text("SELECT count(*) FROM row")).scalar() == 1
        assert outside(db) == {1}
        insert(owner, 2)
        owner.raw()  # a page copy must not land in an open transaction
        assert outside(db) == {1, 2}
        insert(owner, 3)
    serving(owner, body)
    assert outside(db) == {1, 2, 3}  # release commits what is pending


class Sent(asyncio.Transport):
    """The real transport: notes what was committed when each write reached it."""

    def __init__(self, db: Path) -> None:
        super().__init__()
        self.db = db
        self.sent: list[tuple[bytes, set[int]]] = []
        self.aborted = False

    def write(self, data: bytes | bytearray | memoryview) -> None:
        self.sent.append((bytes(data), outside(self.db)))

    def writelines(self, list_of_data: object) -> None:
        self.write(b"".join(list_of_data))  # type: ignore[arg-type]  # an iterable of bytes

    def is_closing(self) -> bool:
        return self.aborted

    def abort(self) -> None:
        self.aborted = True


def test_an_answer_leaves_only_after_its_write_is_committed(store: tuple[StoreOwner, Path]) -> None:
    owner, db = store

    async def body(owner: StoreOwner) -> None:
        real = Sent(db)
        transport = DeferredWriteTransport(real, asyncio.get_running_loop(), GROUP.commit)
        insert(owner, 1)
        transport.write(b"ack 1")
        transport.flush()  # even a flush that runs before the commit the loop would make
        insert(owner, 2)
        transport.write(b"ack 2")
        await turn()
        assert real.sent == [(b"ack 1", {1}), (b"ack 2", {1, 2})]
    serving(owner, body)


def test_a_batch_that_cannot_commit_is_never_acknowledged(store: tuple[StoreOwner, Path]) -> None:
    owner, db = store
    rolled_back = rollbacks(owner)

    async def body(owner: StoreOwner) -> None:
        loop = asyncio.get_running_loop()
        real, bystander = Sent(db), Sent(db)
        transport = DeferredWriteTransport(real, loop, GROUP.commit)
        other = DeferredWriteTransport(bystander, loop, GROUP.commit)
        insert(owner, 1)
        transport.write(b"ack 1")
        insert(owner, 2, parent=99)  # no parent 99: the deferred foreign key fails the COMMIT itself
        other.write(b"ack 2")
        await turn()
        assert real.sent == [] and real.aborted  # reset, never an acknowledgement of a lost write
        assert bystander.sent == [] and bystander.aborted
        assert outside(db) == set()
        await turn()  # the next turn is served again
        insert(owner, 3)
        fresh = DeferredWriteTransport(Sent(db), loop, GROUP.commit)
        fresh.write(b"ack 3")
        await turn()
        assert fresh._transport.sent == [(b"ack 3", {3})]  # type: ignore[attr-defined]  # the Sent above
    serving(owner, body)
    assert rolled_back == [True]


def test_off_a_deferred_begin_commits_at_its_end(store: tuple[StoreOwner, Path],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    owner, db = store
    monkeypatch.setattr(GROUP, "enabled", False)  # not served through the deferred-write transport

    async def body(owner: StoreOwner) -> None:
        insert(owner, 1)
        assert outside(db) == {1}
    serving(owner, body)


@pytest.mark.slow
def test_every_acknowledged_write_is_committed_when_its_answer_arrives(tmp_path: Path) -> None:
    """Parallel clients write inventory; as each answer arrives, another connection (another process could be
    reading the data dir) already finds the value in the database."""
    srv = Server(tmp_path / "data").start()
    try:
        with httpx.Client(base_url=srv.base, timeout=30) as c:
            body = c.get("/api/v2/variant/multi-get", params={"limit": "8", "access_token": DEFAULT_TOKEN}).json()
        variants = [(v["Variant"]["sku"], v["Variant"]["id"]) for v in body["data"]]
        assert len(variants) == 8
        db_path = srv.data_dir / "mockwish.db"
        checked = []
        lock = threading.Lock()

        def writer(sku: str, variant_id: str) -> None:
            look = sqlite3.connect(db_path)
            try:
                with httpx.Client(base_url=srv.base, timeout=30) as c:
                    for i in range(60):
                        r = c.post("/api/v2/variant/update-inventory",
                                   data={"sku": sku, "inventory": str(1000 + i), "access_token": DEFAULT_TOKEN})
                        assert r.status_code == 200 and r.json()["code"] == 0, r.text
                        stock = look.execute("SELECT stock FROM variant WHERE id = ?", (variant_id,)).fetchone()[0]
                        assert f'"inventory":{1000 + i}' in stock.replace(" ", ""), (sku, i, stock)
                        with lock:
                            checked.append(sku)
            finally:
                look.close()

        run_all([lambda s=sku, v=vid: writer(s, v) for sku, vid in variants])  # type: ignore[misc]  # bound per worker
        assert len(checked) == 8 * 60
    finally:
        log = srv.stop()
    assert "Traceback" not in log, log
