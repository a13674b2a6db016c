"""WishPost OAuth scopes (WP-V3's list). Enforced on new-OAuth tokens; old-OAuth and seeded tokens hold all."""

from __future__ import annotations

WISHPOST_SCOPES: tuple[str, ...] = (
    "user.scope.read", "user.label.read", "user.payment.read", "user.tracking.read", "user.order.write",
    "user.order.read", "user.announcement.read",
)

# /api/v3/scopes: what each scope covers. The names and words of the three WP-DOC shows are copied; the other
# four follow their pattern. Each list names the mockwish operations the scope opens (an operation declares the
# same scope: tests/test_wishpost_tables.py checks the two agree), so WP-DOC's "/api/v3/create_order", which no
# documented endpoint has, is left out. An operation any of several scopes opens is listed under each of them:
# generate_label (WP-DOC lists it under order.read and order.write; the label scope names it), the bag queries
# (orders_bag under order.read and order.write, its label PDF under those and label.read).
SCOPE_INFO: dict[str, dict[str, object]] = {
    "user.scope.read": {"resource": "scope", "apis": ["/api/v3/scopes"], "chinese_name": "读取权限",
                        "english_name": "Read Scope", "action": "READ"},
    "user.label.read": {"resource": "label", "apis": ["/api/v2/generate_label", "/api/v2/download_label",
                                                      "/api/v3/orders_bag/download_label"],
                        "chinese_name": "读取面单", "english_name": "Read Label", "action": "READ"},
    "user.payment.read": {"resource": "payment", "apis": ["/api/v3/get_order_payment",
                                                          "/api/v3/payment_statement/download",
                                                          "/api/v3/payment_statement/check-status",
                                                          "/api/v3/account_info"],
                          "chinese_name": "读取账单", "english_name": "Read Payment", "action": "READ"},
    "user.tracking.read": {"resource": "tracking", "apis": ["/api/v2/auth_test", "/api/v2/tracking"],
                           "chinese_name": "读取轨迹", "english_name": "Read Tracking", "action": "READ"},
    "user.order.write": {"resource": "order", "apis": ["/api/v2/create_order", "/api/v2/generate_label",
                                                       "/api/v3/cancel_orders",
                                                       "/api/v3/order/collection_option/confirm",
                                                       "/api/v3/orders_bag/create", "/api/v3/orders_bag/cancel",
                                                       "/api/v3/orders_bag", "/api/v3/orders_bag/download_label"],
                         "chinese_name": "创建订单", "english_name": "create order", "action": "WRITE"},
    "user.order.read": {"resource": "order", "apis": ["/api/v2/generate_label", "/api/v3/order_status",
                                                      "/api/v3/epc_warehouse_table", "/api/v3/get_channels",
                                                      "/api/v3/channels", "/api/v3/warehouse",
                                                      "/api/v3/hub_warehouse_table", "/api/v3/orders_bag",
                                                      "/api/v3/orders_bag/download_label"],
                        "chinese_name": "读取订单", "english_name": "Read Order Info", "action": "READ"},
    "user.announcement.read": {"resource": "announcement", "apis": ["/api/v3/announcements"],
                               "chinese_name": "读取公告", "english_name": "Read Announcement", "action": "READ"},
}


def apis(name: str) -> list[str]:
    """The API paths a scope covers."""
    found = SCOPE_INFO[name]["apis"]
    assert isinstance(found, list)
    return [str(a) for a in found]


def describe(name: str) -> dict[str, object]:
    """One scope as /api/v3/scopes lists it (WP-DOC's key order)."""
    info = SCOPE_INFO[name]
    return {"resource": info["resource"], "name": name, "apis": apis(name), "chinese_name": info["chinese_name"],
            "role": "USER", "english_name": info["english_name"], "attribute": "PUBLIC", "action": info["action"]}
