"""The money a WishPost user's charges and refunds add up to (for account_info). Filled in by issue 14."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Connection


def net_charged(conn: Connection, user_id: str, now: datetime) -> Decimal:
    """Charges minus refunds of the user's parcels up to `now`, in CNY."""
    return Decimal("0")
