"""The fast path shared by every API surface: a request whose method and path name an operation goes
straight to that operation's pipeline through one dict lookup, skipping the router's linear scan over
~200 routes and FastAPI's dependency solving. The FastAPI routes the surfaces also register describe the
same operations in /openapi.json (and would serve them if this middleware were removed)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

Endpoint = Callable[[Request], Awaitable[Response]]
Routes = dict[tuple[str, str], Endpoint]  # (method, path) -> endpoint


class Dispatcher:
    def __init__(self, app: ASGIApp, routes: Routes) -> None:
        self.app = app
        self.routes = routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            endpoint = self.routes.get((scope["method"], scope["path"]))
            if endpoint is not None:
                response = await endpoint(Request(scope, receive))
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
