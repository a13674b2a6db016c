"""The wire of download jobs, shared by /product/* and /order/*: the status answer (status, created_date,
run times, integer counts, download_link once FINISHED) and the three documented cancel answers."""

from __future__ import annotations

from typing import Any

from mockwish.jobs import CANCELLED, FINISHED, PENDING
from mockwish.wire.format import job_ts
from mockwish.wire.spec import Id, spec
from mockwish.wire.v2 import Call, V2Result

JOB_ID = spec(Id("job_id", "The id returned by create-download-job", required=True))
EXPORT_PATH = "/static/sweeper-production-merchant-export/"
CANCEL_MESSAGES = {"cancelled": "Job cancelled successfully.", "finished": "Job has already finished.",
                   "already_cancelled": "Job has already been cancelled."}


def status(call: Call, kind: str) -> V2Result:
    job = call.ctx.jobs.view(call.conn, call.merchant_id, kind, call.params["job_id"], call.now)
    data: dict[str, Any] = {"status": job.state, "created_date": job_ts(job.created_at)}
    if job.state != PENDING and job.started:
        data["start_run_time"] = job_ts(job.start_at)
        data["total_count"] = job.total_count
        data["processed_count"] = job.processed_count
    if job.state == FINISHED:
        data["end_run_time"] = job_ts(job.end_at)
        if job.file_name:
            data["download_link"] = call.url(EXPORT_PATH + job.file_name)
    if job.state == CANCELLED:
        data["cancelled_time"] = job_ts(job.cancelled_at)
    return V2Result(data)


def cancel(call: Call, kind: str) -> V2Result:
    outcome = call.ctx.jobs.cancel(call.conn, call.merchant_id, kind, call.params["job_id"], call.now)
    return V2Result({"message": CANCEL_MESSAGES[outcome]})
