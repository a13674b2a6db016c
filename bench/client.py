"""The one HTTP call the benchmark scripts make to a local server (no keep-alive, no retries)."""

from __future__ import annotations

import http.client
import json
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]  # lower-cased names
    body: bytes


def call(port: int, method: str, target: str, body: bytes | None = None, headers: dict[str, str] | None = None,
         timeout: float = 300) -> Answer:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, target, body=body, headers=headers or {})
        response = conn.getresponse()
        return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
    finally:
        conn.close()


def get_json(port: int, target: str, timeout: float = 300) -> Any:
    """GET `target` and its JSON body; anything but 200 stops the benchmark with the answer's start."""
    answer = call(port, "GET", target, timeout=timeout)
    if answer.status != 200:
        raise RuntimeError(f"GET {target} answered {answer.status}: {answer.body[:300]!r}")
    return json.loads(answer.body)
