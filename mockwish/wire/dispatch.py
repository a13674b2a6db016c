"""The fast path shared by every API surface: a request whose method and path name an operation goes
straight to that operation's pipeline through one dict lookup, skipping the router's linear scan over
~200 routes and FastAPI's dependency solving. The FastAPI routes the surfaces also register describe the
same operations in /openapi.json (and would serve them if this middleware were removed).

The other routes (the sandbox control API, the authorize pages) read their bodies through FastAPI, which
knows no size limit: their body is read here first, never past the limit (a chunked body included), and
handed on from memory. The fast routes bound their own reading (wire.params.read_body)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mockwish.errors import WishError
from mockwish.wire.params import read_body

Endpoint = Callable[[Request], Awaitable[Response]]
Routes = dict[tuple[str, str], Endpoint]  # (method, path) -> endpoint


BODY_METHODS = frozenset(("POST", "PUT", "PATCH", "DELETE"))


class Dispatcher:
    def __init__(self, app: ASGIApp, routes: Routes, max_body: int) -> None:
        self.app = app
        self.routes = routes
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            endpoint = self.routes.get((scope["method"], scope["path"]))
            if endpoint is not None:
                response = await endpoint(Request(scope, receive))
                await response(scope, receive, send)
                return
            if scope["method"] in BODY_METHODS:
                bounded = await self._bounded(scope, receive, send)
                if bounded is None:
                    return
                receive = bounded
        await self.app(scope, receive, send)

    async def _bounded(self, scope: Scope, receive: Receive, send: Send) -> Receive | None:
        """A receive that replays the body read (None when the answer is already given: too large, or the
        client went away)."""
        from mockwish.wire.v2 import render_error  # the v2 wire imports this module

        try:
            body = await read_body(Request(scope, receive), self.max_body)
        except WishError as err:
            await render_error(scope["app"].state.ctx, err)(scope, receive, send)
            return None
        except ClientDisconnect:
            return None
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()  # after the body: the disconnect, when it comes
        return replay
