"""Wire of the Merchant OAuth token endpoints, both generations served at once (as the supplement's
choice says): v3 `/api/v3/oauth/access_token|refresh_token` (GET query or POST form/JSON, ISO expiry) and
v2 `/api/v2/oauth/access_token|refresh_token` (epoch expiry, `expires_in`, `merchant_user_id`, and the
captured `"token_type "` key with its trailing space)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from mockwish.auth import oauth
from mockwish.errors import WishError
from mockwish.wire.format import epoch_seconds, iso_ms
from mockwish.wire.spec import Str, spec
from mockwish.wire.v2 import PREFIXES, Call, V2Result, V2Router

router = V2Router("OAuth")

CLIENT = (Str("client_id", "The app's client id", required=True, max_len=64),
          Str("client_secret", "The app's client secret", required=True, max_len=64))
EXCHANGE = spec(*CLIENT, Str("code", "The authorization code from the redirect", required=True, max_len=64),
                Str("grant_type", "Must be 'authorization_code'", required=True, max_len=64),
                Str("redirect_uri", "Must equal the app's registered redirect URI", max_len=2000))
REFRESH = spec(*CLIENT, Str("refresh_token", "The refresh token of the last exchange or refresh", required=True,
                            max_len=64),
               Str("grant_type", "Must be 'refresh_token'", required=True, max_len=64))

V3_FAILURES = {"bad_grant": "oauth_grant_type", "bad_client": "oauth_bad_client",
               "bad_redirect": "oauth_bad_client", "bad_code": "oauth_bad_code",
               "code_redeemed": "oauth_code_redeemed", "code_expired": "oauth_code_expired",
               "bad_refresh": "oauth_bad_refresh"}
V2_FAILURES = {"bad_grant": "oauth_grant_type", "bad_client": "v2_oauth_unauthorized",
               "bad_redirect": "v2_oauth_unauthorized",
               "bad_code": "v2_oauth_unauthorized", "code_redeemed": "v2_oauth_code_expired",
               "code_expired": "v2_oauth_code_expired", "bad_refresh": "v2_oauth_unauthorized"}
V3_EXCHANGE_ERRORS = tuple(dict.fromkeys(V3_FAILURES.values()))
V2_EXCHANGE_ERRORS = tuple(dict.fromkeys(V2_FAILURES.values()))


def _exchange(call: Call, failures: dict[str, str]) -> oauth.TokenPair:
    p = call.params
    try:
        pair = oauth.exchange(call.conn, client_id=p["client_id"], client_secret=p["client_secret"], code=p["code"],
                              grant_type=p["grant_type"], redirect_uri=p.get("redirect_uri"), now=call.now)
    except oauth.OAuthFailure as f:
        raise WishError(failures[f.kind], grant="authorization_code") from f
    return pair


def _refresh(call: Call, failures: dict[str, str]) -> oauth.TokenPair:
    p = call.params
    try:
        pair = oauth.refresh(call.conn, client_id=p["client_id"], client_secret=p["client_secret"],
                             refresh_token=p["refresh_token"], grant_type=p["grant_type"], now=call.now)
    except oauth.OAuthFailure as f:
        raise WishError(failures[f.kind], grant="refresh_token") from f
    call.ctx.auth.invalidate()  # the previous access token is now revoked
    return pair


def v3_body(pair: oauth.TokenPair) -> dict[str, Any]:
    return {"access_token": pair.access_token, "scopes": pair.scopes, "merchant_id": pair.tenant_id,
            "expiry_time": iso_ms(pair.expires_at), "refresh_token": pair.refresh_token}


def v2_body(pair: oauth.TokenPair, now: datetime, *, with_string: bool = False) -> dict[str, Any]:
    body: dict[str, Any] = {
        "expiry_time": epoch_seconds(pair.expires_at),
        "token_type ": "access_token",  # sic: two independent captures show the trailing space
        "access_token": pair.access_token,
        "expires_in": pair.expires_in(now),
        "merchant_user_id": pair.tenant_id,
        "refresh_token": pair.refresh_token,
    }
    if with_string:
        body["expiry_string"] = pair.expires_at.strftime("%Y-%m-%d %H:%M:%S UTC")
    return body


@router.op("/oauth/access_token", scope="", auth="none", prefixes=("/api/v3",), spec=EXCHANGE,
           summary="Exchange an authorization code for tokens (v3)", errors=V3_EXCHANGE_ERRORS)
def v3_access_token(call: Call) -> V2Result:
    """Redeem the code the authorize page sent to the redirect URI; the access token lives 30 days."""
    return V2Result(v3_body(_exchange(call, V3_FAILURES)))


@router.op("/oauth/refresh_token", scope="", auth="none", prefixes=("/api/v3",), spec=REFRESH,
           summary="Refresh an access token (v3)", errors=V3_EXCHANGE_ERRORS)
def v3_refresh_token(call: Call) -> V2Result:
    """A new pair; the previous access token is revoked and the refresh token cannot be used again."""
    return V2Result(v3_body(_refresh(call, V3_FAILURES)))


@router.op("/oauth/access_token", scope="", auth="none", prefixes=PREFIXES, spec=EXCHANGE,
           summary="Exchange an authorization code for tokens (v2, before Nov 2019)", errors=V2_EXCHANGE_ERRORS)
def v2_access_token(call: Call) -> V2Result:
    return V2Result(v2_body(_exchange(call, V2_FAILURES), call.now))


@router.op("/oauth/refresh_token", scope="", auth="none", prefixes=PREFIXES, spec=REFRESH,
           summary="Refresh an access token (v2, before Nov 2019)", errors=V2_EXCHANGE_ERRORS)
def v2_refresh_token(call: Call) -> V2Result:
    return V2Result(v2_body(_refresh(call, V2_FAILURES), call.now, with_string=True))
