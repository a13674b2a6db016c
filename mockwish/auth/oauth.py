"""OAuth domain rules, shared by both token generations and by WishPost-style callers: apps, codes
(single use, 5 minutes), access tokens (30 days), refresh tokens (one use; a refresh revokes the previous
access token), revocation of an app by a merchant. No HTTP here: failures are `OAuthFailure(kind)`, and
each surface maps a kind to its own documented code (v3: 100xx, v2: 4000/1016)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from mockwish.auth.scopes import ALL_SCOPES
from mockwish.store.tables import AccessToken, App, AuthCode, RefreshToken

APP = App.__table__  # type: ignore[attr-defined]
CODE = AuthCode.__table__  # type: ignore[attr-defined]
REFRESH = RefreshToken.__table__  # type: ignore[attr-defined]
TOKEN = AccessToken.__table__  # type: ignore[attr-defined]

CODE_TTL = timedelta(minutes=5)
TOKEN_TTL = timedelta(days=30)


class OAuthFailure(Exception):
    """kind: bad_grant, bad_client, bad_code, code_redeemed, code_expired, bad_refresh, unknown_app."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    merchant_id: str
    scopes: list[str]
    created_at: datetime
    expires_at: datetime


def hex32() -> str:
    return secrets.token_hex(16)


# ---- apps ----------------------------------------------------------------------------------------

def create_app(conn: Connection, *, name: str, redirect_uri: str, public: bool, merchant_id: str | None,
               scopes: list[str] | None, now: datetime, client_id: str | None = None,
               client_secret: str | None = None) -> dict[str, Any]:
    row = {"client_id": client_id or secrets.token_hex(12), "client_secret": client_secret or hex32(),
           "name": name, "redirect_uri": redirect_uri, "public": public,
           "merchant_id": None if public else merchant_id,
           "scopes": list(scopes) if scopes else list(ALL_SCOPES), "created_at": now}
    conn.execute(insert(APP).values(**row))
    return row


def get_app(conn: Connection, client_id: str) -> dict[str, Any] | None:
    row = conn.execute(select(APP).where(APP.c.client_id == client_id)).mappings().first()
    return dict(row) if row else None


def list_apps(conn: Connection) -> list[dict[str, Any]]:
    return [dict(r) for r in conn.execute(select(APP).order_by(APP.c.created_at, APP.c.name)).mappings()]


def delete_app(conn: Connection, client_id: str, now: datetime) -> bool:
    """Deleting an app revokes every token issued to it."""
    if get_app(conn, client_id) is None:
        return False
    conn.execute(update(TOKEN).where(TOKEN.c.app_id == client_id, TOKEN.c.revoked_at.is_(None))
                 .values(revoked_at=now))
    conn.execute(delete(CODE).where(CODE.c.client_id == client_id))
    conn.execute(delete(REFRESH).where(REFRESH.c.client_id == client_id))
    conn.execute(delete(APP).where(APP.c.client_id == client_id))
    return True


def may_authorize(app: dict[str, Any], merchant_id: str) -> bool:
    return bool(app["public"]) or app["merchant_id"] == merchant_id


# ---- codes ---------------------------------------------------------------------------------------

def mint_code(conn: Connection, app: dict[str, Any], merchant_id: str, scopes: list[str] | None,
              now: datetime) -> tuple[str, list[str]]:
    """A code for (app, merchant) and the scopes it grants: the app's, or the subset asked for."""
    granted = [s for s in (scopes or app["scopes"]) if s in app["scopes"]]
    code = hex32()
    conn.execute(insert(CODE).values(code=code, client_id=app["client_id"], merchant_id=merchant_id,
                                     scopes=granted, created_at=now, expires_at=now + CODE_TTL, redeemed_at=None))
    return code, granted


def _client(conn: Connection, client_id: str, client_secret: str, kind: str) -> dict[str, Any]:
    app = get_app(conn, client_id)
    if app is None or not secrets.compare_digest(app["client_secret"], client_secret):
        raise OAuthFailure(kind)
    return app


def _issue(conn: Connection, client_id: str, merchant_id: str, scopes: list[str], now: datetime) -> TokenPair:
    pair = TokenPair(hex32(), hex32(), merchant_id, scopes, now, now + TOKEN_TTL)
    conn.execute(insert(TOKEN).values(token=pair.access_token, merchant_id=merchant_id, scopes=scopes,
                                      app_id=client_id, created_at=now, expires_at=pair.expires_at,
                                      revoked_at=None))
    conn.execute(insert(REFRESH).values(token=pair.refresh_token, client_id=client_id, merchant_id=merchant_id,
                                        scopes=scopes, access_token=pair.access_token, created_at=now,
                                        used_at=None, revoked_at=None))
    return pair


def exchange(conn: Connection, *, client_id: str, client_secret: str, code: str, grant_type: str,
             redirect_uri: str | None, now: datetime) -> TokenPair:
    """grant_type=authorization_code: a code for a token pair. Checks in the order a client meets them."""
    if grant_type != "authorization_code":
        raise OAuthFailure("bad_grant")
    app = _client(conn, client_id, client_secret, "bad_client")
    if redirect_uri is not None and redirect_uri != app["redirect_uri"]:
        raise OAuthFailure("bad_client")
    row = conn.execute(select(CODE).where(CODE.c.code == code, CODE.c.client_id == client_id)).mappings().first()
    if row is None:
        raise OAuthFailure("bad_code")
    if row["redeemed_at"] is not None:
        raise OAuthFailure("code_redeemed")
    if now >= row["expires_at"]:
        raise OAuthFailure("code_expired")
    conn.execute(update(CODE).where(CODE.c.code == code).values(redeemed_at=now))
    return _issue(conn, client_id, row["merchant_id"], list(row["scopes"]), now)


def refresh(conn: Connection, *, client_id: str, client_secret: str, refresh_token: str, grant_type: str,
            now: datetime) -> TokenPair:
    """grant_type=refresh_token: a new pair; the previous access token is revoked, the refresh token retired."""
    if grant_type != "refresh_token":
        raise OAuthFailure("bad_grant")
    _client(conn, client_id, client_secret, "bad_refresh")
    row = conn.execute(select(REFRESH).where(REFRESH.c.token == refresh_token, REFRESH.c.client_id == client_id)
                       ).mappings().first()
    if row is None or row["used_at"] is not None or row["revoked_at"] is not None:
        raise OAuthFailure("bad_refresh")
    conn.execute(update(REFRESH).where(REFRESH.c.token == refresh_token).values(used_at=now))
    conn.execute(update(TOKEN).where(TOKEN.c.token == row["access_token"], TOKEN.c.revoked_at.is_(None))
                 .values(revoked_at=now))
    return _issue(conn, client_id, row["merchant_id"], list(row["scopes"]), now)


def revoke(conn: Connection, client_id: str, merchant_id: str, now: datetime) -> int:
    """A merchant removes an app: its access tokens are revoked and its refresh tokens stop working."""
    n = conn.execute(update(TOKEN).where(TOKEN.c.app_id == client_id, TOKEN.c.merchant_id == merchant_id,
                                         TOKEN.c.revoked_at.is_(None)).values(revoked_at=now)).rowcount
    conn.execute(update(REFRESH).where(REFRESH.c.client_id == client_id, REFRESH.c.merchant_id == merchant_id,
                                       REFRESH.c.revoked_at.is_(None)).values(revoked_at=now))
    return int(n or 0)
