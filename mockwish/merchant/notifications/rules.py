"""The rules of notifications and announcements: which notification may be marked viewed, what a System Update's
categories may be, and the date formats the docs' examples print (each endpoint its own)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from mockwish.errors import WishError
from mockwish.merchant.notifications.errors import NOTIFICATION_ALREADY_VIEWED, NOTIFICATION_NOT_FOUND

# fetch-sys-updates-noti: "Category values may be: ..." (up to three per update)
CATEGORIES = ("ACCOUNT_SETTINGS", "API", "INSIGHTS", "IP", "LOCAL_CURRENCY", "LOGISTICS", "LOGISTICS_PRICING",
              "ORDERS", "PAYMENTS", "POLICIES_AND_TERMS", "PRODUCTS", "SHIPPING_CARRIERS", "TAX")
MAX_CATEGORIES = 3
NO_PROGRAM = "None"  # the doc: "'None' means that there is no program associated with this system-update"
KINDS = ("bd", "system")  # the two kinds of announcement

# English names, whatever the process's locale (strftime's %A and %B follow it)
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def bd_created(at: datetime) -> str:
    """GetBDAnnouncementResponse.created: 'Apr 01, 2016'."""
    return f"{_MONTHS[at.month - 1][:3]} {at.day:02d}, {at.year}"


def release_date(at: datetime) -> str:
    """SystemUpdatesResponse.release_date: 'Thursday May 19, 2016' (the doc's first example; its second prints
    'Wednesday, December 11 2019', one form is kept)."""
    return f"{_DAYS[at.weekday()]} {_MONTHS[at.month - 1]} {at.day:02d}, {at.year}"


def cta_date(at: datetime) -> str:
    """Feature.cta_effective_date: 'January 10, 2020 12:00 PM UTC'."""
    hour, half = at.hour % 12 or 12, "AM" if at.hour < 12 else "PM"
    return f"{_MONTHS[at.month - 1]} {at.day:02d}, {at.year} {hour:02d}:{at.minute:02d} {half} UTC"


def month_name(at: datetime) -> str:
    return _MONTHS[at.month - 1]


def check_unviewed(row: dict[str, Any] | None, noti_id: str) -> dict[str, Any]:
    """The notification mark-as-viewed may act on: the caller's own (`row` is None for any other id, another
    merchant's included) and not viewed yet."""
    if row is None:
        raise WishError(NOTIFICATION_NOT_FOUND, id=noti_id)
    if row["viewed"]:
        raise WishError(NOTIFICATION_ALREADY_VIEWED, id=noti_id)
    return row


def viewed(now: datetime) -> dict[str, Any]:
    """The changes of marking a notification viewed."""
    return {"viewed": True, "viewed_at": now}


def check_categories(categories: Iterable[str]) -> list[str]:
    """A System Update's categories: documented values, at most three, each once (order kept)."""
    out = list(dict.fromkeys(categories))
    for c in out:
        if c not in CATEGORIES:
            raise WishError("invalid_param", value=c, param="categories (one of " + ", ".join(CATEGORIES) + ")")
    if len(out) > MAX_CATEGORIES:
        raise WishError("too_many_ids", max=MAX_CATEGORIES, param="categories", count=len(out))
    return out
