"""The asynchronous job machine shared by every job-like endpoint (product downloads, variant bulk
updates; later order downloads and payment statements).

A job's state is derived from the clock when read: PENDING for `pending_seconds`, then RUNNING for
`running_seconds`, then FINISHED, unless it was CANCELLED first. The job's work is carried out once,
"at" its finish instant (or, for a cancel while RUNNING, for the share already processed), the first
time anything looks at the store after that instant, so advancing the clock finishes jobs at once.

A kind may instead read its snapshot when it starts RUNNING (`snapshot_at_start`: exports, whose file is
then written while the job runs, as the real export workers do, and is ready the moment it FINISHES);
a cancel before the finish withdraws that file."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from mockwish.errors import WishError
from mockwish.ids import new_id
from mockwish.store.tables import Job, JobFile, table_of

_log = logging.getLogger("mockwish")
_JOB = table_of(Job)
_FILE = table_of(JobFile)
_NEVER = datetime.max

PENDING, RUNNING, FINISHED, CANCELLED = "PENDING", "RUNNING", "FINISHED", "CANCELLED"


@dataclass(frozen=True)
class Outcome:
    """What a job's work produced: a result document and, for downloads, a file."""

    result: dict[str, Any]
    total_count: int
    file_name: str | None = None
    file_content: bytes | None = None


# work(conn, job_row, at, fraction) -> Outcome ; fraction < 1 when cancelled mid-run
Work = Callable[[Connection, dict[str, Any], datetime, float], Outcome]


@dataclass(frozen=True)
class JobKind:
    name: str
    label: str  # the entity name in "No '<label>' Found with id" errors
    work: Work
    snapshot_at_start: bool = False  # work at the RUNNING start instead of the finish (see the module doc)


@dataclass(frozen=True)
class JobView:
    id: str
    merchant_id: str
    kind: str
    params: dict[str, Any]
    state: str
    created_at: datetime
    start_at: datetime
    end_at: datetime
    cancelled_at: datetime | None
    total_count: int
    processed_count: int
    result: dict[str, Any] | None
    file_name: str | None
    file_ready_at: datetime | None

    @property
    def started(self) -> bool:
        return self.state in (RUNNING, FINISHED) or (self.cancelled_at is not None
                                                     and self.cancelled_at > self.start_at)


def run_times(row: dict[str, Any]) -> tuple[datetime, datetime]:
    """When a job row starts RUNNING and when it finishes (its start_run_time and end_run_time)."""
    start = row["created_at"] + timedelta(seconds=row["pending_seconds"])
    return start, start + timedelta(seconds=row["running_seconds"])


def _state(row: dict[str, Any], now: datetime) -> tuple[str, float]:
    """(state, fraction processed) of a job row at `now`."""
    start, end = run_times(row)
    cancelled = row["cancelled_at"]
    at = min(now, cancelled) if cancelled is not None else now
    if at < start:
        fraction = 0.0
    elif at < end and end > start:
        fraction = (at - start) / (end - start)
    else:
        fraction = 1.0
    if cancelled is not None and cancelled < end:
        return CANCELLED, fraction
    if now < start:
        return PENDING, 0.0
    if now < end:
        return RUNNING, fraction
    return FINISHED, 1.0


