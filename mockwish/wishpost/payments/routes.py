"""Wire of WishPost charges and statements (wishpost-api.txt "Order Payment", "Download Payment Statement",
"Payment Statement Check Status"; supplement-wishpost.md 6): get_order_payment, payment_statement/download and
payment_statement/check-status, and the statement's signed file link. The rules live in payments.rules, the
statement job in payments.statement (a kind of the shared job machine)."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

import orjson
from starlette.responses import Response

from mockwish.errors import WishError
from mockwish.ids import new_hex
from mockwish.jobs import FINISHED, RUNNING
from mockwish.store.read_cache import entry_size, kept_json
from mockwish.wire.spec import Int, NameList, Str, spec
from mockwish.wire.v2 import public_base_url
from mockwish.wishpost.ops import ORIGINAL_PATH, V3_AUTH_ERRORS, WishPostRouter, WPCall, token_of
from mockwish.wishpost.parcels import store as parcel_store
from mockwish.wishpost.payments import errors as _errors  # noqa: F401  (registers this area's errors)
from mockwish.wishpost.payments import render, rules, statement, store

router = WishPostRouter("WishPost Payments")

PAYMENT_READ = "user.payment.read"
TOKEN = Str("access_token", "Access token (or `Authorization: Bearer`)", max_len=100)
MAX_TRACKING_IDS = 100
FILE_PATH = "/api/v3/payment_statement/file"
NOT_FOUND_MESSAGE = "Some tracking ids are not found."


def _complete_after(call: WPCall) -> timedelta:
    return timedelta(seconds=call.ctx.settings.wishpost_charge_complete_seconds)


# ---- get_order_payment ------------------------------------------------------------------------------------------

def _tracking_ids(call: WPCall) -> list[str]:
    """The ids named: a JSON list, a comma separated string, or the parameter repeated (form or query); at least
    one (1001) and at most 100 (1000), each once in the order given."""
    ids = list(dict.fromkeys(call.params.get("tracking_ids") or []))  # any form: the pipeline merged them
    if not ids:
        raise WishError("wp_missing_param", param="tracking_ids")
    if len(ids) > MAX_TRACKING_IDS:
        raise WishError("too_many_ids", max=MAX_TRACKING_IDS, param="tracking_ids", count=len(ids))
    return ids


TRACKING_IDS = NameList("tracking_ids", "Up to 100 tracking numbers (barcode or logistics order code) or WOSP ids: "
                        "a JSON list, comma separated, or the parameter repeated", required=True,
                        max_items=MAX_TRACKING_IDS)


@router.op("/api/v3/get_order_payment", scope=PAYMENT_READ, summary="Get order payment",
           spec=spec(TOKEN, TRACKING_IDS), error_fields={"data": []})
def get_order_payment(call: WPCall) -> dict[str, Any]:
    """The payment requests of each parcel named (by tracking number or WOSP id): the logistics charge of its
    warehouse scan, its refund once a charged parcel is cancelled, and what the sandbox posted. Ids of no parcel
    of the caller (unknown, another user's, a number still under review) are left out of `data`, and `message`
    says so, with code 0 (as order_status does)."""
    ids = _tracking_ids(call)
    cache, user, now, locale = call.ctx.read_cache, call.user_id, call.now, call.locale
    cache.sync(call.conn)
    kept: dict[str, orjson.Fragment | None] = {}  # an id's entry (None: no parcel of the caller's) as rendered
    for i in ids:  # until the parcel's requests next change on the clock, or a write to it or its charges
        entry = cache.get(("payment", user, i, locale))
        if entry is not None and entry[1] <= now < entry[2]:
            kept[i] = entry[0]
    missing = [i for i in ids if i not in kept]
    if missing:
        found = parcel_store.by_numbers(call.conn, user, missing)
        named = [(i, found[i]) for i in missing if i in found and rules.known_number(found[i], i, now)]
        posted = store.posted_of(call.conn, user, list(dict.fromkeys(p["id"] for _, p in named)))
        complete = _complete_after(call)
        for i, p in named:
            rows = posted.get(p["id"], [])
            raw = kept_json(render.parcel_entry(i, p, rules.charges_of(p, rows, now, complete), now, locale))
            kept[i] = orjson.Fragment(raw)
            cache.put(call.conn, ("payment", user, i, locale),
                      (kept[i], now, rules.next_change(p, rows, now, complete)), entry_size(len(raw)),
                      [("w", user, p["id"])])
    data = [kept[i] for i in ids if kept.get(i) is not None]
    return {"message": NOT_FOUND_MESSAGE if len(data) < len(ids) else "", "data": data}


# ---- payment statements -----------------------------------------------------------------------------------------

def _file_url(call: WPCall, job_id: str, signature: str) -> str:
    """The statement's link on the WishPost surface as the caller reaches it (the WishPost port's root, or
    /wishpost on the main one), signed as WP-DOC's pre-signed S3 link is: no token needed."""
    prefix = "" if ORIGINAL_PATH in call.request.scope else "/wishpost"
    base = public_base_url(call.request, call.ctx.settings.public_url)
    return f"{base}{prefix}{FILE_PATH}?{urlencode({'job_id': job_id, 'signature': signature})}"


