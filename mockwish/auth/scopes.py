"""Merchant API scopes (v3 OAuth list). Each v2 operation declares the one it needs next to its route."""

from __future__ import annotations

ALL_SCOPES: tuple[str, ...] = (
    "orders:read", "orders:write", "products:read", "products:write", "tickets:read", "tickets:write",
    "notifications:read", "notifications:write", "infractions:read", "infractions:write", "penalties:read",
    "penalties:write", "payments:read", "payments:write", "returns:read", "returns:write", "fbw:read",
    "fbw:write", "fbs:read", "merchant:read", "merchant:write", "ratings:read", "videos:read", "videos:write",
    "product_boost:read", "product_boost:write", "webhook:read", "webhook:write", "compliance:read",
    "compliance:write", "epc:read", "epc:write", "listing_quality:read", "announcements:read",
    "wps_parcel:read", "wps_parcel:write", "qoo10:read",
)
NONE = ""  # operations that only need a valid token (auth_test, oauth/test)
