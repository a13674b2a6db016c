"""How a request reaches its operation.

The front door (`FrontDoor`, called first by the app itself, mockwish.app.MockwishApp): a request whose
method and path name an API operation goes straight to that operation's pipeline through one dict lookup,
before FastAPI's own middleware stack, the router's linear scan and its dependency solving. Each pipeline
(wire.v2.handle, wishpost.ops.handle) answers every outcome itself, errors included, so nothing of that
stack is needed on the way; the front door adds the request id, and maps the WishPost port's root paths as
the WishPost port middleware does. The operations have no FastAPI route each: one
`wire.openapi.OperationRoutes` per surface stands for them in the router (another method is a 405, a
trailing slash a redirect, and it would serve them if the front door were removed) and gives /openapi.json
their path items.

Every other route (the sandbox control API, the authorize pages, files, docs) goes through FastAPI and its
middleware stack. Those routes read their bodies through FastAPI, which knows no size limit: `BodyLimit`
reads the body first, never past the limit (a chunked body included), and hands it on from memory. The fast
routes bound their own reading (wire.params.read_body)."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mockwish.errors import WishError
from mockwish.ids import new_request_id
from mockwish.sandbox.faults import NOW, TENANT, Hit, send_with, surface_of
from mockwish.sandbox.faults import SCOPE_KEY as FAULT
from mockwish.sandbox.journal import RESPONSE_KEPT
from mockwish.wire.params import read_body
from mockwish.wire.parts import PartsResponse

if TYPE_CHECKING:
    from mockwish.sandbox.journal import Journal

Endpoint = Callable[[Request], Awaitable[Response]]
Routes = dict[tuple[str, str], Endpoint]  # (method, path) -> endpoint
PortMap = Callable[[Scope], Scope]  # the scope as the app sees it (the WishPost port's root paths mapped)

REQUEST_ID = b"wish-request-id"
BODY_METHODS = frozenset(("POST", "PUT", "PATCH", "DELETE"))


def with_request_id(send: Send, rid: bytes | None = None) -> Send:
    """`send`, adding Wish-Request-Id (`rid`, else a new one) to the response's headers."""
    rid = rid or new_request_id()

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
        """Answer an API operation's request; False (nothing sent) for any other request. The answer goes out as
        an injected fault has it (mockwish.sandbox.faults), and into the request journal."""
        mapped = self.port_map(scope)
        endpoint = self.routes.get((mapped["method"], mapped["path"]))
        if endpoint is None:
            return False
        journal = scope["app"].state.ctx.journal
        started = time.perf_counter() if journal.enabled else 0.0
        request = Request(mapped, receive)
        response = await endpoint(request)
        rid = new_request_id()
        hit = mapped.get(FAULT)
        if hit is None:  # the id as with_request_id adds it (last), without a wrapper around each message sent
            response.raw_headers.append((REQUEST_ID, rid))  # every pipeline's answer is made for its request
            await response(mapped, receive, send)
        else:
            await send_with(hit, response, mapped, receive, with_request_id(send, rid))
        if journal.enabled:
            record(journal, mapped, request, response, started, rid, hit)
        return True


    def journaled(self, scope: Scope) -> bool:
        """A request to a Wish surface that no API operation answers (a mistyped path, a download link, the
        authorize page): journaled too, so a client's typo shows up among the near misses of a verification."""
        path = self.port_map(scope)["path"]
        return not path.startswith(NOT_JOURNALED) and path not in ("/", "/favicon.ico")

    async def serve_other(self, scope: Scope, receive: Receive, send: Send, app: ASGIApp) -> None:
        """Run `app` (FastAPI's stack) on a journaled request, noting its status and the start of its body."""
        journal = scope["app"].state.ctx.journal
        if not journal.enabled:
            await app(scope, receive, send)
            return
        started = time.perf_counter()
        status, head = 0, bytearray()
        rid = b""

        async def noting(message: Message) -> None:
            nonlocal status, rid
            if message["type"] == "http.response.start":
                status = message["status"]
                rid = next((v for k, v in message.get("headers", []) if k == REQUEST_ID), b"")
            elif message["type"] == "http.response.body" and len(head) < KEPT_ANSWER:
                head.extend(message.get("body", b"")[: KEPT_ANSWER - len(head)])
            await send(message)
        await app(scope, receive, noting)
        mapped = self.port_map(scope)
        _record(journal, mapped, None, status, bytes(head), None, started, rid, None)


NOT_JOURNALED = ("/sandbox/", "/healthz", "/docs", "/redoc", "/openapi.json")
KEPT_ANSWER = 2048  # of an answer that went through FastAPI: enough for its Wish code


def record(journal: Journal, scope: Scope, request: Request, response: Response, started: float, rid: bytes,
           hit: Hit | None) -> None:
    """One API request into the journal: references to what was read and sent (the journal works on them when
    it is read, not here). A transport fault's answer is recorded as the client got it."""
    _record(journal, scope, getattr(request, "_body", None), response.status_code, _answer(response, hit),
            response.media_type, started, rid, hit)


def _answer(response: Response, hit: Hit | None) -> bytes | None:
    """The answer's body as the client got it (a transport fault cuts it), or as much of its start as the
    journal keeps: an answer sent as parts is not joined for it (mockwish.wire.parts)."""
    fault = hit.effect.fault if hit is not None else None
    if isinstance(response, PartsResponse):
        size = response.length
        if fault is not None:
            size = 0 if fault == "drop" else size // 2
        return response.head(min(size, RESPONSE_KEPT))
    body: bytes | None = bytes(response.body) if hasattr(response, "body") else None
    if fault is not None and body is not None:
        body = b"" if fault == "drop" else body[: len(body) // 2]
    return body


def _record(journal: Journal, scope: Scope, body: bytes | None, status: int, answer: bytes | None,
            content_type: str | None, started: float, rid: bytes, hit: Hit | None) -> None:
    path = scope["path"]
    mock = scope.get(NOW) or scope["app"].state.ctx.clock.now()  # the pipeline's instant, when it took one
    journal.record(real=time.time(), mock=mock, surface=surface_of(path),
                   method=scope["method"], path=path, query=scope.get("query_string", b""),
                   headers=scope["headers"], body=body, tenant=scope.get(TENANT), status=status,
                   response_body=answer, content_type=content_type,
                   latency_ms=(time.perf_counter() - started) * 1000, request_id=rid.decode("latin-1"),
                   fault=None if hit is None else hit.describe())


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
