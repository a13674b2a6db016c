"""Wire layer of the Notifications endpoints (noti/fetch-unviewed, noti/mark-as-viewed, noti/get-unviewed-count)
and the Announcements endpoints (fetch-bd-announcement, fetch-sys-updates-noti), all under the documented scopes
notifications:read and notifications:write."""

from __future__ import annotations

from mockwish.merchant.notifications import render, rules, store
from mockwish.merchant.notifications.errors import NOTIFICATION_ALREADY_VIEWED, NOTIFICATION_NOT_FOUND
from mockwish.wire.spec import Id, Int, spec
from mockwish.wire.v2 import Call, V2Result, V2Router

router = V2Router("Notifications")
announcements = V2Router("Announcements")

READ, WRITE = "notifications:read", "notifications:write"
PAGE = (Int("start", "Offset into the list (default 0)", low=0, high=10_000_000),
        Int("limit", "Number of notifications, 1 to 500 (default 50)", low=1, high=500))
MARK = spec(Id("noti_id", "Unique identifier for the notification (the doc's name)"),
            Id("id", "The same, under the name the doc's PHP example sends (noti_id wins when both are sent)"),
            either=(("noti_id", "id"),))


@router.op("/noti/fetch-unviewed", scope=READ, summary="Fetch Notifications", spec=spec(*PAGE),
           errors=("out_of_range",))
def fetch_unviewed(call: Call) -> V2Result:
    """The merchant's unviewed notifications, newest first: [{"GetNotiResponse": {...}}] with paging."""
    start, limit = call.params.get("start", 0), call.params.get("limit", 50)
    rows = store.unviewed_page(call.conn, call.merchant_id, start, limit + 1)
    return V2Result([render.notification(r) for r in rows[:limit]],
                    paging=call.paging(start, limit, len(rows) > limit))


@router.op("/noti/mark-as-viewed", scope=WRITE, summary="Mark a notification as viewed", spec=MARK,
           errors=("invalid_id", "missing_either", NOTIFICATION_NOT_FOUND, NOTIFICATION_ALREADY_VIEWED))
def mark_as_viewed(call: Call) -> V2Result:
    """Success when the merchant has an unviewed notification with this id; it leaves fetch-unviewed."""
    noti_id = call.params.get("noti_id") or call.params["id"]
    row = rules.check_unviewed(store.notification(call.conn, call.merchant_id, noti_id), noti_id)
    store.save_notification(call.conn, call.merchant_id, row["id"], rules.viewed(call.now))
    return V2Result({"success": True})


@router.op("/noti/get-unviewed-count", scope=READ, summary="Get the unviewed notification count", spec=spec())
def get_unviewed_count(call: Call) -> V2Result:
    """{"count": 8}: an integer, as the doc prints it."""
    return V2Result({"count": store.unviewed_count(call.conn, call.merchant_id)})


@announcements.op("/fetch-bd-announcement", scope=READ, summary="Fetch Account Manager Announcements", spec=spec())
def fetch_bd_announcement(call: Call) -> V2Result:
    """The most recent announcement of the merchant's Account Manager (reading it does not mark it viewed).
    A merchant that has none gets an empty object: {"code": 0, "data": {}}."""
    row = store.latest_bd(call.conn, call.merchant_id)
    return V2Result(render.bd_announcement(row) if row is not None else {})


@announcements.op("/fetch-sys-updates-noti", scope=READ, summary="Fetch System Updates", spec=spec())
def fetch_sys_updates(call: Call) -> V2Result:
    """Every System Update, newest release first (not paged: the doc says "all")."""
    return V2Result([render.system_update(r) for r in store.system_updates(call.conn, call.merchant_id)])

