"""WishPost users (domain): who a token belongs to, and the seeded accounts. No HTTP here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from mockwish.auth import oauth
from mockwish.store.tables import WishPostAccessToken, WishPostUser, table_of

USER = table_of(WishPostUser)
TOKEN = table_of(WishPostAccessToken)


@dataclass(frozen=True)
class WishPostPrincipal:
    """The WishPost user behind a token, with the token's app, scopes and lifetime."""

    user_id: str
    username: str
    display_name: str
    token: str
    scopes: frozenset[str]
    app_id: str | None
    locale: str
    expires_at: datetime | None
    revoked_at: datetime | None


def load_principal(conn: Connection, token: str) -> WishPostPrincipal | None:
    row = conn.execute(
        select(TOKEN, USER.c.username, USER.c.display_name, USER.c.locale)
        .join(USER, USER.c.id == TOKEN.c.user_id).where(TOKEN.c.token == token)
    ).mappings().first()
    if row is None:
        return None
    return WishPostPrincipal(user_id=row["user_id"], username=row["username"], display_name=row["display_name"],
                             token=token, scopes=frozenset(row["scopes"]), app_id=row["app_id"],
                             locale=row["locale"], expires_at=row["expires_at"], revoked_at=row["revoked_at"])


def get_user(conn: Connection, user_id: str) -> dict[str, Any] | None:
    row = conn.execute(select(USER).where(USER.c.id == user_id)).mappings().first()
    return dict(row) if row else None


def list_users(conn: Connection) -> list[dict[str, Any]]:
    """Every user with the tokens that still work (not revoked), oldest first."""
    users = [dict(r) for r in conn.execute(select(USER).order_by(USER.c.created_at, USER.c.username)).mappings()]
    by_user = oauth.live_tokens(conn, oauth.WISHPOST)
    out = []
    for u in users:
        tokens = by_user.get(u["id"], [])
        keys = [t for t in tokens if is_api_key(t)]
        out.append({**u, "tokens": [t for t in tokens if not is_api_key(t)], "api_key": keys[0] if keys else None})
    return out


API_KEY_LENGTH = 83  # v1 api keys are 83-84 characters (WP-DOC); access tokens are 32


def is_api_key(token: str) -> bool:
    return len(token) >= API_KEY_LENGTH
