"""The WishPost port: the same app answers at its root, so a client that can only change the host (and not
add a path prefix) works unchanged. A tiny pure-ASGI wrapper maps `/api/v3/...` on that port to
`/wishpost/api/v3/...`; paths already under /wishpost, and the sandbox, health and docs paths, pass as they are."""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from mockwish.wishpost.ops import ORIGINAL_PATH, PREFIX

_AS_IS = (PREFIX + "/", "/sandbox/", "/healthz", "/docs", "/openapi.json", "/redoc")


class WishPostPort:
    """Prefix /wishpost on requests whose server port is `port` (the ASGI scope's `server`)."""

    def __init__(self, app: ASGIApp, port: int) -> None:
        self.app = app
        self.port = port

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self.port and (scope.get("server") or (None, None))[1] == self.port:
            path: str = scope["path"]
            if not path.startswith(_AS_IS) and path != PREFIX:
                scope = {**scope, "path": PREFIX + path, ORIGINAL_PATH: path,
                         "raw_path": PREFIX.encode() + scope.get("raw_path", path.encode())}
        await self.app(scope, receive, send)
