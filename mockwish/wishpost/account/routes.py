"""WishPost reference tables, account and announcements: the wire. Filled in by issue 14."""

from __future__ import annotations

from mockwish.wishpost.ops import WishPostRouter

router = WishPostRouter("WishPost account")
