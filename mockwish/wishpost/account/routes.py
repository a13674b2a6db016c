"""Wire of WishPost's reference tables, account and announcements (wishpost-api.txt; wishpost-v3-api-3.0.6;
supplement-wishpost.md 2, 6): get_channels (WP-DOC's flat `channels`) and GET /api/v3/channels (WP-V3's `data`)
over one channel table, warehouse, epc_warehouse_table, hub_warehouse_table (a carrier's `X-API-Key` too),
account_info, announcements (POST: WP-DOC's paged `data`; GET: WP-V3's list, narrowed by the pipeline's
sort_by/{attr}_min/_max/limit) and the page an announcement's url opens. The rules live in account.rules;
the handlers read, call a rule, render."""

from __future__ import annotations

from datetime import date
from typing import Any

from starlette.responses import Response

from mockwish.errors import WishError
from mockwish.wire.spec import Int, NameList, Str, spec
from mockwish.wishpost.account import render, rules, store
from mockwish.wishpost.conventions import Collection
from mockwish.wishpost.dates import parse_day
from mockwish.wishpost.ops import WishPostRouter, WPCall
from mockwish.wishpost.parcels.routes import TOKEN, wishpost_url
from mockwish.wishpost.payments.ledger import net_charged

router = WishPostRouter("WishPost account")

ORDER_READ, PAYMENT_READ, ANNOUNCEMENT_READ = "user.order.read", "user.payment.read", "user.announcement.read"
ANNOUNCEMENT_PAGE = "/announcement"  # WP-DOC's url: https://www.wishpost.cn/announcement?announcement_id=<24 hex>

CHANNELS = NameList("channels", "Channel otypes (JSON array or comma separated; strings or numbers), 1-100; "
                    "empty: every channel; an unknown otype is left out", max_items=rules.MAX_CHANNELS)
CHANNEL_LIST = Collection(key="data", sortable=("channel", "otype"), ranges=("channel", "otype"))


# ---- channels ------------------------------------------------------------------------------------------------

@router.op("/api/v3/get_channels", scope=ORDER_READ, spec=spec(TOKEN, CHANNELS), summary="Get channels")
def get_channels(call: WPCall) -> dict[str, Any]:
    """WP-DOC's flat answer: `channels` at the top level, one object per otype (`otype` a string, `warehouses`
    and `warehouses_return_address` keyed by the warehouse code as a string)."""
    return {"channels": [render.channel(ch) for ch in rules.list_channels(call.params.get("channels"))]}


@router.op("/api/v3/channels", scope=ORDER_READ, spec=spec(TOKEN, CHANNELS), collection=CHANNEL_LIST,
           summary="List channels (WP-V3)")
def channels(call: WPCall) -> dict[str, Any]:
    """WP-V3's List channels: the same channel objects as get_channels, the list under `data`
    (supplement-wishpost.md 2)."""
    return {"data": [render.channel(ch) for ch in rules.list_channels(call.params.get("channels"))]}


# ---- warehouses ----------------------------------------------------------------------------------------------

@router.op("/api/v3/warehouse", scope=ORDER_READ, summary="Get warehouse details",
           spec=spec(TOKEN, NameList("warehouse_ids", "EPC warehouse codes (JSON array or comma separated), 1-500",
                                     required=True, max_items=rules.MAX_WAREHOUSE_IDS)),
           errors=("wp_invalid_integer", "wp_no_valid_warehouse"))
def warehouse(call: WPCall) -> dict[str, Any]:
    """The official names and Chinese and English addresses of EPC warehouses (`enum_value` the code). Ids that
    name no EPC warehouse are left out; none left: code 30 "No valid warehouse id found."."""
    ids = rules.warehouse_ids(call.params["warehouse_ids"])
    if not ids:
        raise WishError("wp_missing_param", param="warehouse_ids")
    return {"message": render.WAREHOUSES_FETCHED, "warehouses": [render.warehouse(w) for w in rules.warehouses(ids)]}


@router.op("/api/v3/epc_warehouse_table", scope=ORDER_READ, spec=spec(TOKEN), summary="Get the EPC warehouse table")
def epc_warehouse_table(call: WPCall) -> dict[str, Any]:
    """Every EPC warehouse code (1001...) with its Chinese name, in WP-DOC's order."""
    return {"epc_warehouse_table": render.epc_table()}


@router.op("/api/v3/hub_warehouse_table", scope=ORDER_READ, carriers=True, summary="Query hub info",
           spec=spec(TOKEN, NameList("trande_ids", "Wish transaction (or order) ids, 0-100",
                                     max_items=rules.MAX_TRANDE_IDS)))
def hub_warehouse_table(call: WPCall) -> dict[str, Any]:
    """`all_hub_table` (every hub) and, per trande_id, the hub its parcels ship through (`query_hub_table`;
    "NA"/"NA" when none). A user's query looks at the user's parcels; a carrier's (`X-API-Key`) at every
    user's parcels bound for the carrier's own hub, any other answering NA."""
    ids = list(dict.fromkeys(call.params.get("trande_ids") or []))
    only_hub = call.carrier.hub_warehouse_code if call.carrier is not None else None
    owner = None if call.carrier is not None else call.user_id
    orders = store.transactions(call.conn, ids)
    parcels = store.parcels_naming(call.conn, [*ids, *orders], owner)
    hubs = rules.hubs_of_transactions(ids, parcels, orders, call.now, only_hub)
    return {"message": render.HUB_OK, "query_hub_table": [render.hub_row(i, hubs[i]) for i in ids],
            "all_hub_table": render.all_hubs()}


