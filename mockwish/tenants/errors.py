"""The tenants' own error, in the one registry (mockwish.errors)."""

from __future__ import annotations

from mockwish.errors import merchant_error, register

TENANT_LIMIT = "Too many tenants (at most {limit}): delete some, or raise MOCKWISH_MAX_TENANTS"

register(
    merchant_error("tenant_limit", 1000, 409, "invalid_param", TENANT_LIMIT,
                   "租户过多（最多 {limit} 个）：请删除一些，或调高 MOCKWISH_MAX_TENANTS",
                   "Trop de locataires (au plus {limit}) : supprimez-en, ou augmentez MOCKWISH_MAX_TENANTS",
                   "Zu viele Mandanten (höchstens {limit}): löschen Sie welche oder erhöhen Sie MOCKWISH_MAX_TENANTS"),
)
