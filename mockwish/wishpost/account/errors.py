"""The errors of WishPost's reference tables, account and announcements, in the one registry. The English texts
are WP-DOC's examples word for word (warehouse, announcements); the Chinese ones are the mock's."""

from __future__ import annotations

from mockwish.errors import register, wishpost_error

register(
    # warehouse: a warehouse_ids element that is not an integer (WP-DOC: "xyz is an invalid integer", 1000)
    wishpost_error("wp_invalid_integer", 1000, 400, "invalid_param",
                   "{value} is an invalid integer", "{value} 不是有效的整数"),
    # warehouse: none of the ids names a warehouse (WP-DOC code 30; HTTP 400 per supplement-wishpost.md 6)
    wishpost_error("wp_no_valid_warehouse", 30, 400, "not_found",
                   "No valid warehouse id found.", "未找到有效的仓库 ID。"),
    # announcements (WP-DOC's two error examples, code 1000)
    wishpost_error("wp_end_before_start", 1000, 400, "invalid_param",
                   "End date should be later than start date.", "结束日期应晚于开始日期。"),
    wishpost_error("wp_start_too_early", 1000, 400, "invalid_param",
                   "Start date should not be earlier than {days} days ago.", "开始日期不应早于 {days} 天前。"),
    # announcements: a date that is not %Y-%m-%d (the mock's text; WP-DOC prints none)
    # the announcement page (GET /announcement?announcement_id=..): no such announcement
    wishpost_error("wp_announcement_not_found", 1000, 404, "not_found",
                   "No announcement found for announcement_id {id}", "未找到 announcement_id 为 {id} 的公告"),
)
