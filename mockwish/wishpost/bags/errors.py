"""The registry entries of WishPost bags (orders_bag/*). Request-level errors, the per-code reasons of a refused
orders_bag/create (the keys of `failed_logistics_orders`, grouped by message as WP-DOC shows them) and the
per-bag reasons of orders_bag/cancel (`failed_bags[].fail_message`). WP-DOC prints the Chinese texts of the
create reasons and the English ones of the cancel reasons; the other language is the mock's translation."""

from __future__ import annotations

from mockwish.errors import register, wishpost_error

# the answer of a create or cancel refused for business reasons (WP-DOC: code 1000, HTTP 400)
FAILED = "wp_bag_failed"
# why a logistics order code cannot go into the bag (orders_bag/create's failed_logistics_orders keys)
CODE_NOT_WISHPOST = "wp_bag_code_not_wishpost"  # unknown, another user's, a WOSP id, a number not yet given
CODE_NOT_ACCEPTED = "wp_bag_code_not_accepted"  # Created: not Accepted yet
CODE_CLOSED = "wp_bag_code_closed"  # Canceled, Rejected or Invalid
CODE_COMPLETED = "wp_bag_code_completed"  # delivered already
CODE_NO_HUB = "wp_bag_code_no_hub"  # not an EPC parcel: it goes to no hub warehouse
CODE_WRONG_HUB = "wp_bag_code_wrong_hub"  # bound for the other hub
CODE_PICKUP_SERVICE = "wp_bag_code_pickup_service"  # its collection option contradicts the bag's pickup service
CODE_BAGGED = "wp_bag_code_bagged"  # in a bag that is not cancelled
# why a bag cannot be cancelled (orders_bag/cancel's failed_bags fail_message)
BAG_NOT_WISHPOST = "wp_bag_not_wishpost"
BAG_SHIPPED = "wp_bag_shipped"
BAG_CANCELLED = "wp_bag_already_cancelled"
BAG_TERMINATED = "wp_bag_terminated"

register(
    # WP-DOC's create example prints this English message beside Chinese reasons: the same in both languages
    wishpost_error(FAILED, 1000, 400, "business", "Failed due to business reason", "Failed due to business reason"),
    wishpost_error(CODE_NOT_WISHPOST, 1000, 400, "business",
                   "Some orders do not belong to WishPost platform", "某些订单不属于WishPost平台"),
    wishpost_error(CODE_NOT_ACCEPTED, 1000, 400, "business",
                   "Some orders are not accepted yet", "某些订单尚未被接受"),
    wishpost_error(CODE_CLOSED, 1000, 400, "business",
                   "Some orders are cancelled, rejected or invalid", "某些订单已被取消、拒绝或无效"),
    wishpost_error(CODE_COMPLETED, 1000, 400, "business",
                   "Some orders are already completed", "某些订单已完成"),
    wishpost_error(CODE_NO_HUB, 1000, 400, "business",
                   "Some orders are not sent through a hub warehouse", "某些订单不经过HUB仓"),
    wishpost_error(CODE_WRONG_HUB, 1000, 400, "business",
                   "Some orders are bound for a different hub warehouse", "某些订单被分配到了不同的HUB仓"),
    wishpost_error(CODE_PICKUP_SERVICE, 1000, 400, "business",
                   "Some orders chose a different pickup service", "某些订单被选用了不同的揽收服务"),
    wishpost_error(CODE_BAGGED, 1000, 400, "business",
                   "Some orders are already in another bag", "某些订单已在其他袋中"),
    wishpost_error(BAG_NOT_WISHPOST, 1000, 400, "business",
                   "The bag does not belong to Wishpost platform", "该袋不属于WishPost平台"),
    wishpost_error(BAG_SHIPPED, 1000, 400, "business",
                   "The bag is already shipped, please cancel its logistics order first",
                   "该袋已发运，请先取消其中的物流订单"),
    wishpost_error(BAG_CANCELLED, 1000, 400, "business", "The bag is already cancelled", "该袋已取消"),
    wishpost_error(BAG_TERMINATED, 1000, 400, "business", "The bag is already terminated", "该袋已终止"),
    wishpost_error("wp_bag_too_many_codes", 1000, 400, "invalid_param",
                   "At most {max} logistics_order_codes per bag ({count} sent)",
                   "每个袋最多 {max} 个 logistics_order_codes（收到 {count} 个）"),
    wishpost_error("wp_bag_too_many", 1000, 400, "invalid_param",
                   "At most {max} {param} per request ({count} sent)",
                   "每次请求最多 {max} 个 {param}（收到 {count} 个）"),
    wishpost_error("wp_bag_missing_query", 1001, 400, "missing_param",
                   "Missing bag_numbers or logistics_order_codes parameter",
                   "缺少 bag_numbers 或 logistics_order_codes 参数"),
    wishpost_error("wp_bag_carrier_hub", 1002, 400, "business",
                   "This API key serves hub warehouse {hub} only", "该 API key 只能用于HUB仓 {hub}"),
    # a bag the caller may not print (another's or nobody's): the general InvalidParam of wishpost-v3-api-3.0.6
    wishpost_error("wp_bag_label_not_found", 1000, 400, "invalid_param",
                   "The bag does not belong to Wishpost platform: {bag_number}",
                   "该袋不属于WishPost平台：{bag_number}"),
)
