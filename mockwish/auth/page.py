"""The authorize page a tenant sees: sign in with a seeded username and password, see the app's name and
scopes, confirm (redirect to the app's redirect_uri with `code` and `state`) or decline (redirect without a
code). One page for both realms: the Merchant page at /v3/oauth/authorize and the older /oauth/authorize
(which also takes redirect_uri), the WishPost page at /wishpost/v3/oauth/authorize, /wishpost/oauth_v3/authorize
(`response_type=code` mandatory, `scope` narrows the grant, `force_login`) and the old /wishpost/oauth/authorize."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from fastapi import APIRouter, Request
from jinja2 import Environment, PackageLoader, select_autoescape
from sqlalchemy import Connection, select
from starlette.responses import HTMLResponse, RedirectResponse, Response

from mockwish.auth import oauth
from mockwish.context import Ctx, ctx_of
from mockwish.merchant.catalogue.store import find_merchant
from mockwish.store.tables import Merchant, table_of
from mockwish.wishpost import users as wishpost_users

router = APIRouter(include_in_schema=False)
TEMPLATES = Environment(loader=PackageLoader("mockwish.auth", "templates"), autoescape=select_autoescape())
COOKIE = "mockwish_session"
PATHS = ("/v3/oauth/authorize", "/oauth/authorize")
_M = table_of(Merchant)
_PASSED = ("client_id", "redirect_uri", "state", "scope", "response_type", "force_login")  # kept across steps


SignIn = Callable[[Connection, str, str], dict[str, Any] | None]


def signs_in(accounts: Any) -> SignIn:
    """Sign-in against a table of accounts (merchants, WishPost users): the row whose username and password
    match, or None."""
    def sign_in(conn: Connection, username: str, password: str) -> dict[str, Any] | None:
        row = conn.execute(select(accounts).where(accounts.c.username == username)).mappings().first()
        if row is None or not secrets.compare_digest(row["password"].encode(), password.encode()):
            return None
        return dict(row)
    return sign_in


@dataclass(frozen=True)
class PageRealm:
    """What differs between the Merchant and the WishPost page."""

    realm: oauth.Realm
    paths: tuple[str, ...]
    cookie: str
    sign_in: SignIn
    account: Callable[[Connection, str], dict[str, Any] | None]
    name_field: str  # the account's display name column
    brand: str
    what: str  # "your store" / "your WishPost account"
    listing: str  # where a user finds the seeded sign-ins
    response_type_paths: tuple[str, ...] = ()  # paths where response_type=code is mandatory
    takes_scope: bool = False  # the `scope` parameter narrows the grant (Merchant: ignored, see README)


MERCHANT_PAGE = PageRealm(oauth.MERCHANT, PATHS, COOKIE, signs_in(_M), find_merchant, "name", "Wish Merchant",
                          "your store", "/sandbox/api/merchants")
WISHPOST_PAGE = PageRealm(
    oauth.WISHPOST, ("/wishpost/v3/oauth/authorize", "/wishpost/oauth_v3/authorize", "/wishpost/oauth/authorize"),
    "mockwish_wishpost_session", signs_in(wishpost_users.USER), wishpost_users.get_user, "display_name", "WishPost",
    "your WishPost account", "/sandbox/api/wishpost/users",
    response_type_paths=("/wishpost/v3/oauth/authorize", "/wishpost/oauth_v3/authorize"), takes_scope=True)


class Sessions:
    """Signed-in tenants of the authorize pages: session id -> (realm, tenant id) (in memory, per process)."""

    def __init__(self) -> None:
        self._by_id: dict[str, tuple[str, str]] = {}

    def start(self, tenant_id: str, realm: str) -> str:
        sid = secrets.token_urlsafe(24)
        self._by_id[sid] = (realm, tenant_id)
        return sid

    def tenant(self, sid: str | None, realm: str) -> str | None:
        found = self._by_id.get(sid) if sid else None
        return found[1] if found and found[0] == realm else None

    def clear(self) -> None:
        self._by_id.clear()


def _page(page: PageRealm, name: str, status: int = 200, **values: Any) -> HTMLResponse:
    html = TEMPLATES.get_template(name).render(brand=page.brand, what=page.what, listing=page.listing, **values)
    return HTMLResponse(html, status_code=status)


def _error(page: PageRealm, message: str, status: int = 400) -> HTMLResponse:
    return _page(page, "error.html", status, message=message)


def _with_query(uri: str, params: dict[str, str]) -> str:
    parts = urlsplit(uri)
    query = "&".join(q for q in (parts.query, urlencode(params)) if q)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


async def _fields(request: Request) -> dict[str, str]:
    fields = {k: v for k, v in request.query_params.items()}
    if request.method == "POST":
        try:
            form = await request.form()
        except Exception:  # a malformed form body is a bad request, shown as a page
            return {"_bad_form": "1"}
        fields.update({k: v for k, v in form.items() if isinstance(v, str)})
    return fields


def _asked_scopes(page: PageRealm, f: dict[str, str]) -> tuple[list[str] | None, str | None]:
    """The scopes the URL asks for (space, '+' or comma separated), or an unknown one to complain about."""
    if not page.takes_scope or not f.get("scope", "").strip():
        return None, None
    asked = [s for s in f["scope"].replace(",", " ").split() if s]
    return asked, page.realm.unknown_scope(asked)


async def authorize(request: Request, page: PageRealm) -> Response:
    ctx: Ctx = ctx_of(request)
    f = await _fields(request)
    if "_bad_form" in f:
        return _error(page, "The form could not be read.")
    client_id = f.get("client_id", "").strip()
    if not client_id:
        return _error(page, "client_id is required.")
    ctx = ctx.tenants.route(client_id) or ctx  # a tenant's app: its merchants sign in, its store keeps the code
    action = request.url.path
    if action in page.response_type_paths and f.get("response_type") != "code":
        return _error(page, "response_type is required and must be 'code'.")
    asked, bad_scope = _asked_scopes(page, f)
    if bad_scope is not None:
        return _error(page, f"Unknown scope '{bad_scope}'.")
    now = ctx.clock.now()
    with ctx.owner.begin() as conn:
        app = oauth.get_app(conn, client_id, page.realm)
        if app is None:
            return _error(page, f"No app has the client_id '{client_id}'.", 404)
        redirect_uri = f.get("redirect_uri") or app["redirect_uri"]
        if redirect_uri != app["redirect_uri"]:
            return _error(page, "The redirect_uri does not match the app's registered redirect URI.")
        hidden = {k: f[k] for k in _PASSED if f.get(k)}
        sessions: Sessions = ctx.sessions
        tenant_id = sessions.tenant(request.cookies.get(page.cookie), page.realm.name)
        if request.method == "GET" and f.get("force_login", "").lower() == "true":
            tenant_id = None  # the app wants a fresh sign-in

        if request.method == "POST" and f.get("action") == "login":
            row = page.sign_in(conn, f.get("username", "").strip(), f.get("password", ""))
            if row is None:
                return _page(page, "login.html", 401, app=app, action=action, hidden=hidden,
                             username=f.get("username", ""), error="Incorrect username or password.")
            back_to = {k: v for k, v in hidden.items() if k != "force_login"}  # signed in now: no second login
            back = RedirectResponse(_with_query(action, back_to), status_code=303)
            back.set_cookie(page.cookie, sessions.start(row["id"], page.realm.name), httponly=True, samesite="lax",
                            path="/")
            return back

        account = page.account(conn, tenant_id) if tenant_id is not None else None
        if account is None:  # not signed in, or the store was reset under the session
            return _page(page, "login.html", app=app, action=action, hidden=hidden, username="", error=None)
        if not oauth.may_authorize(app, account["id"], page.realm):
            return _error(page, f"{app['name']} is a private app of another account.", 403)

        if request.method == "POST" and f.get("decision") in ("confirm", "decline"):
            back_params = {"state": f["state"]} if f.get("state") else {}
            if f["decision"] == "decline":
                return RedirectResponse(_with_query(redirect_uri, {"error": "access_denied", **back_params}), 303)
            code, _ = oauth.mint_code(conn, app, account["id"], asked, now, page.realm)
            return RedirectResponse(_with_query(redirect_uri, {"code": code, **back_params}), 303)

        shown = [s for s in (asked or app["scopes"]) if s in app["scopes"]]
        return _page(page, "consent.html", app=app, account=account, account_name=account[page.name_field],
                     scopes=shown, action=action, hidden=hidden)


def _route(page: PageRealm) -> Callable[[Request], Any]:
    async def endpoint(request: Request) -> Response:
        return await authorize(request, page)
    return endpoint


for _page_realm in (MERCHANT_PAGE, WISHPOST_PAGE):
    for _path in _page_realm.paths:
        router.add_api_route(_path, _route(_page_realm), methods=["GET", "POST"], response_class=HTMLResponse)
