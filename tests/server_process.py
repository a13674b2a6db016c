"""A real mockwish server in a subprocess, started as a user starts it, for tests that need real
concurrency (parallel clients, a crash and a restart)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    data_dir: Path
    env: dict[str, str] = field(default_factory=dict)
    port: int = 0
    proc: subprocess.Popen[str] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> Server:
        self.port = free_port()
        env = {**os.environ, "MOCKWISH_DATA_DIR": str(self.data_dir), "MOCKWISH_HOST": "127.0.0.1",
               "MOCKWISH_PORT": str(self.port), "MOCKWISH_WISHPOST_PORT": "0", "MOCKWISH_LOG_LEVEL": "warning",
               "MOCKWISH_PRODUCTS_PER_MERCHANT": "20",
               # parallel clients would pass the default 1,000 calls a minute: these tests are about the store
               "MOCKWISH_RATE_LIMIT_ENABLED": "false", **self.env}
        self.proc = subprocess.Popen([sys.executable, "-m", "mockwish", "serve"], cwd=ROOT, env=env,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        deadline = time.monotonic() + timeout
        while True:
            try:
                if httpx.get(f"{self.base}/healthz", timeout=1).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError("server did not start:\n" + self.stop())
            time.sleep(0.05)

    def kill(self) -> None:
        """kill -9: no shutdown of any kind."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> str:
        """Stop the server; its output (the log: any traceback shows up here)."""
        if self.proc is None:
            return ""
        if self.proc.poll() is None:
            self.proc.terminate()
        try:
            out = self.proc.communicate(timeout=15)[0]
        except subprocess.TimeoutExpired:
            self.proc.kill()
            out = self.proc.communicate()[0]
        self.proc = None
        return out or ""


def module_server(tmp_path_factory: Any, name: str) -> Iterator[Server]:
    """The body of a module-scoped `server` fixture: a server on a data dir of its own, stopped after the module,
    whose log must hold no traceback (`yield from module_server(tmp_path_factory, "name")`)."""
    srv = Server(tmp_path_factory.mktemp(name) / "data").start()
    yield srv
    log = srv.stop()
    assert "Traceback" not in log, log


def run_all(workers: list[Callable[[], None]]) -> None:
    """Run every worker in a thread of its own (real parallel clients); an exception in any of them fails the
    test instead of being lost in its thread, and so does a thread that never ends."""
    errors: list[BaseException] = []

    def guard(fn: Callable[[], None]) -> None:
        try:
            fn()
        except BaseException as exc:  # surfaced below, not lost in a thread
            errors.append(exc)

    threads = [threading.Thread(target=guard, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not any(t.is_alive() for t in threads), "a client thread is stuck"
    assert not errors, errors
