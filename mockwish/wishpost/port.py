"""The WishPost port: the same app answers at its root, so a client that can only change the host (and not
add a path prefix) works unchanged. A tiny pure-ASGI wrapper maps `/api/v3/...` on that port to
`/wishpost/api/v3/...`; paths already under /wishpost, and the sandbox, health and docs paths, pass as they are.

Each port documents what it serves: /openapi.json on this port is the WishPost port's own document (the
WishPost operations at this port's root, and /healthz), cut once from the main port's document."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import orjson
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from mockwish.wishpost.openapi import port_document
from mockwish.wishpost.ops import ORIGINAL_PATH, PREFIX

OPENAPI = "/openapi.json"
_AS_IS = (PREFIX + "/", "/sandbox/", "/healthz", "/docs", OPENAPI, "/redoc")


def port_map(port: int) -> Callable[[Scope], Scope]:
    """The scope as the app sees it: on the WishPost port (`port`, 0: none), /api/... becomes /wishpost/api/...
    (the path as sent kept under ORIGINAL_PATH). Also used by the front door (mockwish.wire.dispatch)."""
    def mapped(scope: Scope) -> Scope:
        if not port or (scope.get("server") or (None, None))[1] != port:
            return scope
        path: str = scope["path"]
        if path.startswith(_AS_IS) or path == PREFIX:
            return scope
        return {**scope, "path": PREFIX + path, ORIGINAL_PATH: path,
                "raw_path": PREFIX.encode() + scope.get("raw_path", path.encode())}
    return mapped


class WishPostPort:
    """Prefix /wishpost on requests whose server port is `port` (the ASGI scope's `server`)."""

    def __init__(self, app: ASGIApp, port: int) -> None:
        self.app = app
        self.port = port
        self.map = port_map(port)
        self._doc: tuple[object, bytes] | None = None  # (the main document it was cut from, its JSON)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self.port and (scope.get("server") or (None, None))[1] == self.port:
            if scope["path"] == OPENAPI and scope["method"] in ("GET", "HEAD"):
                await Response(self.document(scope["app"]), media_type="application/json")(scope, receive, send)
                return
            scope = self.map(scope)
        await self.app(scope, receive, send)

    def document(self, app: Any) -> bytes:
        """This port's /openapi.json, built once from the app's (cached) document, again only if that one
        was rebuilt (operations mounted after the first call)."""
        full = app.openapi()
        if self._doc is None or self._doc[0] is not full:
            self._doc = (full, orjson.dumps(port_document(full)))
        return self._doc[1]