class JobMachine:
    def __init__(self, pending_seconds: float, running_seconds: float) -> None:
        self.pending_seconds = pending_seconds
        self.running_seconds = running_seconds
        self.kinds: dict[str, JobKind] = {}
        self.next_due: datetime = datetime.min  # recomputed on first settle

    def register(self, kind: JobKind) -> None:
        self.kinds[kind.name] = kind

    def _due(self, row: dict[str, Any]) -> datetime:
        """When a job's work falls due: its finish, or its RUNNING start for a snapshot-at-start kind."""
        start, end = run_times(row)
        return start if self.kinds[row["kind"]].snapshot_at_start else end

    def _work_due(self, row: dict[str, Any], state: str) -> bool:
        return not row["settled"] and (state == FINISHED
                                       or (state == RUNNING and self.kinds[row["kind"]].snapshot_at_start))

    def reset(self) -> None:
        self.next_due = datetime.min

    # ---- lifecycle ---------------------------------------------------------------------------
    def create(self, conn: Connection, merchant_id: str, kind: str, params: dict[str, Any], now: datetime,
               total_count: int, job_id: str | None = None) -> str:
        job_id = job_id or new_id()
        row = {"id": job_id, "merchant_id": merchant_id, "kind": kind, "params": params, "created_at": now,
               "pending_seconds": self.pending_seconds, "running_seconds": self.running_seconds,
               "cancelled_at": None, "settled": False, "total_count": total_count, "result": None}
        conn.execute(insert(_JOB).values(**row))
        self.next_due = min(self.next_due, self._due(row))
        return job_id

    def settle_due(self, conn: Connection, now: datetime) -> None:
        """Carry out the work of every job whose due instant has passed. O(1) when nothing is due."""
        if now < self.next_due:
            return
        self.next_due = self.settle_all(conn, now)

    def settle_all(self, conn: Connection, now: datetime) -> datetime:
        """Carry out the work of every job of `conn` due at `now`, whatever this machine last saw; the instant
        the next one falls due. Also a new seed's jobs, in the database it is built in (see SandboxStore.build):
        the seeded jobs already finished then are done once per seed, not after every reset to it."""
        rows = conn.execute(select(_JOB).where(_JOB.c.settled.is_(False))).mappings().all()
        next_due = _NEVER
        for found in rows:
            row = dict(found)
            state, _ = _state(row, now)
            if self._work_due(row, state):
                self._settle(conn, row, 1.0, now)
            elif state in (PENDING, RUNNING):
                next_due = min(next_due, self._due(row))
        return next_due

    def _settle(self, conn: Connection, row: dict[str, Any], fraction: float, now: datetime) -> None:
        kind = self.kinds[row["kind"]]
        due = self._due(row)
        at = row["cancelled_at"] if row["cancelled_at"] is not None and row["cancelled_at"] < due else due
        try:
            outcome = kind.work(conn, row, at, fraction)
        except Exception:  # noqa: BLE001  a job's bug must not fail every request that settles the clock
            # (work runs inside whichever request first looks after the job is due; raising would roll that
            # request back and leave the job due for the next one, for ever): the job ends with no result
            _log.exception("job %s (%s) failed; it ends without a result", row["id"], row["kind"])
            outcome = Outcome({"error": "the job failed"}, 0)
        conn.execute(update(_JOB).where(_JOB.c.id == row["id"]).values(
            settled=True, result=outcome.result, total_count=outcome.total_count))
        if outcome.file_name is not None and outcome.file_content is not None:
            conn.execute(insert(_FILE).values(job_id=row["id"], merchant_id=row["merchant_id"],
                                              name=outcome.file_name, content=outcome.file_content,
                                              # a file exists from when it is first produced: a job
                                              # nobody looked at (e.g. a seeded one) still gets 72 h
                                              ready_at=max(at, now)))

    def _row(self, conn: Connection, merchant_id: str, kind: str, job_id: str) -> dict[str, Any]:
        row = conn.execute(select(_JOB).where(_JOB.c.id == job_id, _JOB.c.merchant_id == merchant_id,
                                              _JOB.c.kind == kind)).mappings().first()
        if row is None:
            raise WishError("job_not_found", kind=self.kinds[kind].label, id=job_id)
        return dict(row)

    def view(self, conn: Connection, merchant_id: str, kind: str, job_id: str, now: datetime) -> JobView:
        row = self._row(conn, merchant_id, kind, job_id)
        state, fraction = _state(row, now)
        if self._work_due(row, state):
            self._settle(conn, row, 1.0, now)
            row = self._row(conn, merchant_id, kind, job_id)
        file = conn.execute(select(_FILE.c.name, _FILE.c.ready_at).where(_FILE.c.job_id == job_id)).first()
        start, end = run_times(row)
        total = int(row["total_count"])
        return JobView(
            id=row["id"], merchant_id=merchant_id, kind=kind, params=row["params"], state=state,
            created_at=row["created_at"], start_at=start, end_at=end, cancelled_at=row["cancelled_at"],
            total_count=total, processed_count=int(total * fraction) if state != FINISHED else total,
            result=row["result"], file_name=file[0] if file else None, file_ready_at=file[1] if file else None)

    def cancel(self, conn: Connection, merchant_id: str, kind: str, job_id: str, now: datetime) -> str:
        """'cancelled', 'finished' or 'already_cancelled' (the three documented answers)."""
        row = self._row(conn, merchant_id, kind, job_id)
        state, _ = _state(row, now)
        if state == CANCELLED:
            return "already_cancelled"
        if state == FINISHED:
            if not row["settled"]:
                self._settle(conn, row, 1.0, now)
            return "finished"
        conn.execute(update(_JOB).where(_JOB.c.id == job_id).values(cancelled_at=now))
        if row["settled"]:  # a snapshot taken at the RUNNING start: its file is withdrawn
            conn.execute(delete(_FILE).where(_FILE.c.job_id == job_id))
            conn.execute(update(_JOB).where(_JOB.c.id == job_id).values(result={}))
            return "cancelled"
        row["cancelled_at"] = now
        _, fraction = _state(row, now)
        self._settle(conn, row, fraction, now)
        return "cancelled"

    def owner(self, conn: Connection, kind: str, job_id: str) -> str | None:
        """Who a job of `kind` belongs to (for a link that names no owner: a signed statement link)."""
        row = conn.execute(select(_JOB.c.merchant_id).where(_JOB.c.id == job_id, _JOB.c.kind == kind)).first()
        return str(row[0]) if row is not None else None

    def file(self, conn: Connection, name: str) -> tuple[bytes, datetime] | None:
        row = conn.execute(select(_FILE.c.content, _FILE.c.ready_at).where(_FILE.c.name == name)).first()
        return (row[0], row[1]) if row else None
