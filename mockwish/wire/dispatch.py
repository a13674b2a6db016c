"""How a request reaches its operation.

The front door (`FrontDoor`, called first by the app itself, mockwish.app.MockwishApp): a request whose
method and path name an API operation goes straight to that operation's pipeline through one dict lookup,
before FastAPI's own middleware stack, the router's linear scan over ~200 routes and its dependency solving.
Each pipeline (wire.v2.handle, wishpost.ops.handle) answers every outcome itself, errors included, so nothing
of that stack is needed on the way; the front door adds the request id, and maps the WishPost port's root
paths as the WishPost port middleware does. The FastAPI routes the surfaces also register describe the
same operations in /openapi.json (and would serve them if the front door were removed).

Every other route (the sandbox control API, the authorize pages, files, docs) goes through FastAPI and its
middleware stack. Those routes read their bodies through FastAPI, which knows no size limit: `BodyLimit`
reads the body first, never past the limit (a chunked body included), and hands it on from memory. The fast
routes bound their own reading (wire.params.read_body)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mockwish.errors import WishError
from mockwish.ids import new_request_id
from mockwish.wire.params import read_body

Endpoint = Callable[[Request], Awaitable[Response]]
Routes = dict[tuple[str, str], Endpoint]  # (method, path) -> endpoint
PortMap = Callable[[Scope], Scope]  # the scope as the app sees it (the WishPost port's root paths mapped)

REQUEST_ID = b"wish-request-id"
BODY_METHODS = frozenset(("POST", "PUT", "PATCH", "DELETE"))


def with_request_id(send: Send) -> Send:
    """`send`, adding Wish-Request-Id to the response's headers."""
    rid = new_request_id()

    async def send_with_id(message: Message) -> None:
        if message["type"] == "http.response.start":
            message["headers"] = [*message.get("headers", []), (REQUEST_ID, rid)]
        await send(message)
    return send_with_id


class RequestIdMiddleware:
    """Adds Wish-Request-Id to every response of the routes behind the front door (pure ASGI)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, with_request_id(send) if scope["type"] == "http" else send)


class FrontDoor:
    def __init__(self, routes: Routes, port_map: PortMap) -> None:
        self.routes = routes
        self.port_map = port_map

    async def serve(self, scope: Scope, receive: Receive, send: Send) -> bool:
        """Answer an API operation's request; False (nothing sent) for any other request."""
        mapped = self.port_map(scope)
        endpoint = self.routes.get((mapped["method"], mapped["path"]))
        if endpoint is None:
            return False
        response = await endpoint(Request(mapped, receive))
        await response(mapped, receive, with_request_id(send))
        return True


class BodyLimit:
    """Bounds the bodies FastAPI reads itself (see the module's docstring)."""

    def __init__(self, app: ASGIApp, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in BODY_METHODS:
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
