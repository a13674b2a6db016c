"""The one reader of WishPost's `%Y-%m-%d` date parameters (announcements, payment statements): strictly four
digit years, two digit months and days, within the years the mock's clock can show (2000-2999; the sandbox's
clock keeps to them too). A date outside that range answers the same 1000 as a malformed one, so no day
arithmetic of a statement job or an announcement window can overflow a datetime later."""

from __future__ import annotations

import re
from datetime import date, datetime

from mockwish.errors import WishError, register, wishpost_error

FORMAT = "%Y-%m-%d"
_SHAPE = re.compile(r"\d{4}-\d{2}-\d{2}")
FIRST, LAST = date(2000, 1, 1), date(2999, 12, 31)

register(
    wishpost_error("wp_invalid_date", 1000, 400, "invalid_param",
                   "Invalid Param '{param}': {value} does not match format %Y-%m-%d",
                   "无效参数 '{param}'：{value} 不符合 %Y-%m-%d 格式"),
)


def parse_day(name: str, raw: str) -> date:
    text = raw.strip()
    try:
        if not _SHAPE.fullmatch(text):
            raise ValueError(text)
        day = datetime.strptime(text, FORMAT).date()
    except ValueError:
        raise WishError("wp_invalid_date", param=name, value=text[:40]) from None
    if not FIRST <= day <= LAST:
        raise WishError("wp_invalid_date", param=name, value=text)
    return day


def in_range(day: date) -> bool:
    """Whether a day (or an instant's day) lies in the years the mock's clock can show."""
    return FIRST <= (day.date() if isinstance(day, datetime) else day) <= LAST
