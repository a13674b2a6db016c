"""The errors of WishPost charges and statements, in the one registry (mockwish.errors)."""

from __future__ import annotations

from mockwish.errors import register, wishpost_error

register(
    # payment_statement/check-status: WP-DOC's example swaps message and code (supplement-wishpost.md 6); the
    # mock answers the text as the message with WishPost's generic invalid-parameter code
    wishpost_error("wp_no_such_job", 1000, 400, "not_found", "No such Job [{id}]", "No such Job [{id}]"),
    # payment_statement/download: the announcements call's documented text for a reversed range
    wishpost_error("wp_statement_reversed", 1000, 400, "invalid_param",
                   "End date should be later than start date.", "结束日期应晚于开始日期。"),
    wishpost_error("wp_statement_too_long", 1000, 400, "invalid_param",
                   "The date range should not be longer than {days} days.", "日期范围不能超过 {days} 天。"),
    # the statement's link before the file is ready, after it expired, or with a wrong signature
    wishpost_error("wp_statement_not_found", 1000, 404, "not_found",
                   "No statement file for job [{id}] (not ready, expired or not signed)",
                   "任务 [{id}] 没有对账单文件（尚未生成、已过期或签名无效）"),
)
