"""Running the app: one event loop, two uvicorn servers over the same app, the main port and the WishPost
port (whose requests the app serves at its root, see mockwish.wishpost.port). The main server owns the
signal handlers; the WishPost server stops when it does. If the WishPost port cannot be bound, the main
port is served alone with a warning (a busy 8001 must not keep the Merchant API from starting)."""

from __future__ import annotations

import asyncio
import logging
import socket
from typing import Literal

import uvicorn
from fastapi import FastAPI

from mockwish.config import Settings
from mockwish.deferred_writes import http_protocol
from mockwish.store.owner import GROUP

log = logging.getLogger("mockwish")


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP named: asyncio disables Nagle (TCP_NODELAY) only on sockets whose proto says TCP; with
    # proto 0 every answer written in two parts (head, body) waited ~40 ms for the client's delayed ACK
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def _config(app: FastAPI, settings: Settings, port: int, lifespan: Literal["auto", "on", "off"]) -> uvicorn.Config:
    # answers written when the loop turns (mockwish.deferred_writes); else uvicorn's own protocol. With group
    # commit, the transport commits the loop's batch before it sends (mockwish.store.owner)
    http = http_protocol(GROUP.commit if GROUP.enabled else None) if settings.defer_writes else "auto"
    return uvicorn.Config(app, host=settings.host, port=port, log_level=settings.log_level,
                          access_log=settings.access_log, lifespan=lifespan, http=http)


async def _serve_both(main: uvicorn.Server, main_sock: socket.socket, wishpost: uvicorn.Server,
                      wp_sock: socket.socket) -> None:
    async def follow_main() -> None:
        while not main.should_exit:
            await asyncio.sleep(0.1)
        wishpost.should_exit = True

    # _serve: the WishPost server must not replace the main server's signal handlers
    await asyncio.gather(main.serve(sockets=[main_sock]), wishpost._serve([wp_sock]), follow_main())


def serve(app: FastAPI, settings: Settings) -> None:
    GROUP.enabled = settings.defer_writes and settings.group_commit  # it needs the deferred-write transport
    main_sock = _bind(settings.host, settings.port)
    wp_sock = None
    if settings.own_wishpost_port:
        try:
            wp_sock = _bind(settings.host, settings.wishpost_port)
        except OSError as exc:
            log.warning("WishPost port %s not served (%s); WishPost stays reachable under /wishpost",
                        settings.wishpost_port, exc)
    main = uvicorn.Server(_config(app, settings, settings.port, "auto"))
    if wp_sock is None:
        main.run(sockets=[main_sock])
        return
    wishpost = uvicorn.Server(_config(app, settings, settings.wishpost_port, "off"))
    # the loop uvicorn itself would choose (uvloop when installed): asyncio.run would always take asyncio's own
    with asyncio.Runner(loop_factory=main.config.get_loop_factory()) as runner:
        runner.run(_serve_both(main, main_sock, wishpost, wp_sock))
