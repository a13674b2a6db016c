"""OAuth domain rules, shared by both token generations and by both realms (Merchant and WishPost): apps,
codes (single use, 5 minutes), access tokens (30 days), refresh tokens (one use; a refresh revokes the
previous access token), revocation of an app by a tenant. Each realm has its own tables (the tenant column is
`merchant_id` or `user_id`), so a WishPost token can never name a merchant; every function takes the realm
(default: Merchant). No HTTP here: failures are `OAuthFailure(kind)`, and each surface maps a kind to its
own documented code (Merchant v3: 100xx, v2: 4000/1016, WishPost: 4000/1009/1010)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Table, delete, insert, select, update

from mockwish.auth.scopes import ALL_SCOPES
from mockwish.store.tables import (
    AccessToken,
    App,
    AuthCode,
    RefreshToken,
    WishPostAccessToken,
    WishPostApp,
    WishPostAuthCode,
    WishPostRefreshToken,
    table_of,
)
from mockwish.wishpost.scopes import WISHPOST_SCOPES

CODE_TTL = timedelta(minutes=5)
TOKEN_TTL = timedelta(days=30)


@dataclass(frozen=True)
class Realm:
    """Whose OAuth: the tables of one tenant kind, the name of its tenant column and its scope list."""

    name: str
    app: Table
    code: Table
    refresh: Table
    token: Table
    tenant: str  # the tenant column of every table above
    scopes: tuple[str, ...]

    def unknown_scope(self, asked: list[str] | None) -> str | None:
        """The first asked scope this realm does not have, if any."""
        return next((s for s in asked or [] if s not in self.scopes), None)


MERCHANT = Realm("merchant", table_of(App), table_of(AuthCode), table_of(RefreshToken),
                 table_of(AccessToken), "merchant_id", ALL_SCOPES)
WISHPOST = Realm("wishpost", table_of(WishPostApp), table_of(WishPostAuthCode),
                 table_of(WishPostRefreshToken), table_of(WishPostAccessToken),
                 "user_id", WISHPOST_SCOPES)


class OAuthFailure(Exception):
    """kind: bad_grant, bad_client, bad_redirect, bad_code, code_redeemed, code_expired, bad_refresh."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    tenant_id: str  # merchant id or WishPost user id
    scopes: list[str]
    created_at: datetime
    expires_at: datetime

    def expires_in(self, now: datetime) -> int:
        """Whole seconds the access token has left at `now`."""
        return int((self.expires_at - now).total_seconds())


def hex32() -> str:
    return secrets.token_hex(16)


_PREFIX = "mockwish.credential_prefix"


def set_credential_prefix(conn: Connection, prefix: str) -> None:
    """Every credential issued on this store starts with `prefix` (a tenant's id: mockwish.tenants). Kept
    with the store's one connection, so the functions below, which see only the connection, find it."""
    conn.info[_PREFIX] = prefix


def new_credential(conn: Connection, random_part: str | None = None) -> str:
    """A token, code or client id of this store: its tenant's prefix, then random hex."""
    return conn.info.get(_PREFIX, "") + (random_part or hex32())


# ---- apps ----------------------------------------------------------------------------------------

def create_app(conn: Connection, *, name: str, redirect_uri: str, public: bool, owner_id: str | None = None,
               scopes: list[str] | None, now: datetime, client_id: str | None = None,
               client_secret: str | None = None, realm: Realm = MERCHANT) -> dict[str, Any]:
    """A new app; the tenant `owner_id` owns a private one."""
    row = {"client_id": client_id or new_credential(conn, secrets.token_hex(12)),
           "client_secret": client_secret or hex32(),
           "name": name, "redirect_uri": redirect_uri, "public": public,
           realm.tenant: None if public else owner_id,
           "scopes": list(scopes) if scopes else list(realm.scopes), "created_at": now}
    conn.execute(insert(realm.app).values(**row))
    return row


def get_app(conn: Connection, client_id: str, realm: Realm = MERCHANT) -> dict[str, Any] | None:
    row = conn.execute(select(realm.app).where(realm.app.c.client_id == client_id)).mappings().first()
    return dict(row) if row else None


def list_apps(conn: Connection, realm: Realm = MERCHANT) -> list[dict[str, Any]]:
    a = realm.app
    return [dict(r) for r in conn.execute(select(a).order_by(a.c.created_at, a.c.name)).mappings()]


def live_tokens(conn: Connection, realm: Realm) -> dict[str, list[str]]:
    """Tenant id -> its access tokens not revoked, oldest first (what the sandbox lists with each tenant)."""
    t = realm.token
    by_tenant: dict[str, list[str]] = {}
    for tenant, token in conn.execute(select(t.c[realm.tenant], t.c.token).where(t.c.revoked_at.is_(None))
                                      .order_by(t.c.created_at, t.c.token)):
        by_tenant.setdefault(tenant, []).append(token)
    return by_tenant


def delete_app(conn: Connection, client_id: str, now: datetime, realm: Realm = MERCHANT) -> bool:
    """Deleting an app revokes every token issued to it."""
    if get_app(conn, client_id, realm) is None:
        return False
    token = realm.token
    conn.execute(update(token).where(token.c.app_id == client_id, token.c.revoked_at.is_(None))
                 .values(revoked_at=now))
    conn.execute(delete(realm.code).where(realm.code.c.client_id == client_id))
    conn.execute(delete(realm.refresh).where(realm.refresh.c.client_id == client_id))
    conn.execute(delete(realm.app).where(realm.app.c.client_id == client_id))
    return True


