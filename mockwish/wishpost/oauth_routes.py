"""Wire of WishPost's OAuth: the new (v3 JSON) token endpoints at their documented paths and the two
aliases clients use, `/api/v3/oauth/test`, `/api/v3/scopes`, and the old XML generation
(`/api/v2/oauth/access_token`, `/refresh_token`, `/api/v2/auth_test`). The rules are mockwish.auth.oauth's,
with the WishPost realm; only the shapes and the codes are WishPost's (supplement-wishpost.md 7)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from mockwish.auth import oauth
from mockwish.auth.routes import CLIENT  # the same client credentials as the Merchant's old OAuth
from mockwish.auth.scopes import NONE
from mockwish.errors import WishError
from mockwish.wire.format import epoch_seconds, iso_ms
from mockwish.wire.spec import NameList, Str, spec
from mockwish.wishpost import scopes as wp_scopes
from mockwish.wishpost.ops import WishPostRouter, WPCall
from mockwish.wishpost.users import get_user

router = WishPostRouter("WishPost OAuth")

FAILURES = {"bad_grant": "wp_invalid_param", "bad_client": "wp_bad_client", "bad_redirect": "wp_bad_redirect",
            "bad_code": "wp_bad_code", "code_redeemed": "wp_code_redeemed", "code_expired": "wp_code_expired",
            "bad_refresh": "wp_bad_refresh"}
TOKEN_ERRORS = (*dict.fromkeys(FAILURES.values()), "wp_bad_auth_header")

_TEXT: dict[str, Any] = {"max_len": 64}
TOKEN_SPEC = spec(
    Str("client_id", "The app's client id (or in the Basic authorization header)", **_TEXT),
    Str("client_secret", "The app's client secret (or in the Basic authorization header)", **_TEXT),
    Str("code", "The authorization code from the redirect (exchange)", **_TEXT),
    Str("refresh_token", "The refresh token of the last exchange or refresh (refresh)", **_TEXT),
    Str("grant_type", "'authorization_code' or 'refresh_token'; the mock tells the two apart by whether "
                      "code or refresh_token is sent", **_TEXT),
    Str("redirect_uri", "Must equal the app's registered redirect URI when sent", max_len=2000),
)
OLD_EXCHANGE = spec(*CLIENT, Str("code", "The authorization code", required=True, **_TEXT),
                    Str("grant_type", "'authorization_code'", **_TEXT),
                    Str("redirect_uri", "The app's redirect URI", max_len=2000))
OLD_REFRESH = spec(*CLIENT, Str("refresh_token", "The refresh token", required=True, **_TEXT),
                   Str("grant_type", "'refresh_token'", **_TEXT))


def _fail(f: oauth.OAuthFailure, grant_type: str | None = None) -> WishError:
    if f.kind == "bad_grant":
        return WishError("wp_invalid_param", param="grant_type", value=grant_type or "")
    return WishError(FAILURES[f.kind])


def _credentials(call: WPCall) -> tuple[str, str]:
    """Basic authorization first (the documented way), else the client_id/client_secret parameters."""
    if call.basic is not None:
        return call.basic
    for name in ("client_id", "client_secret"):
        if not call.params.get(name):
            raise WishError("wp_missing_param", param=name)
    return call.params["client_id"], call.params["client_secret"]


def token_fields(call: WPCall, pair: oauth.TokenPair) -> dict[str, Any]:
    """The superset of WP-V3's sample and the keys LB reads (supplement 7.2's Mock JSON)."""
    user = get_user(call.conn, pair.tenant_id)
    expires_in = pair.expires_in(call.now)
    inner = {"username": user["username"] if user else "", "user_id": pair.tenant_id, "scopes": pair.scopes,
             "access_token": pair.access_token, "refresh_token": pair.refresh_token, "expires_in": expires_in,
             "expiry_time": iso_ms(pair.expires_at, "Z")}
    return {**inner, "access_token_expires_in": expires_in, "access_token_expiry_time": inner["expiry_time"],
            "data": dict(inner)}


def _token(call: WPCall) -> dict[str, Any]:
    p = call.params
    client_id, secret = _credentials(call)
    try:
        if p.get("refresh_token"):
            pair = oauth.refresh(call.conn, client_id=client_id, client_secret=secret,
                                 refresh_token=p["refresh_token"], grant_type=None, now=call.now,
                                 realm=oauth.WISHPOST)
            call.ctx.auth.invalidate()  # the previous access token is now revoked
        elif p.get("code"):
            pair = oauth.exchange(call.conn, client_id=client_id, client_secret=secret, code=p["code"],
                                  grant_type=None, redirect_uri=p.get("redirect_uri"), now=call.now,
                                  realm=oauth.WISHPOST)
        else:
            raise WishError("wp_missing_param", param="code")
    except oauth.OAuthFailure as f:
        raise _fail(f) from f
    return token_fields(call, pair)


@router.op("/api/v3/oauth/access_token", scope="", auth="none", spec=TOKEN_SPEC, errors=TOKEN_ERRORS,
           aliases=("/api/v3/access_token",), summary="Exchange an authorization code for tokens")
def access_token(call: WPCall) -> dict[str, Any]:
    """`Authorization: Basic base64(client_id:client_secret)` (or client_id/client_secret parameters) with
    `code`, `grant_type=authorization_code` and `redirect_uri`. The access token lives 30 days. A request
    with `refresh_token` instead of `code` is a refresh (as one ERP sends it)."""
    return _token(call)


@router.op("/api/v3/oauth/refresh_token", scope="", auth="none", spec=TOKEN_SPEC, errors=TOKEN_ERRORS,
           aliases=("/api/v3/access_token/refresh",), summary="Refresh an access token")
def refresh_token(call: WPCall) -> dict[str, Any]:
    """A new pair with the same scopes; existing access tokens of the pair are revoked and the refresh token
    cannot be used again."""
    return _token(call)


@router.op("/api/v3/oauth/test", scope=NONE, spec=spec(), summary="Test an access token")
def oauth_test(call: WPCall) -> dict[str, Any]:
    """`data: {"user_id"}` (and the username) when the Bearer token can be used."""
    assert call.principal is not None
    return {"data": {"user_id": call.principal.user_id, "username": call.principal.username}}


@router.op("/api/v3/scopes", scope="user.scope.read", methods=("POST", "GET"), summary="Get scopes",
           spec=spec(NameList("scope_names", "Scope names (JSON array or comma separated); empty: all")))
def scopes(call: WPCall) -> dict[str, Any]:
    """Which APIs each scope covers (the mockwish operations it opens), message "Success" as WP-DOC's example
    shows. Unknown names are left out (the docs' error example is an empty list with code 0)."""
    names = call.params.get("scope_names") or list(wp_scopes.WISHPOST_SCOPES)
    return {"scopes": [wp_scopes.describe(n) for n in dict.fromkeys(names) if n in wp_scopes.SCOPE_INFO],
            "message": "Success"}


# ---- the old generation: XML in, XML out -------------------------------------------------------------

def xml_token_fields(pair: oauth.TokenPair, now: datetime) -> dict[str, Any]:
    return {"user_id": pair.tenant_id, "token_type": "access_token", "access_token": pair.access_token,
            "expires_in": pair.expires_in(now), "expiry_time": epoch_seconds(pair.expires_at),
            "refresh_token": pair.refresh_token}


@router.op("/api/v2/oauth/access_token", scope="", auth="none", wire="xml", methods=("POST",), spec=OLD_EXCHANGE,
           errors=TOKEN_ERRORS, summary="Exchange an authorization code for tokens (old OAuth, XML)")
def old_access_token(call: WPCall) -> dict[str, Any]:
    """`<root><client_id/><client_secret/><redirect_uri/><grant_type>authorization_code</grant_type><code/>
    </root>`. Old-OAuth tokens carry every scope."""
    p = call.params
    try:
        pair = oauth.exchange(call.conn, client_id=p["client_id"], client_secret=p["client_secret"],
                              code=p["code"], grant_type=p.get("grant_type"), redirect_uri=p.get("redirect_uri"),
                              now=call.now, realm=oauth.WISHPOST, all_scopes=True)
    except oauth.OAuthFailure as f:
        raise _fail(f, p.get("grant_type")) from f
    return xml_token_fields(pair, call.now)


@router.op("/api/v2/oauth/refresh_token", scope="", auth="none", wire="xml", methods=("POST",), spec=OLD_REFRESH,
           errors=TOKEN_ERRORS, summary="Refresh an access token (old OAuth, XML)")
def old_refresh_token(call: WPCall) -> dict[str, Any]:
    """`<root><client_id/><client_secret/><refresh_token/><grant_type>refresh_token</grant_type></root>`."""
    p = call.params
    try:
        pair = oauth.refresh(call.conn, client_id=p["client_id"], client_secret=p["client_secret"],
                             refresh_token=p["refresh_token"], grant_type=p.get("grant_type"), now=call.now,
                             realm=oauth.WISHPOST)
    except oauth.OAuthFailure as f:
        raise _fail(f, p.get("grant_type")) from f
    call.ctx.auth.invalidate()
    return xml_token_fields(pair, call.now)


@router.op("/api/v2/auth_test", scope="user.tracking.read", wire="xml", methods=("POST",), spec=spec(),
           summary="Test an access token (XML)")
def auth_test(call: WPCall) -> dict[str, Any]:
    """`<root><access_token/></root>` answers `<status>0</status>` and the token's user when it can be used
    (WP-DOC's /api/v3/scopes lists auth_test under user.tracking.read)."""
    assert call.principal is not None
    return {"user_id": call.principal.user_id, "username": call.principal.username}
