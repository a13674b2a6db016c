"""Rate limits per tenant per app: a fixed window aligned on the mock's clock (a 60 s window resets on the
minute, as Wish's `Wish-Rate-Limit-Reset: 2021-05-19T16:37:00.000+00:00` suggests). Counting happens on
the event loop without awaiting, so concurrent requests never lose or double a count. The sandbox API
sets quotas per tenant or per (tenant, app) and can force the next N calls of a tenant to answer 429."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

_EPOCH = datetime(1970, 1, 1)


@dataclass(frozen=True)
class Quota:
    limit: int
    window_seconds: int


@dataclass(frozen=True)
class Decision:
    allowed: bool
    remaining: int
    reset_at: datetime  # end of the current window (naive UTC, mock clock)


class RateLimiter:
    def __init__(self, limit: int, window_seconds: int, enabled: bool = True) -> None:
        self.enabled = enabled  # off: the surfaces skip accounting (no headers, no 429)
        self.configured = self.default = Quota(limit, window_seconds)
        self.quotas: dict[tuple[str, str | None], Quota] = {}  # (tenant, app) or (tenant, None)
        self.forced: dict[str, int] = {}  # tenant -> how many more calls answer 429
        self._windows: dict[tuple[str, str | None], tuple[int, int]] = {}  # key -> (window index, count)

    def reset(self) -> None:
        """Back to the configured default; forget counts, overrides and forced answers (sandbox reset, seed)."""
        self.default = self.configured
        self.quotas.clear()
        self.forced.clear()
        self._windows.clear()

    def set_quota(self, tenant: str | None, app: str | None, limit: int | None, window_seconds: int | None) -> None:
        """Change the default (no tenant) or a tenant's (or tenant app's) quota; what is not given is kept."""
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
        quota = self.quota_for(tenant, app)
        window = max(1, quota.window_seconds)
        index = int((now - _EPOCH).total_seconds()) // window
        reset_at = _EPOCH + timedelta(seconds=(index + 1) * window)
        key = (tenant, app)
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
