"""Token -> Principal, for every realm (Merchant, WishPost). Tokens live in the store; a small cache per
realm avoids a query per request and is cleared whenever tokens change (reset, seed, refresh, revocation).
The checks (revoked, expired, scope) are the same for every realm; each surface names its own error keys."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from mockwish.errors import WishError
from mockwish.store.tables import AccessToken, Merchant, table_of
from mockwish.wishpost.users import load_principal as load_wishpost_principal

_TOKEN = table_of(AccessToken)
_MERCHANT = table_of(Merchant)


@dataclass(frozen=True)
class Principal:
    merchant_id: str
    merchant_name: str
    username: str
    token: str
    scopes: frozenset[str]
    app_id: str | None
    payment_currency: str
    localized_currency: str
    locale: str
    expires_at: datetime | None
    revoked_at: datetime | None

    @property
    def non_usd(self) -> bool:
        return self.payment_currency != "USD"


Loader = Callable[[Connection, str], Any]  # token -> principal (with scopes, expires_at, revoked_at) or None


class Authenticator:
    def __init__(self, default_locale: str) -> None:
        self._default_locale = default_locale
        self._loaders: dict[str, Loader] = {"merchant": self._load, "wishpost": load_wishpost_principal}
        self._caches: dict[str, dict[str, Any]] = {realm: {} for realm in self._loaders}

    def invalidate(self) -> None:
        for cache in self._caches.values():
            cache.clear()

    def _load(self, conn: Connection, token: str) -> Principal | None:
        row = conn.execute(
            select(_TOKEN, _MERCHANT.c.name, _MERCHANT.c.username, _MERCHANT.c.payment_currency,
                   _MERCHANT.c.localized_currency, _MERCHANT.c.locale)
            .join(_MERCHANT, _MERCHANT.c.id == _TOKEN.c.merchant_id)
            .where(_TOKEN.c.token == token)
        ).mappings().first()
        if row is None:
            return None
        return Principal(
            merchant_id=row["merchant_id"], merchant_name=row["name"], username=row["username"],
            token=token, scopes=frozenset(row["scopes"]), app_id=row["app_id"],
            payment_currency=row["payment_currency"], localized_currency=row["localized_currency"],
            locale=row["locale"] or self._default_locale, expires_at=row["expires_at"],
            revoked_at=row["revoked_at"],
        )

    def authenticate(self, conn: Connection, token: str | None, scope: str, now: datetime,
                     dialect: str = "v2") -> Principal:
        """The principal of a request, or the documented error of its surface: v2 data endpoints answer
        4000 / 1015 / 1016, the v3 OAuth surface 1012 / 1006 / 1007 / 1008."""
        return self.lookup(conn, "merchant", token, scope, now, V3_ERRORS if dialect == "v3" else V2_ERRORS)

    def lookup(self, conn: Connection, realm: str, token: str | None, scope: str, now: datetime,
               keys: Mapping[str, str]) -> Any:
        """The principal of `token` in `realm`, or the WishError its surface names in `keys` (missing,
        unknown, revoked, expired, scope)."""
        if not token:
            raise WishError(keys["missing"], param="access_token")
        cache = self._caches[realm]
        principal = cache.get(token)
        if principal is None:
            principal = self._loaders[realm](conn, token)
            if principal is None:
                raise WishError(keys["unknown"])
            cache[token] = principal
        if principal.revoked_at is not None and principal.revoked_at <= now:
            raise WishError(keys["revoked"])
        if principal.expires_at is not None and principal.expires_at <= now:
            raise WishError(keys["expired"])
        if scope and not any(s in principal.scopes for s in scope.split("|")):  # "a|b": either will do
            raise WishError(keys["scope"])
        return principal


V2_ERRORS = {"missing": "unauthorized", "unknown": "unauthorized", "revoked": "token_revoked",
             "expired": "token_expired", "scope": "insufficient_scope"}
V3_ERRORS = {"missing": "v3_no_token", "unknown": "v3_unknown_token", "revoked": "v3_token_revoked",
             "expired": "v3_token_expired", "scope": "insufficient_scope"}
