"""Answers written when the event loop turns (mockwish/deferred_writes.py): the transport wrapper on a real
event loop with a recording transport, then a real server (the default protocol) read byte by byte over raw
sockets: keep-alive, pipelined requests, HEAD, an answer larger than what is kept, an answer cut short by a
fault, a request the HTTP parser refuses, and a streamed download."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import Iterator

import httpx
import pytest

from mockwish.config import Settings
from mockwish.deferred_writes import FLUSH_AT, DeferredWriteTransport, deferred_writes, http_protocol
from server_process import Server, module_server
from support import DEFAULT_TOKEN


class Recording(asyncio.Transport):
    """What reached the real transport, one entry per system call the real one would make."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[bytes] = []
        self.closing = False
        self.closed = False
        self.aborted = False

    def write(self, data: bytes | bytearray | memoryview) -> None:
        self.calls.append(bytes(data))

    def writelines(self, list_of_data: object) -> None:
        self.calls.append(b"".join(list_of_data))  # type: ignore[arg-type]  # an iterable of bytes

    def is_closing(self) -> bool:
        return self.closing

    def close(self) -> None:
        self.closing = self.closed = True

    def abort(self) -> None:
        self.closing = self.aborted = True

    def get_write_buffer_size(self) -> int:
        return 7

    def get_extra_info(self, name: str, default: object = None) -> object:
        return ("127.0.0.1", 1234) if name == "peername" else default


def run(body) -> None:  # noqa: ANN001  (a coroutine function of the loop)
    asyncio.run(body())


def turn() -> asyncio.Future[None]:
    """Let the loop run what was scheduled with call_soon."""
    return asyncio.sleep(0)


