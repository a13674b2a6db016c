"""The store under real concurrency: a real server process, real parallel clients. Writers through the
Merchant API beside callers of the sandbox control API once lost acknowledged writes (plain `def` sandbox
routes ran in the thread pool on the loop's connection and rolled back its transactions); a seed or reset
during traffic once left the database without tables. Counts bound each test, never the wall clock."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from server_process import Server, run_all
from support import DEFAULT_TOKEN, SECOND_TOKEN

pytestmark = pytest.mark.slow

DOC_PRODUCT = "4ef2858a9795c776ce000120"
MUG = {"name": "Plain mug", "description": "A white mug", "inventory": "5", "price": "10", "shipping": "2",
       "main_image": "https://img.example.com/mug.jpg"}


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    srv = Server(tmp_path / "data").start()
    yield srv
    log = srv.stop()
    assert "Traceback" not in log and "FOREIGN KEY" not in log and "no transaction" not in log, log


class Answers:
    """Every answer of every client thread: HTTP status and Wish code."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.seen: list[tuple[str, int, Any]] = []
        self.refused: list[tuple[str, int, Any]] = []

    def add(self, what: str, r: httpx.Response) -> dict[str, Any]:
        body: dict[str, Any] = r.json()
        code = body.get("code") if isinstance(body, dict) else None
        with self.lock:
            self.seen.append((what, r.status_code, code))
            if code not in (0, None):
                self.refused.append((what, r.status_code, body))
        return body

    def faults(self) -> list[tuple[str, int, Any]]:
        return [s for s in self.seen if s[1] >= 500 or s[2] == 9000]



def test_acknowledged_writes_survive_sandbox_traffic(server: Server) -> None:
    answers, acked = Answers(), []
    writers_left = threading.Semaphore(0)
    n_writers, adds = 6, 40

    def writer(w: int) -> Callable[[], None]:
        def go() -> None:
            with httpx.Client(base_url=server.base, timeout=60) as c:
                for i in range(adds):
                    sku = f"w{w}-mug-{i}"
                    body = answers.add("add", c.post("/api/v2/product/add",
                                                     data={**MUG, "sku": sku, "access_token": DEFAULT_TOKEN}))
                    if body["code"] == 0:
                        product = body["data"]["Product"]
                        assert [v["Variant"]["sku"] for v in product["variants"]] == [sku], body
                        with answers.lock:
                            acked.append((product["id"], sku))
            writers_left.release()
        return go

    done = threading.Event()

    def sandbox_caller(k: int) -> Callable[[], None]:
        calls: list[Callable[[httpx.Client], httpx.Response]] = [
            lambda c: c.get("/sandbox/api/merchants"),
            lambda c: c.get("/sandbox/api/orders"),
            lambda c: c.post("/sandbox/api/oauth/codes", headers={"Authorization": f"Bearer {SECOND_TOKEN}"}),
            lambda c: c.post("/sandbox/api/transactions", json={"count": 2},
                             headers={"Authorization": f"Bearer {SECOND_TOKEN}"}),
            lambda c: c.get("/sandbox/api/apps"),
            lambda c: c.get("/sandbox/api/clock"),
        ]

        def go() -> None:
            with httpx.Client(base_url=server.base, timeout=60) as c:
                i = k
                while not done.is_set():
                    answers.add("sandbox", calls[i % len(calls)](c))
                    i += 1
        return go

    def until_writers_finish() -> None:
        for _ in range(n_writers):
            writers_left.acquire()
        done.set()

    run_all([writer(w) for w in range(n_writers)] + [sandbox_caller(k) for k in range(6)] + [until_writers_finish])
    assert answers.faults() == []
    assert len(acked) == n_writers * adds  # every add answered code 0
    with httpx.Client(base_url=server.base, timeout=60) as c:
        for pid, sku in acked:
            body = c.get("/api/v2/product", params={"id": pid, "access_token": DEFAULT_TOKEN}).json()
            assert body["code"] == 0, (pid, body)
            assert [v["Variant"]["sku"] for v in body["data"]["Product"]["variants"]] == [sku]


