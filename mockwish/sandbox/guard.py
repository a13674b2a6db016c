"""Who may call the sandbox control API (/sandbox/api/...) and the dashboard (/sandbox/): a pure-ASGI guard
in front of every /sandbox path, on both ports (the WishPost port passes /sandbox/ through unchanged).

A web page the user happens to open must not drive the sandbox. Three checks, in this order:

1. Host (DNS rebinding: a page of evil.example whose name later resolves to 127.0.0.1 reads the control API
   "same-origin", with its own name in the Host header): the host name (port ignored) must be localhost,
   127.0.0.1, [::1], the host of MOCKWISH_PUBLIC_URL, or one of MOCKWISH_SANDBOX_ALLOWED_HOSTS ("*": any).
   A request without a Host header is no browser's and passes. Refused: 403.
2. Origin (CSRF: a cross-site `POST /sandbox/api/reset` with Content-Type text/plain is a "simple" request
   that a browser sends without a preflight): a state-changing call (any method but GET, HEAD and OPTIONS)
   whose Origin is neither the request's own (scheme://host[:port]) nor the public URL's is refused with 403;
   `Origin: null` (sandboxed frames, file: pages, redirects) is foreign. Browsers send Origin on every
   cross-origin POST; curl and CI clients send none and pass.
3. Token: with MOCKWISH_SANDBOX_TOKEN set (a shared sandbox), every control call, whatever its method, must
   carry it in X-Sandbox-Token (compared in constant time). Missing or wrong: 401.

Refusals are the sandbox's own JSON envelope `{"code", "data", "message"}` from the error registry.
"""

from __future__ import annotations

import hmac
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Receive, Scope, Send

from mockwish.context import Ctx
from mockwish.errors import WishError
from mockwish.wire.v2 import render_error

PREFIX = "/sandbox"
LOCAL_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
TOKEN_HEADER = "X-Sandbox-Token"
DEFAULT_PORTS = {"http": 80, "https": 443}
SHOWN_MAX = 100  # a refused Host or Origin is echoed in the message, cut to this many characters

Origin = tuple[str, str, int]  # scheme, host name, port


def split_host(value: str) -> tuple[str, int | None] | None:
    """A Host header (or an allowed-host entry) as (lower-case name without brackets or trailing dot, port);
    None when it is not a host[:port]. `[::1]:8000` -> ("::1", 8000); a bare `::1` is a name without port."""
    value = value.strip().lower()
    port = ""
    if value.startswith("["):
        name, bracket, rest = value[1:].partition("]")
        if not bracket or (rest and not rest.startswith(":")):
            return None
        port = rest[1:]
    elif value.count(":") == 1:
        name, _, port = value.partition(":")
    else:  # a name, or an IPv6 address written without brackets
        name = value
    name = name.rstrip(".")
    if not name or (port and not (port.isascii() and port.isdigit())):
        return None
    return name, int(port) if port else None


def parse_origin(value: str) -> Origin | None:
    """scheme://host[:port] normalised (default ports made explicit); None for `null` or anything else."""
    try:
        url = urlsplit(value.strip())
        scheme, name, port = url.scheme.lower(), url.hostname, url.port
    except ValueError:
        return None
    if scheme not in DEFAULT_PORTS or not name or url.path not in ("", "/") or url.query or url.username:
        return None
    return scheme, name.rstrip("."), port if port is not None else DEFAULT_PORTS[scheme]


def _shown(value: str) -> str:
    return value if len(value) <= SHOWN_MAX else value[:SHOWN_MAX - 3] + "..."


class SandboxGuard:
    """Host, Origin and token checks for /sandbox paths; every other path passes untouched at once."""

    def __init__(self, app: ASGIApp, ctx: Ctx) -> None:
        self.app = app
        self.ctx = ctx
        settings = ctx.settings
        extra = [h.strip() for h in settings.sandbox_allowed_hosts.split(",") if h.strip()]
        self.any_host = "*" in extra
        names = set(LOCAL_NAMES)
        for entry in extra:
            split = split_host(entry)
            if split is not None:
                names.add(split[0])
        self.public_origin: Origin | None = None
        if settings.public_url:
            public = urlsplit(settings.public_url)
            if public.hostname:
                names.add(public.hostname.rstrip(".").lower())
                self.public_origin = parse_origin(f"{public.scheme}://{public.netloc}")
        self.names = frozenset(names)
        self.token = settings.sandbox_token.encode() if settings.sandbox_token else None  # "" is no token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")
        if scope["type"] != "http" or not (path == PREFIX or path.startswith(PREFIX + "/")):
            await self.app(scope, receive, send)
            return
        err = self.refusal(scope)
        if err is not None:
            await render_error(self.ctx, err)(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def refusal(self, scope: Scope) -> WishError | None:
        host = origin = token = None
        for key, value in scope["headers"]:
            if key == b"host" and host is None:
                host = value.decode("latin-1")
            elif key == b"origin" and origin is None:
                origin = value.decode("latin-1")
            elif key == b"x-sandbox-token" and token is None:
                token = value
        own = split_host(host) if host is not None else None
        if host is not None and not self.any_host and (own is None or own[0] not in self.names):
            return WishError("sandbox_host_refused", host=_shown(host))
        if origin is not None and scope["method"] not in SAFE_METHODS and not self._same_origin(scope, own, origin):
            return WishError("sandbox_origin_refused", origin=_shown(origin))
        if self.token is not None and (token is None or not hmac.compare_digest(token, self.token)):
            return WishError("sandbox_token_required")
        return None

    def _same_origin(self, scope: Scope, own: tuple[str, int | None] | None, origin: str) -> bool:
        given = parse_origin(origin)
        if given is None:  # `null`, or not an origin at all
            return False
        if given == self.public_origin:
            return True
        scheme = scope.get("scheme", "http")
        if own is not None:
            name, port = own
        else:  # no Host header: the address the server answered on
            server = scope.get("server") or ("", None)
            name, port = str(server[0]).lower(), server[1]
        return given == (scheme, name, port if port is not None else DEFAULT_PORTS.get(scheme, 0))
