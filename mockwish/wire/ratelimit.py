"""Rate limits per tenant per app: a fixed window aligned on the mock's clock (a 60 s window resets on the
minute, as Wish's `Wish-Rate-Limit-Reset: 2021-05-19T16:37:00.000+00:00` suggests). Counting happens on
the event loop without awaiting, so concurrent requests never lose or double a count. The sandbox API
sets quotas per tenant or per (tenant, app) and can force the next N calls of a tenant to answer 429.

WishPost throttles by documented level instead (supplement-wishpost.md 6.1): each operation declares a
`Level` (code 4290-4296, calls per minute, whether the IP and the user share a count); the same windows,
overrides and forced answers apply, with the WishPost user as the tenant."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import NamedTuple

from mockwish.wire.format import iso_ms

_EPOCH = datetime(1970, 1, 1)
REMAINING, RESET = "Wish-Rate-Limit-Remaining", "Wish-Rate-Limit-Reset"


@dataclass(frozen=True)
class Quota:
    limit: int
    window_seconds: int


class Decision(NamedTuple):  # a tuple: made on every call of every tenant
    allowed: bool
    remaining: int
    reset_at: datetime  # end of the current window (naive UTC, mock clock)

    def into(self, headers: dict[str, str]) -> bool:
        """Write the answer's rate-limit headers (the reset only on a 429); whether the call may go on."""
        headers[REMAINING] = str(self.remaining)
        if not self.allowed:
            headers[RESET] = iso_ms(self.reset_at)
        return self.allowed


@dataclass(frozen=True)
class Level:
    """A WishPost throttle: its error code (4290 IP ... 4296 IP+app) and calls per window; `limit` None is
    the configured per-user default. The count is shared by the request traits the level names."""

    code: int
    limit: int | None = None
    window_seconds: int = 60
    by_ip: bool = field(init=False)  # counted per IP too (the levels whose name has "IP")
    counter: str = field(init=False)  # the count's key: per endpoint and IP, or one per user for the level

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_ip", self.code in (4290, 4292, 4293, 4294, 4296))
        # the limit and window are part of the key: order_status (30) and tracking (300) share code 4292, and
        # the documented quota is cached by this key
        object.__setattr__(self, "counter", f"wishpost:level-{self.code}-{self.limit}-{self.window_seconds}")


WISHPOST_USER = Level(4291)  # undocumented endpoints: the configured default per user
WISHPOST_IP_USER_30 = Level(4292, 30)  # order_status (WP-DOC)
WISHPOST_IP_USER_300 = Level(4292, 300)  # tracking (WP-DOC)


class RateLimiter:
    def __init__(self, limit: int, window_seconds: int, enabled: bool = True, wishpost_limit: int = 600) -> None:
        self.enabled = enabled  # off: the surfaces skip accounting (no headers, no 429)
        self.wishpost_limit = wishpost_limit
        self.configured = self.default = Quota(limit, window_seconds)
        self.quotas: dict[tuple[str, str | None], Quota] = {}  # (tenant, app) or (tenant, None)
        self.forced: dict[str, int] = {}  # tenant -> how many more calls answer 429
        self.wishpost_tenants: set[str] = set()  # tenants of `quotas` that are WishPost users (for listing)
        self._windows: dict[tuple[str, str | None], tuple[int, int]] = {}  # key -> (window index, count)
        self._frames: dict[int, tuple[int, datetime, datetime]] = {}  # window size -> (index, start, end)
        self._level_quotas: dict[str, Quota] = {}  # the documented quota of each level, made once

    def reset(self) -> None:
        """Back to the configured default; forget counts, overrides and forced answers (sandbox reset, seed)."""
        self.default = self.configured
        self.quotas.clear()
        self.forced.clear()
        self.wishpost_tenants.clear()
        self._windows.clear()

    def set_quota(self, tenant: str | None, app: str | None, limit: int | None, window_seconds: int | None,
                  wishpost: bool = False) -> None:
        """Change the default (no tenant) or a tenant's (or tenant app's) quota; what is not given is kept
        (for a WishPost user: taken from the per-user default)."""
        if wishpost and tenant is not None:
            base = self.quotas.get((tenant, None)) or Quota(self.wishpost_limit, 60)
            self.wishpost_tenants.add(tenant)
        else:
            base = self.default if tenant is None else self.quota_for(tenant, app)
        quota = Quota(base.limit if limit is None else limit, window_seconds or base.window_seconds)
        if tenant is None:
            self.default = quota
        else:
            self.quotas[(tenant, app)] = quota

    def quota_for(self, tenant: str, app: str | None) -> Quota:
        return self.quotas.get((tenant, app)) or self.quotas.get((tenant, None)) or self.default

    def hit(self, tenant: str, app: str | None, now: datetime) -> Decision:
        """Count one call of (tenant, app) at `now` and say whether it may proceed."""
        return self._count((tenant, app), tenant, self.quota_for(tenant, app), now)

    def level_quota(self, user: str, level: Level) -> Quota:
        """A WishPost user's quota on a level: the sandbox override of the user, else the documented one."""
        override = self.quotas.get((user, None))
        if override is not None:
            return override
        quota = self._level_quotas.get(level.counter)  # a str key: its hash is kept, a dataclass's is not
        if quota is None:
            quota = self._level_quotas[level.counter] = Quota(level.limit or self.wishpost_limit, level.window_seconds)
        return quota

    def hit_level(self, operation: str, level: Level, user: str, ip: str, now: datetime) -> Decision:
        """Count one call of a WishPost operation by `user` (from `ip` when the level counts per IP)."""
        # an IP level counts per endpoint and IP (as WishPost documents its throttles); the per-user level
        # counts every call of the user, whatever the endpoint
        counter = f"wishpost:{operation}@{ip}" if level.by_ip else level.counter
        return self._count((user, counter), user, self.level_quota(user, level), now)

    def _frame(self, now: datetime, window: int) -> tuple[int, datetime]:
        """(index, end) of the window of `window` seconds holding `now`; kept per window size, so a call
        inside the current window compares two instants instead of doing the arithmetic."""
        frame = self._frames.get(window)
        if frame is not None and frame[1] <= now < frame[2]:
            return frame[0], frame[2]
        index = int((now - _EPOCH).total_seconds()) // window
        start = _EPOCH + timedelta(seconds=index * window)
        end = start + timedelta(seconds=window)
        self._frames[window] = (index, start, end)
        return index, end

    def _count(self, key: tuple[str, str | None], tenant: str, quota: Quota, now: datetime) -> Decision:
        # no await between read and write: the event loop makes this atomic for concurrent requests
        index, reset_at = self._frame(now, max(1, quota.window_seconds))
        seen_index, count = self._windows.get(key, (index, 0))
        if seen_index != index:
            count = 0
        forced = self.forced.get(tenant, 0)
        if forced > 0:
            self.forced[tenant] = forced - 1
            self._windows[key] = (index, count)
            return Decision(False, 0, reset_at)
        if count >= quota.limit:
            self._windows[key] = (index, count)
            return Decision(False, 0, reset_at)
        count += 1
        self._windows[key] = (index, count)
        return Decision(True, quota.limit - count, reset_at)