def may_authorize(app: dict[str, Any], tenant_id: str, realm: Realm = MERCHANT) -> bool:
    return bool(app["public"]) or app[realm.tenant] == tenant_id


# ---- codes ---------------------------------------------------------------------------------------

def mint_code(conn: Connection, app: dict[str, Any], tenant_id: str, scopes: list[str] | None,
              now: datetime, realm: Realm = MERCHANT) -> tuple[str, list[str]]:
    """A code for (app, tenant) and the scopes it grants: the app's, or the subset asked for."""
    granted = [s for s in (scopes or app["scopes"]) if s in app["scopes"]]
    code = new_credential(conn)
    conn.execute(insert(realm.code).values(code=code, client_id=app["client_id"], **{realm.tenant: tenant_id},
                                           scopes=granted, created_at=now, expires_at=now + CODE_TTL,
                                           redeemed_at=None))
    return code, granted


def _client(conn: Connection, client_id: str, client_secret: str, kind: str, realm: Realm) -> dict[str, Any]:
    app = get_app(conn, client_id, realm)
    if app is None or not secrets.compare_digest(app["client_secret"].encode(), client_secret.encode()):
        raise OAuthFailure(kind)
    return app


def _issue(conn: Connection, realm: Realm, client_id: str, tenant_id: str, scopes: list[str],
           now: datetime) -> TokenPair:
    pair = TokenPair(new_credential(conn), new_credential(conn), tenant_id, scopes, now, now + TOKEN_TTL)
    owner = {realm.tenant: tenant_id}
    conn.execute(insert(realm.token).values(token=pair.access_token, **owner, scopes=scopes, app_id=client_id,
                                            created_at=now, expires_at=pair.expires_at, revoked_at=None))
    conn.execute(insert(realm.refresh).values(token=pair.refresh_token, client_id=client_id, **owner,
                                              scopes=scopes, access_token=pair.access_token, created_at=now,
                                              used_at=None, revoked_at=None))
    return pair


def exchange(conn: Connection, *, client_id: str, client_secret: str, code: str, grant_type: str | None,
             redirect_uri: str | None, now: datetime, realm: Realm = MERCHANT,
             all_scopes: bool = False) -> TokenPair:
    """grant_type=authorization_code: a code for a token pair. Checks in the order a client meets them.
    grant_type None: not checked (WishPost tells exchange from refresh by the parameters sent).
    all_scopes: the token gets every scope of the realm (WishPost's old OAuth knows no scopes)."""
    if grant_type is not None and grant_type != "authorization_code":
        raise OAuthFailure("bad_grant")
    app = _client(conn, client_id, client_secret, "bad_client", realm)
    if redirect_uri is not None and redirect_uri != app["redirect_uri"]:
        raise OAuthFailure("bad_redirect")
    c = realm.code
    row = conn.execute(select(c).where(c.c.code == code, c.c.client_id == client_id)).mappings().first()
    if row is None:
        raise OAuthFailure("bad_code")
    if row["redeemed_at"] is not None:
        raise OAuthFailure("code_redeemed")
    if now >= row["expires_at"]:
        raise OAuthFailure("code_expired")
    conn.execute(update(c).where(c.c.code == code).values(redeemed_at=now))
    scopes = list(realm.scopes) if all_scopes else list(row["scopes"])
    return _issue(conn, realm, client_id, row[realm.tenant], scopes, now)


def refresh(conn: Connection, *, client_id: str, client_secret: str, refresh_token: str, grant_type: str | None,
            now: datetime, realm: Realm = MERCHANT) -> TokenPair:
    """grant_type=refresh_token (None: not checked): a new pair with the same scopes; the previous access
    token is revoked, the refresh token retired."""
    if grant_type is not None and grant_type != "refresh_token":
        raise OAuthFailure("bad_grant")
    _client(conn, client_id, client_secret, "bad_refresh", realm)
    r, t = realm.refresh, realm.token
    row = conn.execute(select(r).where(r.c.token == refresh_token, r.c.client_id == client_id)).mappings().first()
    if row is None or row["used_at"] is not None or row["revoked_at"] is not None:
        raise OAuthFailure("bad_refresh")
    conn.execute(update(r).where(r.c.token == refresh_token).values(used_at=now))
    conn.execute(update(t).where(t.c.token == row["access_token"], t.c.revoked_at.is_(None)).values(revoked_at=now))
    return _issue(conn, realm, client_id, row[realm.tenant], list(row["scopes"]), now)


def revoke(conn: Connection, client_id: str, tenant_id: str, now: datetime, realm: Realm = MERCHANT) -> int:
    """A tenant removes an app: its access tokens are revoked and its refresh tokens stop working."""
    t, r = realm.token, realm.refresh
    n = conn.execute(update(t).where(t.c.app_id == client_id, t.c[realm.tenant] == tenant_id,
                                     t.c.revoked_at.is_(None)).values(revoked_at=now)).rowcount
    conn.execute(update(r).where(r.c.client_id == client_id, r.c[realm.tenant] == tenant_id,
                                 r.c.revoked_at.is_(None)).values(revoked_at=now))
    return int(n or 0)
