"""Each answer leaves the server in one write. uvicorn writes an answer's status line and headers with one
`transport.write` and its body with another: with Nagle off (mockwish.serve binds with IPPROTO_TCP, so the
transport sets TCP_NODELAY) that is two TCP segments per answer, and two wake-ups of the client. On a small
machine the second segment costs more than any of mockwish's own work on a cached read: on loopback the
sender's system call also runs the receiver's side of each segment (bench/RESULTS.md measures the change).

`OneWriteTransport` holds a short write (the head) until the next write joins it (the body, in the same step
of the same task, as Starlette's Response sends both), or until the event loop turns (a HEAD answer, a 204, a
streamed answer whose first chunk comes later), or until the transport closes (an answer cut short by a fault
or an error). A write of `HOLD_BELOW` bytes or more goes at once, with what is held before it: a streamed
download is never collected in memory. What reaches the client, byte for byte and in order, is unchanged.

`http_protocol()` is the HTTP protocol uvicorn would choose itself ("auto": httptools when installed, else
h11), with its transport wrapped so; `MOCKWISH_COALESCE_WRITES=false` serves with uvicorn's own."""

from __future__ import annotations

import asyncio
from typing import Any

HOLD_BELOW = 64 * 1024
import os
DEFER = bool(os.environ.get('MOCKWISH_OW_DEFER'))


class OneWriteTransport:
    """An asyncio transport whose short writes wait to be joined by the next one (see the module's docstring);
    every other call goes to the transport it wraps."""

    __slots__ = ("_held", "_loop", "_transport")

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._loop = loop
        self._held: bytes | None = None

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if DEFER:
            held = self._held
            if held is None:
                self._held = bytes(data)
                self._loop.call_soon(self.flush)
            else:
                self._held = held + data
            return
        held = self._held
        if held is not None:
            self._held = None
            self._transport.writelines((held, data))  # one system call (uvloop writes both with writev)
        elif len(data) < HOLD_BELOW:
            self._held = bytes(data)  # a copy: the caller may reuse a bytearray once write returns
            self._loop.call_soon(self.flush)
        else:
            self._transport.write(data)

    def writelines(self, list_of_data: Any) -> None:
        for data in list_of_data:
            self.write(data)

    def flush(self) -> None:
        """Send what is held (called by the loop once it turns, and before the transport closes)."""
        held = self._held
        if held is not None:
            self._held = None
            if not self._transport.is_closing():  # the client left: nobody to send it to
                self._transport.write(held)

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def write_eof(self) -> None:
        self.flush()
        self._transport.write_eof()

    def abort(self) -> None:
        self._held = None
        self._transport.abort()

    def get_write_buffer_size(self) -> int:
        return self._transport.get_write_buffer_size() + len(self._held or b"")

    def __getattr__(self, name: str) -> Any:  # is_closing, get_extra_info, pause_reading, set_protocol, ...
        return getattr(self._transport, name)


def one_write(base: type[asyncio.Protocol]) -> type[asyncio.Protocol]:
    """`base` (one of uvicorn's HTTP protocols) with its transport wrapped in a OneWriteTransport."""

    def connection_made(self: Any, transport: asyncio.Transport) -> None:
        base.connection_made(self, transport)  # keeps the real transport for its flow control
        self.transport = OneWriteTransport(transport, self.loop)

    return type(f"OneWrite{base.__name__}", (base,), {"connection_made": connection_made})


def http_protocol() -> type[asyncio.Protocol]:
    from uvicorn.protocols.http.auto import AutoHTTPProtocol

    return one_write(AutoHTTPProtocol)