# ---- account -------------------------------------------------------------------------------------------------

@router.op("/api/v3/account_info", scope=PAYMENT_READ, spec=spec(TOKEN), summary="Get account info")
def account_info(call: WPCall) -> dict[str, Any]:
    """The user's balances as strings (`data`): the cash less the parcels' net charges, what of it is frozen
    and withdrawable, the debt, and the words WP-DOC prints for no debt limit and the currency (in the call's
    language: 无上限的/人民币 in zh, Unlimited/CNY in en)."""
    user = call.user_id
    found = rules.balances(store.account(call.conn, user), net_charged(call.conn, user, call.now))
    return {"data": render.account(found, call.locale)}


# ---- announcements -------------------------------------------------------------------------------------------

DATES = (Str("start_date", "%Y-%m-%d (Beijing date), inclusive", max_len=40),
         Str("end_date", "%Y-%m-%d (Beijing date), inclusive", max_len=40))
ANNOUNCEMENT_ERRORS = ("wp_invalid_date", "wp_end_before_start")


def _date(call: WPCall, name: str) -> date | None:
    raw = call.params.get(name, "")
    return parse_day(name, raw) if raw.strip() else None


def _dates(call: WPCall) -> tuple[date | None, date | None]:
    return _date(call, "start_date"), _date(call, "end_date")


def _day(value: date | None) -> str | None:
    return None if value is None else value.strftime(rules.DATE)


def _url(call: WPCall) -> Any:
    return lambda announcement_id: wishpost_url(call, ANNOUNCEMENT_PAGE, {"announcement_id": announcement_id})


@router.op("/api/v3/announcements", scope=ANNOUNCEMENT_READ, methods=("POST",), summary="Get announcements",
           spec=spec(TOKEN, *DATES, Int("offset", "Where the page starts (0: the first)", low=0, high=rules.MAX_OFFSET),
                     Int("limit", "Announcements per page, 1-50", low=1, high=rules.MAX_LIMIT)),
           errors=(*ANNOUNCEMENT_ERRORS, "wp_start_too_early"))
def announcements(call: WPCall) -> dict[str, Any]:
    """WP-DOC's answer: `data.announcements` (newest first) between start_date (default and earliest: 30 days
    ago) and end_date (default: today), a page of `limit` (default 10) from `offset` (default 0), with
    `pagination` {total, next, previous} (null on the last and the first page)."""
    settings = call.ctx.settings
    start, end = _dates(call)
    span = rules.window(start, end, call.now, settings.wishpost_announcement_window_days)
    rows = store.announcements(call.conn, call.user_id, span.start.strftime(rules.DATE), span.end.strftime(rules.DATE))
    p = rules.page(len(rows), call.params.get("offset", 0),
                   call.params.get("limit", settings.wishpost_announcement_default_limit))
    url = _url(call)
    items = [render.announcement(r, url) for r in rows[p.offset:p.offset + p.limit]]
    return {"message": render.ALL_SUCCESS, "data": render.announcements_data(
        items, p, span.start.strftime(rules.DATE), span.end.strftime(rules.DATE))}


@router.op("/api/v3/announcements", scope=ANNOUNCEMENT_READ, methods=("GET",), spec=spec(TOKEN, *DATES),
           collection=Collection(key="data", sortable=("publish_time", "title"), ranges=("publish_time", "title"),
                                 aliases={"created_at": "publish_time"}),
           errors=ANNOUNCEMENT_ERRORS, summary="List announcements (WP-V3)")
def list_announcements(call: WPCall) -> dict[str, Any]:
    """WP-V3's form: every announcement of the user (newest first) under `data`, optionally between start_date
    and end_date (no 30-day limit here); `sort_by=publish_time.asc`, `publish_time_min`/`_max` and `limit`
    narrow it."""
    start, end = _dates(call)
    rules.filter_window(start, end)
    rows = store.announcements(call.conn, call.user_id, _day(start), _day(end))
    url = _url(call)
    return {"data": [render.announcement(r, url) for r in rows]}


@router.op(ANNOUNCEMENT_PAGE, scope="", auth="none", methods=("GET",), file_type="text/html",
           spec=spec(Str("announcement_id", "The announcement's id (24 hex)", required=True, max_len=24)),
           errors=("wp_announcement_not_found",), summary="An announcement's page (the url announcements answer)")
def announcement_page(call: WPCall) -> Response:
    """The small HTML page an announcement's `url` opens, as a link does: no token needed (the id is the key)."""
    announcement_id = call.params["announcement_id"]
    row = store.announcement(call.conn, announcement_id)
    if row is None:
        raise WishError("wp_announcement_not_found", id=announcement_id)
    return Response(render.announcement_page(row), media_type="text/html; charset=utf-8")
