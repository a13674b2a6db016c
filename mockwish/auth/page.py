"""The authorize page a merchant sees: sign in with a seeded username and password, see the app's name and
scopes, confirm (redirect to the app's redirect_uri with `code` and `state`) or decline (redirect without a
code). Served at /v3/oauth/authorize and at the older /oauth/authorize, which also takes redirect_uri."""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from fastapi import APIRouter, Request
from jinja2 import Environment, PackageLoader, select_autoescape
from sqlalchemy import select
from starlette.responses import HTMLResponse, RedirectResponse, Response

from mockwish.auth import oauth
from mockwish.context import Ctx
from mockwish.store.tables import Merchant

router = APIRouter(include_in_schema=False)
TEMPLATES = Environment(loader=PackageLoader("mockwish.auth", "templates"), autoescape=select_autoescape())
COOKIE = "mockwish_session"
PATHS = ("/v3/oauth/authorize", "/oauth/authorize")
_M = Merchant.__table__  # type: ignore[attr-defined]


class Sessions:
    """Signed-in merchants of the authorize page: session id -> merchant id (in memory, per process)."""

    def __init__(self) -> None:
        self._by_id: dict[str, str] = {}

    def start(self, merchant_id: str) -> str:
        sid = secrets.token_urlsafe(24)
        self._by_id[sid] = merchant_id
        return sid

    def merchant(self, sid: str | None) -> str | None:
        return self._by_id.get(sid) if sid else None

    def clear(self) -> None:
        self._by_id.clear()


def _page(name: str, status: int = 200, **values: Any) -> HTMLResponse:
    return HTMLResponse(TEMPLATES.get_template(name).render(**values), status_code=status)


def _error(message: str, status: int = 400) -> HTMLResponse:
    return _page("error.html", status, message=message)


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


async def authorize(request: Request) -> Response:
    ctx: Ctx = request.app.state.ctx
    f = await _fields(request)
    if "_bad_form" in f:
        return _error("The form could not be read.")
    client_id = f.get("client_id", "").strip()
    if not client_id:
        return _error("client_id is required.")
    now = ctx.clock.now()
    with ctx.engine.begin() as conn:
        app = oauth.get_app(conn, client_id)
        if app is None:
            return _error(f"No app has the client_id '{client_id}'.", 404)
        redirect_uri = f.get("redirect_uri") or app["redirect_uri"]
        if redirect_uri != app["redirect_uri"]:
            return _error("The redirect_uri does not match the app's registered redirect URI.")
        hidden = {k: f[k] for k in ("client_id", "redirect_uri", "state", "scope") if f.get(k)}
        action = request.url.path
        sessions: Sessions = ctx.sessions  # type: ignore[assignment]
        merchant_id = sessions.merchant(request.cookies.get(COOKIE))

        if request.method == "POST" and f.get("action") == "login":
            row = conn.execute(select(_M).where(_M.c.username == f.get("username", "").strip())).mappings().first()
            if row is None or not secrets.compare_digest(row["password"], f.get("password", "")):
                return _page("login.html", 401, app=app, action=action, hidden=hidden,
                             username=f.get("username", ""), error="Incorrect username or password.")
            back = RedirectResponse(_with_query(action, hidden), status_code=303)
            back.set_cookie(COOKIE, sessions.start(row["id"]), httponly=True, samesite="lax", path="/")
            return back

        if merchant_id is None:
            return _page("login.html", app=app, action=action, hidden=hidden, username="", error=None)
        merchant = conn.execute(select(_M).where(_M.c.id == merchant_id)).mappings().first()
        if merchant is None:  # the store was reset under the session
            return _page("login.html", app=app, action=action, hidden=hidden, username="", error=None)
        if not oauth.may_authorize(app, merchant_id):
            return _error(f"{app['name']} is a private app of another merchant.", 403)

        if request.method == "POST" and f.get("decision") in ("confirm", "decline"):
            back_params = {"state": f["state"]} if f.get("state") else {}
            if f["decision"] == "decline":
                return RedirectResponse(_with_query(redirect_uri, {"error": "access_denied", **back_params}), 303)
            code, _ = oauth.mint_code(conn, app, merchant_id, None, now)
            return RedirectResponse(_with_query(redirect_uri, {"code": code, **back_params}), 303)

        return _page("consent.html", app=app, merchant=merchant, scopes=app["scopes"], action=action,
                     hidden=hidden)


for _path in PATHS:
    router.add_api_route(_path, authorize, methods=["GET", "POST"], response_class=HTMLResponse)
