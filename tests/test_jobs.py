"""Unit tests of the job machine: states derived from the clock, work carried out once, cancel rules."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, insert

from mockwish.config import Settings
from mockwish.errors import WishError
from mockwish.jobs import CANCELLED, FINISHED, PENDING, RUNNING, JobKind, JobMachine, Outcome
from mockwish.store.engine import create_schema, make_engine
from mockwish.store.tables import Merchant

T0 = datetime(2026, 3, 1, 12, 0, 0)


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[datetime, float]] = []

    def work(self, conn: Connection, row: dict[str, Any], at: datetime, fraction: float) -> Outcome:
        self.calls.append((at, fraction))
        n = row["params"]["n"]
        done = int(n * fraction)
        return Outcome(result={"done": done}, total_count=n, file_name=f"{row['id']}.csv",
                       file_content=f"rows,{done}\n".encode())


@pytest.fixture
def machine(tmp_path: Path):  # noqa: ANN201
    engine = make_engine(Settings(data_dir=tmp_path))
    create_schema(engine)
    with engine.begin() as conn:
        conn.execute(insert(Merchant.__table__).values(  # type: ignore[attr-defined]
            id="m" * 24, name="M", username="m", password="p", shipping_settings={}, warehouses=[], created_at=T0))
    rec = Recorder()
    jobs = JobMachine(pending_seconds=2, running_seconds=10)
    jobs.register(JobKind("demo", "DemoJob", rec.work))
    return engine, jobs, rec


def test_states_follow_the_clock(machine) -> None:  # noqa: ANN001
    engine, jobs, rec = machine
    with engine.begin() as conn:
        jid = jobs.create(conn, "m" * 24, "demo", {"n": 100}, T0, total_count=100)
        assert jobs.view(conn, "m" * 24, "demo", jid, T0).state == PENDING
        mid = jobs.view(conn, "m" * 24, "demo", jid, T0 + timedelta(seconds=7))
        assert mid.state == RUNNING and mid.processed_count == 50
        assert rec.calls == []
        done = jobs.view(conn, "m" * 24, "demo", jid, T0 + timedelta(seconds=12))
        assert done.state == FINISHED and done.processed_count == 100 and done.result == {"done": 100}
        assert jobs.file(conn, done.file_name)[0] == b"rows,100\n"
        jobs.view(conn, "m" * 24, "demo", jid, T0 + timedelta(days=1))
    assert rec.calls == [(T0 + timedelta(seconds=12), 1.0)]  # carried out once, at its finish instant


def test_settle_due_finishes_jobs_nobody_looked_at(machine) -> None:  # noqa: ANN001
    engine, jobs, rec = machine
    with engine.begin() as conn:
        jobs.create(conn, "m" * 24, "demo", {"n": 5}, T0, total_count=5)
        jobs.settle_due(conn, T0 + timedelta(seconds=3))
        assert rec.calls == []
        jobs.settle_due(conn, T0 + timedelta(hours=1))
        assert len(rec.calls) == 1
        jobs.settle_due(conn, T0 + timedelta(hours=2))
        assert len(rec.calls) == 1


def test_cancel_while_pending_processes_nothing(machine) -> None:  # noqa: ANN001
    engine, jobs, rec = machine
    with engine.begin() as conn:
        jid = jobs.create(conn, "m" * 24, "demo", {"n": 10}, T0, total_count=10)
        assert jobs.cancel(conn, "m" * 24, "demo", jid, T0 + timedelta(seconds=1)) == "cancelled"
        view = jobs.view(conn, "m" * 24, "demo", jid, T0 + timedelta(days=1))
        assert view.state == CANCELLED and view.processed_count == 0 and not view.started
        assert jobs.cancel(conn, "m" * 24, "demo", jid, T0 + timedelta(days=1)) == "already_cancelled"
    assert rec.calls == [(T0 + timedelta(seconds=1), 0.0)]


def test_cancel_while_running_keeps_the_share_processed(machine) -> None:  # noqa: ANN001
    engine, jobs, rec = machine
    with engine.begin() as conn:
        jid = jobs.create(conn, "m" * 24, "demo", {"n": 10}, T0, total_count=10)
        assert jobs.cancel(conn, "m" * 24, "demo", jid, T0 + timedelta(seconds=4)) == "cancelled"
        view = jobs.view(conn, "m" * 24, "demo", jid, T0 + timedelta(days=1))
        assert view.state == CANCELLED and view.started and view.result == {"done": 2}


def test_cancel_after_finish(machine) -> None:  # noqa: ANN001
    engine, jobs, _ = machine
    with engine.begin() as conn:
        jid = jobs.create(conn, "m" * 24, "demo", {"n": 1}, T0, total_count=1)
        assert jobs.cancel(conn, "m" * 24, "demo", jid, T0 + timedelta(minutes=1)) == "finished"
        assert jobs.view(conn, "m" * 24, "demo", jid, T0 + timedelta(minutes=2)).state == FINISHED


def test_other_merchant_and_other_kind_are_not_found(machine) -> None:  # noqa: ANN001
    engine, jobs, _ = machine
    jobs.register(JobKind("other", "OtherJob", lambda *a: Outcome({}, 0)))
    with engine.begin() as conn:
        jid = jobs.create(conn, "m" * 24, "demo", {"n": 1}, T0, total_count=1)
        for merchant, kind in (("x" * 24, "demo"), ("m" * 24, "other")):
            with pytest.raises(WishError) as err:
                jobs.view(conn, merchant, kind, jid, T0)
            assert err.value.code == 1004


def test_a_snapshot_kind_works_when_it_starts_running(machine) -> None:  # noqa: ANN001
    engine, jobs, rec = machine
    jobs.register(JobKind("export", "ExportJob", rec.work, snapshot_at_start=True))
    m = "m" * 24
    with engine.begin() as conn:
        jid = jobs.create(conn, m, "export", {"n": 10}, T0, total_count=10)
        jobs.settle_due(conn, T0 + timedelta(seconds=1))
        assert rec.calls == []
        jobs.settle_due(conn, T0 + timedelta(seconds=3))  # RUNNING: the snapshot is read and written now
        assert rec.calls == [(T0 + timedelta(seconds=2), 1.0)]
        running = jobs.view(conn, m, "export", jid, T0 + timedelta(seconds=7))
        assert running.state == RUNNING and running.processed_count == 5  # the progress still follows the clock
        done = jobs.view(conn, m, "export", jid, T0 + timedelta(seconds=12))
        assert done.state == FINISHED and done.file_name and jobs.file(conn, done.file_name)[0] == b"rows,10\n"
    assert len(rec.calls) == 1


def test_cancelling_a_running_snapshot_withdraws_its_file(machine) -> None:  # noqa: ANN001
    engine, jobs, rec = machine
    jobs.register(JobKind("export", "ExportJob", rec.work, snapshot_at_start=True))
    m = "m" * 24
    with engine.begin() as conn:
        jid = jobs.create(conn, m, "export", {"n": 10}, T0, total_count=10)
        name = jobs.view(conn, m, "export", jid, T0 + timedelta(seconds=3)).file_name
        assert name and jobs.file(conn, name) is not None
        assert jobs.cancel(conn, m, "export", jid, T0 + timedelta(seconds=4)) == "cancelled"
        view = jobs.view(conn, m, "export", jid, T0 + timedelta(seconds=20))
        assert view.state == CANCELLED and view.file_name is None and jobs.file(conn, name) is None
        assert jobs.cancel(conn, m, "export", jid, T0 + timedelta(seconds=21)) == "already_cancelled"


def test_a_snapshot_kind_jumped_straight_to_finished(machine) -> None:  # noqa: ANN001
    engine, jobs, rec = machine
    jobs.register(JobKind("export", "ExportJob", rec.work, snapshot_at_start=True))
    with engine.begin() as conn:
        jid = jobs.create(conn, "m" * 24, "export", {"n": 4}, T0, total_count=4)
        done = jobs.view(conn, "m" * 24, "export", jid, T0 + timedelta(hours=1))
        assert done.state == FINISHED and jobs.file(conn, done.file_name)[0] == b"rows,4\n"
    assert rec.calls == [(T0 + timedelta(seconds=2), 1.0)]


def test_a_job_that_fails_ends_without_a_result_and_breaks_nothing_else(machine) -> None:  # noqa: ANN001
    """A bug in a job's work is settled once (logged), not raised into every request that settles the clock."""
    engine, jobs, rec = machine

    def broken(conn: Connection, row: dict[str, Any], at: datetime, fraction: float) -> Outcome:
        raise OverflowError("date value out of range")

    jobs.register(JobKind("broken", "BrokenJob", broken))
    with engine.begin() as conn:
        bad = jobs.create(conn, "m" * 24, "broken", {}, T0, total_count=1)
        good = jobs.create(conn, "m" * 24, "demo", {"n": 3}, T0, total_count=3)
        jobs.settle_due(conn, T0 + timedelta(hours=1))  # no exception
        failed = jobs.view(conn, "m" * 24, "broken", bad, T0 + timedelta(hours=1))
        assert failed.state == FINISHED and failed.result == {"error": "the job failed"} and failed.file_name is None
        assert jobs.view(conn, "m" * 24, "demo", good, T0 + timedelta(hours=1)).result == {"done": 3}