def test_writes_wait_for_the_loop_then_leave_in_one_call() -> None:
    async def body() -> None:
        real = Recording()
        t = DeferredWriteTransport(real, asyncio.get_running_loop())
        t.write(b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\n")
        t.write(b"hello")
        assert real.calls == []
        assert t.get_write_buffer_size() == 7 + 43
        await turn()
        assert real.calls == [b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhello"]
        t.write(b"next")
        await turn()
        assert real.calls[1:] == [b"next"]
        await turn()
        assert len(real.calls) == 2  # nothing kept, nothing sent
    run(body)


def test_a_reused_buffer_is_copied_and_empty_writes_are_ignored() -> None:
    async def body() -> None:
        real = Recording()
        t = DeferredWriteTransport(real, asyncio.get_running_loop())
        buf = bytearray(b"abc")
        t.write(buf)
        buf[:] = b"xyz"
        t.write(b"")
        t.writelines([memoryview(b"de"), b"f"])
        await turn()
        assert real.calls == [b"abcdef"]
    run(body)


def test_a_large_answer_goes_at_once_with_what_was_kept() -> None:
    async def body() -> None:
        real = Recording()
        t = DeferredWriteTransport(real, asyncio.get_running_loop())
        t.write(b"head")
        t.write(b"x" * FLUSH_AT)
        assert real.calls == [b"head" + b"x" * FLUSH_AT]
        await turn()
        assert len(real.calls) == 1
    run(body)


def test_close_sends_what_is_kept_first_abort_and_a_gone_client_do_not() -> None:
    async def body() -> None:
        loop = asyncio.get_running_loop()
        real = Recording()
        t = DeferredWriteTransport(real, loop)
        t.write(b"HTTP/1.1 400 Bad Request\r\n\r\n")
        t.close()
        assert real.calls == [b"HTTP/1.1 400 Bad Request\r\n\r\n"] and real.closed
        await turn()
        assert len(real.calls) == 1

        gone = Recording()
        t = DeferredWriteTransport(gone, loop)
        t.write(b"late")
        gone.closing = True  # the client went away before the loop turned
        await turn()
        assert gone.calls == []

        aborted = Recording()
        t = DeferredWriteTransport(aborted, loop)
        t.write(b"dropped")
        t.abort()
        await turn()
        assert aborted.calls == [] and aborted.aborted
    run(body)


def test_other_calls_reach_the_real_transport() -> None:
    async def body() -> None:
        real = Recording()
        t = DeferredWriteTransport(real, asyncio.get_running_loop())
        assert t.get_extra_info("peername") == ("127.0.0.1", 1234)
        assert not t.is_closing()
    run(body)


def test_the_protocol_is_uvicorns_own_choice_with_the_transport_wrapped() -> None:
    from uvicorn.protocols.http.auto import AutoHTTPProtocol
    from uvicorn.protocols.http.h11_impl import H11Protocol

    assert issubclass(http_protocol(), AutoHTTPProtocol)
    assert issubclass(deferred_writes(H11Protocol), H11Protocol)  # the fallback when httptools is missing
    assert Settings().defer_writes is True


# ---- a real server --------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from module_server(tmp_path_factory, "deferred-writes")


def answers(sock: socket.socket, count: int) -> list[tuple[bytes, bytes]]:
    """Read `count` answers framed by content-length: (head, body) each."""
    data, out = b"", []
    while len(out) < count:
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            assert chunk, f"connection closed after {len(out)} answers: {data[:200]!r}"
            data += chunk
        head, data = data.split(b"\r\n\r\n", 1)
        length = next((int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                       if line.lower().startswith(b"content-length:")), 0)
        while len(data) < length:
            chunk = sock.recv(65536)
            assert chunk, "connection closed mid-body"
            data += chunk
        out.append((head, data[:length]))
        data = data[length:]
    return out


def connect(srv: Server) -> socket.socket:
    return socket.create_connection(("127.0.0.1", srv.port), timeout=10)


def get(path: str, extra: str = "") -> bytes:
    return f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{extra}\r\n".encode()


AUTH_TEST = f"/api/v2/auth_test?access_token={DEFAULT_TOKEN}"


def test_keep_alive_and_pipelined_answers_come_whole_and_in_order(server: Server) -> None:
    with connect(server) as sock:
        for _ in range(3):  # one after the other on one connection
            sock.sendall(get(AUTH_TEST))
            ((head, body),) = answers(sock, 1)
            assert head.startswith(b"HTTP/1.1 200") and json.loads(body)["code"] == 0
        # pipelined: three requests in one packet, three answers in their order
        sock.sendall(get(AUTH_TEST) + get("/api/v2/product?id=nope&access_token=" + DEFAULT_TOKEN) + get("/healthz"))
        got = answers(sock, 3)
    assert json.loads(got[0][1])["code"] == 0
    assert json.loads(got[1][1])["code"] == 1000  # an invalid id: the second request's own answer
    assert json.loads(got[2][1])["status"] == "ok"


def test_head_answers_and_connection_close(server: Server) -> None:
    with connect(server) as sock:
        sock.sendall(b"HEAD /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        data = b""
        while b"\r\n\r\n" not in data:
            data += sock.recv(65536)
        assert data.startswith(b"HTTP/1.1 200") and data.endswith(b"\r\n\r\n")  # the head, and no body
        sock.sendall(get(AUTH_TEST, "Connection: close\r\n"))
        ((head, body),) = answers(sock, 1)
        assert json.loads(body)["code"] == 0
        assert sock.recv(65536) == b""  # then the server closes


def test_a_large_answer_arrives_whole_and_the_next_after_it(server: Server) -> None:
    url = f"/api/v2/product/multi-get?limit=250&access_token={DEFAULT_TOKEN}"
    expected = httpx.get(server.base + url).json()
    with connect(server) as sock:
        sock.sendall(get(url) + get(AUTH_TEST))
        (_, big), (_, small) = answers(sock, 2)
    assert len(big) > 65536  # more than one read of the socket
    assert json.loads(big) == expected
    assert json.loads(small)["code"] == 0


def test_refused_http_and_a_dropped_answer_still_reach_the_client(server: Server) -> None:
    with connect(server) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nBad header\r\n\r\n")
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    assert data.startswith(b"HTTP/1.1 400")
    with connect(server) as sock:  # drop: the status line and headers, then the connection closes
        sock.sendall(get(AUTH_TEST, "Mockwish-Fault: fault=drop\r\n"))
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    assert data.startswith(b"HTTP/1.1 200") and data.endswith(b"\r\n\r\n")


def test_a_streamed_download_arrives_whole(server: Server) -> None:
    created = httpx.post(f"{server.base}/api/v2/product/create-download-job",
                         data={"access_token": DEFAULT_TOKEN}).json()
    assert created["code"] == 0, created
    job = created["data"]["job_id"]
    assert httpx.post(f"{server.base}/sandbox/api/clock", json={"advance_seconds": 3600}).status_code == 200
    status = httpx.get(f"{server.base}/api/v2/product/get-download-job-status",
                       params={"access_token": DEFAULT_TOKEN, "job_id": job}).json()["data"]
    link = status["download_link"]
    with httpx.stream("GET", link) as r:
        assert r.status_code == 200
        csv = b"".join(r.iter_bytes())
    assert csv.count(b"\n") >= 20 and csv == httpx.get(link).content