def test_reset_and_seed_during_traffic_answer_old_or_new_state(server: Server) -> None:
    answers = Answers()
    with httpx.Client(base_url=server.base, timeout=60) as c:
        seeded = c.get("/api/v2/product", params={"id": DOC_PRODUCT, "access_token": DEFAULT_TOKEN}).json()
        seeded_name = seeded["data"]["Product"]["name"]
        changed = c.post("/api/v2/product/update", data={"id": DOC_PRODUCT, "name": "Changed before the reset",
                                                         "access_token": DEFAULT_TOKEN}).json()
        assert changed["code"] == 0
    names: list[str] = []
    done = threading.Event()

    def reader() -> None:
        with httpx.Client(base_url=server.base, timeout=60) as c:
            while not done.is_set():
                body = answers.add("read", c.get("/api/v2/product",
                                                 params={"id": DOC_PRODUCT, "access_token": DEFAULT_TOKEN}))
                if body.get("code") == 0:
                    names.append(body["data"]["Product"]["name"])
                answers.add("list", c.get("/api/v2/product/multi-get",
                                          params={"limit": "5", "access_token": DEFAULT_TOKEN}))
                answers.add("merchants", c.get("/sandbox/api/merchants"))

    def controller() -> None:
        with httpx.Client(base_url=server.base, timeout=120) as c:
            for call in ({"path": "/sandbox/api/reset"}, {"path": "/sandbox/api/seed", "json": {"seed": 7}},
                         {"path": "/sandbox/api/reset"}, {"path": "/sandbox/api/seed", "json": {"seed": 42}}):
                r = c.post(call["path"], json=call.get("json"))
                assert r.status_code == 200, r.text
        done.set()

    run_all([reader for _ in range(4)] + [controller])
    assert answers.faults() == []
    assert [r for r in answers.refused if r[0] in ("read", "list")] == []
    assert names and set(names) <= {"Changed before the reset", seeded_name}
    # the database is whole afterwards: every table, and the seeded data of seed 42
    with httpx.Client(base_url=server.base, timeout=60) as c:
        assert len(c.get("/sandbox/api/merchants").json()) == 3
        assert c.get("/api/v2/product", params={"id": DOC_PRODUCT, "access_token": DEFAULT_TOKEN}
                     ).json()["data"]["Product"]["name"] == seeded_name
    db = sqlite3.connect(server.data_dir / "mockwish.db")
    try:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"merchant", "product", "variant", "orders", "access_token", "wishpost_user"} <= tables
    finally:
        db.close()


@pytest.mark.parametrize("round_", [1, 2])
def test_kill_9_during_writes_loses_no_acknowledged_write(tmp_path: Path, round_: int) -> None:
    srv = Server(tmp_path / "data").start()
    acked: list[tuple[str, str]] = []
    lock = threading.Lock()
    enough = threading.Event()

    def writer(w: int) -> Callable[[], None]:
        def go() -> None:
            with httpx.Client(base_url=srv.base, timeout=30) as c:
                for i in range(400):
                    sku = f"k{round_}-{w}-{i}"
                    try:
                        body = c.post("/api/v2/product/add",
                                      data={**MUG, "sku": sku, "access_token": DEFAULT_TOKEN}).json()
                    except httpx.TransportError:
                        return  # the server is gone
                    assert body["code"] == 0, body
                    with lock:
                        acked.append((body["data"]["Product"]["id"], sku))
                        if len(acked) >= 150:
                            enough.set()
        return go

    def killer() -> None:
        enough.wait(timeout=120)
        srv.kill()

    try:
        run_all([writer(w) for w in range(4)] + [killer])
    finally:
        srv.stop()
    assert len(acked) >= 150
    again = Server(tmp_path / "data").start()
    try:
        db = sqlite3.connect(again.data_dir / "mockwish.db")
        try:
            assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        finally:
            db.close()
        with httpx.Client(base_url=again.base, timeout=60) as c:
            for pid, sku in acked:
                body = c.get("/api/v2/product", params={"id": pid, "access_token": DEFAULT_TOKEN}).json()
                assert body["code"] == 0 and body["data"]["Product"]["parent_sku"] == sku, (pid, body)
    finally:
        log = again.stop()
    assert "Traceback" not in log, log