@router.op("/api/v3/payment_statement/download", scope=PAYMENT_READ, summary="Download payment statement",
           spec=spec(TOKEN, Str("start_date", "The first day (Beijing), %Y-%m-%d", required=True, max_len=40),
                     Str("end_date", "The last day (Beijing), %Y-%m-%d, not before start_date", required=True,
                         max_len=40)),
           errors=("wp_statement_reversed", "wp_statement_too_long"))
def download(call: WPCall) -> dict[str, Any]:
    """Starts a statement job of the payment requests created on those days (both included; at most
    MOCKWISH_WISHPOST_STATEMENT_MAX_DAYS): `url` (404 until the job completes, then the .xlsx), `job_id` and
    `job_token` for check-status."""
    settings = call.ctx.settings
    start, end = rules.statement_range(call.params["start_date"], call.params["end_date"],
                                       settings.wishpost_statement_max_days)
    # a tenant's job id starts with the tenant's id: the signed link, which carries no token, finds its store
    job_id, signature, job_token = call.ctx.token_prefix + new_hex(32), new_hex(64), secrets.randbelow(10**9 - 1) + 1
    params = statement.params(start, end, locale=call.locale, job_token=job_token, signature=signature,
                              complete_seconds=settings.wishpost_charge_complete_seconds)
    call.ctx.jobs.create(call.conn, call.user_id, statement.KIND, params, call.now, 0, job_id=job_id)
    return {"url": _file_url(call, job_id, signature), "job_token": job_token, "job_id": job_id,
            "message": "Success"}


@router.op("/api/v3/payment_statement/check-status", scope=PAYMENT_READ, summary="Payment statement check status",
           spec=spec(TOKEN, Str("job_id", "The statement job (32 hex)", required=True, max_len=64),
                     Int("job_token", "The job's token, as download answered it", required=True, low=0,
                         high=10**18)),
           errors=("wp_no_such_job",))
def check_status(call: WPCall) -> dict[str, Any]:
    """`perc` (0 to 100, following the job's progress on the clock) and `complete`. A job that is not the
    caller's, or a wrong job_token, is `No such Job [<id>]` (code 1000)."""
    job_id = call.params["job_id"]
    try:  # the machine finds the caller's own jobs only
        view = call.ctx.jobs.view(call.conn, call.user_id, statement.KIND, job_id, call.now)
    except WishError:
        raise WishError("wp_no_such_job", id=job_id) from None
    if view.params.get("job_token") != call.params["job_token"]:
        raise WishError("wp_no_such_job", id=job_id)
    if view.state == FINISHED:
        perc = 100
    elif view.state == RUNNING and view.end_at > view.start_at:
        perc = min(99, int(100 * (call.now - view.start_at) / (view.end_at - view.start_at)))
    else:
        perc = 0
    return {"perc": perc, "complete": view.state == FINISHED}


@router.op(FILE_PATH, scope="", auth="none", methods=("GET",), summary="The payment statement file (signed link)",
           spec=spec(Str("job_id", "The statement job", required=True, max_len=64),
                     Str("signature", "The link's signature", required=True, max_len=128)),
           errors=("wp_statement_not_found", "wp_bad_auth_header", *V3_AUTH_ERRORS.values()),
           file_type=statement.MEDIA_TYPE)
def statement_file(call: WPCall) -> Response:
    """The .xlsx of a completed statement job, for whoever holds its signed link (as WP-DOC's pre-signed S3
    link): 404 (WishPost JSON) before the job completes, after the link expired
    (MOCKWISH_WISHPOST_STATEMENT_LINK_TTL_HOURS), with a wrong signature, or with a token that is not the
    owner's."""
    job_id = call.params["job_id"]
    not_found = WishError("wp_statement_not_found", id=job_id[:64])
    jobs, owner = call.ctx.jobs, call.ctx.jobs.owner(call.conn, statement.KIND, job_id)
    if owner is None:
        raise not_found
    view = jobs.view(call.conn, owner, statement.KIND, job_id, call.now)
    if not secrets.compare_digest(str(view.params.get("signature", "")).encode(), call.params["signature"].encode()):
        raise not_found
    token = token_of(call.request, call.raw)
    if token is not None:  # a token is not needed; one that is sent must be the owner's
        principal = call.ctx.auth.lookup(call.conn, "wishpost", token, "", call.now, V3_AUTH_ERRORS)
        if principal.user_id != owner:
            raise not_found
    ttl = timedelta(hours=call.ctx.settings.wishpost_statement_link_ttl_hours)
    if view.state != FINISHED or view.file_name is None or view.file_ready_at is None \
            or call.now > view.file_ready_at + ttl:
        raise not_found
    found = jobs.file(call.conn, view.file_name)
    if found is None:
        raise not_found
    name = statement.download_name(view.params, owner)
    return Response(found[0], media_type=statement.MEDIA_TYPE,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
