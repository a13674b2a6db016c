"""Answers leave the server when the event loop turns, each connection's in one write. uvicorn writes an
answer's status line and headers with one `transport.write` and its body with another, each a system call
made there and then, in the middle of the request's task: two TCP segments per answer (Nagle is off:
mockwish.serve binds with IPPROTO_TCP), and a wake-up of the client for each.

`DeferredWriteTransport` keeps what is written on a connection until the loop turns (`call_soon`), then sends
it in one `writelines` (one writev under uvloop). The client is woken once per answer, and the answers of one
turn of the loop go out together, after the work that made them; on a machine where the clients share the
cores with the server (a CI runner), that is where most of the time went (bench/RESULTS.md measures it).
What reaches each client, byte for byte and in order, is unchanged, and it is sent before the transport
closes (an answer cut short by a fault or an error). Past `FLUSH_AT` bytes kept, the write goes at once: a
streamed download is never collected in memory.

`http_protocol()` is the HTTP protocol uvicorn would choose itself ("auto": httptools when installed, else
h11) with its transport wrapped so; `MOCKWISH_DEFER_WRITES=false` serves with uvicorn's own. Its `gate`, when
given, is asked before anything is sent: it commits the turn's writes (group commit, mockwish.store.owner),
and when it answers False (the commit failed) what is kept is not sent and the connection is aborted."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

FLUSH_AT = 1024 * 1024
Gate = Callable[[], bool]


class DeferredWriteTransport:
    """An asyncio transport whose writes are kept until the event loop turns (see the module's docstring);
    every other call goes to the transport it wraps."""

    __slots__ = ("_gate", "_kept", "_loop", "_size", "_transport")

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop, gate: Gate | None = None) -> None:
        self._transport = transport
        self._loop = loop
        self._gate = gate
        self._kept: list[bytes | memoryview] = []
        self._size = 0

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if not data:
            return
        kept = self._kept
        if not kept:
            self._loop.call_soon(self.flush)
        # a bytearray (or a view of one) may be reused: kept as a copy; bytes, or a view of bytes (a slice of a
        # merchant's book of orders, mockwish.wire.parts), cannot change: kept as they are
        kept.append(data if type(data) is bytes or (type(data) is memoryview and type(data.obj) is bytes)
                    else bytes(data))
        self._size += len(data)
        if self._size >= FLUSH_AT:
            self.flush()

    def writelines(self, list_of_data: Any) -> None:
        for data in list_of_data:
            self.write(data)

    def flush(self) -> None:
        """Send what is kept, in one write (called when the loop turns, and before the transport closes)."""
        kept = self._kept
        if not kept:
            return
        self._kept, self._size = [], 0
        if self._transport.is_closing():  # the client left: nobody to send it to
            return
        gate = self._gate
        if gate is not None and not gate():  # what is kept acknowledges writes that were rolled back
            self._transport.abort()
            return
        if len(kept) == 1:
            self._transport.write(kept[0])
        else:
            self._transport.writelines(kept)

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def write_eof(self) -> None:
        self.flush()
        self._transport.write_eof()

    def abort(self) -> None:
        self._kept, self._size = [], 0
        self._transport.abort()

    def get_write_buffer_size(self) -> int:
        return self._transport.get_write_buffer_size() + self._size

    def __getattr__(self, name: str) -> Any:  # is_closing, get_extra_info, pause_reading, set_protocol, ...
        return getattr(self._transport, name)


def deferred_writes(base: type[asyncio.Protocol], gate: Gate | None = None) -> type[asyncio.Protocol]:
    """`base` (one of uvicorn's HTTP protocols) with its transport wrapped in a DeferredWriteTransport."""

    def connection_made(self: Any, transport: asyncio.Transport) -> None:
        base.connection_made(self, transport)  # its flow control keeps the real transport
        self.transport = DeferredWriteTransport(transport, self.loop, gate)

    return type(f"Deferred{base.__name__}", (base,), {"connection_made": connection_made})


def http_protocol(gate: Gate | None = None) -> type[asyncio.Protocol]:
    from uvicorn.protocols.http.auto import AutoHTTPProtocol

    return deferred_writes(AutoHTTPProtocol, gate)
