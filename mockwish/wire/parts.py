"""An answer whose body is kept as parts, sent part by part and never joined.

A multi-get page is a slice of the merchant's book of rendered orders (mockwish.merchant.orders.book) between
the envelope's head and tail. Joining them into one bytes copied the page (~115 KB) once more than the
kernel does; a profile of the orders load put that join at 5 % of a page. `PartsResponse` sends each part as
its own `http.response.body` message (more_body until the last); the server's transport keeps them until
the event loop turns and hands them to the socket in one writev (mockwish.deferred_writes), so the client
gets the same bytes in the same segments as before. What reads the whole body (a fault that cuts it, a test)
gets the parts joined on demand (`body`); the journal takes only the head it keeps (`head`)."""

from __future__ import annotations

from collections.abc import Mapping

from starlette.responses import Response
from starlette.types import Receive, Scope, Send

Part = bytes | memoryview  # a memoryview only over bytes (immutable): it is sent after the answer is made


class PartsResponse(Response):
    """Response(b"".join(parts), status_code, headers, media_type), byte for byte (headers included, in
    Starlette's order), without the join."""

    def __init__(self, parts: tuple[Part, ...], status_code: int = 200, headers: Mapping[str, str] | None = None,
                 media_type: str = "application/json") -> None:
        self.status_code = status_code
        self.media_type = media_type
        self.background = None
        self.parts = parts
        self.length = sum(map(len, parts))  # a memoryview of bytes: its len is its bytes
        raw = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()] if headers else []
        keys = {k for k, _ in raw}
        if b"content-length" not in keys and not (status_code < 200 or status_code in (204, 304)):
            raw.append((b"content-length", b"%d" % self.length))
        if b"content-type" not in keys:
            if media_type.startswith("text/") and "charset=" not in media_type.lower():
                media_type += "; charset=" + self.charset
            raw.append((b"content-type", media_type.encode("latin-1")))
        self.raw_headers = raw

    @property  # Response's is an attribute; here it is made from the parts, for what needs it whole
    def body(self) -> bytes:
        return b"".join(self.parts)

    @body.setter
    def body(self, value: bytes) -> None:
        self.parts = (value,)
        self.length = len(value)

    def head(self, size: int) -> bytes:
        """The body's first `size` bytes (or all of it), joining only the parts they lie in."""
        taken: list[Part] = []
        left = size
        for part in self.parts:
            if left <= 0:
                break
            taken.append(part[:left])
            left -= len(taken[-1])
        return b"".join(taken)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers})
        parts = self.parts or (b"",)
        last = len(parts) - 1
        for n, part in enumerate(parts):
            await send({"type": "http.response.body", "body": part, "more_body": n < last})

